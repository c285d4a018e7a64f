"""How an indicator is declared and computed.

An indicator module declares *what* it measures (like a metric in dbt's
semantic layer); this module compiles the declaration into one parameterised
DuckDB query. The `where` and measure expressions are written by developers in
indicator modules, never taken from user input; every value that varies at run
time (dates, grain, areas, organisations) is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Literal

import duckdb

Grain = Literal["day", "week", "month", "quarter", "tertial", "year", "total"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "tertial", "year", "total")

CENTRAL_AREAS = "area_code IN (SELECT code FROM areas WHERE is_central)"


@dataclass(frozen=True)
class Count:
    """Number of activities; a summary row counts as its activity_count."""

    label: str = "antal aktiviteter"
    numerator: str = "activity_count"
    denominator: str | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class Sum:
    """Sum of a measure column (a summary row already holds the sum of its activities)."""

    numerator: str
    label: str
    denominator: str | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator × scale, e.g. suspected drunk drivers per 1 000 breath tests."""

    numerator: str
    denominator: str
    scale: float
    label: str


Aggregation = Count | Sum | Ratio


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    description: str
    commitments: tuple[str, ...]
    activity_types: tuple[str, ...]
    unit: str
    aggregation: Aggregation
    has_target: bool
    where: str = "TRUE"
    filter_label: str = ""
    decimals: int = 0
    # What a number of it is called in a sentence ("14 fotpatruller i centrala Timrå"); the unit if empty.
    phrase: str = ""
    # The figure that speaks for its commitment: listed first, and the one charted per commitment.
    # Without one, the commitment's first indicator with a target (by module name) leads.
    headline: bool = False

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.aggregation, Ratio)

    def value(self, numerator: float, denominator: float | None) -> float | None:
        """The figure of a bucket or window; None for a ratio without a denominator ("inget underlag")."""
        if self.is_ratio:
            return None if not denominator else numerator / denominator * self.aggregation.scale
        return numerator

    def compute(self, con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, grain: Grain = "month",
                areas: list[str] | None = None, organisations: list[str] | None = None) -> "Series":
        """This indicator's sums per `grain` bucket over [start, end] (see `compute_many`)."""
        return compute_many(con, [self], start, end, grain, areas, organisations)[self.id]


def _query(indicators: list[Indicator]) -> str:
    """One query for a set of indicators: a single scan of the window, one filtered sum per indicator.

    It reads activity_days, the log already spread over days (a summary row of N days adds
    1/N to each day, so a window that cuts its range takes its share pro rata) and summed
    per day and filterable column. The `where` and measure expressions come from indicator
    modules; everything that varies at run time is a bound parameter.
    """
    sums = []
    for n, ind in enumerate(indicators):
        agg = ind.aggregation
        counted = f"list_contains($types_{n}, activity_type) AND ({ind.where})"
        sums.append(f"sum(CAST({agg.numerator} AS DOUBLE)) FILTER (WHERE {counted}) AS num_{n}")
        if agg.denominator:
            sums.append(f"sum(CAST({agg.denominator} AS DOUBLE)) FILTER (WHERE {counted}) AS den_{n}")
    return f"""
SELECT CASE $grain
           WHEN 'day' THEN day
           WHEN 'total' THEN CAST($start AS DATE)
           WHEN 'tertial' THEN make_date(year(day), ((month(day) - 1) // 4) * 4 + 1, 1)
           ELSE CAST(date_trunc(CASE WHEN $grain IN ('week', 'month', 'quarter', 'year') THEN $grain
                                     ELSE 'day' END, day) AS DATE)
       END AS bucket,
       {", ".join(sums)}
FROM activity_days
WHERE day BETWEEN $start AND $end
  AND list_contains($all_types, activity_type)
  AND ($areas IS NULL OR list_contains($areas, area_code))
  AND ($organisations IS NULL OR list_contains($organisations, organisation))
GROUP BY bucket
ORDER BY bucket
"""


def compute_many(con: duckdb.DuckDBPyConnection, indicators: list[Indicator], start: dt.date, end: dt.date,
                 grain: Grain = "month", areas: list[str] | None = None,
                 organisations: list[str] | None = None) -> dict[str, "Series"]:
    """Every indicator's sums per bucket over [start, end], read in one scan of the activities."""
    if grain not in GRAINS:
        raise ValueError(f"okänd periodindelning: {grain}")
    params = {"start": start, "end": end, "grain": grain, "areas": areas, "organisations": organisations,
              "all_types": sorted({t for ind in indicators for t in ind.activity_types})}
    params.update({f"types_{n}": list(ind.activity_types) for n, ind in enumerate(indicators)})
    cursor = con.execute(_query(indicators), params)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    result = {}
    for n, ind in enumerate(indicators):
        num, den = columns.index(f"num_{n}"), columns.index(f"den_{n}") if ind.aggregation.denominator else None
        points = tuple(Point(row[0], row[num] or 0.0, None if den is None else row[den] or 0.0)
                       for row in rows if row[num] is not None or (den is not None and row[den] is not None))
        result[ind.id] = Series(ind, start, end, grain, points)
    return result


@dataclass(frozen=True)
class Point:
    bucket: dt.date
    numerator: float
    denominator: float | None


@dataclass(frozen=True, eq=False)
class Series:
    """An indicator's sums per bucket over a window; buckets without activity are absent."""

    indicator: Indicator
    start: dt.date
    end: dt.date
    grain: str
    points: tuple[Point, ...]

    @cached_property
    def _running(self) -> tuple[list[dt.date], list[float], list[float]]:
        """Buckets with running totals, so that any window's sum is two lookups."""
        buckets = [p.bucket for p in self.points]
        numerators = [0.0, *accumulate(p.numerator for p in self.points)]
        denominators = [0.0, *accumulate(p.denominator or 0.0 for p in self.points)]
        return buckets, numerators, denominators

    def sums(self, start: dt.date | None = None, end: dt.date | None = None) -> tuple[float, float | None]:
        """Numerator and denominator over the buckets that start within [start, end]."""
        buckets, numerators, denominators = self._running
        first = bisect_left(buckets, start or self.start)
        last = bisect_right(buckets, end or self.end)
        if last <= first:
            return 0.0, (0.0 if self.indicator.is_ratio else None)
        # Float dust from spreading summary rows over days (89.99999999999997) is rounded away.
        numerator = round(numerators[last] - numerators[first], 9)
        denominator = round(denominators[last] - denominators[first], 9) if self.indicator.is_ratio else None
        return numerator, denominator

    def value(self, start: dt.date | None = None, end: dt.date | None = None) -> float | None:
        return self.indicator.value(*self.sums(start, end))

    def has_points(self, start: dt.date, end: dt.date) -> bool:
        """Whether any bucket in [start, end] holds data (a window before the log began holds none)."""
        buckets = self._running[0]
        return bisect_right(buckets, end) > bisect_left(buckets, start)
