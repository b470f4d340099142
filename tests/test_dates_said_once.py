"""No answer says the same date twice: confirming a date said "Tuesday, November 10th" twice in a row,
and the lifting date came again in the reminder offer."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from skill import speech
from skill_tools.simulator import envelopes
from skill_tools.simulator.fake_reminders import FakeReminders
from skill.storage.store import user_key
from tests.conftest import NOW, CheckedConversation

ROOT = Path(__file__).resolve().parents[1]
MODEL = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
INTENTS = [i["name"] for i in MODEL["interactionModel"]["languageModel"]["intents"]]
DATE = re.compile(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)"
                  r"(?:, \d{4})?")


def dates_said_twice(text: str) -> list[str]:
    return [day for day, count in Counter(DATE.findall(text)).items() if count > 1]


def check(turn) -> None:
    for words in (turn.speech, turn.card or ""):
        assert not dates_said_twice(words), words


def test_confirming_a_date_says_it_once_and_the_lifting_date_once(store):
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW)
    talk.launch()
    talk.intent("AMAZON.YesIntent")
    asked = talk.intent("SetSurgeryDateIntent", {"date": "2026-11-10"})
    assert asked.speech.startswith("Tuesday, November 10th.")
    saved = talk.intent("AMAZON.YesIntent")
    assert saved.speech.count("Tuesday, November 10th") == 1, saved.speech
    assert saved.speech.count("Tuesday, December 22nd") == 1, saved.speech
    assert "It has been 2 weeks since your surgery." in saved.speech
    check(saved)


@pytest.mark.parametrize("surgery", ["2026-11-10", "2026-11-24", "2026-12-01", "2026-09-01", "2025-11-10"])
@pytest.mark.parametrize("reminders", [False, True], ids=["no-reminder", "reminder-granted"])
def test_no_answer_says_a_date_twice(store, surgery, reminders):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": surgery})
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, reminders=FakeReminders(granted=reminders))
    check(talk.launch())
    for intent in INTENTS:
        check(talk.intent(intent))
        if talk.last.end_session:
            check(talk.launch())
    for follow_up in ("LiftingIntent", "AMAZON.YesIntent", "AMAZON.YesIntent", "GetSurgeryDateIntent"):
        check(talk.intent(follow_up))


def test_each_date_once_keeps_the_first_and_refers_back_after():
    parts = ["I'll remember that your surgery was on Tuesday, November 10th.",
             "It has been 2 weeks since your surgery on Tuesday, November 10th.",
             "Wait until Tuesday, December 22nd.", "Shall I remind you on Tuesday, December 22nd, at 10?",
             "Your surgery is still ahead, in 9 days, on Tuesday, November 10th."]
    assert speech.each_date_once(parts) == [parts[0], "It has been 2 weeks since your surgery.", parts[2],
                                            "Shall I remind you on that day, at 10?",
                                            "Your surgery is still ahead, in 9 days."]
    assert speech.each_date_once(["Tuesday, November 10th, 2025 and Tuesday, November 10th"]) == \
        ["Tuesday, November 10th, 2025 and Tuesday, November 10th"], "another year is another date"
