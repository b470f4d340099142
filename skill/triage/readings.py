"""Thermometer readings in what was said: a figure near a fever word or a unit, weighed by the
sentence's context like any finding, then named by the family whose threshold it reaches."""
from __future__ import annotations

from skill.triage.model import Finding


class Readings:
    """The temperature half of :class:`skill.triage.Triage` (its context comes from :class:`Context`)."""

    def _temperatures(self, toks, stems, masked, said) -> list[Finding]:
        """Thermometer readings said near a fever word (or alone, when only a fever fits), each named by
        the family whose threshold it reaches; ``family`` None for a normal reading."""
        if not self.readings:
            return []
        found = []
        fever_at = [i for i, _ in self.reading_words.find(stems) if i not in masked]
        unit_at = [i for i, t in enumerate(toks) if t in self.reading_units]
        celsius_at = [i for i, t in enumerate(toks) if t in self.celsius_units]   # the locale's (words.yaml)
        for i, tok in enumerate(toks):
            try:
                value = float(tok)
            except ValueError:
                continue
            scale = 0 if 90 <= value <= 110 else 1 if 34 <= value <= 44 else None
            # a Celsius figure needs a fever word, or a unit that says Celsius where the person lives
            near = fever_at + (celsius_at if scale == 1 else unit_at)
            if not any(abs(i - j) <= 6 for j in near) and not self._bare_temperature(toks, i, value):
                continue
            if scale is None or self._context(said, [(i, i + 1)]) in ("historical", "other", "fiction", "explained", "resolved"):
                continue
            family = next((f.key for f in self.readings if value >= f.temperature_from[scale]), None)
            if family:
                family = self._qualified(self.by_key[family], "", stems, [(i, i + 1)], said)
                if self._settled(said, [(i, i + 1)], family):
                    continue          # a reading corrected: "the battery was dying, the new one says 98"
            found.append(Finding(family, f"temperature {tok}", i, i + 1))
        return found

    def _bare_temperature(self, toks, i: int, value: float) -> bool:
        """A figure said alone that can only be a fever: "she's got a hundred and three"."""
        if i + 1 < len(toks) and toks[i + 1] in self.not_temperature_after:
            return False
        if i and toks[i - 1] in self.not_temperature_before:
            return False
        return 100 <= value <= 108 or ("." in toks[i] and (37.5 <= value <= 43 or 99.5 <= value < 100))
