"""Listed phrases found in a sentence's stems: the matching primitives the rules are built from."""
from __future__ import annotations

import re


def is_word_class(word: str) -> bool:
    """A word of a pattern written in CAPITALS names a word class of the lexicon."""
    return word.isupper() and word.replace("_", "").isalpha()


def word_classes(pattern: str) -> list[str]:
    """The word classes a pattern uses, in order of first use (for the clinician's review)."""
    return list(dict.fromkeys(w for w in re.findall(r"[A-Za-z_]+", pattern) if is_word_class(w)))


class Word(str):
    """A said word's stem, remembering the word itself (for "=took" phrases)."""

    raw: str

    def __new__(cls, raw: str, stem):
        word = super().__new__(cls, stem(raw))
        word.raw = raw
        return word


def same(word, listed: str) -> bool:
    return word.raw == listed[1:] if listed[:1] == "=" else word == listed


def covered(found) -> set[int]:
    """Positions inside the found (position, phrase) pairs."""
    return {k for i, phrase in found for k in range(i, i + len(phrase))}


def phrase_end(stems, i: int, phrase: tuple[str, ...], skippable: frozenset, optional: frozenset) -> int | None:
    """End of ``phrase`` said from ``stems[i]``, ``skippable`` words allowed in between or
    ``optional`` ones left out ("half of my face" is also "half my face" and "half her face");
    None if not said there."""
    j, k, skipped = i, 0, 0
    n = len(stems)
    while k < len(phrase):
        if j < n and same(stems[j], phrase[k]):
            j, k = j + 1, k + 1
        elif k and j < n and stems[j] in skippable and skipped < 2:
            j, skipped = j + 1, skipped + 1
        elif k and k < len(phrase) - 1 and phrase[k] in optional:
            k += 1
        else:
            return None
    return j


def by_first(phrases) -> dict:
    """first word -> the phrases starting with it, in the order given."""
    grouped: dict = {}
    for phrase in phrases:
        grouped.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in grouped.items()}


class Phrases:
    """Listed phrases, indexed by first word, found in a sentence in one pass."""

    def __init__(self, phrases):
        self.phrases = tuple(p for p in phrases if p)
        self.by_first = by_first(self.phrases)
        self._index = _TwoWordIndex(self.by_first, named=False)

    def find(self, stems) -> list[tuple[int, tuple[str, ...]]]:
        """(position, phrase) of every listed phrase said in ``stems``."""
        return [(i, phrase) for i in range(len(stems)) for _, phrase in _candidates(self._index, stems, i)
                if _at(stems, i, phrase)]


class PhraseSets:
    """Several named lists of phrases found in one pass: a sentence's negation, hypothetical and
    context triggers are looked up word by word once, not once per list (a warm request's cost)."""

    def __init__(self, named: dict):
        grouped: dict = {}
        for name, phrases in named.items():
            for first, group in phrases.by_first.items():
                grouped.setdefault(first, []).extend((name, phrase) for phrase in group)
        self._index = _TwoWordIndex(grouped)
        self.names = tuple(named)

    def find(self, stems) -> dict:
        """name -> (position, phrase) of each of its phrases said, as :meth:`Phrases.find` gives them."""
        found: dict = {name: [] for name in self.names}
        for i in range(len(stems)):
            for name, phrase in _candidates(self._index, stems, i):
                if _at(stems, i, phrase):
                    found[name].append((i, phrase))
        return found


class _TwoWordIndex(dict):
    """first word -> (its one-word phrases, second word -> its longer phrases), each (order, payload, phrase):
    contexts expand word classes into thousands of phrases, many starting "was" or "it", so a sentence's
    words are looked up by two. A first word's entry is made when a sentence first says it: most never are,
    and making them all was a third of the first sentence's wait."""

    def __init__(self, by_first: dict, named: bool = True):
        """``by_first``: first word -> its (payload, phrase) pairs, or its bare phrases if not ``named``."""
        super().__init__()
        self.by_first, self.named = by_first, named

    def make(self, first):
        """The entry of ``first``, a word some phrase starts with (a word none does is not kept: the
        words people say are not bounded)."""
        singles, pairs = [], {}
        group = self.by_first[first]
        for order, item in enumerate(group):
            payload, phrase = item if self.named else (None, item)
            if len(phrase) == 1:
                singles.append((order, payload, phrase))
            else:
                pairs.setdefault(phrase[1], []).append((order, payload, phrase))
        entry = self[first] = (tuple(singles), {k: tuple(v) for k, v in pairs.items()})
        return entry


def _candidates(index: _TwoWordIndex, stems, i: int):
    """(payload, phrase) that may be said from ``stems[i]``, in the order they were listed."""
    word = stems[i]
    after = stems[i + 1] if i + 1 < len(stems) else None
    for key in (word, "=" + word.raw):
        entry = index.get(key)
        if entry is None:
            if key not in index.by_first:
                continue
            entry = index.make(key)
        singles, pairs = entry
        found = list(singles)
        if after is not None:
            found += pairs.get(after, ()) + pairs.get("=" + after.raw, ())
        for _, payload, phrase in sorted(found, key=lambda c: c[0]) if len(found) > 1 else found:
            yield payload, phrase


def _at(stems, i: int, phrase: tuple[str, ...]) -> bool:
    return len(stems) - i >= len(phrase) and all(same(stems[i + k], w) for k, w in enumerate(phrase))


def distinct(spans) -> bool:
    """No two groups found at the same word ("loss of bladder control" holds BLADDER inside it)."""
    starts = [s for s, _ in spans]
    return len(set(starts)) == len(starts)


def combinations(per_group):
    if not per_group:
        yield ()
        return
    for first in per_group[0]:
        for rest in combinations(per_group[1:]):
            yield (first, *rest)
