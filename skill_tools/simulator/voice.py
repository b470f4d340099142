"""Speak the skill's SSML answers aloud in the local simulator (pyttsx3 + espeak-ng).

How an answer becomes sound:

1. The SSML is parsed into chunks of plain text, each with the pause that follows it
   and its speaking rate (``<prosody rate>``). Tags are dropped, entities unescaped,
   ``<sub alias>`` and the common ``<say-as>`` kinds rewritten into words
   (:mod:`skill_tools.simulator.ssml_chunks`).
2. Each chunk is synthesized to a WAV with pyttsx3's espeak driver: one
   ``save_to_file`` per ``runAndWait`` (the driver keeps only the last queued save),
   then we wait until the file is really complete. espeak runs asynchronously under
   pyttsx3: a fresh engine's first ``runAndWait`` returns before the file exists, and
   a ``runAndWait`` started while espeak is still busy cancels queued work (a lost
   rate change, an empty WAV); see ``Voice._settle`` and :mod:`skill_tools.simulator.wav`.
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

import contextlib
import importlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave

from skill_tools.simulator.ssml_chunks import Chunk, parse_ssml
from skill_tools.simulator.wav import FILE_TIMEOUT_S, SpeechError, silence, trim_trailing_silence, wait_for_wav

DEFAULT_WPM = 175
MIN_WPM, MAX_WPM = 80, 450  # espeak-ng's usable range
INSTALL_HINT = "install it with: sudo apt-get install espeak-ng libespeak-ng1"

_ENGINE_LOCK = threading.Lock()  # espeak is one global engine per process


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
        chunks = parse_ssml(ssml)
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
                raise SpeechError(f"espeak stayed busy for {timeout:.0f} s")
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
                        raise SpeechError(f"espeak did not finish speaking within {timeout:.0f} s")
                    self._wait_idle()
            finally:
                engine.disconnect(token)
            # runAndWait (and even the event) may come before the file is on disk.
            wait_for_wav(path, timeout)
            with wave.open(path, "rb") as w:
                if w.getnframes() > 0:
                    return
        raise SpeechError(f"espeak wrote an empty audio file for {text[:40]!r}")

    def _render(self, chunks: list[Chunk], target: str) -> float:
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
                            parts.append(silence(pending_silence, params))
                    elif p[:3] != params[:3]:
                        raise SpeechError(f"espeak changed audio format mid-answer: {p} vs {params}")
                    if chunk.pause > 0:
                        frames = trim_trailing_silence(frames, params)
                    parts.append(frames)
                    if chunk.pause > 0:
                        parts.append(silence(chunk.pause, params))
                elif params is None:
                    pending_silence += chunk.pause
                else:
                    parts.append(silence(chunk.pause, params))
        if params is None:
            raise SpeechError("espeak produced no audio")
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
