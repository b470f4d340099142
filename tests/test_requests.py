"""Every request Alexa can send gets a proper answer through the real Lambda entry point.

Envelopes are JSON dicts in the shapes Alexa sends (taken from Alexa's documentation and
public skills), including request types the skill does not use, request types newer than
ask-sdk-model, and old envelopes without ``context``.
"""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from skill_tools.simulator import envelopes
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[1]
USER = envelopes.DEFAULT_USER
STAMP = envelopes.timestamp(NOW)


@pytest.fixture
def lambda_handler(tmp_path, monkeypatch):
    """``lambda_function.lambda_handler`` as Lambda loads it, storing in a fresh SQLite file."""
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "lambda.db"))
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    monkeypatch.delenv("RECOVERY_SKILL_ID", raising=False)
    spec = importlib.util.spec_from_file_location("lambda_function_under_test", ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler


@pytest.fixture
def db(tmp_path):
    return SQLiteAdapter(tmp_path / "lambda.db")


def request(kind: str, **fields) -> dict:
    return {"type": kind, "requestId": "amzn1.echo-api.request.1", "timestamp": STAMP, "locale": "en-US", **fields}


def in_session(body: dict, **kw) -> dict:
    return envelopes.envelope(body, session_attributes={"state": "offer_more", "topic": "pain"}, new=False, **kw)


def event(body: dict) -> dict:
    return envelopes.envelope(body, with_session=False)


# Request types the skill has nothing to say to: real shapes, one of each interface.
QUIET = {
    "SkillAccountLinked": event(request("AlexaSkillEvent.SkillAccountLinked", body={"accessToken": "token"})),
    "SkillPermissionAccepted": event(request(
        "AlexaSkillEvent.SkillPermissionAccepted",
        body={"acceptedPermissions": [{"scope": "alexa::alerts:reminders:skill:readwrite"}]})),
    "SkillPermissionChanged": event(request(
        "AlexaSkillEvent.SkillPermissionChanged", body={"acceptedPermissions": []})),
    "SkillProactiveSubscriptionChanged": event(request(
        "AlexaSkillEvent.ProactiveSubscriptionChanged", body={"subscriptions": []})),
    "PlaybackController.PlayCommandIssued": event(request("PlaybackController.PlayCommandIssued")),
    "PlaybackController.NextCommandIssued": event(request("PlaybackController.NextCommandIssued")),
    "AudioPlayer.PlaybackStopped": event(request(
        "AudioPlayer.PlaybackStopped", token="track-1", offsetInMilliseconds=1000)),
    "Display.ElementSelected": in_session(request("Display.ElementSelected", token="pain")),
    # A purchase flow's answer: the skill sells nothing (its AskFor answers are the reminder's, tested there).
    "Connections.Response": in_session(request(
        "Connections.Response", name="Buy", status={"code": "200", "message": "OK"},
        payload={"purchaseResult": "ACCEPTED", "productId": "amzn1.adg.product.x"}, token="")),
    "Alexa.Presentation.APL.UserEvent": in_session(request(
        "Alexa.Presentation.APL.UserEvent", token="screen", arguments=["topic", "pain"],
        source={"type": "TouchWrapper", "handler": "Press", "id": "pain"})),
    "Messaging.MessageReceived": event(request("Messaging.MessageReceived", message={"text": "hello"})),
    # A type newer than the installed ask-sdk-model: it cannot map it to a class.
    "a request type ask-sdk-model does not know": in_session(request(
        "Alexa.Future.SomethingNew", payload={"anything": [1, 2]})),
}


@pytest.mark.parametrize("name", QUIET)
def test_events_and_unspoken_requests_get_an_empty_answer_and_one_info_line(lambda_handler, db, caplog, name):
    db.save(user_key(USER), {"surgery_date": "2026-11-10"})
    caplog.set_level(logging.DEBUG)

    answer = lambda_handler(QUIET[name], None)

    assert answer["version"] == "1.0"
    assert answer["response"] == {}
    assert not [r for r in caplog.records if r.levelno > logging.INFO], caplog.text
    assert len([r for r in caplog.records if r.name.startswith("skill")]) <= 1, caplog.text
    assert db.load(user_key(USER)) == {"surgery_date": "2026-11-10"}, "an event leaves the stored date alone"


def test_an_answer_to_an_unspoken_request_keeps_the_session_as_it_was(lambda_handler):
    answer = lambda_handler(QUIET["Alexa.Presentation.APL.UserEvent"], None)
    assert answer["sessionAttributes"] == {"state": "offer_more", "topic": "pain"}


OLD_SESSION_USER = "amzn1.ask.account.OLD"


def without_context(body: dict) -> dict:
    """An envelope from before ``context`` existed: application and user only in ``session``."""
    return {
        "version": "1.0",
        "session": {
            "new": False,
            "sessionId": "SessionId.1234",
            "application": {"applicationId": envelopes.SKILL_ID},
            "attributes": {},
            "user": {"userId": OLD_SESSION_USER},
        },
        "request": body,
    }


def test_a_session_ended_request_without_context_ends_quietly(lambda_handler, caplog):
    caplog.set_level(logging.INFO)
    body = {"type": "SessionEndedRequest", "requestId": "EdwRequestId.1234", "timestamp": "2016-05-27T05:55:21Z",
            "reason": "USER_INITIATED"}
    answer = lambda_handler(without_context(body), None)
    assert answer["response"] == {}
    assert not [r for r in caplog.records if r.levelno > logging.INFO], caplog.text


def test_a_question_without_context_is_answered_for_the_person_in_the_session(lambda_handler, db):
    db.save(user_key(OLD_SESSION_USER), {"surgery_date": "2026-11-10"})
    body = request("IntentRequest", intent={"name": "GetSurgeryDateIntent", "confirmationStatus": "NONE", "slots": {}})
    speech = lambda_handler(without_context(body), None)["response"]["outputSpeech"]["ssml"]
    assert "November 10th" in speech


def say(lambda_handler, name: str, **kw) -> dict:
    return lambda_handler(envelopes.intent(name, now=NOW, **kw), None)["response"]


def test_an_intent_the_model_lacks_gets_the_fallback_answer(lambda_handler, caplog):
    caplog.set_level(logging.INFO)
    fallback = say(lambda_handler, "AMAZON.FallbackIntent")
    unknown = say(lambda_handler, "AMAZON.PauseIntent")

    assert unknown["outputSpeech"] == fallback["outputSpeech"]
    assert "911" in unknown["outputSpeech"]["ssml"], "anything not understood carries the emergency sentence"
    assert not unknown.get("shouldEndSession")
    assert "something went wrong" not in unknown["outputSpeech"]["ssml"]
    # (the settings API, asked for the device's country, is out of reach here: that warning is expected)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "skill.clock"], caplog.text


def test_an_unknown_intent_while_a_question_is_open_keeps_the_question(lambda_handler):
    """The same path as the fallback intent: a pending "yes or no" is not lost."""
    attrs = {"state": "confirm_forget", "last_speech": {"ssml": "<speak>Forget it?</speak>", "reprompt":
                                                         "<speak>Should I forget it?</speak>", "text": "Forget it?"}}
    sent = envelopes.intent("SomethingNewIntent", now=NOW, session_attributes=attrs, new=False)
    answer = lambda_handler(sent, None)
    assert "Should I forget it?" in answer["response"]["outputSpeech"]["ssml"]
    assert answer["sessionAttributes"]["state"] == "confirm_forget"


def can_fulfill(lambda_handler, intent: str, slots: dict | None = None) -> dict:
    body = request("CanFulfillIntentRequest", intent={"name": intent, "slots": slots or {}})
    return lambda_handler(envelopes.envelope(body), None)["response"]


def test_can_fulfill_a_question_the_skill_answers(lambda_handler, db):
    answer = can_fulfill(lambda_handler, "LiftingIntent")
    assert answer == {"canFulfillIntent": {"canFulfill": "YES"}}, "no speech, no card, nothing else"
    assert db.load(user_key(USER)) == {}


def test_can_fulfill_says_what_it_understood_of_each_slot(lambda_handler):
    known = envelopes.slot("symptom", "tingling", resolved_id="TINGLING", slot_type="SymptomType")
    unheard_of = envelopes.slot("symptom", "a strange feeling", slot_type="SymptomType")
    yes = can_fulfill(lambda_handler, "SymptomIntent", {"symptom": known})["canFulfillIntent"]
    maybe = can_fulfill(lambda_handler, "SymptomIntent", {"symptom": unheard_of})["canFulfillIntent"]
    assert yes == {"canFulfill": "YES", "slots": {"symptom": {"canUnderstand": "YES", "canFulfill": "YES"}}}
    assert maybe == {"canFulfill": "YES", "slots": {"symptom": {"canUnderstand": "MAYBE", "canFulfill": "YES"}}}


def test_cannot_fulfill_an_intent_no_handler_answers(lambda_handler):
    slots = {"sound": {"name": "sound", "value": "crickets", "confirmationStatus": "NONE"}}
    assert can_fulfill(lambda_handler, "PlaySoundIntent", slots) == {"canFulfillIntent": {"canFulfill": "NO"}}
    assert can_fulfill(lambda_handler, "AMAZON.FallbackIntent") == {"canFulfillIntent": {"canFulfill": "NO"}}


@pytest.mark.parametrize(
    "payload, why",
    [
        ({}, "no request.type"),
        ({"version": "1.0", "request": {"type": "LaunchRequest"}}, "neither context.System nor session"),
    ],
)
def test_what_is_not_an_alexa_envelope_is_refused_with_the_reason(lambda_handler, payload, why, caplog):
    """Refused, not raised: the answer is the apology with its 911 sentence, the log line says why."""
    caplog.set_level(logging.WARNING)
    answer = lambda_handler(payload, None)
    assert "911" in answer["response"]["outputSpeech"]["ssml"]
    assert answer["response"]["shouldEndSession"] is True
    assert [r.getMessage() for r in caplog.records] == [f"refused a request envelope: not an Alexa request envelope: {why}"]
