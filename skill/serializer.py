"""ask-sdk-core's serializer, reading every envelope Alexa sends, not only those ask-sdk-model knows.

ask-sdk-model refuses a request type newer than the installed version
(``SerializationException``), and ask-sdk-core reads ``context`` on every request,
which envelopes from before ``context`` existed lack (``AttributeError``). Either
way Alexa would see a failed skill. Here:

* a request type ask-sdk-model does not know becomes an :class:`OtherRequest`
  (type, ID, timestamp, locale, and its other fields as attributes), so the
  handlers can answer it like any other;
* an envelope without ``context`` gets one made from its ``session`` (which
  then carried the application and the user).

Anything that is not an Alexa request envelope at all (no request type, or
neither ``context`` nor ``session`` to say which skill and which person) is
still refused with a ``SerializationException`` that says why.
"""
from __future__ import annotations

import json

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Context, Request, RequestEnvelope


class OtherRequest(Request):
    """A request of a type ask-sdk-model does not know; ``object_type`` holds its type."""

    deserialized_types = dict(Request.deserialized_types)
    attribute_map = dict(Request.attribute_map)

    @classmethod
    def get_real_child_model(cls, data):
        return f"{cls.__module__}.{cls.__qualname__}"


class EnvelopeSerializer(DefaultSerializer):
    """DefaultSerializer, but a RequestEnvelope is read as described above."""

    def deserialize(self, payload, obj_type):
        if obj_type is not RequestEnvelope:
            return super().deserialize(payload, obj_type)
        try:
            data = json.loads(payload)
        except (TypeError, ValueError) as exc:
            raise SerializationException(f"request envelope is not JSON: {exc}") from exc
        request = data.get("request") if isinstance(data, dict) else None
        kind = request.get("type") if isinstance(request, dict) else None
        if not isinstance(kind, str):
            raise SerializationException("not an Alexa request envelope: no request.type")
        if not isinstance(data.get("context"), dict) and not isinstance(data.get("session"), dict):
            raise SerializationException("not an Alexa request envelope: neither context nor session")
        if kind in Request.discriminator_value_class_map:
            envelope = super().deserialize(payload, RequestEnvelope)
        else:
            envelope = super().deserialize(json.dumps({**data, "request": None}), RequestEnvelope)
            envelope.request = super().deserialize(json.dumps(request), OtherRequest)
        if envelope.context is None:
            from ask_sdk_model.interfaces.system import SystemState  # only old envelopes need it here

            session = envelope.session
            envelope.context = Context(system=SystemState(application=session.application, user=session.user))
        return envelope
