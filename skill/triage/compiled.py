"""The compiled rules' shapes: families, patterns, qualifiers, and the findings the engine makes of them."""
from __future__ import annotations

from typing import NamedTuple

from skill.triage.phrases import by_first


class Element(NamedTuple):
    """One element of a pattern group: stems of each alternative phrase; a gap allowance."""

    alternatives: tuple[tuple[str, ...], ...]
    gap: int
    by_first: dict            # first stem (or "=word") -> the alternatives starting with it


def element(alternatives, gap: int) -> Element:
    return Element(alternatives, gap, by_first(alternatives))


class Pattern(NamedTuple):
    text: str
    groups: tuple[tuple[Element, ...], ...]
    window: int | None = None   # None: the engine's; " && " between groups: anywhere in what was said
    firsts: tuple = ()          # per group, the words it can start with: a quick "not said at all"
    negative: bool = True       # it holds a negative word itself ("can't walk"): never negated from inside
    needs: tuple = ()           # first words of each group and of each later element: skip cheaply


class Qualifier(NamedTuple):
    """Words near a finding that move it to another family (higher or lower), as triage protocols do."""

    words: "Phrases"
    to: str
    only: frozenset             # the patterns it applies to (empty: all of the family's)
    after: int                  # how many words after the finding it may stand ("I fell ... but I'm not hurt")
    at: bool = False            # its words end where the finding ends: they are the finding said so ("felt faint")
    before: int = 4             # how many words before the finding ("i LIFTED the basket and now my back ...")


class Family(NamedTuple):
    key: str
    level: str
    answer: str | None          # "crisis", "overdose": an answer of its own
    patterns: tuple[Pattern, ...]
    ids: frozenset
    always: bool                # never negated or hypothetical (crisis words)
    outranks: frozenset         # families this one takes the place of when both are found
    qualifiers: tuple[Qualifier, ...]   # the first that applies decides
    if_resolved: str | None     # the family a finding becomes once it has passed; None: nothing
    temperature_from: tuple[float, float] | None   # (F, C): a reading from here up is this family
    reading_decides: bool       # its word findings give way to a thermometer reading said with them
    reported_only: bool         # said inside a question it is asked about ("can I take two instead of one")
    speaks_second: bool         # its answer follows any other family of its level found with it (911, then 988)
    figurative_only: bool = False   # only figurative speech masks its words, not not_findings ("blood thinner")
    asked_alone: bool = False   # a question asked before doing that names a medicine, nothing else found, is this


class Finding(NamedTuple):
    family: str
    pattern: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False
