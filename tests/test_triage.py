"""Triage of a person's own words: many phrasings of each level."""
import pytest
import yaml

from skill import content
from skill.triage import DOCTOR, EMERGENCY, EXPECTED, NOT_HEALTH, UNKNOWN, URGENT

triage = content.load().triage

EMERGENCY_WORDS = [
    "chest pain", "I have chest pains", "my chest hurts", "pressure in my chest", "tightness in the chest",
    "I think I'm having a heart attack", "I can't breathe", "I cannot breathe", "I can not catch my breath",
    "shortness of breath", "I'm short of breath", "it's hard to breathe", "trouble breathing",
    "I'm coughing up blood", "coughing blood", "I fainted", "I passed out this morning", "I blacked out",
    "I feel faint", "sudden weakness in my legs", "my legs suddenly went numb", "sudden numbness",
    "I can't move my legs", "I can't feel my legs", "my legs won't work", "my legs gave out",
    "I can't walk", "I lost control of my bladder", "I wet myself", "I can't control my bowels",
    "loss of bladder control", "I'm numb between my legs", "a very high fever", "a fever and chills",
    "I'm confused", "slurred speech", "I had a seizure", "severe pain in my back",
    "tingling and chest pain",  # the highest level wins
    "I don't know why but my chest hurts",  # "don't know" negates nothing
    "my mother's lips are turning blue", "he tripped on the rug and can't get up",
    "my legs are numb and weak",  # numbness with weakness: spinal cord red flags
    "my husband had a fit and his eyes rolled back", "she is fitting", "she was fitting on the floor", "dad is having fits",  # a fit: the word itself
    "he fitted twice this morning", "the bandage fell off when I fell down the stairs",
    "the dressing fell off and my back is bleeding everywhere",
    "i went back to bed and felt my back snap", "my back gave out when i went back to work",  # back: a return
]
DOCTOR_WORDS = [
    "tingling", "my toes are tingling", "tingly feet", "pins and needles", "numbness in my toes on and off",
    "my foot is a little numb now and then", "burning in my legs", "shooting pain down my leg", "my pain is getting worse",
    "the pain is worse", "pain that won't go away", "a new pain", "the incision is red",
    "the wound is swollen", "it's oozing", "I feel weak",
    "a strange feeling", "I've got a cough",
    "my legs are numb",  # numbness without weakness: the article says to tell the doctor
    "dizzy", "lightheaded",  # dizziness is the doctor; fainting is 911
]
URGENT_WORDS = ["there's pus", "I have a fever", "I have a temperature", "high fever", "I fell but I'm not hurt",
                "my calf is swollen and sore", "a fever of a hundred and one"]
EXPECTED_WORDS = [
    "sore", "my back is sore", "a bit of soreness", "stiffness", "I'm stiff in the morning", "aching",
    "my back aches", "bruising where they did it", "I'm tired", "fatigue", "mild pain", "some discomfort",
    "it hurts a little", "back pain",
]
UNKNOWN_WORDS = ["a funny taste in my mouth", "hiccups", "my ears are ringing",
                 "i got fitted for my back brace today", "i'm ringing about the brace fitting", "the scab fell off", "when will the steri strips fall off"]
NOT_HEALTH_WORDS = ["", "I'm hungry", "tell me a joke", "what's the weather tomorrow", "I'm dying to know who won",
                    "my fitness tracker says i walked two thousand steps",
                    "the carpet was fitted today", "got my new dentures fitted", "the stair lift was fitted yesterday", "she broke her glasses and went back to bed"]


@pytest.mark.parametrize("words", EMERGENCY_WORDS)
def test_emergency(words):
    assert triage.classify(words).level == EMERGENCY


@pytest.mark.parametrize("words", DOCTOR_WORDS)
def test_doctor(words):
    assert triage.classify(words).level == DOCTOR


@pytest.mark.parametrize("words", URGENT_WORDS)
def test_urgent(words):
    assert triage.classify(words).level == URGENT


@pytest.mark.parametrize("words", NOT_HEALTH_WORDS)
def test_not_about_health(words):
    assert triage.classify(words).level == NOT_HEALTH


@pytest.mark.parametrize("words", EXPECTED_WORDS)
def test_expected(words):
    assert triage.classify(words).level == EXPECTED


@pytest.mark.parametrize("words", UNKNOWN_WORDS)
def test_unknown(words):
    assert triage.classify(words).level == UNKNOWN



# Emergencies said in roundabout ways (issue 18, the third red-team set), each rule said by the speaker, by someone
# in the house now, and after a story of someone else or of the past; and the everyday twins each must stay quiet on.
# Known false alarms: the crisis model (skill/triage/crisis_model.py) hears these everyday twins as crisis words
# and asks, gently, with the crisis line (the check answer): the price of the crisis sentences it hears that no
# pattern names. Said in the issue 18 note; a model that keeps them quiet passes them (strict=False).
MODEL_HEARS_CRISIS = pytest.mark.xfail(reason="the crisis model's known false alarm: the crisis line, asked",
                                       strict=False)

ROUNDABOUT = [
    # breathless at a small task, or stopping part way for breath
    ("he cant get dressed without gasping", EMERGENCY),
    ("my neighbour told me about her trip and now mom cant walk to the kitchen without panting", EMERGENCY),
    ("my husband has to stop halfway across the room to catch his breath", EMERGENCY),
    ("to stop half way up the stairs to catch my breath", EMERGENCY),
    ("get winded just talking on the phone now", EMERGENCY),
    ("i cant believe i did the stairs without panting", "none"),
    ("my sister on the phone said she fainted", "none"),
    # the chest: heard as "chess", behind the breast bone, indigestion that spreads
    ("i have chess pain", EMERGENCY), ("dad says he has pressure in his chess", EMERGENCY),
    ("after my sister told me about her heart i got chess pain myself", EMERGENCY),
    ("a pain behind my breast bone", EMERGENCY), ("feels like indigestion and my left arm is heavy", EMERGENCY),
    ("i play chess every day", "none"), ("the turkey breast bone is hard to carve", "none"),
    # bladder and bowels in shy words
    ("he pees himself without knowing it", EMERGENCY), ("number two came out without any warning", EMERGENCY),
    ("i cant get the stream to start its been hours", EMERGENCY),
    ("mom couldnt tell if she was sitting on the toilet", EMERGENCY),
    ("i cant get the stream started on netflix", "none"), ("my bowels are fine", "none"),
    # a leg like a noodle, back pain worse all at once, a thermometer with shaking, on the floor, a cut come apart
    ("my husbands leg is like a wet noodle", EMERGENCY), ("the noodles are wet", "none"),
    ("out of nowhere my husband says his back is worse", EMERGENCY),
    ("my back hurts worse than the fracture ever did", EMERGENCY), ("my back pain is a bit worse this week", DOCTOR),
    ("the thermometer says 101 and im shaking all over", EMERGENCY), ("the thermometer on the porch says 30", "none"),
    ("help my husband is on the floor", EMERGENCY), ("im on the floor", EMERGENCY),
    ("the remote is on the floor", "none"), ("im on the floor doing my exercises", "none"),
    ("help me find the remote it is on the floor", "none"), ("the dog is on the floor", "none"),
    ("the incision has come apart", URGENT), ("the grandkids are on fire at scrabble", "none"),
    # both legs numb, "weak" heard as "week"
    ("my husband says both his legs are numb", EMERGENCY), ("both my feet were numb in 1990", "none"),
    ("my legs are week and numb", EMERGENCY), ("my legs felt numb for a week after the epidural years ago", "none"),
    # a racing heart read out by a watch or a machine, however calmly; a blood pressure, a slow rate or an old one is none
    ("his pulse thing says one forty and hes just sat in his chair", EMERGENCY),
    ("the blood pressure machine says heart rate one thirty eight", EMERGENCY),
    ("my watch says my heart is at one fifty", EMERGENCY),
    ("my blood pressure was one forty over ninety and heart rate seventy", "none"),
    ("my heart rate was 150 when i had the flu years ago", "none"), ("my pulse is 72", "none"),
    # health words in the senses of work and things: brakes bled, candy passed out, a screen gone black, a speech
    ("i need to bleed the brakes on my truck", "none"), ("the cut on my arm bled the whole way to the car", EMERGENCY),
    ("we passed out candy at halloween", "none"), ("he passed out the moment he stood up", EMERGENCY),
    ("the tv screen keeps going black for a second", "none"), ("i was watching tv and everything went black", EMERGENCY),
    ("the ice on the windshield is so thick i cant see", "none"), ("i cant see out of my left eye", EMERGENCY),
    ("i lost my glasses and cant see the tv guide", "none"),
    ("my wife choked up at the wedding speech", "none"), ("his speech is slurred since lunch", EMERGENCY),
    ("my head is exploding with all these appointments", "none"),
    ("the weatherman fainted on live tv this morning", "none"), ("i was watching the weatherman and my husband fainted", EMERGENCY),
    ("my grandson plays a zombie who cant feel his legs in the school play", "none"),
    ("we were at the school play and grandma collapsed", EMERGENCY),
    # struck by a vehicle, not felt as if struck
    ("i was hit by a car", EMERGENCY), ("my husband got run over by a bike in the parking lot", EMERGENCY),
    ("i feel like i got hit by a truck", "none"), ("the mailbox got hit by a car last year", "none"),
    # a forty-second writer: a day the sickness was had is no dose; a clinician's word explains a scare; crisis said aside
    ("the nausea i had friday was some bad potato salad from the church picnic", DOCTOR), ("i had tuesdays pills too", EMERGENCY),
    ("grandpa thought he was having a heart attack sunday but the er said he pulled a muscle", "none"),
    ("the doctor said it was a pulled muscle but now my chest is crushing", EMERGENCY),
    ("my blood was boiling when the cable company kept me on hold", "none"),
    ("i scratch my arms till they bleed just so i feel something", EMERGENCY),
    ("mom keeps saying shes ready to die and today she asked me where dads gun is", EMERGENCY),
    ("my wife says shes ready to die of boredom", "none"),
    ("she says she doesnt plan on being alive come christmas", EMERGENCY),
    ("i dont plan on being around when the grandkids visit, ill be at my sisters", "none"),
    ("sometimes i stand at the top of the stairs and think about just letting myself go", EMERGENCY),
    ("i slow down on the stairs and let myself go slow", "none"),
    # crisis said after a request, and the same words in plans, jokes about age and travel
    ("read me the weather for sunday, not that ill be here to see it", EMERGENCY),
    pytest.param("the new bridge opens in twenty forty, not that ill be here to see it", "none", marks=MODEL_HEARS_CRISIS),
    ("whats the weather tomorrow, eh doesnt matter, i wont be here", EMERGENCY),
    pytest.param("it doesnt matter, i wont be here, ill be at bingo", "none", marks=MODEL_HEARS_CRISIS),
    ("whats the tallest bridge around here, i want to drive out there tonight and not come back", EMERGENCY),
    ("i want to drive out to the lake and not come back till sunday", "none"),
    ("heaven has got to be better than this, i want to go now", EMERGENCY), ("heaven knows i want to go now, the bus is late", "none"),
    ("dont set any alarms, i dont plan on waking up again", EMERGENCY),
    # the model trained on W138-W169 heard this one (0.998); retrained on W170-W188 it no longer does
    ("i dont plan on waking up before nine", "none"),
    ("me corte los brazos otra vez con la navaja", EMERGENCY), ("me corte el pelo", "none"),
    ("tell linda the key is under the flowerpot for when they come find me", EMERGENCY),
    ("whoever finds my glasses gets a cookie", "none"),
    ("i wish i wasnt alive", EMERGENCY), ("i wish i wasnt here for the storm", "none"),
    # a forty-fourth writer: causes a clinician named, a swelling gone down, on the floor on purpose, a film dated
    ("the hospital ran every test on my chest pain in april and it was my gallbladder", "none"),
    ("the swelling in my lip went down and the allergist said it was the shrimp", "none"),
    ("the swelling in my lips went down but now my throat is closing", EMERGENCY),
    ("my husband didnt faint, he got down on the floor looking for his hearing aid", "none"),
    ("in the movie tonight the lady was coughing up blood", "none"), ("i watched the movie tonight and now im coughing up blood", EMERGENCY),
    ("back in my navy days i had malaria with a fever of a hundred and five", "none"),
    ("when should a person worry about being short of breath", "none"), ("we are hemorrhaging volunteers", "none"),
    ("i washed down my pain pills with vodka to get to sleep", EMERGENCY), ("i took my vitamins with a glass of water", "medicine"),
    ("my wife has dementia and i found her eating my hydrocodone like candy", EMERGENCY),
    ("the kids eat gummy vitamins like candy", "none"),
    # a forty-sixth writer: hurt by accident is no self-harm, a town with falls, lying flat as told, a slipped mask
    ("i hurt myself carrying groceries", EXPECTED), ("i hurt myself when i get upset", EMERGENCY),
    ("my nephew in the army broke his ankle jumping off a truck", "none"), ("i keep thinking about jumping off the bridge", EMERGENCY),
    ("how far is it from boise to twin falls", "none"), ("is it ok to sleep on my side or do i have to stay flat on my back", "none"),
    ("he fell and hes flat on his back and cant get up", EMERGENCY), ("that preacher could talk the legs off a chair", "none"),
    # a forty-fifth writer (after its blind check): eyes that will not open, back pain all at once, joys said big, weather
    ("mom keeps nodding off and i can barely get her to open her eyes", EMERGENCY),
    ("i can barely get him to open his eyes in the morning, hes such a teenager", "none"),
    ("my husbands back pain came on all at once tonight and hes hollering", EMERGENCY),
    ("the pain in my knee started all of a sudden", DOCTOR),
    # pills missing that nobody took are the poison line's; a bottle mislaid is not
    ("counted my pain pills and theres six missing, and i dont remember taking them", EMERGENCY),
    ("the bottle of tylenol is missing, i cant remember where i put it", "medicine"),
    # a medicine the doctor stopped, a party with grandma: no goodbye
    ("alexa turn off all my medicine reminders, i wont need pills after tonight", EMERGENCY),
    ("i wont need my pills after tonight, the doctor stopped them", "medicine"),
    ("grandma keeps asking me to bring her all her pills at once so she can go be with grandpa", EMERGENCY),
    ("i took my pills so i could go be with grandma at the party", "medicine"),
    ("that pecan pie was so good i about passed out", "none"), ("we laughed so hard we couldnt breathe watching lucy", "none"),
    ("that thunder made my heart jump clean out of my chest", "none"),
    ("is it going to hit a hundred and three again thursday", "none"), ("his fever hit a hundred and three", EMERGENCY),
    ("can you explain what saddle numbness means", "none"), ("im done fighting, tell my kids i love them", EMERGENCY),
    # a forty-seventh writer: dreams, gums and teeth out explain, a nurse's years of blood, dye that runs, the pendant advert
    ("woke up in a cold sweat but it was a bad dream about the war, im alright now", "none"),
    ("there was blood when i spit but it was my gums, i flossed too hard, and it stopped", "none"),
    ("i was a nurse forty one years, ive seen more blood than a butcher", "none"), ("it was a blood bath at the bake sale", "none"),
    ("the red in my quilt block is bleeding onto the white, the dye ran", "none"),
    ("the cut on my leg is bleeding onto the sheets and wont stop", EMERGENCY),
    ("the tractor is bleeding hydraulic fluid all over the barn floor", "none"),
    ("should i get one of them buttons you wear round your neck, the help ive fallen kind", "none"),
    ("help ive fallen and i cant get up", EMERGENCY),
    ("my friend from the quilting guild moved to bangor and says her new hip is giving her fits", "none"),
    ("mom was breathin funny in her sleep, her cpap mask had slipped, we fixed it", "none"),
    ("my eye went all blurry but i had on harolds readers by mistake", "none"), ("i didnt hit my head, that bang was the frying pan falling off the shelf", "none"),
    ("life is pointless since my husband died", EMERGENCY), ("the meeting is pointless", "none"),
    ("im going to overdose on my pills", EMERGENCY), ("estoy pensando en suicidarme", EMERGENCY),
    ("my head is exploding, worst headache of my life", EMERGENCY),
]


@pytest.mark.parametrize("said, level", ROUNDABOUT)
def test_an_emergency_said_in_roundabout_words_is_heard_and_its_everyday_twin_is_not(said, level):
    verdict = triage.classify(said)
    assert (verdict.level in (UNKNOWN, NOT_HEALTH) if level == "none" else verdict.level == level), verdict


def test_slot_ids_raise_the_level():
    assert triage.classify("that thing", ["CHEST_PAIN"]).level == EMERGENCY
    # the words speak first: a resolution only stands in for words that say nothing
    assert triage.classify("sore", ["TINGLING"]).level == EXPECTED
    assert triage.classify("blood pressure", ["HEAVY_BLEEDING"]).level == UNKNOWN  # health talk, no finding


def test_matches_are_whole_words():
    # "red" must not match inside "tired", nor "faint" inside "fainthearted".
    assert triage.classify("I'm tired").level == EXPECTED
    assert triage.classify("bored").level == NOT_HEALTH


def test_the_matched_words_and_family_are_reported():
    verdict = triage.classify("I really cannot breathe")
    assert verdict.family == "breathing" and any("breathe" in m for m in verdict.matched)


@pytest.mark.parametrize("words, family", [
    ("no chest pain, just a stiff back", "stiffness"),
    ("I don't have a fever but my back is a bit sore", "soreness"),
    ("what should I do if I fall", None),
])
def test_a_denied_or_asked_about_red_flag_is_not_an_emergency_but_is_mentioned(words, family):
    verdict = triage.classify(words)
    assert verdict.level != EMERGENCY and verdict.family == family
    if "fever" not in words:
        assert verdict.mentioned, "the safety line must name what was denied or asked about"


def test_every_symptom_type_id_of_the_model_has_a_level():
    import json
    from pathlib import Path

    model = json.loads((Path(__file__).parents[1] / "interaction_model" / "en-US.json").read_text())
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    ids = {v["id"] for v in types["SymptomType"]["values"]}
    known = set().union(*triage.ids.values())
    assert ids <= known, ids - known


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"])
def test_every_emergency_synonym_of_the_model_is_an_emergency_by_its_words(locale):
    """A synonym Alexa resolves to an emergency id must also be an emergency when heard without resolution,
    by the triage of that locale ("forty degrees" is Celsius in en-GB, a cold day in en-US)."""
    import json
    from pathlib import Path

    from skill import content

    model = json.loads((Path(__file__).parents[1] / "interaction_model" / f"{locale}.json").read_text())
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    local = content.load(locale).triage
    missed = []
    for value in types["SymptomType"]["values"]:
        if value["id"] in local.ids[EMERGENCY]:
            for words in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                if local.classify(words).level != EMERGENCY:
                    missed.append(words)
    assert not missed


# Phrasings a review found going to "expected" or "unknown": a sore chest is never ordinary soreness.
@pytest.mark.parametrize("words", [
    "chest discomfort", "my chest aches", "pain when I breathe", "it hurts to breathe", "my chest is sore",
    "my chest feels tight", "pressure on my chest", "I couldn't breathe", "breathing is hard",
    "I peed myself", "I can't urinate", "a fever of a hundred and three", "my leg suddenly went weak",
])
def test_chest_breathing_and_other_serious_words_beat_ordinary_pain_words(words):
    assert triage.classify(words).level == EMERGENCY


def test_threads_that_need_the_rules_at_once_all_get_them():
    """The rules compile on first use; a second thread arriving meanwhile waits, it never sees half."""
    from concurrent.futures import ThreadPoolExecutor

    from skill.triage import Triage

    spec = content._parse_yaml({"triage.yaml": (content.CONTENT_DIR / "triage.yaml").read_text()})["triage.yaml"]
    for _ in range(5):
        fresh = Triage(spec)
        with ThreadPoolExecutor(max_workers=8) as pool:
            levels = list(pool.map(lambda _: fresh.classify("my husband fell and can't get up").level, range(16)))
        assert levels == [EMERGENCY] * 16


@pytest.mark.parametrize("said, level", [
    ("the chest pain hasn't eased off", "emergency"),
    ("the tightness in my chest never went away", "emergency"),
    ("my arm went weak and it has not gone away", "emergency"),
    ("the dizziness hasn't passed", "doctor"),
    ("the numbness in my legs hasn't gone away", "doctor"),
])
def test_a_denied_resolution_is_no_resolution(said, level):
    """"Hasn't eased off" says it is still there: the finding keeps its own family, not the resolved one."""
    verdict = content.load().triage.classify(said)
    assert verdict.level == level and not verdict.family.startswith("resolved"), verdict


@pytest.mark.parametrize("said", ["the chest pain has eased off", "the dizziness has passed"])
def test_a_resolution_said_is_still_a_resolution(said):
    assert content.load().triage.classify(said).family.startswith("resolved")


@pytest.mark.parametrize("said, crisis", [
    ("no i dont want to kill myself im just mad at this washing machine", False),
    ("no i am not going to hurt myself, i am just fed up with the cable company", False),
    ("he didnt want to die, it was an accident, he slipped on the ice", False),
    ("i dont want to live anymore", True),
    ("i dont want to be here anymore", True),
    ("i dont want to kill myself but i think about it every day", True),
    ("im not going to kill myself, im going to stop eating", True),
    ("yes i cut myself, no i dont want to die, i just cant stop", True),
    ("i didnt hurt myself but i want to", True),
])
def test_a_denied_wish_or_plan_to_do_harm_is_no_crisis_unless_more_is_said(said, crisis):
    """ "I don't want to kill myself, I'm just mad" is a denial (context.disowned `intents` and `acts`); a wish
    that holds its own negative ("don't want to live"), a plan said after, or harm done beside it stays 988."""
    assert ("self_harm" in content.load().triage.classify(said).families) is crisis


@pytest.mark.parametrize("said, crisis", [
    ("how long do i have to sit in the car with the garage shut before it works", True),
    ("how long can i sit in the truck with the garage closed", True),
    ("how long do i wait in the car while my wife closes the garage", False),
    ("i left my glasses in the car", False),
])
def test_how_long_the_car_in_a_shut_garage_takes_is_crisis_words(said, crisis):
    """The means asked about; "in the car" alone stays no place of a fall or of anything (not_findings)."""
    assert ("self_harm" in content.load().triage.classify(said).families) is crisis


TRIAGE_YAML = yaml.safe_load((content.CONTENT_DIR / "triage.yaml").read_text(encoding="utf-8"))
CONTEXT = TRIAGE_YAML["context"]


def assert_level(said: str, level) -> None:
    """What was said gets that level; "none" (the examples' word in triage.yaml): no finding at all."""
    verdict = content.load().triage.classify(said)
    assert (verdict.level in (UNKNOWN, NOT_HEALTH) if level == "none" else verdict.level == level), verdict
CONTEXT_EXAMPLES = [(kind, said, level) for kind, rule in CONTEXT.items()
                    if isinstance(rule, dict) for said, level in (rule.get("examples") or {}).items()]


@pytest.mark.parametrize("kind, said, level", CONTEXT_EXAMPLES, ids=[s for _, s, _ in CONTEXT_EXAMPLES])
def test_each_context_rule_gives_its_examples_their_level(kind, said, level):
    """triage.yaml's context rules carry examples (none: no finding at all); each is said here."""
    assert_level(said, level)


BACKWARD = TRIAGE_YAML["negation"]["backward"]


@pytest.mark.parametrize("said, level", BACKWARD["examples"].items())
def test_a_denial_said_after_a_bare_sign_negates_it_and_nothing_past_a_turn(said, level):
    """negation.backward ("my chest feels fine") gives its examples their level (none: no finding); an
    alarm said with it, past a comma, a "but" or a turn, stays an alarm."""
    assert_level(said, level)


MEDICINE_WORDS = TRIAGE_YAML["medicine_words"]


@pytest.mark.parametrize("said, level", MEDICINE_WORDS["examples"].items())
def test_a_question_naming_a_medicine_goes_to_the_pharmacist(said, level):
    """"... my calcium, why is that" is a medicine question wherever the question is said; a statement is not,
    and an emergency said with it keeps its level."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("the news about my brother made me want to kill myself", EMERGENCY),
    ("the movie made me want to kill myself", EMERGENCY),
    ("the girl in the book is thinking about ending her life", "none"),
    ("that sudoku knocked me out cold, too hard for a monday", "none"),
])
def test_crisis_words_of_the_speaker_after_a_programme_are_theirs(said, level):
    """A programme's words are no finding, but the speaker's own crisis words said after it are ("made me want to
    kill myself": 988); a figure of the speaker's ("knocked me out cold") stays a figure."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("was mowing the lawn and collapsed", EMERGENCY),
    ("was walking the dog and fainted", EMERGENCY),
    ("walking my dog and fainted", EMERGENCY),
    ("mowing the lawn and collapsed", EMERGENCY),
    ("dog was sick and collapsed", "none"),
    ("sleeping cat fell off the couch", "none"),
    ("the dog barked and fainted", "none"),
])
def test_a_sign_after_a_chore_whose_subject_the_carrier_took_is_a_persons(said, level):
    """Alexa sends "my husband {was mowing the lawn and collapsed}" without "my husband", "i was {walking my dog and
    fainted}" without "i was": words that begin with the verb had a person before them, so the collapse is theirs
    (911); a pet's words keep their subject, and "sleeping" before the cat is no one's doing."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("i aint able to breathe", EMERGENCY),
    ("she isnt able to catch her breath", EMERGENCY),
    ("i wasnt able to stand up after i fell", EMERGENCY),
    ("my husband isnt able to make it for dinner", "none"),
])
def test_not_able_said_as_isnt_or_aint_is_a_sign_not_a_denial(said, level):
    """"I ain't able to breathe" (heard as "isn't able") is trouble breathing, as "I'm not able to" always was."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("whats the most painless way to go", EMERGENCY),
    ("is there a quick way to end my life", EMERGENCY),
    ("whats the best way to go to sleep", "none"),
    ("whats the best way to go to the pharmacy from here", "none"),
])
def test_a_way_to_go_is_a_crisis_only_when_nothing_follows(said, level):
    """"The most painless way to go" asks how to die (988); "the best way to go to sleep" asks about sleep."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("i cant breathe fine", EMERGENCY),
    ("he stopped breathing fine a minute ago", EMERGENCY),
    ("no chest pain and im breathing fine", "none"),
    ("i broke out in a rash on my arms but my breathing is fine", DOCTOR),
])
def test_breathing_fine_is_no_finding_unless_said_after_a_sign_of_its_own(said, level):
    """"breathing fine" says nothing is wrong; "can't breathe fine" and "stopped breathing" are still signs."""
    assert_level(said, level)


def test_every_context_rule_has_examples():
    rules = {k: r for k, r in CONTEXT.items() if isinstance(r, dict)}
    assert rules and all(r.get("examples") for r in rules.values()), [k for k, r in rules.items() if not r.get("examples")]


@pytest.mark.parametrize("said, level", [
    ("I have a massive headache", DOCTOR),                          # big, not the worst or sudden one
    ("a massive headache out of nowhere", EMERGENCY),
    ("sorting the insurance is a massive headache", NOT_HEALTH),   # figurative: no finding at all
    ("he fell head over heels down the stairs", EMERGENCY),
])
def test_a_big_headache_is_a_headache(said, level):
    assert triage.classify(said).level == level


@pytest.mark.parametrize("said", ["I'm head over heels for my new recliner", "she bent over backwards to help me",
                                  "my grandson fell head over heels for the new puppy"])
def test_idioms_are_no_finding(said):
    assert triage.classify(said).level in (UNKNOWN, NOT_HEALTH)


@pytest.mark.parametrize("said, level", [
    ("mom is so sleepy on the new oxycodone", DOCTOR),             # drowsy alone: the doctor (and its question)
    ("he's very drowsy on the morphine and his breathing is slow", EMERGENCY),
    ("she's drowsy on the tramadol and hard to wake", EMERGENCY),
    ("I can't stay awake during the day", DOCTOR),                 # the speaker is awake
    ("she won't stay awake", EMERGENCY),
    ("mom hasn't moved her bowels in almost a week", DOCTOR),      # constipation, not someone lying still
    ("itchy red bumps on my back since the new pills", DOCTOR),    # a rash, not a blow
    ("the oxycodone makes me feel funny", DOCTOR),
    ("her tongue feels thick and she has hives", EMERGENCY),
    ("i stopped taking my water pill because i pee all night", DOCTOR),     # the pill stopped, not the water
    ("i stopped taking my water pill and now my pee has stopped completely", EMERGENCY),
])
def test_drowsiness_bowels_rashes_and_side_effects_get_their_level(said, level):
    assert triage.classify(said).level == level


def test_a_pattern_with_optional_words_matches_with_and_without_them():
    """"(a|any)?" is one optional token of a pattern: "can't see a way out" and "can't see way out"."""
    for said in ("I can't see a way out", "nobody would even notice", "nobody would notice"):
        assert "self_harm" in triage.classify(said).families, said


def test_a_medicine_called_new_is_no_news_programme():
    """"on the new pills" stems like "on the news": only the word news itself is a programme."""
    assert triage.classify("her face is all puffed up on the new tablets").level == EMERGENCY
    assert triage.classify("I saw a man collapse on the news").level in (UNKNOWN, NOT_HEALTH)


@pytest.mark.parametrize("said, family", [
    ("can i take all my pills in the morning", "medicine_question"),
    ("is it ok if i take all my pills at once in the morning", "medicine_question"),
    ("can i take all of my pills with food", "medicine_question"),
    ("i am going to take all my pills with water tonight", "self_harm"),
    ("i want to take all my pills in the morning and never wake up", "self_harm"),
    ("can i take all my pills and be done with it", "self_harm"),
])
def test_the_days_pills_asked_as_a_schedule_are_a_medicine_question_never_a_plan(said, family):
    """"Can I take all my pills in the morning" asks about a schedule; "I am going to take all my
    pills" stays a crisis however it ends."""
    verdict = content.load().triage.classify(said)
    assert verdict.family == family, verdict


@pytest.mark.parametrize("said, level, family", [
    ("i have a blood clot in my leg", URGENT, "calf_clot"),         # a clot, not heavy bleeding
    ("i had a blood clot in my leg after a long flight in 2008", None, None),   # history
    ("i have a blood clot in my lung", EMERGENCY, None),
    ("i am passing blood clots", EMERGENCY, "heavy_bleeding"),
])
def test_a_clot_in_the_leg_is_read_as_a_clot_never_as_heavy_bleeding(said, level, family):
    verdict = triage.classify(said)
    assert (verdict.level in (UNKNOWN, NOT_HEALTH) if level is None else verdict.level == level), verdict
    assert family is None or family in verdict.families, verdict


@pytest.mark.parametrize("said, family", [
    ("does tylenol pm have regular tylenol in it too", "medicine_question"),    # was "can't tell how serious"
    ("if his heart rate is low some morning should he hold his metoprolol", "medicine_question"),
    ("does tylenol pm have regular tylenol in it, my chest is crushing", "chest_pain"),   # a finding decides
    ("i took my tylenol pm and now i cant wake my husband", None),              # a report, never a question
])
def test_a_question_naming_a_medicine_and_nothing_else_goes_to_the_pharmacist(said, family):
    verdict = triage.classify(said)
    assert (verdict.family == family) if family else verdict.family != "medicine_question", verdict


@pytest.mark.parametrize("said, crisis", [
    ("alexa what time is it, um, i keep thinking about going off the balcony tonight", True),
    ("hiya its just me again, i keep thinking id be better off not here at all", True),
    ("i had my shower and tidied the house so its nice when they find me, anyway how hot will it be today", True),
    ("this is his son, dad is upstairs and he said goodbye to me like he wasnt coming back", True),
    ("ay dios ya no aguanto, quiero que esto se acabe para siempre", True),
    ("the plants are better off not here in the cold", False),
    ("i'm gonna starve myself till dinner so i have room for turkey", False),
    ("no reason for me to still be here at the hospital, they said i can go home", False),
    ("me voy a tomar todo el frasco esta noche", True),
    ("the pharmacy gave me the wrong strength and ive been taking it all week", False),
])
def test_a_plan_said_in_passing_among_other_talk_is_a_crisis_and_its_everyday_words_are_not(said, crisis):
    assert ("self_harm" in triage.classify(said).families) is crisis, triage.classify(said)


@pytest.mark.parametrize("said", [
    "does the blood thinner make you bleed like this it wont stop bleeding",
    "will the aspirin make me bleed more my gums are bleeding everywhere right now",
    "what if i get chest pain and now my arm is numb",
    # a question to take something asks about what it names; a subject said after it reports what is happening now
    "should i take another oxycodone my chest is crushing and i cant breathe",
    "can i take tylenol i have a rash and my throat is closing",
    "can i take tylenol and my chest hurts",
    "can i have a bath my wound is pouring blood",
    # "back in oh six" is heard "back in 6", a year; "my back in 2 places" is a back
    "i hurt my back in 2 places and cant move my legs", "sudden severe pain in my back in 3 spots",
])
def test_a_question_ends_where_words_say_it_is_happening(said):
    """Two-word terminators ("like this", "and now") and a new subject end a medicine or what-if question."""
    assert content.load().triage.classify(said).level == EMERGENCY


@pytest.mark.parametrize("said", [
    "can i take tylenol if my chest hurts", "should i take my pain pill before bed or will i pass out",
    "can i take my pills with my blood thinner", "can i take ibuprofen when my back is bleeding through the bandage",
])
def test_what_a_question_to_take_something_joins_to_itself_is_still_asked(said):
    assert content.load().triage.classify(said).level != EMERGENCY


@pytest.mark.parametrize("said, level", [
    ("i hurt my back in the fall this morning", {EMERGENCY}),
    ("she hit her head in the fall", {EMERGENCY}),
    ("we go to vermont in the fall", {UNKNOWN, NOT_HEALTH}),
])
def test_an_injury_in_the_fall_is_a_fall_and_the_season_is_not(said, level):
    """"In the fall" is the season unless an injury is said with it (``still_findings``)."""
    assert content.load().triage.classify(said).level in level


@pytest.mark.parametrize("said", ["he's a pain in the neck", "that song gives me chills every time",
                                  "i'm sick and tired of this rain", "the crowd was at fever pitch"])
def test_figurative_speech_gets_no_doctor_or_surgeon_answer_either(said):
    """A figure of speech is no finding at any level, not only no emergency: no "call your surgeon now"."""
    assert content.load().triage.classify(said).level in (UNKNOWN, NOT_HEALTH)


@pytest.mark.parametrize("said, level", [("i stubbed my toe on the bed", {UNKNOWN, NOT_HEALTH, EXPECTED}),
                                         ("i keep stubbing my toe since yesterday", {EMERGENCY})])
def test_one_stubbed_toe_is_no_foot_drop_but_a_toe_caught_again_and_again_is(said, level):
    assert content.load().triage.classify(said).level in level


@pytest.mark.parametrize("said, level", [
    # a reaction to a price or the news, only nearly had or given to "anyone": a figure of speech
    ("i just about fell over when i saw the grocery total", {UNKNOWN, NOT_HEALTH}),
    ("the price of eggs these days would give anyone a heart attack", {UNKNOWN, NOT_HEALTH}),
    ("honestly the bake sale ladies bled me dry", {UNKNOWN, NOT_HEALTH}),
    ("the new pastor is breathing new life into the choir", {UNKNOWN, NOT_HEALTH}),
    ("i nearly fainted when i stood up", {EMERGENCY}),
    ("i just about fell over when i saw the grocery total and now i cant feel my legs", {EMERGENCY}),
    ("the pastor is breathing new life into the choir and my husband isnt breathing", {EMERGENCY}),
    # a worn thing slipping, a furniture leg, a noise, the wind, a time of life: no sign
    ("my speech is not slurred that is just my dentures slipping", {UNKNOWN, NOT_HEALTH}),
    ("my dentures slipped out and now my face is drooping on one side", {EMERGENCY}),
    ("my arm chair has a wobbly leg, who mends furniture round here", {UNKNOWN, NOT_HEALTH}),
    ("my leg is weak and the table leg is wobbly", {EMERGENCY}),
    ("i havent hit my head, that bang was the cupboard door slamming in the wind", {UNKNOWN, NOT_HEALTH}),
    ("that bang was my husband falling down the stairs", {EMERGENCY}),
    ("im out of breath in the wind and my lips are blue", {EMERGENCY}),
    ("my wife isnt hurt and she stayed on her feet, she just dropped the laundry basket", {UNKNOWN, NOT_HEALTH}),
    ("my wife stayed on her feet but her legs are giving way now", {EMERGENCY}),
    ("back in the navy i broke three ribs", {UNKNOWN, NOT_HEALTH}),
    ("back in the navy i broke three ribs and now my back snapped and i cant move", {EMERGENCY}),
    # a fall said as "gone over"
    ("bloody hell ive gone over on the patio and i think ive broken something", {EMERGENCY}),
    ("i have gone over the bills again", {UNKNOWN, NOT_HEALTH}),
])
def test_a_things_words_are_no_sign_and_the_same_words_of_someone_now_are(said, level):
    assert content.load().triage.classify(said).level in level


@pytest.mark.parametrize("said, level, family", [
    ("the bandage is soaked with cloudy stuff that smells bad", URGENT, "wound_infection"),
    ("the bandage is soaked through", EMERGENCY, "heavy_bleeding"),
    ("the bandage is soaked with blood and smells bad", EMERGENCY, "heavy_bleeding"),
    ("his wound is gushing and it smells bad", EMERGENCY, "heavy_bleeding"),
])
def test_a_dressing_soaked_with_pus_is_the_wound_and_with_blood_a_bleed(said, level, family):
    verdict = content.load().triage.classify(said)
    assert (verdict.level, verdict.family) == (level, family)


@pytest.mark.parametrize("said, level", [
    ("suppose i slip on the ice next week, what then", "none"),
    ("suppose i get chest pain in the night, should i wake my son", "none"),
    ("i suppose i have had chest pain since this morning", EMERGENCY),
    ("suppose i fell, i fell just now and cant get up", EMERGENCY),
    ("supposing he has a stroke, his face is drooping now", EMERGENCY),
    ("suppose he falls again, he fell this morning and hit his head", EMERGENCY),
])
def test_suppose_is_a_plan_up_to_a_report_of_now(said, level):
    """"suppose I ..." plans like "if"; "i suppose" is a hedge, and a subject said after it reports now."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("i thought it was heartburn but the antacid didnt touch it and now the pain goes into my jaw", EMERGENCY),
    ("the pain spreads up to my jaw", EMERGENCY),
    ("the pain in my shoulder goes down my left arm", EMERGENCY),
    ("the pain from my tooth goes into my jaw", EXPECTED),
    ("my tooth pain goes into my jaw", EXPECTED),
])
def test_pain_spreading_to_the_jaw_or_left_arm_is_911_even_when_heartburn_was_blamed(said, level):
    """The heart-attack signs: pain spreading to the jaw, neck or arm; a tooth's pain is the dentist's."""
    assert_level(said, level)


@pytest.mark.parametrize("said, crisis", [
    ("i told my daughter im ready to die and i mean it, i have had enough", True),
    ("im ready to die, im so tired of all this", True),
    ("im ready to die laughing at that show", False),
    ("im ready to die of embarrassment, my hair is a mess", False),
])
def test_ready_to_die_said_with_meaning_it_is_a_crisis_and_its_figures_are_not(said, crisis):
    assert ("self_harm" in triage.classify(said).families) is crisis, triage.classify(said)


@pytest.mark.parametrize("said, level", [
    ("i didnt fall, i sat down on the floor on purpose to play blocks with my great grandson", "none"),
    ("alexa order me slip on shoes with velcro in a size eight", "none"),
    ("i sat down on the floor on purpose and now i cant get up", EMERGENCY),
    ("i slipped on the ice in my slip on shoes", EMERGENCY),
])
def test_sitting_down_on_purpose_and_slip_on_shoes_are_no_fall_but_what_follows_them_is_heard(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("he was breathless and the nurse said his oxygen was ok but now hes blue", EMERGENCY),
    ("my husband went blue at the table", EMERGENCY),
    ("she went blue", EMERGENCY),
    ("im feeling blue today", "none"),
    ("the screen went blue", "none"),
    ("the sky went grey", "none"),
    ("my hair went grey at forty", "none"),
    ("i talked till i went blue in the face", "none"),
])
def test_a_person_gone_blue_is_911_and_a_mood_a_screen_or_the_sky_is_not(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("the doctor said the ache was normal healing but an hour ago it got ten times worse all at once", EMERGENCY),
    ("the pain at the site was improving all week then tonight it suddenly became severe", EMERGENCY),
    ("um alexa my friend in texas has covid and my own breathing is really fast and shallow right now", EMERGENCY),
    ("i told myself the chest pain was stress but it woke me up and it wont ease off", EMERGENCY),
    ("my dog has been limping all day and um my chest has gone tight and heavy since lunch", EMERGENCY),
    ("my heart goes out to my sister in ohio and also my chest is really hurting me right now", EMERGENCY),
    ("the antacid did nothing the burning in my chest is still there and now im sweating all over", EMERGENCY),
    ("i keep losing consciousness for a second then coming back", EMERGENCY),
    ("my husband was sharp as a tack this morning and now he cant tell me what day it is", EMERGENCY),
    ("he had a stroke in 2015 and this morning hes got the same slurred speech again", EMERGENCY),
    ("my mom smiled and only half of her mouth moved", EMERGENCY),
    ("my dog chewed my slipper and uh my left calf is swollen and hurts when i walk", URGENT),
    ("the chest pain has gone", URGENT),
])
def test_a_danger_said_in_the_shape_of_harmless_talk_keeps_its_level(said, level):
    """A red-team writer's sentences: an explanation proved wrong, a pet or a far-off friend and then the speaker's
    own sign, a story of the past and then this morning, an idiom beside a real sign."""
    assert_level(said, level)


@pytest.mark.parametrize("said, crisis", [
    ("my dad keeps saying he wants to put an end to himself", True),
    ("my son is at college and he doesnt need me i want to end everything", True),
    ("i want to end everything in my garden and start over with roses", False),
    ("they want to put an end to the parking problem", False),
])
def test_ending_everything_or_oneself_is_a_crisis_and_ending_a_thing_is_not(said, crisis):
    assert ("self_harm" in triage.classify(said).families) is crisis, triage.classify(said)


@pytest.mark.parametrize("said, level", TRIAGE_YAML["hypothetical"]["examples"].items())
def test_what_was_asked_about_then_said_to_be_happening_is_now(said, level):
    """``hypothetical.now_after``: "if the chest pain comes back ... well actually its back now"."""
    assert_level(said, level)


@pytest.mark.parametrize("said, crisis", [
    ("been thinking about putting a bag over my head sorry to bring it up", True),
    ("hes locked himself in the bathroom with a razor and says leave him be", True),
    ("i cut my arm a bit last night to feel something its not deep please dont make a fuss", True),
    ("i keep thinking the world would be a kinder place with me gone", True),
    ("ive written letters to the kids and put my affairs in order i dont plan to be here much longer", True),
    ("i stood at the top of the stairs today thinking of throwing myself down", True),
    ("put a bag over my head to keep the rain off", False),
    ("i dont plan to be here much longer, the hotel is too expensive", False),
    ("he locked himself in the garage with his tools and a knife to whittle", False),
])
def test_crisis_played_down_is_still_a_crisis_and_its_everyday_twins_are_not(said, crisis):
    """A red-team writer's crisis sentences said apologetically ("sorry to bring it up", "dont make a fuss")."""
    assert ("self_harm" in triage.classify(said).families) is crisis, triage.classify(said)


@pytest.mark.parametrize("said, family", [
    ("granny has been chewing her slow release pain tablets and now shes nodding off mid sentence", "poisoning"),
    ("is it a problem if i took my neighbours pain pills as well as mine i feel woozy", "poisoning"),
    ("the dog knocked over the pill bottle and my toddler granddaughter had some in her mouth", "poisoning"),
    ("my dog chewed my slipper", None),
])
def test_a_medicine_chewed_taken_from_another_or_in_a_childs_mouth_is_poison_control(said, family):
    families = triage.classify(said).families
    assert (family in families) if family else "poisoning" not in families, families


@pytest.mark.parametrize("said, level", [
    ("alexa my wife cant find her words she just points at things and gets upset", EMERGENCY),
    ("i want to say the word and it just wont come out i know what i mean but i cant say it", EMERGENCY),
    ("everything has a ghost next to it two of everything and it started all at once", EMERGENCY),
    ("my vision on the right side is blank i bump into the door frame every time", EMERGENCY),
    ("um alexa the left side of the tv screen is just gone like somebody cut it off", EMERGENCY),
    ("when i smile in the mirror only half my face smiles back", EMERGENCY),
    ("all of a sudden i cant keep my balance i keep listing to the right like a boat", EMERGENCY),
    ("mom keeps calling the remote the kettle and she doesnt notice shes doing it", EMERGENCY),
    ("my eye lid and cheek on the right are hanging down", EMERGENCY),
    ("grandma woke up from her nap and cant find her way to the bathroom in her own house", EMERGENCY),
    ("dad thinks its 1975 and keeps asking for his mother", EMERGENCY),
    ("i cant find my words for this crossword clue", "none"),
    ("the words wont come out right in my letter to the editor", "none"),
    ("i keep seeing two of them at the bird feeder", "none"),
    ("the boat was listing to the right", "none"),
    ("the left side of the fence is gone after the storm", "none"),
    ("my son keeps asking for his mother", "none"),
    ("the picture on the right is hanging down", "none"),
])
def test_a_stroke_or_confusion_told_by_what_it_does_is_911_and_its_everyday_twins_are_not(said, level):
    """A red-team writer's roundabout stroke signs (words that won't come, sight half gone or doubled, a sudden
    lean) and confusion a relative saw; each with the everyday sentence that shares its words."""
    assert_level(said, level)


@pytest.mark.parametrize("said, family", [
    ("i loaded the revolver last night and sat with it a while", "self_harm"),
    ("i looked up how high the bridge is on the computer i think about it every day", "self_harm"),
    ("im so tired of all of it alexa tired of waking up every morning", "self_harm"),
    ("ive had a good innings you know i think its time i checked out for good", "self_harm"),
    ("mum asked me to bring her the gun from the garage she says its for herself", "self_harm"),
    ("um i wish id died on that operating table instead of waking up to this", "self_harm"),
    ("he had the fentanyl patch on and then sat on the heating pad all afternoon now hes very sleepy", "overdose"),
    ("i drank most of the cough syrup bottle on top of my pain pills to get some sleep", "overdose"),
    ("the pharmacy gave me fifty milligram ones instead of five and i been taking them all week", "overdose"),
    ("hes breaking out in hives and his lips look twice the size they did an hour ago", "allergy"),
    ("i loaded the shotgun for duck season", None),
    ("i looked up how high the bridge is for my crossword", None),
    ("im sick of waking up at five for the dog", None),
    ("the heating pad and the patch on my knee", None),
    ("i had most of the cough syrup bottle this winter, need a new one", None),
    ("the tomatoes are twice the size of last year", None),
])
def test_crisis_overdose_and_allergy_a_fourth_red_team_wrote_are_heard_and_their_twins_are_not(said, family):
    """An older person's own crisis words (a gun sat with, a height looked up, wishing not to have woken), an overdose
    by heat on a patch or a wrong strength, lips swollen to twice their size; each with its everyday twin."""
    verdict = triage.classify(said)
    alarms = {"self_harm", "overdose", "poisoning", "allergy"} & set(verdict.families)
    assert (family in verdict.families and verdict.level == EMERGENCY) if family else not alarms, verdict


@pytest.mark.parametrize("said, level", [
    ("alexa my heart is thumping in my ears and wont slow down started five minutes ago", EMERGENCY),
    ("i went all swimmy and dropped like a sack of spuds in the kitchen", EMERGENCY),
    ("she keeps asking me the same thing every minute since this morning", EMERGENCY),
    ("shes numb from the waist down and its creeping up higher", EMERGENCY),
    ("my hand wont grip the pen to do the crossword its just gone limp", EMERGENCY),
    ("my mouth wont make the words right and the tea ran out the side", EMERGENCY),
    ("dad told me hes got a plan to finish himself off", EMERGENCY),
    ("i just want to go to sleep and never come back", EMERGENCY),
    ("my husband says hes going out to the shed with the rope and wont be coming back", EMERGENCY),
    ("my legs ache but my mum keeps saying she wants to throw herself off the landing", EMERGENCY),
    ("my heart is thumping away happily at the dance class", "none"),
    ("dad dropped like a stone into his armchair after the game", "none"),
    ("i threw myself down on the sofa after work", "none"),
    ("i fell asleep and never came back to the book", "none"),
])
def test_signs_said_in_home_words_are_911_and_their_twins_are_not(said, level):
    """A fifth red-team writer: a heart thumping that won't slow, dropping like a sack, numb from the waist down,
    a hand gone limp, tea running out of the side of the mouth, a plan to finish himself off."""
    assert_level(said, level)


@pytest.mark.parametrize("said, family", [
    ("i gave my tools to my grandson, i wont need them where im going", "self_harm"),
    ("shes been giving her rings to the nieces so theyll have something of her after", "self_harm"),
    ("i signed the house over, nothing left to do but go", "self_harm"),
    ("theyd be better off if i just went", "self_harm"),
    ("the insurance money would do them more good than i do", "self_harm"),
    ("i want out of this life, i mean it", "self_harm"),
    ("ive been saving my sleeping pills for when i decide im done", "self_harm"),
    ("i looked up how many of my pills it would take, and i have enough", "self_harm"),
    ("dad took his rifle out and loaded it, its right here beside me", "self_harm"),
    ("he sits in the garage with the engine running thinking about closing the door", "self_harm"),
    ("the aide is off on sunday so nobody will be here to stop me", "self_harm"),
    ("i wrote the letter, now i just need to work up the nerve", "self_harm"),
    ("i look at the lake and think about walking in and never come up", "self_harm"),
    ("she stands at the top of the stairs and says one step and it would all be over", "self_harm"),
    ("mi papa dice que se va a matar", "self_harm"),
    ("no quiero seguir asi, mejor me muero", "self_harm"),
    ("quiero dormirme y no despertar nunca", "self_harm"),
    ("im going home to the lord tonight", "self_harm"),
    ("ill be with jesus by sunday, dont wait for me", "self_harm"),
    ("god forgive me for what im about to do", "self_harm"),
    ("i havent eaten in days on purpose", "self_harm"),
    ("i keep hitting my arm over and over till it bruises", "self_harm"),
    ("i slap myself when i feel worthless", "self_harm"),
    ("she has cuts on her arms and says she did it herself", "self_harm"),
    ("i burned my arm with the iron on purpose so i could feel something", "self_harm"),
    ("tell them i didnt want to be a burden anymore, goodbye", "self_harm"),
    ("its time i quit taking up space for good", "self_harm"),
    ("he ate everything out of the tuesday slot and then the wednesday slot", "poisoning"),
    ("there are ten pills missing from my bottle and nobody else lives here", "poisoning"),
    ("my granddaughter says she ate the pink ones from my pill bottle", "poisoning"),
    ("my wife drank her cough syrup straight from the bottle, most of it", "poisoning"),
    ("my husband has dementia and he got into my pill box", "poisoning"),
    ("my neighbour gave me her pain pills, i took two of hers", "poisoning"),
    ("the twins got into my pill bottle and theres powder on his mouth", "poisoning"),
    ("i gave my old rods to my nephew", None),
    ("i wont need a coat where im going, its florida", None),
    ("going home to see jesus statue at church", None),
    ("i took my husbands advice", None),
    ("theres nothing left to do but go to bed", None),
    ("i want out of this lease", None),
    ("i looked up how many steps it takes to burn a calorie", None),
    ("my husband loaded his gun and went hunting", None),
    ("i left the car running in the garage to warm it up", None),
    ("theres nobody here to stop me eating the whole cake", None),
    ("we picked the day for the wedding", None),
    ("mi mama me va a matar si llego tarde", None),
    ("me muero de risa", None),
    ("i told my sister im coming home tonight", None),
    ("forgive me for what im about to say", None),
    ("i slapped myself in the face to stay awake", None),
    ("i filled the monday and tuesday boxes of my pill case this morning", None),
    ("my pills are missing, the pharmacy shorted me", None),
    ("i took three of her cookies", None),
    ("the cat knocked my pill bottle off the table but the lid stayed on", None),
    ("i dont want to be a bother, goodbye for now", None),
    ("my sister can keep the dog for good, she loves him", None),
])
def test_crises_and_overdoses_a_sixth_red_team_hid_are_heard_and_their_twins_are_not(said, family):
    """A sixth red-team writer: goodbyes with a plan, things given for where one is going, a gun loaded, the car
    running in the garage, one step from the top of the stairs, faith and Spanish, self-injury said plainly; two
    days' pill slots emptied, pills missing, a child with pills or powder, another person's pills taken."""
    verdict = triage.classify(said)
    alarms = {"self_harm", "overdose", "poisoning"} & set(verdict.families)
    assert (family in verdict.families and verdict.level == EMERGENCY) if family else not alarms, verdict


@pytest.mark.parametrize("said, level", [
    ("my blood sugar was one oh six after supper", "none"), ("his glucose read a hundred and five", "none"),
    ("she has a hundred and five", EMERGENCY), ("my sugar was fine but he has a hundred and four", EMERGENCY)])
def test_a_sugar_or_a_weight_read_out_is_no_temperature(said, level):
    """A figure said alone after what is measured ("blood sugar", "glucose") is no fever; a bare one still is."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("the neighbors cat killed himself a bird and left it on the porch", NOT_HEALTH),   # a catch, told in dialect
    ("my son killed himself a week ago", EMERGENCY),                                    # a death: still the line
])
def test_a_catch_told_in_dialect_is_no_suicide(said, level):
    assert content.load().triage.classify(said).level == level


@pytest.mark.parametrize("said, family", [
    ("she says shes ready to go and asked where the gun is", "self_harm"),
    ("im going off the roof if this doesnt heal", "self_harm"),
    ("im not planning on being here at christmas whats the point", "self_harm"),
    ("i gave the dog to my neighbor, i wont need him after this weekend", "self_harm"),
    ("he keeps asking how high you have to fall to die", "self_harm"),
    ("i dont want to be a weight on my kids", "self_harm"),
    ("i keep picturing myself stepping in front of a truck", "self_harm"),
    ("ive worked out how id do it, im not going to do anything silly", "self_harm"),
    ("i tied a rope in the garage and i keep going back to look at it", "self_harm"),
    ("i think about dying every night", "self_harm"),
    ("i hit my head against the wall because i hate myself", "self_harm"),
    ("ive been biting my arms till they bleed", "self_harm"),
    ("my last wish is to go to sleep for good", "self_harm"),
    ("he finished off the bottle of morphine", "overdose"),
    ("i took some pills that werent mine", "overdose"),
    ("i thought they were my stool softeners but they were the oxycodone, i took two", "overdose"),
    ("i stuck my wifes patch on top of my own", "overdose"),
    ("she says shes ready to go to the gun show", None),
    ("the roofer is going off the roof at noon", None),
    ("im not planning on being here at christmas, we go to my sisters", None),
    ("i gave the dog a bath, i wont need the groomer after this", None),
    ("how high can i lift my arms after surgery", None),
    ("dont put weight on my leg", None),
    ("i keep picturing myself walking in front of the class", None),
    ("ive worked out how id do the stairs", None),
    ("i tied a rope in the garage for the bikes", None),
    ("i think about my garden every night", None),
    ("ive been scratching my arms till they bleed from the rash", None),
    ("the dog went to sleep for good last year", None),
    ("he finished the bottle of antibiotics like the doctor said", None),
    ("the pharmacy gave me pills that werent mine so i took them back", None),
    ("i thought they were my stool softeners but they were vitamins", None),
])
def test_crisis_and_overdose_a_ninth_red_team_wrote_are_heard_and_their_twins_are_not(said, family):
    """A weapon asked for after words of going, a plan worked out, a rope gone back to, a leap pictured, harm done in
    self-hatred; a strong liquid opioid finished off, someone else's pills, a patch on a patch; each with its twin."""
    verdict = triage.classify(said)
    alarms = {"self_harm", "overdose", "poisoning", "allergy"} & set(verdict.families)
    assert (family in verdict.families and verdict.level == EMERGENCY) if family else not alarms, verdict


@pytest.mark.parametrize("said, family", [
    ("my wife says i went out like a light at dinner and she couldnt get me back for a bit", "consciousness"),
    ("a bladder problem years back but now i cant go at all", "cauda_equina"),
    ("now i cant hold my stool and i didnt feel it", "cauda_equina"),
    ("i wet myself without knowing it, ive never done that before the surgery", "cauda_equina"),
    ("it stopped bleeding and now its bleeding again and it wont quit", "heavy_bleeding"),
    ("the site started bleeding and its still going strong", "heavy_bleeding"),
    ("i went out like a light and she couldnt get me back to bed", None),
    ("the pills make it so i cant go at all", None),
    ("i cant hold my stool in the morning, i have to rush", None),
    ("the toilet seat is too low for me can i get a raised one", None),
    ("this cough wont quit", None),
    ("my garden is still going strong", None),
])
def test_emergencies_a_ninth_red_team_played_down_are_heard_and_their_twins_are_not(said, family):
    """Out cold at the table, a bladder or bowel let go unfelt or not going at all, bleeding that won't quit; each with
    the everyday sentence that shares its words."""
    verdict = triage.classify(said)
    assert (family in verdict.families and verdict.level == EMERGENCY) if family else verdict.level != EMERGENCY, verdict


@pytest.mark.parametrize("said, level", [
    ("what to do if someone collapses my husband just collapsed", EMERGENCY),
    ("how can i tell if someone is having a stroke my wife's face is drooping", EMERGENCY),
    ("how do nurses check if someone is hard to wake my husband wont wake up", EMERGENCY),
    ("what should i do if someone faints", UNKNOWN),                     # asked, ahead
    ("what if someone falls and my husband isnt home", UNKNOWN),         # "and" joins it to the question
    ("if my mom passes out what do i do first", UNKNOWN),                # mom is who the question is about
    ("the nurse said to look for swelling in my lips and i looked and there is none", UNKNOWN),
])
def test_a_question_about_anyone_then_a_person_of_the_house_is_a_report(said, level):
    """Alexa sends no comma: "what to do if someone collapses, my husband just collapsed" arrives as one run, and the
    person named after the question about anyone is a report of now."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("how do i tell a stroke from a migraine, my face is drooping", EMERGENCY),
    ("how do i tell a stroke from a migraine my face is drooping", EMERGENCY),
    ("what are the signs of a heart attack, my chest is crushing", EMERGENCY),
    ("how do i tell a stroke from a migraine", UNKNOWN),                 # asked to learn
    ("how can i tell my wife is having a stroke", UNKNOWN),              # she is what the question is about
    ("how can i tell whether i broke my hip", UNKNOWN),
    ("how do i tell the signs my husband is having a stroke", UNKNOWN),  # "signs" joins him to the question
])
def test_a_question_to_learn_a_sign_then_the_speakers_own_sign_is_a_report(said, level):
    """Learning how to tell a sign asks about it only up to a new subject: "my face is drooping" said after it is now."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("im scared my face is drooping", EMERGENCY),
    ("im scared of having a stroke, my face is drooping", EMERGENCY),
    ("im scared cause my chest hurts so bad", EMERGENCY),
    ("im worried i might have a stroke my arm went numb and weak", EMERGENCY),
    ("im scared ill fall", UNKNOWN),                                      # later
    ("im afraid of getting a blood clot", UNKNOWN),
    ("my son was scared i had a blood clot but the scan was clear", UNKNOWN),   # the past
])
def test_a_fear_told_of_now_is_a_report_and_a_fear_of_later_is_not(said, level):
    """"Scared" asks of what may come; a subject said after it with no word of later, or after a new subject, is now."""
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("i hit my elbow on the door frame, just a bruise, nothing to worry about", "expected"),
    ("i keep hitting my elbow on the rail of the bed when i turn over, bad design", "none"),
    ("i banged my knee on the coffee table", "none"),
    # a knock to the head is the doctor's, asked about (head_knock); the back, a fall with it, or a bleed keeps its level
    ("i bumped my elbow and hit my head", "doctor"),
    ("i hit my knee on the table and then i fell", EMERGENCY),
    ("i hit my back on the door", EMERGENCY),
    ("he banged his shin on the bed and its bleeding everywhere", EMERGENCY),
])
def test_a_limb_knocked_on_furniture_is_no_blow_to_the_head_or_back(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("alexa tell me about the stars you can see tonight", "none"),
    ("my husband has been kind of down since the surgery he just sits and stares at the tv", "none"),
    ("my husband is out like a light and im staring at the ceiling", "none"),
    ("grandma is staring into space and wont answer me", EMERGENCY),
    ("he is staring blankly and not responding", EMERGENCY),
    ("she has a blank stare", EMERGENCY),
])
def test_a_stare_that_answers_nothing_is_911_and_a_stare_at_the_tv_or_the_stars_is_nothing(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("dad wants you to read back his speech for my sister's wedding", "none"),
    ("ha, that repair bill nearly sent me to an early grave, figure of speech, anyway how do i pay it online", "none"),
    ("make your speech slower", "none"),
    ("my speech has gone thick and slow since lunch", EMERGENCY),
    ("my speech has gone all slurry", EMERGENCY),
    ("her speech is weird", EMERGENCY),
])
def test_speech_that_changed_is_911_and_a_speech_given_or_a_figure_of_speech_is_nothing(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("alexa set a reminder to burn the brush pile tonight when the wind dies down", "none"),
    ("i joke that the cement made me heavier so the wind cant blow me over anymore", "none"),
    ("she gets winded walking to the mailbox", EMERGENCY),
])
def test_being_winded_is_a_breathing_sign_and_the_wind_whose_stem_it_shares_is_not(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("said, level", [
    ("my grandson on the phone says dont worry but my throat feels like its closing", EMERGENCY),
    ("my sister in florida had a bad fall but my brother says shes recovering", "none"),
    ("my grandson is on the phone and i told him i cant get my breath", EMERGENCY),
    ("my daughter is on the phone and i told her i fell and cant get up", EMERGENCY),
    ("i told my son in texas i cant breathe", EMERGENCY),
    ("my son in texas said he cant breathe", "none"),
    ("when i was in texas i fell and broke my hip", "none"),
    ("over in vietnam i got malaria and the fevers ran a hundred and five", "none"),
])
def test_the_speakers_own_body_after_a_far_persons_story_is_now(said, level):
    """A story of someone far off holds until a break; "but my ...", or the speaker said just before the sign as now
    ("i told him i can't breathe"), turns to the speaker, here and now."""
    assert_level(said, level)


# Twins W138-W147 wrote (used to choose, not in the tuning set): everyday words that shared an alarm's words; the alarm kept
@pytest.mark.parametrize("said, level", [
    ("i dont want to live in a nursing home, i want to stay in my own house", "none"),
    ("i dont want to live in a world without her", EMERGENCY),
    ("the knife slipped while i was peeling apples, just a shallow cut", "none"),
    ("my foot slipped on the ice and i fell", EMERGENCY),
    ("the bills from the hospital came and i nearly had a heart attack", "none"),
    ("i nearly had a heart attack and my chest is still crushing", EMERGENCY),
    ("i never got to say goodbye to my brother, he died in 1998", "none"),
    ("im going to end it with my gentleman friend, he snores", "none"),
    ("after breakfast i am going to hang myself a new calendar", "none"),
    ("im going to hang myself in the garage", EMERGENCY),
    ("the cat sat on my chest all night", "none"),
    ("it feels like an elephant is sitting on my chest", EMERGENCY),
    ("the surgeon went over all the risks before he cut into my back", "none"),
    ("he went over the handlebars and cant get up", EMERGENCY),
    ("i scratched the car backing out of the driveway", "none"),
    ("my grandson got a tattoo and his mother is going to have a fit", "none"),
    # "handing" has the stem of "hand"
    ("remind me the church blood drive is saturday, i cant give but im handing out the cookies", "none"),
    # a roast or the slugs drowned, a past not talked about, things ended with a company
    ("i drowned the roast in gravy the way my husband liked it", "none"),
    ("the slugs drowned in the beer trap, best trick i know", "none"),
    ("my grandfather was hanged in the old country during the war, we dont talk about it much", "none"),
    ("i ended things with that home care company, they kept sending a different girl every day", "none"),
    ("my grandson fell in the pool and is drowning", EMERGENCY),
    ("i feel like im drowning", EMERGENCY),
    ("he nearly drowned in the pool just now", EMERGENCY),
    ("he didnt wake up", EMERGENCY),
    ("i shook him and he didnt wake up once", EMERGENCY),
    ("he cant talk", EMERGENCY),
])
def test_everyday_words_that_share_an_alarms_words_are_no_alarm_and_the_alarm_still_is(said, level):
    assert_level(said, level)


# W289-W306 (read, tuning): a thing with air in its name, too much of school or the telly, a garden drowned by rain
@pytest.mark.parametrize("said, level", [
    ("my brother still has his old air rifle from the scouts, is it worth anything", "none"),
    ("my brother is fighting for air and his lips are blue", EMERGENCY),
    ("the twins had an overdose of homework over half term", "none"),
    ("i overdosed on the telly all weekend, read me something instead", "none"),
    ("my brother overdosed on his pain patches and wont wake up", EMERGENCY),
    ("the storm is drowning the lawn again, when does it stop", "none"),
    ("my granddaughter is drowning in the pond, help", EMERGENCY),
])
def test_things_named_for_air_too_much_of_a_pastime_and_a_drowned_garden_are_no_alarm(said, level):
    assert_level(said, level)


# W289-W306 (read, tuning): a thing left in a will "when i'm gone", or the house empty while one is out
@pytest.mark.parametrize("said, level", [
    ("my niece can have my sewing machine when im gone, shes the only one who sews", "none"),
    ("set the heating to come on an hour before i get back, when im gone all day its freezing", "none"),
    ("my niece can have my sewing machine when im gone, and i wont be here by sunday", EMERGENCY),
    ("when im gone nobody will even notice, its better that way", EMERGENCY),
])
def test_a_thing_left_in_a_will_when_im_gone_is_no_crisis_and_a_goodbye_still_is(said, level):
    assert_level(said, level)


@pytest.mark.parametrize("field, value", [("only", ["(BLADDER|waterworks) & stopped"]), ("to", "pill_side_effect")])
def test_a_qualifier_naming_no_pattern_or_no_family_is_refused_when_the_rules_compile(field, value):
    """A qualifier's `only` repeats a pattern's text, and its `to` a family's key: edited in one place only, it would
    silently apply to nothing, so the rules refuse to compile."""
    import copy

    from skill.triage import Triage

    spec = copy.deepcopy(triage._spec)
    spec["families"]["cauda_equina"]["qualifiers"][1][field] = value
    with pytest.raises(ValueError, match="qualifier"):
        Triage(spec, triage.language).classify("my pee stopped")


@pytest.mark.parametrize("said, families", [
    ("um grandpa is standing on the chair with a cord around his neck, please tell me what to do", {"self_harm"}),
    ("the lady i look after tied a belt around the closet rail and i got there just in time", {"self_harm"}),
    ("i sit on the porch with the twenty two across my knees and think about putting it to my head", {"self_harm"}),
    ("my son forgot the pistol in the tackle drawer, i found it, i think i will use it", {"self_harm"}),
    ("i keep thinking about the pond out back, just walking in till im under", {"self_harm"}),
    ("when i fish off the dock i think about going over with the boat anchor tied to me", {"self_harm"}),
    ("the only reason i watch the weather is to pick a cold night to lay down in the snow for good", {"self_harm"}),
    ("i went to the bridge where i used to fish and i nearly jumped, im going back tomorrow", {"self_harm"}),
    ("i put a rope in the cart at the hardware store and it wasnt for the garden, i know what its for", {"self_harm"}),
    # pills too many on purpose: 911 and the poison line first, and 988
    ("i took too many of the pain pills on purpose about an hour ago", {"self_harm", "overdose"}),
    # their twins
    ("i wrapped a scarf around my neck, its cold out", set()),
    ("my father tied a belt to the closet rod to hang his neckties on", set()),
    ("i bought a new shotgun, i will use it for ducks this fall", set()),
    ("i almost jumped out of my skin when the phone rang", set()),
    ("the cat lay down in the sun for an hour", set()),
    ("i took an extra pill on purpose because the pain was bad", set()),
])
def test_the_means_at_hand_told_by_the_scene_are_crisis_words_and_their_twins_are_not(said, families):
    """Writers W152-W155 told a crisis by its scene: a cord at the neck, a gun to the head, water till under, the snow
    for good, a bridge nearly jumped from, too many pills on purpose (911 and the poison line, then 988)."""
    verdict = triage.classify(said)
    crisis = {"self_harm", "self_harm_heard"}
    if families:
        assert verdict.level == EMERGENCY and families <= set(verdict.families), verdict
    else:
        assert not crisis & set(verdict.families), verdict


def test_a_pattern_with_a_group_inside_a_group_is_refused():
    """Groups do not nest: "(a|(b|c) d)" once compiled silently into words no one says."""
    import copy

    from skill.triage import Triage

    spec = copy.deepcopy(triage._spec)
    spec["families"]["self_harm"]["patterns"].append("(might as well|(may|could) as well) (be|off) dead")
    with pytest.raises(ValueError, match="a group inside a group"):
        Triage(spec, triage.language).classify("i might as well be dead")
