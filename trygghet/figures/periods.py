"""Period arithmetic: plain functions of dates, no Streamlit and no DuckDB.

A period is a closed range of local Swedish dates [start, end] with a Swedish
label. Calendar periods (ISO week, month, quarter, Swedish tertial, year) are
never cut by themselves; `Period.clip` cuts one to an agreement's span (the 2019
agreement starts on 1 April 2019, so its 2019 is nine months long).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from trygghet.formatting import MONTHS_SV_SHORT, format_date, format_date_range, month_label

DAY = dt.timedelta(days=1)


class Grain(StrEnum):
    """Every way time is cut in this app: the buckets of an indicator's series, the periods a view or a target is
    chosen by, and the window between two meetings."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    TERTIAL = "tertial"
    YEAR = "year"
    AGREEMENT = "agreement"
    MEETINGS = "meetings"
    TOTAL = "total"


# The buckets an indicator's series is summed in (`total`: one bucket for the whole window).
SERIES_GRAINS = (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.TERTIAL, Grain.YEAR, Grain.TOTAL)
# The periods a target is set for.
TARGET_GRAINS = (Grain.MONTH, Grain.QUARTER, Grain.TERTIAL, Grain.YEAR, Grain.AGREEMENT)


# The grains a view is chosen by (the overview, `progress --grain`); the window between two meetings is
# reached through a meeting instead.
PICKER_GRAINS = (Grain.YEAR, Grain.TERTIAL, Grain.QUARTER, Grain.MONTH, Grain.WEEK, Grain.AGREEMENT)

GRAIN_LABELS_SV = {
    Grain.WEEK: "vecka",
    Grain.MONTH: "månad",
    Grain.QUARTER: "kvartal",
    Grain.TERTIAL: "tertial",
    Grain.YEAR: "år",
    Grain.AGREEMENT: "hela överenskommelsen",
    Grain.MEETINGS: "mellan två möten",
}


@dataclass(frozen=True)
class Period:
    grain: Grain
    start: dt.date
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}–{self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def clip(self, first: dt.date, last: dt.date) -> Period | None:
        """The part of this period within [first, last], labelled with the cut; None when they do not meet."""
        start, end = max(self.start, first), min(self.end, last)
        if end < start:
            return None
        if (start, end) == (self.start, self.end):
            return self
        return replace(self, start=start, end=end, label=f"{self.label} ({format_date_range(start, end)})")


def as_date(value: dt.date) -> dt.date:
    """The date of a date or of a datetime (pandas gives a DATE column of the store back as Timestamps)."""
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class AgreementSpan:
    """An agreement as the figures need it: which targets are its own, and the days they may apply to."""

    id: str
    title: str
    start: dt.date
    end: dt.date

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end

    @classmethod
    def of(cls, row: Any) -> AgreementSpan:
        """From a row of Store.agreements() (dates as pandas Timestamps or dates)."""
        return cls(row.id, row.title, as_date(row.valid_from), as_date(row.valid_to))


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later (earlier when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _months(day: dt.date, size: int) -> tuple[dt.date, dt.date]:
    """The block of `size` months (1, 3, 4, 12) that holds `day`, counted from January."""
    first = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first, 1)
    return start, _month_start(day.year, first + size) - DAY


def period_containing(
    grain: Grain | str, day: dt.date, *, span: tuple[dt.date, dt.date] | None = None, span_label: str | None = None
) -> Period:
    """The calendar period of `grain` that holds `day`; for AGREEMENT, `span` itself."""
    grain = Grain(grain)
    if grain == Grain.WEEK:
        year, week, weekday = day.isocalendar()
        start = day - (weekday - 1) * DAY
        return Period(grain, start, start + 6 * DAY, f"vecka {week} {year}")
    if grain == Grain.MONTH:
        start, end = _months(day, 1)
        return Period(grain, start, end, f"{month_label(day.month)} {day.year}")
    if grain == Grain.QUARTER:
        start, end = _months(day, 3)
        return Period(grain, start, end, f"kvartal {(day.month - 1) // 3 + 1} {day.year}")
    if grain == Grain.TERTIAL:
        start, end = _months(day, 4)
        months = f"{MONTHS_SV_SHORT[start.month - 1]}–{MONTHS_SV_SHORT[end.month - 1]}"
        return Period(grain, start, end, f"tertial {(day.month - 1) // 4 + 1} {day.year} ({months})")
    if grain == Grain.YEAR:
        return Period(grain, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year))
    if grain == Grain.AGREEMENT:
        if span is None:
            raise ValueError("an agreement period needs the agreement's span")
        return Period(grain, span[0], span[1], span_label or f"hela överenskommelsen {format_date_range(*span)}")
    raise ValueError(f"no calendar period for grain {grain}")


def periods_between(grain: Grain | str, first: dt.date, last: dt.date) -> list[Period]:
    """Every whole calendar period of `grain` that meets [first, last], in order."""
    found, day = [], first
    while day <= last:
        period = period_containing(grain, day)
        found.append(period)
        day = period.end + DAY
    return found


def same_period_last_year(period: Period) -> Period:
    """The comparison period a year earlier: a week 52 weeks back (same weekdays), else the dates a year back."""
    if period.grain == Grain.WEEK:
        return period_containing(Grain.WEEK, period.start - 364 * DAY)
    start, end = shift_years(period.start, -1), shift_years(period.end, -1)
    if period.grain in (Grain.MONTH, Grain.QUARTER, Grain.TERTIAL, Grain.YEAR):
        whole = period_containing(period.grain, start)
        end = whole.end if period.end == period_containing(period.grain, period.end).end else end
        if (start, end) == (whole.start, whole.end):
            return whole
        return Period(period.grain, start, end, f"{whole.label} ({format_date_range(start, end)})")
    return Period(period.grain, start, end, f"{format_date_range(start, end)}")


def meeting_window(previous_meeting: dt.date, until: dt.date) -> Period:
    """What happened since the last meeting: the day after it up to and including `until`.

    Consecutive windows (meeting to meeting) share no day, so nothing is counted twice.
    """
    start = previous_meeting + DAY
    if until < start:
        raise ValueError(f"the window ends ({until}) before the day after the meeting ({start})")
    return Period(Grain.MEETINGS, start, until, f"sedan mötet {format_date(previous_meeting)}")


def previous_meeting(meetings: list[dt.date], day: dt.date) -> dt.date | None:
    """The latest meeting strictly before `day`."""
    return max((m for m in meetings if m < day), default=None)
