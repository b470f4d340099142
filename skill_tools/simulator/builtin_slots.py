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

The words are data: the ``builtin_slots`` section of ``nlu/en-US.yaml`` and the number words of
:mod:`skill.text` (``skill/content/locales/en/words.yaml``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

from skill.text import for_locale
from skill_tools.simulator import locale_words

_WORDS = locale_words.WORDS["builtin_slots"]
_NUMBERS = for_locale(locale_words.LOCALE).data["numbers"]

_UNITS = {w: i for i, w in enumerate(_NUMBERS["units"][:10])}
_TEENS = {w: i + 10 for i, w in enumerate(_NUMBERS["units"][10:20])}
_TENS = {w: (i + 2) * 10 for i, w in enumerate(_NUMBERS["tens"])}
_HUNDRED, _THOUSAND, _AND = _NUMBERS["hundred"], _NUMBERS["thousand"], _NUMBERS["joiner"]
_AND_A_HALF = list(_NUMBERS["half"])                     # "two and a half"
_ARTICLES = [[w] for w in _WORDS["articles"]]            # "a hundred", "an hour"
_ORDINALS = {w: i + 1 for i, w in enumerate(_WORDS["ordinals"])}
_ORDINALS |= {w: (i + 2) * 10 for i, w in enumerate(_WORDS["ordinal_tens"])}
_ORDINAL_SUFFIX = "(?:" + "|".join(_WORDS["ordinal_suffixes"]) + ")"
_YEAR_ZEROS = frozenset(_WORDS["year_zeros"])

_MONTHS = {w: i for i, w in enumerate(_WORDS["months"], start=1)} | _WORDS["month_abbreviations"]
_WEEKDAYS = {w: i for i, w in enumerate(_WORDS["weekdays"])}
_SEASONS = _WORDS["seasons"]
_PERIODS = _WORDS["periods"]
_SHIFTS = sorted(((p.split(), shift) for p, shift in _WORDS["shifts"].items()),
                 key=lambda s: len(s[0]), reverse=True)          # "this past" before "this"
_DAY_OFFSETS = _WORDS["day_offsets"]
_PRESENT = frozenset(_WORDS["present"])
_AGO = _WORDS["ago"]
_DATE_FILLER = frozenset(_WORDS["date_fillers"])


def _words(text: str) -> list[str]:
    """Lower-case words and digit groups; hyphens split ("twenty-one"), "1,000" stays whole."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower().replace("-", " "))
    return re.findall(r"[a-z]+|\d+" + _ORDINAL_SUFFIX + "?", text)


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
    head = 1 if toks[:i] in _ARTICLES else below(toks[:i])
    rest = toks[i + 1:]
    if rest[:1] == [_AND]:
        rest = rest[1:]
    tail = below(rest) if rest else 0
    if not head or tail is None:
        return None
    size = 100 if scale == _HUNDRED else 1000
    return head * size + tail


def _below_1000(toks: list[str]) -> int | None:
    return _scaled(toks, _HUNDRED, _below_100)


def _cardinal(toks: list[str]) -> int | None:
    if len(toks) == 1 and toks[0].isdigit():
        return int(toks[0])
    return _scaled(toks, _THOUSAND, _below_1000)


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
        match = re.fullmatch(r"(\d+)" + _ORDINAL_SUFFIX, toks[0])
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
    elif _THOUSAND in toks:
        year = _cardinal(toks)
    else:
        for k in range(1, len(toks)):
            century, tail = _below_100(toks[:k]), toks[k:]
            if tail == [_HUNDRED]:
                rest = 0
            elif len(tail) == 2 and tail[0] in _YEAR_ZEROS and _UNITS.get(tail[1], 0) > 0:
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
    period = _PERIODS.get(word)
    if period == "WE":
        return _iso_week(today + timedelta(weeks=step)) + "-WE"
    if shift is None:
        return None
    if word in _MONTHS:
        return f"{today.year + step}-{_MONTHS[word]:02d}"
    if period == "W":
        return _iso_week(today + timedelta(weeks=step))
    if period == "M":
        year, month = divmod(today.year * 12 + today.month - 1 + step, 12)
        return f"{year}-{month + 1:02d}"
    if period == "Y":
        return str(today.year + step)
    if period == "X":
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
    if not toks or _AGO in toks:
        return None
    if phrase in _PRESENT:
        return "PRESENT_REF"
    if phrase in _DAY_OFFSETS:
        return (today + timedelta(days=_DAY_OFFSETS[phrase])).isoformat()
    shifted = next(((w, n) for w, n in _SHIFTS if toks[:len(w)] == w), None)
    if shifted:                                    # "next tuesday", "this past tuesday"
        rest = toks[len(shifted[0]):]
        return _relative(shifted[1], rest[0], today) if len(rest) == 1 else None
    if len(toks) == 1 and toks[0] not in _MONTHS:
        found = _relative(None, toks[0], today)    # "tuesday", "winter", "weekend"
        if found:
            return found
    if toks[0] in _WEEKDAYS and len(toks) > 1:
        toks = toks[1:]                            # "tuesday november tenth"
    return _calendar(toks, today)


# ---------------------------------------------------------------- durations

_DURATION_UNITS = _WORDS["duration_units"]
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
            "H": ("MIN", 60), "MIN": ("S", 60)}
_HEDGES = frozenset(_WORDS["hedges"])
_HALVES = [p.split() for p in _WORDS["halves"]]
_VAGUE_AMOUNTS = _WORDS["vague_amounts"]
_VAGUE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _VAGUE_AMOUNTS), key=len, reverse=True)) + r")\b")
_UNIT_AND_A_HALF = re.compile(r"\b(\w+) " + re.escape(" ".join(_AND_A_HALF)) + r"\b")
_HALF = Fraction(1, 2)


def _quantity(toks: list[str]) -> Fraction | None:
    """ "a", "two", "two and a half", "half a", "a half"."""
    if toks[:1] == [_AND]:                         # "two weeks and three days"
        toks = toks[1:]
    if toks in _HALVES:
        return _HALF
    extra = 0
    if toks[-len(_AND_A_HALF):] == _AND_A_HALF:
        toks, extra = toks[:-len(_AND_A_HALF)], _HALF
    whole = 1 if toks in _ARTICLES else _cardinal(toks) if toks else None
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


def duration_units(locale: str = locale_words.LOCALE) -> dict[str, tuple[int, str]]:
    """A locale's duration words -> (how many, ISO 8601 designator): "weeks" (1, "W"), "fortnight" (2, "W")."""
    units = locale_words.words(locale)["builtin_slots"]["duration_units"] if locale != locale_words.LOCALE \
        else _DURATION_UNITS
    return {word: (int(m[1] or 1), m[2]) for word, spec in units.items() if (m := re.fullmatch(r"(\d*)([A-Z]+)", spec))}


_UNITS_OF = {locale_words.LOCALE: duration_units()}


def resolve_duration(words: str, locale: str = locale_words.LOCALE) -> str | None:
    """AMAZON.DURATION value ("two weeks" -> "P2W", "two hours" -> "PT2H"), or None, as Alexa in
    ``locale`` would send it (en-GB: "a fortnight" -> "P2W").

    A trailing "ago" and a leading hedge ("about") are tolerated, since callers may leave them.
    """
    units = _UNITS_OF.get(locale)
    if units is None:
        units = _UNITS_OF.setdefault(locale, duration_units(locale))
    text = " ".join(_words(words))
    text = _VAGUE.sub(lambda m: _VAGUE_AMOUNTS[m[1]], text)       # "a couple of" -> "two"
    # "a week and a half" -> "a and a half week"
    text = _UNIT_AND_A_HALF.sub(
        lambda m: " ".join(_AND_A_HALF + [m[1]]) if m[1] in units else m[0], text)
    toks = text.split()
    if toks[-1:] == [_AGO]:
        toks = toks[:-1]
    while toks and toks[0] in _HEDGES:
        toks = toks[1:]
    parts: dict[str, Fraction] = {}
    pending: list[str] = []
    for tok in toks:
        if tok not in units:
            pending.append(tok)
            continue
        times, unit = units[tok]
        amount = _quantity(pending) if pending else None
        if amount is None or unit in parts:
            return None
        parts[unit], pending = amount * times, []
    if pending or not parts:
        return None
    return _iso_duration(parts)
