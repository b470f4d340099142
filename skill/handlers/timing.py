"""The person's surgery date as stored, and the sentences that say where they are in recovery.

Every handler that speaks of time since surgery (topics, symptoms, the date itself, the
reminder) reads the date through :class:`StoredDate`, which remembers whether storage
answered at all, so a store that is down is said as such, never as "no date".
"""
from __future__ import annotations

import logging
from datetime import date

from ask_sdk_core.exceptions import PersistenceException

from skill import speech, timeline
from skill.clock import local_today
from skill.handlers.replies import content, timing_phrase
from skill.storage.remember import forget_all, remember, remembered

log = logging.getLogger(__name__)


class StoredDate:
    """The person's surgery date from storage, remembering whether storage answered at all."""

    def __init__(self, handler_input):
        self.available = True
        self.day: date | None = None
        try:
            value = remembered(handler_input).get("surgery_date")
        except (PersistenceException, AttributeError) as exc:
            log.warning("storage unavailable while reading (%s)", type(exc).__name__)
            self.available = False
            return
        self.day = iso_date(value)
        if value and self.day is None:
            log.warning("stored surgery date unreadable: treated as no date")


def iso_date(value) -> date | None:
    """A date from stored or session data, or None for anything else (never an exception)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def save_date(handler_input, day: date) -> bool:
    try:
        remember(handler_input, surgery_date=day.isoformat())  # the store, or the session only
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while saving (%s)", type(exc).__name__)
        return False


def forget_date(handler_input) -> bool:
    try:
        forget_all(handler_input)
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while deleting (%s)", type(exc).__name__)
        return False


def progress(handler_input, day: date) -> timeline.Progress:
    timing = content().timing
    return timeline.Progress(
        today=local_today(handler_input),
        surgery=day,
        lifting_weeks=timing["lifting_weeks"],
        pain_weeks=timing["pain_weeks"],
    )


def since_sentence(p: timeline.Progress) -> str:
    when = speech.spoken_date(p.surgery, p.today)
    if p.days_since > 0:
        return timing_phrase("since", since=speech.spoken_span(p.days_since), surgery_date=when)
    if p.days_since == 0:
        return timing_phrase("surgery_today", surgery_date=when)
    return timing_phrase("surgery_ahead", until=speech.spoken_span(-p.days_since), surgery_date=when)


def lifting_sentence(p: timeline.Progress) -> str:
    if p.days_since < 0:
        return timing_phrase("lifting_ahead")
    ends = speech.spoken_date(p.lifting_ends, p.today)
    if p.days_until_lifting > 0:
        return timing_phrase("lifting_wait", left=speech.spoken_span(p.days_until_lifting), date=ends)
    return timing_phrase("lifting_done", date=ends)


def pain_sentence(p: timeline.Progress) -> str:
    if p.days_since < 0:
        return ""
    if p.within_pain_window:
        return timing_phrase("pain_inside", date=speech.spoken_date(p.pain_eases, p.today))
    return timing_phrase("pain_after")


def timing_parts(handler_input, sentences) -> list[str]:
    stored = StoredDate(handler_input)
    if not stored.available:
        return [timing_phrase("storage_down")]
    if stored.day is None:
        return [timing_phrase("no_date")]
    p = progress(handler_input, stored.day)
    return [make(p) for make in sentences]
