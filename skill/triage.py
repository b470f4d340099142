"""Symptom triage: sorts a person's own words into emergency, doctor, expected or unknown.

Plain Python on purpose (no Alexa SDK, no files): the word lists come from
``content/triage.yaml`` through :mod:`skill.content`, so a clinician reviews the
lists and this module only decides how words are matched.
"""
from __future__ import annotations

import re
from typing import NamedTuple

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
    # Every spelling these two rewrite contains "can", or "will"/"won": most terms have neither.
    if "can" in text:
        text = _CANT.sub("can't", text)
    if "won" in text or "will" in text:
        text = _WONT.sub("won't", text)
    return tuple(w for w in text.split() if w not in filler_words)


class Verdict(NamedTuple):
    """What triage decided, and the words that decided it (for logs and tests)."""

    level: str
    matched: tuple[str, ...] = ()


class Triage:
    """The word lists of each level, normalised once at start-up.

    (A plain class rather than a dataclass, for the cold start: see skill.timeline.)
    """

    terms: dict[str, tuple[tuple[str, ...], ...]]
    ids: dict[str, frozenset[str]]
    filler_words: frozenset[str]

    def __init__(self, terms: dict[str, tuple[tuple[str, ...], ...]], ids: dict[str, frozenset[str]],
                 filler_words: frozenset[str] = frozenset()):
        self.terms = terms
        self.ids = ids
        self.filler_words = filler_words
        self._index()

    def __repr__(self) -> str:
        return f"Triage(terms={self.terms!r}, ids={self.ids!r}, filler_words={self.filler_words!r})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.terms, self.ids, self.filler_words) == (other.terms, other.ids, other.filler_words)

    __hash__ = None  # mutable, compared by value

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

    def _index(self):
        # Per level, first word -> ((rank in terms, phrase), ...): classify looks only at the
        # phrases that start with a word that was said, not at every phrase of every level
        # (it runs on every slot of every intent request, for the emergency check).
        self._by_first_word = {}
        for level, phrases in self.terms.items():
            index: dict[str | None, list[tuple[int, tuple[str, ...]]]] = {}
            for rank, phrase in enumerate(phrases):
                index.setdefault(phrase[0] if phrase else None, []).append((rank, phrase))
            self._by_first_word[level] = index

    def classify(self, text: str | None, slot_ids=()) -> Verdict:
        """Level of what was said. ``slot_ids`` are entity-resolution ids Alexa matched, if any."""
        words = normalise(text or "", self.filler_words)
        slot_ids = set(slot_ids or ())
        for level in LEVELS:
            found = self._phrases_in(level, words)
            found += sorted(slot_ids & self.ids[level])
            if found:
                return Verdict(level, tuple(found))
        return Verdict(UNKNOWN)

    def _phrases_in(self, level: str, words: tuple[str, ...]) -> list[str]:
        """The level's phrases found in ``words``, in the order of ``terms`` (longest first)."""
        index = self._by_first_word[level]
        hits = set(index.get(None, ()))  # an empty phrase is in everything
        for i, word in enumerate(words):
            for rank, phrase in index.get(word, ()):
                if words[i:i + len(phrase)] == phrase:
                    hits.add((rank, phrase))
        return [" ".join(phrase) for _, phrase in sorted(hits)]

    def size(self, level: str) -> int:
        return len(self.terms[level])
