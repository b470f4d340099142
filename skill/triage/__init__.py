"""Symptom triage: sorts a person's own words into a clinical red-flag family and its level.

Plain Python on purpose (no Alexa SDK, no files): the families, word classes and the
negation and hypothetical rules come from ``content/triage.yaml`` through
:mod:`skill.content`, so a clinician reviews the rules and this module only decides how
words are matched. The design follows NegEx and medspaCy's ConText (a trigger, its
direction and its scope, pseudo-triggers and terminators), on plain word lists.

Over-warning is the safe mistake: a negated or hypothetical emergency is never dropped
silently (it comes back in :attr:`Verdict.mentioned`, for the "if you do get ..." line).

The package: :mod:`.model` (levels, the verdict), :mod:`.compiled` (families, patterns and
findings), :mod:`.phrases` (finding listed phrases), :mod:`.rules` (compiling triage.yaml),
:mod:`.context` (negation, hypotheticals, ConText, thermometer readings), :mod:`.crisis_model` (crisis
words no pattern names, heard from word weights) and :mod:`.engine` (classifying a sentence). Words are
read by :mod:`skill.text`.
"""
from __future__ import annotations

from skill.triage.model import (
    DOCTOR, EMERGENCY, EXPECTED, LEVELS, MEDICINE, NOT_HEALTH, UNKNOWN, URGENT, Verdict,
)
from skill.triage.phrases import is_word_class, word_classes

__all__ = ["DOCTOR", "EMERGENCY", "EXPECTED", "LEVELS", "MEDICINE", "NOT_HEALTH", "UNKNOWN", "URGENT",
           "Triage", "Verdict", "is_word_class", "word_classes"]


def __getattr__(name: str):
    """``Triage``, imported when first asked for: the engine's code is a tenth of a Lambda cold start, and the
    levels and the verdict (all the handlers name) need none of it."""
    if name == "Triage":
        from skill.triage.engine import Triage

        return Triage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
