"""Rules tuned on the fifty-first writer's file (crisis said plainly, hinted or after a request, and everyday
twins that share its words): each rule with a crisis it must hear and a twin it must not."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


def crisis(said: str) -> bool:
    return "self_harm" in triage.classify(said).families


@pytest.mark.parametrize("said, heard", [
    ("ive been burning myself with a lighter", True),
    ("i burned myself with a match lighting the candles", False),
    ("i keep my husbands old gun by the bed now, in case i decide to", True),
    ("i keep the rifle in the safe, i can sell it later if i want to", False),
    ("ive been saving my pain pills, i know how many it would take", True),
    ("i know how many it would take to fill the jar", False),
    ("i figured out how im going to do it", True),
    ("i figured out how im going to pay for it", False),
    ("i put the rope up in the garage", True),
    ("i put the rope away in the garage", False),
    ("should have died on that table", True),
    ("the doctor said i could have died on that table", False),
    ("you should have died laughing at that", False),
    ("is my last night i wanted someone to know", True),
    ("i wont be a burden much longer", True),
    ("i wont be a bother, ill take a taxi", False),
    ("i wont be a problem for anyone after today", True),
    ("i wont be a problem after today, the stitches come out", False),
    ("theres no way out of this pain except one", True),
    ("there is no way out of the parking lot except one gate", False),
    ("tell my son i love him and im sorry, this is goodbye", True),
    ("i love you and im sorry i missed your goodbye party", False),
    ("is my last night in the hospital i go home tomorrow i love it here", False),
    ("no aguanto mas i have the pills right here", True),
    ("no aguanto el dolor tengo las pastillas aqui", False),
    ("ya me quiero ir con dios, i dont want to wait anymore", True),
    ("quiero ir con mi esposo al doctor", False),
    ("i have my husbands pistol in my lap", True),
    ("i was cleaning my husbands pistol at the table", False),
    ("the knife is right here and i keep looking at it", True),
    ("the new rug is right here and i keep looking at it", False),
    ("i dont think ill be here next week, ive made up my mind", True),
    ("i dont think ill be here next week, ive made up my mind to go to my sisters", False),
    ("i already wrote the note", True),
    ("i already wrote the note for the school", False),
    ("i keep wishing a car would hit me", True),
    ("i wish a car would stop for me at the crosswalk", False),
    ("i want to join my husband, hes been gone two years and i cant wait anymore", True),
    ("i want to join my husband in florida, hes been gone two weeks and i cant wait", False),
    ("i keep counting out the pills, trying to work up the nerve", True),
    ("i keep counting out the pills, trying to work up the nerve to call the doctor", False),
    ("he is holding his pill bottle and says he wants to sleep for good", True),
    ("i want to sleep good tonight", False),
    ("i want to fall asleep and be done with everything for good", True),
    ("i want to be done with physical therapy for good", False),
    ("i want it over with, me and this whole life", True),
    ("i want it over with, the surgery i mean", False),
    ("maybe i should just stop breathing and be done", True),
    ("i stopped taking my heart pills so id go faster", True),
    ("i stopped taking my water pill so i could go less at night", False),
    ("he took his shotgun out to the barn and said tell everybody goodbye", True),
    ("he took his shotgun hunting and said tell everybody hi", False),
    ("i want to stop living", True),
    ("i want to stop living off takeout", False),
    ("id be relieved if i didnt wake up tomorrow", True),
    ("id be glad if i didnt wake up at five tomorrow for the bus", False),
    ("set a timer for ten minutes thats all the time i need before i take all these pills", True),
    ("i need some time to eat before i take all these pills", False),
    # things given away: all of them, or one after another; not old clothes for a sale, nor tools not used
    ("i give away my books my clothes and the car this week", True),
    ("mom gave away all her things this week", True),
    ("he gave his watch away, he wont be needing it", True),
    ("im giving away my old clothes to the church rummage sale", False),
    ("my husband gave his tools away to the neighbor since he doesnt use them", False),
])
def test_crisis_the_fiftyfirst_writer_said_is_heard_and_its_twin_is_not(said, heard):
    assert crisis(said) is heard, triage.classify(said)


@pytest.mark.parametrize("said, heard", [
    # a death by suicide of another, long past: the line for them, not 988 first
    ("my father killed himself when i was young, ive been writing about him for my memoir", False),
    ("killed himself when i was young, ive been writing about him for my memoir", False),
    ("my uncle committed suicide years ago", False),
    # an attempt or a threat, the speaker's own past, or the speaker's crisis said after it: 988
    ("my son tried to kill himself last month", True),
    ("my dad threatened to kill himself years ago", True),
    ("years ago i tried to kill myself", True),
    ("my husband took his own life two years ago and i dont want to go on", True),
    ("my father killed himself when i was young and now i want to die too", True),
])
def test_another_persons_suicide_long_ago_is_mentioned_and_an_attempt_or_the_speakers_own_is_988(said, heard):
    verdict = triage.classify(said)
    assert crisis(said) is heard, verdict
    if not heard:
        assert "self_harm" in verdict.mentioned, verdict


@pytest.mark.parametrize("said, level", [
    ("dont wake me before nine tomorrow i want to sleep in", None),
    ("had enough of this wind its blowing my garbage cans over", None),
    ("i cant wake him up", EMERGENCY),
    ("i got winded walking up the stairs", EMERGENCY),
])
def test_a_request_not_to_be_woken_and_the_weathers_wind_are_no_emergency(said, level):
    verdict = triage.classify(said)
    assert (verdict.level == EMERGENCY) is (level == EMERGENCY), verdict
