"""RECOVERY_SKILL_REMEMBER=session: the surgery date lives in the session only, and the person is told so."""
from __future__ import annotations

import logging

import pytest

from skill.builder import skill_builder
from skill_tools.simulator import envelopes
from skill_tools.simulator.session import Conversation, LocalSettingsApi
from skill.storage.store import user_key
from tests.conftest import NOW


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """Session mode, with the environment pointing at an SQLite file that must never appear."""
    monkeypatch.setenv("RECOVERY_SKILL_REMEMBER", "session")
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "never.db"))
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    return tmp_path / "never.db"


def as_configured() -> Conversation:
    """The skill with the storage the environment configures, as Lambda builds it."""
    return Conversation(skill_builder(api_client=LocalSettingsApi("America/New_York")).lambda_handler(), now=NOW)


def give_date(talk, day="2026-11-10"):
    talk.intent("SetSurgeryDateIntent", {"date": day})
    return talk.intent("AMAZON.YesIntent")


def test_the_date_serves_the_session_and_the_person_hears_it_is_not_kept(db_path):
    talk = as_configured()
    offer = talk.launch()
    assert "I'll use it only while we talk" in offer.speech
    assert "remember" not in offer.speech
    talk.intent("AMAZON.YesIntent")
    saved = give_date(talk)
    assert "I'll use Tuesday, November 10th as the date of your surgery while we talk" in saved.speech
    assert "I don't keep it afterwards" in saved.speech
    assert "It has been 2 weeks since your surgery" in saved.speech
    assert "December 22nd" in talk.intent("LiftingIntent").speech, "later questions in the session use it"
    assert not db_path.exists(), "no store was opened, let alone written"

    talk.end()
    assert talk.intent("GetSurgeryDateIntent").speech.startswith("I don't have your surgery date yet")


def test_forget_takes_the_date_out_of_the_session(db_path):
    talk = as_configured()
    talk.launch()
    give_date(talk)
    talk.intent("ForgetSurgeryDateIntent")
    assert talk.intent("AMAZON.YesIntent").speech.startswith("Done. I've forgotten your surgery date.")
    assert talk.intent("GetSurgeryDateIntent").speech.startswith("I don't have your surgery date yet")


def test_a_store_given_to_the_skill_is_never_written(db_path, store):
    talk = Conversation.build(store, now=NOW)
    talk.launch()
    give_date(talk)
    talk.event("AlexaSkillEvent.SkillDisabled")
    assert store.load(user_key(envelopes.DEFAULT_USER)) == {}


def test_disabling_the_skill_in_session_mode_is_quiet(db_path, caplog):
    caplog.set_level(logging.INFO)
    turn = as_configured().event("AlexaSkillEvent.SkillDisabled")
    assert turn.response["response"] == {}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_a_mode_that_does_not_exist_stores_nothing_and_says_so_in_the_log(db_path, monkeypatch, caplog):
    monkeypatch.setenv("RECOVERY_SKILL_REMEMBER", "forever")
    caplog.set_level(logging.ERROR)
    talk = as_configured()
    assert "RECOVERY_SKILL_REMEMBER='forever'" in caplog.text
    talk.launch()
    give_date(talk)
    assert not db_path.exists()


def test_persistent_is_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("RECOVERY_SKILL_REMEMBER", raising=False)
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "kept.db"))
    talk = as_configured()
    talk.launch()
    talk.intent("AMAZON.YesIntent")
    assert "I'll remember that your surgery was on Tuesday, November 10th" in give_date(talk).speech
    talk.end()
    assert "November 10th" in talk.intent("GetSurgeryDateIntent").speech
