"""Rules tuned on two writers' files (t62): short everyday sentences that must not alarm: a sign long past
(school years, the teens, a childhood, one who has died), things that fall or go down (a wreath, a tablet, the
internet, a team, the clock in autumn), sayings (a splitting headache from a leaf blower, a bill that knocked the
wind out, collapsing into a recliner, laughing till one almost passed out), a pet's own feed, a stub with a foot, a
transfusion had, blurry eyes that only needed glasses, and questions asked to learn. Each with a real alarm said
with the same words, which stays one."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


@pytest.mark.parametrize("said, alarm", [
    # kinds of past time
    ("i passed out once in high school at a pep rally", False),
    ("i passed out in high school and today i passed out again", True),
    ("mom had a seizure once as a little girl and never again", False),
    ("mom had a seizure as a little girl and now she is having a seizure again", True),
    ("mom had a bad allergic reaction to bee stings as a teen", False),
    ("my mother had a bleeding nose problem all through her childhood", False),
    ("mom was bleeding heavily through her childhood and now she is bleeding heavily again", True),
    ("late father always said his legs gave out on him", False),
    ("my late fathers watch fell on my foot and my husband just collapsed", True),
    ("wife had a blood transfusion after our first baby was born", False),
    ("my wife is bleeding heavily after our first baby was born", True),
    ("my wife had a blood transfusion and now shes bleeding heavily again", True),
    # things that fall or go down
    ("the wreath fell off the front door again", False),
    ("the picture fell off the wall and hit grandpa on the head", True),
    ("the screen on my tablet cracked when it fell", False),
    ("the tablet fell on his head and hes bleeding", True),
    ("the internet went down and the tv is frozen", False),
    ("the internet went down and my husband went down on the floor", True),
    ("our team got crushed last night they fell apart", False),
    ("i fell apart and fell down the stairs and hit my head", True),
    ("when does the fall back time change happen this year", False),
    # sayings
    ("that new neighbor gives me a splitting headache with his leaf blower", False),
    ("the noise gives me a splitting headache and now i have the worst headache of my life", True),
    ("dad says the electric bill knocked the wind out of him", False),
    ("he got hit in the chest, it knocked the wind out of him and now he cant breathe", True),
    ("im just about to collapse into my recliner and watch tv", False),
    ("im about to collapse into bed, my chest is crushing", True),
    ("dad laughed so hard he almost passed out at the comedy", False),
    ("dad laughed so hard and then he passed out and wont wake up", True),
    # a pet's own feed; a stub with a foot; what only needed glasses
    ("the bunny wont eat her hay and is breathing fast", False),
    ("the bunny wont eat her hay and my wife fainted", True),
    ("grandpa didnt hit his head he just bumped the chair with his foot", False),
    ("grandpa bumped the chair with his foot and fell and hit his head", True),
    ("blurry eyes were just needing new glasses which i got", False),
    ("my eyes went blurry all of a sudden and my face is drooping", True),
    # questions asked to learn
    ("how do nurses check if someone is hard to wake", False),
    ("how do nurses check if someone is hard to wake because my husband is hard to wake right now", True),
    ("what does slurred speech sound like in a stroke", False),
    ("my speech is slurred", True),
])
def test_everyday_twin_and_real_alarm(said, alarm):
    assert (triage.classify(said).level == EMERGENCY) is alarm, triage.classify(said)
