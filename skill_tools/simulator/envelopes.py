"""Request envelopes exactly as Alexa sends them, for the simulator and the tests.

Plain dicts in Alexa's JSON shape (what Lambda receives), so they go through
the same deserialisation as real requests.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
DEFAULT_USER = "amzn1.ask.account.LOCAL-TESTER"
DEFAULT_DEVICE = "amzn1.ask.device.LOCAL-DEVICE"
API_ENDPOINT = "https://api.amazonalexa.com"


def timestamp(now: datetime | None = None) -> str:
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
ADDRESS_SCOPE = "read::alexa:device:all:address:country_and_postal_code"

# Screens a simulated device can have: Alexa's viewport profiles (sizes in pixels, dpi as the devices report).
VIEWPORTS = {
    "hub-medium": {"shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 213},  # Echo Show 8
    "hub-small": {"shape": "RECTANGLE", "pixelWidth": 960, "pixelHeight": 480, "dpi": 160},  # Echo Show 5
    "hub-round": {"shape": "ROUND", "pixelWidth": 480, "pixelHeight": 480, "dpi": 160},  # Echo Spot
    "hub-large": {"shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160},  # Echo Show 10
    "hub-xlarge": {"shape": "RECTANGLE", "pixelWidth": 1920, "pixelHeight": 1080, "dpi": 160},  # Echo Show 15
}
APL_MAX_VERSION = "2024.2"


def context(user_id=DEFAULT_USER, device_id=DEFAULT_DEVICE, skill_id=SKILL_ID, api_access_token="local-token",
            person_id=None, viewport: str | None = None, reminders_permission: str | None = None,
            address_permission: str | None = None):
    """``person_id``: Alexa recognised the speaker's voice profile (``System.person`` is absent otherwise);
    ``viewport``: a name of VIEWPORTS for a device with a screen (None: no screen);
    ``reminders_permission``: "GRANTED" or "DENIED" as Alexa reports the reminders scope (None: not said);
    ``address_permission``: the same for the device's country and postal code."""
    system = {
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
        "device": {"deviceId": device_id, "supportedInterfaces": {}},
        "apiEndpoint": API_ENDPOINT,
        "apiAccessToken": api_access_token,
    }
    if person_id:
        system["person"] = {"personId": person_id, "accessToken": "local-person-token"}
    scopes = {scope: {"status": status} for scope, status in
              ((REMINDERS_SCOPE, reminders_permission), (ADDRESS_SCOPE, address_permission)) if status}
    if scopes:
        system["user"]["permissions"] = {"scopes": scopes}
    data = {"System": system}
    if viewport:
        size = VIEWPORTS[viewport]
        system["device"]["supportedInterfaces"]["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": APL_MAX_VERSION}}
        data["Viewport"] = {
            "experiences": [{"canRotate": False, "canResize": False}],
            "mode": "HUB",
            "touch": ["SINGLE"],
            "keyboard": [],
            "currentPixelWidth": size["pixelWidth"],
            "currentPixelHeight": size["pixelHeight"],
            "video": {"codecs": ["H_264_42", "H_264_41"]},
            **size,
        }
    return data


def slot(name: str, value: str | None = None, *, resolved_id: str | None = None, resolved_name: str | None = None,
         slot_type: str | None = None) -> dict:
    """A slot as Alexa fills it; custom types carry a resolutions block (match or no match)."""
    data = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        data["value"] = value
        data["source"] = "USER"
    if value is not None and slot_type is not None:
        authority = f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{slot_type}"
        if resolved_id:
            data["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": authority,
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": resolved_name or value, "id": resolved_id}}],
            }]}
        else:
            data["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}]}
    return data


def envelope(request: dict, *, session_attributes=None, new=True, session_id=None, user_id=DEFAULT_USER,
             device_id=DEFAULT_DEVICE, skill_id=SKILL_ID, with_session=True, person_id=None, viewport=None,
             reminders_permission=None, address_permission=None) -> dict:
    data = {"version": "1.0", "request": request,
            "context": context(user_id, device_id, skill_id, person_id=person_id, viewport=viewport,
                               reminders_permission=reminders_permission, address_permission=address_permission)}
    if with_session:
        data["session"] = {
            "new": new,
            "sessionId": session_id or f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "attributes": dict(session_attributes or {}),
        }
    return data


def _request(kind: str, now=None, locale="en-US", **fields) -> dict:
    return {"type": kind, "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "timestamp": timestamp(now),
            "locale": locale, **fields}


def launch(now=None, locale="en-US", **kw) -> dict:
    return envelope(_request("LaunchRequest", now, locale), **kw)


def intent(name: str, slots: dict | list | None = None, now=None, dialog_state=None, locale="en-US", **kw) -> dict:
    """IntentRequest; ``slots`` is {name: value} or a list of :func:`slot` dicts."""
    if isinstance(slots, dict):
        slots = [slot(n, v) for n, v in slots.items()]
    fields = {"intent": {"name": name, "confirmationStatus": "NONE",
                         "slots": {s["name"]: s for s in (slots or [])}}}
    if dialog_state:
        fields["dialogState"] = dialog_state
    return envelope(_request("IntentRequest", now, locale, **fields), **kw)


def session_ended(reason="USER_INITIATED", now=None, locale="en-US", **kw) -> dict:
    return envelope(_request("SessionEndedRequest", now, locale, reason=reason), **kw)


def skill_event(kind: str, now=None, locale="en-US", **kw) -> dict:
    """AlexaSkillEvent.SkillEnabled / SkillDisabled: no session, the account is in context only (no person)."""
    body = _request(kind, now, locale)
    body["eventCreationTime"] = body["timestamp"]
    body["eventPublishingTime"] = body["timestamp"]
    return envelope(body, with_session=False, **kw)


def user_event(arguments: list, token: str, now=None, locale="en-US", **kw) -> dict:
    """Alexa.Presentation.APL.UserEvent: a touch on a SendEvent button of the document ``token``."""
    body = _request("Alexa.Presentation.APL.UserEvent", now, locale, token=token, arguments=list(arguments),
                    source={"type": "TouchWrapper", "handler": "Press", "id": f"button-{arguments[0]}"},
                    components={})
    return envelope(body, **kw)


def connections_response(status: str, now=None, locale="en-US", name="AskFor", code="200", token="",
                         scope=REMINDERS_SCOPE, **kw) -> dict:
    """Connections.Response: Alexa's answer to a Connections.SendRequest (here, the permission request)."""
    body = _request("Connections.Response", now, locale, name=name, token=token,
                    status={"code": code, "message": "OK" if code == "200" else "error"},
                    payload={"permissionScope": scope, "status": status})
    return envelope(body, **kw)
