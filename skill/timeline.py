"""Surgery-date arithmetic and the reading of Alexa's AMAZON.DATE / AMAZON.DURATION values.

Plain Python (no SDK): every function takes "today" as an argument, because today
is the device's local date, worked out by the handlers from the request, never the
server clock.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

# How far ahead a surgery date may be before we think Alexa misheard.
MAX_DAYS_AHEAD = 366
# A duration longer than this ago ("a hundred years ago") is not a surgery date.
MAX_MONTHS_AGO = 12 * 50


# The records here and in triage/content are NamedTuples, not dataclasses: the same
# immutable value objects, but a frozen dataclass costs 1-2 ms of every cold start to
# create (it compiles its generated methods), a NamedTuple a tenth of that.


class DateReading(NamedTuple):
    """What an AMAZON.DATE value means for a surgery date.

    kind: "day" (a date to confirm), "month" (ask for the day), "week" (a whole
    week: we count from its last day so far, the cautious choice for lifting),
    "too_far" (more than a year ahead) or "unclear" (a year, season, decade...).
    """

    kind: str
    day: date | None = None
    year: int | None = None
    month: int | None = None
    week_start: date | None = None


# Patterns, compiled by re (and kept in its cache) the first time a date is read,
# not at import: most requests, and the cold start, read no date.
_FULL = r"^(\d{4}|XXXX)-(\d{2})-(\d{2})$"
_MONTH = r"^(\d{4}|XXXX)-(\d{2})$"
_WEEK = r"^(\d{4})-W(\d{1,2})(-WE)?$"
_DURATION = (
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<min>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def read_date(value: str | None, today: date) -> DateReading:
    """Interpret an AMAZON.DATE slot value as the day of a surgery, relative to ``today``."""
    value = (value or "").strip().upper()
    if value == "PRESENT_REF":
        return DateReading("day", day=today)
    if m := re.match(_FULL, value):
        month, day_of_month = int(m[2]), int(m[3])
        if m[1] == "XXXX":
            return _nearest_day(month, day_of_month, today)
        try:
            said = date(int(m[1]), month, day_of_month)
        except ValueError:
            return DateReading("unclear")
        return _undo_next_year(said, today)
    if m := re.match(_MONTH, value):
        month = int(m[2])
        if not 1 <= month <= 12:
            return DateReading("unclear")
        year = _nearest_year_for_month(month, today) if m[1] == "XXXX" else int(m[1])
        first = date(year, month, 1)
        if first > today and (today - first.replace(year=year - 1)) < (first - today):
            year -= 1  # same habit as for days: "in december" said in January means last December
        return DateReading("month", year=year, month=month)
    if m := re.match(_WEEK, value):
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return DateReading("unclear")
        start = monday + timedelta(days=5) if m[3] else monday
        last = min(monday + timedelta(days=6), today) if start <= today else monday + timedelta(days=6)
        return DateReading("week", day=last, week_start=start)
    return DateReading("unclear")


def is_next_such_day(value: str | None, today: date) -> bool:
    """Whether an AMAZON.DATE value looks like a day said alone ("the tenth"): Alexa sends its next
    occurrence, a full date within a month from today. Such a value only names the day of the month."""
    if not value or not re.match(_FULL, value.strip().upper()) or value.startswith("XXXX"):
        return False
    try:
        said = date.fromisoformat(value.strip())
    except ValueError:
        return False
    return 0 <= (said - today).days <= 31


def day_in_month(year: int, month: int, day_of_month: int, today: date) -> DateReading:
    """The reading once the person names the day of a month they gave earlier."""
    try:
        return _check_ahead(date(year, month, day_of_month), today)
    except ValueError:
        return DateReading("unclear")


def date_from_duration_ago(value: str | None, today: date) -> date | None:
    """The day that lies an AMAZON.DURATION (P2W, P10D, P1M...) before ``today``."""
    m = re.match(_DURATION, (value or "").strip().upper())
    if not m or not any(m.groupdict().values()):
        return None
    part = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    days = part["w"] * 7 + part["d"] + (part["h"] + part["min"] / 60 + part["s"] / 3600) / 24
    months = part["y"] * 12 + part["m"]
    if months + days / 30 > MAX_MONTHS_AGO:
        return None
    whole_months = int(months)
    days += (months - whole_months) * 30
    try:
        return _months_before(today, whole_months) - timedelta(days=round(days))
    except (ValueError, OverflowError):
        return None


def is_under_a_day(value: str | None) -> bool:
    """An AMAZON.DURATION shorter than a day ("a few minutes ago", "just now"): something that just
    happened, never a surgery date."""
    m = re.match(_DURATION, (value or "").strip().upper())
    if not m:
        return False
    part = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    return not (part["y"] or part["m"] or part["w"] or part["d"] >= 1) and (
        part["d"] * 24 + part["h"] + part["min"] / 60 + part["s"] / 3600 < 24)


def _months_before(d: date, months: int) -> date:
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    month += 1
    for day_of_month in (d.day, 30, 29, 28):
        try:
            return date(year, month, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _undo_next_year(said: date, today: date) -> DateReading:
    """Alexa turns a day said without a year into the next such day, often next year.

    A person naming their surgery means a recent past day far more often than a day
    almost a year ahead, so when the same day a year earlier is nearer to today we
    take that one. The read-back before storing lets the person correct us.
    """
    if said > today:
        try:
            year_before = said.replace(year=said.year - 1)
        except ValueError:  # 29 February: the last one was four years earlier
            year_before = said.replace(year=said.year - 4)
        if year_before and year_before <= today and (today - year_before) < (said - today):
            said = year_before
    return _check_ahead(said, today)


def _nearest_day(month: int, day_of_month: int, today: date) -> DateReading:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day_of_month))
        except ValueError:
            continue
    if not candidates:
        return DateReading("unclear")
    best = min(candidates, key=lambda d: (abs((d - today).days), d > today))
    return _check_ahead(best, today)


def _nearest_year_for_month(month: int, today: date) -> int:
    return today.year if month <= today.month else today.year - 1


def _check_ahead(day: date, today: date) -> DateReading:
    if (day - today).days > MAX_DAYS_AHEAD:
        return DateReading("too_far", day=day)
    return DateReading("day", day=day)


class Progress(NamedTuple):
    """Where a person is in their recovery, in the article's own milestones."""

    today: date
    surgery: date
    lifting_weeks: int
    pain_weeks: int

    @property
    def days_since(self) -> int:
        return (self.today - self.surgery).days

    @property
    def lifting_ends(self) -> date:
        return self.surgery + timedelta(weeks=self.lifting_weeks)

    @property
    def pain_eases(self) -> date:
        return self.surgery + timedelta(weeks=self.pain_weeks)

    @property
    def days_until_lifting(self) -> int:
        return (self.lifting_ends - self.today).days

    @property
    def within_pain_window(self) -> bool:
        return 0 <= self.days_since < self.pain_weeks * 7
