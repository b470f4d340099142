"""How corpus results are sorted: the kind of answer heard, and right, over, under or unrecognised.

The console's tester panel and the clinician's review both show these, so the sorting is
checked against the content's own answers, not copies of their words.
"""
from __future__ import annotations

import pytest

from skill import content as recovery_content
from skill.simulator.corpus import EMERGENCY_ANSWERS, Said, answer_kind, table

C = recovery_content.load()


def test_each_answer_of_the_content_is_told_apart():
    text = C.triage_text
    for kind in EMERGENCY_ANSWERS:
        assert answer_kind(text[kind]["answer"]) == kind
    assert answer_kind(f"{text['medicine']['answer']} {text['medicine']['fact']}") == "medicine"
    assert answer_kind(text["doctor"]["answer"].format(symptom_sentence="You mentioned tingling.")) == "doctor"
    expected = text["expected"]["answer"].format(fact=C.families["soreness"]["fact"])
    assert answer_kind(f"{expected} {text['expected']['when_to_call']}") == "expected"
    assert answer_kind(text["unknown"]["answer"]) == "unknown"
    assert answer_kind(C.topics["driving"].answer) == "other"


def said(level: str, answer: str, state: str = "one-shot") -> Said:
    heard = Said("a sentence", level, "a_family", state, None, "")
    heard.answer = answer
    return heard


@pytest.mark.parametrize("level, answer, outcome", [
    ("emergency", "emergency", "right"),
    ("emergency", "crisis", "right"),
    ("emergency", "just happened", "under"),       # 911 is said, but not first
    ("emergency", "unknown", "under"),             # an emergency is never merely "not recognised"
    ("doctor", "emergency", "over"),
    ("doctor", "unknown", "unrecognised"),
    ("doctor", "medicine", "under"),
    ("doctor", "expected", "under"),
    ("medicine", "doctor", "over"),
    ("expected", "fallback", "under"),
    ("not_symptom", "emergency", "over"),
    ("not_symptom", "other", "right"),
])
def test_an_answer_is_right_over_under_or_unrecognised_by_its_urgency(level, answer, outcome):
    assert said(level, answer).outcome == outcome


def test_the_table_counts_each_outcome_per_family_and_per_state():
    results = [said("doctor", "doctor"), said("doctor", "unknown"), said("doctor", "expected", "after launch"),
               said("doctor", "emergency", "after launch")]
    family = table(results)[("doctor", "a_family")]
    assert (family.total, family.right, family.unrecognised, family.under, family.over) == (4, 1, 1, 1, 1)
    states = table(results, "state")
    assert (states[("doctor", "one-shot")].right, states[("doctor", "after launch")].under) == (1, 1)
