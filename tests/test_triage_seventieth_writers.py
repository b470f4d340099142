"""Rules tuned on the seventieth and seventy-first writers' files (t67): denials and corrections, questions
asked ahead, figures of speech, signs explained and over, others far away; each with everyday sentences that
stay quiet and the dangerous sentences that say the same words and keep their alarm."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage


@pytest.mark.parametrize("said", [
    # a backward denial, then a clause run on without the comma Alexa drops
    "my wife says her chest feels fine she just has a cold",
    # sitting on the floor on purpose
    "grandpa sat on the floor to fix the cabinet door",
    # a carer's word asked about; a way to help asked ahead
    "what does the doctor mean by saddle numbness",
    "how do you help someone up after a fall",
    "how would my son know if i was getting confused",
    # a thrill, exhaustion, a plan: figures of speech
    "his voice makes my heart skip a beat",
    "i still go weak in the knees when he smiles at me",
    "after the wedding i could just collapse into bed",
    "our vacation plans totally collapsed",
    "the deal collapsed last week",
    # explained by a cold house or a changed clock; long over; a story or a public figure
    "i was shivering because the heat went out",
    "dad was confused because the clocks went back",
    "my uncle had a stroke ages ago",
    "the girl in this book faints every other chapter",
    "president looked confused on tv",
    "we collapsed laughing at the puppy",
    "how would my wife know if i was getting forgetful or confused",
    "that poor senator fell on the capitol steps",
])
def test_everyday_sentences_stay_quiet(said):
    assert triage.classify(said).level != EMERGENCY, said


@pytest.mark.parametrize("said", [
    "mom fell and cant get up",
    "he is suddenly confused",
    "my heart is skipping beats and im dizzy",
    "i feel like im going to collapse",
    "his chest feels fine he just cant breathe",
    "his chest feels fine he just collapsed",
    "my wife sat on the floor and cant get up",
    "i have saddle numbness",
    "how do you help someone up after a fall my husband just fell and cant get up",
    "my heart skipped a beat and im dizzy",
    "grandpa goes weak in the knees when he stands up",
    "the deal collapsed and my husband collapsed",
    "i was shivering because the furnace quit and now i have a fever of 104",
    "my dad had a stroke ages ago and now his face is drooping",
    "i was reading a book and my husband fainted",
    "she collapsed laughing and now she cant breathe",
    "he collapsed on the floor and isnt breathing",
    "my husband fell and cant get up",
])
def test_the_same_words_said_of_a_danger_keep_the_alarm(said):
    assert triage.classify(said).level == EMERGENCY, said

