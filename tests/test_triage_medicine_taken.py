"""Medicines taken wrongly, and medicine talk that is no alarm (issue 18, the twenty-fourth writer's file).

Each rule is said here with the same words in a dangerous sentence too: the alarm must stay."""
import pytest

from skill import content
from skill.triage import DOCTOR, EMERGENCY, MEDICINE, URGENT

triage = content.load().triage


@pytest.mark.parametrize("said, level, family", [
    # a medicine already taken against a clinician's word, or by the wrong route: Poison Control
    ("i took an aleve but the surgeon said no anti inflammatories with my blood thinner", EMERGENCY, "poisoning"),
    ("she took the tramadol with her antidepressant that the pharmacist said never to mix", EMERGENCY, "poisoning"),
    ("i took the ibuprofen and i wasnt supposed to", EMERGENCY, "poisoning"),
    ("i just took the eye drops by mouth", EMERGENCY, "poisoning"),
    ("my grandson drank the ear drops", EMERGENCY, "poisoning"),
    ("el abuelo se tomo todo el frasco de las pastillas para dormir por accidente", EMERGENCY, "poisoning"),
    ("we found him with my pill bottle open and some of my oxycodone is missing, my grandson is four", EMERGENCY,
     "poisoning"),
    ("me tome las pastillas de la noche en la mañana too, i doubled them", EMERGENCY, "poisoning"),
    # ... with a danger sign: 911
    ("he took his oxy with the sleeping pill the doctor said not to mix and now he wont wake up", EMERGENCY, "overdose"),
    # ... or with a physical emergency: that family first (911, not the poison line)
    ("i took the naproxen but the doctor said no, and now i cant feel anything down there", EMERGENCY, "cauda_equina"),
    ("i took two extra tylenol by mistake and now my chest hurts", EMERGENCY, "chest_pain"),
    # the advice only, or a prescription: a question for the pharmacist
    ("my gp gave me naproxen but the surgeon said no anti inflammatories, which do i listen to", MEDICINE, None),
    ("the surgeon said no anti inflammatories so can i take tylenol", MEDICINE, None),
    ("the pain stuff, the white ones, how often can i take them again", MEDICINE, None),
    ("is ok for me to take the methocarbamol and gabapentin, both make me sleepy no", MEDICINE, None),
    ("the recipe said to double it so i doubled it", None, None),
    # a question about someone on a medicine is the pharmacist's; a danger sign said with it keeps 911
    ("alexa my dad is on eliquis can he get a flu shot", MEDICINE, None),
    ("are there any foods to avoid when youre on warfarin", MEDICINE, None),
    ("when should i give my mom her next pain pill", MEDICINE, None),
    ("my mom is on warfarin and she fell and hit her head what do i do", EMERGENCY, "fall_or_blow"),
    ("dad is on eliquis and his nose wont stop bleeding what should i do", EMERGENCY, "heavy_bleeding"),
    ("he is on tramadol and his face is drooping what should i do", EMERGENCY, "stroke"),
    ("shes on gabapentin and her legs gave out, what do i do", EMERGENCY, "leg_weakness"),
])
def test_medicine_taken_wrongly_is_poison_control_and_advice_alone_a_question(said, level, family):
    verdict = triage.classify(said)
    if level is None:
        assert verdict.level not in (EMERGENCY, URGENT, DOCTOR), verdict
        return
    assert verdict.level == level, verdict
    if family:
        assert verdict.family == family, verdict


@pytest.mark.parametrize("said, level", [
    # big pills hard to swallow, hives on the chest, a place by the bed: no alarm
    ("can i crush the tramadol and put it in applesauce, i cant swallow big pills", MEDICINE),
    ("mom has hives on her chest since the new medicine, shes breathing fine", DOCTOR),
    ("me pica todo el cuerpo desde que empece la pastilla nueva", DOCTOR),
    ("i got woozy from the pain pill and sat down on the floor by the bed a minute ago, nothing hurts", URGENT),
    # the same words with a danger sign keep the alarm
    ("my husband cant swallow his pills this morning and his face is drooping", EMERGENCY),
    ("mom suddenly cant swallow her pills and her speech is slurred", EMERGENCY),
    ("i cant swallow big pills and my throat is closing", EMERGENCY),
    ("mom has hives on her chest and her throat feels tight", EMERGENCY),
    ("he has a rash on his chest and his chest hurts", EMERGENCY),
    ("hives on my chest and i cant breathe", EMERGENCY),
    ("ay dios se me hincho la cara y la lengua con la pastilla nueva", EMERGENCY),
    ("he fell by the bed and cant get up", EMERGENCY),
    ("mom is on the floor by the bed and wont wake up", EMERGENCY),
    ("she wet the bed and cant feel anything down there", EMERGENCY),
    ("i took the percs and now i cant breathe", EMERGENCY),
    ("the pain stuff isnt working and my chest is tight", EMERGENCY),
    ("is ok for me to take the oxy, it makes me dizzy and i just passed out", EMERGENCY),
])
def test_medicine_words_are_no_alarm_and_danger_signs_with_them_keep_it(said, level):
    assert triage.classify(said).level == level, triage.classify(said)
