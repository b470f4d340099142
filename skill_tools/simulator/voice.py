"""Speak the skill's SSML answers aloud in the local simulator (pyttsx3 + espeak-ng).

How an answer becomes sound:

1. The SSML is parsed into chunks of plain text, each with the pause that follows it
   and its speaking rate (``<prosody rate>``). Tags are dropped, entities unescaped,
   ``<sub alias>`` and the common ``<say-as>`` kinds rewritten into words.
2. Each chunk is synthesized to a WAV with pyttsx3's espeak driver: one
   ``save_to_file`` per ``runAndWait`` (the driver keeps only the last queued save),
   then we wait until the file is really complete. espeak runs asynchronously under
   pyttsx3: a fresh engine's first ``runAndWait`` returns before the file exists, and
   a ``runAndWait`` started while espeak is still busy cancels queued work (a lost
   rate change, an empty WAV); see ``Voice._settle``.
3. The chunks are joined with real silence for the breaks into one WAV, written
   atomically to ``save_dir/turn-NNN.wav`` (or a temporary file), and that WAV is
   played with ``aplay`` when ``play`` is on.

Why not pass the SSML to espeak or use ``engine.say``: pyttsx3 2.99 calls espeak
without its SSML flag, so tags are read out loud ("less than speak..."); and its
``say`` after a ``save_to_file`` in the same process overwrites that file instead of
playing, and runs ``aplay`` through a shell that floods stderr with ALSA errors on a
machine without a sound card. Playing our own WAV with ``aplay`` (the program pyttsx3
itself uses on Linux) honours the breaks and lets playback fail once, quietly.

Nothing here imports pyttsx3 at module import time; without pyttsx3 or espeak-ng the
``Voice`` says so once on stderr and the simulator carries on in text.
"""
from __future__ import annotations

import array
import contextlib
import importlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from html.parser import HTMLParser

DEFAULT_WPM = 175
MIN_WPM, MAX_WPM = 80, 450  # espeak-ng's usable range
MAX_BREAK_S = 10.0  # Alexa's limit for <break time>
INSTALL_HINT = "install it with: sudo apt-get install espeak-ng libespeak-ng1"

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

# Waiting for espeak's WAV (pyttsx3 may return from runAndWait before it is written).
FILE_POLL_S = 0.01
FILE_STABLE_POLLS = 5
FILE_TIMEOUT_S = 15.0
# Trailing silence espeak adds after each chunk (~0.24 s) is trimmed before an
# explicit break so that <break time="1s"/> is one second, not 1.24.
SILENCE_THRESHOLD = 200  # of 32767
KEEP_TAIL_S = 0.03

_ENGINE_LOCK = threading.Lock()  # espeak is one global engine per process


# ---------------------------------------------------------------- SSML -> chunks


@dataclass
class _Chunk:
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
    return [(c.text, c.pause) for c in _parse(ssml)]


def ssml_rate_factor(ssml: str) -> float:
    """Speaking-rate factor of the answer from ``<prosody rate>`` (1.0 when none).

    ``rate="90%"`` gives 0.9, ``"slow"`` 0.75, ``"x-slow"`` 0.5. When parts of the answer
    differ, the factor is the average weighted by the amount of text at each rate.
    """
    chunks = [c for c in _parse(ssml) if c.text]
    if not chunks:
        return 1.0
    rates = {c.rate for c in chunks}
    if len(rates) == 1:
        return rates.pop()
    total = sum(len(c.text) for c in chunks)
    return round(sum(c.rate * len(c.text) for c in chunks) / total, 4)


def _parse(ssml: str) -> list[_Chunk]:
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
        self.chunks: list[_Chunk] = []
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
            self.chunks.append(_Chunk(text, pause, self._buf_rate or self._rates[-1]))
        elif self.chunks:
            self.chunks[-1].pause += pause
        else:
            self._lead_pause += pause
        self._buf = []
        self._buf_rate = None

    def finish(self) -> list[_Chunk]:
        if self._capture is not None:  # unclosed <say-as>
            self.handle_endtag("say-as")
        self._flush(0.0)
        chunks = self.chunks
        if self._lead_pause and chunks:
            chunks.insert(0, _Chunk("", min(MAX_BREAK_S, self._lead_pause), chunks[0].rate))
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


# ---------------------------------------------------------------- WAV helpers


class _SpeechError(Exception):
    pass


def _wav_complete(path: str) -> bool:
    """True when the RIFF header's size matches the file: the writer has closed it."""
    try:
        size = os.path.getsize(path)
        if size < 44:
            return False
        with open(path, "rb") as f:
            head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return False
        return int.from_bytes(head[4:8], "little") + 8 == size
    except OSError:
        return False


def _wait_for_wav(path: str, timeout: float) -> None:
    """Wait until `path` exists, is non-empty and complete (header or stable size)."""
    deadline = time.monotonic() + timeout
    last_size, stable = -1, 0
    while True:
        if _wav_complete(path):
            return
        try:
            size = os.path.getsize(path)
        except OSError:
            size = -1
        if size > 44 and size == last_size:
            stable += 1
            if stable >= FILE_STABLE_POLLS:
                return
        else:
            stable = 0
        last_size = size
        if time.monotonic() > deadline:
            state = "was not written" if size < 0 else f"stayed incomplete ({size} bytes)"
            raise _SpeechError(f"espeak's audio file {path} {state} after {timeout:.0f} s")
        time.sleep(FILE_POLL_S)


def _trim_trailing_silence(frames: bytes, params) -> bytes:
    if params.sampwidth != 2 or not frames:
        return frames
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    n = len(samples)
    i = n - 1
    while i >= 0 and abs(samples[i]) <= SILENCE_THRESHOLD:
        i -= 1
    keep_frames = (i + 1) // params.nchannels + int(KEEP_TAIL_S * params.framerate)
    keep_bytes = min(len(frames), keep_frames * params.nchannels * 2)
    return frames[:keep_bytes]


def _silence(seconds: float, params) -> bytes:
    return b"\x00" * (int(round(seconds * params.framerate)) * params.nchannels * params.sampwidth)


# ---------------------------------------------------------------- Voice


def fresh_folder(path: str) -> str:
    """``path`` made anew for this run (``path-2``, ``path-3``... when another run has it): never one whose
    WAV files another run would overwrite."""
    candidate, n = path, 1
    while True:
        try:
            os.makedirs(candidate)
            return candidate
        except FileExistsError:
            n += 1
            candidate = f"{path}-{n}"


class Voice:
    """Speaks SSML answers aloud and/or saves them as ``save_dir/turn-NNN.wav``.

    ``available`` is False when no speech engine could be started; ``say`` then
    returns None and does nothing (the reason was printed once on ``stderr``).
    """

    def __init__(
        self,
        rate_wpm: int | None = None,
        play: bool = True,
        save_dir: str | None = None,
        stderr=sys.stderr,
        fallback_dir: str | None = None,
    ) -> None:
        self.rate_wpm = int(rate_wpm or DEFAULT_WPM)
        self.play = play
        self.save_dir = save_dir
        # Where answers are saved instead once they cannot be played (no sound device), if anywhere.
        self.fallback_dir = fallback_dir
        self._stderr = stderr
        self._reported: set[str] = set()
        self._engine = None
        self._player: list[str] | None = None
        self._player_checked = False
        self._playback_ok = True
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._espeak = None
        self.available = False

        try:
            import pyttsx3  # noqa: PLC0415  (lazy: the module works without it)
        except Exception as e:  # ImportError, or a broken install
            self._report(
                "engine",
                f"Speech is off: the Python package pyttsx3 cannot be imported ({e}). "
                "Install it with: pip install pyttsx3 (the project's 'voice' extra); it also "
                f"needs the espeak-ng speech engine, {INSTALL_HINT}. Answers continue in text.",
            )
            return
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine = pyttsx3.init("espeak")
        except Exception as e:  # library missing (RuntimeError), old libespeak1 (ValueError)
            self._report(
                "engine",
                f"Speech is off: the espeak-ng speech engine could not be started "
                f"({type(e).__name__}: {e}); {INSTALL_HINT}. Answers continue in text.",
            )
            return
        try:
            self._espeak = importlib.import_module("pyttsx3.drivers._espeak")
        except Exception:  # other pyttsx3 layout: rely on the events and the file
            self._espeak = None
        try:
            with _ENGINE_LOCK:
                self._settle()
        except Exception as e:
            self._report(
                "engine",
                f"Speech is off: espeak-ng did not respond ({e}); {INSTALL_HINT}. "
                "Answers continue in text.",
            )
            return
        self.available = True

    # -- public
    def say(self, ssml: str, turn: int) -> str | None:
        """Speak one answer; return the saved WAV's path when ``save_dir`` is set.

        Never raises for speech problems: they are reported once on stderr and the
        answer is skipped (None).
        """
        if not self.available or not (self.save_dir or (self.play and self._playback_ok)):
            return None
        chunks = _parse(ssml)
        if not any(c.text for c in chunks):
            return None
        try:
            if self.save_dir:
                os.makedirs(self.save_dir, exist_ok=True)
                target = os.path.join(self.save_dir, f"turn-{turn:03d}.wav")
            else:
                target = os.path.join(self._tmpdir(), f"play-{turn:03d}.wav")
            duration = self._render(chunks, target)
        except Exception as e:  # never let speech break the conversation
            self._report("render", f"Speech failed (answers continue in text): {e}")
            return None
        if self.play:
            self._play(target, duration)
        if self.save_dir and os.path.dirname(target) != self.save_dir:  # playback just failed: keep it
            os.makedirs(self.save_dir, exist_ok=True)
            saved = os.path.join(self.save_dir, f"turn-{turn:03d}.wav")
            shutil.move(target, saved)
            target = saved
        if self.save_dir:
            return target
        with contextlib.suppress(OSError):
            os.remove(target)
        return None

    # -- internals
    def _report(self, key: str, message: str) -> None:
        if key in self._reported:
            return
        self._reported.add(key)
        with contextlib.suppress(Exception):
            print(message, file=self._stderr, flush=True)

    def _tmpdir(self) -> str:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="voice-")
        return self._tmp.name

    def _wpm(self, rate: float) -> int:
        return max(MIN_WPM, min(MAX_WPM, round(self.rate_wpm * rate)))

    def _wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until espeak's own thread has processed everything queued to it."""
        is_playing = getattr(self._espeak, "IsPlaying", None)
        if is_playing is None:
            return
        deadline = time.monotonic() + timeout
        while is_playing():
            if time.monotonic() > deadline:
                raise _SpeechError(f"espeak stayed busy for {timeout:.0f} s")
            time.sleep(0.002)

    def _settle(self) -> None:
        """Bring the engine to its idle steady state before queueing anything.

        pyttsx3 starts espeak in AUDIO_OUTPUT_RETRIEVAL mode, which is asynchronous:
        rate changes and synthesis run on espeak's thread. Each ``runAndWait`` begins
        by calling the driver's ``stop()``, which calls ``espeak_Cancel`` whenever
        espeak is still busy: that drops the pending rate change or cuts the audio
        (seen here as chunks at the wrong speed and 44-byte empty WAVs), and leaves a
        stop flag that cancels the next utterance too. So: wait until espeak is idle,
        and run a fresh engine's first, empty ``runAndWait`` while it is idle (a new
        engine queues commands until its first loop; afterwards they run at once).
        """
        self._wait_idle()
        if self._engine.isBusy():
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.runAndWait()
            self._wait_idle()

    def _synth(self, text: str, wpm: int, path: str) -> None:
        """One chunk to one complete WAV: exactly one save_to_file per runAndWait.

        (Two save_to_file calls queued before one runAndWait keep only the last.)
        """
        engine = self._engine
        timeout = FILE_TIMEOUT_S + len(text) / 50
        for _attempt in range(2):
            self._settle()
            engine.setProperty("rate", wpm)
            self._wait_idle()  # the rate change is applied on espeak's thread
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            finished = threading.Event()
            token = engine.connect("finished-utterance", lambda **_kw: finished.set())
            try:
                # The driver prints "Audio saved to ..." (from espeak's thread).
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(text, path)
                    engine.runAndWait()
                    if not finished.wait(timeout):
                        raise _SpeechError(f"espeak did not finish speaking within {timeout:.0f} s")
                    self._wait_idle()
            finally:
                engine.disconnect(token)
            # runAndWait (and even the event) may come before the file is on disk.
            _wait_for_wav(path, timeout)
            with wave.open(path, "rb") as w:
                if w.getnframes() > 0:
                    return
        raise _SpeechError(f"espeak wrote an empty audio file for {text[:40]!r}")

    def _render(self, chunks: list[_Chunk], target: str) -> float:
        """Synthesize the chunks, join them with silence, write `target` atomically."""
        parts: list[bytes] = []
        params = None
        pending_silence = 0.0  # leading break before the first audio
        chunk_path = os.path.join(self._tmpdir(), "chunk.wav")
        with _ENGINE_LOCK:
            for chunk in chunks:
                if chunk.text:
                    self._synth(chunk.text, self._wpm(chunk.rate), chunk_path)
                    with wave.open(chunk_path, "rb") as w:
                        p = w.getparams()
                        frames = w.readframes(w.getnframes())
                    if params is None:
                        params = p
                        if pending_silence:
                            parts.append(_silence(pending_silence, params))
                    elif p[:3] != params[:3]:
                        raise _SpeechError(f"espeak changed audio format mid-answer: {p} vs {params}")
                    if chunk.pause > 0:
                        frames = _trim_trailing_silence(frames, params)
                    parts.append(frames)
                    if chunk.pause > 0:
                        parts.append(_silence(chunk.pause, params))
                elif params is None:
                    pending_silence += chunk.pause
                else:
                    parts.append(_silence(chunk.pause, params))
        if params is None:
            raise _SpeechError("espeak produced no audio")
        data = b"".join(parts)
        tmp = f"{target}.part"
        try:
            with wave.open(tmp, "wb") as out:
                out.setnchannels(params.nchannels)
                out.setsampwidth(params.sampwidth)
                out.setframerate(params.framerate)
                out.writeframes(data)
            os.replace(tmp, target)  # complete or absent, never half-written
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
        return len(data) / (params.framerate * params.nchannels * params.sampwidth)

    def _find_player(self) -> list[str] | None:
        if not self._player_checked:
            self._player_checked = True
            for argv in (["aplay", "-q"], ["paplay"], ["afplay"]):
                if shutil.which(argv[0]):
                    self._player = argv
                    break
        return self._player

    def _play(self, path: str, duration: float) -> None:
        if not self._playback_ok:
            return
        if sys.platform == "win32":  # pragma: no cover - not our platform
            try:
                import winsound  # noqa: PLC0415

                winsound.PlaySound(path, winsound.SND_FILENAME)
            except Exception as e:
                self._playback_off(f"could not play the answer ({e})")
            return
        player = self._find_player()
        if player is None:
            self._playback_off(
                "no audio player found (aplay); to hear the answers install it with: "
                "sudo apt-get install alsa-utils"
            )
            return
        try:
            result = subprocess.run(
                [*player, path],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=duration + 15,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as e:
            self._playback_off(f"{player[0]} failed ({e})")
            return
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit status {result.returncode}"
            self._playback_off(f"{player[0]} could not play the answer ({why}; no sound card?)")

    def _playback_off(self, why: str) -> None:
        self._playback_ok = False
        where = f" (still saved in {self.save_dir})" if self.save_dir else ""
        if not self.save_dir and self.fallback_dir:
            self.save_dir = fresh_folder(self.fallback_dir)
            where = f", and each answer is saved as a WAV file in {os.path.abspath(self.save_dir)} instead"
        self._report("playback", f"Playback is off: {why}. Answers continue in text{where}.")
