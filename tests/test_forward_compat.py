"""What Alexa sends next year still gets an answer: enum values and kinds newer than ask-sdk-model,
envelopes missing parts, and envelopes beyond any sane size, through Lambda and the web endpoint.

The property-based test finds every enum field of real envelopes from ask-sdk-model's own type
descriptions (so a field the SDK adds is mutated too) and changes any of them to anything.
"""
from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import logging
import re
from enum import Enum
from pathlib import Path

import pytest
from ask_sdk_model import RequestEnvelope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill import envelope_limits
from skill.builder import skill_builder
from skill_tools.simulator import envelopes
from skill_tools.simulator.session import LocalSettingsApi
from skill.storage.sqlite import SQLiteAdapter
from skill.storage.store import user_key
from skill_tools.web.app import create_app
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parents[1]
USER = envelopes.DEFAULT_USER
REFUSAL = "Sorry, something went wrong"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return SQLiteAdapter(tmp_path_factory.mktemp("forward") / "recovery.db")


@pytest.fixture(scope="module")
def lambda_handler(db):
    """The Lambda entry point's handler (lambda_function.py's), on a test store and the local settings API."""
    return skill_builder(persistence_adapter=db, api_client=LocalSettingsApi("America/New_York")).lambda_handler()


@pytest.fixture(scope="module")
def web(db):
    skill = skill_builder(persistence_adapter=db, api_client=LocalSettingsApi("America/New_York")).create()
    return create_app(skill, verify=False).test_client()


def speech(answer: dict) -> str:
    return ((answer.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")


def is_911(answer: dict) -> bool:
    ssml = speech(answer)
    return "911</say-as> now" in ssml and REFUSAL not in ssml


# ------------------------------------------------------------------ real envelopes, every part filled


def echo_show(event: dict) -> dict:
    """An Echo Show 8's context as Alexa sends it today: the Viewport and the typed Viewports list."""
    event = copy.deepcopy(event)
    context = event["context"]
    context["Viewport"]["keyboard"] = ["DIRECTION"]
    context["Viewports"] = [{
        "type": "APL", "id": "main", "shape": "RECTANGLE", "dpi": 213, "presentationType": "STANDARD",
        "canRotate": False,
        "configuration": {"current": {"mode": "HUB", "video": {"codecs": ["H_264_42", "H_264_41"]},
                                      "size": {"type": "DISCRETE", "pixelWidth": 1280, "pixelHeight": 800}}},
    }]
    context["Extensions"] = {"available": {}}
    return event


def emergency() -> dict:
    symptom = envelopes.slot("symptom", "chest pain", resolved_id="CHEST_PAIN", slot_type="SymptomType")
    return echo_show(envelopes.intent(
        "EmergencyIntent", [symptom], now=NOW, dialog_state="STARTED", viewport="hub-medium",
        person_id="amzn1.ask.person.P", reminders_permission="GRANTED"))


def real_envelopes() -> dict[str, dict]:
    ended = envelopes.session_ended("ERROR", now=NOW)
    ended["request"]["error"] = {"type": "INVALID_RESPONSE", "message": "bad"}
    date = envelopes.intent("SetSurgeryDateIntent", {"date": "2026-11-10"}, now=NOW, dialog_state="IN_PROGRESS",
                            viewport="hub-round", reminders_permission="DENIED")
    return {
        "EmergencyIntent": emergency(),
        "SetSurgeryDateIntent": date,
        "SessionEndedRequest": ended,
        "LaunchRequest": echo_show(envelopes.launch(NOW, viewport="hub-medium")),
        "SkillEnabled": envelopes.skill_event("AlexaSkillEvent.SkillEnabled", NOW, reminders_permission="GRANTED"),
    }


def _load(name: str):
    module, _, cls = name.rpartition(".")
    return getattr(importlib.import_module(module), cls)


def enum_fields(data, kind=RequestEnvelope, path=()):
    """(path, enum class) of every enum field in ``data``, read with ask-sdk-model's type descriptions."""
    if data is None:
        return
    if isinstance(kind, str):
        listed = re.fullmatch(r"list\[(.*)\]", kind)
        mapped = re.fullmatch(r"dict\(([^,]*), (.*)\)", kind)
        if listed:
            for index, item in enumerate(data if isinstance(data, list) else []):
                yield from enum_fields(item, listed.group(1).strip(), path + (index,))
            return
        if mapped:
            for key, item in (data.items() if isinstance(data, dict) else []):
                yield from enum_fields(item, mapped.group(2).strip(), path + (key,))
            return
        if kind in ("str", "int", "float", "bool", "object", "datetime", "date"):
            return
        kind = _load(kind)
    if issubclass(kind, Enum):
        yield path, kind
        return
    if not isinstance(data, dict) or not hasattr(kind, "deserialized_types"):
        return
    if hasattr(kind, "get_real_child_model"):
        child = kind.get_real_child_model(data)
        kind = _load(child) if child else kind
    for attribute, key in kind.attribute_map.items():
        if key in data:
            yield from enum_fields(data[key], kind.deserialized_types[attribute], path + (key,))


REAL = real_envelopes()
FIELDS = {name: list(enum_fields(event)) for name, event in REAL.items()}


def test_the_real_envelopes_fill_the_enum_fields_alexa_sends():
    """The property test below is only as good as the fields it finds: these are the ones the issue names, and more."""
    found = {path[-1] if isinstance(path[-1], str) else path[-2] for fields in FIELDS.values() for path, _ in fields}
    assert {"dialogState", "confirmationStatus", "code", "shape", "mode", "touch", "keyboard", "codecs", "status",
            "reason", "type"} <= found, found
    assert len(FIELDS["EmergencyIntent"]) >= 12


def put(event: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        event = event[key]
    event[path[-1]] = value


# ------------------------------------------------------------------ what the issue found, one by one


NEWER = {
    "a dialogState the SDK does not know": (("request", "dialogState"), "NEW_STATE"),
    "an intent confirmationStatus it does not list": (("request", "intent", "confirmationStatus"), "PARTIALLY_CONFIRMED"),
    "a viewport shape it does not know": (("context", "Viewport", "shape"), "OVAL"),
    "a new entity-resolution status code": (
        ("request", "intent", "slots", "symptom", "resolutions", "resolutionsPerAuthority", 0, "status", "code"),
        "ER_SUCCESS_PARTIAL_MATCH"),
    "a slot value of a new kind": (("request", "intent", "slots", "symptom", "slotValue"),
                                   {"type": "Spoken", "value": "chest pain", "heard": ["chest", "pain"]}),
    "a viewport of a new type": (("context", "Viewports", 0, "type"), "HOLOGRAM"),
    "a touch kind it does not know": (("context", "Viewport", "touch"), ["MULTI", "PEN"]),
    "an enum value that is not even a string": (("request", "dialogState"), 7),
}


@pytest.mark.parametrize("case", NEWER)
def test_an_emergency_with_a_value_newer_than_the_sdk_still_gets_911(lambda_handler, web, caplog, case):
    path, value = NEWER[case]
    event = emergency()
    put(event, path, value)
    caplog.set_level(logging.WARNING)

    answer = lambda_handler(event, None)
    served = web.post("/", json=event)

    assert is_911(answer), speech(answer)
    assert answer["response"]["shouldEndSession"] is True
    assert served.status_code == 200, served.get_data(as_text=True)
    assert is_911(served.get_json())
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_a_request_without_context_system_is_answered_for_the_person_in_the_session(lambda_handler, db):
    db.save(user_key(USER), {"surgery_date": "2026-11-10"})
    event = envelopes.intent("GetSurgeryDateIntent", now=NOW)
    event["context"] = {"Viewport": event["context"].get("Viewport")} if "Viewport" in event["context"] else {}
    assert "November 10th" in speech(lambda_handler(event, None))
    db.delete(user_key(USER))


def test_an_event_without_context_system_or_session_is_refused_not_raised(lambda_handler, caplog):
    event = envelopes.skill_event("AlexaSkillEvent.SkillEnabled", NOW)
    event["context"] = {}
    caplog.set_level(logging.WARNING)
    answer = lambda_handler(event, None)
    assert REFUSAL in speech(answer)
    assert "neither context.System nor session" in caplog.text


def nested(levels: int) -> dict:
    value: dict = {}
    top = value
    for _ in range(levels - 1):
        value["a"] = {}
        value = value["a"]
    return top


LIMITS = {
    "400 levels of nesting in session.attributes": (nested(400), "nested deeper than"),
    "attributes just too deep": (nested(envelope_limits.MAX_ATTRIBUTE_DEPTH + 1), "session.attributes nested deeper"),
    "attributes over the size limit": ({"x": "y" * envelope_limits.MAX_ATTRIBUTE_BYTES}, "session.attributes over"),
    "attributes not an object": ([1, 2, 3], "session.attributes is not a JSON object"),
}


@pytest.mark.parametrize("case", LIMITS)
def test_attributes_past_the_limits_are_refused_cleanly(lambda_handler, web, caplog, case):
    attributes, reason = LIMITS[case]
    event = emergency()
    event["session"]["attributes"] = attributes
    caplog.set_level(logging.WARNING)

    answer = lambda_handler(event, None)
    served = web.post("/", json=event)

    assert REFUSAL in speech(answer) and "911" in speech(answer), "the refusal still names 911"
    assert served.status_code == 400
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(lines) == 2 and all(reason in line for line in lines), lines
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_attributes_inside_the_limits_are_the_skills_own_and_kept(lambda_handler):
    event = envelopes.intent("LiftingIntent", now=NOW, new=False, session_attributes={
        "state": "offer_more", "deep": nested(envelope_limits.MAX_ATTRIBUTE_DEPTH - 1)})
    answer = lambda_handler(event, None)
    assert REFUSAL not in speech(answer)


@pytest.mark.parametrize("payload", [{}, [], "text", 7, None, {"request": {"type": 5}},
                                     {"version": "1.0", "request": {"type": "LaunchRequest"}}])
def test_what_is_not_an_envelope_gets_the_refusal_never_an_exception(lambda_handler, payload):
    answer = lambda_handler(payload, None)
    assert REFUSAL in speech(answer) and answer["response"]["shouldEndSession"] is True


# ------------------------------------------------------------------ every enum field, anything in it

NEW_VALUES = (st.sampled_from(["NEW_STATE", "UNKNOWN", "", "ER_SUCCESS_PARTIAL", "OVAL", "none", "Completed"])
              | st.text(max_size=24) | st.none() | st.integers() | st.booleans()
              | st.lists(st.text(max_size=6), max_size=2) | st.dictionaries(st.text(max_size=4), st.text(max_size=4),
                                                                            max_size=2))
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_any_value_in_any_enum_field_is_answered(lambda_handler, web, data):
    name = data.draw(st.sampled_from(sorted(REAL)), label="envelope")
    event = copy.deepcopy(REAL[name])
    fields = FIELDS[name]
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=len(fields), unique=True), label="fields")
    for path, _ in chosen:
        put(event, path, data.draw(NEW_VALUES, label="/".join(map(str, path))))

    answer = lambda_handler(event, None)
    served = web.post("/", json=event)

    assert REFUSAL not in speech(answer), "a value the SDK does not know is no reason to refuse"
    assert served.status_code == 200
    if name == "EmergencyIntent":
        assert is_911(answer) and is_911(served.get_json())
    assert served.get_json()["response"] == answer["response"]


def test_the_lambda_module_serves_the_same_handler(tmp_path, monkeypatch):
    """lambda_function.py, as Lambda loads it, reads a newer value too."""
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "lambda.db"))
    monkeypatch.delenv("RECOVERY_SKILL_DYNAMODB_TABLE", raising=False)
    monkeypatch.delenv("RECOVERY_SKILL_ID", raising=False)
    spec = importlib.util.spec_from_file_location("lambda_function_fc", ROOT / "lambda" / "lambda_function.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    event = emergency()
    event["request"]["dialogState"] = "NEW_STATE"
    del event["context"]["System"]["apiAccessToken"]
    assert is_911(module.lambda_handler(json.loads(json.dumps(event)), None))


def test_a_skill_event_with_an_empty_user_id_is_refused_not_a_500(lambda_handler, web):
    """Found by test_web's mutations: SkillDisabled for the user "" raised, to be retried for ever (HTTP 500)."""
    event = envelopes.skill_event("AlexaSkillEvent.SkillDisabled", NOW)
    event["context"]["System"]["user"]["userId"] = ""
    assert REFUSAL in speech(lambda_handler(event, None))
    assert web.post("/", json=event).status_code == 400


# Timestamps are read by Python's ISO 8601 reader (dateutil's took a tenth of a warm request); what it cannot
# read still goes to dateutil, so a form Alexa might send some day is read the same, not refused.
@pytest.mark.parametrize("stamp", ["2026-11-24T15:00:00Z", "2026-11-24T15:00:00.250Z", "2026-11-24T10:00:00-05:00",
                                   "Tue, 24 Nov 2026 15:00:00 GMT"])
def test_every_form_of_the_timestamp_is_the_same_moment(stamp):
    from datetime import datetime, timezone

    from skill.serializer import EnvelopeSerializer

    event = envelopes.launch(NOW)
    event["request"]["timestamp"] = stamp
    read = EnvelopeSerializer().deserialize(json.dumps(event), RequestEnvelope).request.timestamp
    assert read.replace(microsecond=0) == datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
