"""The country the device is in, for the numbers the person hears (skill/content/countries.yaml).

In this order: the country the Device Address API gives when the person has granted the country
and postal code permission; else the country of the device's time zone (the IANA ``zone.tab``
table that the tzdata package ships: Europe/Dublin is Ireland, America/Toronto Canada); else
None, and the content says the locale's country. Cached per device like the time zone (an hour, a
failed call five minutes). :func:`known` never calls the network, so the emergency path does not
wait for an API when the locale already gives an answer.
"""
from __future__ import annotations

import functools
import logging
import time

from skill import clock

log = logging.getLogger(__name__)

ADDRESS_SCOPE = "read::alexa:device:all:address:country_and_postal_code"
CACHE_SECONDS = clock.CACHE_SECONDS
FAILURE_CACHE_SECONDS = clock.FAILURE_CACHE_SECONDS
_CACHE_LIMIT = 10_000

# device ID -> (country code or None, monotonic expiry)
_cache: dict[str, tuple[str | None, float]] = {}


def _device_id(handler_input) -> str | None:
    device = getattr(getattr(handler_input.request_envelope.context, "system", None), "device", None)
    return getattr(device, "device_id", None)


def known(handler_input) -> str | None:
    """The device's country when it is cached; never a network call."""
    device_id = _device_id(handler_input)
    cached = _cache.get(device_id) if device_id else None
    if cached and cached[1] > time.monotonic():
        return cached[0]
    return None


def forget(handler_input) -> None:
    """Forget the device's cached country (the person has just granted the address permission)."""
    _cache.pop(_device_id(handler_input), None)


def find(handler_input, *, granted: bool = False) -> str | None:
    """The device's country, asking the address and settings APIs when nothing is cached;
    ``granted``: the person has just granted the permission (the request may not say so yet)."""
    device_id = _device_id(handler_input)
    if not device_id:
        return None
    cached = _cache.get(device_id)
    if cached and cached[1] > time.monotonic():
        return cached[0]
    found = _ask_address_api(handler_input, device_id) if granted or address_granted(handler_input) else None
    if found is None:
        zone = clock.device_zone_name(handler_input)
        found = zone_country(zone) if zone else None
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[device_id] = (found, time.monotonic() + (CACHE_SECONDS if found else FAILURE_CACHE_SECONDS))
    return found


def address_granted(handler_input) -> bool:
    """Whether the person has granted the country and postal code permission (as the request says)."""
    user = getattr(getattr(handler_input.request_envelope.context, "system", None), "user", None)
    permissions = getattr(user, "permissions", None)
    scope = (getattr(permissions, "scopes", None) or {}).get(ADDRESS_SCOPE)
    status = getattr(getattr(scope, "status", None), "value", getattr(scope, "status", None))
    return status == "GRANTED"


def _ask_address_api(handler_input, device_id: str) -> str | None:
    factory = handler_input.service_client_factory
    if factory is None or not handler_input.request_envelope.context.system.api_access_token:
        return None
    try:
        answer = factory.get_device_address_service().get_country_and_postal_code(device_id)
    except Exception as exc:  # 403 (permission withdrawn), network, malformed: the zone decides
        log.warning("device country not available from the address API (%s)", type(exc).__name__)
        return None
    code = getattr(answer, "country_code", None)
    return code.upper() if isinstance(code, str) and len(code) == 2 and code.isalpha() else None


def zones_of(country: str) -> list[str]:
    """The time zones of a country, as zone.tab lists them (the simulator's devices are put there)."""
    return [zone for zone, code in _zone_countries().items() if code == country]


def zone_country(zone: str) -> str | None:
    """The country of an IANA time zone (its canonical name or an old alias), or None."""
    return _zone_countries().get(zone)


@functools.cache
def _zone_countries() -> dict[str, str]:
    """zone -> country from tzdata's zone.tab, with tzdata.zi's links (Asia/Calcutta, US/Eastern)."""
    from importlib import resources

    countries: dict[str, str] = {}
    try:
        folder = resources.files("tzdata").joinpath("zoneinfo")
        for line in folder.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                code, _, zone = line.split("\t")[:3]
                countries[zone] = code
        for line in folder.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
            if line.startswith("L "):
                _, target, link = line.split()[:3]
                if target in countries:
                    countries.setdefault(link, countries[target])
    except (ModuleNotFoundError, OSError, ValueError) as exc:
        log.warning("no time zone table (%s): the locale decides the country", type(exc).__name__)
    return countries
