"""The project's triage corpus (tests/data/triage_corpus.yaml), said to the whole skill.

Every phrasing goes through the simulator's understanding of the deployed model, real request
envelopes and the same handlers, in each dialog state. Floors: every emergency gets the
emergency instruction first, every answer that is not a confident topic answer carries a 911
sentence, no ordinary question is answered as an emergency; the other levels hold the share
measured when the corpus was written (bench/triage_corpus.py prints the table)."""
import collections

import pytest

from skill import content
from skill.simulator import corpus

ENTRIES = corpus.load()
TRIAGE = content.load().triage
FLOORS = {"doctor": 0.93, "medicine": 0.93, "expected": 0.95}


def test_the_corpus_is_large_and_covers_every_family():
    assert len(ENTRIES) >= 500
    counts = collections.Counter(e["family"] for e in ENTRIES)
    families = content.load().families
    for key, fam in families.items():
        if fam["level"] == "emergency":
            assert counts[key] >= 10, key
    assert {e["level"] for e in ENTRIES} == {"emergency", "doctor", "expected", "medicine", "not_symptom"}


def test_triage_alone_finds_every_emergency_and_raises_no_false_alarm():
    missed = [e["text"] for e in ENTRIES if e["level"] == "emergency" and TRIAGE.classify(e["text"]).level != "emergency"]
    alarms = [e["text"] for e in ENTRIES if e["level"] == "not_symptom" and TRIAGE.classify(e["text"]).level == "emergency"]
    assert not missed and not alarms


@pytest.fixture(scope="module")
def heard():
    return corpus.run(ENTRIES)


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_every_emergency_gets_the_instruction_first_in_every_state(heard, state):
    missed = [(s.text, s.intent, s.speech[:60]) for s in heard
              if s.state == state and s.level == "emergency" and not s.emergency_first]
    assert not missed


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_every_answer_but_a_topic_answer_carries_a_911_sentence(heard, state):
    missing = [(s.text, s.answer) for s in heard if s.state == state and s.needs_safety_line and not s.safety_line]
    assert not missing


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_no_false_alarm_on_ordinary_questions(heard, state):
    alarms = [s.text for s in heard if s.state == state and s.level == "not_symptom" and s.emergency_first]
    assert not alarms


@pytest.mark.parametrize("level", sorted(FLOORS))
def test_doctor_medicine_and_expected_levels_hold_their_floor(heard, level):
    group = [s for s in heard if s.level == level]
    right = sum(s.right for s in group) / len(group)
    assert right >= FLOORS[level], f"{level}: {right:.1%} of {len(group)}"


def test_a_crisis_gets_988_gently_and_an_overdose_poison_control(heard):
    for said in heard:
        if said.family == "self_harm":
            assert said.speech.startswith("Please call or text 988"), said.text
        if said.family == "overdose":
            assert "1-800-222-1222" in said.speech and said.speech.startswith("Call 911"), said.text
