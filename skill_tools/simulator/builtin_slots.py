"""Spoken words -> the values Alexa sends for built-in slot types.

The local simulator uses this so that the skill is tested against what a real device sends,
habits included (see shared/alexa-facts.md):

- AMAZON.DATE: a day said without a year is the NEXT such day on or after today, so a surgery
  on "november tenth" told on 2026-11-24 arrives as "2027-11-10"; weeks are ISO weeks
  ("2026-W48", weekend "2026-W48-WE"), months "2026-11", years "2027", decades "202X",
  seasons "2026-WI" (SP, SU, FA); "right now" is "PRESENT_REF". "two weeks ago" is no date.
- AMAZON.DURATION: ISO 8601 durations ("P2W", "P10D", "PT2H"), whole numbers only.
- AMAZON.NUMBER: digits as a string ("21").

Choices where Alexa's behaviour is not documented (kept simple, and tested):
- "next tuesday" is the Tuesday of next (ISO) week; "tuesday" / "this tuesday" the next one
  on or after today; "last tuesday" the most recent one before today.
- "last october" / "next october" are the previous / next calendar year's October, "this
  october" the current year's, a bare "october" the next one on or after the current month.
- "the tenth" (day only) is the next 10th on or after today.
- Spoken years are accepted from 1900 to 2099 only, so "november ten twenty" is no date.
- Fractions of weeks and months become whole days, rounded down ("a week and a half" is
  "P10D", "a month and a half" "P1M15D"); fractions of years, days, hours become the next
  smaller unit exactly ("P1Y6M", "P1DT12H", "PT1H30M"). Weeks mixed with other units are
  turned into days, since ISO 8601 does not combine W with other designators.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine".split())}
_TEENS = {w: i + 10 for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: (i + 2) * 10 for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split())}
_ORDINALS |= {"twentieth": 20, "thirtieth": 30}

_MONTHS = {}
for _i, _name in enumerate("january february march april may june july august september "
                           "october november december".split(), start=1):
    _MONTHS[_name] = _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9
_WEEKDAYS = {w: i for i, w in enumerate(
    "monday tuesday wednesday thursday friday saturday sunday".split())}
_SEASONS = {"winter": "WI", "spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA"}
_SHIFTS = {"last": -1, "past": -1, "this": 0, "coming": 0, "next": 1}
_DAY_OFFSETS = {"today": 0, "tonight": 0, "tomorrow": 1, "day after tomorrow": 2,
                "yesterday": -1, "day before yesterday": -2}
_DATE_FILLER = {"the", "of", "on", "in"}


def _words(text: str) -> list[str]:
    """Lower-case words and digit groups; hyphens split ("twenty-one"), "1,000" stays whole."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower().replace("-", " "))
    return re.findall(r"[a-z]+|\d+(?:st|nd|rd|th)?", text)


# ---------------------------------------------------------------- numbers

def _below_100(toks: list[str]) -> int | None:
    """ "seven", "fifteen", "forty", "forty two" (strict: "twenty twenty" is no number)."""
    if len(toks) == 1:
        word = toks[0]
        if word.isdigit():
            return int(word) if int(word) < 100 else None
        return _UNITS.get(word, _TEENS.get(word, _TENS.get(word)))
    if len(toks) == 2 and toks[0] in _TENS and _UNITS.get(toks[1], 0) > 0:
        return _TENS[toks[0]] + _UNITS[toks[1]]
    return None


def _scaled(toks: list[str], scale: str, below) -> int | None:
    """ "[a|N] scale [and] rest", e.g. "one hundred and five"; `below` parses the parts."""
    if scale not in toks:
        return below(toks)
    i = toks.index(scale)
    head = 1 if toks[:i] in (["a"], ["an"]) else below(toks[:i])
    rest = toks[i + 1:]
    if rest[:1] == ["and"]:
        rest = rest[1:]
    tail = below(rest) if rest else 0
    if not head or tail is None:
        return None
    size = 100 if scale == "hundred" else 1000
    return head * size + tail


def _below_1000(toks: list[str]) -> int | None:
    return _scaled(toks, "hundred", _below_100)


def _cardinal(toks: list[str]) -> int | None:
    if len(toks) == 1 and toks[0].isdigit():
        return int(toks[0])
    return _scaled(toks, "thousand", _below_1000)


def number_words(text: str) -> int | None:
    """The whole number said in `text` ("one hundred and five" -> 105, "7" -> 7), else None.

    Up to 999,999: enough for what a person tells a health skill.
    """
    toks = _words(text)
    return _cardinal(toks) if toks else None


def resolve_number(words: str) -> str | None:
    """AMAZON.NUMBER value: the number as digits ("twenty one" -> "21"), or None."""
    value = number_words(words)
    return None if value is None else str(value)


# ---------------------------------------------------------------- dates

def _ordinal(toks: list[str]) -> int | None:
    """ "tenth", "twenty first", "10th"."""
    if len(toks) == 1:
        match = re.fullmatch(r"(\d+)(st|nd|rd|th)", toks[0])
        return int(match[1]) if match else _ORDINALS.get(toks[0])
    if len(toks) == 2 and toks[0] in _TENS and _ORDINALS.get(toks[1], 10) < 10:
        return _TENS[toks[0]] + _ORDINALS[toks[1]]
    return None


def _day(toks: list[str], ordinal_only: bool = False) -> int | None:
    """A day of the month, 1..31: "tenth", or (unless ordinal_only) "ten" / "10"."""
    day = _ordinal(toks)
    if day is None and not ordinal_only:
        day = _below_100(toks)
    return day if day is not None and 1 <= day <= 31 else None


def _year(toks: list[str]) -> int | None:
    """A spoken year: "2026", "twenty twenty six", "two thousand (and) six",
    "nineteen ninety nine", "nineteen oh five", "nineteen hundred"; 1900..2099 only."""
    year = None
    if len(toks) == 1 and re.fullmatch(r"\d{4}", toks[0]):
        year = int(toks[0])
    elif "thousand" in toks:
        year = _cardinal(toks)
    else:
        for k in range(1, len(toks)):
            century, tail = _below_100(toks[:k]), toks[k:]
            if tail == ["hundred"]:
                rest = 0
            elif len(tail) == 2 and tail[0] in ("oh", "o") and _UNITS.get(tail[1], 0) > 0:
                rest = _UNITS[tail[1]]
            else:
                rest = _below_100(tail)
                rest = rest if rest is not None and rest >= 10 else None
            if century is not None and rest is not None:
                year = century * 100 + rest
                break
    return year if year is not None and 1900 <= year <= 2099 else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_of_year(month: int, day: int, today: date) -> date | None:
    """Alexa's habit: month and day without a year -> the next one on or after today.
    Nine years cover a 29 February across a skipped leap year (2096 -> 2104)."""
    for year in range(today.year, today.year + 9):
        found = _valid(year, month, day)
        if found and found >= today:
            return found
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    """ "the tenth": the next 10th on or after today (skips months too short for it)."""
    for ahead in range(3):
        year, month = divmod(today.year * 12 + today.month - 1 + ahead, 12)
        found = _valid(year, month + 1, day)
        if found and found >= today:
            return found
    return None


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weekday(today: date, weekday: int, shift: int | None) -> date:
    if shift == -1:                                   # most recent one before today
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    if shift == 1:                                    # the one in next week
        return today + timedelta(days=7 - today.weekday() + weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)   # on or after today


def _relative(shift: int | None, word: str, today: date) -> str | None:
    """ "[last|this|next] <word>" where word is a weekday, month, season or calendar unit."""
    step = shift or 0
    if word in _WEEKDAYS:
        return _weekday(today, _WEEKDAYS[word], shift).isoformat()
    if word in _SEASONS:
        return f"{today.year + step}-{_SEASONS[word]}"
    if word == "weekend":
        return _iso_week(today + timedelta(weeks=step)) + "-WE"
    if shift is None:
        return None
    if word in _MONTHS:
        return f"{today.year + step}-{_MONTHS[word]:02d}"
    if word == "week":
        return _iso_week(today + timedelta(weeks=step))
    if word == "month":
        year, month = divmod(today.year * 12 + today.month - 1 + step, 12)
        return f"{year}-{month + 1:02d}"
    if word == "year":
        return str(today.year + step)
    if word == "decade":
        return f"{today.year // 10 + step}X"
    return None


def _calendar(toks: list[str], today: date) -> str | None:
    """Month/day/year phrasings: "november tenth [2026]", "tenth november", "november
    [2026]", "the tenth", "twenty twenty six"."""
    month_at = next((i for i, t in enumerate(toks) if t in _MONTHS), None)
    if month_at is None:
        day = _day(toks, ordinal_only=True)        # a bare "ten" is a number, not a date
        if day is not None:
            found = _next_day_of_month(day, today)
            return found.isoformat() if found else None
        year = _year(toks)
        return str(year) if year else None
    month = _MONTHS[toks[month_at]]
    if month_at == 0:                              # november [tenth] [twenty twenty six]
        rest = toks[1:]
        if not rest:
            return f"{today.year + (month < today.month)}-{month:02d}"   # next on/after now
        splits = [(rest[:k], rest[k:]) for k in (1, 2)]
    else:                                          # tenth november [twenty twenty six]
        splits = [(toks[:month_at], toks[month_at + 1:])]
    for day_toks, year_toks in splits:
        day = _day(day_toks)
        year = _year(year_toks) if year_toks else None
        if day is None or (year_toks and year is None):
            continue
        found = _valid(year, month, day) if year else _next_day_of_year(month, day, today)
        return found.isoformat() if found else None
    year = _year(toks[1:]) if month_at == 0 else None
    return f"{year}-{month:02d}" if year else None


def resolve_date(words: str, today: date) -> str | None:
    """AMAZON.DATE value for the spoken words, as Alexa would send it on the device's local
    date `today`; None when the words are no date (e.g. "two weeks ago", a duration)."""
    toks = [t for t in _words(words) if t not in _DATE_FILLER]
    phrase = " ".join(toks)
    if not toks or "ago" in toks:
        return None
    if phrase in ("now", "right now"):
        return "PRESENT_REF"
    if phrase in _DAY_OFFSETS:
        return (today + timedelta(days=_DAY_OFFSETS[phrase])).isoformat()
    if toks[0] == "this" and toks[1:2] in (["past"], ["coming"]):
        toks = toks[1:]                            # "this past tuesday" = "last tuesday"
    if toks[0] in _SHIFTS:
        return _relative(_SHIFTS[toks[0]], toks[1], today) if len(toks) == 2 else None
    if len(toks) == 1 and toks[0] not in _MONTHS:
        found = _relative(None, toks[0], today)    # "tuesday", "winter", "weekend"
        if found:
            return found
    if toks[0] in _WEEKDAYS and len(toks) > 1:
        toks = toks[1:]                            # "tuesday november tenth"
    return _calendar(toks, today)


# ---------------------------------------------------------------- durations

_DURATION_UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D",
                   "hour": "H", "minute": "MIN", "second": "S"}
_DURATION_UNITS |= {unit + "s": code for unit, code in _DURATION_UNITS.items()}
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
            "H": ("MIN", 60), "MIN": ("S", 60)}
_HEDGES = {"about", "around", "roughly", "almost", "nearly", "just", "over", "only"}
_HALF = Fraction(1, 2)


def _quantity(toks: list[str]) -> Fraction | None:
    """ "a", "two", "two and a half", "half a", "a half"."""
    if toks[:1] == ["and"]:                        # "two weeks and three days"
        toks = toks[1:]
    if toks in (["half", "a"], ["half", "an"], ["a", "half"]):
        return _HALF
    extra = 0
    if toks[-3:] == ["and", "a", "half"]:
        toks, extra = toks[:-3], _HALF
    whole = 1 if toks in (["a"], ["an"]) else _cardinal(toks) if toks else None
    return None if whole is None else Fraction(whole) + extra


def _iso_duration(parts: dict[str, Fraction]) -> str:
    """Whole-number ISO 8601 duration from unit -> amount (see the module docstring)."""
    for unit in ("Y", "M", "W", "D", "H", "MIN", "S"):
        amount = parts.get(unit)
        if amount is None or amount.denominator == 1:
            continue
        whole = int(amount)
        parts[unit] = Fraction(whole)
        if unit in _SMALLER:
            smaller, factor = _SMALLER[unit]
            moved = (amount - whole) * factor
            if unit in ("M", "W"):                 # days stay whole
                moved = Fraction(int(moved))
            parts[smaller] = parts.get(smaller, Fraction(0)) + moved
        if not whole:
            del parts[unit]
    if "W" in parts and len(parts) > 1:
        parts["D"] = parts.get("D", Fraction(0)) + 7 * parts.pop("W")
    day_part = "".join(f"{int(parts[u])}{u}" for u in ("Y", "M", "W", "D") if u in parts)
    time_part = "".join(f"{int(parts[u])}{u[0]}" for u in ("H", "MIN", "S") if u in parts)
    return "P" + day_part + ("T" + time_part if time_part else "")


def resolve_duration(words: str) -> str | None:
    """AMAZON.DURATION value ("two weeks" -> "P2W", "two hours" -> "PT2H"), or None.

    A trailing "ago" and a leading hedge ("about") are tolerated, since callers may leave them.
    """
    text = " ".join(_words(words))
    text = re.sub(r"\b(?:a )?couple(?: of)?\b", "two", text)
    text = re.sub(r"\b(?:a )?few\b", "three", text)
    # "a week and a half" -> "a and a half week"
    text = re.sub(r"\b(\w+) and a half\b",
                  lambda m: f"and a half {m[1]}" if m[1] in _DURATION_UNITS else m[0], text)
    toks = text.split()
    if toks[-1:] == ["ago"]:
        toks = toks[:-1]
    while toks and toks[0] in _HEDGES:
        toks = toks[1:]
    parts: dict[str, Fraction] = {}
    pending: list[str] = []
    for tok in toks:
        unit = _DURATION_UNITS.get(tok)
        if unit is None:
            pending.append(tok)
            continue
        amount = _quantity(pending) if pending else None
        if amount is None or unit in parts:
            return None
        parts[unit], pending = amount, []
    if pending or not parts:
        return None
    return _iso_duration(parts)
