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
   one; or, for :data:`PAIRED_MATCH` (crisis), two such samples of the intent that explain it
   together ("what's the point of going on, nobody would miss me"). A single shared concept
   ("close the light": *closing* of "my throat is closing up"; "roll
   a die": "i want to die") or two common ones ("light is too much": "she took too much medicine")
   is no match; such a sentence goes to the intent that fits it, or to Fallback. When nothing fits the whole
   sentence, a crisis said after a joining word ("add milk to the list and i don't want to be alive anymore")
   is heard as if said alone, when alone it would be the crisis intent; and a description said last ("you heard
   wrong, i'm going to hang myself in the garage"), in its own words, or in the whole sentence's when it goes
   on a clause begun before it ("how do i ..."). A sample shares more than slot values
   with a sentence that says words of its own ("what's the weather tomorrow" is no "my surgery was {date}").

What is typed is first made what speech-to-text would write: signs as words, numbers spelled out, clipped
words whole ("thinkin' 'bout" is "thinking about" when the skill's words know "thinking").

``strict=True`` keeps only step 1: a check that a sentence is literally covered by the samples.

``elicit=(intent, slot)``: the skill's last response elicited that slot. The slot's dialog
samples ("it was {date}") and its bare value are tried first for that intent; a sentence that
is exactly another intent's sample ("stop", "help", "i have chest pain") still goes there.

The package: :mod:`.words` (normalising, with the English in ``en-US.yaml``), :mod:`.slot_types`
(entity resolution), :mod:`.similarity` (step 3), :mod:`.understanding` (templates, ranking) and
:mod:`.scores`.
"""
from __future__ import annotations

from skill_tools.simulator.nlu.scores import (
    EXACT, FALLBACK, FALLBACK_THRESHOLD, FREE_FORM, NORMALISED, REAL_MATCH, UNRESOLVED,
)
from skill_tools.simulator.nlu.understanding import DEFAULT_MODEL, Interpretation, Understanding
from skill_tools.simulator.nlu.words import BUILTIN_SAMPLES, basic_tokens, canonical_tokens

__all__ = ["BUILTIN_SAMPLES", "DEFAULT_MODEL", "EXACT", "FALLBACK", "FALLBACK_THRESHOLD", "FREE_FORM", "NORMALISED",
           "REAL_MATCH", "UNRESOLVED", "Interpretation", "Understanding", "basic_tokens", "canonical_tokens"]
