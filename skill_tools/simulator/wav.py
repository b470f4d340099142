"""The WAV side of the simulator's voice: waiting for espeak's file, trimming its silence, making pauses."""
from __future__ import annotations

import array
import os
import sys
import time

# Waiting for espeak's WAV (pyttsx3 may return from runAndWait before it is written).
FILE_POLL_S = 0.01
FILE_STABLE_POLLS = 5
FILE_TIMEOUT_S = 15.0
# Trailing silence espeak adds after each chunk (~0.24 s) is trimmed before an
# explicit break so that <break time="1s"/> is one second, not 1.24.
SILENCE_THRESHOLD = 200  # of 32767
KEEP_TAIL_S = 0.03


class SpeechError(Exception):
    pass


def wav_complete(path: str) -> bool:
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


def wait_for_wav(path: str, timeout: float) -> None:
    """Wait until `path` exists, is non-empty and complete (header or stable size)."""
    deadline = time.monotonic() + timeout
    last_size, stable = -1, 0
    while True:
        if wav_complete(path):
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
            raise SpeechError(f"espeak's audio file {path} {state} after {timeout:.0f} s")
        time.sleep(FILE_POLL_S)


def trim_trailing_silence(frames: bytes, params) -> bytes:
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


def silence(seconds: float, params) -> bytes:
    return b"\x00" * (int(round(seconds * params.framerate)) * params.nchannels * params.sampwidth)
