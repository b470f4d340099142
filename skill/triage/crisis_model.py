"""A second reading for crisis words no pattern names: the sentence as a whole, weighed word by word.

The patterns of triage.yaml fit the words they were written for; fresh writers' veiled crisis sentences
("i called everybody today to tell them i love them one last time") escape them. A logistic regression over
the sentence's words, word pairs and long words' first letters, trained on the tuning corpus, triage.yaml's
context examples and everyday requests to assistants (skill_tools/crisis_model_build.py), hears some of
them, at the price of some everyday twins (the figures: bench/triage_corpus.py and the issue 18 notes). It
only adds: the engine asks it when context set nothing aside, at its own score when a pattern found something
else (pills "saved for when i'm ready" are the medicine's words too), at a higher one when the words came in a
question, and a yes is its own family's finding, answered as a check with the crisis line (after 911 when an
emergency was found).
Scoring is a sum of weights: plain Python, no library.
"""
from __future__ import annotations

import math
from typing import Iterable

from skill.text import PUNCTUATION

STEM_FROM = 6          # words this long or longer add their first letters as a feature ("p:suici")
STEM_LETTERS = 5
SHORT_STEM_FROM = 5    # ... and these their first four ("q:pill" of "pills", "q:tire" of "tired", "tiredness")
SHORT_STEM_LETTERS = 4


def features(tokens: Iterable[str], ignored: tuple[tuple[str, ...], ...] = ()) -> set[str]:
    """Words, adjacent pairs and triples, pairs one word apart and long words' first letters, apostrophes
    dropped the way speech recognition drops them ("don't" and "dont" are one word). Triples and four-letter
    stems were chosen by fresh writers' files left out of training: +2 points of crisis heard at the same
    threshold, at about the same share of everyday alarms (1.0 to 1.1%). ``ignored``: words of manner, not of
    meaning, left out first ("to be honest": writers of crisis sentences said it so often that "not sure to be
    honest" was heard as crisis)."""
    w = _without([t.replace("'", "").replace("\u2019", "") for t in tokens if t not in PUNCTUATION], ignored)
    found = set(w)
    found.update(f"{a} {b}" for a, b in zip(w, w[1:]))
    found.update(f"{a} {b} {c}" for a, b, c in zip(w, w[1:], w[2:]))
    found.update(f"{a} _ {c}" for a, c in zip(w, w[2:]))
    found.update("p:" + x[:STEM_LETTERS] for x in w if len(x) >= STEM_FROM)
    found.update("q:" + x[:SHORT_STEM_LETTERS] for x in w if len(x) >= SHORT_STEM_FROM)
    return found


def _without(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    """The words, every occurrence of each phrase taken out."""
    for phrase in phrases:
        n, kept, i = len(phrase), [], 0
        while i < len(words):
            if tuple(words[i:i + n]) == phrase:
                i += n
            else:
                kept.append(words[i])
                i += 1
        words = kept
    return words


def probability(z: float) -> float:
    """The logistic of a sum of weights, bounded so that no sum overflows: the score's, and the training's."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class CrisisModel:
    """The weights a build learned, and the score from which a sentence is heard as crisis words."""

    __slots__ = ("weights", "bias", "threshold", "beside", "asked", "aside", "ignored")

    def __init__(self, weights: dict[str, float], bias: float, threshold: float, beside: float | None = None,
                 asked: float | None = None, aside: float | None = None, ignored: tuple[tuple[str, ...], ...] = ()):
        """``beside``: the score from which it is heard beside a pattern's finding too; ``asked``: from which in
        words said in a question ("what if i took the oxygen off tonight, i want to"); ``aside``: the least, where
        some words were set aside ("i keep my razor blades by the bed, when the back gets bad i use them on
        myself": "back gets bad" is listed); None: never. ``ignored``: the phrases the weights were trained without."""
        self.weights, self.bias, self.threshold, self.beside, self.asked = weights, bias, threshold, beside, asked
        self.aside, self.ignored = aside, ignored

    @classmethod
    def from_dict(cls, data: dict, threshold: float, beside: float | None = None,
                  asked: float | None = None, aside: float | None = None) -> "CrisisModel":
        return cls(data["weights"], float(data["bias"]), threshold, beside, asked, aside,
                   tuple(tuple(p.split()) for p in data.get("ignored", ())))

    def score(self, tokens: Iterable[str]) -> float:
        """How likely, from the words alone, the sentence is a crisis (0 to 1)."""
        weights = self.weights
        return probability(self.bias + sum(weights.get(f, 0.0) for f in features(tokens, self.ignored)))

    def hears_crisis(self, tokens: Iterable[str], beside_finding: bool = False, asked: bool = False,
                     set_aside: bool = False) -> bool:
        least = self.asked if asked else self.beside if beside_finding else self.threshold
        if set_aside:
            least = None if least is None or self.aside is None else max(least, self.aside)
        return least is not None and self.score(tokens) >= least
