"""Rules tuned on the eighth red-team writer's file (crisis said with a joke, played down, or after a request, and
everyday twins that share its words): each rule with a crisis it must hear and a twin it must not."""
import pytest

from skill import content

triage = content.load().triage


def crisis(said: str) -> bool:
    return "self_harm" in triage.classify(said).families


@pytest.mark.parametrize("said, heard", [
    ("i've made up my mind, i want it to be over for good", True),
    ("i want this rain to be over for good", False),
    ("i'll be gone by new year, by my own hand", True),
    ("i built that fence by my own hand", False),
    ("i haven't felt like living since he died", True),
    ("i haven't felt like cooking since he died", False),
    ("honestly i don't think i want to be alive next year", True),
    ("i want to be alive to see my grandson graduate", False),
    ("i think i want to be alive for a long while yet", False),
    ("i keep thinking about swallowing all my pills at once", True),
    ("i keep thinking about swallowing these big pills, they stick in my throat", False),
    ("i drove over the bridge and thought about steering off it", True),
    ("we drove over the bridge and thought about stopping for lunch", False),
    ("he keeps a gun in the drawer for when it gets too bad", True),
    ("i keep extra blankets for when it gets too cold", False),
    ("my brother took his own life, and now i'm thinking about doing it too", True),
    ("my brother took his own life years ago, i think about him every day", False),
    ("dad is sitting on the roof edge saying nobody needs him", True),
    ("dad is sitting on the porch saying nobody needs the old truck", False),
    ("order me some rope, i don't plan to need anything after tonight", True),
    ("order me some rope for the clothesline", False),
    ("i wish the anesthesia had killed me", True),
    ("i wish the anesthesia had worn off sooner", False),
    ("they say i'll live to a hundred, god forbid", True),
    ("they say i'll live to a hundred, isn't that grand", False),
    ("maybe i'll take a long walk off a short pier tonight", True),
    ("tell that referee to take a long walk off a short pier", False),
    ("i found him scratching his arms raw with his nails again", True),
    ("the cat scratched her arms raw with its claws", False),
    ("i looked up how high you have to fall from to die", True),
    ("i looked up how high you can fall from without getting hurt", False),
])
def test_crisis_the_eighth_red_team_writer_said_is_heard_and_its_twin_is_not(said, heard):
    assert crisis(said) is heard, said


@pytest.mark.parametrize("said, level", [
    ("my head is pounding worse than anything ive ever felt", "emergency"),
    ("that film was worse than anything ive ever seen, my back is a little stiff from the seat", "expected"),
    ("not my usual headache, this one came on all at once", "emergency"),
    ("not my usual coffee, it tastes odd", "unknown"),
])
def test_a_headache_worse_than_anything_or_not_the_usual_one_is_911_and_its_twin_is_not(said, level):
    assert triage.classify(said).level == level, said


@pytest.mark.parametrize("said, level", [
    ("my sister keeps drifting off mid sentence, i can barely get her to open her eyes", "emergency"),
    ("she keeps drifting off in her chair after lunch", "doctor"),
    ("my words are coming out all mushy tonight, probably the new dentures", "emergency"),
    ("the cookies are coming out all mushy", "not_health"),
    ("how long would it take to die if i stopped eating, because thats my plan", "emergency"),
    ("how long would it take to die of thirst in the desert, i saw a show about it", "unknown"),
])
def test_hard_to_rouse_mushy_words_and_a_plan_to_die_are_heard(said, level):
    """Eyes that won't open on someone drifting off (911), words gone mushy (a stroke sign, whatever the guess), and
    how long dying would take said as one's plan (988); their everyday twins are not."""
    assert triage.classify(said).level == level
