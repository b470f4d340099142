"""The simulator's voice: SSML answers spoken with pyttsx3/espeak-ng and saved as WAV.

The audio tests need espeak-ng (``scripts/install-system-packages.sh``); they are
skipped, with the reason, only where it cannot be started.
"""
from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import types
import wave
from pathlib import Path

import pytest

from skill_tools.simulator import voice as voice_mod
from skill_tools.simulator.ssml_chunks import ssml_rate_factor, ssml_to_chunks
from skill_tools.simulator.voice import Voice

ROOT = Path(__file__).resolve().parents[1]

# An answer as the skill writes it (skill.speech.ssml): slower rate, pauses between ideas.
ANSWER = (
    '<speak><prosody rate="90%">Most people go home the same day or the next morning.'
    '<break time="400ms"/>If you have sudden severe back pain, numbness or weakness, call '
    '<say-as interpret-as="digits">911</say-as>.<break time="400ms"/>'
    "Rest &amp; short walks help.</prosody></speak>"
)
TWO_SENTENCES = (
    '<speak><prosody rate="90%">Most people go home the same day or the next morning.'
    '<break time="400ms"/>You can usually walk within an hour after the procedure.'
    "</prosody></speak>"
)


# ---------------------------------------------------------------- pure SSML parsing


def test_chunks_and_pauses_of_a_real_answer():
    assert ssml_to_chunks(ANSWER) == [
        ("Most people go home the same day or the next morning.", 0.4),
        ("If you have sudden severe back pain, numbness or weakness, call 9 1 1.", 0.4),
        ("Rest & short walks help.", 0.0),
    ]


def test_no_tags_or_entities_are_left_in_the_spoken_text():
    doc = (
        "<speak><p>Bring a list of your medicines &amp; doses.</p>"
        '<p><s>Ask about <emphasis level="strong">bone health</emphasis>.</s>'
        '<s><amazon:effect name="whispered">Don&apos;t lift &gt; 10 pounds.</amazon:effect></s></p>'
        "</speak>"
    )
    text = " ".join(t for t, _ in ssml_to_chunks(doc))
    assert text == (
        "Bring a list of your medicines & doses. Ask about bone health. Don't lift > 10 pounds."
    )
    assert "<" not in text and "&amp;" not in text


def test_breaks_become_pauses():
    chunks = ssml_to_chunks(
        '<speak><break time="1s"/>Sit up slowly.<break time="1500ms"/>Then stand.'
        '<break strength="strong"/>Then walk.<break strength="none"/>Slowly.'
        "<break/>Done.</speak>"
    )
    assert chunks == [
        ("", 1.0),  # a pause before the first words
        ("Sit up slowly.", 1.5),
        ("Then stand.", 0.75),
        ("Then walk.", 0.0),
        ("Slowly.", 0.4),  # <break/> is a medium break, as on Alexa
        ("Done.", 0.0),
    ]


def test_consecutive_breaks_add_up_and_are_capped_like_alexa():
    assert ssml_to_chunks('<speak>A.<break time="300ms"/><break time="200ms"/>B.</speak>') == [
        ("A.", 0.5),
        ("B.", 0.0),
    ]
    assert ssml_to_chunks('<speak>A.<break time="60s"/>B.</speak>')[0] == ("A.", 10.0)


def test_paragraphs_pause_between_them_but_not_after_the_last():
    assert ssml_to_chunks("<speak><p>First.</p><p>Second.</p></speak>") == [
        ("First.", 1.2),
        ("Second.", 0.0),
    ]


def test_say_as_and_sub_are_spoken_as_words():
    chunks = ssml_to_chunks(
        '<speak>Your check-up is on <say-as interpret-as="date">20250114</say-as>, '
        'then <say-as interpret-as="date">????0922</say-as>. Take it '
        '<say-as interpret-as="ordinal">3</say-as>. Spell <say-as interpret-as="characters">'
        'CT</say-as>, <sub alias="milligrams">mg</sub>.</speak>'
    )
    assert chunks == [
        ("Your check-up is on January 14th, 2025, then September 22nd. Take it 3rd. "
         "Spell C T, milligrams.", 0.0)
    ]


def test_plain_text_and_empty_input():
    assert ssml_to_chunks("Rest & walk.") == [("Rest & walk.", 0.0)]
    assert ssml_to_chunks("<speak></speak>") == []
    assert ssml_to_chunks("") == []


@pytest.mark.parametrize(
    ("ssml", "factor"),
    [
        (ANSWER, 0.9),
        ("<speak>No prosody.</speak>", 1.0),
        ('<speak><prosody rate="slow">Slow.</prosody></speak>', 0.75),
        ('<speak><prosody rate="x-slow">Very slow.</prosody></speak>', 0.5),
        ('<speak><prosody rate="fast">Fast.</prosody></speak>', 1.25),
        ('<speak><prosody rate="x-fast">Very fast.</prosody></speak>', 1.5),
        ('<speak><prosody rate="medium">Normal.</prosody></speak>', 1.0),
        ('<speak><prosody rate="150%">Quick.</prosody></speak>', 1.5),
        ('<speak><prosody rate="5%">Too slow for Alexa.</prosody></speak>', 0.2),
        ('<speak><prosody rate="slow"><prosody rate="80%">Nested.</prosody></prosody></speak>', 0.6),
        ('<speak><prosody volume="loud">No rate.</prosody></speak>', 1.0),
    ],
)
def test_rate_factor(ssml, factor):
    assert ssml_rate_factor(ssml) == pytest.approx(factor)


def test_a_rate_change_inside_an_answer_makes_a_new_chunk():
    doc = '<speak>Normal words. <prosody rate="x-slow">Slow words.</prosody> Normal again.</speak>'
    assert ssml_to_chunks(doc) == [
        ("Normal words.", 0.0),
        ("Slow words.", 0.0),
        ("Normal again.", 0.0),
    ]
    assert 0.5 < ssml_rate_factor(doc) < 1.0


# ---------------------------------------------------------------- no speech engine


def _reports(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]


def test_without_pyttsx3_voice_says_so_once_and_stays_silent(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # makes `import pyttsx3` fail
    err = io.StringIO()
    v = Voice(play=True, save_dir=str(tmp_path), stderr=err)
    assert v.available is False
    assert v.say(ANSWER, 1) is None
    assert v.say(ANSWER, 2) is None
    lines = _reports(err)
    assert len(lines) == 1
    assert lines[0].startswith("Speech is off:")
    assert "install it with: sudo apt-get install espeak-ng libespeak-ng1" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_when_the_engine_cannot_start_voice_says_so_once(monkeypatch):
    fake = types.ModuleType("pyttsx3")

    def init(driver_name=None, debug=False):
        raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")

    fake.init = init
    monkeypatch.setitem(sys.modules, "pyttsx3", fake)
    err = io.StringIO()
    v = Voice(stderr=err)
    assert v.available is False
    for turn in range(3):
        assert v.say(ANSWER, turn) is None
    lines = _reports(err)
    assert len(lines) == 1
    assert "Speech is off" in lines[0] and "eSpeak" in lines[0]
    assert "sudo apt-get install espeak-ng libespeak-ng1" in lines[0]


def test_module_imports_without_pyttsx3():
    code = (
        "import sys\n"
        "import skill_tools.simulator.voice as v\n"
        "assert 'pyttsx3' not in sys.modules, 'imported pyttsx3 at import time'\n"
        "sys.modules['pyttsx3'] = None\n"
        "from skill_tools.simulator.ssml_chunks import ssml_to_chunks\n"
        "print(ssml_to_chunks('<speak>Hi</speak>'), v.Voice.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[('Hi', 0.0)] Voice"


# ---------------------------------------------------------------- real speech (espeak-ng)


def _wav(path: str | Path) -> tuple[float, int]:
    """(duration in seconds, frames); fails if the file is not a complete WAV."""
    size = os.path.getsize(path)
    with wave.open(str(path), "rb") as w:
        frames = w.getnframes()
        data_bytes = frames * w.getnchannels() * w.getsampwidth()
        assert w.getframerate() > 0
        duration = frames / w.getframerate()
    assert data_bytes > 0
    assert size >= data_bytes + 44, "header claims more audio than the file holds"
    assert size - data_bytes < 200, "file holds audio the header does not count (incomplete)"
    return duration, frames


@pytest.fixture
def saving_voice(tmp_path):
    err = io.StringIO()
    v = Voice(play=False, save_dir=str(tmp_path / "audio"), stderr=err)
    if not v.available:
        pytest.skip(
            "espeak-ng speech engine not available (run scripts/install-system-packages.sh): "
            + err.getvalue().strip()
        )
    v.errors = err
    return v


def test_each_turn_is_saved_as_a_complete_wav(saving_voice, tmp_path, capsys):
    first = saving_voice.say(ANSWER, 1)
    # Checked right away: say() must not return before the file is complete.
    first_duration, first_frames = _wav(first)
    second = saving_voice.say("<speak>Call your doctor if the pain gets worse.</speak>", 2)
    second_duration, _ = _wav(second)

    assert first == str(tmp_path / "audio" / "turn-001.wav")
    assert second == str(tmp_path / "audio" / "turn-002.wav")
    assert first_duration > 0.5 and second_duration > 0.5
    # The first file is still the first answer (pyttsx3 keeps only the last queued save).
    assert _wav(first) == (first_duration, first_frames)
    assert first_duration > second_duration + 1
    assert sorted(p.name for p in (tmp_path / "audio").iterdir()) == ["turn-001.wav", "turn-002.wav"]
    assert saving_voice.errors.getvalue() == ""
    # pyttsx3's "Audio saved to ..." must not end up in the simulator's output.
    assert "Audio saved" not in capsys.readouterr().out


def test_a_break_is_heard_as_silence(saving_voice):
    with_break = saving_voice.say('<speak>Sit up slowly.<break time="1s"/>Then stand.</speak>', 1)
    without = saving_voice.say("<speak>Sit up slowly. Then stand.</speak>", 2)
    longer, _ = _wav(with_break)
    shorter, _ = _wav(without)
    assert 0.6 < longer - shorter < 1.3


def test_prosody_rate_changes_the_speed(saving_voice):
    words = "Most people go home the same day or the next morning."
    normal, _ = _wav(saving_voice.say(f"<speak>{words}</speak>", 1))
    slow, _ = _wav(saving_voice.say(f'<speak><prosody rate="x-slow">{words}</prosody></speak>', 2))
    ninety, _ = _wav(saving_voice.say(f'<speak><prosody rate="90%">{words}</prosody></speak>', 3))
    assert slow > normal * 1.5
    assert normal < ninety < slow


def test_the_same_answer_sounds_the_same_every_turn(saving_voice):
    # A lost rate change (espeak cancelled mid-queue) shows up as a different length.
    durations = {round(_wav(saving_voice.say(TWO_SENTENCES, t))[0], 1) for t in range(1, 6)}
    assert len(durations) == 1


def _fake_player(tmp_path: Path, script: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    player = bin_dir / "aplay"
    player.write_text("#!/bin/sh\n" + script)
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def test_playing_uses_aplay(saving_voice, tmp_path, monkeypatch):
    log = tmp_path / "played.txt"
    bin_dir = _fake_player(tmp_path, f'echo "$@" >> "{log}"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    v = Voice(play=True, save_dir=saving_voice.save_dir, stderr=saving_voice.errors)
    path = v.say(ANSWER, 7)
    assert log.read_text().split() == ["-q", path]
    assert saving_voice.errors.getvalue() == ""


def test_without_a_sound_card_playback_fails_soft_once(saving_voice, tmp_path, monkeypatch):
    bin_dir = _fake_player(
        tmp_path, 'echo "aplay: main:831: audio open error: No such file or directory" >&2\nexit 1\n'
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    err = io.StringIO()
    v = Voice(play=True, save_dir=saving_voice.save_dir, stderr=err)
    first = v.say(ANSWER, 1)
    second = v.say(ANSWER, 2)
    assert first and second  # still saved
    _wav(second)
    lines = _reports(err)
    assert len(lines) == 1 and lines[0].startswith("Playback is off:")
    assert "audio open error" in lines[0]


def test_without_aplay_playback_fails_soft_once(saving_voice, monkeypatch):
    monkeypatch.setattr(voice_mod.shutil, "which", lambda name: None)
    err = io.StringIO()
    v = Voice(play=True, stderr=err)
    assert v.say(ANSWER, 1) is None
    assert v.say(ANSWER, 2) is None
    lines = _reports(err)
    assert len(lines) == 1
    assert "Playback is off" in lines[0] and "alsa-utils" in lines[0]


def test_nothing_to_say_returns_none(saving_voice):
    assert saving_voice.say("<speak><break time='1s'/></speak>", 1) is None
    assert saving_voice.say("", 2) is None


def test_without_a_sound_device_answers_go_to_wav_files_and_it_says_where(saving_voice, tmp_path, monkeypatch):
    """`make run` on a machine without sound: each answer is saved, and the path is told once."""
    bin_dir = _fake_player(tmp_path, 'echo "aplay: main:831: audio open error: No such device" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    err = io.StringIO()
    fallback = tmp_path / "fallback"
    v = Voice(play=True, stderr=err, fallback_dir=str(fallback))
    first = v.say(ANSWER, 1)
    second = v.say(ANSWER, 2)
    assert (first, second) == (str(fallback / "turn-001.wav"), str(fallback / "turn-002.wav"))
    _wav(first)
    _wav(second)
    lines = _reports(err)
    assert len(lines) == 1 and lines[0].startswith("Playback is off:")
    assert f"saved as a WAV file in {fallback}" in lines[0]
