"""A sign named as a past thing, then what it turned out to be: "the clicking in my chest was my bra clasp",
"the loud breathing my husband heard was my cpap mask leaking" (``context.identified``). What you noticed was
something else, named: explained. Never a quality or an amount said after "was" ("the chest pain was crushing",
"the fall was a bad one"), a sign, a body part, a person or a diagnosis ("the leg pain was a blood clot"), a
feeling for a stroke, chest or nerve sign, nor anything said as now after it."""
from __future__ import annotations

from skill.text import PUNCTUATION
from skill.triage.phrases import Phrases


class Identified:
    """The "the X was Y" half of :class:`skill.triage.Triage`'s context."""

    def _compile_identified(self, rule: dict) -> None:
        stems = lambda key: frozenset(self.language.stem(w) for w in rule.get(key, []))   # noqa: E731
        self.identified_openers = stems("openers")
        self.identified_joins = stems("joins")
        self.identified_hedges = stems("hedges")
        self.identified_things = stems("things")
        self.identified_bare_before = stems("bare_before")
        self.identified_not_tail = stems("not_tail")
        self.identified_lead_ins = stems("lead_ins")
        self.identified_reach = int(rule.get("reach", 3))
        self.identified_thing_reach = int(rule.get("thing_reach", 4))
        self.identified_tail = int(rule.get("tail", 6))
        self.identified_not_things = Phrases(t for p in rule.get("not_things", []) for t in self._trigger(str(p)))
        self.identified_strict_not = Phrases(t for p in rule.get("strict_not_things", [])
                                             for t in self._trigger(str(p)))

    def _identified(self, said, span, family: str) -> bool:
        """The finding at ``span`` is the subject of "the ... was <a thing named>" in its clause: an
        opener (``openers``: "the", or the sentence's start after ``lead_ins``) up to ``reach`` words
        before it, "was" up to ``tail`` words after it with no break nor present form (``not_tail``)
        between, then a thing: a determiner (``things``: "my", "a") after any hedge ("just"), or a bare
        name with its cause after it ("sciatica from"). The thing (its first ``thing_reach`` words, in its
        clause) holds none of ``not_things`` (a quality, an amount, a time, a body part, a person, a
        diagnosis, a negation), no figure, no form of now (``not_tail``), no health word; for a
        ``resolution_not_for`` family no feeling, nor a cause in the body said after it
        (``strict_not_things``); no word of now (``settled.unless``) follows it. A fall is a fall
        (``settled.not_for``)."""
        if not self.identified_joins or family in self.settled_not_for:
            return False
        stems = said.stems
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        breaks = lambda words: any(w in PUNCTUATION or w in self.context_stops for w in words)   # noqa: E731
        # Alexa drops a first "the": the sentence's start (after "alexa", "so") opens it too
        start = 0
        while start < len(stems) and stems[start] in self.identified_lead_ins:
            start += 1
        if not (start <= lo <= start + self.identified_reach and not breaks(stems[start:lo])) and not any(
                stems[k] in self.identified_openers and not breaks(stems[k:lo])
                for k in range(max(0, lo - self.identified_reach), lo)):
            return False
        join = next((k for k in range(hi, min(len(stems), hi + self.identified_tail + 1))
                     if stems[k] in self.identified_joins), None)
        if join is None or breaks(stems[hi:join]) or any(w in self.identified_not_tail for w in stems[hi:join]):
            return False
        at = join + 1
        while at < len(stems) and stems[at] in self.identified_hedges:
            at += 1
        # the thing: up to ``thing_reach`` words, or the clause's end (Alexa drops the commas)
        end = next((k for k in range(at, len(stems)) if breaks(stems[k:k + 1])), len(stems))
        thing = stems[at:min(end, at + self.identified_thing_reach)]
        if not thing or not (thing[0] in self.identified_things or (
                len(thing) > 1 and thing[1] in self.identified_bare_before)):
            return False
        if (self.identified_not_things.find(thing) or self.is_health(thing) or any(w.isdigit() for w in thing)
                or any(w in self.identified_not_tail for w in thing)):
            return False
        # a terminator word ends it ("... the chicken tonight and still is"): what it opens is said as now
        if at + self.identified_thing_reach >= end < len(stems) and stems[end] not in PUNCTUATION:
            rest = next((k for k in range(end, len(stems)) if stems[k] in PUNCTUATION), len(stems))
            if any(w in self.identified_not_tail for w in stems[end:rest]):
                return False
        if family in self.resolution_not_for and (self.feelings.intersection(thing)
                                                  or self.identified_strict_not.find(stems[at:])):
            return False
        return not any(i >= at for i, _ in said.settled["unless"])
