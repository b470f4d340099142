"""Issue 18's clinical review of recovery.yaml, as a person hears the skill.

Each test says the words through the real skill (the Lambda entry point, as Alexa sends them)
and checks what Alexa answers: the kyphoplasty red flags in the warning-signs and risks topics,
each with what to do; cement in the lungs as a 911 sign; the lifting and driving limits in the
short answers; the 95 percent figure as the article's report only; facts the article does not
state marked for the reviewer; the person's words said back in the right person; a lifting
reminder that never sounds like permission to lift.
"""
from __future__ import annotations

import re

import pytest

from skill import content as recovery_content
from skill import interceptors, speech, triage
from skill_tools.review import items as review_items
from skill_tools.review import shape as review_shape
from skill_tools.review.article import Article, split_sentences
from skill_tools.review.render import html
from skill_tools.simulator import envelopes
from skill_tools.simulator.corpus import answer_kind
from skill_tools.simulator.fake_reminders import FakeReminders
from skill.storage.store import user_key
from tests.conftest import NOW, CheckedConversation

C = recovery_content.load()
SURGERY = "2026-11-10"  # the six weeks end on Tuesday, December 22nd


def heard(talk, intent: str) -> tuple[str, str]:
    """(the first answer, what "yes" to "would you like to hear more?" adds) of a topic."""
    first = talk.intent(intent)
    assert first.speech.endswith(C.phrases["offer_more"]), first.speech
    more = talk.intent("AMAZON.YesIntent")
    return first.speech, more.speech


def sentence_with(text: str, pattern: str) -> str:
    """The one spoken sentence that names ``pattern`` (a regular expression)."""
    found = [s for s in split_sentences(text) if re.search(pattern, s, re.I)]
    assert found, f"{pattern!r} is said nowhere in: {text}"
    return found[0]


# ------------------------------------------------------------------ 1. the kyphoplasty red flags

# Each red flag, and what the sentence that names it must tell the person to do.
RED_FLAGS = {
    "bladder or bowel control": (r"bladder or bowel", r"call 911"),
    "numbness between the legs": (r"numb\w* between your legs", r"call 911"),
    "fever": (r"\bfever\b", r"call your surgeon's office right away"),
    "a swollen calf": (r"swollen[^.]*calf|calf[^.]*swollen", r"call your surgeon's office right away"),
    "a fall": (r"\bfall\b", r"call 911"),
}


@pytest.mark.parametrize("intent", ["WarningSignsIntent", "RisksIntent"])
@pytest.mark.parametrize("flag", list(RED_FLAGS))
def test_warning_signs_and_risks_name_each_red_flag_with_what_to_do(talk, intent, flag):
    first, more = heard(talk, intent)
    named, todo = RED_FLAGS[flag]
    said = sentence_with(f"{first} {more}", named)
    assert re.search(todo, said, re.I), f"{flag}: {said!r} does not say to {todo}"


def test_the_nerve_red_flags_are_in_the_first_warning_signs_answer(talk):
    first = talk.intent("WarningSignsIntent").speech
    for named in (r"chest pain", r"trouble breathing", r"weakness in your legs", r"bladder or bowel",
                  r"numb\w* between your legs", r"\bfall\b"):
        assert re.search(rf"call 911[^.]*{named}|{named}[^.]*call 911", first, re.I), named


@pytest.mark.parametrize("intent", ["WarningSignsIntent", "RisksIntent"])
def test_asking_about_warning_signs_is_answered_not_alarmed(talk, intent):
    """A question about what to watch for is not an emergency: its first sentence is not "Call 911"
    (which the corpus counts as a false alarm)."""
    assert answer_kind(talk.intent(intent).speech) != "emergency"


def test_the_red_flags_not_in_the_article_name_their_public_source():
    for key in ("warning_signs", "risks"):
        notes = " ".join(C.topics[key].not_in_article)
        assert "cauda equina" in notes and "NHS" in notes and "NICE" in notes, key
        assert "blood clot" in notes.lower() and "CDC" in notes, key
        assert "fall" in notes and "osteoporosis" in notes, key


# ------------------------------------------------------------------ 2. cement in the lungs is 911


def test_cement_travelling_to_the_lungs_is_a_911_sign_not_tell_your_doctor(talk):
    first, more = heard(talk, "RisksIntent")
    sentences = split_sentences(f"{first} {more}")
    i = next(i for i, s in enumerate(sentences) if "lungs" in s)
    said = " ".join(sentences[i:i + 2])
    assert re.search(r"trouble breathing", said) and re.search(r"chest pain", said), said
    assert "call 911 now" in said, said
    assert "tell your doctor" not in said, said


# ------------------------------------------------------------------ 3. the limits in the short answers


@pytest.mark.parametrize("intent", ["RecoveryTimeIntent", "ActivitiesIntent"])
def test_the_short_recovery_and_activities_answers_give_the_lifting_and_driving_limits(talk, intent):
    first = talk.intent(intent).speech      # no "yes" to hearing more
    assert re.search(r"heavy lifting for up to six weeks", first), first
    assert re.search(r"ask your surgeon before you drive", first), first


# ------------------------------------------------------------------ 4. the 95 percent figure


def test_the_95_percent_figure_is_said_as_the_articles_report_not_credited_to_the_aaos(talk):
    turn = talk.intent("SuccessRateIntent")
    said = sentence_with(turn.speech, r"ninety five percent")
    assert said.startswith("The article this skill is based on reports"), said
    for credit in ("American Academy", "Orthopaedic Surgeons", "A A O S", "AAOS"):
        assert credit not in turn.speech
    more = talk.intent("AMAZON.YesIntent").speech
    assert "American Academy" not in more and "AAOS" not in more


def test_the_unconfirmed_attribution_is_a_reviewer_note_in_the_report():
    success = C.topics["success"]
    assert any("could not be confirmed" in n and "AAOS" in n for n in success.review_notes)
    item = review_items.topic_item(success, Article(recovery_content.article_text()))
    assert item.review_notes == list(success.review_notes)
    page = html(review_shape.Report(
        version="x", files=[], revision="", dirty=False, generated="now",
        sections=[review_shape.Section("topics", "Answers by topic", "", [item])], corpus=None, corpus_note=""))
    assert "Reviewer note:" in page and "could not be confirmed" in page


# ------------------------------------------------------------------ 5. facts the article does not state


def test_the_nearest_fact_about_the_incision_says_what_the_article_says_the_cement_can_become_infected(talk):
    said = talk.intent("SubjectIntent", {"subject": "care for the incision"}).speech
    assert "doesn't cover caring for the stitches and dressing" in said
    assert "the site can become infected" not in said
    assert "the cement can become infected" in said


# What the skill says that the article does not state -> a word its not_in_article note must name.
ADDED = {
    "risks": [("in your arms or legs", "extremities")],
    "lifting": [("Your surgeon can tell you when it is safe for you", "surgeon")],
    "success": [("your surgeon can tell you what to expect", "surgeon")],
    "recovery_time": [("ask your surgeon before you drive", "surgeon")],
    "activities": [("ask your surgeon before you drive", "surgeon")],
}


@pytest.mark.parametrize("key", list(ADDED))
def test_what_the_article_does_not_state_is_marked_for_the_reviewer(talk, key):
    first, more = heard(talk, C.topics[key].intent)
    notes = " ".join(C.topics[key].not_in_article)
    for words, named in ADDED[key]:
        assert words.lower() in f"{first} {more}".lower(), words
        assert named in notes, f"{key}: {words!r} is said, but no not_in_article note names {named!r}"


def test_soreness_is_put_as_the_article_puts_it_soft_tissue_not_muscles(talk):
    first, more = heard(talk, "PainIntent")
    assert "soft tissue" in more
    assert "muscles" not in more


# ------------------------------------------------------------------ 6. the person's words said back


@pytest.mark.parametrize("words, back", [
    ("my chest hurts", "your chest hurts"),
    ("his leg is numb", "his leg is numb"),
    ("I have tingling in my feet", "you have tingling in your feet"),
    ("I'm getting pins and needles", "you're getting pins and needles"),
    ("I was numb in my toes", "you were numb in your toes"),
    ("I am sore and it bothers me", "you are sore and it bothers you"),
    ("she says her foot is numb", "she says her foot is numb"),
    ("we noticed my wife's leg is swollen", "you noticed your wife's leg is swollen"),
    ("my feet feel ill", "your feet feel ill"),
    ("I woke at 5 am with my leg numb", "you woke at 5 am with your leg numb"),
    ("I\u2019m numb", "you're numb"),
])
def test_the_persons_words_are_turned_to_the_second_person(words, back):
    assert speech.said_back(words) == back


@pytest.mark.parametrize("words", ["you know my foot is numb", "my foot tingles " + "and then it stops " * 4])
def test_words_that_cannot_be_said_back_well_are_not_echoed(words):
    assert speech.said_back(words) is None


@pytest.mark.parametrize("words, said", [
    ("my chest hurts", "You mentioned your chest hurts."),
    ("his leg is numb", "You mentioned his leg is numb."),
    ("my toes tingle when I walk", "You mentioned your toes tingle when you walk."),
    ("you know, my foot is numb", "You described a symptom."),
])
def test_the_doctor_answer_says_the_persons_words_back_in_the_right_person(talk, monkeypatch, words, said):
    """Whatever level triage gives these words, the doctor answer never parrots "my" back."""
    monkeypatch.setattr(interceptors, "_emergency_of", lambda *_: None)
    monkeypatch.setattr(interceptors, "_verdict_of", lambda *_: triage.Verdict(triage.DOCTOR, (), "tingling"))
    turn = talk.intent("SymptomIntent", {"symptom": words})
    assert turn.speech.startswith(f"{said} Please call your doctor or surgeon today"), turn.speech
    assert not re.search(r"\b(my|me|I|I'm)\b", turn.speech.split(" Please call")[0])


def test_a_doctor_level_symptom_in_the_first_person_is_said_back_as_yours(talk):
    turn = talk.intent("SymptomIntent", {"symptom": "pins and needles in my feet"})
    assert turn.speech.startswith("You mentioned pins and needles in your feet. Please call your doctor")


# ------------------------------------------------------------------ 7. the lifting reminder


def reminder_person(store, fake):
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": SURGERY})
    return CheckedConversation.build(store, zone="America/New_York", now=NOW, reminders=fake)


def not_permission(text: str) -> None:
    assert "six weeks are up" not in text.replace("article's six weeks are up", ""), text
    assert re.search(r"(check with|ask) your surgeon before[^.]*heavy", text, re.I), text


def test_the_reminder_offer_confirmation_and_status_never_sound_like_permission_to_lift(store):
    fake = FakeReminders(granted=True)
    talk = reminder_person(store, fake)
    offer = talk.intent("LiftingIntent").speech
    assert "Tuesday, December 22nd" in offer   # said once: the offer then says "on that day" (issue 21)
    assert "Would you like me to remind you on that day, at 10 in the morning" in offer
    assert "the article's six weeks" in offer
    not_permission(sentence_with(offer, "remind you"))
    done = talk.intent("AMAZON.YesIntent").speech
    assert done.startswith("Done. I'll remind you on Tuesday, December 22nd, at 10 in the morning")
    not_permission(sentence_with(done, "remind you"))
    status = talk.intent("ReminderStatusIntent").speech
    not_permission(sentence_with(status, "remind you"))


def test_the_reminder_alexa_rings_with_says_the_articles_six_weeks_are_up_and_to_ask_the_surgeon(store):
    fake = FakeReminders(granted=True)
    talk = reminder_person(store, fake)
    talk.intent("RemindMeIntent")
    (reminder,) = fake.reminders.values()
    text = reminder["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert "the article's lifting guidance are up today" in text
    assert "does not mean heavy lifting is safe for you yet" in text
    not_permission(text)


def test_no_reminder_left_to_set_still_says_to_check_with_the_surgeon(store):
    fake = FakeReminders(granted=True)
    store.save(user_key(envelopes.DEFAULT_USER), {"surgery_date": "2026-10-01"})
    talk = CheckedConversation.build(store, zone="America/New_York", now=NOW, reminders=fake)
    said = talk.intent("RemindMeIntent").speech
    assert "already up" in said
    not_permission(said)


def test_saying_no_to_the_offer_suggests_words_that_do_not_promise_lifting(store):
    talk = reminder_person(store, FakeReminders(granted=True))
    talk.intent("LiftingIntent")
    said = talk.intent("AMAZON.NoIntent").speech
    assert "when I can lift" not in said
    assert "set a lifting reminder" in said
