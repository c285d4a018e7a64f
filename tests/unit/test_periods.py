"""Period arithmetic checked against calendars worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygghet.config import today_stockholm
from trygghet.figures.periods import (
    Grain,
    Period,
    meeting_window,
    period_containing,
    periods_between,
    previous_meeting,
    same_period_last_year,
    shift_years,
)

D = dt.date
AGREEMENT_2019 = (D(2019, 4, 1), D(2023, 3, 31))


@pytest.mark.parametrize(
    "grain,day,start,end,label",
    [
        ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29), "februari 2024"),  # leap year
        ("month", D(2023, 2, 10), D(2023, 2, 1), D(2023, 2, 28), "februari 2023"),
        ("month", D(2024, 12, 31), D(2024, 12, 1), D(2024, 12, 31), "december 2024"),
        ("quarter", D(2024, 5, 15), D(2024, 4, 1), D(2024, 6, 30), "kvartal 2 2024"),
        ("quarter", D(2024, 12, 1), D(2024, 10, 1), D(2024, 12, 31), "kvartal 4 2024"),
        ("tertial", D(2024, 4, 30), D(2024, 1, 1), D(2024, 4, 30), "tertial 1 2024 (jan–apr)"),
        ("tertial", D(2024, 5, 1), D(2024, 5, 1), D(2024, 8, 31), "tertial 2 2024 (maj–aug)"),
        ("tertial", D(2024, 12, 31), D(2024, 9, 1), D(2024, 12, 31), "tertial 3 2024 (sep–dec)"),
        ("year", D(2024, 7, 1), D(2024, 1, 1), D(2024, 12, 31), "2024"),
        # ISO weeks: 2024-12-30 is Monday of week 1 of 2025; 2021-01-03 is Sunday of week 53 of 2020.
        ("week", D(2024, 12, 31), D(2024, 12, 30), D(2025, 1, 5), "vecka 1 2025"),
        ("week", D(2021, 1, 3), D(2020, 12, 28), D(2021, 1, 3), "vecka 53 2020"),
    ],
)
def test_calendar_periods(grain, day, start, end, label):
    period = period_containing(grain, day)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_leap_year_has_366_days_and_february_29():
    assert period_containing("year", D(2024, 6, 1)).days == 366
    assert period_containing("year", D(2023, 6, 1)).days == 365
    assert period_containing("month", D(2024, 2, 29)).days == 29


def test_agreement_span_is_one_period_and_cuts_its_calendar_years():
    whole = period_containing(Grain.AGREEMENT, D(2020, 1, 1), span=AGREEMENT_2019, span_label="Samverkan")
    assert (whole.start, whole.end, whole.days) == (D(2019, 4, 1), D(2023, 3, 31), 1461)  # 2020 is a leap year
    years = [p.clip(*AGREEMENT_2019) for p in periods_between("year", *AGREEMENT_2019)]
    assert [(p.start, p.end) for p in years] == [
        (D(2019, 4, 1), D(2019, 12, 31)),
        (D(2020, 1, 1), D(2020, 12, 31)),
        (D(2021, 1, 1), D(2021, 12, 31)),
        (D(2022, 1, 1), D(2022, 12, 31)),
        (D(2023, 1, 1), D(2023, 3, 31)),
    ]
    assert years[0].label == "2019 (1 april–31 december 2019)"
    assert years[1].label == "2020"
    assert period_containing("year", D(2018, 1, 1)).clip(*AGREEMENT_2019) is None


def test_tertials_of_a_year_follow_each_other():
    tertials = periods_between("tertial", D(2024, 1, 1), D(2024, 12, 31))
    assert [(p.start.month, p.end.month) for p in tertials] == [(1, 4), (5, 8), (9, 12)]


def test_shift_years_turns_29_february_into_28_february():
    assert shift_years(D(2024, 2, 29), -1) == D(2023, 2, 28)
    assert shift_years(D(2024, 3, 1), -1) == D(2023, 3, 1)


def test_same_period_last_year():
    feb = period_containing("month", D(2024, 2, 1))
    assert (same_period_last_year(feb).start, same_period_last_year(feb).end) == (D(2023, 2, 1), D(2023, 2, 28))
    week = period_containing("week", D(2024, 3, 6))  # week 10 2024, Monday 4 March
    assert same_period_last_year(week).start == D(2023, 3, 6)  # 52 weeks back: a Monday again
    cut = period_containing("year", D(2019, 6, 1)).clip(*AGREEMENT_2019)
    back = same_period_last_year(cut)
    assert (back.start, back.end) == (D(2018, 4, 1), D(2018, 12, 31))


def test_meeting_windows_share_no_day():
    meetings = [D(2024, 2, 13), D(2024, 4, 9), D(2024, 6, 11)]
    first, second = meeting_window(meetings[0], meetings[1]), meeting_window(meetings[1], meetings[2])
    assert (first.start, first.end) == (D(2024, 2, 14), D(2024, 4, 9))
    assert second.start == first.end + dt.timedelta(days=1)
    assert first.label == "sedan mötet 13 februari 2024"
    assert previous_meeting(meetings, D(2024, 4, 9)) == D(2024, 2, 13)  # strictly before the day
    assert previous_meeting(meetings, D(2024, 1, 1)) is None
    with pytest.raises(ValueError):
        meeting_window(D(2024, 4, 9), D(2024, 4, 9))


def test_today_is_the_swedish_date_whatever_the_server_clock():
    late_utc = dt.datetime(2024, 6, 30, 22, 30, tzinfo=dt.UTC)  # 00.30 on 1 July in summer time
    assert today_stockholm(late_utc) == D(2024, 7, 1)
    winter = dt.datetime(2024, 12, 31, 22, 59, tzinfo=dt.UTC)  # 23.59 in winter time
    assert today_stockholm(winter) == D(2024, 12, 31)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(Grain.MONTH, D(2024, 2, 2), D(2024, 2, 1), "x")


@given(
    st.sampled_from(["week", "month", "quarter", "tertial", "year"]),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)),
)
def test_every_day_lies_in_exactly_one_period_of_each_grain(grain, day):
    period = period_containing(grain, day)
    assert period.contains(day)
    assert period_containing(grain, period.start) == period == period_containing(grain, period.end)
    assert not period_containing(grain, period.end + dt.timedelta(days=1)).contains(day)
