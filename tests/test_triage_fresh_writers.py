"""Rules tuned on the twenty-ninth and thirtieth writers' files (issue 18): each crisis rule with its
everyday twins, and the dangerous sentences that say the same words and must keep their alarm."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


@pytest.mark.parametrize("said", [
    "i just want to not exist anymore",
    "ever since my wife passed and now this back, i keep thinking i should just go join her",
    "i have the pills all lined up on the counter and i am thinking about it",
    "i keep looking at the knife drawer and thinking about my wrists",
    "if i took the whole bottle of sleeping pills nobody would have to look after me anymore",
    "i wrote letters to my kids last night in case i dont make it, i have a plan",
    "going to take the whole bottle of oxy last night but i got scared and i still might",
    "no reason for me to still be here i want it over",
    "he said goodbye to me like he wasnt coming back what do i do",
    "gave his dog to the neighbour and said he wont be around to look after him",
    "look i dont mean to be dramatic but i have the pills lined up on the table right now",
])
def test_crisis_said_in_own_words_hears_988(said):
    assert "self_harm" in triage.classify(said).families, said


@pytest.mark.parametrize("said", [
    "i'm done with this show", "ready to end the call",
    "my wife is at the bingo, i should just go join her",
    "she passed me the salt and went to the garden, i should go join her",
    "i have my pills lined up in the organiser and i am thinking about the order",
    "once the carer starts nobody would have to look after me anymore",
    "i wrote letters to the council, i have a plan for the garden",
    "i want to not exist in this heat, what is the forecast",
    "she said goodbye like she wasnt coming back till tuesday",
    "we gave our dog to the neighbour while we are not here next week",
    "he won't be here for christmas, he is going to his sister's",
    "i have my pills laid out on the table for the week",
    "they took it out and that was the end of it",
])
def test_their_everyday_twins_stay_quiet(said):
    assert "self_harm" not in triage.classify(said).families, said


@pytest.mark.parametrize("said", [
    "my husband ate a handful of his pain pills and is very sleepy",
    "i ate a handful of my sleeping pills i wasnt trying to hurt myself",
    "the dog ate some of my pain pills no wait my grandson did",
    "i was fixing the furnace and my husband collapsed",
    "the kettle boiled and i fainted",
    "the wind knocked me over and i cant get up",
    "i was gasping for air and my lips are blue",
    "my husband is holding his breath and turning blue",
    "the bloody dog knocked me over and i hit my head",
    "his lips are blue and he is not breathing",
    "not a bit of pain in my chest but i cant breathe",
    "back in nineteen eighty two i broke my hip and now i cant feel my legs",
    "does the gabapentin mix ok with a beer, my husband collapsed and isnt breathing",
    "will my blood thinner make me bleed, i am bleeding everywhere now",
    "he is coughing up blood red stuff",
])
def test_the_same_words_said_of_a_danger_keep_the_alarm(said):
    assert triage.classify(said).level == EMERGENCY, said
