"""The skill end to end, as a person hears it: real envelopes through the Lambda entry point."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest

from skill import content as recovery_content
from skill_tools.simulator import envelopes
from skill_tools.simulator.session import Conversation, LocalSettingsApi
from skill.storage.store import user_key
from tests.conftest import NOW, CheckedConversation

EMERGENCY_START = "Call 911 now."
EMERGENCY_ANSWER = recovery_content.load().triage_text["emergency"]["answer"]


def stored(store, user=envelopes.DEFAULT_USER):
    return store.load(user_key(user))


def set_date(talk, value=None, duration=None):
    slots = {}
    if value:
        slots["date"] = value
    if duration:
        slots["duration"] = duration
    return talk.intent("SetSurgeryDateIntent", slots)


# ------------------------------------------------------------------ launch and the date dialog


def test_first_launch_welcomes_and_offers_to_remember_the_date(talk):
    turn = talk.launch()
    assert turn.speech.startswith("Welcome to spine recovery helper.")
    assert "not medical advice" in turn.speech
    assert turn.speech.endswith("Would you like me to remember the date of your surgery, so I can tell you how far along you are?")
    assert "remember the date" in turn.reprompt
    assert not turn.end_session


def test_yes_to_the_offer_asks_for_the_date_then_reads_it_back_before_storing(talk, store):
    talk.launch()
    ask = talk.intent("AMAZON.YesIntent")
    assert ask.speech == "What date was your surgery? For example, you can say November tenth."
    assert ask.elicit == ("SetSurgeryDateIntent", "date")
    confirm = set_date(talk, "2026-11-10")
    assert confirm.speech == "Tuesday, November 10th. Is that right?"
    assert stored(store) == {}, "nothing is stored before the person confirms"
    saved = talk.intent("AMAZON.YesIntent")
    assert stored(store) == {"surgery_date": "2026-11-10"}
    assert "I'll remember that your surgery was on Tuesday, November 10th." in saved.speech
    assert "It has been 2 weeks since your surgery" in saved.speech
    assert "Wait about 4 weeks more, until Tuesday, December 22nd, before any heavy lifting." in saved.speech


@pytest.mark.parametrize(
    "value, duration, read_back, saved",
    [
        ("2026-11-10", None, "Tuesday, November 10th. Is that right?", "2026-11-10"),
        # Alexa resolves "november tenth" said on the 24th to next year's.
        ("2027-11-10", None, "Tuesday, November 10th. Is that right?", "2026-11-10"),
        ("XXXX-11-10", None, "Tuesday, November 10th. Is that right?", "2026-11-10"),
        ("2026-11-17", None, "Tuesday, November 17th. Is that right?", "2026-11-17"),  # "last tuesday"
        ("2026-11-23", None, "Monday, November 23rd. Is that right?", "2026-11-23"),  # "yesterday"
        ("2025-12-01", None, "Monday, December 1st, 2025. Is that right?", "2025-12-01"),
        (None, "P2W", "Tuesday, November 10th. Is that right?", "2026-11-10"),  # "two weeks ago"
        (None, "P10D", "Saturday, November 14th. Is that right?", "2026-11-14"),
        (None, "P1M", "Saturday, October 24th. Is that right?", "2026-10-24"),
        ("2026-W47", None, "Some time in the week of Monday, November 16th. To be safe, I'll count from "
                           "Sunday, November 22nd. Is that right?", "2026-11-22"),  # "last week"
    ],
)
def test_every_date_form_alexa_sends_is_read_back_and_stored(talk, store, value, duration, read_back, saved):
    turn = set_date(talk, value, duration)
    assert turn.speech == read_back
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == {"surgery_date": saved}


def test_a_month_alone_asks_for_the_day_and_combines_them(talk, store):
    ask = set_date(talk, "2026-11")
    assert ask.speech == "Which day in November was your surgery?"
    assert ask.elicit == ("SetSurgeryDateIntent", "date")
    # "the tenth": Alexa gives the next tenth, in December.
    confirm = set_date(talk, "2026-12-10")
    assert confirm.speech == "Tuesday, November 10th. Is that right?"
    talk.intent("AMAZON.YesIntent")
    assert stored(store)["surgery_date"] == "2026-11-10"


def test_a_future_date_means_the_surgery_is_ahead(talk, store):
    confirm = set_date(talk, "2026-12-03")
    assert confirm.speech == "That date is still ahead. Thursday, December 3rd. Is that right?"
    saved = talk.intent("AMAZON.YesIntent")
    assert "your surgery was on Thursday, December 3rd. Your surgery is still ahead, in 9 days." in saved.speech
    assert stored(store)["surgery_date"] == "2026-12-03"


def test_a_near_january_date_stays_in_the_future(talk):
    # "january fifth" said in late November is next year's January, six weeks ahead.
    assert "Tuesday, January 5th, 2027" in set_date(talk, "2027-01-05").speech


@pytest.mark.parametrize("value", ["2026-WI", "202X", "2027", "not a date", "2026-13-40", "2026-02-30"])
def test_dates_that_cannot_be_a_surgery_day_are_asked_again(talk, store, value):
    turn = set_date(talk, value)
    assert "I didn't catch the date." in turn.speech
    assert turn.elicit == ("SetSurgeryDateIntent", "date")
    assert stored(store) == {}


def test_a_date_years_ahead_is_refused(talk, store):
    turn = set_date(talk, "2029-05-01")
    assert turn.speech.startswith("That date is more than a year ahead.")
    assert stored(store) == {}


def test_words_where_a_duration_belongs_are_asked_again(talk):
    assert "I didn't catch the date." in set_date(talk, duration="two weeks").speech


def test_no_to_the_read_back_stores_nothing_and_asks_again(talk, store):
    set_date(talk, "2026-11-10")
    turn = talk.intent("AMAZON.NoIntent")
    assert turn.speech == "All right. What date was your surgery? For example, you can say November tenth."
    assert stored(store) == {}


def test_the_date_survives_a_new_session_and_launch_says_how_long_ago(talk):
    set_date(talk, "2026-11-10")
    talk.intent("AMAZON.YesIntent")
    talk.intent("AMAZON.StopIntent")
    turn = talk.launch()
    assert turn.speech.startswith("Welcome back to spine recovery helper.")
    assert "It has been 2 weeks since your surgery on Tuesday, November 10th." in turn.speech


def test_set_date_without_a_value_asks_for_it(talk):
    turn = talk.intent("SetSurgeryDateIntent")
    assert turn.speech.startswith("What date was your surgery?")
    assert turn.elicit == ("SetSurgeryDateIntent", "date")


# ------------------------------------------------------------------ forgetting


def test_forget_needs_confirmation_then_deletes(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    ask = talk.intent("ForgetSurgeryDateIntent")
    assert ask.speech == "Do you want me to forget your surgery date?"
    assert stored(store) == {"surgery_date": "2026-11-10"}
    done = talk.intent("AMAZON.YesIntent")
    assert done.speech.startswith("Done. I've forgotten your surgery date.")
    assert stored(store) == {}


def test_no_to_forget_keeps_the_date(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    talk.intent("ForgetSurgeryDateIntent")
    assert talk.intent("AMAZON.NoIntent").speech.startswith("All right, I'll keep it.")
    assert stored(store) == {"surgery_date": "2026-11-10"}


def test_forget_with_nothing_stored_says_so(talk):
    assert talk.intent("ForgetSurgeryDateIntent").speech.startswith("I don't have a surgery date saved")


def test_disabling_the_skill_deletes_the_record(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    store.save(user_key("someone-else"), {"surgery_date": "2026-10-01"})
    turn = talk.event("AlexaSkillEvent.SkillDisabled")
    assert "outputSpeech" not in turn.body
    assert stored(store) == {}
    assert stored(store, "someone-else") == {"surgery_date": "2026-10-01"}


def test_skill_enabled_event_is_answered_quietly(talk):
    assert "outputSpeech" not in talk.event("AlexaSkillEvent.SkillEnabled").body


# ------------------------------------------------------------------ timing advice


@pytest.mark.parametrize(
    "surgery, expected",
    [
        ("2026-11-10", ["It has been 2 weeks since your surgery on Tuesday, November 10th.",
                        "Wait about 4 weeks more, until Tuesday, December 22nd, before any heavy lifting."]),
        ("2026-11-21", ["It has been 3 days since your surgery", "Wait about 5 weeks and 4 days more, until Saturday, January 2nd, 2027"]),
        ("2026-10-01", ["It has been 7 weeks and 5 days", "The six weeks in the article's lifting guidance ended on Thursday, November 12th. That doesn't mean "
                        "heavy lifting is safe for you yet. Check with your surgeon before lifting anything heavy."]),
        ("2026-12-03", ["Your surgery is still ahead, in 9 days", "After surgery, plan on about six weeks without heavy lifting."]),
    ],
)
def test_lifting_advice_counts_from_the_stored_date(talk, store, surgery, expected):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": surgery})
    turn = talk.intent("LiftingIntent")
    assert turn.speech.startswith("Avoid heavy lifting for up to six weeks after your operation.")
    for sentence in expected:
        assert sentence in turn.speech


def test_pain_inside_and_after_the_usual_two_weeks(talk, store):
    key = user_key(envelopes.DEFAULT_USER)
    store.save(key, {"surgery_date": "2026-11-20"})
    assert "You are still inside the usual couple of weeks, so some pain is expected. Most often it eases by about Friday, December 4th." in talk.intent("PainIntent").speech
    store.save(key, {"surgery_date": "2026-11-01"})
    assert "The usual couple of weeks for pain have passed. If your pain lasts or gets worse, please tell your doctor." in talk.intent("PainIntent").speech


def test_without_a_date_timing_questions_offer_to_work_it_out(talk):
    assert "If you tell me the date of your surgery, I can work out these times for you." in talk.intent("LiftingIntent").speech


def test_get_surgery_date(talk, store):
    assert talk.intent("GetSurgeryDateIntent").speech.startswith("I don't have your surgery date yet.")
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    assert talk.intent("GetSurgeryDateIntent").speech.startswith("It has been 2 weeks since your surgery on Tuesday, November 10th.")


def test_today_is_the_devices_date_not_the_servers(store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    late_evening = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)  # 22:00 on the 24th in New York
    ny = CheckedConversation.build(store, zone="America/New_York", now=late_evening)
    tokyo = CheckedConversation.build(store, zone="Asia/Tokyo", now=late_evening, device_id="amzn1.ask.device.TOKYO")
    assert "It has been 2 weeks since" in ny.intent("GetSurgeryDateIntent").speech
    assert "It has been 2 weeks and 1 day since" in tokyo.intent("GetSurgeryDateIntent").speech


def test_unknown_or_unreachable_zone_falls_back_to_the_configured_one(store, monkeypatch):
    monkeypatch.setenv("RECOVERY_SKILL_TIMEZONE", "Asia/Tokyo")
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    late_evening = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    bad = CheckedConversation.build(store, zone="Mars/Olympus_Mons", now=late_evening,
                                    device_id="amzn1.ask.device.BADZONE")
    assert "It has been 2 weeks and 1 day since" in bad.intent("GetSurgeryDateIntent").speech


def test_the_device_zone_is_asked_once_and_cached(store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    api = LocalSettingsApi("America/Chicago")
    from skill.builder import skill_builder

    conv = Conversation(skill_builder(store, api).lambda_handler(), now=NOW, device_id="amzn1.ask.device.CACHE")
    conv.intent("LiftingIntent")
    conv.intent("PainIntent")
    conv.launch()
    assert api.calls == 1


# ------------------------------------------------------------------ topics, more, repeat, help


@pytest.mark.parametrize("topic", [t for t in recovery_content.load().topics.values() if t.more], ids=lambda t: t.intent)
def test_every_topic_answers_then_offers_more(talk, topic):
    turn = talk.intent(topic.intent)
    assert turn.speech.startswith(topic.answer)
    assert turn.speech.endswith("Would you like to hear more?")
    more = talk.intent("AMAZON.YesIntent")
    assert more.speech == f"{topic.more} What else would you like to know?"


# Asked for the poison control number, the skill says it (before, the question went to the fallback); the
# numbers come after a plain first sentence, so it is no alarm, and nothing more is offered
def test_the_numbers_to_keep_by_the_phone(talk):
    turn = talk.intent("HelpNumbersIntent")
    assert turn.speech.startswith("Here are the numbers to keep by the phone. In an emergency, call 911.")
    assert "Poison Control, 1-800-222-1222" in turn.speech and "988" in turn.speech
    assert turn.speech.endswith("What else would you like to know?")


def test_no_to_more_asks_what_else(talk):
    talk.intent("DrivingIntent")
    assert talk.intent("AMAZON.NoIntent").speech == "All right. What else would you like to know?"


def test_driving_sends_to_the_surgeon(talk):
    assert "ask your surgeon before you drive again" in talk.intent("DrivingIntent").speech


def test_repeat_says_the_last_answer_again_and_keeps_the_question(talk, store):
    first = set_date(talk, "2026-11-10")
    again = talk.intent("AMAZON.RepeatIntent")
    assert again.speech == first.speech
    assert again.reprompt == first.reprompt
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == {"surgery_date": "2026-11-10"}


def test_repeat_twice_and_repeat_at_the_start(talk):
    assert talk.intent("AMAZON.RepeatIntent").speech.startswith("I haven't said anything yet.")
    first = talk.intent("WalkingIntent")
    talk.intent("AMAZON.RepeatIntent")
    assert talk.intent("AMAZON.RepeatIntent").speech == first.speech


def test_help_gives_three_example_questions(talk):
    turn = talk.intent("AMAZON.HelpIntent")
    assert turn.speech.count("?") >= 4  # three examples and "what else"
    assert "when can I drive?" in turn.speech
    assert not turn.end_session


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"])
def test_stop_cancel_home_say_goodbye_and_end(talk, intent):
    turn = talk.intent(intent)
    assert turn.speech == "Goodbye. Take care of your back."
    assert turn.end_session


def test_cancel_during_a_question_cancels_only_the_question(talk, store):
    set_date(talk, "2026-11-10")
    turn = talk.intent("AMAZON.CancelIntent")
    assert turn.speech.startswith("All right, I've cancelled that.")
    assert not turn.end_session
    assert stored(store) == {}


def test_fallback_says_what_it_can_help_with(talk):
    turn = talk.intent("AMAZON.FallbackIntent")
    assert "pain, lifting, driving, walking" in turn.speech
    assert not turn.end_session


def test_fallback_during_a_yes_no_question_asks_it_again(talk, store):
    set_date(talk, "2026-11-10")
    turn = talk.intent("AMAZON.FallbackIntent")
    assert turn.speech == ("Please say yes or no. If you have a serious symptom, like chest pain, trouble breathing, "
                           "or a fall, call 911 now. Tuesday, November 10th. Is that right?")
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == {"surgery_date": "2026-11-10"}


def test_yes_out_of_the_blue_is_not_a_dead_end(talk):
    turn = talk.intent("AMAZON.YesIntent")
    assert turn.speech == "What else would you like to know?"
    assert not turn.end_session


def test_every_answer_keeps_the_session_open_with_a_reprompt(talk):
    for name in ["AboutProcedureIntent", "SymptomIntent", "GetSurgeryDateIntent", "AMAZON.HelpIntent",
                 "AMAZON.FallbackIntent", "AMAZON.NoIntent", "DescribeIntent", "WhatIfIntent"]:
        turn = talk.intent(name)
        assert not turn.end_session and turn.reprompt, name


def test_the_emergency_answer_says_it_twice_says_the_skill_cannot_call_and_closes_the_session(talk):
    """Nothing is asked, so the session closes and the device is free at once for "Alexa, call ..."."""
    for name in ["EmergencyIntent", "CrisisIntent", "OverdoseIntent", "ExtraDoseIntent"]:
        talk.launch()
        turn = talk.intent(name)
        assert turn.end_session and not turn.reprompt, name
        assert "I can't make calls" in turn.speech
        assert turn.card == turn.speech
    turn = talk.intent("EmergencyIntent")
    assert turn.speech.startswith(EMERGENCY_START) and turn.speech.endswith("Again: call 911 now.")


def test_an_extra_dose_heard_without_words_still_names_chest_pain_and_breathing_as_reasons_for_911(talk):
    """ExtraDoseIntent carries no words ("I took two extra by mistake and now my chest hurts" loses its tail),
    so Poison Control's answer itself names the danger signs that need 911."""
    talk.launch()
    turn = talk.intent("ExtraDoseIntent")
    assert "Poison Control" in turn.speech and "chest pain or trouble breathing" in turn.speech and "911" in turn.speech


def test_session_ended_request_is_accepted(talk):
    talk.launch()
    turn = talk.end("ERROR")
    assert "outputSpeech" not in turn.body


# ------------------------------------------------------------------ triage through the skill


@pytest.mark.parametrize("words", ["chest pain", "I can't breathe", "coughing up blood", "I fainted",
                                   "sudden weakness in my legs", "I can't move my legs",
                                   "I lost control of my bladder", "high fever with chills"])
def test_serious_symptoms_get_the_emergency_instruction_first(talk, words):
    turn = talk.intent("SymptomIntent", {"symptom": words})
    assert turn.speech.startswith(EMERGENCY_START)
    assert turn.end_session


def test_emergency_intent_without_words(talk):
    assert talk.intent("EmergencyIntent").speech.startswith(EMERGENCY_START)


def test_a_resolved_emergency_id_is_enough(talk):
    slot = envelopes.slot("symptom", "that thing", resolved_id="CHEST_PAIN", resolved_name="chest pain",
                          slot_type="SymptomType")
    assert talk.intent("SymptomIntent", [slot]).speech.startswith(EMERGENCY_START)


@pytest.mark.parametrize("setup", ["date_question", "offer_more", "offer_date", "forget_question", "ask_day"])
def test_emergency_wins_in_every_dialog_state(talk, store, setup, caplog):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"}) if setup == "forget_question" else None
    {
        "date_question": lambda: set_date(talk, "2026-11-10"),
        "offer_more": lambda: talk.intent("PainIntent"),
        "offer_date": lambda: talk.launch(),
        "forget_question": lambda: talk.intent("ForgetSurgeryDateIntent"),
        "ask_day": lambda: set_date(talk, "2026-11"),
    }[setup]()
    caplog.clear()
    # The whole answer is the emergency instruction, given by its own handler, not by an error path.
    assert talk.intent("SymptomIntent", {"symptom": "my chest hurts"}).speech == EMERGENCY_ANSWER
    assert talk.intent("EmergencyIntent").speech == EMERGENCY_ANSWER
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # and a "yes" afterwards does not act on the old question
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == ({"surgery_date": "2026-11-10"} if setup == "forget_question" else {})


def test_emergency_answers_when_storage_is_down(talk_broken):
    talk_broken.launch()
    assert talk_broken.intent("SymptomIntent", {"symptom": "trouble breathing"}).speech.startswith(EMERGENCY_START)
    assert talk_broken.intent("EmergencyIntent").speech.startswith(EMERGENCY_START)


def test_emergency_does_not_touch_storage(store):
    from tests.conftest import BrokenStore

    broken = BrokenStore()
    conv = CheckedConversation.build(broken, now=NOW)
    conv.intent("SymptomIntent", {"symptom": "chest pain"})
    conv.intent("EmergencyIntent")
    assert broken.calls == 0


@pytest.mark.parametrize("words, said_back", [
    ("tingling", "tingling"), ("pins and needles in my feet", "pins and needles in your feet"),
    ("my new cough", "your new cough")])
def test_warning_signs_send_to_the_doctor(talk, words, said_back):
    turn = talk.intent("SymptomIntent", {"symptom": words})
    assert turn.speech.startswith(f"You mentioned {said_back}. Please call your doctor or surgeon today")
    assert "not medical advice" in turn.speech
    assert not turn.speech.startswith("Call 911")


@pytest.mark.parametrize("words, question, safety", [
    ("numbness in my toes that comes and goes", "Are your legs also weak", "call 911 now"),
    ("my pain is getting worse", "Did it get much worse all of a sudden", "call 911 now"),
    ("the incision is red and swollen", "Is there pus", "call your surgeon's office now"),
    ("these pills make me dizzy", "Did you faint", "call 911 now"),
    ("my calf is swollen and sore", "Are you also short of breath", "call 911 now"),
])
def test_a_sign_whose_level_turns_on_one_thing_asks_one_question_that_carries_the_safety_line(
        talk, words, question, safety):
    asked = talk.intent("SymptomIntent", {"symptom": words})
    assert asked.speech.startswith(question) and safety in asked.speech
    assert not asked.response["response"].get("shouldEndSession")
    no = talk.intent("AMAZON.NoIntent")
    assert ("Please call your doctor or surgeon today" in no.speech
            or no.speech.startswith("Please call your surgeon's office now"))
    again = talk.intent("SymptomIntent", {"symptom": words})   # never a second question in a session
    assert not again.speech.startswith(question)


def test_yes_to_the_question_is_the_higher_answer(talk):
    talk.intent("SymptomIntent", {"symptom": "my legs are numb"})
    assert talk.intent("AMAZON.YesIntent").speech.startswith("Call 911 now.")


def test_anything_but_yes_or_no_to_the_question_is_the_higher_answer(talk):
    talk.intent("SymptomIntent", {"symptom": "my legs are numb"})
    assert talk.intent("AMAZON.FallbackIntent").speech.startswith("Call 911 now.")


def test_repeat_keeps_the_question_pending(talk):
    asked = talk.intent("SymptomIntent", {"symptom": "my legs are numb"})
    assert talk.intent("AMAZON.RepeatIntent").speech == asked.speech
    assert talk.intent("AMAZON.YesIntent").speech.startswith("Call 911 now.")


def test_expected_soreness_is_reassured_with_timing(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-20"})
    turn = talk.intent("SymptomIntent", {"symptom": "a bit sore"})
    assert turn.speech.startswith("Some discomfort is part of recovery.")
    assert "If it gets worse instead of better, or something new starts, call your doctor." in turn.speech
    assert "Most often it eases by about Friday, December 4th." in turn.speech


def test_soreness_past_the_couple_of_weeks_goes_to_the_doctor_with_the_timing(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-10-20"})
    turn = talk.intent("SymptomIntent", {"symptom": "a bit sore"})
    assert "Please call your doctor or surgeon today" in turn.speech
    assert "It has been 5 weeks since your surgery" in turn.speech
    assert "part of recovery" not in turn.speech


def test_unknown_symptom_words_still_get_a_safe_answer(talk):
    turn = talk.intent("SymptomIntent", {"symptom": "a funny taste in my mouth"})
    assert "call 911 now" in turn.speech
    assert "call your doctor" in turn.speech


def test_symptom_intent_without_words_asks_what_they_feel(talk):
    assert talk.intent("SymptomIntent").speech.startswith("What are you feeling?")


# ------------------------------------------------------------------ storage down, errors, bad input


def test_storage_down_every_intent_still_answers(talk_broken):
    assert talk_broken.launch().speech.startswith("Welcome to spine recovery helper.")
    lifting = talk_broken.intent("LiftingIntent")
    assert "I can't look up your surgery date right now" in lifting.speech
    assert "until" not in lifting.speech
    set_date(talk_broken, "2026-11-10")
    assert talk_broken.intent("AMAZON.YesIntent").speech.startswith("I'm sorry, I couldn't save your surgery date")
    assert "I can't look up your surgery date" in talk_broken.intent("GetSurgeryDateIntent").speech
    assert "I can't look up your surgery date" in talk_broken.intent("ForgetSurgeryDateIntent").speech


def test_an_unexpected_error_apologises_and_keeps_the_session(talk, monkeypatch):
    from skill import handlers

    def boom(self, handler_input):
        raise RuntimeError("bug")

    monkeypatch.setattr(handlers.TopicHandler, "handle", boom)
    turn = talk.intent("WalkingIntent")
    assert turn.speech == ("I'm sorry, something went wrong on my side. Please ask me again. If you have a serious "
                           "symptom, like chest pain, trouble breathing, or a fall, call 911 now. "
                           "What else would you like to know?")
    assert not turn.end_session
    assert talk.intent("AMAZON.HelpIntent").speech.startswith("I can answer questions")


def test_an_error_during_an_emergency_still_gives_the_instruction(talk, monkeypatch):
    from skill import handlers

    def boom(handler_input):
        raise RuntimeError("bug")

    from skill.handlers import symptoms, system

    monkeypatch.setattr(symptoms, "emergency_reply", boom)      # the emergency handler's answer fails...
    monkeypatch.setattr(system, "emergency_reply", boom)        # ...and the exception handler's
    monkeypatch.setattr(system, "reply", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("bug")))
    assert talk.intent("EmergencyIntent").speech.startswith(EMERGENCY_START)


def test_requests_for_another_skill_are_refused(store, monkeypatch):
    monkeypatch.setenv("RECOVERY_SKILL_ID", "amzn1.ask.skill.the-real-one")
    conv = Conversation.build(store, now=NOW)
    with pytest.raises(Exception, match="(?i)application id|skill id"):
        conv.launch()


def test_the_lambda_module_loads_no_web_speech_or_aws_libraries(tmp_path):
    code = (
        "import sys; sys.path.insert(0, 'lambda'); import lambda_function; "
        "bad = [m for m in ('flask', 'pyttsx3', 'boto3', 'requests') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {"RECOVERY_SKILL_DB": str(tmp_path / "x.db"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lambda_cold_start_on_a_launch_loads_no_triage_engine_yet_the_first_sentence_still_gets_911(tmp_path):
    """The triage engine's code is loaded by the first sentence that needs it, not by "open spine recovery
    helper" (a tenth of a cold start); that sentence still hears 911 first."""
    import json

    events = [envelopes.launch(NOW), envelopes.intent(
        "DescribeIntent", {"description": "my husband collapsed and he won't wake up"}, now=NOW)]
    for event in events:
        event["context"]["System"]["apiAccessToken"] = None    # no time-zone look-up over the network
    saved = tmp_path / "events.json"
    saved.write_text(json.dumps(events))
    code = (
        "import json, sys; sys.path.insert(0, 'lambda'); import lambda_function; "
        f"launch, said = json.load(open({str(saved)!r})); lambda_function.lambda_handler(launch, None); "
        "print([m for m in ('skill.triage.engine', 'skill.triage.compiled') if m in sys.modules]); "
        "print(lambda_function.lambda_handler(said, None)['response']['outputSpeech']['ssml'])"
    )
    env = {"RECOVERY_SKILL_DB": str(tmp_path / "x.db"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    loaded, answer = result.stdout.splitlines()[:2]
    assert loaded == "[]", result.stderr
    assert 'Call <say-as interpret-as="digits">911</say-as> now.' in answer[:80], answer


def test_lambda_handler_answers_a_raw_alexa_event(tmp_path, monkeypatch):
    monkeypatch.setenv("RECOVERY_SKILL_DB", str(tmp_path / "lambda.db"))
    monkeypatch.syspath_prepend("lambda")
    import importlib

    module = importlib.import_module("lambda_function")
    response = module.lambda_handler(envelopes.intent("LiftingIntent", now=NOW), None)
    assert response["version"] == "1.0"
    assert "heavy lifting" in response["response"]["outputSpeech"]["ssml"]


def test_a_failing_settings_api_is_not_asked_on_every_request(store, monkeypatch):
    """When the time-zone look-up fails, the fallback zone is used and the API is left alone for a while."""
    from ask_sdk_model.services import ApiClient, ApiClientResponse

    from skill.builder import skill_builder

    class Failing(ApiClient):
        calls = 0

        def invoke(self, request):
            Failing.calls += 1
            return ApiClientResponse(headers=[], status_code=500, body='{"message": "down"}')

    monkeypatch.setenv("RECOVERY_SKILL_TIMEZONE", "Asia/Tokyo")
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-10"})
    conv = Conversation(skill_builder(store, Failing()).lambda_handler(), now=datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc),
                        device_id="amzn1.ask.device.FAILING")
    first = conv.intent("GetSurgeryDateIntent")
    conv.intent("LiftingIntent")
    assert "2 weeks and 1 day" in first.speech  # Tokyo's date, the configured fallback
    assert Failing.calls == 1


# ------------------------------------------------------------------ found in review


def test_fallback_still_points_to_911_for_serious_symptoms(talk):
    # Unrecognised speech may be a symptom Alexa could not map ("i peed myself").
    assert "If you have chest pain, trouble breathing, or another serious symptom, call 911 now." in talk.intent(
        "AMAZON.FallbackIntent").speech


def test_pain_answer_points_to_911_for_chest_pain(talk):
    assert "if the pain is in your chest, or you have trouble breathing, call 911 now" in talk.intent("PainIntent").speech


def test_repeat_after_an_error_repeats_the_apology_and_yes_does_not_act(talk, store):
    set_date(talk, "2026-11-19")
    assert "I didn't catch the date" in set_date(talk, duration="P99999Y").speech
    again = talk.intent("AMAZON.RepeatIntent")
    assert "I didn't catch the date" in again.speech
    assert again.elicit == ("SetSurgeryDateIntent", "date"), "repeat asks for the date the same way"
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == {}


def test_repeat_after_an_unexpected_error_says_the_apology(talk, monkeypatch):
    from skill import handlers

    set_date(talk, "2026-11-19")
    monkeypatch.setattr(handlers.TopicHandler, "handle", lambda self, hi: 1 / 0)
    talk.intent("WalkingIntent")
    assert talk.intent("AMAZON.RepeatIntent").speech.startswith("I'm sorry, something went wrong")


def test_repeat_while_asking_for_the_date_keeps_the_date_dialog(talk):
    talk.launch()
    talk.intent("AMAZON.YesIntent")
    assert talk.intent("AMAZON.RepeatIntent").elicit == ("SetSurgeryDateIntent", "date")


def test_which_day_then_a_whole_other_date(talk):
    set_date(talk, "2026-11")
    assert set_date(talk, "2026-10-05").speech == "Monday, October 5th. Is that right?"


def test_which_day_keeps_the_month_when_asking_again(talk):
    set_date(talk, "2026-11")
    assert "I didn't catch the date" in set_date(talk, "2026-11-31").speech
    assert set_date(talk, "2026-12-20").speech == "Friday, November 20th. Is that right?"


def test_garbled_session_attributes_ask_again_rather_than_fail(talk):
    talk.launch()
    talk.attributes.update({"state": "confirm_date", "pending_date": "garbage", "last_speech": "nonsense"})
    assert talk.intent("AMAZON.YesIntent").speech.startswith("I didn't catch the date")
    talk.attributes.update({"state": "ask_day", "pending_year": "x", "pending_month": 99})
    assert set_date(talk, "2026-11-10").speech == "Tuesday, November 10th. Is that right?"
    talk.attributes["last_speech"] = {"ssml": 3}
    assert talk.intent("AMAZON.RepeatIntent").speech.startswith("I haven't said anything yet.")


def test_an_unreadable_stored_date_is_no_date_and_can_be_forgotten(talk, store):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-1"})
    assert "If you tell me the date of your surgery" in talk.intent("LiftingIntent").speech
    talk.intent("ForgetSurgeryDateIntent")
    assert talk.intent("GetSurgeryDateIntent").speech.startswith("I don't have your surgery date yet.")


def test_logs_hold_neither_the_symptom_words_nor_dates(talk, store, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-11-1"})
    talk.intent("SymptomIntent", {"symptom": "tingling in my toes"})
    talk.intent("SymptomIntent", {"symptom": "I wet myself"})
    talk.intent("LiftingIntent")
    set_date(talk, "2026-11-19")
    talk.attributes["pending_date"] = "2026-11-19-bad"
    talk.intent("AMAZON.YesIntent")
    text = caplog.text
    for private in ("tingling", "wet myself", "2026-11-1", "2026-11-19", envelopes.DEFAULT_USER):
        assert private not in text


def test_a_forgotten_date_is_gone_from_the_files_on_disk(talk, store):
    set_date(talk, "2026-11-10")
    talk.intent("AMAZON.YesIntent")
    talk.intent("ForgetSurgeryDateIntent")
    talk.intent("AMAZON.YesIntent")
    files = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
    assert files and not any(b"2026-11-10" in p.read_bytes() for p in files)


# ------------------------------------------------------------------ dates are not symptoms


@pytest.mark.parametrize("duration", ["PT5M", "PT2H", "PT30S"])
def test_a_duration_under_a_day_is_not_a_surgery_date(talk, store, duration):
    """'I keeled over a few minutes ago', heard as a duration: the emergency sentence, no date asked, none kept."""
    talk.launch()
    talk.intent("AMAZON.YesIntent")
    turn = talk.intent("SetSurgeryDateIntent", {"duration": duration})
    assert "call 911 now" in turn.speech
    assert "Is that right" not in turn.speech
    talk.intent("AMAZON.YesIntent")
    assert stored(store) == {}


def test_a_sentence_with_a_time_in_it_reaches_triage_not_the_date_dialog(talk):
    from skill_tools.simulator.device import Simulator

    sim = Simulator(talk)
    sim.say("open spine recovery helper")
    sim.say("yes")                                           # "What date was your surgery?"
    turn = sim.say("I keeled over in the bathroom a few minutes ago")
    assert turn.speech.startswith(EMERGENCY_START) and turn.end_session
    assert sim.say("can I fly next week").intent != "SetSurgeryDateIntent"


@pytest.mark.parametrize("said, start", [
    # what a heart attack is, asked: the plan ("if you do have chest pain ..., call 911"), not 911 first
    ("what's the difference between a heart attack and heartburn", "It's good to know that ahead of time."),
    ("how do you tell the difference between fainting and a seizure", "It's good to know that ahead of time."),
    # two medicines compared: the pharmacist decides, as any medicine question
    ("what's the difference between oxycodone and percocet", "I can't tell you whether that is safe for you."),
    # a subject compared is that subject's answer (here an honest "not covered"), not a medicine deferral
    ("what's the difference between driving and riding in the car",
     "I'm sorry, the information I have doesn't cover riding as a passenger."),
])
def test_a_question_that_compares_two_things_is_asked_not_reported(talk, said, start):
    """Before, "what's the difference between {...}" was a medicine question whose words were triaged as said:
    the heart attack asked about got "Call 911 now", and everything else the pharmacist."""
    from skill_tools.simulator.device import Simulator

    sim = Simulator(talk)
    sim.say("open spine recovery helper")
    sim.say("no")
    turn = sim.say(said)
    assert turn.intent == "WhatIfIntent" and turn.speech.startswith(start) and not turn.end_session


def test_a_compared_sign_said_to_be_happening_now_is_still_911(talk):
    from skill_tools.simulator.device import Simulator

    sim = Simulator(talk)
    sim.say("open spine recovery helper")
    sim.say("no")
    turn = sim.say("what's the difference between heartburn and a heart attack, my chest is crushing right now")
    assert turn.speech.startswith(EMERGENCY_START) and turn.end_session


@pytest.mark.parametrize("said", ["give me the suicide hotline number", "what is the number for the suicide hotline",
                                  "i need the crisis line"])
def test_asking_for_the_crisis_line_gets_988_first(talk, said):
    """Before, these reached AMAZON.FallbackIntent: a person looking for 988 heard only the fallback's 911 line."""
    from skill_tools.simulator.device import Simulator

    sim = Simulator(talk)
    sim.say("open spine recovery helper")
    sim.say("no")
    assert sim.say(said).speech.startswith("Please call or text 988")
