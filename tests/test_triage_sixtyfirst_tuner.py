"""Rules tuned on two writers' files (t61): figures of speech with a body, blood or danger word, things that
bleed, drown, collapse, fall or choke, and health words in ordinary senses (a support group, a seizure dog, a
class on narcan). Each rule with its everyday twin, which is no alarm, and a real alarm said with the same words,
which stays one."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


@pytest.mark.parametrize("said, alarm", [
    # sayings
    ("the scandal gave the whole town a black eye", False),
    ("i fell and have a black eye and i cant see out of it", True),
    ("we keep dragging our feet on the taxes", False),
    ("he is dragging his feet and cant lift his right leg", True),
    ("a bitter wind off the lake today", False),
    ("i am so winded i cant catch my breath", True),
    ("the crowd was out for blood", False),
    ("he is bleeding and the blood wont stop", True),
    ("like getting blood from a stone", False),
    ("nobody would stand up for her at the meeting", False),
    ("i cant stand up my legs wont hold me", True),
    ("you need a chill pill", False),
    ("i couldnt see my hand in front of my face it was so dark", False),
    ("suddenly i cant see out of my left eye", True),
    ("that coffee would choke a horse", False),
    ("he is choking on a piece of meat", True),
    ("that whiskey will put hair on your chest", False),
    ("she keeps things close to her chest", False),
    ("my chest is killing me", True),
    ("he is my flesh and blood", False),
    ("mom nearly burst a blood vessel when she saw the mess", False),
    ("you will give your dad a stroke", False),
    ("my dad is having a stroke his face is drooping", True),
    ("the pitcher choked in the ninth", False),
    ("my husband choked and he cant breathe", True),
    ("i said goodbye with a heavy heart", False),
    ("she was cussing under her breath", False),
    ("i am so out of breath i cant talk", True),
    ("the station went to dead air", False),
    ("my analysis paralysis over paint colors", False),
    ("my legs have paralysis since this morning", True),
    # things, not people
    ("the maple is bleeding sap", False),
    ("the jeans bled in the wash", False),
    ("my arm is bleeding all over", True),
    ("how much air should the bike tire have", False),
    ("the tent collapsed in the storm", False),
    ("my wife collapsed in the kitchen", True),
    ("the snow is so heavy it could collapse", False),
    ("the tomato plants are drowning in this rain", False),
    ("there is a drowned rat in the pool", False),
    ("my grandson went under and is drowning", True),
    ("we are drowning in paperwork from medicare", False),
    ("the fern is drowning in that pot", False),
    ("my grandson is drowning in the pool", True),
    ("he is drowning in the lake", True),
    ("a branch fell off the maple", False),
    ("the peaches keep falling before they ripen", False),
    ("my mother fell off the step and cant get up", True),
    ("the gutter is choked with leaves", False),
    ("the ivy is choking out the roses", False),
    ("the dryer shakes like it's having a seizure", False),
    ("my husband is having a seizure", True),
    ("the wind knocked over the planter", False),
    ("the dog choked down his pill", False),
    ("he choked on his pill and cant breathe", True),
    # ordinary senses of health words
    ("the stroke support group meets tuesday", False),
    ("my mom is having a stroke", True),
    ("she got a seizure alert dog", False),
    ("i have a breathing test friday", False),
    ("i cant breathe", True),
    ("they have a class on the heimlich for choking", False),
    ("the drawer in the chest is stuck", False),
    ("i want to make a fall wreath", False),
    ("i just had a bad fall and hit my head", True),
    ("i nearly fainted when the clerk said the price", False),
    ("i fainted when i stood up and hit my head", True),
    ("the heat index is supposed to be a hundred and five", False),
    ("she has a fever of a hundred and five", True),
])
def test_everyday_twin_and_real_alarm(said, alarm):
    assert (triage.classify(said).level == EMERGENCY) is alarm, triage.classify(said)


@pytest.mark.parametrize("said, level", [
    ("the library has a class on using narcan", None),
    ("he took too many pills and wont wake up", "overdose"),
])
def test_a_lesson_on_an_overdose_is_none(said, level):
    got = triage.classify(said).level
    if level is None:
        assert got not in ("emergency", "overdose", "crisis"), got
    else:
        assert got in (level, "emergency"), got
