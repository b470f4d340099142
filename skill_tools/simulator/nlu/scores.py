"""The understanding's scores and thresholds: how sure each kind of match is."""
from __future__ import annotations

FALLBACK = "AMAZON.FallbackIntent"
FALLBACK_THRESHOLD = 0.4
"""Best score (0..1) below which a sentence is AMAZON.FallbackIntent."""

EXACT, NORMALISED = 1.0, 0.95   # confidence of a template match on raw / normalised text
UNRESOLVED = 0.9                # ... when its custom slot matched no value (raw text),
UNRESOLVED_STEP = 0.05          # less this for each heard word after the first,
UNRESOLVED_FLOOR = 0.6          # down to this
LOOSE_SLOT = 0.45               # a sample that is only a custom slot, said with words only like its values
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
# ... or two of its samples together, for these: crisis words said one after the other ("what's the point of going
# on, nobody would miss me"). Not the overdose intents: "she took too many" and "she's hard to wake" together are
# the words' 911 (the skill reads them), not the slotless intent's Poison Control
PAIRED_MATCH = ("CrisisIntent",)
# ... and what, when nothing fits the whole sentence, is heard in the part said last, to the end: a description, its
# slot the whole sentence ("you heard wrong, i'm going to hang myself in the garage")
SAID_LAST = ("DescribeIntent",)
