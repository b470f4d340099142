"""Rules tuned on the sixtieth and sixty-first writers' files (a patient's and a caregiver's week): each rule with
the shape it must catch and an everyday twin it must not."""
import pytest

from skill import content

triage = content.load().triage


@pytest.mark.parametrize("said, level", [
    # "never used to" says the sign is new now, not denied; a plain "never" still denies
    ("i never used to get out of breath walking to the mailbox", "emergency"),
    ("i never get out of breath walking to the mailbox", "unknown"),
    # numbness creeping up the legs is spreading: 911; numb feet alone are for the doctor
    ("the numbness in her feet has crept up to her shins", "emergency"),
    ("her feet are numb", "doctor"),
    # a little relative who swallowed a pill; a bottle a child played with found open
    ("my little niece swallowed one of grandpas heart pills", "emergency"),
    ("my niece picked up my prescription", "medicine"),
    ("the baby was playing with grandmas pill bottle and the cap was off", "emergency"),
    ("the baby was playing with an empty water bottle", "not_health"),
])
def test_shape_and_twin(said, level):
    assert triage.classify(said).level == level, triage.classify(said)


@pytest.mark.parametrize("said, level", [
    # "about" as "nearly": a shock at a price is no heart attack; one had is
    ("i about had a heart attack when the bill came", "not_health"),
    ("i think i had a heart attack this morning", "emergency"),
    # a dull talk that could knock anyone out; a man knocked out cold by a fall
    ("that lecture would knock you out cold", "not_health"),
    ("he fell off the ladder and was knocked out cold", "emergency"),
])
def test_figure_and_twin(said, level):
    assert triage.classify(said).level == level, triage.classify(said)


@pytest.mark.parametrize("said, level", [
    # asleep through the day's meals is sleeping all day: the doctor; a night slept through is sleep
    ("grandpa slept right through breakfast and lunch", "doctor"),
    ("i slept right through the night", "not_health"),
    ("she sleeps from lunch clear to bedtime", "doctor"),
    # "sit a spell" is a while, not a fainting spell
    ("come in and sit a spell", "unknown"),
    ("she had a fainting spell in the kitchen", "emergency"),
    # pills hard to swallow whole are a medicine question; a throat that will not swallow is not
    ("can i crush his pills, he has trouble swallowing them", "medicine"),
    ("he suddenly has trouble swallowing and his speech is slurred", "emergency"),
    # low on energy is tiredness
    ("mom is low on energy since the surgery", "expected"),
])
def test_everyday_words_and_twin(said, level):
    assert triage.classify(said).level == level, triage.classify(said)


@pytest.mark.parametrize("said, level", [
    # no bowel movement since a time is constipation said, not denied; no problems with them is denied
    ("no bowel movement since she came home", "doctor"),
    # a few pink drops on the gauze are for the doctor; gauze bought is nothing
    ("a little pink fluid on the gauze this morning", "doctor"),
    ("i picked up more gauze at the store", "unknown"),
    # hurting more than at an earlier week is pain getting worse; a bruise that looks worse than it feels is a bruise
    ("shes hurting more than she was last week", "doctor"),
    ("the bruise on her hip looks worse than it feels", "expected"),
])
def test_wound_bowel_and_pain(said, level):
    assert triage.classify(said).level == level, triage.classify(said)


@pytest.mark.parametrize("said, answer", [
    # "just" as "only" after "he's" asks about a sign; "just" as "just now" tells of one
    ("how can i tell if he's just sleepy or too hard to wake up", "other"),
    ("what if he just collapsed", "emergency"),
])
def test_what_if_just(said, answer):
    from skill_tools.simulator import corpus
    result, = corpus.run([{"text": said, "level": "not_alarm"}], states=("one-shot",))
    assert (result.intent, result.answer) == ("WhatIfIntent", answer), result
