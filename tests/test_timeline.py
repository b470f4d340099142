"""Reading Alexa's date values as a surgery day, and the recovery milestones."""
from datetime import date

import pytest

from skill import speech, timeline

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    "value, kind, day",
    [
        ("2026-11-10", "day", date(2026, 11, 10)),
        ("2027-11-10", "day", date(2026, 11, 10)),  # Alexa's next-year habit undone
        ("2027-01-05", "day", date(2027, 1, 5)),  # nearer as a future date: kept
        ("XXXX-11-10", "day", date(2026, 11, 10)),
        ("XXXX-01-05", "day", date(2027, 1, 5)),
        ("2026-12-03", "day", date(2026, 12, 3)),
        ("PRESENT_REF", "day", TODAY),
        ("2026-W47", "week", date(2026, 11, 22)),
        ("2026-W48", "week", TODAY),  # this week: counted from today, not a future Sunday
        ("2026-W47-WE", "week", date(2026, 11, 22)),
        ("2028-06-01", "too_far", date(2028, 6, 1)),
        ("2026-WI", "unclear", None),
        ("2026-02-30", "unclear", None),
        ("", "unclear", None),
        (None, "unclear", None),
    ],
)
def test_read_date(value, kind, day):
    reading = timeline.read_date(value, TODAY)
    assert (reading.kind, reading.day) == (kind, day)


def test_month_only_asks_for_the_day():
    assert timeline.read_date("2026-11", TODAY) == timeline.DateReading("month", year=2026, month=11)
    assert timeline.read_date("2027-11", TODAY).year == 2026  # "in november", said in November
    assert timeline.read_date("2026-10", TODAY).year == 2026
    assert timeline.day_in_month(2026, 11, 10, TODAY).day == date(2026, 11, 10)
    assert timeline.day_in_month(2026, 2, 30, TODAY).kind == "unclear"


def test_leap_day_next_year_habit():
    assert timeline.read_date("2028-02-29", date(2028, 3, 10)).day == date(2028, 2, 29)


@pytest.mark.parametrize(
    "value, day",
    [("P2W", date(2026, 11, 10)), ("P10D", date(2026, 11, 14)), ("P1M", date(2026, 10, 24)),
     ("P1Y", date(2025, 11, 24)), ("P1M15D", date(2026, 10, 9)), ("P1.5W", date(2026, 11, 14)),
     ("PT12H", date(2026, 11, 24))],
)
def test_duration_ago(value, day):
    assert timeline.date_from_duration_ago(value, TODAY) == day


@pytest.mark.parametrize("value", ["", None, "P", "two weeks", "2W", "PXW"])
def test_bad_durations(value):
    assert timeline.date_from_duration_ago(value, TODAY) is None


def test_month_arithmetic_clamps_to_month_end():
    assert timeline.date_from_duration_ago("P1M", date(2026, 3, 31)) == date(2026, 2, 28)


def test_progress_milestones():
    p = timeline.Progress(today=TODAY, surgery=date(2026, 11, 10), lifting_weeks=6, pain_weeks=2)
    assert p.days_since == 14
    assert p.lifting_ends == date(2026, 12, 22)
    assert p.days_until_lifting == 28
    assert not p.within_pain_window
    assert timeline.Progress(TODAY, date(2026, 11, 20), 6, 2).within_pain_window


@pytest.mark.parametrize("days, text", [(0, "0 days"), (1, "1 day"), (13, "13 days"), (14, "2 weeks"),
                                        (15, "2 weeks and 1 day"), (30, "4 weeks and 2 days")])
def test_spoken_span(days, text):
    assert speech.spoken_span(days) == text


def test_spoken_dates():
    assert speech.spoken_date(date(2026, 12, 22)) == "Tuesday, December 22nd"
    assert speech.spoken_date(date(2026, 11, 11)) == "Wednesday, November 11th"
    assert speech.spoken_date(date(2027, 1, 1), TODAY) == "Friday, January 1st, 2027"


def test_ssml_escapes_and_slows_down():
    doc = speech.ssml("Tom & Jerry <3", "Call 911 now.")
    assert doc == ('<speak><prosody rate="90%">Tom &amp; Jerry &lt;3<break time="400ms"/>'
                   'Call <say-as interpret-as="digits">911</say-as> now.</prosody></speak>')
    assert speech.strip_tags(doc) == "Tom & Jerry <3 Call 911 now."
    with pytest.raises(ValueError):
        speech.ssml("word " * 2000)


def test_a_month_alone_is_read_with_the_same_nearer_year_rule():
    assert timeline.read_date("2027-12", date(2027, 1, 3)).year == 2026  # "in december", said in January


def test_february_29th_said_without_a_year():
    # Said on 2 March 2028, Alexa sends the next 29 February, in 2032.
    assert timeline.read_date("2032-02-29", date(2028, 3, 2)).day == date(2028, 2, 29)


@pytest.mark.parametrize("value", ["P99999Y", "P9999999999D", "P1000000W", "P51Y"])
def test_absurd_durations_are_not_a_surgery_date(value):
    assert timeline.date_from_duration_ago(value, TODAY) is None


def test_next_such_day():
    assert timeline.is_next_such_day("2026-12-10", TODAY)
    assert not timeline.is_next_such_day("2026-10-05", TODAY)
    assert not timeline.is_next_such_day("XXXX-12-10", TODAY)
    assert not timeline.is_next_such_day("2026-12", TODAY)
