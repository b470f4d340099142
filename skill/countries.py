"""Where the device is: each country's safety numbers and ways of saying things, as content data.

The emergency number is the one sentence that must never be wrong, and it depends on the country,
not the language (``skill/content/countries.yaml``). The content's sentences name numbers and
services only with placeholders (``{emergency}``, ``{crisis_now}``...); :func:`render` fills them for
one country. A country the data does not list gets the ``other`` entry, which names no number.
"""
from __future__ import annotations

import re
from typing import NamedTuple

OTHER = "other"


class Country(NamedTuple):
    code: str                   # ISO 3166 alpha-2, or "other"
    name: str
    date_order: str             # month_first ("Tuesday, December 22nd") or day_first ("Tuesday the 22nd of December")
    temperature: str            # fahrenheit or celsius: said first
    numbers: dict               # number as written -> how it is said: digits, telephone, or an alias
    says: dict                  # placeholder -> its words here
    sources: tuple              # one per number: who publishes it, where, when checked, confirmed or not


def country(data: dict, code: str | None) -> Country:
    """The country ``code`` of the countries data, or the ``other`` entry when the data has none."""
    spec = data["countries"].get(code or "")
    if spec is None:
        code, spec = OTHER, data[OTHER]
    return Country(code, spec["name"], spec["date_order"], spec["temperature"], dict(spec["numbers"]),
                   dict(spec["says"]), tuple(spec.get("sources", ())))


def of_locale(data: dict, locale: str) -> str:
    """The country a device of this locale is taken to be in when nothing better is known."""
    return data["locale_countries"].get(locale, OTHER)


_PLACEHOLDER = re.compile(r"\{(\w+)\}|\{temp:(\d+(?:\.\d+)?)\|(\d+(?:\.\d+)?)\}")


def render(value, place: Country):
    """``value`` (a string, or lists and dicts of them) with the country's placeholders filled;
    other placeholders ({date}, {weeks}...) are left for the handlers."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: _filled(m, place), value) if "{" in value else value
    if isinstance(value, dict):
        return {render(k, place): render(v, place) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, place) for v in value]
    return value


def _filled(match: re.Match, place: Country) -> str:
    name, fahrenheit, celsius = match.groups()
    if name is not None:
        return place.says.get(name, match.group(0))
    pair = (f"{fahrenheit} F", f"{celsius} C")     # {temp:100.4|38}: the country's scale first
    first, second = pair if place.temperature == "fahrenheit" else pair[::-1]
    return f"{first} ({second})"


def placeholders(data: dict) -> frozenset[str]:
    """Every placeholder a country must fill (the ``other`` entry's)."""
    return frozenset(data[OTHER]["says"])
