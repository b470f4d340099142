"""The project's triage corpus said to the whole skill, in every dialog state.

The TUNING set (tests/data/triage_tuning.yaml, and triage_tuning_more.yaml when it is written)
holds the floors below; the held-out TEST set (triage_test.yaml, written blind and frozen) is only
loaded and checked for its shape and for sentences shared with the tuning set: nothing here is
tuned on it (bench/triage_corpus.py prints its figures). Every phrasing goes through the
simulator's understanding of the deployed model, real request envelopes and the same handlers.

Floors: every emergency, crisis and overdose gets the emergency instruction first, every answer
that is not a confident topic answer carries a 911 sentence, no not_alarm sentence gets an
emergency answer; the other levels hold the share measured when the labels were last changed.
Issue 18's "done when" goals that the engine does not meet yet are marked xfail(strict): the
engine's work removes the mark when it meets them."""
import collections
import re

import pytest

from skill import content
from skill.simulator import corpus

ENTRIES = corpus.load_set(corpus.TUNING)
TEST_SET = corpus.load_set(corpus.TEST)
TRIAGE = content.load().triage
# Shares measured on the tuning set with the engine of 3122bb2 (bench/triage_corpus.py).
FLOORS = {"doctor": 0.93, "medicine": 0.93, "expected": 0.95, "doctor or urgent": 0.70}
# The share of not_alarm sentences with 911, 988 or Poison Control in the first sentence: at most this.
ALARM_CEILING = 0.21
ALARMING = ("emergency", "crisis", "overdose")
# Complaints of the protocol whose emergencies the tuning set must cover well.
EMERGENCY_COMPLAINTS = ("chest_pain", "breathing", "back_pain", "legs_nerves", "fever", "consciousness", "fall",
                        "wound", "stroke", "allergy", "headache")


def test_the_tuning_set_is_large_and_covers_every_label_and_emergency_complaint():
    assert len(ENTRIES) >= 1200
    assert {e["level"] for e in ENTRIES} == set(corpus.LABELS)
    assert all(str(e.get("text") or "").strip() for e in ENTRIES)
    counts = collections.Counter(e.get("complaint") or e.get("family") for e in ENTRIES if e["level"] == "emergency")
    for complaint in EMERGENCY_COMPLAINTS:
        assert counts[complaint] >= 10, complaint
    levels = collections.Counter(e["level"] for e in ENTRIES)
    assert levels["crisis"] >= 30 and levels["overdose"] >= 30 and levels["urgent"] >= 30 and levels["not_alarm"] >= 150


def _said(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


def test_the_held_out_test_set_when_written_is_labelled_and_shares_no_sentence_with_the_tuning_set():
    if not TEST_SET:
        pytest.skip("tests/data/triage_test.yaml is not written yet")
    assert all(e.get("level") in corpus.LABELS and str(e.get("text") or "").strip() for e in TEST_SET)
    shared = {_said(e["text"]) for e in ENTRIES} & {_said(e["text"]) for e in TEST_SET}
    assert not shared, f"{len(shared)} sentences are in both sets"


def test_triage_alone_finds_every_emergency_and_raises_no_emergency_on_not_alarm():
    missed = [e["text"] for e in ENTRIES if e["level"] in ALARMING and TRIAGE.classify(e["text"]).level != "emergency"]
    alarms = [e["text"] for e in ENTRIES if e["level"] == "not_alarm" and TRIAGE.classify(e["text"]).level == "emergency"]
    assert not missed and not alarms


@pytest.fixture(scope="module")
def heard():
    return corpus.run(ENTRIES)


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_every_emergency_crisis_and_overdose_gets_the_instruction_first_in_every_state(heard, state):
    missed = [(s.text, s.intent, s.speech[:60]) for s in heard
              if s.state == state and s.level in ALARMING and not s.emergency_first]
    assert not missed


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_every_answer_but_a_topic_answer_carries_a_911_sentence(heard, state):
    missing = [(s.text, s.answer) for s in heard if s.state == state and s.needs_safety_line and not s.safety_line]
    assert not missing


@pytest.mark.parametrize("state", list(corpus.STATES))
def test_no_emergency_answer_to_a_not_alarm_sentence(heard, state):
    alarms = [s.text for s in heard if s.state == state and s.level == "not_alarm" and s.emergency_first]
    assert not alarms


def test_not_alarm_sentences_get_no_more_first_sentence_alarms_than_before(heard):
    group = [s for s in heard if s.level == "not_alarm"]
    share = sum(s.first_alarm for s in group) / len(group)
    assert share <= ALARM_CEILING, f"{share:.1%} of {len(group)}"


@pytest.mark.parametrize("level", sorted(FLOORS))
def test_doctor_urgent_medicine_and_expected_levels_hold_their_floor(heard, level):
    levels = ("urgent", "doctor") if level == "doctor or urgent" else (level,)
    group = [s for s in heard if s.level in levels]
    right = sum(s.right for s in group) / len(group)
    assert right >= FLOORS[level], f"{level}: {right:.1%} of {len(group)}"


def test_a_crisis_hears_988_and_an_overdose_poison_control_or_911(heard):
    wrong = [(s.state, s.text, s.answer) for s in heard if s.level in ("crisis", "overdose") and not s.right]
    assert not wrong


MET = {m.name for m in corpus.DONE_WHEN if m.name not in (
    "doctor or urgent", "medicine deferred, no permission words", "not_alarm: no alarm first")}


@pytest.mark.parametrize("measure", [
    pytest.param(m, id=m.name, marks=() if m.name in MET else
                 pytest.mark.xfail(strict=True, reason="engine work in progress"))
    for m in corpus.DONE_WHEN])
def test_issue_18_done_when_measures_on_the_tuning_set(heard, measure):
    hits, total, per = measure.figures(heard)
    assert measure.passed(heard), f"{measure.name}: {hits} of {total}, per state {per}"
