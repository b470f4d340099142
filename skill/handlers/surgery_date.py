"""The surgery date: said (any AMAZON.DATE or AMAZON.DURATION form, read back before it is
stored), asked for, and forgotten; and what yes and no mean to the date's questions (skill.dialog)."""
from __future__ import annotations

from datetime import date

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import dialog, speech, timeline
from skill.clock import local_today
from skill.handlers.reminders import cancel_reminder_with_date, move_reminder, offer_reminder_once
from skill.handlers.replies import SET_DATE_INTENT, elicit_date, phrase, reply, storage_down
from skill.handlers.timing import (StoredDate, forget_date, iso_date, lifting_sentence, progress, save_date,
                                   since_sentence)
from skill.slots import slot_value


class SetSurgeryDateHandler(AbstractRequestHandler):
    """Reads any AMAZON.DATE or AMAZON.DURATION form, then reads the date back before storing it."""

    def can_handle(self, handler_input):
        return is_intent_name(SET_DATE_INTENT)(handler_input)

    def handle(self, handler_input):
        today = local_today(handler_input)
        session = handler_input.attributes_manager.session_attributes
        duration = slot_value(handler_input, "duration")
        said = slot_value(handler_input, "date")
        if duration and timeline.is_under_a_day(duration):
            # "I keeled over a few minutes ago": something that just happened, not the surgery date.
            return reply(handler_input, [phrase("just_happened"), phrase("ask_date_again")])
        if duration:
            day = timeline.date_from_duration_ago(duration, today)
            if day is None:
                return elicit_date(handler_input, [phrase("date_unclear")])
            return confirm_date(handler_input, day, today)
        if not said:
            return elicit_date(handler_input, [phrase("ask_date")])
        reading = timeline.read_date(said, today)
        pending = _pending_month(session)
        if pending and reading.kind == "day" and timeline.is_next_such_day(said, today):
            # "the tenth", answering "which day in November?": Alexa sent the next tenth.
            reading = timeline.day_in_month(*pending, reading.day.day, today)
        if reading.kind == "day":
            return confirm_date(handler_input, reading.day, today)
        if reading.kind == "week":
            return confirm_date(handler_input, reading.day, today, week_start=reading.week_start)
        if reading.kind == "month":
            return elicit_date(
                handler_input,
                [phrase("ask_day", month=speech.month_name(reading.month))],
                state=dialog.ASK_DAY,
                extra={"pending_year": reading.year, "pending_month": reading.month},
            )
        keep = ({"state": dialog.ASK_DAY, "extra": {"pending_year": pending[0], "pending_month": pending[1]}}
                if pending else {})
        if reading.kind == "too_far":
            return elicit_date(handler_input, [phrase("date_too_far"), phrase("ask_date")], **keep)
        return elicit_date(handler_input, [phrase("date_unclear")], **keep)


def _pending_month(session) -> tuple[int, int] | None:
    """(year, month) the person gave when the skill asked which day; None if absent or garbled."""
    year, month = session.get("pending_year"), session.get("pending_month")
    if session.get("state") == dialog.ASK_DAY and isinstance(year, int) and isinstance(month, int) and 1 <= month <= 12:
        return year, month
    return None


def confirm_date(handler_input, day: date, today: date, week_start: date | None = None):
    spoken = speech.spoken_date(day, today)
    parts = []
    if week_start is not None:
        parts.append(phrase("week_read_back", week_start=speech.spoken_date(week_start, today), surgery_date=spoken))
        question = phrase("is_that_right")
    else:
        question = phrase("confirm_date", surgery_date=spoken)
    if day > today:
        parts.append(phrase("future_date"))
    parts.append(question)
    return reply(handler_input, parts, question, state=dialog.CONFIRM_DATE, extra={"pending_date": day.isoformat()})


class GetSurgeryDateHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("GetSurgeryDateIntent")(handler_input)

    def handle(self, handler_input):
        stored = StoredDate(handler_input)
        if not stored.available:
            return storage_down(handler_input)
        if stored.day is None:
            return reply(handler_input, [phrase("no_date_stored"), phrase("offer_date")], phrase("offer_date"),
                         state=dialog.OFFER_DATE)
        p = progress(handler_input, stored.day)
        if offer := offer_reminder_once(handler_input):
            return reply(handler_input, [since_sentence(p), lifting_sentence(p), offer], offer,
                         state=dialog.OFFER_REMINDER)
        return reply(handler_input, [since_sentence(p), lifting_sentence(p), phrase("what_else")])


class ForgetSurgeryDateHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ForgetSurgeryDateIntent")(handler_input)

    def handle(self, handler_input):
        stored = StoredDate(handler_input)
        if not stored.available:
            return storage_down(handler_input)
        if stored.day is None:
            return reply(handler_input, [phrase("nothing_to_forget"), phrase("what_else")])
        return reply(handler_input, [phrase("confirm_forget")], phrase("confirm_forget"), state=dialog.CONFIRM_FORGET)


# ---------------------------------------------------------------- yes and no to the date's questions


def ask_for_date(handler_input):
    """Yes to "would you like me to remember the date?": Alexa's dialog asks for it."""
    return elicit_date(handler_input, [phrase("ask_date")])


def save_confirmed_date(handler_input):
    """Yes to the date read back: stored, with where the person is now and the reminder moved or offered."""
    session = handler_input.attributes_manager.session_attributes
    today = local_today(handler_input)
    day = iso_date(session.get("pending_date"))
    if day is None:
        return elicit_date(handler_input, [phrase("date_unclear")])
    if not save_date(handler_input, day):
        return reply(handler_input, [phrase("date_not_saved"), phrase("what_else")])
    p = progress(handler_input, day)
    parts = [phrase("date_saved", surgery_date=speech.spoken_date(day, today)), since_sentence(p)]
    parts.append(lifting_sentence(p))
    parts.append(move_reminder(handler_input, p))
    if offer := offer_reminder_once(handler_input):
        return reply(handler_input, parts + [offer], offer, state=dialog.OFFER_REMINDER)
    return reply(handler_input, parts + [phrase("what_else")])


def ask_date_again(handler_input):
    """No to the date read back: asked for again."""
    return elicit_date(handler_input, [phrase("all_right"), phrase("ask_date")])


def forget_confirmed(handler_input):
    """Yes to "shall I forget it?": the reminder goes first, then every record of the speaker."""
    cancelled = cancel_reminder_with_date(handler_input)
    if not forget_date(handler_input):
        return storage_down(handler_input)
    return reply(handler_input, [phrase("forgotten"), cancelled, phrase("what_else")])


def keep_date(handler_input):
    """No to "shall I forget it?"."""
    return reply(handler_input, [phrase("forget_kept"), phrase("what_else")])
