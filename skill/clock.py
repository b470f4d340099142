"""Today's date where the person is: the request's timestamp in the device's time zone.

The zone comes from the Alexa settings API (as in Alexa's Cake Time sample), is
cached per device for an hour so it is not asked on every request, and falls back
to RECOVERY_SKILL_TIMEZONE when the API cannot answer. Never the server clock.
"""
from __future__ import annotations

import logging
import os
import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_model.services import ApiClient

log = logging.getLogger(__name__)

DEFAULT_ZONE = "America/New_York"
CACHE_SECONDS = 3600
_CACHE_LIMIT = 10_000

# device ID -> (zone name, monotonic expiry)
_zone_cache: dict[str, tuple[str, float]] = {}


def fallback_zone() -> str:
    return os.environ.get("RECOVERY_SKILL_TIMEZONE") or DEFAULT_ZONE


def device_zone(handler_input) -> ZoneInfo:
    """The device's zone, from cache, the settings API, or the configured fallback."""
    envelope = handler_input.request_envelope
    device = getattr(getattr(envelope.context, "system", None), "device", None)
    device_id = getattr(device, "device_id", None)
    name = None
    if device_id:
        cached = _zone_cache.get(device_id)
        if cached and cached[1] > time.monotonic():
            name = cached[0]
        else:
            name = _ask_settings_api(handler_input, device_id)
            if name:
                if len(_zone_cache) >= _CACHE_LIMIT:
                    _zone_cache.clear()
                _zone_cache[device_id] = (name, time.monotonic() + CACHE_SECONDS)
    for candidate in (name, fallback_zone(), DEFAULT_ZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("unknown time zone %r, trying the next one", candidate)
    return ZoneInfo("UTC")


def _ask_settings_api(handler_input, device_id: str) -> str | None:
    factory = handler_input.service_client_factory
    if factory is None or not handler_input.request_envelope.context.system.api_access_token:
        return None
    try:
        zone = factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as exc:  # network, permission, malformed answer: all mean "fall back"
        log.warning("device time zone not available (%s); using %s", type(exc).__name__, fallback_zone())
        return None
    return zone if isinstance(zone, str) and zone else None


def local_today(handler_input) -> date:
    """The person's calendar date when they spoke, computed once per request."""
    attrs = handler_input.attributes_manager.request_attributes
    if "today" not in attrs:
        stamp = handler_input.request_envelope.request.timestamp
        if not isinstance(stamp, datetime):
            log.warning("request has no usable timestamp; using the current UTC time")
            stamp = datetime.now(timezone.utc)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=timezone.utc)
        attrs["today"] = stamp.astimezone(device_zone(handler_input)).date()
    return attrs["today"]


class TimeoutApiClient(ApiClient):
    """An ask-sdk ApiClient on urllib, with a timeout.

    The SDK's DefaultApiClient calls ``requests`` without a timeout, so a slow
    settings API could eat the whole 8 seconds Alexa waits, and importing
    ``requests`` slows every cold start. This is the one piece of the SDK we
    replace; it implements the SDK's ``ApiClient.invoke`` contract unchanged.
    """

    def __init__(self, timeout_seconds: float = 1.5):
        self.timeout_seconds = timeout_seconds

    def invoke(self, request):
        import urllib.error
        import urllib.request

        from ask_sdk_core.exceptions import ApiClientException
        from ask_sdk_model.services import ApiClientResponse

        if not (request.url or "").startswith("https://"):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):
            import json

            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        http_request = urllib.request.Request(
            request.url, data=body, headers=dict(request.headers or []), method=request.method
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout_seconds) as answer:
                status, headers, text = answer.status, list(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as exc:
            status, headers, text = exc.code, list(exc.headers.items()), exc.read()
        except Exception as exc:
            raise ApiClientException(f"Error executing the request: {exc}") from exc
        return ApiClientResponse(headers=headers, status_code=status, body=text.decode("utf-8", "replace"))
