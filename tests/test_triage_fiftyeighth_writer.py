"""Rules tuned on the fifty-eighth writer's file (what to tell the doctor today, and expected soreness): each
rule with a sentence it must catch and a twin at another level, so a doctor-level sign is never reassured and an
expected one never sends an older person to 911."""
import pytest

from skill import content

triage = content.load().triage


@pytest.mark.parametrize("said, level", [
    # pain that was meant to ease by now and has not: the doctor's
    ("the pain in my back isnt going down", "doctor"),
    ("i thought my back would ease up by now", "doctor"),
    ("not getting any relief from the pain", "doctor"),
    ("the pain is going down every day", "expected"),
    # a swimmy head from the pills is dizziness
    ("my head is all swimmy", "doctor"),
    ("my head is swimming since the new pills", "doctor"),
    # bound up from the pills or for days: constipation; bound up in work is not health
    ("im all bound up from the pain pills", "doctor"),
    ("he has been bound up for four days", "doctor"),
    ("she is all bound up in her church work", "not_health"),
    # a pink or red patch or ring at a needle hole or the spot on the back: mild redness, for the doctor
    ("there is a pink patch around the needle hole", "doctor"),
    ("the spot on my back has a red ring around it", "doctor"),
    ("the red streaks are spreading from the needle hole", "urgent"),
    # tiring quickly, low energy, done in as after a marathon: tiredness
    ("i tire easily since the surgery", "expected"),
    ("my energy is low these days", "expected"),
    ("i walked to the mailbox and felt like id run a marathon", "expected"),
    # a faint bruise fades, no faint; a person who felt faint still did
    ("theres a faint bruise on my back", "expected"),
    ("i feel faint and my back is bruised", "emergency"),
    # a bluish patch on the skin is a bruise; bluish lips are not
    ("there is a bluish patch by my spine", "expected"),
    ("his lips are bluish", "emergency"),
    # a bruise going yellow or green is healing; yellowish at the incision is not
    ("the bruise is kind of yellowish now", "expected"),
    ("i have a greenish bruise on my side", "expected"),
    ("the incision is yellowish", "urgent"),
    # a leg that holds me up fine is no weak leg; one that won't is
    ("my leg tingles but it holds me up fine", "doctor"),
    ("my leg wont hold me up", "emergency"),
    # a spot on the back one cannot see for oneself is no loss of sight
    ("a bruise on my back, i cant see it myself", "expected"),
    ("i suddenly cant see out of my left eye", "emergency"),
    # one sign ranked worst of a few is no worst pain
    ("the stiffness is the worst part, the pain is better", "expected"),
    ("this is the worst pain of my life", "emergency"),
    # a pain, a swelling or a fever going down is easing, no one going down
    ("the pain is going down every day", "expected"),
    ("he is going down, catch him", "emergency"),
    ("the pain is going down my left arm and up into my jaw", "emergency"),
    # a little sting where the needles went in is soreness; with pus it is the surgeon's
    ("the needle holes sting a bit", "expected"),
    ("the incision stings a little and there is pus", "urgent"),
    # where the bandage used to be is a place, not a time; what used to be is history
    ("im a bit sore right where the bandage used to be", "expected"),
    ("i used to get a sore back", "unknown"),
    # asked if it is just healing: still there, not healed
    ("my back is tender, is that just it healing", "expected"),
    ("the incision is oozing, is that just it healing", "doctor"),
    # a comparison with before the operation is now; a sign said of before it is history
    ("i tire out quicker than i did before the surgery", "expected"),
    ("i was tired all the time before the surgery", "unknown"),
    # a person who feels drained is tired; a wound that drains is the doctor's
    ("i feel a bit drained today", "expected"),
    ("the incision is draining", "doctor"),
])
def test_level(said, level):
    assert triage.classify(said).level == level, triage.classify(said)
