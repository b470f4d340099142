"""Today's date where the person is: the request's timestamp in the device's time zone.

The zone comes from the Alexa settings API (as in Alexa's Cake Time sample), is
cached per device for an hour so it is not asked on every request, and falls back
to RECOVERY_SKILL_TIMEZONE when the API cannot answer. Never the server clock.
A call that failed is remembered too, for a few minutes, so that while the API is
down or slow each request does not wait for it again.
"""
from __future__ import annotations

import functools
import logging
import os
import time
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from ask_sdk_model.services import ApiClient

from skill import logsafe

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

DEFAULT_ZONE = "America/New_York"
CACHE_SECONDS = 3600
# How long a failed settings API call (error, timeout, no usable answer) keeps the
# device on the fallback zone before the API is asked again.
FAILURE_CACHE_SECONDS = 300
_CACHE_LIMIT = 10_000

# device ID -> (zone name, or None after a failed call; monotonic expiry)
_zone_cache: dict[str, tuple[str | None, float]] = {}


def fallback_zone() -> str:
    return os.environ.get("RECOVERY_SKILL_TIMEZONE") or DEFAULT_ZONE


def device_zone(handler_input) -> ZoneInfo | timezone:
    """The device's zone, from cache, the settings API, or the configured fallback."""
    for candidate in (device_zone_name(handler_input), fallback_zone(), DEFAULT_ZONE):
        if candidate:
            zone = _zone_named(candidate)
            if zone is not None:
                return zone
            log.warning("unknown time zone '%s', trying the next one", logsafe.shown(candidate))
    return _zone_named("UTC") or timezone.utc  # no time-zone database at all: still UTC, never the server's zone


def device_zone_name(handler_input, *, ask: bool = True) -> str | None:
    """The zone the settings API gave for the device (cached), or None when it has not answered;
    ``ask=False``: only what is cached, never a network call."""
    device = getattr(getattr(handler_input.request_envelope.context, "system", None), "device", None)
    device_id = getattr(device, "device_id", None)
    if not device_id:
        return None
    cached = _zone_cache.get(device_id)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    if not ask:
        return None
    asked, name = _ask_settings_api(handler_input, device_id)
    if asked:
        if len(_zone_cache) >= _CACHE_LIMIT:
            _zone_cache.clear()
        ttl = CACHE_SECONDS if name else FAILURE_CACHE_SECONDS
        _zone_cache[device_id] = (name, time.monotonic() + ttl)
    return name


@functools.lru_cache(maxsize=256)
def _zone_named(name: str):
    """ZoneInfo for a zone name, or None when there is no such zone.

    Cached both ways: ZoneInfo keeps the zones it found, but looks an unknown
    name up on disk again every time (about 0.4 ms).
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only requests that need a date pay for it

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _ask_settings_api(handler_input, device_id: str) -> tuple[bool, str | None]:
    """(whether the API was called, the zone it gave); no access token, no call."""
    factory = handler_input.service_client_factory
    if factory is None or not handler_input.request_envelope.context.system.api_access_token:
        return False, None
    try:
        zone = factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as exc:  # network, permission, malformed answer: all mean "fall back"
        log.warning("device time zone not available (%s); using %s for the next %d s",
                    type(exc).__name__, fallback_zone(), FAILURE_CACHE_SECONDS)
        return True, None
    if isinstance(zone, str) and zone:
        return True, zone
    log.warning("the settings API gave no usable time zone (%s); using %s for the next %d s",
                logsafe.shown(repr(zone)), fallback_zone(), FAILURE_CACHE_SECONDS)
    return True, None


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
