"""How an indicator is declared and computed.

An indicator module declares *what* it measures (like a metric in dbt's
semantic layer); this module compiles the declaration into one parameterised
DuckDB query. The `where` and measure expressions are written by developers in
indicator modules, never taken from user input; every value that varies at run
time (dates, grain, areas, organisations) is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
    # Context figures show beside the output indicators but carry no target.

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.aggregation, Ratio)

    def value(self, numerator: float, denominator: float | None) -> float | None:
        """The figure of a bucket or window; None for a ratio without a denominator ("inget underlag")."""
        if self.is_ratio:
            return None if not denominator else numerator / denominator * self.aggregation.scale
        return numerator

    def sql(self) -> str:
        """One query: the activities of this indicator in [$start, $end], grouped by $grain.

        A summary row that spans several days is spread evenly over its days, so a
        window that cuts its range takes its share pro rata.
        """
        agg = self.aggregation
        denominator = f"CAST({agg.denominator} AS DOUBLE)" if agg.denominator else "CAST(NULL AS DOUBLE)"
        return f"""
WITH src AS (
    SELECT date_from, date_to,
           CAST(coalesce({agg.numerator}, 0) AS DOUBLE) AS num,
           {denominator} AS den
    FROM activities
    WHERE list_contains($types, activity_type)
      AND date_to >= $start AND date_from <= $end
      AND ($areas IS NULL OR list_contains($areas, area_code))
      AND ($organisations IS NULL OR list_contains($organisations, organisation))
      AND ({self.where})
),
spread AS (
    SELECT date_from AS day, num, den FROM src WHERE date_from = date_to
    UNION ALL
    SELECT CAST(d.day AS DATE), s.num / s.days, s.den / s.days
    FROM (SELECT *, date_to - date_from + 1 AS days FROM src WHERE date_to > date_from) AS s,
         LATERAL (SELECT unnest(generate_series(greatest(s.date_from, $start), least(s.date_to, $end),
                                                INTERVAL 1 DAY)) AS day) AS d
)
SELECT CASE $grain
           WHEN 'day' THEN day
           WHEN 'total' THEN $start
           WHEN 'tertial' THEN make_date(year(day), ((month(day) - 1) // 4) * 4 + 1, 1)
           ELSE CAST(date_trunc(CASE WHEN $grain IN ('week', 'month', 'quarter', 'year') THEN $grain
                                     ELSE 'day' END, day) AS DATE)
       END AS bucket,
       sum(num) AS numerator,
       sum(den) AS denominator
FROM spread
GROUP BY bucket
ORDER BY bucket
"""

    def compute(self, con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, grain: Grain = "month",
                areas: list[str] | None = None, organisations: list[str] | None = None) -> "Series":
        if grain not in GRAINS:
            raise ValueError(f"okänd periodindelning: {grain}")
        rows = con.execute(self.sql(), {
            "types": list(self.activity_types), "start": start, "end": end, "grain": grain,
            "areas": areas, "organisations": organisations,
        }).fetchall()
        # Spreading summary rows over days leaves float dust (89.99999999999997); round it away.
        points = tuple(Point(b, round(n, 9), None if d is None else round(d, 9)) for b, n, d in rows)
        return Series(self, start, end, grain, points)


@dataclass(frozen=True)
class Point:
    bucket: dt.date
    numerator: float
    denominator: float | None


@dataclass(frozen=True)
class Series:
    """An indicator's sums per bucket over a window; buckets without activity are absent."""

    indicator: Indicator
    start: dt.date
    end: dt.date
    grain: str
    points: tuple[Point, ...]

    def sums(self, start: dt.date | None = None, end: dt.date | None = None) -> tuple[float, float | None]:
        """Numerator and denominator over the buckets that start within [start, end]."""
        start = start or self.start
        end = end or self.end
        chosen = [p for p in self.points if start <= p.bucket <= end]
        numerator = sum(p.numerator for p in chosen)
        denominator = sum(p.denominator or 0.0 for p in chosen) if self.indicator.is_ratio else None
        return numerator, denominator

    def value(self, start: dt.date | None = None, end: dt.date | None = None) -> float | None:
        return self.indicator.value(*self.sums(start, end))
