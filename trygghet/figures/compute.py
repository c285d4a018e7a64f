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
from typing import Any

import duckdb
from pydantic import BaseModel, ConfigDict

from trygghet.figures.indicators import Indicator, Series, compute_many, for_commitment, registry
from trygghet.figures.periods import (
    AgreementSpan,
    Grain,
    Period,
    as_date,
    meeting_window,
    previous_meeting,
    same_period_last_year,
    shift_years,
)
from trygghet.figures.progress import (
    STATUS_INFO,
    Direction,
    Status,
    Thresholds,
    assess,
    elapsed_fraction,
    forecast_at_end,
    is_stale,
    share_of_target,
)
from trygghet.figures.targets import Suggestion, Target, covered_ranges, from_row, promised_change, target_over
from trygghet.formatting import format_count, format_date, format_number, format_percent
from trygghet.reference.activity_types import TYPE_COLOURS
from trygghet.store.database import Store

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
    # The day the figures run to; None in snapshots locked before it was kept (see `period_ended`).
    as_of: dt.date | None = None
    monthly: tuple[tuple[dt.date, float | None], ...]
    cumulative: tuple[tuple[dt.date, float], ...]
    target_line: tuple[tuple[dt.date, float], ...]

    @classmethod
    def from_progress(cls, p: IndicatorProgress) -> IndicatorFigure:
        ind = p.indicator
        colour = TYPE_COLOURS[ind.activity_types[0]] if len(ind.activity_types) == 1 else "#0072B2"
        return cls(
            id=ind.id,
            title=ind.title,
            unit=ind.unit,
            phrase=ind.phrase or ind.unit,
            decimals=ind.decimals,
            colour=colour,
            is_ratio=ind.is_ratio,
            actual=p.actual,
            target=p.target,
            prorated=p.prorated,
            share=p.share,
            forecast=p.forecast,
            status=p.status,
            target_text=p.target_rule.describe() if p.target_rule else None,
            example_target=bool(p.target_rule and p.target_rule.example),
            last_data=p.last_data,
            previous_meeting=p.previous_meeting,
            since_meeting=p.since_meeting,
            last_year=p.last_year,
            period_label=p.period.label,
            period_start=p.period.start,
            period_end=p.period.end,
            as_of=p.as_of,
            monthly=p.monthly,
            cumulative=p.cumulative,
            target_line=p.target_line,
        )

    def text(self, value: float | None, decimals: int | None = None) -> str:
        """'128,5 timmar', '1 tillfälle', or 'inget underlag' for a ratio with nothing to divide by."""
        if value is None:
            return "inget underlag"
        return format_count(value, self.decimals if decimals is None else decimals, self.unit)

    @property
    def target_decimals(self) -> int:
        """The indicator's decimals, none for a whole target: a count's target 2 316,3 (5 % over a year) reads
        '2 316 prov', hours' 2,5 '2,5 timmar' and 300 '300 timmar'."""
        return self.decimals if self.target is not None and self.target % 1 else 0

    @property
    def target_number(self) -> str:
        """'2 316', for a sentence that names the unit itself."""
        return format_number(self.target, self.target_decimals)

    @property
    def target_figure(self) -> str:
        """The target in the indicator's unit: '300 timmar', '2,5 timmar', '2 316 prov'."""
        return self.text(self.target, self.target_decimals)

    def phrased(self, value: float | None) -> str:
        """'14 fotpatruller i centrala Timrå' (and '1 fotpatrull i centrala Timrå'), for sentences."""
        return "inget underlag" if value is None else format_count(value, self.decimals, self.phrase)

    @property
    def status_word(self) -> str:
        """The verdict in words, for a sentence that already gives the share: 'inte uppnått', 'ej uppdaterad
        sedan 24 oktober 2023'."""
        info = STATUS_INFO[self.status]
        if self.status == Status.NOT_UPDATED and self.last_data:
            return f"{info.label} sedan {format_date(self.last_data)}"
        return info.label

    @property
    def status_text(self) -> str:
        """The verdict as a card, a list or a report shows it: a missed target says by how much."""
        if self.status == Status.NOT_ACHIEVED:
            return f"{self.status_word} – {format_percent(self.share)} av målet"
        return self.status_word

    @property
    def period_ended(self) -> bool:
        """Whether the figures are final. A snapshot locked before `as_of` was kept is read as it was shown."""
        return self.as_of is not None and self.as_of >= self.period_end

    def so_far(self) -> str:
        """How a sentence names the figures' window: 'Hittills i år' only for the running year of the day,
        'Slutresultat 2024' once it is over, 'Hittills under kvartal 1 2026' for another running period."""
        if self.period_ended:
            return f"Slutresultat {self.period_label}"
        year = self.period_start.year
        calendar_year = self.period_label.startswith(str(year)) and self.period_end == dt.date(year, 12, 31)
        if calendar_year and (self.as_of or self.period_end).year == year:
            return "Hittills i år"
        return f"Hittills under {self.period_label}"


@dataclass(frozen=True)
class Standing:
    """Which agreement speaks for a day: the one in force, else the one that ended last (shown with its
    final result), else the first to come; and, when it is not in force, the plain Swedish sentence that
    says so on every page."""

    index: int
    in_force: bool
    note: str | None


def agreement_standing(agreements: Any, day: dt.date) -> Standing:
    """The standing of a day among `agreements` (anything with .title, .valid_from and .valid_to columns)."""
    titles = list(agreements.title)
    valid_from = [as_date(d) for d in agreements.valid_from]
    valid_to = [as_date(d) for d in agreements.valid_to]
    rows = range(len(titles))
    current = [i for i in rows if valid_from[i] <= day <= valid_to[i]]
    if current:
        return Standing(max(current, key=lambda i: valid_from[i]), True, None)
    coming = sorted((i for i in rows if valid_from[i] > day), key=lambda i: valid_from[i])
    then = f" {titles[coming[0]]} gäller från {format_date(valid_from[coming[0]])}." if coming else ""
    ended = [i for i in rows if valid_to[i] < day]
    if ended:
        last = max(ended, key=lambda i: valid_to[i])
        later = "" if coming else " Ingen senare överenskommelse är inlagd."
        return Standing(last, False, f"{titles[last]} gällde till {format_date(valid_to[last])}.{later}{then}")
    return Standing(coming[0], False, f"Ingen överenskommelse gäller ännu.{then}")


def default_agreement(agreements: Any, day: dt.date) -> int:
    """Row index of the agreement valid on `day`, else of the one that ended last, else of the first to come."""
    return agreement_standing(agreements, day).index


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    ends, day = [], start
    while day <= end:
        next_month = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        ends.append(min(end, next_month - DAY))
        day = next_month
    return ends


def indicator_progress(
    con: duckdb.DuckDBPyConnection,
    series: Series,
    period: Period,
    as_of: dt.date,
    *,
    targets: list[Target],
    agreement_span: tuple[dt.date, dt.date] | None,
    meetings: list[dt.date],
    last_data: dt.date | None,
    thresholds: Thresholds,
    areas: list[str] | None = None,
    organisations: list[str] | None = None,
) -> IndicatorProgress:
    """One indicator's progress in `period` as of `as_of`, from its daily `series` over this period and the
    same period last year; a window outside that series (an old meeting, a baseline year) is queried.

    A target counts only inside the agreement (`agreement_span`; None: no agreement, so no target), and
    against a target only the days it covers count: a baseline year logged before the target is not progress."""
    indicator = series.indicator
    until = min(as_of, period.end)
    last_year_period = same_period_last_year(period)

    def value_between(start: dt.date, end: dt.date) -> float | None:
        if start >= last_year_period.start and end <= until:
            return series.value(start, end)
        return indicator.compute(con, start, end, Grain.TOTAL, areas, organisations).value()

    in_span = agreement_span and (max(period.start, agreement_span[0]), min(period.end, agreement_span[1]))
    own_targets = targets if in_span and indicator.has_target and in_span[0] <= in_span[1] else []
    rule = (
        next((t for t in own_targets if t.indicator == indicator.id and t.valid_on(min(until, in_span[1]))), None)
        if own_targets and in_span
        else None
    )

    def target_until(day: dt.date) -> float | None:
        if not own_targets or not in_span or not agreement_span or day < in_span[0]:
            return None
        return target_over(own_targets, indicator.id, in_span[0], min(day, in_span[1]), agreement_span, value_between)

    target = target_until(period.end)
    prorated = target_until(until) if target is not None else None
    counted = (
        covered_ranges(own_targets, indicator.id, *in_span)
        if target is not None and in_span
        else [(period.start, period.end)]
    )
    actual = indicator.value(*_sums_over(series, counted, until))
    # Last year only where its window has data and does not overlap this one (the whole agreement's span would).
    last_year_end = shift_years(until, -1)
    last_year = (
        series.value(last_year_period.start, last_year_end)
        if last_year_period.end < period.start and series.has_points(last_year_period.start, last_year_end)
        else None
    )
    previous = previous_meeting(meetings, until)
    since = value_between(meeting_window(previous, until).start, until) if previous and previous < until else None
    direction = rule.direction if rule else Direction.AT_LEAST

    if indicator.is_ratio:
        forecast = actual
    elif target:
        forecast = forecast_at_end(actual, (prorated or 0.0) / target)
    else:
        forecast = forecast_at_end(actual, elapsed_fraction(period.start, period.end, until))
    # "Ej uppdaterad" only where work was expected after the last data: the target for the days since is at
    # least the small-number threshold (a season expects none in winter, a small target none for weeks).
    # At a council meeting, nothing logged since the previous one is "not updated"; on other days only the
    # N-days rule applies (the day after a meeting nobody expects new data yet).
    since_data = (prorated or 0.0) - (
        target_until(last_data) or 0.0 if last_data and last_data >= period.start else 0.0
    )
    stale = (
        is_stale(last_data, until, thresholds.stale_days, previous if until in meetings else None)
        and target is not None
        and since_data >= thresholds.min_prorated
    )
    status = assess(
        actual, target, direction, prorated, period_ended=as_of >= period.end, stale=stale, thresholds=thresholds
    )

    month_ends = _month_ends(period.start, until)
    monthly = tuple(
        (max(e.replace(day=1), period.start), series.value(max(e.replace(day=1), period.start), e)) for e in month_ends
    )
    daily = {p.bucket: p.numerator for p in series.points if period.start <= p.bucket <= until}
    days = [period.start + i * DAY for i in range((until - period.start).days + 1)]
    cumulative = (
        tuple(zip(days, accumulate(daily.get(d, 0.0) for d in days), strict=True)) if not indicator.is_ratio else ()
    )
    target_line: tuple[tuple[dt.date, float], ...] = ()
    if target is not None:
        target_line = tuple(
            [(period.start, 0.0)] + [(e, target_until(e) or 0.0) for e in _month_ends(period.start, period.end)]
        )
    return IndicatorProgress(
        indicator=indicator,
        period=period,
        as_of=until,
        actual=actual,
        target=target,
        prorated=prorated,
        share=share_of_target(actual, target),
        forecast=forecast,
        status=status,
        direction=direction,
        target_rule=rule,
        last_data=last_data,
        previous_meeting=previous,
        since_meeting=since,
        last_year=last_year,
        monthly=monthly,
        cumulative=cumulative,
        target_line=target_line,
    )


def _sums_over(series: Series, ranges: list[tuple[dt.date, dt.date]], until: dt.date) -> tuple[float, float | None]:
    """Numerator and denominator of `series` over the parts of `ranges` up to `until`."""
    numerator, denominator = 0.0, (0.0 if series.indicator.is_ratio else None)
    for start, end in ranges:
        if start <= min(end, until):
            num, den = series.sums(start, min(end, until))
            numerator += num
            denominator = None if den is None else (denominator or 0.0) + den
    return numerator, denominator


def year_figures(store: Store, indicator_ids: list[str], year: int) -> dict[str, float | None]:
    """Each indicator's figure over a whole calendar year (None where the log holds nothing that year): the
    baseline a new agreement's relative targets are offered against."""
    indicators = [registry()[i] for i in indicator_ids]
    with store.connect() as con:
        series = compute_many(con, indicators, dt.date(year, 1, 1), dt.date(year, 12, 31), Grain.TOTAL)
    return {i: s.value() if s.points else None for i, s in series.items()}


def target_suggestions(store: Store, agreement: AgreementSpan) -> dict[str, Suggestion]:
    """The target offered for each indicator with a target that tracks one of the agreement's commitments, in
    the commitments' order: its figure in the year before the agreement, and the change the commitments'
    words promise (öka, minska). What Mål offers, and what the demo's example agreement is given."""
    texts: dict[str, list[str]] = {}
    for commitment in store.commitments(agreement.id).itertuples():
        for indicator in for_commitment(commitment.id):
            if indicator.has_target:
                texts.setdefault(indicator.id, []).append(commitment.text)
    year = agreement.start.year - 1
    baselines = year_figures(store, list(texts), year)
    return {i: Suggestion(year, baselines[i], promised_change(words)) for i, words in texts.items()}


def progress_for(
    store: Store,
    indicator_ids: list[str],
    period: Period,
    as_of: dt.date,
    agreement: AgreementSpan | None,
    thresholds: Thresholds,
    areas: list[str] | None = None,
    organisations: list[str] | None = None,
) -> list[IndicatorProgress]:
    """Progress of the given indicators on one connection: targets, meetings and data freshness read once,
    and every indicator's daily series from one scan of the activities. Only the targets set for
    `agreement` apply, inside its span; without an agreement (none in force) nothing is judged."""
    until = min(as_of, period.end)
    indicators = [registry()[i] for i in indicator_ids]
    with store.connect() as con:
        targets = [t for t in map(from_row, store.target_rows()) if agreement and t.agreement == agreement.id]
        meetings = store.meeting_dates()
        latest = store.last_activity_dates(until)
        series = compute_many(
            con, indicators, same_period_last_year(period).start, until, Grain.DAY, areas, organisations
        )
        results = []
        for indicator in indicators:
            dates = [latest[t] for t in indicator.activity_types if t in latest]
            results.append(
                indicator_progress(
                    con,
                    series[indicator.id],
                    period,
                    as_of,
                    targets=targets,
                    agreement_span=agreement.span if agreement else None,
                    meetings=meetings,
                    last_data=max(dates) if dates else None,
                    thresholds=thresholds,
                    areas=areas,
                    organisations=organisations,
                )
            )
    return results
