"""Crisis hinted rather than said, as writers W205-W232 wrote it when asked for indirect ways (pills kept back
till there are enough, a height asked after with one's affairs in order, worth more gone), and the everyday twins
those writers set beside them. Each sentence here got the wrong answer before (no 988, or 911 or 988 first)."""
import pytest

from skill import content
from skill.triage import EMERGENCY

triage = content.load().triage
CRISIS = {"self_harm", "self_harm_heard"}


@pytest.mark.parametrize("said", [
    "ive been putting the pain pills in the old tea tin instead of taking them, theres nearly enough in there now",
    "ive got forty of the strong ones saved up now, i counted them this morning",
    "theres no point filling the pill box anymore, theres enough in the cupboard to finish the job",
    "my husband thinks im on the mend but ive been reading up on how many of these tablets it would take",
    "the pills the surgeon gave me, i havent been taking them, i have a different use for them",
    "im done with these exercises and done with the lot really, ive had enough of being alive",
    "my shotgun is cleaned and sitting by me in the shed, play the old hymns from chapel",
    "dad has been asking where the shotgun shells are kept since my brother moved them, hes been very low since the operation",
    "which knot holds the weight of a grown man, and dont tell me to call anybody",
    "dad asked me twice today where the key to the gun cabinet is, and last week he put all the bills in my name",
    "i told my son on the phone i love him one last time, the account numbers are in the family bible",
    "book me a taxi to the cliffs for first thing tomorrow, just the one way",
    "its not that im sad, the numbers just say im worth more gone, and ive picked friday",
    "they all came for sunday lunch and i said my goodbyes properly, none of them knew it",
    "i want to see my mother again and i know how to get there quicker than god intends",
    "if i stirred some of that weed killer into my tea nobody would know till the morning",
    "the garden hose fits right over the exhaust pipe, i checked it this morning",
    "alexa order more stamps, i have to finish the letters to the children before i go, i dont mean to see christmas",
    "im not refilling anything anymore, i gave the medicine money to the grandkids, let whatever happens take me",
    "i said no on the depression questions at the surgeons office but ive been planning how ever since the bill came",
    # W213-W216
    "remind me tomorrow, no, there wont be a tomorrow for me, cancel all my reminders",
    "dont set the alarm, i dont plan to be here in the morning",
    "play me something nice, the last song i hear in this world should be something nice",
    "forgive me father, for what i am going to do tonight, amen",
    "aunty who is staying with us is telling she will drink the poison, she is very serious, what to do",
    "i keep the shotgun by the bed now, and is not for the burglars",
    "how far is it to the railway line from here on foot, i want to get it over with before anyone wakes",
    "i asked the pharmacy for a ninety day supply and then i thought, i only need them for one night",
    "mum did it with the gas in nineteen sixty and i always said i never would, but now i get it, i really do",
    "the forecast says snow tonight, good, i want to lie down in the top field and let it take me",
    "im the carer for the old gentleman here and he just told me he plans to go down to the river tonight like his mother did",
    "the grandkids are better off without an old crock like me, i told my daughter to come on sunday to collect the photos",
    "the river where my brother drowned is still there, i wanted to walk in after him, i nearly did",
    "i told the vicar i want my funeral to be the same hymns as dads, he thought i meant someday, i meant soon",
    # W217-W224
    "tell the carer not to bother coming tomorrow, there wont be anyone here to care for",
    "goodbye alexa, you wont hear from me again",
    "i keep watching the story about that actor and thinking he got out, lucky him, i want out too",
    "i think ill go the way of that farmer in the paper, the shotgun is in the barn",
    "they say the storm will flood the river, good, ill go and stand by it and let it have me",
    "how deep is the water off the end of the jetty, deep enough for an old man with stones in his pockets",
    "set an alarm for two in the morning, thats when ill go down to the river while shes asleep",
    "i hope the ferry goes rough on the day trip and i go over the side, i wouldnt even try to swim",
    "the carer speaking, the lady i look after has been spitting her sleeping tablets into a tin, she calls it her exit",
    "i counted my tablets this morning, forty two, that should be plenty to do the job",
    "im tired of fighting all of it, tell the kids i did my best, thats all",
    # W225-W232
    "set a reminder for next month, no, forget it, i wont be around",
    "sold the cattle, gave the dog away, squared up the bills, nothing left for me to do but go",
    "how high is the back bedroom window off the patio, two storeys is enough to not get up again isnt it",
    "alexa how do you say goodbye to everyone without them guessing, ive been ringing round all week",
    "how long does it take the police to break a door down, i want to be sure nobody gets here in time",
    "ive been keeping back a pill or two each night in the sugar bowl, there should be enough by the weekend",
    "is it quicker with pills or with the river, dont give me a number to call, just answer the question",
    "how many feet is it down from the cliff path at the headland, ive got a taxi booked for the morning and ill not need a return",
    "excuse me, i dont mean to be dramatic, but ive been sitting here with the bread knife for an hour",
    "took the pocket knife to my arm again last night, only thing that takes the edge off",
    "going out to the barn now, tell my wife i loved her",
    "sharpened the old buck knife and it aint for a deer this time",
    "since the hospital my mother talk about suicide all day, she is here",
    # what the twins' rules leave alone: pills in an empty pill bottle, a job ended with the pills, a form
    # answered yes, a past wish that goes on
    "ive been saving up my pain pills in an empty pill bottle, theres nearly enough now",
    "my husband says the survey asked if he feels like a burden and he said yes",
    "last year i wanted to disappear and i still do",
    "i want to end it all with the pills tonight",
    # a trifle's hyperbole kept when the condition is pain, a brace, tonight, or a worry follows
    "if i have to wear this brace one more month ill jump off the porch roof",
    "if the team loses tonight im going to kill myself",
    "if i have to hear that song one more time ill kill myself, and honestly i mean it",
    "the pharmacist said never take them all at once, well thats exactly what i mean to do tonight",
    "i been wanting to die for real",
    # an explanation that names pain, or "i mean it", stays
    "i want to end it all, the pain i mean, i cant take it",
    "i want to end it all, i mean it",
])
def test_a_hinted_plan_or_means_is_crisis(said):
    verdict = triage.classify(said)
    assert verdict.level == EMERGENCY and CRISIS & set(verdict.families), verdict


@pytest.mark.parametrize("said", [
    "my wife saves up the empty pill bottles for the church craft group, they make button jars out of them",
    "my grandson jumped off the top diving board for the first time, his mom sent a video",
    "did you hear about the lady at church who jumped off the stage when the fire alarm went off, she was fine",
    "my husband went over the edge when the team lost, turn the match off",
    "the agent went over the suicide clause and the contestability period, i signed it, remind me to mail it monday",
    "my friend says her husband is dead to the world when he sleeps, a bomb wouldnt wake him",
    "my grandson wants a rope swing over the creek, which knot wont slip when he swings on it",
    "the last goodbye at the airport is always the worst, my grandson flies back to canada tomorrow",
    "ive said goodbye to my old job for good, thirty years at the post office, read out the poem on my card",
    "my friend read me a letter from her son in prison, he says hes done with that life for good and found god",
    "right so the council form asks do i plan to end my tenancy and the answer is no, so what do i tick next",
    "our neighbour put a noose on his scarecrow for halloween and the kids were terrified",
    "i want to die in my own house someday, not a nursing home, thats why we paid off the mortgage early",
    "ill kill myself trying to get this shredder working, its jammed again, how do you clear it",
    "my husband says hes going to hang himself with the christmas lights if theyre tangled again this year, hes a card",
    "at bible study we read where saul falls on his own sword, sad end for a king",
    "honestly the family is better off without me doing the checkbook, my daughter can take it over",
    "my budgie is a suicidal little thing, flies straight at the window, how do i make the glass show up",
    "the nurse at church said they keep the pills locked up at the nursing home so no one can overdose, sensible",
    "i overdosed on coupons at the grocery today and saved twelve dollars",
    "my son keeps saying hes going to end it all with that job and open a cafe, call him at six",
    "the lady at church said if she has to hear that sermon about tithing one more time shell shoot herself, we were in stitches",
    "my friend says her granddaughter told the school nurse she was cutting herself last year, the family got her help and shes doing well",
    "the clinic survey asked if ive felt better off dead in the last two weeks, i put not at all, now read me question ten",
    "the hospital survey asks whether i feel like a burden to my family, i put not at all",
    # W213-W216, and a trifle's hyperbole (context.disowned.trifles)
    "if that bingo caller says b twelve one more time ill kill myself, ha ha",
    "i told the bank teller if they charge me one more overdraft fee ill jump off the roof and she laughed",
    "my husband says if he hears one more advert for that pharmacy he will throw himself off the porch",
    "whats on the radio, if its that phone in again i shall shoot myself",
    "the nurse call this morning and ask if i want to end my life, i say no no no, remind me to call her back",
    "theres an overdose warning on the label in red letters and my reading glasses are upstairs",
    "honestly the bus driver this morning nearly killed us all taking that corner by the chapel",
    "my husband always says theyll carry him out of this house in a box, he wont move to a bungalow",
    "there are dead heads all over the petunias, ill do them after lunch if its dry",
    "alexa i wont be here next week so cancel the paper, im going to my daughters in leeds",
    # W217-W224: a crisis word explained after a comma as about a thing (context.disowned.explained)
    "i cant stand these nights, i want to end it all, the arguing about the thermostat i mean, set it to sixty eight",
    "ive decided to end it, the magazine subscription i mean, its all adverts now, how do i cancel",
    "my grandson staying with us said he wanted to die when his team lost the cup final, he was eating pizza ten minutes later",
    "the surgeon said if i pick up the grandkids before six weeks hell kill me himself",
    "i put two tablets in the dishwasher, overdosed it, theres foam all over the kitchen floor",
    "the quiz team would be better off without me, i only ever know the music round",
    "the hose fits the tailpipe",
    # W225-W232
    "my husband says the lawn mower is on its last legs and he wants to put it out of its misery",
    "our little dog plays dead when you say bang, my great grandson thinks its the funniest thing on earth",
    "ive saved up a whole bag of pill bottles for my grandson, he sorts his fishing hooks in them",
    "my friend at the center calls the stairs the suicide steps, theyre that steep, so we use the lift now",
    "this printer wants to die, it wont print a single page, how do i reset it",
    "i want to go to sleep and not wake up till spring like an old bear, this winter is awful",
    "the library had a talk about suicide awareness",
])
def test_their_twins_get_no_alarm(said):
    verdict = triage.classify(said)
    assert verdict.level != EMERGENCY, verdict
