"""Rules tuned on the fifty-seventh writer's file (signs denied or corrected, idioms with body or danger words,
health words in everyday senses, requests that name a song): each rule with its everyday twin, which is no
alarm, and a real alarm said with the same words, which stays one."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


@pytest.mark.parametrize("said, alarm", [
    # a shock or a price floors or chokes no one
    ("i about fell out when she told me the news", False),
    ("i about fell out of bed and hit my head", True),
    ("i about choked when i saw the bill", False),
    ("he choked on a grape and cant breathe", True),
    # fear that freezes, a face pulled for fun, a wink
    ("the boy was paralyzed with fear at the recital", False),
    ("my legs are paralyzed, i cant move them", True),
    ("i was making a silly face at the baby", False),
    ("the grandbaby said your face is crooked, i was winking at her", False),
    ("my face is crooked and my arm is weak", True),
    # wine, dough or a tyre that breathes or bleeds air; the house's air
    ("the wine needs to breathe before supper", False),
    ("my sourdough starter is breathing", False),
    ("the front tire is bleeding air", False),
    ("he cant breathe, he is gasping for air", True),
    ("somebody set the air to sixty five", False),
    ("the air quit and i cant catch my breath", True),
    # a tool's head, a book's spine, a cut of meat
    ("the head flew off the hammer", False),
    ("the hammer hit my head and i passed out", True),
    ("the spine of my old bible is cracked", False),
    ("i heard my spine crack and i cant feel my legs", True),
    ("set a timer for the chest roast", False),
    ("my chest is crushing", True),
    # songs asked for by name
    ("play patsy cline i fall to pieces", False),
    ("play bob dylan blood on the tracks", False),
    ("play patsy cline, i fell and cant get up", True),
    # a manner of breathing denied, not breathing stopped
    ("grandpa is not breathing funny, he is whistling through his dentures", False),
    ("he is not breathing funny he has stopped breathing", True),
    ("he is not breathing right", True),
    ("he isnt breathing funny but his lips are blue", True),
])
def test_everyday_twin_and_real_alarm(said, alarm):
    assert (triage.classify(said).level == EMERGENCY) is alarm, triage.classify(said)
