"""How an indicator is declared and computed: one declaration model, one compiler.

A declaration says *what* is measured (like a metric in dbt's semantic layer) as plain data:
activity types, filters over a fixed set of dimensions, and an aggregation over a fixed set
of measure fields. The same model serves the indicator modules in this package and the
indicators an admin defines in the app (stored as JSON), so both are checked by the same
rules (`indicators._rules`) and compiled by the same compiler (`_query`). The compiler takes
column names only from the vocabulary below, never from a declaration's text, and binds every
filter value as a parameter.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Annotated, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field, model_validator

from trygghet.figures.periods import SERIES_GRAINS, Grain
from trygghet.reference.activity_types import ACTIVITY_TYPES, COMMON_FIELDS
from trygghet.store.database import DAY_MEASURES, without_dust


# Area groups a filter may name, with the SQL that picks their areas (the areas are edited in the app).
AREA_GROUPS = {"centrala": ("centrala Timrå", "area_code IN (SELECT code FROM areas WHERE is_central)")}
CENTRAL_AREAS = "centrala"

# The fields that can be summed: the log's measures, and staff time (staff × duration, kept per day).
MEASURES = (*DAY_MEASURES, "staff_minutes")
# Fields kept in minutes and shown in hours (a sum of them has the scale 1/60), by what the app calls them.
HOUR_FIELDS = {"duration_min": "Varaktighet", "staff_minutes": "Personaltid"}

# The filter dimensions every type has, and those only some types log (by the column of activity_days).
COMMON_DIMENSIONS = ("area_code", "organisation")
TYPE_DIMENSIONS = ("control_kind", "risk_place", "topics", "audiences", "youth_focus")


def field_label(column: str) -> str:
    """What the app calls a field of the log ('breath_tests' -> 'Utandningsprov'); the column if unknown."""
    if column in HOUR_FIELDS:
        return HOUR_FIELDS[column]
    for f in (*COMMON_FIELDS, *(f for t in ACTIVITY_TYPES.values() for f in t.fields)):
        if f.column == column:
            return "Antal aktiviteter" if column == "activity_count" else f.label
    return column


def measures_of(activity_type: str) -> tuple[str, ...]:
    """The fields of a type that can be summed: its numeric fields that activity_days keeps, and staff time."""
    columns = [f.column for f in COMMON_FIELDS] + list(ACTIVITY_TYPES[activity_type].columns) + ["staff_minutes"]
    return tuple(c for c in columns if c in MEASURES)


def dimensions_of(activity_type: str) -> tuple[str, ...]:
    """The filter dimensions a type logs."""
    return COMMON_DIMENSIONS + tuple(d for d in TYPE_DIMENSIONS if d in ACTIVITY_TYPES[activity_type].columns)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Count(_Frozen):
    """Number of activities; a summary row counts as its activity_count."""

    kind: Literal["count"] = "count"
    label: str = "antal aktiviteter"

    @property
    def numerator(self) -> str:
        return "activity_count"

    @property
    def denominator(self) -> None:
        return None

    @property
    def scale(self) -> float:
        return 1.0


class Sum(_Frozen):
    """Sum of a measure field × scale (hours are duration_min × 1/60); a summary row holds its activities' sum."""

    kind: Literal["sum"] = "sum"
    field: str
    scale: float = 1.0
    label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _default_label(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("label") and isinstance(data.get("field"), str):
            data = {**data, "label": f"summa {field_label(data['field']).lower()}"}
        return data

    @property
    def numerator(self) -> str:
        return self.field

    @property
    def denominator(self) -> None:
        return None


class Ratio(_Frozen):
    """sum(numerator) / sum(denominator) × scale, e.g. suspected drunk drivers per 1 000 breath tests."""

    kind: Literal["ratio"] = "ratio"
    numerator: str
    denominator: str
    scale: float = 1.0
    label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _default_label(cls, data: object) -> object:
        if isinstance(data, dict) and not data.get("label") and isinstance(data.get("numerator"), str) \
                and isinstance(data.get("denominator"), str):
            label = f"{field_label(data['numerator']).lower()} per {field_label(data['denominator']).lower()}"
            data = {**data, "label": label}
        return data


Aggregation = Annotated[Count | Sum | Ratio, Field(discriminator="kind")]


class Filters(_Frozen):
    """Which activities of the chosen types count: every filter given must hold (within one, any value does)."""

    area_groups: tuple[str, ...] = ()     # keys of AREA_GROUPS, e.g. "centrala"
    areas: tuple[str, ...] = ()           # area codes; with area_groups, an activity in either counts
    organisations: tuple[str, ...] = ()   # polisen, kommunen, samverkan ("i samverkan")
    topics: tuple[str, ...] = ()          # any of these topics
    topics_or_none: bool = False          # ... or no topic logged at all
    audiences: tuple[str, ...] = ()
    audiences_or_none: bool = False
    risk_place: bool | None = None
    control_kinds: tuple[str, ...] = ()
    youth_focus: bool | None = None       # drug-trade operations aimed at young people (or not)

    def dimensions(self) -> tuple[str, ...]:
        """The columns of activity_days these filters read."""
        used = {"area_code": self.area_groups or self.areas, "organisation": self.organisations,
                "topics": self.topics or self.topics_or_none, "audiences": self.audiences or self.audiences_or_none,
                "risk_place": self.risk_place is not None, "control_kind": self.control_kinds,
                "youth_focus": self.youth_focus is not None}
        return tuple(d for d, on in used.items() if on)


class Indicator(_Frozen):
    """One indicator's declaration; the same model for modules in this package and indicators defined in the app."""

    id: str
    title: str
    description: str = ""
    commitments: tuple[str, ...] = ()
    activity_types: tuple[str, ...]
    filters: Filters = Filters()
    aggregation: Aggregation
    unit: str
    # What a number of it is called in a sentence ("14 fotpatruller i centrala Timrå"); the unit if empty.
    phrase: str = ""
    decimals: int = 0
    # The figure that speaks for its commitment: listed first, and the one charted per commitment.
    # Without one, the commitment's first indicator with a target (by module name) leads.
    headline: bool = False
    has_target: bool = False
    # The filters in words, for reports ("endast centrala Timrå").
    filter_label: str = ""

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.aggregation, Ratio)

    def value(self, numerator: float, denominator: float | None) -> float | None:
        """The figure of a bucket or window; None for a ratio without a denominator ("inget underlag")."""
        if self.is_ratio:
            return None if not denominator else numerator / denominator * self.aggregation.scale
        return numerator

    def compute(self, con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, grain: Grain = Grain.MONTH,
                areas: list[str] | None = None, organisations: list[str] | None = None) -> "Series":
        """This indicator's sums per `grain` bucket over [start, end] (see `compute_many`)."""
        return compute_many(con, [self], start, end, grain, areas, organisations)[self.id]


class CompileError(ValueError):
    """A declaration the compiler will not turn into SQL (the rules in `_rules` catch these first)."""


def _measure(column: str, indicator: Indicator) -> str:
    if column not in MEASURES:
        raise CompileError(f"Indikatorn {indicator.id}: fältet {column!r} finns inte bland de mätbara fälten")
    return column


def _condition(indicator: Indicator, n: int) -> tuple[str, dict[str, object]]:
    """The FILTER condition of indicator n and its parameters; columns from the vocabulary, values bound."""
    f = indicator.filters
    parts = [f"list_contains($types_{n}, activity_type)"]
    params: dict[str, object] = {f"types_{n}": list(indicator.activity_types)}
    if f.area_groups or f.areas:
        unknown = [g for g in f.area_groups if g not in AREA_GROUPS]
        if unknown:
            raise CompileError(f"Indikatorn {indicator.id}: okänd områdesgrupp {unknown[0]!r}")
        either = [AREA_GROUPS[g][1] for g in f.area_groups]
        if f.areas:
            either.append(f"list_contains($areas_{n}, area_code)")
            params[f"areas_{n}"] = list(f.areas)
        parts.append(f"({' OR '.join(either)})")
    if f.organisations:
        parts.append(f"list_contains($organisations_{n}, organisation)")
        params[f"organisations_{n}"] = list(f.organisations)
    for column, values, or_none in (("topics", f.topics, f.topics_or_none),
                                    ("audiences", f.audiences, f.audiences_or_none)):
        either = []
        if values:
            either.append(f"list_has_any({column}, CAST(${column}_{n} AS VARCHAR[]))")
            params[f"{column}_{n}"] = list(values)
        if or_none:
            either.append(f"coalesce(len({column}), 0) = 0")
        if either:
            parts.append(f"({' OR '.join(either)})")
    if f.risk_place is not None:
        parts.append(f"risk_place = $risk_place_{n}")
        params[f"risk_place_{n}"] = f.risk_place
    if f.control_kinds:
        parts.append(f"list_contains($control_kinds_{n}, control_kind)")
        params[f"control_kinds_{n}"] = list(f.control_kinds)
    if f.youth_focus is not None:
        parts.append(f"youth_focus = $youth_focus_{n}")
        params[f"youth_focus_{n}"] = f.youth_focus
    return " AND ".join(parts), params


def _query(indicators: list[Indicator]) -> tuple[str, dict[str, object]]:
    """One query for a set of indicators: a single scan of the window, one filtered sum per indicator.

    It reads activity_days, the log already spread over days (a summary row of N days adds
    1/N to each day, so a window that cuts its range takes its share pro rata) and summed
    per day and filterable column. Column names come from the vocabulary; every value,
    the declarations' filter values and scales included, is a bound parameter.
    """
    sums, params = [], {}
    for n, ind in enumerate(indicators):
        agg = ind.aggregation
        counted, own = _condition(ind, n)
        params.update(own)
        params[f"scale_{n}"] = agg.scale if isinstance(agg, Sum) else 1.0
        sums.append(f"sum(CAST({_measure(agg.numerator, ind)} AS DOUBLE)) FILTER (WHERE {counted})"
                    f" * $scale_{n} AS num_{n}")
        if agg.denominator:
            sums.append(f"sum(CAST({_measure(agg.denominator, ind)} AS DOUBLE)) FILTER (WHERE {counted}) AS den_{n}")
    sql = f"""
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
    return sql, params


def compute_many(con: duckdb.DuckDBPyConnection, indicators: list[Indicator], start: dt.date, end: dt.date,
                 grain: Grain = Grain.MONTH, areas: list[str] | None = None,
                 organisations: list[str] | None = None) -> dict[str, "Series"]:
    """Every indicator's sums per bucket over [start, end], read in one scan of the activities."""
    if grain not in SERIES_GRAINS:
        raise ValueError(f"okänd periodindelning: {grain}")
    if not indicators:
        return {}
    sql, params = _query(indicators)
    params.update({"start": start, "end": end, "grain": str(grain), "areas": areas, "organisations": organisations,
                   "all_types": sorted({t for ind in indicators for t in ind.activity_types})})
    cursor = con.execute(sql, params)
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
        numerator = without_dust(numerators[last] - numerators[first])
        denominator = without_dust(denominators[last] - denominators[first]) if self.indicator.is_ratio else None
        return numerator, denominator

    def value(self, start: dt.date | None = None, end: dt.date | None = None) -> float | None:
        return self.indicator.value(*self.sums(start, end))

    def has_points(self, start: dt.date, end: dt.date) -> bool:
        """Whether any bucket in [start, end] holds data (a window before the log began holds none)."""
        buckets = self._running[0]
        return bisect_right(buckets, end) > bisect_left(buckets, start)
