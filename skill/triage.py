"""Symptom triage: sorts a person's own words into emergency, doctor, expected or unknown.

Plain Python on purpose (no Alexa SDK, no files): the word lists come from
``content/triage.yaml`` through :mod:`skill.content`, so a clinician reviews the
lists and this module only decides how words are matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

EMERGENCY = "emergency"
DOCTOR = "doctor"
EXPECTED = "expected"
UNKNOWN = "unknown"

# Highest first: the first level with a match decides.
LEVELS = (EMERGENCY, DOCTOR, EXPECTED)

_CANT = re.compile(r"\b(?:cannot|can not|cant|can't)\b")
_WONT = re.compile(r"\b(?:will not|wont|won't)\b")
_PUNCT = re.compile(r"[^a-z0-9' ]+")


def normalise(text: str, filler_words: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Words of ``text`` as they are matched: lower case, one spelling of can't/won't, fillers dropped."""
    text = text.lower().replace("\u2019", "'")
    text = _PUNCT.sub(" ", text)
    text = _CANT.sub("can't", text)
    text = _WONT.sub("won't", text)
    return tuple(w for w in text.split() if w and w not in filler_words)


@dataclass(frozen=True)
class Verdict:
    """What triage decided, and the words that decided it (for logs and tests)."""

    level: str
    matched: tuple[str, ...] = ()


@dataclass
class Triage:
    """The word lists of each level, normalised once at start-up."""

    terms: dict[str, tuple[tuple[str, ...], ...]]
    ids: dict[str, frozenset[str]]
    filler_words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_lists(cls, levels: dict[str, dict], filler_words=()) -> "Triage":
        fillers = frozenset(w.lower() for w in filler_words)
        terms, ids = {}, {}
        for level in LEVELS:
            spec = levels.get(level, {})
            phrases = {normalise(t, fillers) for t in spec.get("terms", [])}
            phrases.discard(())
            # Longest first so "matched" names the most specific phrase.
            terms[level] = tuple(sorted(phrases, key=len, reverse=True))
            ids[level] = frozenset(spec.get("ids", []))
        return cls(terms=terms, ids=ids, filler_words=fillers)

    def classify(self, text: str | None, slot_ids=()) -> Verdict:
        """Level of what was said. ``slot_ids`` are entity-resolution ids Alexa matched, if any."""
        words = normalise(text or "", self.filler_words)
        slot_ids = set(slot_ids or ())
        for level in LEVELS:
            found = [" ".join(p) for p in self.terms[level] if _contains(words, p)]
            found += sorted(slot_ids & self.ids[level])
            if found:
                return Verdict(level, tuple(found))
        return Verdict(UNKNOWN)

    def size(self, level: str) -> int:
        return len(self.terms[level])


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))
