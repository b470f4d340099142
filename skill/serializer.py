"""ask-sdk-core's serializer, reading every envelope Alexa sends, not only those ask-sdk-model knows.

Alexa adds values over time: request types, ``dialogState`` values, confirmation statuses,
entity-resolution status codes, viewport shapes and modes, slot value types. ask-sdk-model
knows those of the day it was released and refuses the rest (``SerializationException``),
so a newer value anywhere in the envelope would cost the person their answer, an emergency
included. ask-sdk-core also reads ``context.System`` on every request, which envelopes from
before ``context`` existed lack (``AttributeError``). Here:

* an enum value ask-sdk-model does not know is kept as the string Alexa sent (a value that is
  not even a string becomes None): it equals no member of the enum, so code that compares it
  with one sees "none of those", as it would for a value it did not expect;
* an object of a kind ask-sdk-model does not know (a request type, a slot value type, a viewport
  type...) becomes an instance of an "other" subclass of its base class (for requests
  :class:`OtherRequest`): the base's fields, and its other fields as attributes, so the handlers
  can answer it like any other;
* an envelope without ``context`` or without ``context.System`` gets one made from its
  ``session`` (which then carried the application and the user);
* nesting and size limits (:mod:`skill.envelope_limits`) are checked on the decoded JSON before
  the SDK reads it.

Anything that is not an Alexa request envelope at all (no request type, or nothing to say which
skill and which person) is refused with a ``SerializationException`` that says why, never the
values in it.

Why a subclass of the SDK's ``DefaultSerializer`` and not a serializer of our own: the SDK's
reading of the models (attribute maps, discriminators, lists and dicts of models) stays the
SDK's, and only its two decisions that refuse the unknown are replaced, with its reading of
timestamps (dateutil's, a tenth of a warm request; ISO 8601 is read by ``datetime`` first).
They are the private methods ``__deserialize_model``, ``__get_obj_by_discriminator`` and
``__deserialize_datetime``, reached under Python's mangled names ``_DefaultSerializer__...``
(``__deserialize`` too, so the JSON already decoded for the limits is not decoded again). The
tests (tests/test_forward_compat.py) read real envelopes with every enum field changed, so an
SDK release that renames them fails there, not in front of a person.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Context, Request, RequestEnvelope

from skill import envelope_limits

_OTHER_CLASSES: dict[type, type] = {}


def other_class(base: type) -> type:
    """The subclass of a polymorphic ask-sdk-model class that holds objects of a kind it does not know."""
    other = _OTHER_CLASSES.get(base)
    if other is None:
        name = f"Other{base.__name__}"
        other = type(name, (base,), {
            "__doc__": f"A {base.__name__} of a kind ask-sdk-model does not know; its other fields are attributes.",
            "__module__": __name__,
            "__qualname__": name,
            "deserialized_types": dict(base.deserialized_types),
            "attribute_map": dict(base.attribute_map),
            "get_real_child_model": classmethod(lambda cls, data: f"{cls.__module__}.{cls.__qualname__}"),
        })
        _OTHER_CLASSES[base] = other
        globals()[name] = other  # so the SDK's class loader finds it by its dotted name
    return other


#: A request of a type ask-sdk-model does not know; ``object_type`` holds its type.
OtherRequest = other_class(Request)


class EnvelopeSerializer(DefaultSerializer):
    """DefaultSerializer, but a RequestEnvelope is read as described above."""

    def deserialize(self, payload, obj_type):
        if obj_type is not RequestEnvelope:
            return super().deserialize(payload, obj_type)
        try:
            data = json.loads(payload)
        except (TypeError, ValueError, RecursionError) as exc:
            raise SerializationException(f"request envelope is not JSON ({type(exc).__name__})") from None
        request = data.get("request") if isinstance(data, dict) else None
        kind = request.get("type") if isinstance(request, dict) else None
        if not isinstance(kind, str):
            raise SerializationException("not an Alexa request envelope: no request.type")
        context, session = data.get("context"), data.get("session")
        system = context.get("System") if isinstance(context, dict) else None
        if not isinstance(system, dict) and not isinstance(session, dict):
            raise SerializationException("not an Alexa request envelope: neither context.System nor session")
        problem = envelope_limits.problem(data)
        if problem:
            raise SerializationException(problem)
        envelope = self._DefaultSerializer__deserialize(data, RequestEnvelope)   # the JSON read once, not twice
        if envelope.context is None:
            envelope.context = Context()
        if envelope.context.system is None:
            from ask_sdk_model.interfaces.system import SystemState  # only old envelopes need it here

            envelope.context.system = SystemState()
        system, session = envelope.context.system, envelope.session
        if session is not None:
            system.application = system.application or session.application
            system.user = system.user or session.user
        if system.application is None or system.user is None:
            raise SerializationException("not an Alexa request envelope: no application or no user")
        if not isinstance(system.user.user_id, str) or not system.user.user_id:
            raise SerializationException("not an Alexa request envelope: no user ID")
        return envelope

    # The SDK's private steps (see the module's docstring for why they are overridden by name).

    def _DefaultSerializer__deserialize_model(self, payload, obj_type):
        if isinstance(obj_type, type) and issubclass(obj_type, Enum):
            try:
                return obj_type(payload)
            except ValueError:
                return payload if isinstance(payload, str) else None
        return super()._DefaultSerializer__deserialize_model(payload, obj_type)

    def _DefaultSerializer__deserialize_datetime(self, payload, obj_type):
        # Alexa's timestamps are ISO 8601, which Python reads itself in a tenth of dateutil's time
        if isinstance(payload, str):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                pass          # anything else: dateutil's reading, and its error
            else:
                return parsed.date() if obj_type is date else parsed
        return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)

    def _DefaultSerializer__get_obj_by_discriminator(self, payload, obj_type):
        try:
            return super()._DefaultSerializer__get_obj_by_discriminator(payload, obj_type)
        except (SerializationException, KeyError, TypeError):
            if obj_type in _OTHER_CLASSES.values():
                raise
            return other_class(obj_type)
