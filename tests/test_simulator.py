"""The simulator as its users meet it: the sim command's contract, scripts, and the shipped conversations."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from skill_tools.simulator import envelopes, scripts
from skill.storage.store import user_key

ROOT = Path(__file__).parents[1]
SCRIPT_FILES = sorted((ROOT / "tests" / "scripts").glob("*.yaml"))
NOW = "2026-11-24T15:00:00Z"
JSON_KEYS = {"utterance", "request_type", "intent", "slots", "confidence", "speech", "ssml", "reprompt", "card",
             "end_session", "screen", "used"}


def cases():
    for path in SCRIPT_FILES:
        for case in scripts.load(path):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case", list(cases()))
def test_shipped_conversation_scripts_pass(case):
    result = scripts.run_case(case)
    assert result.passed, "\n".join(result.failures)


def sim(*args, stdin=None, db=None):
    cmd = [sys.executable, "-m", "skill_tools", "sim", "--now", NOW, "--timezone", "America/New_York"]
    if db:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_sim_json_is_one_object_per_turn_and_nothing_else(tmp_path):
    out = sim("--json", "open spine recovery helper", "yes", "november tenth", "yes", db=tmp_path / "s.db")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 4
    turns = [json.loads(line) for line in lines]
    assert all(set(t) == JSON_KEYS for t in turns)
    assert turns[0]["request_type"] == "LaunchRequest"
    assert turns[2]["intent"] == "SetSurgeryDateIntent"
    assert turns[2]["slots"] == {"date": "2027-11-10"}  # as Alexa sends it; the skill undoes the next-year habit
    assert turns[2]["speech"] == "Tuesday, November 10th. Is that right?"
    assert turns[2]["ssml"].startswith("<speak>")
    assert "It has been 2 weeks" in turns[3]["speech"]
    assert turns[3]["end_session"] is False
    assert all(t["screen"] is None for t in turns), "no --screen: a device without a screen"


def test_sim_screen_shows_the_answer_in_its_json_and_on_the_terminal(tmp_path):
    out = sim("--json", "--screen", "--viewport", "hub-round", "i can't breathe", "when can i drive")
    assert out.returncode == 0, out.stderr
    emergency, drive = (json.loads(line) for line in out.stdout.splitlines())
    assert emergency["screen"]["kind"] == "emergency"
    assert emergency["screen"]["key"] == "Call 911 now"
    assert emergency["screen"]["text"].startswith("Call 911 now")
    assert len(emergency["screen"]["words"]) < len(emergency["speech"]), "a short instruction shown, all of it said"
    assert drive["screen"]["kind"] == "answer" and drive["screen"]["words"] == drive["speech"]
    assert drive["screen"]["question"] == "Would you like to hear more?"
    shown = sim("--screen", "i can't breathe").stdout
    assert "+-- screen (emergency)" in shown and "| CALL 911 NOW" in shown


def test_stored_dates_survive_between_runs_with_db(tmp_path):
    db = tmp_path / "keep.db"
    sim("--json", "my surgery was on november tenth", "yes", db=db)
    again = sim("--json", "open spine recovery helper", db=db)
    assert "It has been 2 weeks" in json.loads(again.stdout.splitlines()[0])["speech"]


def test_sim_person_speaks_as_a_recognised_voice_with_its_own_date(tmp_path):
    db = tmp_path / "shared.db"
    alice = "amzn1.ask.person.SIM-ALICE"
    saved = sim("--json", "--person", alice, "my surgery was on november tenth", "yes", db=db)
    assert "I'll remember" in json.loads(saved.stdout.splitlines()[1])["speech"]
    again = sim("--json", "--person", alice, "when was my surgery", db=db)
    assert "It has been 2 weeks" in json.loads(again.stdout.splitlines()[0])["speech"]
    stranger = sim("--json", "when was my surgery", db=db)  # same account, voice not recognised
    heard = json.loads(stranger.stdout.splitlines()[0])["speech"]
    assert heard.startswith("I don't have your surgery date yet.") and "It has been" not in heard


def test_sim_reads_turns_from_standard_input_and_starts_a_new_session_after_goodbye(tmp_path):
    out = sim("--json", stdin="open spine recovery helper\nstop\nwhen can i drive\n", db=tmp_path / "s.db")
    turns = [json.loads(line) for line in out.stdout.splitlines()]
    assert [t["end_session"] for t in turns] == [False, True, False]
    assert turns[2]["intent"] == "DrivingIntent"


def test_first_turn_that_is_not_a_launch_is_a_one_shot_intent(tmp_path):
    out = sim("--json", "ask spine recovery helper when can i drive", db=tmp_path / "s.db")
    turn = json.loads(out.stdout)
    assert turn["request_type"] == "IntentRequest" and turn["intent"] == "DrivingIntent"


def test_strict_mode_refuses_a_paraphrase(tmp_path):
    tolerant = json.loads(sim("--json", "is it alright for me to get behind the wheel of my car again",
                              db=tmp_path / "a.db").stdout)
    strict = json.loads(sim("--json", "--strict", "is it alright for me to get behind the wheel of my car again",
                            db=tmp_path / "b.db").stdout)
    assert tolerant["intent"] == "DrivingIntent"
    assert strict["intent"] == "AMAZON.FallbackIntent"


def test_plain_output_is_readable(tmp_path):
    out = sim("is tingling normal", db=tmp_path / "s.db")
    assert "Alexa: You mentioned tingling. Please call your doctor" in out.stdout


def test_bad_now_is_a_clear_error_not_a_crash(tmp_path):
    out = sim("--now", "yesterday-ish", "hello", db=tmp_path / "s.db")
    assert out.returncode == 2
    assert "recovery-skill sim" in out.stderr and "Traceback" not in out.stderr


def test_test_command_runs_scripts_and_prints_the_closing_line(tmp_path):
    script = tmp_path / "one.yaml"
    script.write_text(
        "conversations:\n"
        "  - name: passes\n    turns:\n      - say: when can i drive\n        expect: [surgeon]\n"
        "  - name: fails\n    turns:\n      - say: when can i drive\n        expect: [bicycle]\n"
    )
    out = subprocess.run([sys.executable, "-m", "skill_tools", "test", str(script)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 1
    assert out.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"
    assert "FAIL one.yaml: fails" in out.stdout


def test_nlu_command_prints_top_three(tmp_path):
    out = subprocess.run([sys.executable, "-m", "skill_tools", "nlu", "--now", NOW, "how", "long", "will", "the", "pain", "last"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    lines = out.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("1. PainIntent")


def test_save_audio_writes_one_wav_per_turn(tmp_path):
    from skill_tools.simulator.voice import Voice

    if not Voice(play=False, save_dir=str(tmp_path)).available:
        pytest.fail("no speech engine: make setup installs espeak-ng")
    out = sim("--save-audio", str(tmp_path / "wav"), "when can i drive", "yes", db=tmp_path / "s.db")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "wav").glob("*.wav")) == ["turn-001.wav", "turn-002.wav"]


def test_sim_sends_the_locale_it_is_given(tmp_path):
    from skill_tools.simulator.device import Simulator

    sim_ = Simulator.local(str(tmp_path / "l.db"), locale="en-GB")
    sim_.say("when can i drive")
    assert sim_.conversation.last.request["request"]["locale"] == "en-GB"


def test_the_shipped_scripts_reach_every_intent_of_the_model():
    model = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
    intents = {i["name"] for i in model["interactionModel"]["languageModel"]["intents"]}
    reached = {turn.get("intent") for path in SCRIPT_FILES for case in scripts.load(path) for turn in case["turns"]}
    assert intents - reached == set()


# ------------------------------------------------------------------ what sim tells and where it keeps dates


def test_sim_refuses_a_locale_it_has_no_model_for(tmp_path):
    out = sim("--locale", "de-DE", "wann darf ich autofahren", db=tmp_path / "s.db")
    assert out.returncode == 2
    assert "--locale de-DE" in out.stderr and "en-GB, en-IN, en-US only" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def env_without_stores(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("RECOVERY_SKILL_DB", "RECOVERY_SKILL_DYNAMODB_TABLE", "RECOVERY_SKILL_REMEMBER")}
    return {**env, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"), **extra}


def sim_in(env, *args):
    cmd = [sys.executable, "-m", "skill_tools", "sim", "--json", "--now", NOW, "--timezone", "America/New_York", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return [json.loads(line)["speech"] for line in out.stdout.splitlines()]


def test_sim_keeps_dates_in_the_store_the_environment_configures(tmp_path):
    env = env_without_stores(tmp_path, RECOVERY_SKILL_DB=str(tmp_path / "env.db"))
    sim_in(env, "my surgery was on november tenth", "yes")
    assert "It has been 2 weeks" in sim_in(env, "open spine recovery helper")[0]
    shown = subprocess.run([sys.executable, "-m", "skill_tools", "data", "show", "--user", envelopes.DEFAULT_USER],
                           capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert '"surgery_date": "2026-11-10"' in shown.stdout


def test_sim_without_db_or_a_configured_store_keeps_nothing(tmp_path):
    env = env_without_stores(tmp_path)
    sim_in(env, "my surgery was on november tenth", "yes")
    assert "It has been" not in sim_in(env, "open spine recovery helper")[0]
    assert not (tmp_path / "data").exists() and not (tmp_path / "home").exists()


def test_sim_uses_the_dynamodb_table_the_environment_configures(dynamodb_env, dynamodb_store, capsys):
    from skill_tools.cli import main

    assert main(["sim", "--json", "--now", NOW, "my surgery was on november tenth", "yes"]) == 0
    capsys.readouterr()
    assert dynamodb_store.load(user_key(envelopes.DEFAULT_USER)) == {"surgery_date": "2026-11-10"}


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`sim --json ... | head -1`: the closed pipe ends sim quietly."""
    # More answers than a pipe buffers (64 KiB), so sim surely writes after head has gone.
    (tmp_path / "turns.txt").write_text("when can i drive\n" * 150)
    script = (f'"{sys.executable}" -m skill_tools sim --json --now {NOW} --db "{tmp_path / "s.db"}" '
              f'< "{tmp_path / "turns.txt"}" 2> "{tmp_path / "err.txt"}" | head -1')
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert json.loads(out.stdout)["intent"] == "DrivingIntent"
    assert (tmp_path / "err.txt").read_text() == ""


# ------------------------------------------------------------------ what the trace and the voice tell


def test_the_trace_shows_what_alexa_resolved_and_what_the_skill_used(tmp_path):
    """"november tenth" said on November 24th: Alexa sends next year's; the skill confirms this year's."""
    out = sim("open spine recovery helper", "yes", "november tenth", "december third", db=tmp_path / "s.db")
    assert out.returncode == 0, out.stderr
    assert "[SetSurgeryDateIntent date=2027-11-10 (Alexa) -> 2026-11-10 (used)]" in out.stdout
    assert "Tuesday, November 10th. Is that right?" in out.stdout
    assert "[SetSurgeryDateIntent date=2026-12-03]" in out.stdout, "the same date: said once"
    turns = [json.loads(line) for line in sim("--json", "my surgery was on november tenth", db=tmp_path / "j.db")
             .stdout.splitlines()]
    assert (turns[0]["slots"], turns[0]["used"]) == ({"date": "2027-11-10"}, {"date": "2026-11-10"})


def test_without_a_sound_device_each_run_saves_its_answers_in_a_folder_of_its_own(tmp_path):
    from skill_tools.simulator.voice import Voice

    if not Voice(play=False, save_dir=str(tmp_path / "probe")).available:
        pytest.fail("no speech engine: make setup installs espeak-ng")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    player = bin_dir / "aplay"
    player.write_text('#!/bin/sh\necho "aplay: main:831: audio open error: No such device" >&2\nexit 1\n')
    player.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-m", "skill_tools", "sim", "--speak", "--db", str(tmp_path / "s.db"),
                              "when can i drive"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        saved = re.search(r"\[audio: (.+)\]", out.stdout).group(1)
        told = re.search(r"saved as a WAV file in (\S+) instead", out.stderr).group(1)
        assert Path(told) == (tmp_path / saved).parent, (out.stdout, out.stderr)
        assert re.fullmatch(r"audio/\d{8}-\d{6}(-\d+)?/turn-001\.wav", saved), saved
        runs.append(tmp_path / saved)
    assert runs[0] != runs[1] and all(path.stat().st_size > 1000 for path in runs), "no run overwrites another's"


def test_make_and_the_readme_say_what_the_simulator_does_with_the_audio():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "audio" not in " ".join(line for line in recipe.splitlines() if "echo" in line), \
        "the simulator says where answers are saved: make does not say it differently"
    assert "--with-audio" in recipe, "make run installs the player the simulator asks for"
    assert "audio/<date-time>/" in makefile
    assert "audio/turn-001.wav" not in (ROOT / "README.md").read_text()
