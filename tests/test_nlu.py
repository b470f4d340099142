"""The simulator's language understanding: typed sentence -> intent and slots as Alexa sends them.

Paraphrases here are written for these tests: none is a sample of the interaction model and
none comes from tests/data/paraphrases.yaml (the held-out set of bench/nlu_accuracy.py); a
test below checks both.
"""

import json
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run without installing

from skill import content  # noqa: E402
from skill.triage import NOT_HEALTH, UNKNOWN  # noqa: E402
from skill_tools.simulator import nlu  # noqa: E402
from skill_tools.simulator.nlu import FALLBACK_THRESHOLD, Interpretation, Understanding  # noqa: E402

TODAY = date(2026, 11, 24)  # a Tuesday
MODEL = ROOT / "interaction_model" / "en-US.json"
DATE_ELICIT = ("SetSurgeryDateIntent", "date")

PARAPHRASES = [
    ("could you explain what a kyphoplasty actually involves", "AboutProcedureIntent"),
    ("what exactly did the surgeon put into my bone", "AboutProcedureIntent"),
    ("why does a vertebra collapse like that", "CausesIntent"),
    ("was it my osteoporosis that broke my back", "CausesIntent"),
    ("how often is kyphoplasty successful", "SuccessRateIntent"),
    ("will i need to stay overnight after the procedure", "HospitalStayIntent"),
    ("how many weeks until i am completely healed", "RecoveryTimeIntent"),
    ("how long is my back going to hurt", "PainIntent"),
    ("which pain pills should i be taking", "PainMedicineIntent"),
    ("when am i allowed to do housework again", "SubjectIntent"),
    ("am i allowed to lift my grandbaby", "LiftingIntent"),
    ("how soon can i get behind the wheel again", "DrivingIntent"),
    ("should i be going for walks every day", "WalkingIntent"),
    ("which exercises will make my back stronger", "PhysicalTherapyIntent"),
    ("what complications can happen with kyphoplasty", "RisksIntent"),
    ("what signs mean i should call my doctor", "WarningSignsIntent"),
    ("my feet feel kind of tingly is that ok", ("SymptomIntent", "DescribeIntent")),  # both are triaged
    ("i think i am having a heart attack right now", "EmergencyIntent"),
    ("what date did i tell you for my surgery", "GetSurgeryDateIntent"),
    ("delete everything you have about me", "ForgetSurgeryDateIntent"),
    ("could you please repeat what you just said", "AMAZON.RepeatIntent"),
    ("what kinds of things can i ask you", "AMAZON.HelpIntent"),
]

OUT_OF_DOMAIN = ["play some jazz music", "set a timer for ten minutes", "turn on the kitchen lights",
                 "who won the football game", "order more paper towels", "what is the capital of france"]


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding.from_model_file()


def triage_of(words: str):
    """What the skill's triage makes of a slot's words (the handlers answer by it)."""
    return content.load("en-US").triage.classify(words)


def lands_on(meaning: Interpretation, intent: str) -> bool:
    """The intent, or SubjectIntent naming a covered subject that this intent's topic answers."""
    if meaning.intent == intent:
        return True
    if meaning.intent != "SubjectIntent":
        return False
    from skill import content

    ids = [v["value"]["id"] for s in meaning.slots
           for r in s.get("resolutions", {}).get("resolutionsPerAuthority", []) for v in r.get("values", [])]
    subject = content.load().subjects.get(ids[0].lower()) if ids else None
    return bool(subject and subject.topic and content.load().topics[subject.topic].intent == intent)


def one_slot(meaning: Interpretation, name: str) -> dict:
    (found,) = [s for s in meaning.slots if s["name"] == name]
    return found


def resolution(slot: dict) -> dict:
    return slot["resolutions"]["resolutionsPerAuthority"][0]


# ---------------------------------------------------------------- exact samples

@pytest.mark.parametrize("text, intent", [
    ("when can i drive", "DrivingIntent"),
    ("what is kyphoplasty", "AboutProcedureIntent"),
    ("can i lift my grandkids", "LiftingIntent"),
    ("what are the warning signs", "WarningSignsIntent"),
    ("what is the poison control number", "HelpNumbersIntent"),
    ("i can't breathe", "EmergencyIntent"),
    ("forget my surgery date", "ForgetSurgeryDateIntent"),
    ("what can you do", "AMAZON.HelpIntent"),
    ("say that again", "AMAZON.RepeatIntent"),
])
def test_exact_sample_lands_on_its_intent_with_full_confidence(understanding, text, intent):
    meaning = understanding.parse(text, TODAY)
    assert (meaning.intent, meaning.confidence) == (intent, 1.0)
    assert meaning.slots == [] and meaning.slot_words == {}


def test_every_model_sample_parses_to_its_own_intent_in_strict_mode(understanding):
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    fill = {"{date}": "october third", "{duration}": "three weeks", "{symptom}": "tingling",
            "{description}": "something odd happened", "{situation}": "something odd happens",
            "{question}": "tylenol", "{subject}": "take a shower"}
    wrong = []
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        free = any(s["type"] == "AMAZON.SearchQuery" for s in intent.get("slots", []))
        for sample in intent["samples"]:
            text = sample
            for hole, words in fill.items():
                text = text.replace(hole, words)
            meaning = understanding.parse(text, TODAY, strict=True)
            # a free-form carrier is only as sure as its few words
            sure = meaning.confidence == 1.0 or (free and "{" in sample and meaning.confidence >= nlu.FREE_FORM)
            if meaning.intent != intent["name"] or not sure:
                wrong.append((sample, intent["name"], meaning.intent, meaning.confidence))
    assert wrong == []


def test_date_said_without_a_year_is_the_next_one(understanding):
    meaning = understanding.parse("my surgery was on november tenth", TODAY)
    assert (meaning.intent, meaning.confidence) == ("SetSurgeryDateIntent", 1.0)
    assert one_slot(meaning, "date") == {"name": "date", "value": "2027-11-10", "confirmationStatus": "NONE",
                                         "source": "USER"}
    assert one_slot(meaning, "duration") == {"name": "duration", "confirmationStatus": "NONE"}
    assert meaning.slot_words == {"date": "november tenth"}


def test_duration_before_ago(understanding):
    meaning = understanding.parse("i had surgery two weeks ago", TODAY)
    assert (meaning.intent, meaning.confidence) == ("SetSurgeryDateIntent", 1.0)
    assert one_slot(meaning, "duration")["value"] == "P2W"
    assert "value" not in one_slot(meaning, "date")
    assert meaning.slot_words == {"duration": "two weeks"}


def test_digits_are_understood_like_words(understanding):
    meaning = understanding.parse("I had surgery 3 weeks ago.", TODAY)
    assert one_slot(meaning, "duration")["value"] == "P3W"


def test_known_symptom_resolves_to_its_id(understanding):
    meaning = understanding.parse("is tingling normal", TODAY)
    assert (meaning.intent, meaning.confidence) == ("SymptomIntent", 1.0)
    symptom = one_slot(meaning, "symptom")
    assert symptom["value"] == "tingling" and symptom["source"] == "USER"
    assert resolution(symptom)["status"]["code"] == "ER_SUCCESS_MATCH"
    assert resolution(symptom)["values"][0]["value"] == {"name": "tingling", "id": "TINGLING"}
    assert resolution(symptom)["authority"].endswith(".SymptomType")


def test_symptom_heard_with_more_words_still_resolves(understanding):
    meaning = understanding.parse("i have tingling in my toes", TODAY)
    symptom = one_slot(meaning, "symptom")
    assert symptom["value"] == "tingling in my toes"           # what was heard
    assert resolution(symptom)["values"][0]["value"]["id"] == "TINGLING"
    meaning = understanding.parse("is a little bit of chest tightness serious", TODAY)
    assert resolution(one_slot(meaning, "symptom"))["values"][0]["value"]["id"] == "CHEST_PAIN"


def test_unknown_symptom_is_heard_but_not_matched(understanding):
    meaning = understanding.parse("is a burning feeling in my elbow normal", TODAY)
    assert meaning.intent == "SymptomIntent"
    symptom = one_slot(meaning, "symptom")
    assert symptom["value"] == "a burning feeling in my elbow"
    assert resolution(symptom)["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert "values" not in resolution(symptom)
    assert meaning.slot_words == {"symptom": "a burning feeling in my elbow"}


def test_longest_sample_wins_over_a_slot_template(understanding):
    # an EmergencyIntent sample, although SymptomIntent's "i have {symptom}" also matches
    assert understanding.parse("i have terrible chest pain", TODAY).intent == "EmergencyIntent"


# ---------------------------------------------------------------- tolerance

@pytest.mark.parametrize("text, intent", PARAPHRASES)
def test_paraphrase_reaches_its_intent_with_less_than_full_confidence(understanding, text, intent):
    meaning = understanding.parse(text, TODAY)
    assert any(lands_on(meaning, i) for i in (intent if isinstance(intent, tuple) else (intent,)))
    # a paraphrase is no sample: less than sure, unless it fits a subject template with a known subject
    assert FALLBACK_THRESHOLD <= meaning.confidence < 1 or meaning.intent == "SubjectIntent"


def test_paraphrases_are_not_samples_nor_from_the_held_out_set():
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    samples = {s for i in model["interactionModel"]["languageModel"]["intents"] for s in i["samples"]}
    held_out = {str(c["say"]) for c in yaml.safe_load((ROOT / "tests/data/paraphrases.yaml").read_text())["cases"]}
    ours = {text for text, _ in PARAPHRASES} | set(OUT_OF_DOMAIN)
    assert not ours & samples
    assert not ours & (held_out - {"play some jazz music"})   # the brief's own example


def test_fillers_and_contractions_are_normalised(understanding):
    meaning = understanding.parse("um well when can i drive please", TODAY)
    assert (meaning.intent, meaning.confidence) == ("DrivingIntent", nlu.NORMALISED)
    meaning = understanding.parse("what is a compression fracture", TODAY)
    assert meaning.confidence == 1.0
    assert understanding.parse("what's a vertebral compression fracture", TODAY).intent == "CausesIntent"


@pytest.mark.parametrize("said", ["lately i feel like nothing tastes right",
                                  "these days i feel like my legs are heavy",
                                  "truth is i feel like i'm falling apart"])
def test_a_leading_adverb_does_not_hide_the_carrier_phrase(understanding, said):
    """"Lately i feel like {description}": the words reach the skill, as Alexa would send them, not Fallback."""
    meaning = understanding.parse(said, TODAY)
    assert meaning.intent == "DescribeIntent" and said.endswith(one_slot(meaning, "description")["value"])


def test_paraphrase_fills_a_date_found_in_the_sentence(understanding):
    meaning = understanding.parse("i got my back done on october third", TODAY)
    assert meaning.intent == "SetSurgeryDateIntent" and meaning.confidence < 1
    assert one_slot(meaning, "date")["value"] == "2027-10-03"
    meaning = understanding.parse("they operated on me about three weeks ago", TODAY)
    assert meaning.intent == "SetSurgeryDateIntent"
    assert one_slot(meaning, "duration")["value"] == "P3W"


def test_paraphrase_fills_a_symptom_found_in_the_sentence(understanding):
    meaning = understanding.parse("my toes keep tingling is that something to worry about", TODAY)
    assert meaning.intent == "SymptomIntent" and 0 < meaning.confidence < 1
    # the slot holds what was heard, for triage; a long phrase is no single value (ER_SUCCESS_NO_MATCH)
    assert one_slot(meaning, "symptom")["value"] == "my toes keep tingling is that something to worry about"
    assert resolution(one_slot(meaning, "symptom"))["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    short = understanding.parse("is tingling in my toes normal", TODAY)
    assert resolution(one_slot(short, "symptom"))["values"][0]["value"]["id"] == "TINGLING"


def test_invocation_and_punctuation_are_ignored(understanding):
    meaning = understanding.parse("Alexa, ask spine recovery helper: when can I drive?", TODAY)
    assert (meaning.intent, meaning.confidence) == ("DrivingIntent", 1.0)


@pytest.mark.parametrize("text", OUT_OF_DOMAIN + ["", "...", "banana"])
def test_nonsense_falls_back(understanding, text):
    """Requests for another skill fall back, or at most land in the bare "{symptom}" sample, barely and
    with no value resolved, because a few of their words are like its values ("lights", "paper"); or, said
    with a request's own verb ("set a timer", "order", "turn on"), in DescribeIntent, whose words the skill
    triages (a crisis may be said inside them) and finds nothing in: the "not sure" answer."""
    meaning = understanding.parse(text, TODAY)
    if meaning.intent == "DescribeIntent":
        assert triage_of(meaning.slot_words["description"]).level in (UNKNOWN, NOT_HEALTH)
        return
    if meaning.intent == "SymptomIntent":
        resolution = meaning.slots[0]["resolutions"]["resolutionsPerAuthority"][0]["status"]["code"]
        assert resolution == "ER_SUCCESS_NO_MATCH" and meaning.confidence < 0.5
        return
    assert meaning.intent == "AMAZON.FallbackIntent"
    assert meaning.slots == [] and 0 <= meaning.confidence < FALLBACK_THRESHOLD


@pytest.mark.parametrize("text", ["sudden agony in my spine", "thirty eight point five", "forty degrees and shivering"])
def test_a_fragment_like_the_symptom_values_is_heard_as_a_symptom(understanding, text):
    """A custom type with many values takes free speech: a fragment said without "I have" still carries
    its words to the skill, barely above the fallback."""
    meaning = understanding.parse(text, TODAY)
    assert meaning.intent == "SymptomIntent" and meaning.slot_words["symptom"] == text
    assert FALLBACK_THRESHOLD <= meaning.confidence < 0.5
    assert understanding.parse(text, TODAY, strict=True).intent == "AMAZON.FallbackIntent"


def test_strict_mode_refuses_a_paraphrase(understanding):
    text = "is it alright for me to get behind the wheel of my car again"
    assert understanding.parse(text, TODAY).intent == "DrivingIntent"
    assert understanding.parse(text, TODAY, strict=True).intent == "AMAZON.FallbackIntent"
    assert understanding.parse("um when can i drive", TODAY, strict=True).intent == "AMAZON.FallbackIntent"
    assert understanding.parse("When can I drive?", TODAY, strict=True).intent == "DrivingIntent"


# ---------------------------------------------------------------- elicitation

def test_bare_date_answers_the_elicited_slot(understanding):
    meaning = understanding.parse("november tenth", TODAY, elicit=DATE_ELICIT)
    assert (meaning.intent, meaning.confidence) == ("SetSurgeryDateIntent", 1.0)
    assert one_slot(meaning, "date")["value"] == "2027-11-10"


@pytest.mark.parametrize("text, value", [
    ("it was last tuesday", "2026-11-17"),
    ("i think it was yesterday", "2026-11-23"),
    ("um i believe it was on december third", "2026-12-03"),
])
def test_elicited_slot_samples(understanding, text, value):
    meaning = understanding.parse(text, TODAY, elicit=DATE_ELICIT)
    assert meaning.intent == "SetSurgeryDateIntent"
    assert one_slot(meaning, "date")["value"] == value


@pytest.mark.parametrize("text, intent", [
    ("stop", "AMAZON.StopIntent"),
    ("help", "AMAZON.HelpIntent"),
    ("cancel", "AMAZON.CancelIntent"),
    ("i have chest pain", "SymptomIntent"),
    ("i can't breathe", "EmergencyIntent"),
])
def test_other_intents_still_win_during_elicitation(understanding, text, intent):
    assert understanding.parse(text, TODAY, elicit=DATE_ELICIT).intent == intent


# ---------------------------------------------------------------- built-in intents

@pytest.mark.parametrize("text", ["yes", "yeah", "yep", "sure", "okay", "please do", "that's right",
                                  "yes please", "uh huh", "Yes, please."])
def test_yes(understanding, text):
    assert understanding.parse(text, TODAY).intent == "AMAZON.YesIntent"


@pytest.mark.parametrize("text", ["no", "nope", "no thanks", "not really", "that's wrong", "no thank you"])
def test_no(understanding, text):
    assert understanding.parse(text, TODAY).intent == "AMAZON.NoIntent"


@pytest.mark.parametrize("text, intent", [
    ("goodbye", "AMAZON.StopIntent"), ("i'm done", "AMAZON.StopIntent"), ("that's all", "AMAZON.StopIntent"),
    ("never mind", "AMAZON.CancelIntent"), ("forget it", "AMAZON.CancelIntent"),
    ("forget my surgery", "ForgetSurgeryDateIntent"), ("pardon", "AMAZON.RepeatIntent"),
    ("come again", "AMAZON.RepeatIntent"), ("go home", "AMAZON.NavigateHomeIntent"),
    ("what can i say", "AMAZON.HelpIntent"),
])
def test_built_in_phrasings(understanding, text, intent):
    assert understanding.parse(text, TODAY).intent == intent


@pytest.mark.parametrize("text", ["i can't breathe", "I can't breathe!", "i cannot breathe"])
def test_emergency(understanding, text):
    assert understanding.parse(text, TODAY).intent == "EmergencyIntent"


# An intent whose samples carry no words, answered with 911, 988 or Poison Control without reading any
# (issue 18, item 3): a shared word is not a match. Each of these once got one, by similarity:
# "close the light" the *closing* of "my throat is closing up", "light is too much" the "too much" of
# "she took too much medicine", "roll a die" "i want to die", the rest from CLINC150's requests.
EVERYDAY = ["close the light", "light is too much", "turn off the light", "set the living room lights to fifty percent",
            "can you call an uber for me", "call me an uber please", "what's going on around the neighborhood",
            "hello, how is it going", "roll a die please", "tell me what the point of life is",
            "what can i get with my mastercard points", "when does napa close", "are the schools closed",
            "why is the sky blue", "can you wake me up at noon", "dial her up", "do i control you",
            "tell me how many days i took off", "does someone else control you", "speed up speech please",
            "don't be synced to my phone anymore", "what am i gonna need for sushi",
            # an assistant's own command, no "i'm ending it" (the crisis sample it once matched): goodbye
            "alexa end the call", "end this call please",
            # a lonely thank-you is no goodbye (a crisis sample once said it), nor grief, travel or an early night
            "thanks for keeping me company all these years, you are a good friend", "the meeting was pointless",
            "i dont want to be here at the party, its too loud", "i dont plan on waking up before nine"]
ALARM_INTENTS = ("EmergencyIntent", "CrisisIntent", "OverdoseIntent", "ExtraDoseIntent")


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_request_is_no_slotless_alarm_intent(understanding, text):
    heard = understanding.parse(text, TODAY)
    assert heard.intent not in ALARM_INTENTS, (heard.intent, heard.confidence, heard.sample)


# Said as people say them, not as the samples are: still the alarm intent, or the free-words intents whose
# words the skill triages.
@pytest.mark.parametrize("text, intents", [
    ("i think he is having a heart attack", ("EmergencyIntent",)),
    ("he isnt breathing", ("EmergencyIntent",)),
    ("i cant breathe at all", ("EmergencyIntent",)),
    ("call 911", ("EmergencyIntent",)),
    ("my throat is closing", ("EmergencyIntent", "SymptomIntent")),
    ("she collapsed on the bathroom floor", ("EmergencyIntent",)),
    ("my back pain is suddenly so much worse", ("EmergencyIntent",)),
    ("i took too many of my pills", ("ExtraDoseIntent", "OverdoseIntent")),
    ("i think i took my pain tablets twice by mistake", ("ExtraDoseIntent",)),
    ("is it dangerous that i took double my hydrocodone", ("ExtraDoseIntent", "OverdoseIntent")),
    ("i wish i could go to sleep and never wake up", ("CrisisIntent",)),
    ("nobody would miss me if i was gone", ("CrisisIntent",)),
    ("i want to kill myself right now", ("CrisisIntent", "DescribeIntent")),
    ("i feel like i want to die", ("CrisisIntent", "DescribeIntent")),
    # help refused with the wish: Fallback before (its answer names no crisis line)
    ("just let me die, dont send no ambulance, dont send nothing", ("CrisisIntent",)),
    ("my husband is really confused and doesnt know where he is", ("EmergencyIntent", "DescribeIntent")),
])
def test_real_emergencies_still_reach_an_alarm_intent_or_the_words_are_triaged(understanding, text, intents):
    heard = understanding.parse(text, TODAY)
    assert heard.intent in intents, (heard.intent, heard.confidence, heard.sample)


# Two alarm samples said one after the other explain the sentence together: before, each explained half and the
# sentence went to Fallback, whose answer names no crisis line. Everyday sentences that say one of them stay out.
@pytest.mark.parametrize("text", [
    "whats the point of going on nobody would even miss me",
    "nobody needs me anymore i think it is time for me to leave this world",
    "life isnt worth living with this back, i have thought about how i would do it",
])
def test_two_crisis_samples_said_together_are_a_crisis(understanding, text):
    heard = understanding.parse(text, TODAY)
    assert heard.intent == "CrisisIntent", (heard.intent, heard.confidence, heard.sample)


@pytest.mark.parametrize("text", ["whats the point of this meeting nobody would even miss me if i skipped it",
                                  "this crossword is killing me", "the fastest way to kill weeds in the driveway"])
def test_one_crisis_word_among_everyday_words_is_no_crisis(understanding, text):
    assert understanding.parse(text, TODAY).intent not in ALARM_INTENTS


# "myself" weighs little in similarity, but a real match of an alarm intent counts it: before, "kill myself" was
# only "kill", which no crisis sample explains alone, and went to Fallback. "Yourself", "themselves" and "myself" are
# one concept, and "fastest" is "quickest": "what is the quickest way to kill myself" went to Fallback too, the
# sample saying "yourself"
@pytest.mark.parametrize("text", ["kill myself", "alexa how do i kill myself", "alexa what is the fastest way to kill myself",
                                  "what is the quickest way to kill myself", "how would someone kill themselves",
                                  "whats the best way to kill myself"])
def test_a_deed_done_to_oneself_is_a_crisis(understanding, text):
    heard = understanding.parse(text, TODAY)
    assert heard.intent == "CrisisIntent", (heard.intent, heard.confidence, heard.sample)


# ... and a sample's reflexive word left unsaid is no real match (the same samples once took "the fastest way to
# kill ants")
@pytest.mark.parametrize("text", ["kill the lights", "i hurt myself lifting the box", "i can drive myself",
                                  "whats the fastest way to kill ants", "what is the best way to kill weeds",
                                  "how would someone kill the ants"])
def test_a_deed_done_to_oneself_needs_the_crisis_words(understanding, text):
    assert understanding.parse(text, TODAY).intent not in ALARM_INTENTS


# A sentence that shares only a date with a sample is not that sample: "what's the weather tomorrow" was heard as
# setting the surgery date to tomorrow, and the skill asked to confirm it. A date said alone still sets it.
def test_a_date_alone_is_not_a_match_of_a_date_sample(understanding):
    assert understanding.parse("whats the weather tomorrow", TODAY).intent != "SetSurgeryDateIntent"
    assert understanding.parse("october third", TODAY).intent == "SetSurgeryDateIntent"


# A crisis said after an everyday request, joined by "and", "also", "but", "then" or "anyway", or starting again
# at "i", "he" or "she" (the comma speech recognition drops), is heard as if said alone when nothing fits the
# whole sentence: before, the request left too much unexplained and it went to Fallback, where the skill hears
# no words. Only when the part after the join would be the crisis by itself.
@pytest.mark.parametrize("text", [
    "alexa add milk to the list and i dont want to be alive anymore",
    "remind me to call the pharmacy and also i have been cutting myself again",
    "whats the weather tomorrow and also i keep thinking about killing myself and theres nobody here to tell",
    "whats the score of the game i dont care i just want to die",
    "set a timer for the roast he told me he doesnt want to live anymore",
])
def test_a_crisis_said_after_an_everyday_request_is_a_crisis(understanding, text):
    meaning = understanding.parse(text, TODAY)
    if meaning.intent == "DescribeIntent":     # a request's own verb took it there: its words are the crisis
        assert "self_harm" in triage_of(meaning.slot_words["description"]).families
        return
    assert meaning.intent == "CrisisIntent"


# A description said last, after words nothing fits ("you never let me finish, ..."), is heard as if said alone: it
# went to AMAZON.FallbackIntent, where the skill hears no words. Its slot is the whole sentence, so what the first
# words say (a question, a book, long ago, a denial) is kept. A description heard by likeness to a sample ("... look
# like {description}") fills its free-text slot too, as Alexa's AMAZON.SearchQuery takes the words around its carrier:
# with the slot empty, the skill asked "what are you feeling?" and never heard the crisis.
@pytest.mark.parametrize("text", [
    "you never let me finish, im going to jump off the overpass tonight",
    "stop talking about walking, im going to hang myself in the shed",
    "what happens to my pension when i kill myself",
    "um alexa, what does the weather look like, i wish i was dead",
    "is it a terrible thing to want to die tonight and not tell anyone",
])
def test_a_crisis_said_last_or_heard_by_likeness_reaches_triage(understanding, text):
    meaning = understanding.parse(text, TODAY)
    assert meaning.intent == "DescribeIntent"
    assert "self_harm" in triage_of(meaning.slot_words["description"]).families



# Older people drop the "i" ("sat on the dock ...", "thinking about ..."): a description begun with such a verb
# has it as its carrier, like "went" and "told". Before, nothing fitted and Fallback, which hears no words, answered.
@pytest.mark.parametrize("text", [
    "sat on the dock an hour thinking about walking into the lake and not coming back up",
    "thinking about driving off the canyon rim",
    "sitting in the garage with the motor running, i want it over",
])
def test_a_crisis_said_with_the_i_dropped_reaches_triage(understanding, text):
    meaning = understanding.parse(text, TODAY)
    assert meaning.intent == "DescribeIntent"
    assert {"self_harm", "self_harm_heard"} & set(triage_of(meaning.slot_words["description"]).families)


@pytest.mark.parametrize("text", [
    "how do i recognize a heart attack",
    "in the book im reading the old man has a stroke at his desk and nobody finds him",
    "years ago i had a seizure after a bad car accident, is it ok to ride in the car to my appointment",
    "no i dont want to kill myself im just mad at this washing machine",
])
def test_what_the_first_words_say_of_a_description_said_last_is_kept(understanding, text):
    meaning = understanding.parse(text, TODAY)
    assert meaning.intent == "DescribeIntent"
    assert meaning.slot_words["description"] == text.replace(",", "")
    assert triage_of(meaning.slot_words["description"]).level not in ("emergency", "urgent")


@pytest.mark.parametrize("text", [
    "alexa turn off the lights and i dont plan on waking up early tomorrow so no alarm please",
    "once in 2015 i had a nosebleed that wouldnt stop and ended up in the er",
    "add milk to the list and what time is it",
    "whats on tv tonight i want to watch the one where he kills the dragon",
])
def test_words_after_an_everyday_request_need_to_be_the_crisis_alone(understanding, text):
    assert understanding.parse(text, TODAY).intent != "CrisisIntent"


# A crisis said inside a request this skill can't carry out ("order a rope", "text my sister goodbye"), or asked of
# the speaker as a question ("is it a sin to ...", "would anybody care if ..."): before, nothing fitted and it went
# to AMAZON.FallbackIntent, where the skill hears no words; an everyday request or question there has no finding.
@pytest.mark.parametrize("text, crisis", [
    ("order a length of rope and a hook, i wont be needing groceries after this", True),
    ("send a message to my son that im sorry, i cant go on like this anymore", True),
    ("set an alarm for four, the house will be quiet enough to go through with it then", True),
    ("turn off the porch camera, i dont want anyone watching when i kill myself", True),
    ("do you think my grandkids would forgive me if i killed myself", True),
    ("would anybody really care if i ended my life this weekend", True),
    ("is it a sin to take my own life when the pain is this bad", True),
    ("do you think it will rain tomorrow", False),
    ("would my insurance cover a walker", False),
    # a plan put off till something is done, a prayer, a don't: Fallback before the carriers that open them
    ("once the dog is rehomed im going to hang myself, nobody will find me till monday", True),
    ("when the paperwork is done and the house is in my sons name ill kill myself", True),
    ("lord, i want to die, i cant take it", True),
    ("forgive me lord, tonight im going under in the bath and im not coming up", True),
    ("dont call anybody, i just want to die in peace tonight", True),
    ("once the brace comes off im going dancing, well maybe slow dancing", False),
    ("lord have mercy, the price of eggs makes my blood boil", False),
    # a short reply to the skill's question, then the crisis; a question about a place, then the plan
    ("whatever, ive decided, tonight i take every pill in the house and go to sleep for good", True),
    ("nope, i just keep thinking about hanging myself in the barn", True),
    ("doesnt matter anymore, i want to die", True),
    ("how cold is the river this time of year, i want to walk in and not come out", True),
    ("is the bridge on route nine high enough, i want to jump and end it", True),
    ("whatever, the game is on at eight", False),
    ("how cold is it going to get tonight, should i bring the plants in", False),
    ("wish i could see my sister more often", False),
    # opened by "nobody", or asking a height or a depth (writers W249-W256): Fallback before these carriers; the
    # first two reached the skill before too, by the plan said last
    ("how high is the footbridge by the station, i want to jump off it tonight", True),
    ("whats the deepest part of the lake, i want to walk out there and stay", True),
    ("nobody will need to worry about me after this weekend, i have made my arrangements", True),
    ("how high is mount everest", False),
    ("how deep is the channel tunnel", False),
    ("nobody called today, put the kettle on", False),
    # the person left out ("got", "might", "scratched"), or Spanish ("si", "nadie"): Fallback before these carriers
    ("got the rope up in the garage already, tonight is the night", True),
    ("might as well finish myself off, nobody would notice", True),
    ("scratched my arms with the scissors again last night, on purpose", True),
    ("si me muero hoy mejor, i have the gun here", True),
    ("ending it this weekend, the letters are written", True),
    ("might go to bingo if my back holds up", False),
    ("scratched the car on the gate post again", False),
    ("gonna watch the game with my brother tonight", False),
    # a height, a way or a floor asked about: Fallback before these carriers (the tuning set's Fallback crises)
    ("how high does the multistorey car park have to be to kill an old man", True),
    ("how high a drop would finish me off, asking for myself", True),
    ("is there any way to go quietly tonight without the kids finding me", True),
    ("how tall does a tree have to be to hang from, asking for me", True),
    ("what floor is the dentist on", False),
    ("is it painless to get your ears syringed", False),
    # a leave-taking first ("thanks", "goodnight", "see you"): Fallback before these carriers
    ("thanks for the company, you wont hear from me again, i have made my peace", True),
    ("thank you for keeping me company all these months, this is the last time you will hear my voice", True),
    ("bye for now, see you at bingo on thursday", False),
    ("thank you, that was a lovely song", False),
])
def test_a_crisis_inside_a_request_or_a_question_reaches_the_skill_with_its_words(understanding, text, crisis):
    meaning = understanding.parse(text, TODAY)
    assert meaning.intent == "DescribeIntent"
    found = triage_of(meaning.slot_words["description"])
    assert bool({"self_harm", "self_harm_heard"} & set(found.families)) == crisis
    assert crisis or found.level in (UNKNOWN, NOT_HEALTH)


# Plans said plainly in few words: before, nothing fitted them and they went to AMAZON.FallbackIntent, which
# carries no words
@pytest.mark.parametrize("text", [
    "wish the surgery had killed me, honestly",
    "bought a gun to use on myself",
    "my son has been cutting himself again",
])
def test_a_short_plain_plan_is_the_crisis_intent(understanding, text):
    assert understanding.parse(text, TODAY).intent == "CrisisIntent"


# "Don't" before the skill's own requests is never the request: "don't remind me" once set the reminder, "don't
# remember my date" saved it. Where the opposite has samples of its own, that intent; "don't remind me" has none
# (the validator refuses a sample that only "don't" tells from RemindMeIntent's "remind me"): not understood.
@pytest.mark.parametrize("text, intent", [
    ("don't remind me anymore", "CancelReminderIntent"),
    ("don't remind me", "DescribeIntent"),
    ("don't remember my surgery date", "ForgetSurgeryDateIntent"),
    ("don't keep my date", "ForgetSurgeryDateIntent"),
])
def test_a_dont_before_a_request_of_the_skill_is_never_the_request(understanding, text, intent):
    assert understanding.parse(text, TODAY).intent == intent


# Speech-to-text writes words whole: "talkin' 'bout killin'" reaches the skill as "talking about killing", which
# triage reads; before, the typed clipping went through and the engine found nothing. A word that only ends in
# "in" stays.
@pytest.mark.parametrize("text, words", [
    ("he keeps talkin bout hurtin himself", "keeps talking about hurting himself"),
    ("he keeps takin gabapentin for his nerves", "keeps taking gabapentin for his nerves"),
])
def test_clipped_words_are_heard_whole(understanding, text, words):
    heard = understanding.parse(text, TODAY)
    assert heard.intent == "DescribeIntent" and one_slot(heard, "description")["value"] == words, heard


# Alexa sends only the slot's words: an opener that carries no meaning ("pues", "lo siento mija", "mate") keeps
# what follows it whole for triage, where before the sentence went to Fallback and its words were lost.
@pytest.mark.parametrize("text, words", [
    ("lo siento mija pero i have thought about killing myself every day this week", "pero i have thought about"),
    ("mate im done with it all ive been thinking of topping myself", "thinking of topping myself"),
    ("pues mi esposo dice que se quiere morir", "mi esposo dice que se quiere morir"),
])
def test_a_meaningless_opener_carries_the_rest_to_triage(understanding, text, words):
    heard = understanding.parse(text, TODAY)
    assert heard.intent == "DescribeIntent" and words in one_slot(heard, "description")["value"], heard


# ... but never an opener that means something: the slot would lose it ("nobody | would miss me"), and
# "you know what" would make every "what ..." question a description
@pytest.mark.parametrize("text", ["nobody would miss me if i was gone", "what does a stroke look like"])
def test_no_opener_that_means_something(understanding, text):
    heard = understanding.parse(text, TODAY)
    assert heard.sample not in ("nobody {description}", "you know what {description}", "what {description}"), heard


def test_only_slotless_intents_need_a_real_match(understanding):
    assert understanding.real_match == frozenset(ALARM_INTENTS)
    from skill import interceptors

    assert set(interceptors.EMERGENCY_INTENTS) == set(nlu.REAL_MATCH)     # the intents answered without their words
    with_slots = {"interactionModel": {"languageModel": {"invocationName": "x", "types": [], "intents": [
        {"name": "EmergencyIntent", "slots": [{"name": "what", "type": "AMAZON.SearchQuery"}],
         "samples": ["help {what}"]}]}}}
    assert Understanding(with_slots).real_match == frozenset()


# ---------------------------------------------------------------- API

def test_top_lists_distinct_intents_best_first(understanding):
    ranked = understanding.top("how long will the pain last after kyphoplasty", TODAY, n=3)
    assert len(ranked) == 3 and ranked[0].intent == "PainIntent"
    assert len({m.intent for m in ranked}) == 3
    assert [m.confidence for m in ranked] == sorted((m.confidence for m in ranked), reverse=True)
    assert understanding.top("how long will the pain last after kyphoplasty", TODAY, n=1) == [
        understanding.parse("how long will the pain last after kyphoplasty", TODAY)]


def test_top_puts_fallback_first_then_near_misses(understanding):
    ranked = understanding.top("play some jazz music", TODAY, n=3)
    assert ranked[0].intent == "AMAZON.FallbackIntent"
    assert all(m.confidence <= ranked[0].confidence for m in ranked[1:])


def test_today_may_be_a_datetime(understanding):
    meaning = understanding.parse("it was yesterday", datetime(2026, 11, 24, 9, 30), elicit=DATE_ELICIT)
    assert one_slot(meaning, "date")["value"] == "2026-11-23"


def test_model_file_path_is_optional():
    assert Understanding.from_model_file(MODEL).parse("when can i drive", TODAY).intent == "DrivingIntent"


def test_deterministic(understanding):
    text = "is it alright to carry a bag of flour"
    assert len({repr(Understanding.from_model_file().top(text, TODAY)) for _ in range(3)}) == 1
    assert understanding.top(text, TODAY) == understanding.top(text, TODAY)


@pytest.mark.parametrize("text", ["me caí en el patio hace rato and i hit my head on the step", "me caí y me duele la espalda"])
def test_a_spanish_me_stays_with_its_verb(understanding, text):
    """"me caí" is "I fell": a "me {description}" carrier (tried, then dropped) sent "caí y me duele la espalda" to
    triage, which found no fall; the tuning set's "me caí en la cocina ... my head hit the counter" lost its 911."""
    meaning = understanding.parse(text, TODAY)
    assert triage_of(" ".join(w for w in meaning.slot_words.values() if w)).level == "emergency"
