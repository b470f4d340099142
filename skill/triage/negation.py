"""NegEx's post-negation: a denial said after the sign ("my chest feels fine", "his speech is normal").

Only a sign named bare (``negation.backward.signs``: a part or a function, never a complaint) is denied,
by a trigger that ends its clause with only ``links`` words ("feels", "is") between; never in a question
("is my chest ok") nor before a turn ("... but", "... when i stand"): when in doubt, the alarm stays."""
from __future__ import annotations

from skill.text import PUNCTUATION


def denied_after(said, span, words: dict, stops: frozenset, skippable: frozenset) -> bool:
    """A backward trigger (``said.backward``: [(position, phrase)]) denies the finding said at ``span``; the
    clause may go on with a denial ("my chest feels fine today no pain or pressure")."""
    stems, triggers = said.stems, said.backward
    denials = {i for i, _ in said.negations if i not in said.negation_pseudo}
    lo, hi = min(s for s, _ in span), max(e for _, e in span)
    if any(w not in words["signs"] and w not in skippable for w in stems[lo:hi]):
        return False          # a complaint said fine ("my chest pain is fine") is no denial
    start = max([k + 1 for k in range(lo) if stems[k] in PUNCTUATION or stems[k] in stops] or [0])
    if stems[start] in words["question_openers"]:
        return False          # "is my chest ok": asked
    for i, phrase in triggers:
        end = i + len(phrase)
        while end < len(stems) and stems[end] in words["closers"]:
            end += 1
        if (i >= hi and all(w in words["links"] for w in stems[hi:i])
                and (end == len(stems) or stems[end] in PUNCTUATION or stems[end] in stops or end in denials
                     or tuple(stems[end:end + 2]) in words["next_clauses"])
                and not any(w in words["blockers"] and not _calm(stems, k, words)
                            for k, w in enumerate(stems[end:], end))):
            return True
    return False


def _calm(stems, k: int, words: dict) -> bool:
    """An "and" that goes on with a calm word is no turn: "he's breathing normal and wide awake"."""
    return stems[k] == "and" and k + 1 < len(stems) and stems[k + 1] in words["calm"]
