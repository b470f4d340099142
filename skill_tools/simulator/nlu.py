"""Typed sentence -> intent and slots, as Alexa's language understanding would send them.

The local simulator turns what a tester types into the IntentRequest a real device would
produce from the same words. Alexa's NLU is a trained statistical model; this is a small,
deterministic and explainable stand-in built only from the interaction model
(``interaction_model/en-US.json``) plus the usual phrasings of Amazon's built-in intents
(:data:`BUILTIN_SAMPLES`). Nothing is learned from test data.

How a sentence is understood, best evidence first:

1. **Exact template match** (confidence 1.0). Every sample is compiled into a template of
   literal words and ``{slot}`` holes. A hole takes one or more words, checked by the slot's
   type: ``AMAZON.DATE`` / ``AMAZON.DURATION`` / ``AMAZON.NUMBER`` words must resolve
   (:mod:`skill_tools.simulator.builtin_slots`); a custom type takes any words (Alexa fills it with
   what was heard) which are then entity-resolved against the type's values and synonyms:
   exact (case-insensitive), else the value or synonym whose content words all occur in
   what was heard ("tingling in my toes" -> TINGLING), else ``ER_SUCCESS_NO_MATCH``. The text
   is only lower-cased and stripped of punctuation. When several templates match, the one
   with the most literal words wins ("i have terrible chest pain" is an EmergencyIntent
   sample, not SymptomIntent's "i have {symptom}"). A custom slot that resolves to no value
   gives 0.9, less 0.05 per heard word after the first (at least 0.6): the words fit the
   frame, not the vocabulary.
2. **Template match after normalising** (0.95; 0.85 with an unresolved custom slot):
   contractions expanded ("what's" -> "what is"), possessive 's dropped, filler words
   removed ("um", "please", "just", "really", a leading "okay" / "well" / "can you tell me",
   a trailing "for now" ...), the same way on both sides.
3. **Similarity** (at most 0.9). Each sample becomes a bag of *concepts*: words are stemmed
   ("driving" -> "driv") and a small table of general synonyms maps words that mean the same
   thing here to one concept (drive/car/wheel, lift/carry/pick up, surgery/operation/
   procedure, ...). Slot values found anywhere in the sentence (a date, a duration before
   "ago", a symptom's value or synonym) become a marker such as ``<date>``, so "i got my back
   done on october third" looks like the sample "i had my back done on {date}". A sample
   with a custom slot may also take, as Alexa does, an unknown phrase where its slot stands
   ("is a weird buzzing normal"), for half the marker's credit.
   A concept weighs more the fewer intents use it (``1.5 ln(1 + intents / intents using
   it)``, unknown words as if one intent used them); function words weigh LIGHT of that.
   Sentence and sample are compared by the F1 of their weighted overlap (share of the
   sentence explained x share of the sample covered), less when only the sentence is negated
   ("i'm not sure" is not "sure"). An intent scores its best sample,
   plus a little for a second good one, blended (geometric, VOCAB_MIX) with the share of
   the sentence's weight that the intent's samples use at all.
   Below :data:`FALLBACK_THRESHOLD` the answer is ``AMAZON.FallbackIntent``.
   An intent whose samples carry no words and whose answer is an alarm (:data:`REAL_MATCH`:
   Emergency, Crisis, Overdose; the skill answers them with 911, 988 or Poison Control without
   reading any words) needs a real match, as Alexa's model would: one sample that the sentence
   covers (:data:`COVER_SAMPLE` of its content weight) and that explains the sentence
   (:data:`COVER_SENTENCE` of the sentence's), sharing two content concepts or the sample's only
   one. A single shared concept ("close the light": *closing* of "my throat is closing up"; "roll
   a die": "i want to die") or two common ones ("light is too much": "she took too much medicine")
   is no match; such a sentence goes to the intent that fits it, or to Fallback.

``strict=True`` keeps only step 1: a check that a sentence is literally covered by the samples.

``elicit=(intent, slot)``: the skill's last response elicited that slot. The slot's dialog
samples ("it was {date}") and its bare value are tried first for that intent; a sentence that
is exactly another intent's sample ("stop", "help", "i have chest pain") still goes there.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from skill_tools.simulator import envelopes
from skill_tools.simulator.builtin_slots import resolve_date, resolve_duration, resolve_number

FALLBACK = "AMAZON.FallbackIntent"
FALLBACK_THRESHOLD = 0.4
"""Best score (0..1) below which a sentence is AMAZON.FallbackIntent."""

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "interaction_model" / "en-US.json"

EXACT, NORMALISED = 1.0, 0.95   # confidence of a template match on raw / normalised text
UNRESOLVED = 0.9                # ... when its custom slot matched no value (raw text),
UNRESOLVED_STEP = 0.05          # less this for each heard word after the first,
UNRESOLVED_FLOOR = 0.6          # down to this
SIMILAR_CAP = 0.9               # similarity never claims more than this
FREE_FORM = 0.65                # an AMAZON.SearchQuery slot filled by its carrier phrase: below a
                                # confident similarity match, above a weak one
LIGHT = 0.4                     # weight factor of function words ("the", "is", "my", ...)
MARKER_MIN = 3.0                # least weight of a slot marker
FREE_SLOT = 0.5                 # credit of a custom slot filled with an unknown phrase
SECOND_SAMPLE = 0.15            # credit for an intent's second-best sample
VOCAB_MIX = 0.3                 # weight of the intent-vocabulary share in an intent's score
MAX_GAP = 2                     # a located symptom's words may be this far apart, no more
NEGATION = 0.75                 # similarity kept when the sentence says "not" and the sample not
# Intents without slots whose answer is an alarm (911, 988, Poison Control) given without reading any
# words: by similarity they need one sample that covers and explains the sentence (see the docstring).
REAL_MATCH = ("EmergencyIntent", "CrisisIntent", "OverdoseIntent", "ExtraDoseIntent")
COVER_SAMPLE = 0.75             # least share of the sample's content weight found in the sentence
COVER_SENTENCE = 0.5            # least share of the sentence's content weight the sample explains

# ------------------------------------------------------------------ built-in intents
# Amazon trains its built-in intents on phrasings it does not publish; these are the usual
# ones. The model's own samples for these intents are added to them.
BUILTIN_SAMPLES: dict[str, list[str]] = {
    "AMAZON.YesIntent": [
        "yes", "yeah", "yep", "yup", "sure", "okay", "ok", "please do", "that's right",
        "correct", "yes please", "uh huh", "of course", "absolutely", "definitely",
        "go ahead", "sounds good", "that's correct", "yes it is", "yes i do", "i do",
        "all right", "alright", "certainly", "sure thing", "right", "why not", "you bet",
    ],
    "AMAZON.NoIntent": [
        "no", "nope", "nah", "no thanks", "no thank you", "not really", "that's wrong",
        "that's not right", "that's not correct", "not now", "no way", "negative",
        "i don't think so", "not at all", "no it isn't", "no i don't", "i don't",
        "wrong", "incorrect", "not that",
    ],
    "AMAZON.StopIntent": [
        "stop", "quit", "exit", "goodbye", "good bye", "bye", "bye bye", "that's all",
        "i'm done", "enough", "that's enough", "stop talking", "be quiet", "shut up",
        "i'm finished", "we're done", "that's it", "turn off", "off", "end", "leave",
        "good night", "see you later",
    ],
    "AMAZON.CancelIntent": [
        "cancel", "never mind", "nevermind", "forget it", "forget about it", "cancel that",
        "skip it", "scratch that", "don't bother", "cancel it",
    ],
    "AMAZON.HelpIntent": [
        "help", "what can you do", "what can i say", "what can i ask", "what can i ask you",
        "what do you do", "what should i ask", "what are my options", "how do i use this skill",
        "what can you help me with", "what can you tell me", "i need some help with this skill",
        "give me some examples", "instructions", "help please",
    ],
    "AMAZON.RepeatIntent": [
        "repeat", "repeat that", "please repeat", "say that again", "what did you say",
        "pardon", "pardon me", "come again", "one more time", "i didn't catch that",
        "what was that", "can you repeat that", "repeat it", "say it one more time",
    ],
    "AMAZON.NavigateHomeIntent": ["go home", "go to the home screen", "home screen", "exit skill"],
}

# ------------------------------------------------------------------ text normalisation
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")

_CONTRACTIONS = {
    # what speech recognition sometimes writes without the apostrophe
    "dads": "dad", "mums": "mum", "moms": "mom", "grandmas": "grandma", "grandads": "grandad",
    "grandpas": "grandpa", "nans": "nan", "grans": "gran", "theyve": "they have", "weve": "we have",
    "im": "i am", "ive": "i have", "its": "it is", "shes": "she is", "hes": "he is", "theres": "there is",
    "thats": "that is", "whats": "what is", "dont": "do not", "cant": "can not", "wont": "will not",
    "didnt": "did not", "doesnt": "does not", "isnt": "is not", "wasnt": "was not", "arent": "are not",
    "havent": "have not", "hasnt": "has not", "couldnt": "could not", "wouldnt": "would not",
    "shouldnt": "should not", "youre": "you are", "theyre": "they are", "ill": "i will", "id": "i would",
    "can't": "can not", "cannot": "can not", "won't": "will not", "ain't": "is not",
    "shan't": "shall not", "let's": "let us", "gonna": "going to", "wanna": "want to",
    "gotta": "have to", "gimme": "give me", "y'all": "you all", "o'clock": "o'clock",
}
_IS_HOSTS = {"it", "that", "what", "there", "here", "where", "who", "how", "he", "she",
             "this", "when", "why", "everything", "something", "nothing", "today"}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'m", " am"),
             ("'ll", " will"), ("'d", " would"))

# Fillers, removed on both sides before template matching and similarity: anywhere / at the
# start (repeatedly, never the whole sentence) / at the end. Contractions are expanded first.
_FILLERS = {"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "ah", "please",
            "dear", "just", "really", "actually", "honestly", "basically", "alexa", "kindly",
            "exactly", "maybe", "perhaps", "probably"}
_LEADING = sorted((tuple(p.split()) for p in (
    "oh", "okay", "ok", "alright", "all right", "so", "well", "now", "hey", "hi", "hello", "say",
    "and", "but", "then", "anyway", "sorry", "excuse me", "you know", "i mean", "quick question",
    "i have a question", "question", "one more thing", "can you tell me", "could you tell me",
    "would you tell me", "will you tell me", "tell me", "can you please tell me",
    "i want to know", "i would like to know", "i need to know", "i was wondering",
    "i am wondering", "i wonder", "do you know", "do you happen to know", "let me ask",
    "let me ask you", "can i ask", "can i ask you", "i wanted to ask", "i want to ask",
    "i would like to ask",
)), key=len, reverse=True)
_TRAILING = sorted((tuple(p.split()) for p in (
    "for now", "thank you", "thanks", "then", "anyway", "you know", "i guess",
    "or something", "or what", "if you know", "if you can", "for me",
)), key=len, reverse=True)
_LAUNCH = ("ask", "tell", "open", "launch", "start", "use")
_CONNECTORS = ("to", "if", "whether", "about", "for", "and", "that")

# ------------------------------------------------------------------ concepts (similarity only)
# Small and general: words that mean the same thing for this skill's questions, mostly
# grouping the model's own vocabulary with its inflections and everyday synonyms.
_CONCEPT_GROUPS = {
    "drive": "drive drives driving drove driven driver car cars wheel",
    "lift": "lift lifts lifting lifted carry carries carrying carried haul hauling hold "
            "holding hoist",
    "walk": "walk walks walking walked stroll strolls strolling hike hiking",
    "pain": "pain pains painful hurt hurts hurting ache aches aching achy sore soreness "
            "discomfort",
    "medicine": "medicine medicines medication medications meds med pill pills painkiller "
                "painkillers tablet tablets drug drugs tylenol advil aleve ibuprofen aspirin "
                "acetaminophen motrin naproxen paracetamol reliever relievers oxycodone hydrocodone "
                "morphine tramadol codeine fentanyl percocet vicodin norco oxycontin dilaudid gabapentin "
                "opioid opioids",
    "surgery": "surgery surgeries operation operations procedure procedures op kyphoplasty "
               "operated",
    "doctor": "doctor doctors doc surgeon surgeons physician physicians",
    "spine": "spine spinal backbone vertebra vertebrae vertebral",
    "fracture": "fracture fractures fractured break breaks broke broken breaking crack cracked "
                "cracks collapse collapsed crushed crush",
    "grandchild": "grandchild grandchildren grandkid grandkids grandson grandsons granddaughter "
                  "granddaughters grandbaby grandbabies baby toddler",
    "therapy": "therapy therapist therapists physiotherapy physio rehab rehabilitation",
    "exercise": "exercise exercises exercising workout workouts stretch stretches stretching",
    "risk": "risk risks risky danger dangers dangerous complication complications hazard hazards",
    "recover": "recover recovers recovery recovering recovered heal heals healed healing",
    "forget": "forget forgets delete erase remove clear wipe",
    "breathe": "breathe breathing breath breaths breathless",
    "faint": "faint fainted fainting",
    "worry": "worry worried worrying worries concern concerned concerning",
    "okay": "okay ok alright fine allowed",
    "set": "set update change save record enter",
    "chores": "housework chores chore housekeeping clean cleaning vacuum vacuuming dishes cook "
              "cooking garden gardening yard yardwork sweep sweeping mop mopping",
    "outing": "church travel travelling traveling trip trips fly flying plane vacation visit "
              "visiting outing outings",
    "shop": "shop shopping store groceries grocery errands",
    "hospital": "hospital clinic",
    "emergency": "emergency emergencies ambulance urgent",
    "yes": "yes yeah yep yup",
    "no": "no nope nah",
}
_CONCEPT = {w: c for c, words in _CONCEPT_GROUPS.items() for w in words.split()}
_CONCEPT_PHRASES = sorted([  # (words, concept), replaced before single words
    (("pick", "up"), "lift"), (("picking", "up"), "lift"), (("picked", "up"), "lift"),
    (("behind", "the", "wheel"), "drive"), (("side", "effects"), "risk"),
    (("physical", "therapy"), "therapy"), (("p", "t"), "therapy"), (("pass", "out"), "faint"),
    (("passed", "out"), "faint"), (("passing", "out"), "faint"), (("black", "out"), "faint"),
    (("blacked", "out"), "faint"), (("nine", "one", "one"), "emergency"), (("911",), "emergency"),
    (("get", "rid", "of"), "forget"), (("over", "the", "counter"), "otc"),
    (("all", "right"), "okay"), (("would", "like"), "want"), (("able", "to"), "can"),
], key=lambda p: len(p[0]), reverse=True)
_LIGHT_WORDS = ("a an the of to in on at for from with by and or but is are am was were be been "
                "being i me my myself you your it its this that these those there do does did "
                "some any")

# words that can begin or end a spoken date (keeps the search for dates cheap)
_DATE_WORDS = set((
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday today tonight tomorrow yesterday day last this next past coming week "
    "weekend month year decade winter spring summer fall autumn now first second third fourth "
    "fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth thirtieth zero one two three four "
    "five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "oh o").split())
# single words that are dates only sometimes ("may i drive", "the second time", "if i fall")
_AMBIGUOUS_DATES = {"may", "march", "second", "now", "right now", "fall", "mar", "jan", "today"}

# words that do not make a symptom: "pain in my chest" is {pain, chest}
_ER_STOP = {"a", "an", "the", "my", "your", "his", "her", "their", "of", "in", "on", "at", "to",
            "some", "is", "am", "are", "and", "it", "its", "this", "that", "all", "with",
            "from", "very", "so", "bit", "little"}


def _stem(word: str) -> str:
    """A light suffix stripper, enough to join "tingle", "tingles", "tingling", "tingly"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ness", "ing", "ed", "ies", "es", "s", "ly", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            if suffix == "y" and (len(word) < 5 or word[-2] in "aeiouy"):
                continue                                     # "they", "very", "today"
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                continue
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]                             # stopping -> stop
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def basic_tokens(text: str) -> list[str]:
    """Lower-case words: punctuation dropped, apostrophes inside words kept, hyphens and the
    periods of initials ("v. c. f.") split words."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("-", " ")
    if not text.isascii():   # "caída" is one word, "caida", as Alexa would hear it, not "ca da"
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _TOKEN.findall(text)


def _strip_invocation(toks: list[str], invocation: str) -> list[str]:
    """ "alexa ask spine recovery helper when can i drive" -> "when can i drive"."""
    inv = invocation.split()
    while toks and toks[0] == "alexa":
        toks = toks[1:]
    for start in range(3):
        if inv and toks[start:start + len(inv)] == inv and all(t in _LAUNCH for t in toks[:start]):
            rest = toks[start + len(inv):]
            while len(rest) > 1 and rest[0] in _CONNECTORS:
                rest = rest[1:]
            return rest
    return toks


def _expand(toks: list[str]) -> list[str]:
    """Contractions expanded, possessive 's dropped: "what's" -> "what is", "doctor's" -> "doctor"."""
    out: list[str] = []
    for tok in toks:
        if tok in _CONTRACTIONS:
            out.extend(_CONTRACTIONS[tok].split())
            continue
        if tok.endswith("'s"):
            head = tok[:-2]
            out.extend([head, "is"] if head in _IS_HOSTS else [head])
            continue
        for suffix, repl in _SUFFIXES:
            if tok.endswith(suffix) and len(tok) > len(suffix):
                out.extend([tok[: -len(suffix)]] + repl.split())
                break
        else:
            out.append(tok)
    return out


def _drop_fillers(toks: list[str]) -> list[str]:
    kept = [t for t in toks if t not in _FILLERS]
    changed = True
    while changed and kept:
        changed = False
        for lead in _LEADING:
            if tuple(kept[: len(lead)]) == lead and len(kept) > len(lead):
                kept, changed = kept[len(lead):], True
                break
        for tail in _TRAILING:
            if tuple(kept[-len(tail):]) == tail and len(kept) > len(tail):
                kept, changed = kept[: -len(tail)], True
                break
    out: list[str] = []
    i = 0
    while i < len(kept):                              # "you know" inside a sentence
        if kept[i:i + 2] == ["you", "know"] and 0 < i < len(kept) - 2:
            i += 2
            continue
        out.append(kept[i])
        i += 1
    return out or toks


def _as_said(words: list[str], raw) -> list[str] | None:
    """The said words (fillers, contractions and all) that became ``words`` after normalising."""
    raw = list(raw)
    if not words or not raw:
        return None
    expanded, origin = [], []
    for i, tok in enumerate(raw):
        for part in _expand([tok]):
            expanded.append(part)
            origin.append(i)
    canon = canonical_tokens(raw)
    at, where = 0, []                          # canonical token k came from expanded[where[k]]
    for tok in canon:
        while at < len(expanded) and expanded[at] != tok:
            at += 1
        if at == len(expanded):
            return None
        where.append(at)
        at += 1
    n = len(words)
    for k in range(len(canon) - n + 1):
        if canon[k:k + n] == list(words):
            first, last = origin[where[k]], origin[where[k + n - 1]]
            if where[k] and origin[where[k] - 1] == first:
                return None                    # the slot starts inside a contraction ("not" of "haven't")
            return raw[first:last + 1]
    return None


def canonical_tokens(toks: list[str]) -> list[str]:
    """Basic tokens -> contractions expanded, possessives dropped, filler words removed."""
    return _drop_fillers(_expand(toks))


def _concepts(toks: list[str]) -> list[str]:
    """Canonical tokens -> concepts (synonym groups, stems); slot markers ("<date>") kept."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i].startswith("<"):
            out.append(toks[i])
            i += 1
            continue
        for words, concept in _CONCEPT_PHRASES:
            if tuple(toks[i:i + len(words)]) == words:
                out.append(concept)
                i += len(words)
                break
        else:
            out.append(_CONCEPT.get(toks[i]) or _stem(toks[i]))
            i += 1
    return out


def _concepts_aligned(toks: list[str]) -> list[str]:
    """One concept per word (phrases not joined), to line words up with a sample's frame."""
    return [_CONCEPT.get(t) or _stem(t) for t in toks]


_LIGHT = set(_concepts_aligned(_LIGHT_WORDS.split()))
_NEGATIONS = {"not", "no", "never", "nothing"}


def _real_match(sample: "_Sample", weights: dict) -> bool:
    """Whether a sentence (its concept weights) is a real match of a slotless sample: the sample's
    content mostly said (COVER_SAMPLE), the sentence mostly that (COVER_SENTENCE), with two content
    concepts shared, or the sample's only one. Content: all but function words and slot markers."""
    said = {c: w for c, w in weights.items() if c not in _LIGHT and not c.startswith("<")}
    wanted = {c: w for c, w in sample.weights.items() if c not in _LIGHT and not c.startswith("<")}
    shared = said.keys() & wanted.keys()
    if not shared or (len(shared) < 2 and len(wanted) > 1):
        return False
    covered = sum(wanted[c] for c in shared) / sum(wanted.values())
    explained = sum(said[c] for c in shared) / sum(said.values())
    return covered >= COVER_SAMPLE and explained >= COVER_SENTENCE


# ------------------------------------------------------------------ entity resolution
def _content(toks: list[str]) -> list[str]:
    return [_stem(t) for t in toks if t not in _ER_STOP]


@dataclass
class _Entry:
    order: int
    id: str
    name: str
    content: frozenset
    size: int


class _SlotType:
    """A custom slot type: values and synonyms, resolved as Alexa's entity resolution does."""

    def __init__(self, name: str, values: list[dict]):
        self.name = name
        self.exact: dict[str, tuple[str, str]] = {}
        self.entries: list[_Entry] = []
        for value in values:
            vname = value["name"]["value"]
            vid = value.get("id") or vname
            for phrase in [vname, *value["name"].get("synonyms", [])]:
                toks = basic_tokens(phrase)
                for key in (" ".join(toks), " ".join(_expand(toks))):
                    self.exact.setdefault(key, (vid, vname))
                stems = _content(_expand(toks))
                if stems:
                    self.entries.append(_Entry(len(self.entries), vid, vname, frozenset(stems), len(stems)))

    def resolve(self, words: list[str]) -> tuple[str, str] | None:
        """(id, name) for the heard words, or None (ER_SUCCESS_NO_MATCH). Like Alexa's entity
        resolution, a value must make most of what was heard: "tingling in my toes" is
        TINGLING, "blood pressure check next week" is no match for "blood"."""
        for key in (" ".join(words), " ".join(_expand(words))):
            if key in self.exact:
                return self.exact[key]
        found = self.locate(_expand(words))
        if found is None or 2 * found[0].size < len(_content(_expand(words))):
            return None
        return found[0].id, found[0].name

    def mentions(self, words: list[str]) -> bool:
        """Whether a value or synonym is said anywhere in the words (a sample that is only a slot)."""
        return self.resolve(words) is not None or self.locate(_expand(words)) is not None

    def locate(self, toks: list[str]) -> tuple[_Entry, int, int] | None:
        """The value or synonym whose content words all occur close together in `toks`:
        (entry, start, end). Most content words win, then the tighter span, then the value
        listed first in the model."""
        stems = [_stem(t) if t not in _ER_STOP else None for t in toks]
        present = {s for s in stems if s}
        best = None
        for entry in self.entries:
            if not entry.content <= present:
                continue
            spots = [stems.index(word) for word in entry.content]   # first occurrences,
            lasts = [len(stems) - 1 - stems[::-1].index(word) for word in entry.content]  # or last ones
            if max(lasts) - min(lasts) < max(spots) - min(spots):
                spots = lasts
            first, last = min(spots), max(spots) + 1
            if last - first > entry.size + MAX_GAP * max(1, entry.size - 1):
                continue                                           # scattered over the sentence
            rank = (entry.size, first - last, -entry.order)
            if best is None or rank > best[0]:
                best = (rank, entry, first, last)
        return None if best is None else best[1:]


# ------------------------------------------------------------------ templates and samples
@dataclass
class _Template:
    intent: str
    text: str                     # the sample as written in the model
    pieces: list                  # literal words (str) and slot holes (("slot", name))
    literals: int
    slots: tuple

    @staticmethod
    def compile(intent: str, text: str, canonical: bool) -> "_Template":
        pieces: list = []
        for part in re.split(r"(\{\w+\})", text):
            if part.startswith("{") and part.endswith("}"):
                pieces.append(("slot", part[1:-1]))
            else:
                toks = basic_tokens(part)
                pieces.extend(_expand(toks) if canonical else toks)
        if canonical:             # fillers dropped as in a sentence; holes stay where they are
            words = _drop_fillers([p if isinstance(p, str) else "\0" + p[1] for p in pieces])
            pieces = [("slot", w[1:]) if w.startswith("\0") else w for w in words]
        literals = sum(1 for p in pieces if isinstance(p, str))
        return _Template(intent, text, pieces, literals, tuple(p[1] for p in pieces if not isinstance(p, str)))


@dataclass
class _Sample:
    intent: str
    text: str
    weights: dict                 # concept -> weight
    total: float
    slots: frozenset
    frame: tuple                  # (concepts before, concepts after) its first slot
    negated: bool = False         # says "not", "no", "never"


@dataclass
class _Candidate:
    intent: str
    score: float
    literals: int = 0
    filled: dict = field(default_factory=dict)    # slot -> heard words (list[str])
    sample: str = ""


@dataclass
class Interpretation:
    intent: str                 # e.g. "DrivingIntent", "AMAZON.FallbackIntent"
    slots: list[dict]           # slot dicts exactly as Alexa sends them (envelopes.slot)
    confidence: float           # 0..1
    slot_words: dict[str, str]  # slot name -> the words heard (before resolution), for display
    sample: str = field(default="", compare=False)   # the sample that decided, for display


class Understanding:
    """The compiled interaction model. Build once (:meth:`from_model_file`), parse often.

    Immutable after construction, so one instance can serve several threads."""

    def __init__(self, model: dict, real_match=REAL_MATCH):
        lm = model["interactionModel"]["languageModel"] if "interactionModel" in model else model
        self.invocation = lm.get("invocationName", "")
        self.types = {t["name"]: _SlotType(t["name"], t.get("values", [])) for t in lm.get("types", [])}
        self.intent_slots: dict[str, list[tuple[str, str]]] = {}
        samples: dict[str, list[str]] = {}
        for intent in lm["intents"]:
            name = intent["name"]
            self.intent_slots[name] = [(s["name"], s["type"]) for s in intent.get("slots", [])]
            samples[name] = list(dict.fromkeys(BUILTIN_SAMPLES.get(name, []) + intent.get("samples", [])))
        for name, phrases in BUILTIN_SAMPLES.items():
            samples.setdefault(name, list(phrases))
            self.intent_slots.setdefault(name, [])
        samples.pop(FALLBACK, None)
        # slotless alarm intents: matched by similarity only on a real match
        self.real_match = frozenset(i for i in real_match if i in samples and not self.intent_slots.get(i))
        self.slot_types = {(i, s): t for i, slots in self.intent_slots.items() for s, t in slots}
        # elicitation: (intent, slot) -> the bare value, then the slot's dialog samples
        elicit_samples = {
            (intent["name"], s["name"]): list(dict.fromkeys(["{" + s["name"] + "}"] + s.get("samples", [])))
            for intent in lm["intents"] for s in intent.get("slots", [])}

        # 1 + 2: templates on raw and on normalised words
        self.raw_literal: dict[tuple, list[_Template]] = {}
        self.raw_slotted: list[_Template] = []
        self.canon_literal: dict[tuple, list[_Template]] = {}
        self.canon_slotted: list[_Template] = []
        for name, phrases in samples.items():
            for text in phrases:
                self._add(_Template.compile(name, text, False), self.raw_literal, self.raw_slotted)
                self._add(_Template.compile(name, text, True), self.canon_literal, self.canon_slotted)
        self.elicit_templates = {
            key: ([_Template.compile(key[0], t, False) for t in texts],
                  [_Template.compile(key[0], t, True) for t in texts])
            for key, texts in elicit_samples.items()}

        # 3: similarity
        docs = [(name, text, self._sample_concepts(text)) for name, phrases in samples.items() for text in phrases]
        users: dict[str, set] = {}                  # concept -> intents whose samples use it
        for name, _, concepts in docs:
            for c in concepts:
                users.setdefault(c, set()).add(name)
        self.n_intents = len(samples)
        self.idf = {c: self._idf(len(names)) for c, names in users.items()}
        self.unknown_weight = self._idf(1)
        self.vocab: dict[str, set] = {}             # intent -> every concept of its samples
        for c, names in users.items():
            for name in names:
                self.vocab.setdefault(name, set()).add(c)
        self.groups = self._index([self._sample(*d) for d in docs])
        self.elicit_groups = {
            key: self._index([self._sample(key[0], t, self._sample_concepts(t)) for t in texts])
            for key, texts in elicit_samples.items()}

    @classmethod
    def from_model_file(cls, path=None) -> "Understanding":
        with open(path or DEFAULT_MODEL, encoding="utf-8") as f:
            return cls(json.load(f))

    # -------------------------------------------------------------- construction helpers
    @staticmethod
    def _add(tpl: _Template, literal: dict, slotted: list) -> None:
        if not tpl.pieces:
            return
        if tpl.slots:
            slotted.append(tpl)
        else:
            literal.setdefault(tuple(tpl.pieces), []).append(tpl)

    def _idf(self, n_intents: int) -> float:
        """Weight of a concept used by n intents: a word of one intent says the most."""
        return 1.5 * math.log(1 + self.n_intents / n_intents)

    @staticmethod
    def _sample_concepts(text: str) -> list[str]:
        toks: list[str] = []
        for part in re.split(r"(\{\w+\})", text):
            if part.startswith("{") and part.endswith("}"):
                toks.append("<" + part[1:-1] + ">")
            else:
                toks.extend(_expand(basic_tokens(part)))
        return _concepts(_drop_fillers(toks))

    def _weight(self, concept: str) -> float:
        if concept.startswith("<"):
            return max(self.idf.get(concept, 0.0), MARKER_MIN)
        weight = self.idf.get(concept, self.unknown_weight)
        return weight * LIGHT if concept in _LIGHT else weight

    def _sample(self, intent: str, text: str, concepts: list[str]) -> _Sample:
        weights = {c: self._weight(c) for c in set(concepts)}
        slots = frozenset(c[1:-1] for c in weights if c.startswith("<"))
        at = next((i for i, c in enumerate(concepts) if c.startswith("<")), len(concepts))
        frame = (frozenset(concepts[:at]), frozenset(concepts[at + 1:]))
        return _Sample(intent, text, weights, sum(weights.values()), slots, frame,
                       not _NEGATIONS.isdisjoint(weights))

    def _index(self, samples: list[_Sample]) -> dict:
        """Samples grouped by their slots ((slot, type) pairs), each group with an inverted
        index concept -> positions, so a sentence meets only the samples sharing a concept."""
        groups: dict[tuple, tuple[list, dict]] = {}
        for sample in samples:
            kinds = dict(self.intent_slots.get(sample.intent, []))
            key = tuple(sorted((name, kinds.get(name, "")) for name in sample.slots))
            members, index = groups.setdefault(key, ([], {}))
            for concept in sample.weights:
                index.setdefault(concept, []).append(len(members))
            members.append(sample)
        return groups

    # -------------------------------------------------------------- public API
    def parse(self, text: str, today, *, strict=False, elicit: tuple[str, str] | None = None) -> Interpretation:
        """The best interpretation of `text`, said on the device's local date `today`."""
        return self.top(text, today, 1, strict=strict, elicit=elicit)[0]

    def top(self, text: str, today, n=3, *, strict=False, elicit=None) -> list[Interpretation]:
        """The n best interpretations, best first, one per intent. When the best scores below
        FALLBACK_THRESHOLD, the first is AMAZON.FallbackIntent (confidence: that best score)
        and the near misses follow."""
        if isinstance(today, _dt.datetime):
            today = today.date()
        raw = _strip_invocation(basic_tokens(text), self.invocation)
        ranked = self._rank(raw, today, strict, tuple(elicit) if elicit else None)
        best = ranked[0].score if ranked else 0.0
        out: list[Interpretation] = []
        if best < FALLBACK_THRESHOLD:
            out.append(Interpretation(FALLBACK, [], round(best, 3), {}))
        out += [self._interpretation(c, today, raw) for c in ranked[: max(0, n - len(out))]]
        return out

    # -------------------------------------------------------------- ranking
    def _rank(self, raw: list[str], today, strict: bool, elicit) -> list[_Candidate]:
        if not raw:
            return []
        best: dict[str, _Candidate] = {}

        def offer(cands) -> None:
            for c in cands:
                old = best.get(c.intent)
                if old is None or (c.score, c.literals) > (old.score, old.literals):
                    best[c.intent] = c

        canon = canonical_tokens(raw)
        offer(self._exact(raw, self.raw_literal, self.raw_slotted, today, EXACT, UNRESOLVED))
        if not strict:
            offer(self._exact(canon, self.canon_literal, self.canon_slotted, today, NORMALISED, UNRESOLVED - 0.05))
            offer(self._similar(canon, today, elicit))
        ranked = sorted(best.values(), key=lambda c: (-c.score, -c.literals, c.intent))
        if elicit in self.elicit_templates:
            raw_t, canon_t = self.elicit_templates[elicit]
            found = list(self._exact(raw, {}, raw_t, today, EXACT, UNRESOLVED))
            if not found and not strict:
                found = list(self._exact(canon, {}, canon_t, today, NORMALISED, UNRESOLVED - 0.05))
            if found:
                elicited = max(found, key=lambda c: (c.score, c.literals))
                rival = next((c for c in ranked if c.intent != elicited.intent), None)
                # another intent's sample said word for word keeps its intent; an elicited
                # free-text slot also yields to any clear other intent
                clear = rival is not None and (
                    (rival.score >= NORMALISED and not rival.filled)
                    or (self._free_text(elicit) and rival.score >= 0.7))
                if not clear:
                    ranked = [elicited] + [c for c in ranked if c.intent != elicited.intent]
        return ranked

    def _free_text(self, elicit) -> bool:
        kind = self.slot_types.get(elicit, "")
        return kind not in ("AMAZON.DATE", "AMAZON.DURATION", "AMAZON.NUMBER")

    # -------------------------------------------------------------- 1 + 2: templates
    def _exact(self, toks, literal: dict, slotted: list, today, score: float, unresolved: float):
        for tpl in literal.get(tuple(toks), []):
            yield _Candidate(tpl.intent, score, tpl.literals, {}, tpl.text)
        for tpl in slotted:
            if len(toks) < len(tpl.pieces):
                continue
            if isinstance(tpl.pieces[0], str) and tpl.pieces[0] != toks[0]:
                continue
            filled = self._match(tpl.intent, tpl.pieces, toks, today)
            if filled is None:
                continue
            if not tpl.literals and not self._all_resolve(tpl.intent, filled):
                continue    # a sample that is only a slot takes words that are one of its values
            s = score
            for slot_name, words in filled.items():
                kind = self.slot_types.get((tpl.intent, slot_name), "")
                if kind == "AMAZON.SearchQuery" and words[0] == "not":
                    s = 0.0         # "i've {..}" taking the "have" of "haven't": not what was said
                if kind == "AMAZON.SearchQuery":
                    # the carrier says little: any words fit, the more the less sure
                    s = min(s, max(FREE_FORM, unresolved - UNRESOLVED_STEP * (len(words) - 1)))
                elif kind in self.types and self.types[kind].resolve(words) is None:
                    # the longer the unknown phrase, the less it looks like a slot value
                    s = min(s, max(UNRESOLVED_FLOOR, unresolved - UNRESOLVED_STEP * (len(words) - 1)))
            yield _Candidate(tpl.intent, s, tpl.literals, filled, tpl.text)

    def _all_resolve(self, intent: str, filled: dict) -> bool:
        for slot_name, words in filled.items():
            kind = self.slot_types.get((intent, slot_name), "")
            if kind in self.types and not self.types[kind].mentions(words):
                return False
        return True

    def _match(self, intent: str, pieces: list, toks: list[str], today) -> dict | None:
        """Heard words per slot if the template covers exactly `toks`, else None."""
        if not pieces:
            return {} if not toks else None
        head, rest = pieces[0], pieces[1:]
        if isinstance(head, str):
            return self._match(intent, rest, toks[1:], today) if toks and toks[0] == head else None
        kind = self.slot_types.get((intent, head[1]), "")
        for end in range(1, len(toks) - len(rest) + 1):   # shortest capture first
            if rest and isinstance(rest[0], str) and toks[end] != rest[0]:
                continue
            if not rest and end != len(toks):
                continue
            words = toks[:end]
            if self._builtin_value(kind, words, today) is False:
                continue
            tail = self._match(intent, rest, toks[end:], today)
            if tail is not None:
                return {head[1]: words, **tail}
        return None

    @staticmethod
    def _builtin_value(kind: str, words: list[str], today):
        """Value of a built-in type for the words; False when they do not resolve; None for a
        type that takes any words (a custom type, AMAZON.SearchQuery, ...)."""
        text = " ".join(words)
        try:
            if kind == "AMAZON.DATE":
                return resolve_date(text, today) or False
            if kind == "AMAZON.DURATION":
                return resolve_duration(text) or False
            if kind == "AMAZON.NUMBER":
                return resolve_number(text) or False
        except (ValueError, IndexError, KeyError):
            return False
        return None

    # -------------------------------------------------------------- 3: similarity
    def _locate_slots(self, toks: list[str], today) -> dict[str, tuple[int, int, object]]:
        """Slot values found anywhere in the sentence: type -> (start, end, value or entry)."""
        found: dict[str, tuple[int, int, object]] = {}
        n = len(toks)
        for j in range(1, n):          # a duration: the longest run of words before "ago"
            if toks[j] in ("ago", "back", "before"):
                for i in range(max(0, j - 6), j):
                    value = self._builtin_value("AMAZON.DURATION", toks[i:j], today)
                    if value:
                        found["AMAZON.DURATION"] = (i, j, value)
                        break
                if found:
                    break
        busy = found.get("AMAZON.DURATION", (n, n, None))
        dateish = [t in _DATE_WORDS or t[:1].isdigit() for t in toks]
        best = None                    # a date: the longest window of date words that resolves
        for i in range(n):
            if not dateish[i] or busy[0] <= i < busy[1]:
                continue
            for j in range(min(n, i + 6), i, -1):
                if not dateish[j - 1] or (i < busy[1] and j > busy[0]):
                    continue
                words = toks[i:j]
                if " ".join(words) in _AMBIGUOUS_DATES:
                    continue
                value = self._builtin_value("AMAZON.DATE", words, today)
                if value:
                    if best is None or j - i > best[1] - best[0]:
                        best = (i, j, value)
                    break
        if best:
            i, j, value = best
            if i > 0 and toks[i - 1] == "the":        # "the fourth of october"
                i -= 1
            found["AMAZON.DATE"] = (i, j, value)
        for name, stype in self.types.items():
            hit = stype.locate(toks)
            if hit:
                found[name] = (hit[1], hit[2], hit[0])
        return found

    @staticmethod
    def _variant(toks, located, slot_names, kinds: dict) -> list[str]:
        """The sentence with the located values of `slot_names` replaced by slot markers."""
        spans = sorted((*located[kinds[s]][:2], "<" + s + ">") for s in slot_names)
        out, i = [], 0
        for a, b, marker in spans:
            if a >= i:
                out += toks[i:a] + [marker]
                i = b
        return out + toks[i:]

    def _bag(self, canon, located, usable: frozenset, kinds: dict, cache: dict):
        """Concept weights (and their sum) of the sentence, `usable` slots as markers."""
        key = ("bag", tuple(sorted((s, kinds[s]) for s in usable)))
        if key not in cache:
            weights = {c: self._weight(c) for c in set(_concepts(self._variant(canon, located, usable, kinds)))}
            cache[key] = (weights, sum(weights.values()))
        return cache[key]

    def _similar(self, canon: list[str], today, elicit) -> list[_Candidate]:
        located = self._locate_slots(canon, today)
        aligned = _concepts_aligned(canon)
        negated = not _NEGATIONS.isdisjoint(aligned)
        cache: dict = {}
        scored: list[tuple] = []

        def compare(sample: _Sample, weights: dict, total: float, overlap: float, free=None):
            if sample.intent in self.real_match and not _real_match(sample, weights):
                return
            if overlap and total and sample.total:
                precision, recall = overlap / total, overlap / sample.total
                sim = 2 * precision * recall / (precision + recall)
                if negated and not sample.negated:
                    sim *= NEGATION          # "i'm not sure" is not "sure"
                scored.append((sim, sample, free, weights, total))

        groups = [self.groups] + ([self.elicit_groups[elicit]] if elicit in self.elicit_groups else [])
        for group in groups:
            for key, (members, index) in group.items():
                kinds = dict(key)
                usable = frozenset(name for name, kind in key if kind in located)
                missing = [name for name, kind in key if kind not in located]
                if len(key) == 1 and missing and kinds[missing[0]] in self.types:
                    for sample in members:          # a custom slot with an unknown phrase?
                        free = self._free_slot(sample, missing[0], canon, aligned, cache)
                        weights, total = free[2:] if free else self._bag(canon, located, usable, kinds, cache)
                        compare(sample, weights, total, sum(w for c, w in weights.items() if c in sample.weights), free)
                    continue
                weights, total = self._bag(canon, located, usable, kinds, cache)
                overlaps = [0.0] * len(members)
                for concept, weight in weights.items():
                    for pos in index.get(concept, ()):
                        overlaps[pos] += weight
                for pos, overlap in enumerate(overlaps):
                    compare(members[pos], weights, total, overlap)

        per_intent: dict[str, list] = {}
        for item in scored:
            per_intent.setdefault(item[1].intent, []).append(item)
        out = []
        for intent, items in per_intent.items():
            items.sort(key=lambda x: -x[0])
            top1, sample, free, weights, total = items[0]
            top2 = items[1][0] if len(items) > 1 else 0.0
            score = min(1.0, top1 + SECOND_SAMPLE * top2 * (1 - top1))
            vocab = self.vocab.get(intent, ())
            share = sum(w for c, w in weights.items() if c in vocab) / total
            score = SIMILAR_CAP * score ** (1 - VOCAB_MIX) * share ** VOCAB_MIX
            filled = {}
            for slot_name, kind in self.intent_slots.get(intent, []):
                if kind in located and kind in self.types:
                    # a custom slot is filled with what was heard, not only the value found in
                    # it: "blood is running down my back", resolved by its best value
                    filled[slot_name] = canon
                elif kind in located:
                    a, b, _ = located[kind]
                    filled[slot_name] = canon[a:b]
                elif free is not None and free[0] == slot_name:
                    filled[slot_name] = free[1]
            out.append(_Candidate(intent, score, 0, filled, sample.text))
        return out

    def _free_slot(self, sample: _Sample, name: str, canon, aligned, cache):
        """Fill the custom slot `name` of `sample` with what was heard, as Alexa does: the
        block of words the sample's other words leave over, if the sample's words stand on
        the right sides of it. Returns (slot, words, weights, total) or None. The marker
        earns FREE_SLOT of its weight; the block's words still count as unexplained."""
        extra = [i for i, c in enumerate(aligned) if c not in sample.weights and c not in _LIGHT]
        if not extra:
            return None
        first, last = extra[0], extra[-1] + 1
        if last - first == len(canon) or last - first > 8:
            return None                                # no frame at all, or a speech
        before, after = sample.frame
        for i, c in enumerate(aligned):
            if c in _LIGHT:
                continue
            if (first <= i < last and c in sample.weights) or (i < first and c in after and c not in before) \
                    or (i >= last and c in before and c not in after):
                return None
        key = ("free", name, first, last)
        if key not in cache:
            marker = "<" + name + ">"
            weights = {c: self._weight(c) for c in set(_concepts(canon[:first] + [marker] + canon[last:]))}
            weights[marker] = self._weight(marker) * FREE_SLOT
            for c in set(_concepts(canon[first:last])):
                weights.setdefault(c, self._weight(c))
            cache[key] = name, canon[first:last], weights, sum(weights.values())
        return cache[key]

    # -------------------------------------------------------------- result
    def _interpretation(self, cand: _Candidate, today, raw=()) -> Interpretation:
        slots, heard = [], {}
        for slot_name, kind in self.intent_slots.get(cand.intent, []):
            words = cand.filled.get(slot_name)
            value = self._builtin_value(kind, words, today) if words else False
            if value is False:                         # not filled (Alexa still sends the slot)
                slots.append(envelopes.slot(slot_name))
                continue
            if value is None:
                # free words are sent as they were said: "no pain really, just stiff" keeps its "just"
                words = _as_said(words, raw) or words
            text = " ".join(words)
            heard[slot_name] = text
            if kind in self.types:
                hit = self.types[kind].resolve(words)
                slots.append(envelopes.slot(slot_name, text, slot_type=kind,
                                            resolved_id=hit[0] if hit else None,
                                            resolved_name=hit[1] if hit else None))
            else:
                slots.append(envelopes.slot(slot_name, text if value is None else value))
        return Interpretation(cand.intent, slots, round(cand.score, 3), heard, cand.sample)
