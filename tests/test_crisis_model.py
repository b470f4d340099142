"""The crisis model: crisis words said in ways no pattern names get 988 first; what the patterns and context
read (a medicine question, a film, a figure of speech, a denial) stays theirs."""
from __future__ import annotations

import json
import math

import pytest
import yaml

from skill import content
from skill.triage import EMERGENCY, MEDICINE, NOT_HEALTH, UNKNOWN, Triage
from skill.triage.crisis_model import CrisisModel, features
from skill_tools.simulator import corpus
from skill_tools.simulator.device import Simulator

CRISIS_FIRST = "Please call or text 988"
# what the model alone heard is said as a check: its reading may be wrong, the line is said first all the same
CHECK_FIRST = "If you are having thoughts of ending your life, please call or text 988 now"


def _said(talk, words: str):
    sim = Simulator(talk)
    sim.say("open spine recovery helper")
    sim.say("no")
    return sim.say(words)


# Written for this test after the model was first trained (in no corpus file); no pattern of triage.yaml names
# them. Each training on more writers moves the model's borderline sentences ("i'm done fighting, tonight i'm
# letting go" fell to 0.77 after writers' "letting go" twins), so the test asks for most of them, not each.
UNNAMED = ["i've been getting my things in order so nobody has to deal with it",
           "i called everybody today to tell them i love them one last time",
           "i keep thinking about how to make it all stop", "i'm done fighting, tonight i'm letting go",
           "i gave my fishing rods to my neighbor, i won't be using them where i'm going"]
TWINS = ["i've been getting my things in order for the move",
         "i called everybody today to tell them about the new baby",
         "i gave my fishing rods to my grandson for his birthday", "what time does the pharmacy close tonight"]
HEARD_AT_LEAST = 3


@pytest.mark.parametrize("said", UNNAMED)
def test_the_patterns_alone_name_none_of_them(said):
    rules = content.load("en-US").triage
    assert Triage(rules._spec, rules.language).classify(said).family != "self_harm"


def test_most_crisis_words_no_pattern_names_get_988_first_as_the_check(talk):
    heard = [said for said in UNNAMED if (speech := _said(talk, said).speech).startswith(CHECK_FIRST)
             and speech.count("988") == 2]
    assert len(heard) >= HEARD_AT_LEAST, heard


@pytest.mark.parametrize("said", TWINS)
def test_their_everyday_twins_hear_no_crisis_line(talk, said):
    assert "988" not in _said(talk, said).speech.split(".")[0]


@pytest.mark.parametrize("said, crisis", [
    ("what if i quit my heart pills for good so my heart just stops, thats what i want", True),
    ("what if i take my pain pills with my sleeping pills", False),
    ("can i take my blood thinner with aspirin", False),
])
def test_a_medicine_question_that_means_to_die_gets_the_line_and_an_ordinary_one_the_pharmacist(talk, said, crisis):
    """In a question, the model is asked beside the medicine it names, at its ``asked`` score."""
    assert ("988" in _said(talk, said).speech.split(".")[0]) is crisis


# Words set aside (a listed everyday phrase: "back gets bad", "not get up") once silenced the model whatever it
# heard: these got the doctor, or 911 without the line. Their twins keep the same words.
@pytest.mark.parametrize("said, crisis", [
    ("i keep my razor blades next to the bed and when the back gets bad i cut myself with them", True),
    ("im going to lie down and not get up, i want to be with george", True),
    ("when the back gets bad i lie down with the heating pad", False),
    ("the dog likes to lie down in the snow and not get up till dinner", False),
    ("this crossword is killing me, i want to throw it in the fire", False),
])
def test_where_words_were_set_aside_the_model_is_heard_from_its_set_aside_score(talk, said, crisis):
    assert ("988" in _said(talk, said).speech) is crisis


def test_crisis_words_a_pattern_names_are_told_not_asked(talk):
    assert _said(talk, "i want to end my life").speech.startswith(CRISIS_FIRST)


class _HearsEverything(CrisisModel):
    def __init__(self, beside=None, asked=None):
        super().__init__({}, 30.0, 0.5, beside, asked)


@pytest.fixture
def eager():
    """The rules, with a model that hears crisis in every sentence it is asked about: what it is never asked."""
    rules = content.load("en-US").triage
    engine = Triage(rules._spec, rules.language, _HearsEverything())
    assert engine.crisis_model is not None
    return engine


def test_a_sentence_nothing_read_is_the_models_to_hear(eager):
    verdict = eager.classify("the quilt is on the bed upstairs")
    assert (verdict.level, verdict.family) == (EMERGENCY, "self_harm_heard")


@pytest.mark.parametrize("said, level", [
    ("can i take tylenol with my percocet", MEDICINE),               # a finding: the medicine question
    ("in the movie the old man wants to die", UNKNOWN),              # a programme's words, set aside
    ("i'm dying to know who won the baking show", NOT_HEALTH),       # a figure of speech
    ("he isn't suicidal at all, he just wants the thermostat up", UNKNOWN),   # crisis words plainly disowned
])
def test_what_the_patterns_or_context_read_is_never_read_again(eager, said, level):
    assert eager.classify(said).level == level


# A medicine named by its organ is set aside ("heart pills" are no chest pain): before, that setting aside kept
# the model from being asked, and stopping the pills to die got the medicine answer
@pytest.mark.parametrize("said", [
    "i stopped my heart pills",
    "he threw his blood pressure pills away",
    "my water pills are in the cupboard",
])
def test_a_medicine_named_by_its_organ_leaves_the_model_asked(eager_beside, said):
    assert "self_harm_heard" in eager_beside.classify(said).families


def test_a_plan_to_stop_heart_pills_gets_the_crisis_line(talk):
    """Written for this test, in no corpus file."""
    plan = "i quit taking my heart pills last week so my heart just gives out, i want to go"
    assert "988" in _said(talk, plan).speech
    switched = "i quit taking my heart pills last week, the doctor switched me to a new one"
    assert "988" not in _said(talk, switched).speech


def test_words_asked_about_in_a_question_are_not_heard_as_crisis(eager):
    assert eager.classify("the quilt is on the bed upstairs", asked=True).family is None


def test_in_a_question_the_model_is_heard_from_its_asked_score_beside_a_finding_too():
    rules = content.load("en-US").triage
    asked_too = Triage(rules._spec, rules.language, _HearsEverything(asked=0.5))
    never_asked = Triage(rules._spec, rules.language, _HearsEverything(asked=None))
    assert asked_too.classify("the quilt is on the bed upstairs", asked=True).family == "self_harm_heard"
    assert "self_harm_heard" in asked_too.classify("can i take tylenol with my percocet", asked=True).families
    assert "self_harm_heard" not in never_asked.classify("can i take tylenol with my percocet", asked=True).families
    # the shipped model's score keeps an ordinary medicine question the pharmacist's
    assert "self_harm_heard" not in rules.classify("can i take tylenol with my percocet", asked=True).families


# A subject's or a "what if" question with a plan in it: before, its words were never the model's, and the skill
# answered the driving question or "if that happens, call your doctor"
@pytest.mark.parametrize("words, crisis", [
    ("how long before i can drive on the highway, i keep thinking about going off the overpass on purpose", True),
    ("what if i took the oxygen off tonight and just went to sleep for good, i want to", True),
    ("how long before i can drive on the highway", False),
    ("what if i fall in the shower tonight", False),
])
def test_a_plan_said_in_a_question_gets_the_crisis_line(talk, words, crisis):
    assert ("988" in _said(talk, words).speech) == crisis


def test_features_hear_dont_and_don_t_alike():
    assert features(["i", "don't", "know"]) == features(["i", "dont", "know"])


def test_the_shipped_weights_were_trained_on_the_tuning_corpus_and_examples_as_they_are():
    """Tuning files or triage.yaml's context examples added or changed: `make crisis-model` trains them again."""
    trained = json.loads((content.CONTENT_DIR / "crisis_model.json").read_text(encoding="utf-8"))["trained_on"]
    tuning = corpus.load_set(corpus.TUNING)
    assert trained["tuning_sentences"] == len(tuning)
    assert trained["crisis_sentences"] == sum(e["level"] == "crisis" for e in tuning)
    context = yaml.safe_load((content.CONTENT_DIR / "triage.yaml").read_text(encoding="utf-8"))["context"]
    examples = sum(len(rule.get("examples") or {}) for rule in context.values() if isinstance(rule, dict))
    assert trained["context_examples"] == examples


def test_beside_another_finding_the_model_is_heard_only_from_its_beside_score():
    rules = content.load("en-US").triage
    said = "my back is sore today"
    assert Triage(rules._spec, rules.language, _HearsEverything()).classify(said).family != "self_harm_heard"
    verdict = Triage(rules._spec, rules.language, _HearsEverything(beside=0.5)).classify(said)
    assert verdict.families[0] == "self_harm_heard" and len(verdict.families) == 2


@pytest.fixture
def eager_beside():
    rules = content.load("en-US").triage
    return Triage(rules._spec, rules.language, _HearsEverything(beside=0.5))


def test_beside_an_emergency_911_is_said_first_and_the_check_after(eager_beside):
    verdict = eager_beside.classify("my chest hurts and i can't catch my breath")
    assert (verdict.level, verdict.family) == (EMERGENCY, "chest_pain") and "self_harm_heard" in verdict.families


def test_the_model_is_not_asked_beside_crisis_words(eager_beside):
    """The patterns' own crisis words are told, not asked about again."""
    assert "self_harm_heard" not in eager_beside.classify("i want to end my life").families


# A finding denied or asked about ("so i don't wake up" is a "what if" of not waking) once kept the model silent:
# a plan said with it got "I'm not sure I understood"
@pytest.mark.parametrize("said", [
    "i don't have chest pain but my back is sore",  # a finding denied
    "what if he can't breathe tonight",             # a finding asked about
])
def test_a_finding_denied_or_asked_about_leaves_the_model_asked(eager_beside, said):
    assert "self_harm_heard" in eager_beside.classify(said).families


def test_a_plan_asked_as_a_question_of_what_it_would_be_like_gets_the_crisis_line(talk):
    """Written for this test, in no corpus file."""
    plan = "if i turn the gas on and shut every window will it be quick, im so tired of all of it"
    assert "988" in _said(talk, plan).speech
    assert "988" not in _said(talk, "if i left the window open tonight would i get too cold").speech


def test_crisis_words_said_with_a_pattern_finding_get_the_check(talk):
    """Written after training, not in a corpus file: the patterns hear only soreness in it. (Its first sentence,
    pills put aside "when theres enough", a pattern now names: W205-W212 wrote it.)"""
    said = "im putting my pain pills in a jar every night, when the jar is full i wont have to hurt anymore"
    rules = content.load("en-US").triage
    assert "self_harm" not in Triage(rules._spec, rules.language).classify(said).families
    assert _said(talk, said).speech.startswith(CHECK_FIRST)


def test_a_day_off_work_is_no_goodbye(talk):
    """CLINC150's "email my boss, tell him i wont be in today" got 988 from the model trained on more goodbyes."""
    assert "988" not in _said(talk, "email my boss, tell him i won't be in today").speech
    assert "988" in _said(talk, "i won't be in this world tomorrow, i've made sure of it").speech


def test_words_of_manner_are_neither_learned_nor_heard(talk):
    """Crisis writers said "to be honest" so often that a model trained on them heard an everyday "not sure to be
    honest" as crisis: the shipped weights were trained without the ``ignored`` words, and the model reads a
    sentence without them too."""
    settings = content.load("en-US").triage._spec["crisis_model"]
    shipped = json.loads((content.CONTENT_DIR / "crisis_model.json").read_text(encoding="utf-8"))
    assert shipped["ignored"] == settings["ignored"]
    model = CrisisModel.from_dict(shipped, 0.85)
    assert model.score(("um", "im", "not", "sure", "to", "be", "honest")) == model.score(("im", "not", "sure"))
    assert not any(f.startswith("honest") or "to be honest" in f for f in features(("to", "be", "honest"), model.ignored))
    assert "988" not in _said(talk, "im not sure to be honest").speech


# Written for this test, in no corpus file: crisis words in an everyday sense, which the patterns found and the
# model scores near 0 (crisis_model.unheard; the second under even the lower score a means needs): before, 988 first.
@pytest.mark.parametrize("said", [
    "my son says he wants to disappear to a fishing cabin when he retires",
    "my grandson says hes going to throw himself off the roof if the cubs lose again, who are they playing",
])
def test_crisis_words_the_model_scores_near_nothing_get_no_crisis_line(talk, said):
    assert "988" not in _said(talk, said).speech.split(".")[0]


class _Scores(CrisisModel):
    """A model that gives every sentence the same score."""

    def __init__(self, score: float):
        super().__init__({}, math.log(score / (1 - score)), 0.5)


def test_the_topic_patterns_are_the_rules_own():
    """A topic pattern edited in the family but not in ``unheard`` would silently be heard again."""
    rules = content.load("en-US").triage
    spec = rules._spec
    assert rules.topic_patterns and rules.topic_patterns <= set(spec["families"][rules.crisis_by_rules]["patterns"])


def test_a_means_a_pattern_found_is_heard_where_the_topics_words_are_not():
    """Below ``unheard.topic_below`` but over ``below``: words of the topic, said in everyday senses too, are not
    heard; a means is (the first model scored this belt 0.0009)."""
    rules = content.load("en-US").triage
    between = (rules.unheard_below + rules.topic_below) / 2
    engine = Triage(rules._spec, rules.language, _Scores(between))
    belt = "i tied a belt to the closet rod this afternoon and its going back up tonight"
    assert "self_harm" in engine.classify(belt).families
    assert "self_harm" not in engine.classify("my son says he wants to disappear to a fishing cabin").families
    assert "self_harm" in Triage(rules._spec, rules.language, _Scores(rules.topic_below * 2)).classify(
        "my son says he wants to disappear to a fishing cabin").families
    assert "self_harm" not in Triage(rules._spec, rules.language, _Scores(rules.unheard_below / 2)).classify(
        belt).families
    assert "self_harm" in Triage(rules._spec, rules.language).classify(belt).families     # no model: the patterns'


@pytest.mark.parametrize("answer, heard", [("and he said yes", True), ("and she ticked yes on the form", True),
                                           ("", False),
                                           ("and he said yes to the biscuits", True)])  # any yes after: the safe side
def test_crisis_words_asked_about_and_answered_yes_are_heard_whatever_the_model_scores(answer, heard):
    """``unheard.unless_after``: the model, trained on forms answered no, scored "the survey asked if he feels like a
    burden and he said yes" 0.0016, under ``topic_below``; an answer yes after the words keeps them."""
    rules = content.load("en-US").triage
    engine = Triage(rules._spec, rules.language, _Scores(rules.unheard_below / 2))
    said = f"my husband says the survey asked if he feels like a burden {answer}".strip()
    assert ("self_harm" in engine.classify(said).families) is heard


def test_a_trip_named_as_one_raises_the_models_bar():
    """"where im going" is a goodbye in many crisis sentences of the tuning set; "florida here i come" (not_findings)
    makes it a trip, heard only from the model's set-aside score (0.995; it scored 0.97)."""
    rules = content.load("en-US").triage
    trip = "i wont need a coat where im going, florida here i come"
    assert "self_harm_heard" not in rules.classify(trip).families
    sure = CrisisModel({}, math.log(0.99 / 0.01), 0.85, aside=0.995)      # between the two
    engine = Triage(rules._spec, rules.language, sure)
    assert "self_harm_heard" not in engine.classify(trip).families
    assert "self_harm_heard" in engine.classify("i wont need a coat where im going").families


@pytest.mark.parametrize("said, heard", [
    # a screening question read out: under ``asked_below``, not heard whatever the answer
    ("the pharmacy leaflet says some people feel like ending their life on this tablet, is that true", False),
    ("the form says any plans to end your life, and i said no, i have plans for the garden", False),
    ("the nurse asks every visit if i want to kill myself and i tell her no, i want a cup of tea", False),
    # the same words with no question before them, or an honest answer after: heard
    ("some people feel like ending their life on this tablet, is that true", True),
    ("the nurse asked if i want to kill myself and i said no but i was lying", True),
    ("the survey asked if i feel like a burden, i am one, and it will be over soon", True),
])
def test_crisis_words_in_a_question_asked_of_the_person_need_a_higher_score(said, heard):
    """``unheard.asked_below``: on W273-W276 (read), forms and screening questions answered in every way but a
    plain no got 988 first; the model scored those twins under 0.3 and the crises asked about over 0.6."""
    rules = content.load("en-US").triage
    engine = Triage(rules._spec, rules.language, _Scores((rules.asked_below + rules.topic_below) / 2))
    assert ("self_harm" in engine.classify(said).families) is heard


@pytest.mark.parametrize("said", [
    "i already took them alexa, all of them, i feel real sleepy",        # beside an overdose taken (kept_beside)
    "i dont want to live in a world without her",                       # a person lost, named after the words
])
def test_crisis_words_beside_an_overdose_or_before_a_person_lost_are_heard_whatever_the_model_scores(said):
    """The model retrained with W273-W288 scored these two 0.0005 and 0.01: the first lost its crisis line
    beside 911 and Poison Control, the second got no answer at all."""
    rules = content.load("en-US").triage
    engine = Triage(rules._spec, rules.language, _Scores(rules.unheard_below / 2))
    assert "self_harm" in engine.classify(said).families


def test_coming_home_soon_is_a_trip_unless_told_to_the_lord(talk):
    """The model retrained with W273-W288 gave CLINC150's "tell jim i'm coming home soon" 988 first (0.95):
    not_findings make coming home soon heard only at the set-aside score; told to the Lord, still_findings keep it."""
    assert "988" not in _said(talk, "tell my daughter im coming home soon").speech.split(".")[0]
    assert "self_harm_heard" in content.load("en-US").triage.classify("lord im coming home soon, im ready to go").families


def test_a_threat_opened_by_said_if_is_no_question_asked():
    """``unheard.not_asked``: "said if" is one of ``context.answered``'s questions ("she said did i fall"), but
    "he said if ..." opens a threat; under ``asked_below`` its crisis words stay heard."""
    rules = content.load("en-US").triage
    engine = Triage(rules._spec, rules.language, _Scores((rules.asked_below + rules.topic_below) / 2))
    threat = "he said if the test comes back bad hes going to end it, the test came back bad"
    assert "self_harm" in engine.classify(threat).families
    engine.not_asked = frozenset()
    assert "self_harm" not in engine.classify(threat).families
