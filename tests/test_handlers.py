"""One handler at a time: a real envelope (skill_tools.simulator.envelopes), deserialised as the skill
does, an in-memory store, the triage interceptor run as the builder runs it, then one handler's
can_handle and handle, and what Alexa would say (the card carries the same words as the speech).

Milliseconds each: no simulator, no language understanding, no Lambda wrapper. The conversation
and corpus tests say the same things through the whole skill.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.services import ApiConfiguration, ServiceClientFactory

from skill import content as recovery_content
from skill import dialog, interceptors, triage
from skill.handlers import ANSWERING, REQUEST_HANDLERS, reminders, surgery_date, symptoms, system, topics
from skill.interceptors import TriageInterceptor
from skill.serializer import EnvelopeSerializer
from skill_tools.simulator import envelopes
from skill_tools.simulator.corpus import MemoryStore
from skill_tools.simulator.session import LocalSettingsApi

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)   # Tuesday 24 November 2026, 10:00 in New York
C = recovery_content.load()
P = C.phrases


@pytest.fixture(autouse=True)
def persistent(monkeypatch):
    monkeypatch.delenv("RECOVERY_SKILL_REMEMBER", raising=False)


def request(event: dict, store: MemoryStore | None = None) -> HandlerInput:
    """The HandlerInput the skill's handlers get for ``event`` (the device in New York, the Alexa
    APIs answered locally), after the triage interceptor."""
    serializer = EnvelopeSerializer()
    envelope = serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    manager = AttributesManager(request_envelope=envelope, persistence_adapter=store or MemoryStore())
    apis = ServiceClientFactory(ApiConfiguration(serializer=serializer, api_client=LocalSettingsApi("America/New_York"),
                                                 authorization_value="local-token",
                                                 api_endpoint=envelopes.API_ENDPOINT))
    handler_input = HandlerInput(request_envelope=envelope, attributes_manager=manager, service_client_factory=apis)
    TriageInterceptor().process(handler_input)
    return handler_input


def said(event: dict, handler, store: MemoryStore | None = None):
    """(the words Alexa would say, whether the session ends, the session attributes after) when
    ``handler`` answers ``event``; it must be the handler that takes it."""
    handler_input = request(event, store)
    assert handler.can_handle(handler_input)
    response = handler.handle(handler_input)
    words = response.card.content if response.card is not None else ""
    return words, response.should_end_session, handler_input.attributes_manager.session_attributes


def intent(name, slots=None, state=None, **session):
    attributes = {"state": state, **session} if state else session
    return envelopes.intent(name, slots, now=NOW, session_attributes=attributes, new=False)


def stored_date(day="2026-11-17") -> MemoryStore:
    store = MemoryStore()
    store.records[envelopes.DEFAULT_USER] = {"surgery_date": day}
    return store


# ---------------------------------------------------------------- the interceptor


def test_the_verdict_is_worked_out_once_a_request_and_only_read_by_the_handlers(monkeypatch):
    calls = []
    rules = recovery_content.load().triage          # as loaded now (other tests may have loaded it again)
    classify = rules.classify
    monkeypatch.setattr(rules, "classify", lambda *a, **k: calls.append(a) or classify(*a, **k))
    handler_input = request(intent("SymptomIntent", {"symptom": "my toes tingle"}))
    assert len(calls) == 1                      # the one slot, for an emergency and as the person's own words
    assert not symptoms.EmergencyHandler().can_handle(handler_input)
    symptoms.SymptomHandler().handle(handler_input)
    assert len(calls) == 1
    assert interceptors.verdict(handler_input).level == triage.DOCTOR


def test_an_intent_that_is_an_emergency_by_its_samples_names_its_family_from_the_data():
    handler_input = request(intent("CrisisIntent"))
    assert interceptors.verdict(handler_input).family == C.handling["intent_families"]["CrisisIntent"]
    assert set(C.handling["intent_families"]) <= interceptors.EMERGENCY_INTENTS


def test_requests_that_are_no_intent_have_no_verdict():
    handler_input = request(envelopes.launch(now=NOW))
    assert interceptors.verdict(handler_input) is None and interceptors.emergency_verdict(handler_input) is None


# ---------------------------------------------------------------- symptoms


def test_an_emergency_in_any_intent_gets_911_first_and_ends_the_session():
    words, ends, _ = said(intent("DescribeIntent", {"description": "my husband can't breathe"}),
                          symptoms.EmergencyHandler())
    assert words.startswith("Call 911 now.") and ends


def test_crisis_words_by_their_samples_get_988():
    words, ends, _ = said(intent("CrisisIntent"), symptoms.EmergencyHandler())
    assert words.startswith(C.triage_text["crisis"]["answer"][:40]) and "988" in words and ends


def test_what_if_is_a_plan_not_an_alarm():
    event = intent("WhatIfIntent", {"situation": "i fall"})
    assert not symptoms.EmergencyHandler().can_handle(request(event))
    words, ends, _ = said(event, symptoms.WhatIfHandler())
    assert words.startswith(P["plan_ahead"]) and not ends


@pytest.mark.parametrize("situation", ["i fall", "i have chest pain after taking my pain pills"])
def test_what_if_is_a_plan_even_with_a_medicine_in_it(situation):
    words, ends, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert words.startswith(P["plan_ahead"]) and not ends


@pytest.mark.parametrize("situation", ["i throw up right after my pill do i take another one",
                                       "my pain pills make me dizzy"])
def test_what_if_about_a_medicine_goes_to_the_pharmacist(situation):
    words, ends, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert words.startswith(C.triage_text["medicine"]["answer"][:40]) and "911" in words and not ends


@pytest.mark.parametrize("situation", ["my wound gets red and hot", "i get a fever"])
def test_what_if_without_a_medicine_keeps_its_level(situation):
    words, _, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert words.startswith(P["if_doctor"])


def test_what_if_with_crisis_words_gets_988():
    situation = "i took the whole bottle, i kinda want to"
    words, ends, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert words.startswith(C.triage_text["crisis"]["answer"][:40]) and ends


def test_what_if_with_a_now_word_is_an_emergency_now():
    words, ends, _ = said(intent("WhatIfIntent", {"situation": "he can't breathe right now"}), symptoms.WhatIfHandler())
    assert words.startswith("Call 911 now.") and ends


@pytest.mark.parametrize("situation, first", [
    ("you took too many hydromorphone because i think i did about six", "Call 911 now"),
    ("my chest pain comes back, well actually its back now", "Call 911 now."),
    ("i fall, i did last year", None),
])
def test_what_if_said_to_be_happening_is_an_emergency_now(situation, first):
    """"What if you took too many, because I think I did": asked, then told as done."""
    words, ends, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert (words.startswith(first) and ends) if first else words.startswith(P["plan_ahead"])


def test_a_doctor_level_symptom_asks_its_one_question_first():
    words, _, session = said(intent("SymptomIntent", {"symptom": "my legs are numb"}), symptoms.SymptomHandler())
    ask = C.families["leg_numbness"]["ask"]
    assert words == ask["question"]
    assert session["state"] == dialog.TRIAGE_QUESTION and session["ask_family"] == "leg_numbness"


def test_words_that_name_nothing_said_to_the_question_get_the_higher_answer():
    event = intent("DescribeIntent", {"description": "the blue one"}, dialog.TRIAGE_QUESTION, ask_family="leg_numbness")
    words, ends, _ = said(event, symptoms.TriageAnswerHandler())
    assert words.startswith("Call 911 now.") and ends


# ---------------------------------------------------------------- yes, no, cancel, fallback: the table


@pytest.mark.parametrize("state, answer", [(s, a) for s in dialog.TABLE
                                           for a in ("yes", "no", "cancel", "fallback", "silence")])
def test_every_answer_in_every_state_means_something_the_handlers_do(state, answer):
    action = getattr(dialog.TABLE[state], answer)
    assert action == dialog.REPROMPT if answer == "silence" else action in system.ANSWERS


def test_yes_to_hear_more_tells_the_topics_longer_answer():
    words, _, session = said(intent("AMAZON.YesIntent", state=dialog.OFFER_MORE, topic="driving"), system.YesHandler())
    assert words == f"{C.topics['driving'].more} {P['what_else']}"
    assert "state" not in session


def test_yes_to_the_date_read_back_stores_it():
    store = MemoryStore()
    event = intent("AMAZON.YesIntent", state=dialog.CONFIRM_DATE, pending_date="2026-11-10")
    words, _, _ = said(event, system.YesHandler(), store)
    assert words.startswith("Thank you. I'll remember that your surgery was on")
    assert store.records[envelopes.DEFAULT_USER]["surgery_date"] == "2026-11-10"


def test_no_to_forgetting_keeps_the_date():
    store = stored_date()
    words, _, _ = said(intent("AMAZON.NoIntent", state=dialog.CONFIRM_FORGET), system.NoHandler(), store)
    assert words == f"{P['forget_kept']} {P['what_else']}"
    assert store.records[envelopes.DEFAULT_USER]["surgery_date"] == "2026-11-17"


def test_yes_and_no_to_the_clarifying_question():
    family = C.families["leg_numbness"]
    yes, yes_ends, _ = said(intent("AMAZON.YesIntent", state=dialog.TRIAGE_QUESTION, ask_family="leg_numbness"),
                            system.YesHandler())
    no, _, _ = said(intent("AMAZON.NoIntent", state=dialog.TRIAGE_QUESTION, ask_family="leg_numbness"),
                    system.NoHandler())
    assert C.families[family["ask"]["if_yes"]]["level"] == triage.EMERGENCY
    assert yes.startswith("Call 911 now.") and yes_ends
    assert "call your doctor or surgeon today" in no


@pytest.mark.parametrize("state", [dialog.CONFIRM_DATE, dialog.ASK_DAY, dialog.CONFIRM_FORGET])
def test_cancel_during_a_date_question_cancels_only_the_question(state):
    words, ends, session = said(intent("AMAZON.CancelIntent", state=state), system.StopHandler())
    assert words == f"{P['cancelled']} {P['what_else']}" and not ends and "state" not in session


def test_stop_is_goodbye_in_every_state():
    words, ends, _ = said(intent("AMAZON.StopIntent", state=dialog.CONFIRM_DATE), system.StopHandler())
    assert words == P["goodbye"] and ends


def test_a_fallback_during_a_yes_or_no_question_asks_it_again():
    event = envelopes.launch(now=NOW)
    launch = request(event)
    system.LaunchHandler().handle(launch)       # "... Would you like me to remember the date of your surgery ...?"
    session = launch.attributes_manager.session_attributes
    words, ends, after = said(intent("AMAZON.FallbackIntent", **session), system.FallbackHandler())
    assert words.startswith(P["say_yes_or_no"]) and words.endswith(P["offer_date"]) and not ends
    assert after["state"] == dialog.OFFER_DATE


def test_a_fallback_with_nothing_pending_is_not_understood():
    words, _, _ = said(intent("AMAZON.FallbackIntent"), system.FallbackHandler())
    assert words == f"{P['fallback']} {P['what_else']}"


# ---------------------------------------------------------------- launch, topics, the date, reminders


def test_launch_offers_to_remember_the_date_when_there_is_none():
    words, _, session = said(envelopes.launch(now=NOW), system.LaunchHandler())
    assert words.endswith(P["offer_date"]) and session["state"] == dialog.OFFER_DATE


def test_launch_with_a_date_says_how_long_ago():
    words, _, session = said(envelopes.launch(now=NOW), system.LaunchHandler(), stored_date())
    assert words.startswith(P["welcome_back"]) and "7 days since your surgery" in words and "state" not in session


def test_a_lifting_question_with_a_date_offers_the_reminder():
    words, _, session = said(intent("LiftingIntent"), topics.TopicHandler(), stored_date())
    assert words.startswith(C.topic_for_intent("LiftingIntent").answer)
    assert words.endswith(P["reminder_offer"].split("{date}")[1]) and "December 29th" in words
    assert session["state"] == dialog.OFFER_REMINDER


def test_a_month_alone_asks_which_day():
    words, _, session = said(intent("SetSurgeryDateIntent", {"date": "2026-11"}), surgery_date.SetSurgeryDateHandler())
    assert words == P["ask_day"].format(month="November")
    assert session["state"] == dialog.ASK_DAY and session["pending_month"] == 11


def test_forgetting_asks_first():
    words, _, session = said(intent("ForgetSurgeryDateIntent"), surgery_date.ForgetSurgeryDateHandler(), stored_date())
    assert words == P["confirm_forget"] and session["state"] == dialog.CONFIRM_FORGET


def test_no_reminder_to_cancel():
    words, _, _ = said(intent("CancelReminderIntent"), reminders.CancelReminderHandler(), stored_date())
    assert words == f"{P['reminder_nothing_to_cancel']} {P['what_else']}"


# ---------------------------------------------------------------- name-free queries


def _can_fulfill(name):
    event = envelopes.envelope({"type": "CanFulfillIntentRequest", "requestId": "amzn1.echo-api.request.1",
                                "timestamp": envelopes.timestamp(NOW), "locale": "en-US",
                                "intent": {"name": name, "confirmationStatus": "NONE", "slots": {}}},
                               new=True)
    handler_input = request(event)
    handler = system.CanFulfillIntentHandler(ANSWERING)
    assert handler.can_handle(handler_input)
    return handler.handle(handler_input).can_fulfill_intent.can_fulfill.value


def test_a_name_free_query_is_fulfilled_when_a_handler_answers_the_intent():
    assert _can_fulfill("DrivingIntent") == "YES"
    assert _can_fulfill("EmergencyIntent") == "YES"
    assert _can_fulfill("AMAZON.FallbackIntent") == "NO"


def test_the_handlers_are_registered_in_their_order():
    assert REQUEST_HANDLERS[0] is symptoms.EmergencyHandler
    assert REQUEST_HANDLERS[-3:] == (system.CanFulfillIntentHandler, system.UnknownIntentHandler,
                                     system.NoAnswerHandler)


@pytest.mark.parametrize("situation, now", [
    ("someone is having a stroke my wife's face is drooping", True),
    ("someone is having a heart attack my husband is clutching his chest", True),
    ("someone is having a stroke", False),
    ("my husband collapses", False),
])
def test_what_if_about_anyone_then_a_person_of_the_house_is_an_emergency_now(situation, now):
    """"How can I tell if {someone is having a stroke, my wife's face is drooping}": Alexa drops the comma and the
    question's "if"; the wife named after the question about anyone is a report of now, 911 first."""
    words, ends, _ = said(intent("WhatIfIntent", {"situation": situation}), symptoms.WhatIfHandler())
    assert (words.startswith("Call 911 now.") and ends) if now else words.startswith(P["plan_ahead"])
