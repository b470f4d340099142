"""Everyday questions the article does not answer: an honest "that isn't covered", who to ask, the
nearest article fact; never another topic, never the date dialog, never 911 first. In every state."""
import pytest

from skill import content
from skill_tools import content_build
from skill_tools.simulator import corpus

C = content.load()

# Written by hand, first and third person, the way people ask (not generated from the word lists).
ASKED = {
    "showering": ["can I take a shower", "when can my wife have a bath"],
    "sleeping": ["when can I sleep on my side", "is it okay for my husband to sleep on his stomach"],
    "sex": ["when can we have sex again", "can my husband have sex yet"],
    "work": ["when can I go back to work", "when can my wife return to work"],
    "travel": ["can I fly next week", "can my husband take a trip to see his sister"],
    "passenger": ["can I ride in the car with my daughter", "can my mom be a passenger on the way home"],
    "swimming": ["can I go swimming", "is it okay for him to get in the hot tub"],
    "sports": ["when can I play golf again", "can my wife go back to yoga", "can he ride his bike",
               "when can she do her gardening"],
    "housework": ["can I vacuum", "when can my mother do the housework"],
    "bending": ["can I bend over to tie my shoes", "is it okay for him to bend down"],
    "stairs": ["can I go up and down the stairs", "can my dad climb the stairs"],
    "dog": ["can I walk the dog", "can my husband take the dog out"],
    "brace": ["should I wear a back brace", "does my wife need to wear her brace"],
    "follow_up": ["when is my follow up appointment", "when should my husband see the surgeon again"],
    "wound_care": ["when do the stitches come out", "can my wife take off the bandage"],
    "ice_heat": ["should I use ice or heat", "can my husband use a heating pad"],
    "alcohol": ["is it okay to have a glass of wine", "can my husband have a beer"],
}
STATES = tuple(corpus.STATES)


def test_every_uncovered_subject_of_the_content_is_asked_here():
    uncovered = {k for k, s in C.subjects.items() if s.topic is None}
    assert uncovered == set(ASKED)


@pytest.fixture(scope="module")
def heard():
    entries = [{"text": text, "level": "not_alarm", "family": key} for key, texts in ASKED.items() for text in texts]
    return corpus.run(entries, states=STATES)


@pytest.mark.parametrize("state", STATES)
def test_each_uncovered_subject_gets_the_referral_and_the_nearest_fact(heard, state):
    wrong = []
    for said in (s for s in heard if s.state == state):
        subject = C.subjects[said.family]
        expected = [C.phrases["not_covered"].format(title=subject.title), C.referrals[subject.who]]
        if subject.nearest:
            expected.append(C.nearest_facts[subject.nearest]["say"])
        missing = [e for e in expected if e not in said.speech]
        other_topic = [t.key for t in C.topics.values() if t.answer in said.speech]
        if missing or other_topic or said.emergency_first or "What date was your surgery" in said.speech:
            wrong.append((said.text, said.intent, said.speech[:120]))
    assert not wrong


def test_a_covered_subject_answers_with_its_topic(talk):
    from skill_tools.simulator.device import Simulator

    sim = Simulator(talk)
    assert sim.say("am i allowed to lift my grandbaby").speech.startswith(C.topics["lifting"].answer)
    assert sim.say("how soon can i get behind the wheel again").speech.startswith(C.topics["driving"].answer)


def test_moving_a_subject_to_covered_changes_the_answer_and_the_slot_values():
    """A clinician gives a subject a topic: it is then answered by that topic, and the model's values follow."""
    import copy
    import json

    data = json.loads((content.CONTENT_DIR / content.COMPILED).read_text())["data"]
    recovery = copy.deepcopy(data["recovery.yaml"])
    recovery["subjects"]["stairs"] = {"topic": "walking", "words": recovery["subjects"]["stairs"]["words"]}
    moved = content.Content.from_dicts(recovery, data["triage.yaml"])
    assert moved.subjects["stairs"].topic == "walking"
    assert moved.subject_in("can i climb the stairs").topic == "walking"
    values = {v["id"] for v in moved.subject_slot_type()["values"]}
    assert "STAIRS" in values


def test_the_model_slot_values_are_the_content_subjects():
    model = json.loads(content_build.MODEL.read_text(encoding="utf-8"))
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    assert types["SubjectType"] == C.subject_slot_type(), "run make content"


def test_help_says_what_the_skill_can_and_cannot_answer(talk):
    speech = talk.intent("AMAZON.HelpIntent").speech
    assert "For things it doesn't cover" in speech and "who to ask" in speech


import json  # noqa: E402  (used by the tests above)
