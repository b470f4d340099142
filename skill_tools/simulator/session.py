"""One person talking to the skill: carries the session between turns, as Alexa does.

Used by the simulator and by the tests, so both drive the skill through
the Lambda entry point (the SDK's ``lambda_handler``) with real envelopes.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientResponse

from skill.builder import skill_builder
from skill_tools.simulator import envelopes
from skill_tools.simulator.fake_reminders import REMINDERS, FakeReminders

_ZONE_PATH = re.compile(r"/v2/devices/(?P<device>[^/]+)/settings/System\.timeZone$")
_COUNTRY_PATH = re.compile(r"/v1/devices/(?P<device>[^/]+)/settings/address/countryAndPostalCode$")


class LocalSettingsApi(ApiClient):
    """Answers the skill's Alexa API calls locally: the settings API's time zone with the zone
    given on the command line, the Device Address API's country (``country``; 403 when
    ``address_granted`` is false, as without the permission), and the Reminders API with a
    :class:`FakeReminders`."""

    def __init__(self, zone: str = "America/New_York", reminders: FakeReminders | None = None,
                 country: str | None = None, address_granted: bool = False):
        self.zone = zone
        self.reminders = reminders if reminders is not None else FakeReminders()
        self.country, self.address_granted = country, address_granted
        self.calls = 0
        self.paths: list[str] = []      # what the skill asked, in order (tests: no call on the emergency path)

    def invoke(self, request):
        self.calls += 1
        path = urlsplit(request.url or "").path
        self.paths.append(path)
        if _ZONE_PATH.search(path) and request.method == "GET":
            return ApiClientResponse(headers=[("Content-Type", "application/json")], status_code=200,
                                     body=json.dumps(self.zone))
        if _COUNTRY_PATH.search(path) and request.method == "GET":
            if not (self.address_granted and self.country):
                return ApiClientResponse(headers=[], status_code=403, body=json.dumps({"type": "FORBIDDEN"}))
            return ApiClientResponse(headers=[("Content-Type", "application/json")], status_code=200,
                                     body=json.dumps({"countryCode": self.country, "postalCode": "00000"}))
        if REMINDERS.match(path):
            if self.reminders.mode == "slow":  # what the skill's ApiClient makes of an answer that comes too late
                raise ApiClientException("Error executing the request: timed out")
            body = request.body if request.body is None or isinstance(request.body, (str, bytes)) else json.dumps(request.body)
            status, data = self.reminders.answer(request.method, path, body)
            return ApiClientResponse(headers=[("Content-Type", "application/json")], status_code=status,
                                     body=None if data is None else json.dumps(data))
        return ApiClientResponse(headers=[], status_code=404, body=json.dumps({"message": "not simulated"}))


@dataclass
class Turn:
    """What Alexa would do with one response: speech, reprompt, card, directives."""

    request: dict
    response: dict

    @property
    def body(self) -> dict:
        return self.response.get("response") or {}

    @property
    def ssml(self) -> str:
        return (self.body.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        from skill.speech import strip_tags

        return strip_tags(self.ssml)

    @property
    def reprompt(self) -> str:
        from skill.speech import strip_tags

        return strip_tags(((self.body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", ""))

    @property
    def card(self) -> str:
        return (self.body.get("card") or {}).get("content", "")

    @property
    def end_session(self) -> bool:
        return bool(self.body.get("shouldEndSession"))

    @property
    def elicit(self) -> tuple[str, str] | None:
        """(intent, slot) when the skill asked Alexa to elicit a slot next."""
        for d in self.body.get("directives") or []:
            if d.get("type") == "Dialog.ElicitSlot":
                return (d.get("updatedIntent") or {}).get("name"), d.get("slotToElicit")
        return None

    @property
    def asks_permission(self) -> bool:
        """Whether the skill handed over to Alexa to ask for a permission by voice (Connections.SendRequest AskFor)."""
        return self.permission_asked is not None

    @property
    def permission_asked(self) -> str | None:
        """The scope Alexa was asked to ask the person for (Connections.SendRequest AskFor), or None."""
        for d in self.body.get("directives") or []:
            if d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor":
                scopes = (d.get("payload") or {}).get("permissionScopes") or [{}]
                return scopes[0].get("permissionScope") or ""
        return None

    @property
    def permission_token(self) -> str:
        return next((d.get("token") or "" for d in self.body.get("directives") or []
                     if d.get("type") == "Connections.SendRequest"), "")

    @property
    def card_type(self) -> str | None:
        return (self.body.get("card") or {}).get("type")

    @property
    def document(self) -> dict | None:
        """The APL RenderDocument directive of the answer, if it has one."""
        for d in self.body.get("directives") or []:
            if d.get("type") == "Alexa.Presentation.APL.RenderDocument":
                return d
        return None

    @property
    def screen(self) -> dict | None:
        """What the screen shows: kind, title, key line, text, closing question, button labels and ``words``
        (all the words shown, in the order spoken); None when nothing was rendered."""
        doc = self.document
        if doc is None:
            return None
        shown = (((doc.get("datasources") or {}).get("screen") or {}).get("properties")) or {}
        text, question = shown.get("text") or "", shown.get("question") or ""
        return {"kind": shown.get("kind"), "title": shown.get("title"), "key": shown.get("key") or "",
                "text": text, "question": question, "words": " ".join(w for w in (text, question) if w),
                "buttons": [b.get("label") for b in shown.get("buttons") or []]}


@dataclass
class Conversation:
    """A person at their device. ``now`` moves on a few seconds per turn unless set.

    ``person_id``: Alexa recognises this speaker's voice profile; None, it does not.
    """

    handler: object
    user_id: str = envelopes.DEFAULT_USER
    person_id: str | None = None
    device_id: str = envelopes.DEFAULT_DEVICE
    now: datetime | None = None
    locale: str = "en-US"
    attributes: dict = field(default_factory=dict)
    session_id: str | None = None
    last: Turn | None = None
    viewport: str | None = None  # a screen (a name of envelopes.VIEWPORTS), or None for a device without one
    reminders: FakeReminders | None = None  # the Reminders API the skill talks to, when it is the local fake
    api: LocalSettingsApi | None = None     # the Alexa APIs the skill talks to, when they are the local stand-in

    @classmethod
    def build(cls, persistence_adapter, zone="America/New_York", reminders: FakeReminders | None = None,
              country: str | None = None, address_granted: bool = False, **kw) -> "Conversation":
        reminders = reminders if reminders is not None else FakeReminders(granted=False)
        api = LocalSettingsApi(zone, reminders, country=country, address_granted=address_granted)
        handler = skill_builder(persistence_adapter=persistence_adapter, api_client=api).lambda_handler()
        return cls(handler=handler, reminders=reminders, api=api, **kw)

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def _common(self) -> dict:
        new = not self.in_session
        if new:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes = {}
        permission = None if self.reminders is None else "GRANTED" if self.reminders.granted else "DENIED"
        address = None if self.api is None else "GRANTED" if self.api.address_granted else "DENIED"
        return dict(new=new, session_id=self.session_id, session_attributes=self.attributes,
                    user_id=self.user_id, person_id=self.person_id, device_id=self.device_id, locale=self.locale,
                    viewport=self.viewport, reminders_permission=permission, address_permission=address)

    def _stamp(self) -> datetime:
        return self.now or datetime.now(timezone.utc)

    def launch(self) -> Turn:
        self.end()
        return self.send(envelopes.launch(self._stamp(), **self._common()))

    def intent(self, name: str, slots=None, dialog_state=None) -> Turn:
        if dialog_state is None and self.last is not None and self.last.elicit and self.in_session:
            dialog_state = "IN_PROGRESS"
        return self.send(envelopes.intent(name, slots, self._stamp(), dialog_state=dialog_state, **self._common()))

    def tap(self, button: str) -> Turn:
        """A touch on a button of the screen the last answer showed."""
        token = ((self.last.document or {}) if self.last else {}).get("token") or ""
        return self.send(envelopes.user_event([button], token, self._stamp(), **self._common()))

    def permission_answer(self, status: str, code: str = "200") -> Turn:
        """Alexa's Connections.Response after it asked the person for the permission the last answer
        asked for (the reminders one when none was).

        ``status`` ACCEPTED also grants the permission in the local fake, as Alexa would.
        """
        asked = self.last.permission_asked if self.last is not None else None
        token = (self.last.permission_token if self.last is not None else "") or "lifting-reminder"
        if status == "ACCEPTED" and asked == envelopes.ADDRESS_SCOPE and self.api is not None:
            self.api.address_granted = True
        elif status == "ACCEPTED" and self.reminders is not None:
            self.reminders.granted = True
        return self.send(envelopes.connections_response(status, self._stamp(), code=code, token=token,
                                                        scope=asked or envelopes.REMINDERS_SCOPE, **self._common()))

    def event(self, kind: str) -> Turn:
        """A skill event: it names the account only, never the person (as Alexa sends them)."""
        return self.send(envelopes.skill_event(kind, self._stamp(), user_id=self.user_id, device_id=self.device_id),
                         keep_session=True)

    def end(self, reason="USER_INITIATED") -> Turn | None:
        """Close an open session the way Alexa does, with a SessionEndedRequest."""
        if not self.in_session:
            return None
        turn = self.send(envelopes.session_ended(reason, self._stamp(), **self._common()))
        self.session_id = None
        return turn

    def send(self, event: dict, keep_session=False) -> Turn:
        response = self.handler(event, None)
        turn = Turn(event, response)
        if not keep_session:
            self.last = turn
            if turn.end_session or event["request"]["type"] == "SessionEndedRequest":
                self.session_id = None
                self.attributes = {}
            else:
                self.attributes = dict(response.get("sessionAttributes") or {})
        if self.now is not None:
            self.now += timedelta(seconds=5)
        return turn
