"""Numbers in what was said: thermometer readings (a figure near a fever word or a unit, weighed by the
sentence's context like any finding, then named by the family whose threshold it reaches), and the years
and ages that date a story ("in ninety nine", "a stroke at 62")."""
from __future__ import annotations

from skill.triage.compiled import Finding

# Contexts that set a reading aside: another time, someone or something else, a programme, explained or passed.
SET_ASIDE = ("historical", "other", "fiction", "explained", "resolved")


class Readings:
    """The numbers half of :class:`skill.triage.Triage` (a reading's context comes from :class:`Context`)."""

    def short_year(self, stems, i: int) -> bool:
        """A two-figure year said after "in" ("in ninety nine", "in oh four"), not a quantity ("in 90 minutes")."""
        w = stems[i]   # one figure only after "back in" ("my back in 2 places": a back); "oh four" is heard "04"
        spoken = w.isdigit() and (len(w) == 1 and i > 1 and stems[i - 2] == "back" and (
            i < 3 or stems[i - 3] not in self.story_owners) or len(w) == 2 and (int(w) >= 30 or w[0] == "0"))
        return spoken and i > 0 and stems[i - 1] in self.short_year_after and self._no_unit_after(stems, i)

    def bare_year(self, stems, i: int) -> bool:
        """A four-figure year said bare in a fragment, after the thing it dates ("blood transfusion 1985",
        "kidney stone 2016 worst pain ever"), not a quantity ("took 2000", "2000 steps", "it's 1960")."""
        w = stems[i]
        return (len(w) == 4 and w.isdigit() and 1900 <= int(w) <= 2099 and i > 0
                and stems[i - 1] not in self.year_after and stems[i - 1] not in self.bare_year_not_after
                and stems[i - 1].raw not in self.bare_year_not_after and not stems[i - 1].isdigit()
                and self._no_unit_after(stems, i))

    def said_age(self, stems, i: int) -> bool:
        """A two-figure age said after "at" ("a stroke at 62"), not a reading ("my oxygen is at 85",
        "at 90 degrees")."""
        w = stems[i]
        return (len(w) == 2 and w.isdigit() and int(w) >= 15 and i > 0 and stems[i - 1] in self.age_after
                and (i < 2 or stems[i - 2] not in self.not_age_before) and self._no_unit_after(stems, i))

    def _no_unit_after(self, stems, i: int) -> bool:
        """No unit or quantity word follows the number at ``i`` ("in 90 minutes", "2000 steps", "85 percent"):
        a year or an age, not a reading."""
        return i + 1 == len(stems) or (stems[i + 1] not in self.not_temperature_after
                                       and stems[i + 1].raw not in self.not_temperature_after
                                       and stems[i + 1].raw not in self.reading_units)

    def _temperatures(self, toks, stems, masked, said) -> list[Finding]:
        """Thermometer readings said near a fever word (or alone, when only a fever fits), each named by
        the family whose threshold it reaches; ``family`` None for a normal reading."""
        if not self.readings:
            return []
        found = []
        words_at = [i for i, _ in self.reading_words.find(stems)]
        fever_at = [i for i in words_at if i not in masked]
        # a fever word masked as a figure ("phoenix is running a fever of 103"): its figure is the weather's
        figure_at = [i for i in words_at if i in masked]
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
            if not any(abs(i - j) <= 6 for j in near) and (any(0 < i - j <= 6 for j in figure_at)
                                                            or not self._bare_temperature(toks, i, value)):
                continue
            if scale is None or self._context(said, [(i, i + 1)]) in SET_ASIDE:
                continue
            family = next((f.key for f in self.readings if value >= f.temperature_from[scale]), None)
            if family:
                family = self._qualified(self.by_key[family], "", stems, [(i, i + 1)], said)
                if self._settled(said, [(i, i + 1)], family):
                    continue          # a reading corrected: "the battery was dying, the new one says 98"
            found.append(Finding(family, f"temperature {tok}", i, i + 1))
        return found

    def _pulses(self, toks, stems, said) -> list[Finding]:
        """Heart rates read out by a machine ("my watch says my heart is at one fifty"): a racing heart, the
        ``pulse`` family's, however calmly said, unless the clause is about another time or someone else."""
        figures = [i for i, tok in enumerate(toks) if tok.isdigit() and self.pulse_from <= int(tok) <= 250]
        if not (self.pulse_family and figures):
            return []         # most sentences say no such figure: no pulse words looked for
        ends = [i + len(phrase) for i, phrase in self.pulse_words.find(stems)]   # "heart rate" is no finding alone
        return [Finding(self.pulse_family, f"pulse {toks[i]}", i, i + 1) for i in figures
                if any(0 <= i - e < self.pulse_within for e in ends)
                and not (i + 1 < len(toks) and toks[i + 1] in self.pulse_not_after)
                and self._context(said, [(i, i + 1)]) not in SET_ASIDE]

    def _bare_temperature(self, toks, i: int, value: float) -> bool:
        """A figure said alone that can only be a fever: "she's got a hundred and three"."""
        if i + 1 < len(toks) and toks[i + 1] in self.not_temperature_after:
            return False
        if i and toks[i - 1] in self.not_temperature_before:
            return False
        before = toks[max(0, i - 6):i]
        joins = [k for k, t in enumerate(before) if t in self.not_temperature_clause]
        if any(t in self.not_temperature_of for t in before[joins[-1] + 1 if joins else 0:]):
            return False          # a sugar, a weight or a heat index read out, in the figure's own clause
        return 100 <= value <= 108 or ("." in toks[i] and (37.5 <= value <= 43 or 99.5 <= value < 100))
