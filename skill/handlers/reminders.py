"""The "remind me when I can lift" workflow: offering it, setting, moving and cancelling it, and
the permission Alexa asks for. The Reminders API itself is called through skill.reminders."""
from __future__ import annotations

from datetime import datetime, timezone

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import dialog, reminders, speech, timeline
from skill.clock import device_zone, local_today
from skill.handlers.replies import phrase, reply, storage_down
from skill.handlers.timing import StoredDate, progress
from skill.storage.remember import SESSION, remember_mode


def _reminder_day(p: timeline.Progress):
    """The day the reminder would ring, or None when the six weeks are over (or end today)."""
    return p.lifting_ends if p.days_until_lifting > 0 else None


def offer_reminder_once(handler_input) -> str | None:
    """The reminder offer, to end an answer that told the lifting date.

    Made once a session, and never again for a date the person said no to; nothing
    when the date is not stored, the six weeks are over, or a reminder is already set;
    nothing with RECOVERY_SKILL_REMEMBER=session, where the reminder could not be found again.
    """
    stored = StoredDate(handler_input)
    if stored.day is None or remember_mode() == SESSION:
        return None
    p = progress(handler_input, stored.day)
    session = handler_input.attributes_manager.session_attributes
    record = reminders.stored(handler_input)
    surgery = p.surgery.isoformat()
    if p.days_since < 0 or _reminder_day(p) is None or record.get("token") or surgery in (
        record.get("declined_for"), session.get("reminder_offered")
    ):
        return None
    session["reminder_offered"] = surgery
    return phrase("reminder_offer", date=speech.spoken_date(p.lifting_ends, p.today))


def _make_reminder(handler_input, p: timeline.Progress) -> bool:
    """Set (or keep, or move) the person's reminder for ``p``; whether a new one was made."""
    stamp = handler_input.request_envelope.request.timestamp
    zone = device_zone(handler_input)
    now = (stamp if isinstance(stamp, datetime) and stamp.tzinfo else datetime.now(timezone.utc)).astimezone(zone)
    made, token = reminders.set_for(handler_input, reminders.stored(handler_input).get("token"), _reminder_day(p),
                                    phrase("reminder_text"), now, getattr(zone, "key", None))
    if not reminders.store(handler_input, token=token, declined_for=None):
        if made:  # a reminder nobody can find again would be a duplicate later: take it back
            reminders.delete(handler_input, token)
        raise reminders.Unavailable("the reminder's token could not be stored")
    return made


def set_lifting_reminder(handler_input, *, permission_just_given=False):
    """Set the reminder for the stored date, asking for the permission if Alexa says it is missing."""
    stored = StoredDate(handler_input)
    if not stored.available:
        return storage_down(handler_input)
    if stored.day is None:
        return reply(handler_input, [phrase("reminder_need_date"), phrase("offer_date")], phrase("offer_date"),
                     state=dialog.OFFER_DATE)
    p = progress(handler_input, stored.day)
    if _reminder_day(p) is None:
        return reply(handler_input, [phrase("reminder_past"), phrase("what_else")])
    if reminders.permission_denied(handler_input) and not permission_just_given:
        return ask_reminder_permission(handler_input)
    try:
        made = _make_reminder(handler_input, p)
    except reminders.Unavailable as exc:
        if exc.no_permission:
            return ask_reminder_permission(handler_input, voice=not permission_just_given)
        return reply(handler_input, [phrase("reminder_failed"), phrase("what_else")])
    said = speech.spoken_date(_reminder_day(p), p.today)
    return reply(handler_input, [phrase("reminder_set" if made else "reminder_already", date=said), phrase("what_else")])


def decline_reminder(handler_input):
    """No to the offer: not offered again for this date."""
    stored = StoredDate(handler_input)
    if stored.day is not None:
        reminders.store(handler_input, declined_for=stored.day.isoformat())
    return reply(handler_input, [phrase("reminder_declined"), phrase("what_else")])


def ask_reminder_permission(handler_input, *, voice=True):
    """Alexa's voice permission request (once a session); else the consent card in the Alexa app."""
    session = handler_input.attributes_manager.session_attributes
    if voice and not session.get("reminder_permission_asked"):
        session["reminder_permission_asked"] = True
        for key in ("state", "topic", "pending_date", "pending_year", "pending_month"):
            session.pop(key, None)
        # Alexa speaks the question itself; the answer comes back as a Connections.Response request.
        return handler_input.response_builder.add_directive(reminders.ask_permission_directive()).response
    response = reply(handler_input, [phrase("reminder_permission_card"), phrase("what_else")])
    response.card = reminders.consent_card()
    return response


def move_reminder(handler_input, p: timeline.Progress) -> str:
    """After the date changed: the reminder follows it, or goes when the new six weeks are over."""
    token = reminders.stored(handler_input).get("token")
    if not token:
        return ""
    try:
        if _reminder_day(p) is None:
            reminders.delete(handler_input, token)
            reminders.store(handler_input, token=None)
            return phrase("reminder_removed")
        _make_reminder(handler_input, p)
    except reminders.Unavailable:
        return phrase("reminder_not_moved")
    return phrase("reminder_moved", date=speech.spoken_date(_reminder_day(p), p.today))


def cancel_reminder_with_date(handler_input) -> str:
    """Before the date is forgotten: its reminder goes too ('' when there was none)."""
    token = reminders.stored(handler_input).get("token")
    if not token:
        return ""
    try:
        reminders.delete(handler_input, token)
    except reminders.Unavailable:
        return phrase("reminder_cancel_failed")
    return phrase("reminder_removed")


class RemindMeHandler(AbstractRequestHandler):
    """"Remind me when I can lift again"."""

    def can_handle(self, handler_input):
        return is_intent_name("RemindMeIntent")(handler_input)

    def handle(self, handler_input):
        return set_lifting_reminder(handler_input)


class ReminderPermissionHandler(AbstractRequestHandler):
    """Alexa's answer to the voice permission request: accepted, denied, or not answered."""

    def can_handle(self, handler_input):
        return reminders.answers_ask_for(handler_input, (reminders.ASK_FOR_TOKEN, None, ""))

    def handle(self, handler_input):
        answer = reminders.permission_answer(handler_input, "reminder")
        if answer == "ACCEPTED":
            return set_lifting_reminder(handler_input, permission_just_given=True)
        if answer == "DENIED":
            return reply(handler_input, [phrase("reminder_permission_denied"), phrase("what_else")])
        return ask_reminder_permission(handler_input, voice=False)


class CancelReminderHandler(AbstractRequestHandler):
    """"Cancel my reminder": the speaker's own reminder, never another voice's on the same account."""

    def can_handle(self, handler_input):
        return is_intent_name("CancelReminderIntent")(handler_input)

    def handle(self, handler_input):
        if not StoredDate(handler_input).available:
            return storage_down(handler_input)
        token = reminders.stored(handler_input).get("token")
        if not token:
            return reply(handler_input, [phrase("reminder_nothing_to_cancel"), phrase("what_else")])
        try:
            reminders.delete(handler_input, token)
        except reminders.Unavailable:
            return reply(handler_input, [phrase("reminder_cancel_failed"), phrase("what_else")])
        reminders.store(handler_input, token=None)
        return reply(handler_input, [phrase("reminder_cancelled"), phrase("what_else")])


class ReminderStatusHandler(AbstractRequestHandler):
    """"Do I have a reminder": the speaker's reminder, as Alexa's reminders have it now."""

    def can_handle(self, handler_input):
        return is_intent_name("ReminderStatusIntent")(handler_input)

    def handle(self, handler_input):
        if not StoredDate(handler_input).available:
            return storage_down(handler_input)
        token = reminders.stored(handler_input).get("token")
        day = None
        if token:
            try:
                day = reminders.day_of(handler_input, token)
            except reminders.Unavailable:
                return reply(handler_input, [phrase("reminder_check_failed"), phrase("what_else")])
        if day is not None:
            said = speech.spoken_date(day, local_today(handler_input))
            return reply(handler_input, [phrase("reminder_status_yes", date=said), phrase("what_else")])
        if token:
            reminders.store(handler_input, token=None)  # it rang, or was deleted in the Alexa app
        return reply(handler_input, [phrase("reminder_status_no"), phrase("what_else")])
