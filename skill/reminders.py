"""The lifting reminder: one Alexa reminder, at 10 a.m. on the day the six weeks end.

Talks to the Alexa Reminders API only through ask-sdk's service client
(``handler_input.service_client_factory.get_reminder_management_service()``),
which takes the request's apiEndpoint and apiAccessToken; the skill's ApiClient
(:class:`skill.clock.TimeoutApiClient`) puts a timeout on every call. Every
failure becomes :class:`Unavailable`, so handlers always have something to say.

A person's reminder is the one whose token is stored in their record (next to
the surgery date, under ``reminder``), never simply "the skill's reminders" the
API lists: those are the whole account's, and on a shared Echo another voice
profile may have its own. Keeping to that one token is what keeps duplicates
out (a reminder whose token could not be stored is deleted again). The record
holds that token, or the surgery date the person declined a reminder for, so
the offer is not made again for that date.
"""
from __future__ import annotations

import logging
import sys
from datetime import date, datetime, time

from ask_sdk_core.exceptions import PersistenceException

from skill import logsafe
from skill.storage.remember import remember, remembered

log = logging.getLogger(__name__)

SCOPE = "alexa::alerts:reminders:skill:readwrite"
HOUR = 10  # 10 a.m. where the device is
STORED_KEY = "reminder"
ASK_FOR_TOKEN = "lifting-reminder"


def _patch_sdk_model() -> None:
    """ask-sdk-model 1.82 names a module that does not exist for a reminder's spokenInfo
    (alexa/alexa-apis-for-python#4), so listing reminders fails to deserialize.
    The class it means is ``spoken_info.SpokenInfo``: register it under the missing name."""
    missing = "ask_sdk_model.services.reminder_management.alert_info_spoken_info"
    if missing not in sys.modules:
        try:
            __import__(missing)
        except ImportError:
            from ask_sdk_model.services.reminder_management import spoken_info

            sys.modules[missing] = spoken_info


class Unavailable(Exception):
    """The Reminders API could not do it: no permission, an error, or no answer in time."""

    def __init__(self, message: str, no_permission: bool = False):
        super().__init__(message)
        self.no_permission = no_permission


def reminder_time(day: date) -> datetime:
    """When the reminder rings, in the device's local time (the API takes the zone apart)."""
    return datetime.combine(day, time(HOUR))


def permission_denied(handler_input) -> bool:
    """Whether the request says the person has not allowed this skill's reminders (absent: not known)."""
    user = getattr(handler_input.request_envelope.context.system, "user", None)
    scopes = getattr(getattr(user, "permissions", None), "scopes", None) or {}
    status = getattr(scopes.get(SCOPE), "status", None)
    status = getattr(status, "value", status)
    return status is not None and status != "GRANTED"


def ask_permission_directive(scope: str = SCOPE, token: str = ASK_FOR_TOKEN):
    """Alexa asks the person, by voice, to allow reminders (or another ``scope``, its answer told apart by
    ``token``); the answer comes back as Connections.Response."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    return SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": scope, "consentLevel": "ACCOUNT"}],
        },
        token=token,
    )


def answers_ask_for(handler_input, tokens: tuple) -> bool:
    """Whether the request is Alexa's answer to an ask_permission_directive sent with one of these tokens."""
    request = handler_input.request_envelope.request
    return (getattr(request, "object_type", None) == "Connections.Response" and getattr(request, "name", None) == "AskFor"
            and getattr(request, "token", None) in tokens)


def permission_answer(handler_input, what: str) -> str:
    """The person's answer to that AskFor: "ACCEPTED", "DENIED", or "NOT_ANSWERED" (any other status or
    code); logged as the ``what`` permission request's answer."""
    request = handler_input.request_envelope.request
    code = str(getattr(getattr(request, "status", None), "code", ""))
    answer = (getattr(request, "payload", None) or {}).get("status")
    log.info("%s permission request answered: %s %s", what, logsafe.shown(code), logsafe.shown(answer))
    return answer if code == "200" and answer in ("ACCEPTED", "DENIED") else "NOT_ANSWERED"


def consent_card(scope: str = SCOPE):
    """The card in the Alexa app where the person can allow reminders, or another ``scope`` (when voice cannot)."""
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[scope])


# ---------------------------------------------------------------- the API


def _client(handler_input):
    factory = handler_input.service_client_factory
    if factory is None or not handler_input.request_envelope.context.system.api_access_token:
        raise Unavailable("no API access in this request")
    _patch_sdk_model()
    return factory.get_reminder_management_service()


def _call(what: str, call, harmless=()):
    """``call()``, with every failure turned into :class:`Unavailable` (statuses in ``harmless`` give None)."""
    try:
        return call()
    except Exception as exc:  # HTTP errors, time-outs (status 500), bad answers: the person still gets an answer
        status = getattr(exc, "status_code", None)
        if status is not None and status in harmless:
            return None
        log.warning("reminders API: %s failed (%s %s)", what, type(exc).__name__, status or "")
        raise Unavailable(f"{what}: {status or type(exc).__name__}", no_permission=status in (401, 403)) from exc


def active(handler_input) -> list[tuple[str, date | None]]:
    """(token, day it rings) of each of this skill's reminders that has not rung yet."""
    client = _client(handler_input)
    answer = _call("list", client.get_reminders)
    found = []
    for alert in getattr(answer, "alerts", None) or []:
        status = getattr(alert.status, "value", alert.status)
        if status not in (None, "ON") or not alert.alert_token:
            continue
        when = getattr(alert.trigger, "scheduled_time", None)
        found.append((alert.alert_token, when.date() if isinstance(when, datetime) else None))
    return found


def create(handler_input, day: date, text: str, now: datetime, zone: str | None) -> str:
    """A new reminder at 10 a.m. on ``day``; returns its token."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo,
        PushNotification,
        PushNotificationStatus,
        ReminderRequest,
        SpokenInfo,
        SpokenText,
        Trigger,
        TriggerType,
    )

    client = _client(handler_input)
    locale = getattr(handler_input.request_envelope.request, "locale", None) or "en-US"
    request = ReminderRequest(
        request_time=now.replace(tzinfo=None, microsecond=0),
        trigger=Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=reminder_time(day),
                        time_zone_id=zone),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )
    answer = _call("create", lambda: client.create_reminder(request))
    token = getattr(answer, "alert_token", None)
    if not token:
        raise Unavailable("create: no alert token in the answer")
    return token


def delete(handler_input, token: str) -> None:
    """Delete one reminder; one that is already gone counts as deleted."""
    client = _client(handler_input)
    _call("delete", lambda: client.delete_reminder(token), harmless=(404,))


def day_of(handler_input, token: str) -> date | None:
    """The day the reminder ``token`` rings, or None when it has rung or was deleted (in the Alexa app)."""
    for found, day in active(handler_input):
        if found == token:
            return day
    return None


def set_for(handler_input, token: str | None, day: date, text: str, now: datetime, zone: str | None) -> tuple[bool, str]:
    """Make the person's reminder (``token``, if any) ring on ``day``: (whether a new one was made, its token).

    One already set for that day is kept; one for another day (an earlier surgery date) is deleted first.
    """
    if token:
        current = day_of(handler_input, token)
        if current == day:
            return False, token
        if current is not None:
            delete(handler_input, token)
    return True, create(handler_input, day, text, now, zone)


# ---------------------------------------------------------------- what is stored


def stored(handler_input) -> dict:
    """{"token": ...} or {"declined_for": ...} of this person, {} when none or storage is down."""
    try:
        value = remembered(handler_input).get(STORED_KEY)
    except (PersistenceException, AttributeError):
        return {}
    return value if isinstance(value, dict) else {}


def store(handler_input, **changes) -> bool:
    """Update the stored reminder record (a value of None removes that field)."""
    try:
        record = dict(remembered(handler_input).get(STORED_KEY) or {})
        record.update(changes)
        record = {k: v for k, v in record.items() if v is not None}
        remember(handler_input, **{STORED_KEY: record or None})  # the store, or the session only
        return True
    except PersistenceException as exc:
        log.warning("storage unavailable while saving the reminder (%s)", type(exc).__name__)
        return False
