"""What triage reports: the levels and the verdict (all the handlers need; the engine's own shapes are in
:mod:`.compiled`, imported only with the engine)."""
from __future__ import annotations

from typing import NamedTuple

EMERGENCY = "emergency"
URGENT = "urgent"
MEDICINE = "medicine"
DOCTOR = "doctor"
EXPECTED = "expected"
UNKNOWN = "unknown"          # health words, but no family: the cautious answer
NOT_HEALTH = "not_health"    # no symptom, body part, medicine or injury named at all

# Highest first: the first level with a finding decides (telephone triage's dispositions, worst first).
LEVELS = (EMERGENCY, URGENT, MEDICINE, DOCTOR, EXPECTED)


class Verdict(NamedTuple):
    """What triage decided, and the words that decided it (for logs, tests and the console)."""

    level: str
    matched: tuple[str, ...] = ()
    family: str | None = None
    mentioned: tuple[str, ...] = ()      # emergency families denied or only asked about
    families: tuple[str, ...] = ()       # every family found, worst first (911 and 988 both said)


