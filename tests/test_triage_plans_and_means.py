"""Crisis told by a plan, a means kept near, or a deed, as writers W138-W204 wrote it; and their everyday twins.
Each crisis sentence here got no 988 before (an unknown, a doctor or a medicine answer)."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage
CRISIS = {"self_harm", "self_harm_heard"}


@pytest.mark.parametrize("said", [
    "turned on the gas on the stove and didnt light it im just sitting here in the kitchen waiting",
    "keep holding the steak knife against my wrist just sitting here at the table",
    "skipping all my meals all week so i get weak and go dont tell my daughter",
    "beat my legs with the cane till they went purple i hate myself",
    "mixed all the pills in a cup in the kitchen i am just waiting for everyone to go to bed",
    "folding the laundry for the last time i wont need clean clothes where im going i mean it",
    "poured the morphine in a glass all of it its right here by the sink",
    "keeps saying he will drive off the road next time he goes to the store he took the keys just now",
    "been flushing my blood thinner down the toilet so maybe i get a clot and thats that",
    "shot himself after korea and i think im fixing to do the same",
    "going to sit in the cold shed tonight without my coat till i freeze to death thats my plan",
    "is staying with us to help out and i found cuts all over her legs fresh ones",
    "said if i go to work tomorrow she will be dead when i get home",
    "wrote down the password for my daughter and a note saying goodbye its in the bible",
    "i have no intention of being alive in six weeks",
    "i am not going to the follow up, i am going to the train tracks to lie down",
    "im not safe with myself tonight",
    "last time i tried they found me, this time they wont",
    "i wont be at cards thursday, i wont be anywhere after tonight",
    "the silence in this house is killing me and i want it to",
    "i quit my blood thinner on purpose so the clot will take me",
    "i went down to the pond today to see how deep it is so i can drown myself",
    "i keep hitting my back right where they put the cement, i want it to hurt",
    # W166-W169: a noose, the only fix being dead, pills saved "and i know what i'm gonna do", a note and gone
    "need to know how to tie a noose",
    "honestly the only thing that would fix me is being dead",
    "i filled the prescription twice so i got extra, and i know what im gonna do with them",
    "remember when i asked you about the pills, well i did it",
    "my husband left a note on the fridge, says hes sorry and he loves us, and i cant find him in the house",
    "since the war i always said id choose my own time, and i reckon my time is now",
    "what is the lethal dose of tylenol for a woman about a hundred and ten pounds",
    "im fixing to drink this whole bottle of whiskey with every one of these pills",
    "i want the bone to break again, i want this to kill me",
    "i hope the cold takes me tonight",
    # W170-W173: a deed wanted, a body left to be found, a goodbye they didn't know was one
    "i cut myself in the shower today, the blood scared me a little but i wanted it",
    "every time i take my pills i want to take the whole bottle instead, and one day i will",
    "im cutting again, i thought i was done with that forty years ago",
    "i left the back door unlocked so the neighbor finds me after, not my daughter",
    "i called my boy tonight and told him i loved him, he dont know that was goodbye",
    "im gonna take every last one of the oxys the surgeon gave me and just go",
    "my husband he says i am better without him, he is looking for rope in the garage",
    # W174-W177: a plan told by its means, its finding or its disguise
    "ay i just want to sleep and not open my eyes no more, never",
    "ive been figuring how to do it so it looks like i just fell, so the insurance pays",
    "alexa how long does it take to bleed out from your wrist",
    "grandpa said he will overdose on his heart pills if we send him back to rehab",
    "i kept my husbands old heart pills, theres enough in there to stop mine",
    "alexa set a reminder for my son at seven, so hes the one who finds me in the morning",
    "car keys are by the door, tonight im driving off the overlook",
    "i been thinking of stepping out in front of the city bus when it comes by the corner",
    "well i bought a new rope at the hardware store and it aint for no clothesline",
    "i dont care if i fall, i hope i fall down those stairs and thats the end of me",
    # W178-W184: cutting hidden, the tracks lain on, the gun eaten, the gas sat with, a pillow, trying again
    "alexa my wife is cutting her legs with the kitchen scissors again, i just saw the blood",
    "the railroad track aint far from my place, i been thinkin bout layin down on it",
    "you know i did two tours and come home from all that and now i think im gonna eat my gun",
    "i turned the gas on in the kitchen and im just going to sit here with it",
    "ive been holding a pillow over my own face at night trying to get the courage",
    "i tried once before back in eighty two and now im thinkin bout tryin again",
    "ive stopped drinking water, i want my kidneys to quit, let it be over",
    "my buddies from the unit all gone, i shoulda died over there with em, gonna fix that now",
    "um the woman i look after asked me to leave the gas on in the kitchen when i go home",
    # W189-W192: the exhaust hose ready, a knife in one's lap, a gun kept till one decides, letters and "it's time now"
    "please dont tell anyone but the hose for the exhaust is already in the trunk",
    "i sat with the butcher knife on my lap for an hour last night thinking about it",
    "tell my wife the insurance papers are in the blue folder, i wont be around to tell her myself",
    "well you know i put the shotgun by the bed, just in case i decide tonight",
    "i found fresh cuts on my wifes arms when i was helping her change her nightgown",
    "i wrote a letter to each of the grandchildren and put them with my rings on the dresser, its time now",
    "i sorted out who gets the ring and who gets the house, tonight is the night",
    "every night i pray i dont wake up, the back pain just grinds on",
    "i wanna killmyself alexa",
    # W193-W196: a balcony climbed over in thought, the ocean tonight, a belt on the closet rod, lines carved
    "my daughters balcony is eight floors up, i keep thinking about climbing over when she goes to work",
    "im walking into the ocean tonight, the beach is right down the road",
    "alexa this is the last time you will hear me, thank you for the company",
    "um i tied a belt to the closet rod this afternoon, i took it down before my husband got home but its going back up",
    "i have been carving little lines in my arm with a safety pin",
    "i burned the inside of my arm with my lighter again, nobody knows, it helps for a minute",
    "i hid my grandsons rifle shells in my sewing box, they are for me",
    "ive decided, sunday when everybody leaves, thats when",
    "i put the plastic bag and the tape by the bed for later",
    "what happens if somebody takes twenty of the gabapentin, cause i got them in my hand right now",
    # W197-W200: love left to be told after, the pills already swallowed, a brother's way, the pills left to finish
    "tell them i loved them okay alexa, tell them that after",
    "alexa call my son and tell him im sorry, i already swallowed them",
    "tell my son im sorry, the papers are in the blue folder, i wont be here by morning",
    "my brother just told me he swallowed his whole prescription, hes in the other room",
    "my brother shot himself back in 88, i been thinking ill go the same way",
    "i burn myself with my cigarettes, my son thinks the marks are from cooking",
    "so tired, im gonna lie down and let the pills do the rest",
    # W201-W204: all of them taken, pills in the applesauce, nothing needed anymore, a way out, cutting deeper
    "i already took them alexa, all of them, i feel real sleepy",
    "i mixed all the pills into the applesauce and ate it, i feel funny now",
    "alexa remind me to give the dog to margaret in the morning, after that i wont need anything anymore",
    "well the gas stove, i was thinking, if i turn it on and dont light it, thats one way out of all this",
    "should i cut deeper next time",
    "i havent eaten or drunk anything since sunday, i want my body to give out before my son comes back from his trip",
    "honestly i would be happier dead",
])
def test_a_plan_a_means_or_a_deed_is_crisis(said):
    verdict = triage.classify(said)
    assert verdict.level == EMERGENCY and CRISIS & set(verdict.families), verdict


@pytest.mark.parametrize("said", [
    "in my book club book the lady walks into the sea at the end i didnt care for it one bit",
    "my daughter is killing herself with two jobs and three kids i worry about her sleep",
    "the pharmacist said get rid of the old pills so i took the whole bag to the drop box",
    "took all my pills this morning like a good girl alexa mark it done",
    "tell my son this is my last message about the gutters, please just clean them",
    "im tired of my hair, i want to cut it all off, find a salon",
    "i wont need a coat where im going, florida here i come",
    "i hit my head on the cupboard so it hurts",
])
def test_their_twins_are_no_crisis(said):
    verdict = triage.classify(said)
    assert not CRISIS & set(verdict.families), verdict
    assert "overdose" not in verdict.families, verdict


# Writers W138-W177, read after measuring: everyday twins that got 911 or 988
@pytest.mark.parametrize("said", [
    "i left a note for the mailman, sorry for the mess, he cant find the box",
    "i want it to take me back to the old days",
    "the only thing that would fix me is a new hip",
    "we have enough paint to finish the job",
    "i hope the bus takes me to the mall",
    # W138-W169: a wish to die said long ago by one who lived it out, a will "when i'm gone someday", pain eased
    "my mother always said she wanted to die before she got old, and she lived to ninety eight",
    "my mother in law said she wished she was dead every time we visited, that was fifty years ago, she lived to a hundred",
    "when im gone someday the kids will find everything in the blue folder",
    "my husband used to say when im gone youll be lonely, and he was right",
    "the first night after surgery the pain was so bad i thought i was dying, now its a two out of ten",
    "my back was in agony this morning but the nurse came and changed the patch and now i feel like a new woman",
    "you coulda knocked me over with a feather",
    # W170-W173: laughing, cleaning, a saying, a story
    "um my mother said she nearly killed herself laughing at the cat chasing the laser pointer",
    "im gonna knock myself out cleaning this kitchen once my back lets me",
    "its killin me not to drive, but my son takes me wherever i want to go",
    "these new knives my son gave me are sharp enough to kill, i sliced the bread paper thin",
    "the nurse asked am i suicidal, i said no honey just grumpy, and she laughed",
    "i dont want to live in that nursing home, i want to stay in my own house, my kids are puttin in grab bars",
    "my grandma told me about her brother who jumped off the barn roof as a boy and broke his leg",
    "i made my peace with the lord a long time ago, now i just enjoy my grandkids",
    "my wife is frustrated she cant bend down to tie her shoes, so we ordered the slip on kind",
    "the lady i look after read me her old diary from the war, when the bombs fell on her town",
    "alexa the dead of winter is the worst time for my back",
    # W174-W177: a burden answered by an arrangement, a joke, a school report
    "i dont want to be a burden on the kids so i hired a girl to help with the cleaning",
    "my son says im not a burden and i believe him, he took the whole week off to help me",
    "my granddaughter wrote a school report on suicide prevention and she asked me to read it",
    "my son says eating at that diner is suicide for his cholesterol",
    "im tired of living on soup, i want a steak",
    "the cat knocked my pill box off the table, i found them all under the couch",
    "the grandkids made a haunted house in the garage for halloween, fake blood and everything",
    "they say you cant take it with you so im spending my money on a cruise",
    "i dont want to live with my daughter, i like my own house and my own things",
    # W178-W184: a language, a hair colour, a class, a form answered no, a film, the past of others, a pet
    "alexa how do i say goodbye in spanish, my helper is leaving for her vacation",
    "alexa i want to die my hair red for the christmas party, what color goes good with gray",
    "i taught high school health for thirty years, we did a unit on suicide warning signs every spring",
    "my granddaughter wrote a paper on assisted suicide in oregon, she got an a, she asked what i thought",
    "the pain clinic form asks if you have thoughts of suicide, i checked no, is this the right form to send back",
    "my doctor asked if i ever feel id be better off dead, i said heavens no, im planning my ninetieth birthday",
    "in its a wonderful life george wants to jump off the bridge but the angel saves him, play it for me tonight",
    "my grandfather hanged himself in the barn during the depression, my mother never talked about it",
    "my uncle wrote home from the war that he wanted to die in those trenches, then he came home and lived to ninety one",
    "the kids said id kill myself on that ladder so i hired a man to do the gutters",
    "the choir is better off without me for a few weeks, my voice is all croaky from the breathing tube",
    "my cat is trying to kill herself jumping off the top of the fridge, crazy animal",
    "today i said goodbye to my walker for good, the therapist says i can use the cane",
    "the cut on my back has come apart at the edges",
    # W185-W188: a team's loss, a dry meatloaf, a bill, a card left by the nurse, a cactus, a past over now
    "well if the steelers lose again on sunday my husband says hes jumping off the roof, he says that every single year",
    "my husband said the meatloaf was so dry he wanted to kill himself, then he had thirds",
    "my wife said she wanted to die when she saw the hospital bill, then she rang the insurance and sorted it all out",
    "the home health nurse left a card with the suicide hotline on it, she gives it to everybody, i stuck it on the fridge",
    "my mother says her cactus committed suicide because she forgot to water it",
    "my wife hung up on the scammer and told him to go jump off a cliff",
    "the boy next door tried to hurt himself years ago, hes a doctor now, can you imagine",
    "before the kyphoplasty the pain was so bad i told my daughter i wanted to die, now i walked to the mailbox, what a difference",
    "i hit my head on the cupboard",
    # W189-W192: a cruise, a forgotten birthday, a death at home when the time comes, a crossword, rifles taken away
    "everybody at the card table said theyd rather jump off a cliff than go on a cruise with harold, hes such a bore, ha",
    "i could just shoot myself for forgetting my sisters birthday again, alexa remind me next year, march ninth",
    "i want to die at home not in a hospital when my time comes, years from now god willing, i told the kids that",
    "that was a killer crossword today, took me all morning",
    "the gun cabinet is empty now, my son took all the rifles to his house after dad died",
    "my granddaughter is a psychiatric nurse on the suicide watch unit at the big hospital, im so proud of her",
    "my sister in law hanged herself when we were girls, i still think of her at christmas, poor thing",
    "my husband says every spring if the cubs lose again hes jumping off the garage roof, forty years he says that",
    # W193-W196: a song, a joke told for years, a ladder, an old cold war saying, a nurse's question laughed off
    "alexa who sang suicide is painless from mash, my husband cant remember and its driving him nuts",
    "my husband used to joke he would throw himself off the roof if the cubs ever won, they won and he just cried happy tears",
    "the fella across the street jumped off his ladder and broke his ankle, hes seventy nine, silly man",
    "my brother used to say hed rather be dead than red, crazy cold war talk",
    "the nurse asked if i ever think of hurting myself and i laughed, no way, i got nine grandchildren to spoil",
    "the knife block fell off the counter, nobody got hurt, just a mess to clean",
    "the pharmacist says i should not double up if i miss a pill, so i just skip it",
    "my father tied a belt to the closet rod to hang his neckties on",
    # W197-W200: a phrase explained, a saying of the old country, a car's doors, a diet, a dropped bottle
    "my husband said he wants to end it, he meant the fight with his brother about the fence, they made up on the phone",
    "my grandma used to say shed rather be dead in a ditch than late for mass",
    "ja, in my country we say i will hang myself with so much work, it means only busy, busy",
    "our son restored an old lincoln with the suicide doors, he drove it over to show his dad",
    "the insurance form asks did i ever attempt suicide, i put no, what a thing to ask an old lady",
    "our writing class read to be or not to be today, the teacher explained hamlet thinking about ending it all, she made it so clear",
    "dropped the whole bottle of pills on the floor, took me forever to pick them up with the grabber",
    "the pharmacist says dont double up on the pain pills or its an overdose, so i set the timer on the stove",
    # W201-W204: a form, a saying of another tongue, a joke of forty Sundays, a comedian, an opera
    "my husband did the depression form at the clinic and put no on the suicide question, the doctor said his score was normal",
    "alexa my wife is from mexico and when she drops a plate she says ay me quiero morir, it just means oh no how embarrassing",
    "my husband says if the vikings lose again hes going to end it all, he been saying that every sunday for forty years",
    "that comedian said he wanted to die when his mother in law moved in, oh i laughed",
    "my wife cried at madame butterfly last night, the bit where she kills herself with her fathers knife, it was the opera on channel thirteen",
    "my neighbors husband tried to kill himself years back, now he runs the food pantry, a real success story",
])
def test_fresh_writers_twins_are_no_alarm(said):
    verdict = triage.classify(said)
    assert verdict.level != EMERGENCY, verdict


@pytest.mark.parametrize("said", [
    "my husband always said he wanted to die, and he said it again today",
    "i always said id choose my own time, and i reckon my time is now",
    "the pain is so bad, now its a ten out of ten",
    "my back pain is excruciating, the medicine helps a little",
    "im a cranky old bird with a cracked back, might as well put me out of my misery, and i mean it, the pills are lined up",
    # the same words said of now: a form answered yes, a team's loss come true
    "i would rather jump off a cliff than live like this",
    "id rather be dead in a ditch than live with this back",
    "the form asks if i ever thought about hurting myself, i checked no but honestly i think about it every night",
    "my husband says if the yankees lose again hes going to jump off the roof, and tonight hes up there",
])
def test_said_again_now_or_still_bad_it_stays_an_emergency(said):
    assert triage.classify(said).level == EMERGENCY, triage.classify(said)
