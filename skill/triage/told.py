"""A sign told as past, then its harmless cause found or corrected after it ("my chest felt tight but the er did
the tests and it was just heartburn"): the told-past half of :class:`skill.triage.context.Context`."""
from __future__ import annotations

from skill.text import PUNCTUATION
from skill.triage.phrases import covered


class Told:
    """Whether a finding is told as past, and then explained by a cause found or corrected after it."""

    def _past_then_cause(self, said, lo: int, hi: int, strict: bool, resolutions, clear=False) -> bool:
        """A sign told as past, then its harmless cause found or corrected (``settled.checked``: "my chest felt
        tight but the er did the tests and it was just heartburn"), and no word of now after it outside a
        resolution ("its his hay fever, now hes blue"); with ``clear`` (``found_clear_for``) also a check found
        clear (``found_clear``: "the scan was clear"). A guess just before the cause ("probably") or a measure
        ("a bit", whose stem is "biting"'s) names none; nor, for a ``strict`` family, does a feeling."""
        stems = said.stems
        if not self._told_past(stems, lo, hi) or any(
                w in self.told_then and not any(a <= k < b for a, b in resolutions) for k, w in enumerate(stems) if k >= hi):
            return False
        measures = covered(said.settled["not_cause"])
        return any(i >= hi and not (self.told_guess.intersection(stems[max(hi, i - 4):i])
                                    or measures.intersection(range(i, i + len(p)))
                                    or strict and self.feelings.intersection(stems[i:i + len(p)]))
                   for i, p in said.settled["checked"] + (said.settled["found_clear"] if clear else []))

    def _checked_clear(self, said, span, family: str) -> bool:
        """A chest, faint or fever sign (``settled.found_clear_lowers``) told as past, then a check that found it
        clear or found its cause, by someone who checks (``settled.checked_by``: "my chest felt tight last night,
        the er ran tests and all normal"), and no word of now after: it was seen and has not come back, so the
        doctor hears of it, not 911."""
        if family not in self.found_clear_lowers:
            return False
        lo, hi = min(s for s, _ in span), max(e for _, e in span)
        if not any(i >= hi for i, _ in said.settled["checked_by"]):
            return False              # "the chest pain was my ribs", "we said it was low sugar": no one checked
        resolutions = [(i, i + len(p)) for i, p in said.settled["resolution"]]
        return self._past_then_cause(said, lo, hi, True, resolutions, clear=True)

    def _told_past(self, stems, lo: int, hi: int) -> bool:
        """The finding at ``lo:hi`` is told in the past in its clause (``settled.told``): a past form ("was",
        "felt", "had") up to three words either side of it, or in it, and no form of now ("is", "hurts")."""
        start = lo
        while start > 0 and lo - start < 3 and stems[start - 1] not in PUNCTUATION:
            start -= 1
        end = hi
        while end < len(stems) and end - hi < 3 and stems[end] not in PUNCTUATION:
            end += 1
        words = stems[start:end]
        return any(w in self.told_past for w in words) and not any(w in self.told_now for w in words)
