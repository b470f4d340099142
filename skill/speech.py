"""Turning the skill's sentences into what Alexa speaks (SSML) and shows (card text).

Older listeners: a little slower than default, short pauses between ideas, dates
said as dates ("Tuesday, December 22nd"), durations in plain numbers. The words of dates, spans
and said-back sentences are the locale's (``speech`` in skill/content/locales/en/words.yaml).
"""
from __future__ import annotations

import functools
import re
from datetime import date

from skill import content

RATE = "90%"
PAUSE = '<break time="400ms"/>'
MAX_SSML = 8000  # Alexa's limit on outputSpeech

_TAGS = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<break\b[^>]*>")

def ssml(*parts: str) -> str:
    """Whole SSML document from plain-text parts, each part one idea, a pause between them."""
    body = PAUSE.join(_part(p) for p in parts if p)
    doc = f'<speak><prosody rate="{RATE}">{body}</prosody></speak>'
    if len(doc) > MAX_SSML:
        raise ValueError(f"answer too long for Alexa: {len(doc)} characters of SSML")
    return doc

# XML escaping by hand: xml.sax.saxutils would pull urllib and ssl into every cold start.
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _part(text: str) -> str:
    # 911 is said "nine one one", never "nine hundred eleven"; 000 "triple zero"; a phone number as one.
    escaped = text.strip().translate(_XML_ESCAPES)
    numbers = content.current().place.numbers
    if not numbers or not any(n in escaped for n in numbers):   # most parts: skip the regular expression
        return escaped
    return _numbers_said(tuple(numbers.items())).sub(lambda m: _say_number(m.group(), numbers[m.group()]), escaped)


@functools.cache
def _numbers_said(numbers: tuple) -> re.Pattern:
    """The country's numbers as whole words, longest first ("1-800-222-1222" before "1-800")."""
    written = sorted((n for n, _ in numbers), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, written)) + r")(?![\w-])")


def _say_number(number: str, how: str) -> str:
    if how in ("digits", "telephone"):
        return f'<say-as interpret-as="{how}">{number}</say-as>'
    return f'<sub alias="{how}">{number}</sub>'


def plain(parts) -> str:
    """Card and log text: the same words without markup."""
    return " ".join(p.strip() for p in parts if p)

def strip_tags(doc: str) -> str:
    """Plain words of an SSML document (for simulators and tests)."""
    from html import unescape


    return " ".join(unescape(_TAGS.sub("", _BREAK.sub(" ", doc))).split())

def _words() -> dict:
    """The words of speaking, of the request's locale."""
    return content.current().language.data["speech"]


def spoken_date(day: date, today: date | None = None) -> str:
    """'Tuesday, December 22nd' (or 'Tuesday the 22nd of December', as the country says dates);
    with the year when it is not this year's."""
    words = _words()
    text = words["date_forms"][content.current().place.date_order].format(
        weekday=words["weekdays"][day.weekday()], month=words["months"][day.month - 1], day=_ordinal(day.day))
    if today is not None and day.year != today.year:
        text += f", {day.year}"
    return text


def _date_said() -> re.Pattern:
    """A date as :func:`spoken_date` says it, in a sentence."""
    here = content.current()
    return _date_pattern(here.locale, here.place.date_order)


@functools.cache
def _date_pattern(locale: str, order: str) -> re.Pattern:
    words = _words()
    endings = sorted({*words["ordinal_endings"].values(), words["ordinal_default"]})
    form = re.escape(words["date_forms"][order]).replace(r"\{", "{").replace(r"\}", "}")
    said = form.format(weekday=f"(?:{'|'.join(words['weekdays'])})", month=f"(?:{'|'.join(words['months'])})",
                       day=rf"\d{{1,2}}(?:{'|'.join(endings)})")
    return re.compile(rf"(?P<lead>,? on |, )?(?P<date>{said}(?:, \d{{4}})?)(?P<end>(?=[.!?]))?")


def each_date_once(parts: list[str]) -> list[str]:
    """The parts of one answer with every date said once. Said again at the end of a sentence
    ("since your surgery on <it>.", "still ahead, in 9 days, on <it>.") it is left out; elsewhere it
    becomes "that day" ("remind you on that day, at 10"). Confirming a date used to say "Tuesday,
    November 10th" twice in a row, and the lifting date again in the reminder offer."""
    said: set[str] = set()
    that_day = _words()["that_day"]

    def once(match: re.Match) -> str:
        day, lead = match.group("date"), match.group("lead") or ""
        if day not in said:
            said.add(day)
            return match.group(0)
        if lead and match.group("end") is not None:
            return ""
        return f"{lead}{that_day}"

    date_said = _date_said()
    return [date_said.sub(once, part) for part in parts]


def _ordinal(n: int) -> str:
    words = _words()
    default = words["ordinal_default"]
    suffix = default if n % 100 in words["ordinal_teens"] else words["ordinal_endings"].get(str(n % 10), default)
    return f"{n}{suffix}"

def spoken_span(days: int) -> str:
    """A stretch of time as people say it: '10 days', '2 weeks and 3 days', '1 week'."""
    days = abs(days)
    words = _words()
    if days < 14:
        return _count(days, words["day"])
    weeks, rest = divmod(days, 7)
    return _count(weeks, words["week"]) + (f" {words['and']} {_count(rest, words['day'])}" if rest else "")

def _count(n: int, unit: list[str]) -> str:
    """'1 day', '3 days': the unit's forms for one and for several."""
    return f"{n} {unit[0] if n == 1 else unit[1]}"

def month_name(month: int) -> str:
    return _words()["months"][month - 1]


# Saying a person's words back: theirs become yours (the locale's `yours`, `agree` and `said_to_someone`).
_WORD = re.compile(r"[A-Za-z']+")
MAX_SAID_BACK = 12  # words: longer than that, repeating them makes the answer hard to follow


def said_back(words: str) -> str | None:
    """The person's own words as Alexa can say them back ("I was numb in my toes": "you were numb in
    your toes"); None when they can't be turned well (they already say "you") or are too long."""
    words = words.replace("\u2019", "'")     # a typed "I’m" is "I'm"
    found = _WORD.findall(words)
    lowered = [w.lower() for w in found]
    if not found or len(found) > MAX_SAID_BACK or not set(_words()["said_to_someone"]).isdisjoint(lowered):
        return None
    turned = iter(_turned(found, lowered))
    return " ".join(_WORD.sub(lambda _: next(turned), words).split())


def _turned(found: list[str], lowered: list[str]) -> list[str]:
    words = _words()
    agree, yours, me = words["agree"], words["yours"], words["agree_with"]
    out = []
    for i, word in enumerate(lowered):
        if word in agree and (me in lowered[max(0, i - 2):i] or lowered[i + 1:i + 2] == [me]):
            out.append(agree[word])        # "I was", "I really was", "am I": you were, are you
        else:
            out.append(yours.get(word, found[i]))
    return out
