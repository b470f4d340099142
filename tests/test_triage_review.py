"""The clinical review of issue 18, finding by finding: what a person hears first, said through the
simulator (its language understanding, real envelopes, the same handlers). Each of these was wrong
before the triage protocol (docs/triage-protocol.md) was built."""
import re

import pytest

from skill_tools.simulator import corpus
from skill_tools.simulator.device import Simulator
from skill_tools.simulator.nlu import Understanding
from skill_tools.simulator.session import Conversation

FIRST = re.compile(r"^(.*?[.!?])(\s|$)")


@pytest.fixture(scope="module")
def understanding():
    return Understanding.from_model_file()


@pytest.fixture
def say(understanding):
    """Say one sentence one-shot, as "Alexa, ask spine recovery helper ...", with no stored date."""
    store = corpus.MemoryStore()
    conversation = Conversation.build(store, zone="America/New_York", now=corpus.NOW)
    sim = Simulator(conversation, zone="America/New_York", understanding=understanding)

    def said(text: str, *then: str) -> str:
        conversation.end()
        store.records.clear()
        speech = sim.say(text).speech
        for line in then:
            speech = sim.say(line).speech
        return speech
    return said


def first(speech: str) -> str:
    match = FIRST.match(speech)
    return match.group(1) if match else speech


def alarm_first(speech: str) -> bool:
    return any(w in first(speech) for w in ("911", "988", "Poison Control"))


# ---------------------------------------------------------------- critical

def test_a_weak_hand_that_comes_and_goes_is_911_it_can_be_a_mini_stroke(say):
    assert say("my hand goes weak on and off").startswith("Call 911 now.")
    assert say("my arm went weak for a few minutes and then it came back").startswith("Call 911 now.")


def test_real_emergencies_with_wishing_words_get_911_not_the_crisis_line(say):
    assert say("i want the numbness gone, i can't feel my legs").startswith("Call 911 now.")


@pytest.mark.parametrize("words", ["i wish this pain was gone", "i need to collect my prescription",
                                   "i just want to end this call with the cable company"])
def test_ordinary_wishes_and_errands_never_get_the_crisis_line(say, words):
    speech = say(words)
    assert "988" not in speech and not alarm_first(speech)


def test_a_physical_emergency_with_suicidal_words_gets_911_first_and_988_too(say):
    speech = say("i can't breathe and i want to die")
    assert speech.startswith("Call 911 now.") and "988" in speech


# ---------------------------------------------------------------- major

@pytest.mark.parametrize("words", ["i'm so drowsy", "i've been sleeping all day"])
def test_drowsiness_is_asked_about_then_the_doctor_not_reassured_as_tiredness(say, words):
    asked = say(words)
    assert asked.startswith("Is it very hard to wake up") and "call 911 now" in asked
    assert "Please call your doctor or surgeon today" in say(words, "no")
    assert say(words, "yes").startswith("Call 911 now.")


def test_pain_not_getting_better_goes_to_the_doctor_even_with_no_date_stored(say):
    assert "Please call your doctor or surgeon today" in say("my pain is not getting better", "no")


@pytest.mark.parametrize("words", ["i get out of breath climbing the stairs", "my heart is racing",
                                   "since the surgery i have to stop halfway up the stairs to breathe"])
def test_breathlessness_on_small_effort_and_a_racing_heart_are_911(say, words):
    assert say(words).startswith("Call 911 now.")


def test_fever_with_back_pain_is_call_the_surgeon_now(say):
    assert say("i have a fever and my back hurts", "no").startswith("Please call your surgeon's office now.")
    assert say("ninety nine point eight and my back aches where they did it", "no").startswith(
        "Please call your surgeon's office now.")


def test_the_emergency_answer_says_911_and_never_invites_driving_to_the_emergency_room(say):
    speech = say("i can't breathe")
    assert speech.startswith("Call 911 now.") and "emergency room" not in speech


def test_a_medicine_question_is_deferred_with_nothing_that_sounds_like_permission(say):
    speech = say("can i take tylenol with my percocet")
    assert "pharmacist or your doctor has to decide" in speech
    for permission in ("may work well", "should be fine", "it's safe", "you can take", "over-the-counter"):
        assert permission not in speech


def test_an_accidental_extra_dose_gets_poison_control_first(say):
    speech = say("i took an extra tylenol by mistake")
    assert first(speech).startswith("Call Poison Control now")
    assert "call 911" in speech


def test_an_overdose_with_danger_signs_gets_911_and_naloxone(say):
    speech = say("she took too many oxycodone and she's so drowsy she can't stay awake")
    assert speech.startswith("Call 911 now") and "naloxone" in speech


# ---------------------------------------------------------------- dangerous misroutes

def test_someone_elses_suicidal_words_get_the_crisis_line(say):
    speech = say("my dad said he'd rather shoot himself than live with this pain")
    assert first(speech).startswith("Please call or text 988")


def test_a_child_in_the_pill_box_gets_poison_control(say):
    assert "Poison Control" in first(say("the grandkids got into my pill box"))


def test_spanish_mixed_with_english_still_reaches_911(say):
    speech = say("my legs no work since this morning, muy débiles, i cannot stand")
    assert speech.startswith("Call 911 now.")


# ---------------------------------------------------------------- warning signs, not emergencies

@pytest.mark.parametrize("words", [
    "i have a low grade fever of 99.8", "i have a rash with no trouble breathing though",
    "my wound stopped bleeding", "these pills make me dizzy", "i have numbness in my legs",
    "the numbness wore off that same night"])
def test_warning_signs_that_are_not_emergencies_reach_the_doctor(say, words):
    speech = say(words)
    assert not alarm_first(speech)
    if first(speech).endswith("?"):     # the one clarifying question, then "no"
        speech = say(words, "no")
    assert "call your doctor or surgeon today" in speech or speech.startswith("Please call your surgeon's office")


# ---------------------------------------------------------------- not alarms

@pytest.mark.parametrize("words", [
    "the frost killed my tomato plants", "tell me a joke", "the cat fell off the couch",
    "i'm dying to know who won the baking show", "i had a heart attack in 2010, when can i drive",
    "my sister had a stroke last year", "i didn't fall, i just sat down too hard",
    "the tightness last month turned out to be heartburn", "my heart goes out to her",
    "this crossword is killing me", "what should i do if i fall", "the man in the movie fell off a cliff",
    "my pastor had a heart attack on vacation in mexico", "what are the warning signs",
    "i dont have a fever, ninety eight six both times", "there is no reason to get up early tomorrow"])
def test_everyday_talk_history_other_people_idioms_and_plans_are_not_alarms(say, words):
    speech = say(words)
    assert not alarm_first(speech), speech
    assert "911" in speech or "doesn't cover" not in speech   # the safety line is still there


def test_a_sentence_about_nothing_health_gets_i_am_not_sure_and_the_safety_line_last(say):
    speech = say("the frost killed my tomato plants")
    assert speech.startswith("I'm not sure I understood.") and "call 911 now" in speech


def test_an_uncovered_subject_still_carries_the_safety_line(say):
    assert "911" in say("can i go back to work")


# ---------------------------------------------------------------- words blurted alone, and Spanish mixed in
@pytest.mark.parametrize("text, heard_first", [
    ("sudden agony in my spine", "Call 911 now."),
    ("mi esposo se cayó and he can't get up", "Call 911 now."),
    ("me falta el aire", "Call 911 now."),
    ("no quiero vivir", "Please call or text 988 now"),
    ("extra oxy by mistake", "Call Poison Control now"),
    ("took about ten ibuprofen", "Call Poison Control now"),
    ("thirty eight point five", "Do you also have shaking chills, or are you confused?"),
    ("102.5", "Do you also have shaking chills, or are you confused?"),
    ("nyquil with oxy", "I can't tell you whether that is safe for you."),
])
def test_a_fragment_without_i_have_still_reaches_triage(say, text, heard_first):
    """Said alone, with no "I have" or "my" before it, the words still reach triage whole (the bare
    {symptom} and {medicine} samples), and the right answer comes first."""
    assert say(text).startswith(heard_first)


@pytest.mark.parametrize("text", ["you're killing me", "turn on the kitchen lights", "before or after meals"])
def test_a_fragment_that_is_no_alarm_gets_none(say, text):
    assert not alarm_first(say(text))


def test_an_overdose_with_no_crisis_words_asks_whether_it_was_meant_and_gives_988_after_911(say):
    speech = say("she swallowed a whole bottle of tylenol this morning")
    assert first(speech).startswith("Call 911 now")
    assert "If it was taken on purpose, please call or text 988 too" in speech


# ---------------------------------------------------------------- pain said "killing me"

def test_back_pain_said_killing_me_is_asked_about_then_a_call_to_the_surgeon_not_911(say):
    """Severe back pain with no red flag is a call to the surgeon now, as nurse lines give it: one question that
    carries the safety line, "yes" 911, "no" the surgeon."""
    asked = say("my back is killing me")
    assert asked.startswith("Did it come on all of a sudden") and "call 911 now" in asked
    assert say("my back is killing me", "no").startswith("Please call your surgeon's office now.")
    assert say("my back is killing me", "yes").startswith("Call 911 now.")


@pytest.mark.parametrize("words", [
    "i lifted the laundry basket and now my back is killing me",
    "i sneezed and my back is killing me",
    "my back is killing me and i have a fever",
    "my back is killing me and my legs are numb",
    "my back is killing me and the pain is terrible",
    "i slipped in the tub and my back is killing me",
    "my back is killing me and im throwing up",
    # a safety review's sweep: a fall or stuck, a small strain, a tear through to the front, infection, thinners
    "my husband is on the bathroom floor and his back is killing him",
    "my back is killing me since i moved the couch",
    "my back is killing me and it feels torn, it goes right through to my front",
    "my back is killing me and im burning up",
    "my back is killing me and i take coumadin",
])
def test_back_pain_killing_me_with_a_red_flag_stays_911(say, words):
    assert say(words).startswith("Call 911 now.")


# ---------------------------------------------------------------- a knock to the head

def test_a_knock_to_the_head_with_nothing_else_is_asked_about_then_the_doctor_not_911(say):
    """A cupboard-door knock with no danger sign is the doctor's, as NICE's head-injury advice has telephone
    services send to hospital only with a blackout, a headache, vomiting, confusion or a blood thinner: one
    question carrying the safety line, "yes" 911. Writers' everyday twins got 911 for it in every batch."""
    asked = say("i hit my head on the cupboard door again, i need to keep them shut")
    assert asked.startswith("Did you black out") and "call 911 now" in asked
    assert say("i knocked my forehead on the cabinet, just a little bump", "yes").startswith("Call 911 now.")
    assert not say("i knocked my forehead on the cabinet, just a little bump", "no").startswith("Call 911")


@pytest.mark.parametrize("words", [
    "she fell and hit her head",
    "i hit my head on the shelf and i think i was out for a second or two",
    "i hit my head on the cupboard an hour ago and i just keep wanting to sleep",
    "i hit my head on the cabinet and im on warfarin",
    "i hit my head and threw up twice",
    "my wife banged her head and she keeps forgetting what i just said",
    "i whacked my head on the headboard and my ears are ringing and i feel queasy",
    "i banged my head really hard on the shelf",
    "my son came off his motorbike and hit his head",
    "hit my head on the tub",
])
def test_a_knock_to_the_head_with_a_danger_sign_stays_911(say, words):
    assert say(words).startswith("Call 911 now.")


def test_banging_ones_head_against_a_wall_is_frustration_not_a_knock(say):
    assert not say("im banging my head against the wall with this insurance company").startswith(("Call 911", "Did you"))


def test_pills_taken_that_the_model_also_hears_as_crisis_get_poison_control_first_then_988(say):
    """The crisis model's check follows the overdose or poison answer: before, "took twenty of his sleeping pills"
    got the check alone (988 first, no Poison Control) once the model heard crisis in it."""
    speech = say("my husband took twenty of his sleeping pills an hour ago")
    assert first(speech).startswith("Call Poison Control now")
    assert "988" in speech
