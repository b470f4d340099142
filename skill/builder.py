"""The one place that wires handlers, interceptors, storage and the API client into the skill.

Lambda, the web service and the simulator all build their skill here, so they
run the very same handlers in the very same order.
"""
from __future__ import annotations

import json
import logging
import os

from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope

from skill import handlers
from skill.clock import TimeoutApiClient
from skill.serializer import EnvelopeSerializer

log = logging.getLogger(__name__)


class RecoverySkillBuilder(CustomSkillBuilder):
    """CustomSkillBuilder whose skills read every envelope Alexa sends (:mod:`skill.serializer`).

    ``lambda_handler`` is the SDK's wrapper line for line, except that it makes the skill
    with ``create``: the SDK's makes a CustomSkill directly, with the default serializer.
    """

    def create(self):
        skill = super().create()
        skill.serializer = EnvelopeSerializer()
        return skill

    def lambda_handler(self):
        def wrapper(event, context):
            skill = self.create()
            envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
            return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))

        return wrapper


def skill_builder(persistence_adapter=None, api_client=None, skill_id: str | None = None) -> RecoverySkillBuilder:
    """A configured SkillBuilder; call ``.lambda_handler()`` or ``.create()`` on it.

    persistence_adapter: where surgery dates live (default: from the environment, see
        :func:`skill.storage.adapter_from_env`; none with RECOVERY_SKILL_REMEMBER=session,
        when dates live in the session only).
    api_client: how the Alexa settings API is called for the device time zone
        (default: :class:`skill.clock.TimeoutApiClient`; the simulator passes its own).
    skill_id: requests for any other skill are refused (default: RECOVERY_SKILL_ID).
    """
    from skill import storage

    raw = os.environ.get("RECOVERY_SKILL_REMEMBER")
    if raw and raw.strip().lower() not in storage.REMEMBER_MODES:
        log.error("RECOVERY_SKILL_REMEMBER=%r is not one of %s: nothing will be stored (session)", raw,
                  ", ".join(storage.REMEMBER_MODES))
    if persistence_adapter is None and storage.remember_mode() == storage.PERSISTENT:
        persistence_adapter = storage.adapter_from_env()
    builder = RecoverySkillBuilder(
        persistence_adapter=persistence_adapter,
        api_client=api_client if api_client is not None else TimeoutApiClient(),
    )
    builder.skill_id = skill_id if skill_id is not None else (os.environ.get("RECOVERY_SKILL_ID") or None)
    for handler in handlers.REQUEST_HANDLERS:
        builder.add_request_handler(handler())
    builder.add_exception_handler(handlers.CatchAllExceptionHandler())
    return builder
