"""Custom slot types: values and synonyms, resolved as Alexa's entity resolution does."""
from __future__ import annotations

from dataclasses import dataclass

from skill_tools.simulator.nlu.scores import MAX_GAP
from skill_tools.simulator.nlu.words import ER_STOP, LIGHT_WORDS, NEGATIONS, basic_tokens, content_stems, expand, stem

_GENERIC = frozenset(stem(w) for w in (*LIGHT_WORDS, *NEGATIONS))   # words that say nothing of a value


@dataclass
class Entry:
    order: int
    id: str
    name: str
    content: frozenset
    size: int


class SlotType:
    """A custom slot type: values and synonyms, resolved as Alexa's entity resolution does."""

    def __init__(self, name: str, values: list[dict]):
        self.name = name
        self.exact: dict[str, tuple[str, str]] = {}
        self.entries: list[Entry] = []
        self.vocabulary: set[str] = set()
        for value in values:
            vname = value["name"]["value"]
            vid = value.get("id") or vname
            for phrase in [vname, *value["name"].get("synonyms", [])]:
                toks = basic_tokens(phrase)
                for key in (" ".join(toks), " ".join(expand(toks))):
                    self.exact.setdefault(key, (vid, vname))
                stems = content_stems(expand(toks))
                if stems:
                    self.entries.append(Entry(len(self.entries), vid, vname, frozenset(stems), len(stems)))
                    self.vocabulary.update(st for st in stems if st not in _GENERIC and len(st) > 2)

    def resolve(self, words: list[str]) -> tuple[str, str] | None:
        """(id, name) for the heard words, or None (ER_SUCCESS_NO_MATCH). Like Alexa's entity
        resolution, a value must make most of what was heard: "tingling in my toes" is
        TINGLING, "blood pressure check next week" is no match for "blood"."""
        exact = self._exactly(words)
        if exact is not None:
            return exact
        found = self.locate(expand(words))
        if found is None or 2 * found[0].size < len(content_stems(expand(words))):
            return None
        return found[0].id, found[0].name

    def _exactly(self, words: list[str]) -> tuple[str, str] | None:
        """(id, name) of the value or synonym the words are, nothing more, or None."""
        for key in (" ".join(words), " ".join(expand(words))):
            if key in self.exact:
                return self.exact[key]
        return None

    def said_exactly(self, words: list[str]) -> bool:
        """Whether the words are a value or synonym, nothing more."""
        return self._exactly(words) is not None

    def mentions(self, words: list[str]) -> bool:
        """Whether a value or synonym is said anywhere in the words (a sample that is only a slot)."""
        return self.resolve(words) is not None or self.locate(expand(words)) is not None

    def sounds_like(self, words: list[str]) -> bool:
        """Whether at least half the words that carry meaning are words of its values or synonyms: a
        custom type with many values takes free speech like its values (a partial match), though no
        value is said whole ("sudden agony in my spine", "thirty eight point five")."""
        said = {st for st in content_stems(expand(words)) if st not in _GENERIC}
        return bool(said) and 2 * len(said & self.vocabulary) >= len(said)

    def locate(self, toks: list[str]) -> tuple[Entry, int, int] | None:
        """The value or synonym whose content words all occur close together in `toks`:
        (entry, start, end). Most content words win, then the tighter span, then the value
        listed first in the model."""
        stems = [stem(t) if t not in ER_STOP else None for t in toks]
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

