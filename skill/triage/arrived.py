"""Context said between a trigger and a finding that brings it back to here and now: a terminator ("but",
"this time", "this is worse"), one named far off said come here ("is here", "flew in"), or the speaker said
as now just before the sign ("... on the phone and i told him i can't breathe")."""
from __future__ import annotations

from skill.text import PUNCTUATION


def last_person(rules, stems, start: int, end: int) -> int | None:
    """Where the person named nearest before ``end`` (from ``start``) stands: one of ``context.people`` or the
    speaker (``context.self``); None when no one is named."""
    return next((k for k in range(end - 1, start - 1, -1) if stems[k] in rules.people or stems[k] in rules.self_words),
                None)


class Arrived:
    """The arrival and terminator half of :class:`skill.triage.context.Context`."""

    def _stopped(self, said, start: int, end: int) -> bool:
        """A terminator (``context.terminators``) between ``start`` and ``end``: punctuation, a word not part of a
        pseudo-trigger ("still", not "lying still"), or one of more than one word ("this time", "this is worse"):
        "my first surgery in 2012 went fine, this time the incision is pouring"."""
        return any(said.stems[k] in PUNCTUATION or said.stems[k] in self.context_stops and k not in said.context_pseudo
                   for k in range(start, end)) or any(start <= i < end for i, _ in said.found["context_stop_phrases"])

    def _here_now(self, said, kind: str, j: int, lo: int) -> bool:
        """Someone of the house (``here``) named just before the finding, after another person, a pet or a place
        far off ("the mayor collapsed and my husband collapsed"); or one named far off or from a programme said
        come here (``far.arrived``) between the trigger and the finding: "my son who lives in texas is home for
        the holidays and he fell", "my pen pal from england is right here with her lips swelling"; one far off
        also when said come here after the finding ("my daughter told me her husband collapsed, he's here with us")."""
        if j > lo:
            return False
        if kind in ("other", "far", *self.story_here_kinds) and self.here.find(said.stems[max(j, lo - self.here_reach):lo]):
            return True
        return kind in ("other", "far", "fiction") and any(
            j <= i and (i < lo or kind == "far") for i, _ in said.found["arrived"])

    def _arrivals(self, said, kind: str, lo: int) -> list[int]:
        """Where one said come here (``far.arrived``) breaks a story of a place or a programme, before the finding
        at ``lo`` (of a place, after it too: "... told me her husband collapsed, he's here with us"); never one of
        the past ("in 2010 my son came to visit and fell" stays a story)."""
        return [] if kind in self.story_past_kinds else [
            i for i, _ in said.found["arrived"] if i < lo or kind == "far"]

    def _self_now(self, stems, j: int, lo: int) -> bool:
        """The speaker is the last person named between a place far off and the finding, just before it (within the
        story's ``reach``), said as now: a report of their own, told to the one far off ("... on the phone and i told
        him i can't get my breath", "... i told her i fell and can't get up")."""
        k = last_person(self, stems, j, lo)
        return k is not None and stems[k] in self.self_words and lo - k <= self.story_present_reach and (
            self.said_now(stems, k + 1) or self._present_at(stems, lo))

    def _present_at(self, stems, lo: int) -> bool:
        """The finding said in a present form, in it or just before it: "isn't moving", "is not breathing"."""
        return stems[lo] in self.story_present or (lo > 0 and stems[lo - 1] in self.story_present)

    def _house(self, said, kind: str) -> list[int]:
        """Where someone of the house (``context.here``: "mom", "my husband", "and i") is named: a break of a story
        of a kind in ``story.here_kinds`` (the speaker's work: "i'm a nurse and mom collapsed" is mom, now)."""
        return [i for i, _ in self.here.find(said.stems)] if kind in self.story_here_kinds else []

    def _joined_self(self, stems, kind: str, j: int, lo: int) -> bool:
        """A sign joined on with no subject of its own (``other.joins``) after the speaker's work, no one named
        between: the speaker's ("i'm a nurse AND collapsed")."""
        return (kind in self.story_here_kinds and 0 < lo and j <= lo and stems[lo - 1] in self.other_joins
                and not self._person_between(stems, j, lo))
