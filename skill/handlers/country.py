"""Asking once for the device's country, so that the numbers said are those of where the person is.

Only at the start of a session the person opened (never in an emergency, never in a one-shot
question), only when the device's time zone is in another country than its locale's (a zone not
known, say while the settings API is down, is no reason to ask), and at most once per person: the asking is remembered (``country_permission``: asked, then accepted or
refused) before Alexa asks. Alexa asks by voice; when it cannot, the consent card goes to the Alexa
app. Storage down, or dates kept for the session only: not asked (it could not be remembered).
"""
from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.exceptions import PersistenceException

from skill import content as recovery_content
from skill import place, reminders, speech
from skill.handlers.replies import phrase
from skill.handlers.welcome import launch_reply
from skill.storage.remember import PERSISTENT, remember, remember_mode, remembered

log = logging.getLogger(__name__)

ASK_FOR_TOKEN = "device-country"
STORED = "country_permission"       # asked, accepted or refused


def ask_if_unsure(handler_input):
    """Alexa's permission question, when the country is worth asking and was never asked; else None."""
    if remember_mode() != PERSISTENT or place.address_granted(handler_input):
        return None
    locale_country = recovery_content.load(recovery_content.current().locale).place.code
    found = place.find(handler_input)
    if found is None or found == locale_country:
        return None                  # the time zone and the locale agree, or the zone is not known
    try:
        if remembered(handler_input).get(STORED):
            return None
        remember(handler_input, **{STORED: "asked"})
    except (PersistenceException, AttributeError) as exc:
        log.warning("storage unavailable: the device's country is not asked for (%s)", type(exc).__name__)
        return None
    builder = handler_input.response_builder.speak(speech.ssml(phrase("country_ask")))
    return builder.add_directive(reminders.ask_permission_directive(place.ADDRESS_SCOPE, ASK_FOR_TOKEN)).response


class CountryPermissionHandler(AbstractRequestHandler):
    """Alexa's answer to the country question; then the session goes on as the launch would have."""

    def can_handle(self, handler_input):
        return reminders.answers_ask_for(handler_input, (ASK_FOR_TOKEN,))

    def handle(self, handler_input):
        from skill import interceptors

        answer = reminders.permission_answer(handler_input, "country")
        card = None
        if answer == "ACCEPTED":
            place.forget(handler_input)     # ask the address API now, not in an hour
            recovery_content.use(interceptors.content_for(handler_input, place.find(handler_input, granted=True)))
            first, outcome = phrase("country_thanks", country=recovery_content.current().place.name), "accepted"
        elif answer == "DENIED":
            first, outcome = phrase("country_refused"), "refused"
        else:
            first, outcome, card = phrase("country_card"), "asked", reminders.consent_card(place.ADDRESS_SCOPE)
        try:
            remember(handler_input, **{STORED: outcome})
        except PersistenceException as exc:
            log.warning("storage unavailable: the country answer is not remembered (%s)", type(exc).__name__)
        response = launch_reply(handler_input, first=first)
        if card is not None:
            response.card = card
        return response
