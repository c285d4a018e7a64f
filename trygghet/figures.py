"""Progress of every indicator for a period and a date: the figures the council sees.

One query reads every indicator's daily series over this period and the same period a
year earlier; everything else (pro-rating, status, forecast, windows since the last
meeting) is plain arithmetic on its result, done by the pure modules. `IndicatorFigure`
is the plain, serialisable form the pages, the charts and locked meeting snapshots share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import accumulate

from pydantic import BaseModel, ConfigDict

from indicators import Indicator, Series, compute_many, registry
from trygghet.periods import Period, meeting_window, previous_meeting, same_period_last_year, shift_years
from trygghet.activity_types import TYPE_COLOURS
from trygghet.formatting import format_count, format_date
from trygghet.progress import (STATUS_INFO, Direction, Status, Thresholds, assess, elapsed_fraction, forecast_at_end, is_stale,
                               share_of_target)
from trygghet.storage import Store
from trygghet.targets import Target, from_row, target_over

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    period: Period
    as_of: dt.date
    actual: float | None
    target: float | None
    prorated: float | None
    share: float | None
    forecast: float | None
    status: Status
    direction: Direction
    target_rule: Target | None
    last_data: dt.date | None
    previous_meeting: dt.date | None
    since_meeting: float | None
    last_year: float | None
    monthly: tuple[tuple[dt.date, float | None], ...]
    cumulative: tuple[tuple[dt.date, float], ...]
    target_line: tuple[tuple[dt.date, float], ...]


class IndicatorFigure(BaseModel):
    """One indicator's figures as shown: built from live progress or read back from a locked meeting."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    unit: str
    phrase: str
    decimals: int
    colour: str
    is_ratio: bool
    actual: float | None
    target: float | None
    prorated: float | None
    share: float | None
    forecast: float | None
    status: Status
    target_text: str | None
    example_target: bool
    last_data: dt.date | None
    previous_meeting: dt.date | None
    since_meeting: float | None
    last_year: float | None
    period_label: str
    period_start: dt.date
    period_end: dt.date
    monthly: tuple[tuple[dt.date, float | None], ...]
    cumulative: tuple[tuple[dt.date, float], ...]
    target_line: tuple[tuple[dt.date, float], ...]

    @classmethod
    def from_progress(cls, p: IndicatorProgress) -> "IndicatorFigure":
        ind = p.indicator
        colour = TYPE_COLOURS[ind.activity_types[0]] if len(ind.activity_types) == 1 else "#0072B2"
        return cls(
            id=ind.id, title=ind.title, unit=ind.unit, phrase=ind.phrase or ind.unit, decimals=ind.decimals, colour=colour, is_ratio=ind.is_ratio,
            actual=p.actual, target=p.target, prorated=p.prorated, share=p.share, forecast=p.forecast,
            status=p.status, target_text=p.target_rule.describe() if p.target_rule else None,
            example_target=bool(p.target_rule and p.target_rule.example), last_data=p.last_data,
            previous_meeting=p.previous_meeting, since_meeting=p.since_meeting, last_year=p.last_year,
            period_label=p.period.label,
            period_start=p.period.start, period_end=p.period.end, monthly=p.monthly, cumulative=p.cumulative,
            target_line=p.target_line,
        )

    def text(self, value: float | None, decimals: int | None = None) -> str:
        """'128,5 timmar', '1 tillfälle', or 'inget underlag' for a ratio with nothing to divide by."""
        if value is None:
            return "inget underlag"
        return format_count(value, self.decimals if decimals is None else decimals, self.unit)

    @property
    def target_figure(self) -> str:
        """The target in the indicator's unit, without decimals when it is whole: '300 timmar', '2,5 timmar'."""
        return self.text(self.target, 1 if self.target is not None and self.target % 1 else 0)

    def phrased(self, value: float | None) -> str:
        """'14 fotpatruller i centrala Timrå' (and '1 fotpatrull i centrala Timrå'), for sentences."""
        return "inget underlag" if value is None else format_count(value, self.decimals, self.phrase)

    @property
    def status_text(self) -> str:
        info = STATUS_INFO[self.status]
        if self.status == Status.NOT_UPDATED and self.last_data:
            return f"{info.label} sedan {format_date(self.last_data)}"
        return info.label


def default_agreement(agreements, day: dt.date) -> int:
    """Row index of the agreement valid on `day`, else of the latest one to have started."""
    valid_from = [d.date() if hasattr(d, "date") else d for d in agreements.valid_from]
    valid_to = [d.date() if hasattr(d, "date") else d for d in agreements.valid_to]
    current = [i for i, (a, b) in enumerate(zip(valid_from, valid_to)) if a <= day <= b]
    started = [i for i, a in enumerate(valid_from) if a <= day] or list(range(len(valid_from)))
    return current[-1] if current else max(started, key=lambda i: valid_from[i])


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    ends, day = [], start
    while day <= end:
        next_month = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        ends.append(min(end, next_month - DAY))
        day = next_month
    return ends


def indicator_progress(con, series: Series, period: Period, as_of: dt.date, *, targets: list[Target],
                       agreement_span: tuple[dt.date, dt.date], meetings: list[dt.date],
                       last_data: dt.date | None, thresholds: Thresholds,
                       areas: list[str] | None = None, organisations: list[str] | None = None) -> IndicatorProgress:
    """One indicator's progress in `period` as of `as_of`, from its daily `series` over this period and the
    same period last year; a window outside that series (an old meeting, a baseline year) is queried."""
    indicator = series.indicator
    until = min(as_of, period.end)
    last_year_period = same_period_last_year(period)

    def value_between(start: dt.date, end: dt.date) -> float | None:
        if start >= last_year_period.start and end <= until:
            return series.value(start, end)
        return indicator.compute(con, start, end, "total", areas, organisations).value()

    actual = series.value(period.start, until)
    last_year = series.value(last_year_period.start, shift_years(until, -1))
    rule = next((t for t in targets if t.indicator == indicator.id and t.valid_on(until)), None)

    def target_until(day: dt.date) -> float | None:
        return target_over(targets, indicator.id, period.start, day, agreement_span, value_between)

    target = target_until(period.end) if indicator.has_target else None
    prorated = target_until(until) if target is not None else None
    previous = previous_meeting(meetings, until)
    since = value_between(meeting_window(previous, until).start, until) if previous and previous < until else None
    direction = rule.direction if rule else Direction.AT_LEAST

    if indicator.is_ratio:
        forecast = actual
    elif target:
        forecast = forecast_at_end(actual, (prorated or 0.0) / target)
    else:
        forecast = forecast_at_end(actual, elapsed_fraction(period.start, period.end, until))
    # Only stale when work was expected after the last data (a seasonal target expects none in winter).
    # At a council meeting, nothing logged since the previous one is "not updated"; on other days only the
    # N-days rule applies (the day after a meeting nobody expects new data yet).
    stale = is_stale(last_data, until, thresholds.stale_days, previous if until in meetings else None) and (
        target is None or last_data is None or last_data < period.start
        or (target_until(min(last_data, until)) or 0.0) < (prorated or 0.0))
    status = assess(actual, target, direction, prorated, period_ended=as_of >= period.end, stale=stale,
                    thresholds=thresholds)

    month_ends = _month_ends(period.start, until)
    monthly = tuple((max(e.replace(day=1), period.start), series.value(max(e.replace(day=1), period.start), e))
                    for e in month_ends)
    daily = {p.bucket: p.numerator for p in series.points if period.start <= p.bucket <= until}
    days = [period.start + i * DAY for i in range((until - period.start).days + 1)]
    cumulative = tuple(zip(days, accumulate(daily.get(d, 0.0) for d in days))) if not indicator.is_ratio else ()
    target_line = ()
    if target is not None:
        target_line = tuple([(period.start, 0.0)] + [(e, target_until(e) or 0.0)
                                                     for e in _month_ends(period.start, period.end)])
    return IndicatorProgress(
        indicator=indicator, period=period, as_of=until, actual=actual, target=target, prorated=prorated,
        share=share_of_target(actual, target), forecast=forecast, status=status, direction=direction,
        target_rule=rule, last_data=last_data, previous_meeting=previous, since_meeting=since,
        last_year=last_year, monthly=monthly, cumulative=cumulative, target_line=target_line,
    )


def progress_for(store: Store, indicator_ids: list[str], period: Period, as_of: dt.date,
                 agreement_span: tuple[dt.date, dt.date], thresholds: Thresholds,
                 areas: list[str] | None = None, organisations: list[str] | None = None) -> list[IndicatorProgress]:
    """Progress of the given indicators on one connection: targets, meetings and data freshness read once,
    and every indicator's daily series from one scan of the activities."""
    until = min(as_of, period.end)
    indicators = [registry()[i] for i in indicator_ids]
    with store.connect() as con:
        targets = [from_row(r) for r in store.target_rows()]
        meetings = list(store.meetings()["meeting_date"].dt.date)
        latest = store.last_activity_dates(until)
        series = compute_many(con, indicators, same_period_last_year(period).start, until, "day", areas, organisations)
        results = []
        for indicator in indicators:
            dates = [latest[t] for t in indicator.activity_types if t in latest]
            results.append(indicator_progress(
                con, series[indicator.id], period, as_of, targets=targets, agreement_span=agreement_span,
                meetings=meetings, last_data=max(dates) if dates else None, thresholds=thresholds,
                areas=areas, organisations=organisations,
            ))
    return results
