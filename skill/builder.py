"""The one place that wires handlers, interceptors, storage and the API client into the skill.

Lambda, the web service and the simulator all build their skill here, so they
run the very same handlers in the very same order.
"""
from __future__ import annotations

import json
import logging
import os

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from skill import handlers, logsafe
from skill.interceptors import CountryInterceptor, PlaceInterceptor, TriageInterceptor
from skill.clock import TimeoutApiClient
from skill.serializer import EnvelopeSerializer

log = logging.getLogger(__name__)


class RecoverySkillBuilder(CustomSkillBuilder):
    """CustomSkillBuilder whose skills read every envelope Alexa sends (:mod:`skill.serializer`).

    ``lambda_handler`` is the SDK's wrapper, except that it makes the skill with ``create``, once (the
    SDK's makes a CustomSkill for every request, with the default serializer) and that nothing raises out
    of it but what is meant to: an envelope that cannot be read, or a failure before the handlers
    run, gets :func:`refusal` (spoken: the apology with its 911 sentence) and one log line that
    names the problem, never the values. Raised on purpose, as before: a request for another skill
    (the SDK's skill ID check), and a SkillDisabled event whose records could not be erased, so that
    Alexa sends it again.
    """

    def create(self):
        skill = super().create()
        skill.serializer = EnvelopeSerializer()
        return skill

    def lambda_handler(self):
        skill = self.create()   # once, as the web service's adapter does: it keeps nothing between requests

        def wrapper(event, context):
            try:
                envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
            except (SerializationException, TypeError, ValueError, RecursionError) as exc:
                reason = str(exc) if isinstance(exc, SerializationException) else type(exc).__name__
                log.warning("refused a request envelope: %s", logsafe.shown(reason, 120))
                return refusal(event)
            if skill.skill_id is not None and envelope.context.system.application.application_id != skill.skill_id:
                return skill.invoke(request_envelope=envelope, context=context)  # the SDK refuses it: it raises
            try:
                return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))
            except Exception as exc:
                if getattr(envelope.request, "object_type", None) == "AlexaSkillEvent.SkillDisabled":
                    raise  # the records are still there: Alexa must send the event again
                log.error("%s before the skill could answer a %s", type(exc).__name__,
                          logsafe.shown(getattr(envelope.request, "object_type", None)))
                return refusal(event)

        return wrapper


def refusal(event=None) -> dict:
    """The answer to a request the skill could not read: the last-resort apology, which names the
    emergency number of the locale the event says (else the default locale's), and the session
    closed (there is none it could go on with). A plain dict: nothing here can fail."""
    from skill.handlers.system import _ssml_of, last_resort

    place = None
    try:
        from skill import content

        try:
            place = content.load(str(event["request"]["locale"])).place
        except Exception:   # no locale to be read, or one the skill has no words for
            place = content.load().place
    except Exception:
        pass                # the content itself cannot be read: no number is guessed
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": _ssml_of(last_resort(place=place))},
            "shouldEndSession": True,
        },
    }


def skill_builder(persistence_adapter=None, api_client=None, skill_id: str | None = None) -> RecoverySkillBuilder:
    """A configured SkillBuilder; call ``.lambda_handler()`` or ``.create()`` on it.

    persistence_adapter: where surgery dates live (default: from the environment, see
        :func:`skill.storage.adapter_from_env`; none with RECOVERY_SKILL_REMEMBER=session,
        when dates live in the session only).
    api_client: how the Alexa settings API is called for the device time zone
        (default: :class:`skill.clock.TimeoutApiClient`; the simulator passes its own).
    skill_id: requests for any other skill are refused (default: RECOVERY_SKILL_ID).
    """
    from skill.storage import adapter_from_env
    from skill.storage.remember import PERSISTENT, REMEMBER_MODES, remember_mode

    raw = os.environ.get("RECOVERY_SKILL_REMEMBER")
    if raw and raw.strip().lower() not in REMEMBER_MODES:
        log.error("RECOVERY_SKILL_REMEMBER=%r is not one of %s: nothing will be stored (session)", raw,
                  ", ".join(REMEMBER_MODES))
    if persistence_adapter is None and remember_mode() == PERSISTENT:
        persistence_adapter = adapter_from_env()
    builder = RecoverySkillBuilder(
        persistence_adapter=persistence_adapter,
        api_client=api_client if api_client is not None else TimeoutApiClient(),
    )
    builder.skill_id = skill_id if skill_id is not None else (os.environ.get("RECOVERY_SKILL_ID") or None)
    builder.add_global_request_interceptor(PlaceInterceptor())    # the locale's words, the country's numbers
    builder.add_global_request_interceptor(TriageInterceptor())   # the verdict, once, before any handler
    builder.add_global_request_interceptor(CountryInterceptor())  # the country asked for, unless an emergency
    for handler in handlers.REQUEST_HANDLERS:
        # a name-free query asks the handlers that answer requests of their own
        builder.add_request_handler(handler(handlers.ANSWERING) if handler is handlers.CanFulfillIntentHandler
                                    else handler())
    for handler in handlers.EXCEPTION_HANDLERS:
        builder.add_exception_handler(handler())
    return builder
