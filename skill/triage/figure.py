"""A figure of speech (``context.figurative``): a sign said of a thing, hedged ("the price of eggs NEARLY made
me faint"), given to no one but "me", "you", "anyone". The speaker may also tell it of themself, hedged at
once, after a thing only money is (``self_things``: "when they told me the price i NEARLY fainted"); never
after news or a game ("the news came on and i nearly fainted" stays a sign), nor unhedged ("... and i fainted")."""
from __future__ import annotations


def figure_holds(rules, stems, thing: tuple, j: int, lo: int, hi: int) -> bool:
    """The figure said from ``thing`` (ending at ``j``) holds for the finding at ``lo``..``hi``."""
    if not (j <= lo and rules.figure_hedges.find(stems[j - len(thing):hi])):
        return False
    for k in range(j, lo):
        w = stems[k]
        if w in rules.people and w not in rules.figure_said_to and not (
                thing in rules.figure_self_things and w in rules.self_words
                and any(at == 0 for at, _ in rules.figure_self_hedges.find(stems[k + 1:hi]))):
            return False
    return True
