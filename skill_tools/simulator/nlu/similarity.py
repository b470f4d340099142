"""Step 3 of understanding: similarity of a sentence's concepts with each sample's, slot values
found anywhere in the sentence standing in as markers."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from skill_tools.simulator.nlu.scores import (
    COVER_SAMPLE, COVER_SENTENCE, FREE_SLOT, LOOSE_SLOT, NEGATION, PAIRED_MATCH, SAID_LAST, SECOND_SAMPLE, SIMILAR_CAP,
    VOCAB_MIX,
)
from skill_tools.simulator.nlu.words import (
    AMBIGUOUS_DATES, CLAUSE_BREAKS, CLAUSE_STARTS, DATE_ARTICLE, DATE_WORDS, DURATION_BEFORE,
    LIGHT_CONCEPTS, NEGATIONS, REFLEXIVE, UNSAID_IN_MATCH, concepts, concepts_aligned, drop_fillers,
)


@dataclass
class Sample:
    intent: str
    text: str
    weights: dict                 # concept -> weight
    total: float
    slots: frozenset
    frame: tuple                  # (concepts before, concepts after) its first slot
    negated: bool = False         # says "not", "no", "never"
    content: dict = field(init=False, repr=False)   # its weights but function words and slot markers

    def __post_init__(self):
        self.content = content_of(self.weights)


@dataclass
class Candidate:
    intent: str
    score: float
    literals: int = 0
    filled: dict = field(default_factory=dict)    # slot -> heard words (list[str])
    sample: str = ""


def content_of(weights: dict) -> dict:
    """Concept weights but function words and slot markers: what a real match is judged on."""
    return {c: w for c, w in weights.items() if c not in UNSAID_IN_MATCH and not c.startswith("<")}


def said_only_slots(sample: "Sample", said: dict) -> bool:
    """Whether a sentence (``said``: its content weights) shares nothing with a slotted sample but slot values
    while saying content words of its own: Alexa does not take any sentence with a date for every date sample."""
    return bool(said) and said.keys().isdisjoint(sample.content)


def covered(sample: "Sample", said: dict) -> set | None:
    """The content concepts a sample shares with a sentence (``said``: its content) when the sentence says the
    sample's content (COVER_SAMPLE of it), sharing two concepts or the sample's only one, and saying who the
    sample's deed is done to ("kill myself" is not "kill the ants"); else None."""
    wanted = sample.content
    shared = said.keys() & wanted.keys()
    if not shared or (len(shared) < 2 and len(wanted) > 1) or not REFLEXIVE.isdisjoint(wanted.keys() - shared):
        return None
    return shared if sum(wanted[c] for c in shared) / sum(wanted.values()) >= COVER_SAMPLE else None


def real_match(sample: "Sample", said: dict, partners=()) -> bool:
    """Whether a sentence (``said``: its content weights) is a real match of a slotless sample: the sample's
    content mostly said (COVER_SAMPLE), the sentence mostly that (COVER_SENTENCE), with two content
    concepts shared, or the sample's only one. Two samples of the intent said one after the other ("what's
    the point of going on, nobody would miss me") explain the sentence together: ``partners``, what the
    intent's samples that the sentence covers share with it."""
    shared = covered(sample, said)
    if shared is None:
        return False
    total = sum(said.values())
    return any(sum(said[c] for c in shared | more) / total >= COVER_SENTENCE for more in (shared, *partners))


HEARD_APART = PAIRED_MATCH
"""What may be heard in any part of a sentence: the crisis. A description (SAID_LAST) only in the part said last."""


class Similarity:
    """The similarity half of :class:`skill_tools.simulator.nlu.Understanding`."""

    def _locate_slots(self, toks: list[str], today) -> dict[str, tuple[int, int, object]]:
        """Slot values found anywhere in the sentence: type -> (start, end, value or entry)."""
        found: dict[str, tuple[int, int, object]] = {}
        n = len(toks)
        for j in range(1, n):          # a duration: the longest run of words before "ago"
            if toks[j] in DURATION_BEFORE:
                for i in range(max(0, j - 6), j):
                    value = self._builtin_value("AMAZON.DURATION", toks[i:j], today)
                    if value:
                        found["AMAZON.DURATION"] = (i, j, value)
                        break
                if found:
                    break
        busy = found.get("AMAZON.DURATION", (n, n, None))
        dateish = [t in DATE_WORDS or t[:1].isdigit() for t in toks]
        best = None                    # a date: the longest window of date words that resolves
        for i in range(n):
            if not dateish[i] or busy[0] <= i < busy[1]:
                continue
            for j in range(min(n, i + 6), i, -1):
                if not dateish[j - 1] or (i < busy[1] and j > busy[0]):
                    continue
                words = toks[i:j]
                if " ".join(words) in AMBIGUOUS_DATES:
                    continue
                value = self._builtin_value("AMAZON.DATE", words, today)
                if value:
                    if best is None or j - i > best[1] - best[0]:
                        best = (i, j, value)
                    break
        if best:
            i, j, value = best
            if i > 0 and toks[i - 1] == DATE_ARTICLE:     # "the fourth of october"
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
            weights = {c: self._weight(c) for c in set(concepts(self._variant(canon, located, usable, kinds)))}
            cache[key] = (weights, sum(weights.values()))
        return cache[key]

    def _similar(self, canon: list[str], today, elicit) -> list[Candidate]:
        located = self._locate_slots(canon, today)
        aligned = concepts_aligned(canon)
        negated = not NEGATIONS.isdisjoint(aligned)
        cache: dict = {}
        scored: list[tuple] = []

        # once a sentence (its weights, kept in ``cache`` meanwhile, so their ids stand): its content, and what
        # each paired intent's covered samples share with it
        contents: dict[int, dict] = {}
        shares: dict[tuple, list] = {}

        def content(weights: dict) -> dict:
            said = contents.get(id(weights))
            if said is None:
                said = contents[id(weights)] = content_of(weights)
            return said

        def compare(sample: Sample, weights: dict, total: float, overlap: float, free=None):
            if sample.intent in self.real_match:
                said = content(weights)
                key = (sample.intent, id(weights))
                if key not in shares:
                    shares[key] = [c for c in (covered(p, said) for p in self.paired.get(sample.intent, ())) if c]
                if not real_match(sample, said, shares[key]):
                    return
            if sample.slots and said_only_slots(sample, content(weights)):
                return          # "what's the weather tomorrow" shares only the date with "my surgery was {date}"
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
                    if overlap:         # a sample that shares no concept would score nothing
                        compare(members[pos], weights, total, overlap)

        per_intent: dict[str, list] = {}        # intent -> [its best sample's item, the second best score]
        for item in scored:
            kept = per_intent.get(item[1].intent)
            if kept is None:
                per_intent[item[1].intent] = [item, 0.0]
            elif item[0] > kept[0][0]:
                kept[:] = item, kept[0][0]
            else:
                kept[1] = max(kept[1], item[0])
        out = []
        for intent, ((top1, sample, free, weights, total), top2) in per_intent.items():
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
                elif intent in SAID_LAST and kind == "AMAZON.SearchQuery":
                    # a description heard by likeness ("... look like {description}") keeps the words around its
                    # carrier, as Alexa's SearchQuery does: empty, the skill heard none ("i wish i was dead")
                    filled[slot_name] = canon
            out.append(Candidate(intent, score, 0, filled, sample.text))
        return out

    def _said_after(self, canon: list[str], today) -> list[Candidate]:
        """A request said whole after a word that joins it to something else, when nothing fits the whole sentence:
        Alexa's model weighs the words of a part as if said alone, where a match of the whole would need the rest
        explained too. A crisis (HEARD_APART) to the end or to the next join ("add milk to the list and i don't want
        to be alive anymore"). A description (SAID_LAST) only to the end, its slot the whole sentence, as Alexa's
        slot filling takes the words around a carrier: what the first part says ("years ago i had a seizure ...",
        "in the book i'm reading ...", "no i don't want to hurt myself ...") is the skill's to weigh. Measured on the
        tuning set against the part's words alone: +124 crisis heard, +2 everyday sentences spared; on six fresh
        writers' files, +5 crisis of 900 and 4 more twins alarmed. Not an emergency or a dose: what they mean in
        one clause often rests on the other ("in the book i'm reading the old man can't breathe and they call an
        ambulance"), which the skill, answering those intents without words, would never hear."""
        out: list[Candidate] = []
        told: list[Candidate] = []        # descriptions, heard only when no part is the crisis
        # after a join word, or before a word that starts a clause (the comma speech recognition drops)
        breaks = sorted({i for i, tok in enumerate(canon) if tok in CLAUSE_BREAKS}
                        | {i - 1 for i, tok in enumerate(canon) if tok in CLAUSE_STARTS and i > 0})
        for k, i in enumerate(breaks):
            for end in (len(canon), *breaks[k + 1:k + 2]):       # what follows, or up to the next join
                after = drop_fillers(canon[i + 1:end])
                # each part alone, not split again: the later parts are this loop's own (splitting each again
                # ranked 2^n parts for n joins)
                heard = self._rank(after, today, False, None, apart=False)[:1] if len(after) > 2 else ()
                if heard and heard[0].intent in HEARD_APART:        # the crisis, were it said alone
                    out.append(heard[0])
                    break
                if heard and heard[0].intent in SAID_LAST and end == len(canon):
                    words = {slot: canon for slot in heard[0].filled}      # the whole sentence
                    # above the fallback, below any match of the whole
                    told.append(dataclasses.replace(heard[0], score=min(heard[0].score, LOOSE_SLOT), filled=words))
        return out or told

    def _free_slot(self, sample: Sample, name: str, canon, aligned, cache):
        """Fill the custom slot `name` of `sample` with what was heard, as Alexa does: the
        block of words the sample's other words leave over, if the sample's words stand on
        the right sides of it. Returns (slot, words, weights, total) or None. The marker
        earns FREE_SLOT of its weight; the block's words still count as unexplained."""
        extra = [i for i, c in enumerate(aligned) if c not in sample.weights and c not in LIGHT_CONCEPTS]
        if not extra:
            return None
        first, last = extra[0], extra[-1] + 1
        if last - first == len(canon) or last - first > 8:
            return None                                # no frame at all, or a speech
        before, after = sample.frame
        for i, c in enumerate(aligned):
            if c in LIGHT_CONCEPTS:
                continue
            if (first <= i < last and c in sample.weights) or (i < first and c in after and c not in before) \
                    or (i >= last and c in before and c not in after):
                return None
        key = ("free", name, first, last)
        if key not in cache:
            marker = "<" + name + ">"
            weights = {c: self._weight(c) for c in set(concepts(canon[:first] + [marker] + canon[last:]))}
            weights[marker] = self._weight(marker) * FREE_SLOT
            for c in set(concepts(canon[first:last])):
                weights.setdefault(c, self._weight(c))
            cache[key] = name, canon[first:last], weights, sum(weights.values())
        return cache[key]

