"""An SSML answer as chunks of plain text, each with the pause after it and its speaking rate.

What the simulator's voice synthesizes, and what the browser console speaks: tags
dropped, entities unescaped, ``<sub alias>`` and the common ``<say-as>`` kinds
rewritten into words; a new chunk at every ``<break>``, sentence, paragraph and
change of ``<prosody rate>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_BREAK_S = 10.0  # Alexa's limit for <break time>

# Alexa SSML: <break strength>, <prosody rate> keywords. <p> is an x-strong break.
BREAK_STRENGTH_S = {
    "none": 0.0,
    "x-weak": 0.1,
    "weak": 0.25,
    "medium": 0.4,
    "strong": 0.75,
    "x-strong": 1.2,
}
PARAGRAPH_PAUSE_S = BREAK_STRENGTH_S["x-strong"]
RATE_KEYWORDS = {
    "x-slow": 0.5,
    "slow": 0.75,
    "medium": 1.0,
    "default": 1.0,
    "fast": 1.25,
    "x-fast": 1.5,
}
MIN_RATE, MAX_RATE = 0.2, 4.0  # Alexa accepts 20% at the least


@dataclass
class Chunk:
    text: str
    pause: float  # seconds of silence after the text
    rate: float  # factor on the words per minute


def ssml_to_chunks(ssml: str) -> list[tuple[str, float]]:
    """Plain-text chunks of an SSML answer, each with the pause (seconds) after it.

    A new chunk starts at every ``<break>``, sentence (``<s>``), paragraph (``<p>``)
    and change of ``<prosody rate>``. A break before any text gives a first chunk
    ``("", pause)``.

    >>> ssml_to_chunks('<speak>Rest &amp; walk.<break time="300ms"/>Call 911.</speak>')
    [('Rest & walk.', 0.3), ('Call 911.', 0.0)]
    """
    return [(c.text, c.pause) for c in parse_ssml(ssml)]


def ssml_rate_factor(ssml: str) -> float:
    """Speaking-rate factor of the answer from ``<prosody rate>`` (1.0 when none).

    ``rate="90%"`` gives 0.9, ``"slow"`` 0.75, ``"x-slow"`` 0.5. When parts of the answer
    differ, the factor is the average weighted by the amount of text at each rate.
    """
    chunks = [c for c in parse_ssml(ssml) if c.text]
    if not chunks:
        return 1.0
    rates = {c.rate for c in chunks}
    if len(rates) == 1:
        return rates.pop()
    total = sum(len(c.text) for c in chunks)
    return round(sum(c.rate * len(c.text) for c in chunks) / total, 4)


def parse_ssml(ssml: str) -> list[Chunk]:
    parser = _SSMLParser()
    parser.feed(ssml or "")
    parser.close()
    return parser.finish()


def _parse_rate(value: str | None, current: float) -> float:
    if not value:
        return current
    v = value.strip().lower()
    if v in RATE_KEYWORDS:
        rate = RATE_KEYWORDS[v]
    else:
        m = re.fullmatch(r"([+-]?)(\d+(?:\.\d+)?)\s*(%?)", v)
        if not m:
            return current
        sign, num, percent = m.group(1), float(m.group(2)), m.group(3)
        if percent and sign:  # "+10%": relative change
            rate = current * (1 + (num if sign == "+" else -num) / 100)
        elif percent:  # "90%": of the enclosing rate
            rate = current * num / 100
        else:  # "1.5": a multiplier
            rate = current * num
    return min(MAX_RATE, max(MIN_RATE, rate))


def _parse_break(attrs: dict[str, str | None]) -> float:
    t = (attrs.get("time") or "").strip().lower()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ms|s)", t)
    if m:
        seconds = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
        return min(MAX_BREAK_S, seconds)
    strength = (attrs.get("strength") or "medium").strip().lower()
    return BREAK_STRENGTH_S.get(strength, BREAK_STRENGTH_S["medium"])


_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _say_date(text: str, fmt: str | None) -> str:
    """Alexa's date forms: 20240501, 2024-05-01, ????0501, 2024????; or format="mdy" etc."""
    t = text.strip()
    y = mo = d = None
    m = re.fullmatch(r"([\d?]{4})-?([\d?]{2})-?([\d?]{2})", t)
    if m and (not fmt or fmt.lower() == "ymd"):
        y, mo, d = m.groups()
    elif fmt and re.fullmatch(r"[dmy]{1,3}", fmt.lower()):
        parts = re.split(r"[-/.\s]+", t)
        if len(parts) == len(fmt):
            fields = dict(zip(fmt.lower(), parts))
            y, mo, d = fields.get("y"), fields.get("m"), fields.get("d")
    if y is None and mo is None and d is None:
        return t

    def num(s: str | None) -> int | None:
        return int(s) if s and s.isdigit() else None

    year, month, day = num(y), num(mo), num(d)
    month_name = _MONTHS[month - 1] if month and 1 <= month <= 12 else None
    out = ""
    if month_name and day:
        out = f"{month_name} {_ordinal(day)}"
    elif month_name:
        out = month_name
    elif day:
        out = f"the {_ordinal(day)}"
    if year is not None:
        out = f"{out}, {year}" if out and day else f"{out} {year}".strip()
    return out or t


def _say_as(text: str, interpret_as: str, fmt: str | None) -> str:
    kind = interpret_as.strip().lower()
    t = " ".join(text.split())
    if kind == "date":
        return _say_date(t, fmt)
    if kind == "ordinal" and t.isdigit():
        return _ordinal(int(t))
    if kind in ("characters", "spell-out", "digits", "telephone"):
        return " ".join(ch for ch in t if not ch.isspace())
    if kind == "fraction":
        return re.sub(r"(\d+)\s*/\s*(\d+)", r"\1 over \2", t)
    if kind == "time":  # Alexa: 1'21" is one minute twenty-one seconds
        m = re.fullmatch(r"(?:(\d+)')?\s*(?:(\d+)\")?", t)
        if m and any(m.groups()):
            parts = []
            if m.group(1):
                parts.append(f"{m.group(1)} minute{'' if m.group(1) == '1' else 's'}")
            if m.group(2):
                parts.append(f"{m.group(2)} second{'' if m.group(2) == '1' else 's'}")
            return " ".join(parts)
    if kind == "expletive":
        return "beep"
    return t


class _SSMLParser(HTMLParser):
    """Lenient SSML walker: copes with un-declared prefixes (amazon:effect), stray '&'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[Chunk] = []
        self._buf: list[str] = []
        self._buf_rate: float | None = None
        self._rates = [1.0]
        self._lead_pause = 0.0
        self._pending_pause = 0.0  # paragraph pause, applied only between chunks
        self._capture: list[str] | None = None  # inside <say-as>
        self._say_as: tuple[str, str | None] | None = None
        self._skip = 0  # inside <sub alias=...>: the alias is said instead

    # -- building chunks
    def _text(self, text: str) -> None:
        if self._skip:
            return
        if self._capture is not None:
            self._capture.append(text)
            return
        rate = self._rates[-1]
        if text.strip():
            if self._buf_rate is not None and self._buf_rate != rate and "".join(self._buf).strip():
                self._flush(0.0)
            if self._pending_pause and self.chunks and not "".join(self._buf).strip():
                self.chunks[-1].pause += self._pending_pause
            self._pending_pause = 0.0
            self._buf_rate = rate
        self._buf.append(text)

    def _flush(self, pause: float) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.chunks.append(Chunk(text, pause, self._buf_rate or self._rates[-1]))
        elif self.chunks:
            self.chunks[-1].pause += pause
        else:
            self._lead_pause += pause
        self._buf = []
        self._buf_rate = None

    def finish(self) -> list[Chunk]:
        if self._capture is not None:  # unclosed <say-as>
            self.handle_endtag("say-as")
        self._flush(0.0)
        chunks = self.chunks
        if self._lead_pause and chunks:
            chunks.insert(0, Chunk("", min(MAX_BREAK_S, self._lead_pause), chunks[0].rate))
        for c in chunks:
            c.pause = round(min(MAX_BREAK_S, c.pause), 3)
        return chunks

    # -- HTMLParser callbacks
    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self._skip:
            if tag == "sub":
                self._skip += 1
            return
        if tag == "break":
            self._flush(_parse_break(a))
        elif tag in ("p", "s"):
            self._flush(0.0)
        elif tag == "prosody":
            self._rates.append(_parse_rate(a.get("rate"), self._rates[-1]))
        elif tag == "sub":
            if a.get("alias") is not None:
                self._text(a["alias"] or "")
                self._skip = 1
        elif tag == "say-as" and self._capture is None:
            self._capture = []
            self._say_as = (a.get("interpret-as") or "", a.get("format"))

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == "sub":
                self._skip -= 1
            return
        if tag == "p":
            self._flush(0.0)
            self._pending_pause = max(self._pending_pause, PARAGRAPH_PAUSE_S)
        elif tag == "s":
            self._flush(0.0)
        elif tag == "prosody" and len(self._rates) > 1:
            self._rates.pop()
        elif tag == "say-as" and self._capture is not None:
            text, (kind, fmt) = "".join(self._capture), self._say_as or ("", None)
            self._capture, self._say_as = None, None
            self._text(_say_as(text, kind, fmt))
