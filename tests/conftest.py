"""Shared fixtures: a person talking to the real skill through the Lambda entry point."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException

from skill_tools.simulator.processes import Ahead
from skill_tools.simulator.session import Conversation
from skill.speech import MAX_SSML
from skill.storage.sqlite import SQLiteAdapter

pytest_plugins = ["conftest_dynalite"]


def _ahead_modules(session) -> set:
    """Test modules with work to start ahead (``ahead_jobs``) whose ``ahead_results`` a test to run uses."""
    return {item.module for item in session.items if "ahead_results" in getattr(item, "fixturenames", ())
            and hasattr(getattr(item, "module", None), "ahead_jobs")}


def pytest_collection_finish(session):
    """A module's slowest work (the triage corpus, said to the whole skill) starts in a background process once
    the tests to run are known, and is mostly done alongside the others: the suite used both cores only there."""
    for module in _ahead_modules(session):
        module.ahead = Ahead(module.ahead_jobs())


def pytest_sessionfinish(session):
    for module in _ahead_modules(session):
        if module.ahead is not None:
            module.ahead.cancel()


# Tuesday 24 November 2026, 10:00 in New York.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


class BrokenStore(AbstractPersistenceAdapter):
    """Storage that is down: every call fails the way a real adapter reports it."""

    def __init__(self):
        self.calls = 0

    def _fail(self, *_, **__):
        self.calls += 1
        raise PersistenceException("store is down")

    get_attributes = save_attributes = delete_attributes = _fail


def check_ssml(doc: str) -> None:
    """Every answer: well-formed SSML inside <speak>, under Alexa's limit."""
    assert len(doc) <= MAX_SSML
    root = ET.fromstring(doc)
    assert root.tag == "speak"


class CheckedConversation(Conversation):
    def send(self, event, keep_session=False):
        turn = super().send(event, keep_session)
        for doc in (turn.ssml, (turn.body.get("reprompt") or {}).get("outputSpeech", {}).get("ssml")):
            if doc:
                check_ssml(doc)
        if turn.ssml and turn.card:
            assert turn.card == turn.speech, "the card carries the same words as the speech"
        return turn


@pytest.fixture(autouse=True)
def fresh_zone_cache():
    """Each test's devices start unknown (their time zone and country), as in a new Lambda container,
    and a handler called on its own speaks the default locale's content, whatever a test before used."""
    from skill import clock, place
    from skill import content as recovery_content

    clock._zone_cache.clear()
    place._cache.clear()
    recovery_content.use(None)
    yield
    clock._zone_cache.clear()
    place._cache.clear()
    recovery_content.use(None)


@pytest.fixture
def store(tmp_path):
    return SQLiteAdapter(tmp_path / "recovery.db")


@pytest.fixture
def talk(store):
    """A conversation with a fresh store, at NOW, device in New York."""
    return CheckedConversation.build(store, zone="America/New_York", now=NOW)


@pytest.fixture
def talk_broken():
    return CheckedConversation.build(BrokenStore(), zone="America/New_York", now=NOW)
