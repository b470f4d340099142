"""What the simulator says Alexa sends for built-in slots (shared/alexa-facts.md is the source)."""

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run without installing

from skill_tools.simulator.builtin_slots import (  # noqa: E402
    number_words,
    resolve_date,
    resolve_duration,
    resolve_number,
)

TODAY = date(2026, 11, 24)  # a Tuesday, ISO week 48

# Every row of the AMAZON.DATE table in shared/alexa-facts.md.
FACTS_TABLE = [
    ("today", "2026-11-24"),
    ("december third", "2026-12-03"),
    ("november tenth", "2027-11-10"),
    ("last tuesday", "2026-11-17"),
    ("yesterday", "2026-11-23"),
    ("this week", "2026-W48"),
    ("last week", "2026-W47"),
    ("this weekend", "2026-W48-WE"),
    ("this month", "2026-11"),
    ("next month", "2026-12"),
    ("next year", "2027"),
    ("this decade", "202X"),
    ("this winter", "2026-WI"),
]

PHRASINGS = [
    # relative days
    ("the day before yesterday", "2026-11-22"),
    ("tomorrow", "2026-11-25"),
    ("day after tomorrow", "2026-11-26"),
    ("right now", "PRESENT_REF"),
    # month and day, no year: the next one on or after today
    ("november the tenth", "2027-11-10"),
    ("the tenth of november", "2027-11-10"),
    ("nov tenth", "2027-11-10"),
    ("november ten", "2027-11-10"),
    ("november 10", "2027-11-10"),
    ("november 10th", "2027-11-10"),
    ("on november tenth", "2027-11-10"),
    ("november twenty fourth", "2026-11-24"),
    ("november twenty-fifth", "2026-11-25"),
    ("november thirtieth", "2026-11-30"),
    ("december thirty first", "2026-12-31"),
    ("the third of december", "2026-12-03"),
    ("sept first", "2027-09-01"),
    ("tuesday november tenth", "2027-11-10"),
    # with a year: kept
    ("november tenth twenty twenty six", "2026-11-10"),
    ("november tenth two thousand twenty six", "2026-11-10"),
    ("november tenth two thousand and twenty six", "2026-11-10"),
    ("november 10 2026", "2026-11-10"),
    ("november 10, 2026", "2026-11-10"),
    ("the tenth of november twenty twenty six", "2026-11-10"),
    ("november twenty twenty twenty five", "2025-11-20"),
    ("march fifth nineteen ninety nine", "1999-03-05"),
    ("march fifth nineteen oh five", "1905-03-05"),
    ("july fourth twenty twenty seven", "2027-07-04"),
    # day only: the next such day, full date
    ("the tenth", "2026-12-10"),
    ("the 10th", "2026-12-10"),
    ("the twenty fourth", "2026-11-24"),
    ("the thirtieth", "2026-11-30"),
    ("the thirty first", "2026-12-31"),
    # weekdays
    ("this tuesday", "2026-11-24"),
    ("on tuesday", "2026-11-24"),
    ("tuesday", "2026-11-24"),
    ("next tuesday", "2026-12-01"),
    ("wednesday", "2026-11-25"),
    ("next wednesday", "2026-12-02"),
    ("last wednesday", "2026-11-18"),
    ("last monday", "2026-11-23"),
    ("monday", "2026-11-30"),
    ("this past sunday", "2026-11-22"),
    ("this coming friday", "2026-11-27"),
    # weeks, weekends, months, years, seasons
    ("next week", "2026-W49"),
    ("the past week", "2026-W47"),
    ("last weekend", "2026-W47-WE"),
    ("next weekend", "2026-W49-WE"),
    ("the weekend", "2026-W48-WE"),
    ("last month", "2026-10"),
    ("in october", "2027-10"),
    ("october", "2027-10"),
    ("november", "2026-11"),
    ("in december", "2026-12"),
    ("last october", "2025-10"),
    ("this october", "2026-10"),
    ("next october", "2027-10"),
    ("october twenty twenty five", "2025-10"),
    ("october of twenty twenty five", "2025-10"),
    ("november twenty twenty six", "2026-11"),
    ("this year", "2026"),
    ("last year", "2025"),
    ("in twenty twenty five", "2025"),
    ("2025", "2025"),
    ("two thousand and nine", "2009"),
    ("last decade", "201X"),
    ("this spring", "2026-SP"),
    ("this summer", "2026-SU"),
    ("this fall", "2026-FA"),
    ("last autumn", "2025-FA"),
    ("next winter", "2027-WI"),
    ("winter", "2026-WI"),
]

NOT_DATES = [
    "two weeks ago",
    "a week ago",
    "my back hurts",
    "the thirty first of february",
    "february thirtieth",
    "april thirty first twenty twenty six",
    "february twenty ninth twenty twenty seven",
    "ten",
    "twenty",
    "november thirty second",
    "next",
    "last blue",
    "",
]


@pytest.mark.parametrize("words, value", FACTS_TABLE + PHRASINGS)
def test_resolve_date(words, value):
    assert resolve_date(words, TODAY) == value


@pytest.mark.parametrize("words", NOT_DATES)
def test_not_a_date(words):
    assert resolve_date(words, TODAY) is None


@pytest.mark.parametrize("today, words, value", [
    # year boundary
    (date(2026, 12, 30), "january second", "2027-01-02"),
    (date(2026, 12, 30), "the second", "2027-01-02"),
    (date(2026, 12, 30), "december thirtieth", "2026-12-30"),
    (date(2026, 12, 30), "december twenty ninth", "2027-12-29"),
    (date(2026, 12, 30), "next month", "2027-01"),
    (date(2026, 12, 30), "january", "2027-01"),
    (date(2026, 12, 30), "tomorrow", "2026-12-31"),
    (date(2027, 1, 1), "yesterday", "2026-12-31"),
    (date(2027, 1, 15), "last month", "2026-12"),
    (date(2027, 1, 15), "last year", "2026"),
    # ISO weeks across a year boundary: 2027-01-04 is the Monday of 2027-W01
    (date(2027, 1, 4), "last week", "2026-W53"),
    (date(2027, 1, 4), "this week", "2027-W01"),
    (date(2026, 1, 1), "last week", "2025-W52"),
    (date(2027, 1, 1), "this week", "2026-W53"),    # a Friday still in ISO 2026
    (date(2027, 1, 1), "this weekend", "2026-W53-WE"),
    (date(2026, 12, 31), "next week", "2027-W01"),
    # Sunday is the end of its ISO week
    (date(2026, 11, 29), "this weekend", "2026-W48-WE"),
    (date(2026, 11, 29), "last sunday", "2026-11-22"),
    (date(2026, 11, 29), "sunday", "2026-11-29"),
    (date(2026, 11, 29), "next monday", "2026-11-30"),
    # leap day: the next 29 February
    (TODAY, "february twenty ninth", "2028-02-29"),
    (TODAY, "february twenty ninth twenty twenty eight", "2028-02-29"),
    (date(2028, 2, 29), "february twenty ninth", "2028-02-29"),
    (date(2028, 3, 1), "february twenty ninth", "2032-02-29"),
    (date(2096, 3, 1), "february twenty ninth", "2104-02-29"),  # 2100 is no leap year
    # day only, skipping a month too short for it
    (date(2027, 1, 31), "the thirtieth", "2027-03-30"),
    (date(2027, 1, 31), "the thirty first", "2027-01-31"),
])
def test_resolve_date_edges(today, words, value):
    assert resolve_date(words, today) == value


@pytest.mark.parametrize("words, value", [
    ("two weeks", "P2W"),
    ("ten days", "P10D"),
    ("a month", "P1M"),
    ("one month", "P1M"),
    ("a week and a half", "P10D"),
    ("one and a half weeks", "P10D"),
    ("three and a half weeks", "P24D"),
    ("half a week", "P3D"),
    ("a couple of weeks", "P2W"),
    ("a couple weeks", "P2W"),
    ("a few days", "P3D"),
    ("few weeks", "P3W"),
    ("six months", "P6M"),
    ("a month and a half", "P1M15D"),
    ("a year", "P1Y"),
    ("a year and a half", "P1Y6M"),
    ("half a year", "P6M"),
    ("two hours", "PT2H"),
    ("an hour and a half", "PT1H30M"),
    ("half an hour", "PT30M"),
    ("a day and a half", "P1DT12H"),
    ("ten minutes", "PT10M"),
    ("two weeks and three days", "P17D"),
    ("a year and two months", "P1Y2M"),
    ("one day", "P1D"),
    ("twenty one days", "P21D"),
    ("3 weeks", "P3W"),
    ("two weeks ago", "P2W"),
    ("about six weeks", "P6W"),
])
def test_resolve_duration(words, value):
    assert resolve_duration(words) == value


@pytest.mark.parametrize("words", [
    "", "weeks", "my back hurts", "tuesday", "two weeks weeks", "blue days", "ago",
])
def test_not_a_duration(words):
    assert resolve_duration(words) is None


@pytest.mark.parametrize("words, value", [
    ("six", "6"),
    ("zero", "0"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("twenty one", "21"),
    ("twenty-one", "21"),
    ("ninety nine", "99"),
    ("one hundred", "100"),
    ("a hundred", "100"),
    ("one hundred and five", "105"),
    ("one hundred five", "105"),
    ("two thousand twenty six", "2026"),
    ("three thousand four hundred and twelve", "3412"),
    ("7", "7"),
    ("1,000", "1000"),
])
def test_resolve_number(words, value):
    assert resolve_number(words) == value
    assert number_words(words) == int(value)


@pytest.mark.parametrize("words", [
    "", "my back hurts", "twenty twenty", "one two", "and", "five and six", "tenth",
    "hundred and", "twenty zero",
])
def test_not_a_number(words):
    assert resolve_number(words) is None
