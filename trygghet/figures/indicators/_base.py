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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Annotated, Any, Literal

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
        if (
            isinstance(data, dict)
            and not data.get("label")
            and isinstance(data.get("numerator"), str)
            and isinstance(data.get("denominator"), str)
        ):
            label = f"{field_label(data['numerator']).lower()} per {field_label(data['denominator']).lower()}"
            data = {**data, "label": label}
        return data


Aggregation = Annotated[Count | Sum | Ratio, Field(discriminator="kind")]


class Filters(_Frozen):
    """Which activities of the chosen types count: every filter given must hold (within one, any value does)."""

    area_groups: tuple[str, ...] = ()  # keys of AREA_GROUPS, e.g. "centrala"
    areas: tuple[str, ...] = ()  # area codes; with area_groups, an activity in either counts
    organisations: tuple[str, ...] = ()  # polisen, kommunen, samverkan ("i samverkan")
    topics: tuple[str, ...] = ()  # any of these topics
    topics_or_none: bool = False  # ... or no topic logged at all
    audiences: tuple[str, ...] = ()
    audiences_or_none: bool = False
    risk_place: bool | None = None
    control_kinds: tuple[str, ...] = ()
    youth_focus: bool | None = None  # drug-trade operations aimed at young people (or not)

    def dimensions(self) -> tuple[str, ...]:
        """The columns of activity_days these filters read."""
        used = {
            "area_code": self.area_groups or self.areas,
            "organisation": self.organisations,
            "topics": self.topics or self.topics_or_none,
            "audiences": self.audiences or self.audiences_or_none,
            "risk_place": self.risk_place is not None,
            "control_kind": self.control_kinds,
            "youth_focus": self.youth_focus is not None,
        }
        return tuple(d for d, on in used.items() if on)


NO_FILTERS = Filters()  # every activity of the chosen types counts (frozen, so one serves every default)


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

    def compute(
        self,
        con: duckdb.DuckDBPyConnection,
        start: dt.date,
        end: dt.date,
        grain: Grain = Grain.MONTH,
        areas: list[str] | None = None,
        organisations: list[str] | None = None,
    ) -> Series:
        """This indicator's sums per `grain` bucket over [start, end] (see `compute_many`)."""
        return compute_many(con, [self], start, end, grain, areas, organisations)[self.id]


class CompileError(ValueError):
    """A declaration the compiler will not turn into SQL (the rules in `_rules` catch these first)."""


def _measure(column: str, indicator: Indicator) -> str:
    if column not in MEASURES:
        raise CompileError(f"Indikatorn {indicator.id}: fältet {column!r} finns inte bland de mätbara fälten")
    return column


def _filter_condition(f: Filters, tag: str, owner: str) -> tuple[list[str], dict[str, object]]:
    """The SQL conditions of `f` and their parameters (named with `tag`); columns from the vocabulary, values bound."""
    parts: list[str] = []
    params: dict[str, object] = {}
    if f.area_groups or f.areas:
        unknown = [g for g in f.area_groups if g not in AREA_GROUPS]
        if unknown:
            raise CompileError(f"{owner}: okänd områdesgrupp {unknown[0]!r}")
        either = [AREA_GROUPS[g][1] for g in f.area_groups]
        if f.areas:
            either.append(f"list_contains($areas_{tag}, area_code)")
            params[f"areas_{tag}"] = list(f.areas)
        parts.append(f"({' OR '.join(either)})")
    if f.organisations:
        parts.append(f"list_contains($organisations_{tag}, organisation)")
        params[f"organisations_{tag}"] = list(f.organisations)
    for column, values, or_none in (
        ("topics", f.topics, f.topics_or_none),
        ("audiences", f.audiences, f.audiences_or_none),
    ):
        either = []
        if values:
            either.append(f"list_has_any({column}, CAST(${column}_{tag} AS VARCHAR[]))")
            params[f"{column}_{tag}"] = list(values)
        if or_none:
            either.append(f"coalesce(len({column}), 0) = 0")
        if either:
            parts.append(f"({' OR '.join(either)})")
    if f.risk_place is not None:
        parts.append(f"risk_place = $risk_place_{tag}")
        params[f"risk_place_{tag}"] = f.risk_place
    if f.control_kinds:
        parts.append(f"list_contains($control_kinds_{tag}, control_kind)")
        params[f"control_kinds_{tag}"] = list(f.control_kinds)
    if f.youth_focus is not None:
        parts.append(f"youth_focus = $youth_focus_{tag}")
        params[f"youth_focus_{tag}"] = f.youth_focus
    return parts, params


def _condition(indicator: Indicator, n: int, scanned: set[str], by_type: bool) -> tuple[str | None, dict[str, object]]:
    """The FILTER condition of indicator n and its parameters; None when it counts every row the query scans
    (its types cover the scanned ones, or the sums are grouped by type and only its types' groups are read,
    and it has no filters), so the sum needs no FILTER."""
    parts, params = _filter_condition(indicator.filters, str(n), f"Indikatorn {indicator.id}")
    if not parts and (by_type or scanned <= set(indicator.activity_types)):
        return None, {}
    params[f"types_{n}"] = list(indicator.activity_types)
    return " AND ".join([f"list_contains($types_{n}, activity_type)", *parts]), params


# What a computation may be grouped by besides its buckets: a column of activity_days, or each value of a list
# column (an activity with two topics counts under each of them, so such groups overlap).
GROUPS = {
    "activity_type": "activity_type",
    "area_code": "area_code",
    "topic": "unnest(topics)",
    "audience": "unnest(audiences)",
}
UNNESTED = ("topic", "audience")
GroupKey = tuple[Any, ...]  # a group's values, in the order of `by`

# The bucket of a day per grain: fixed SQL picked by the grain (one of SERIES_GRAINS), never built from text.
BUCKETS = {
    "day": "day",
    "total": "CAST($start AS DATE)",
    "tertial": "make_date(year(day), ((month(day) - 1) // 4) * 4 + 1, 1)",
    **{g: f"CAST(date_trunc('{g}', day) AS DATE)" for g in ("week", "month", "quarter", "year")},
}


def _query(
    indicators: list[Indicator],
    scanned: set[str],
    grain: str = "total",
    by: tuple[str, ...] = (),
    scope: Filters = NO_FILTERS,
) -> tuple[str, dict[str, object], list[tuple[str, str | None]]]:
    """One query for a set of indicators: a single scan of the window, one filtered sum per distinct figure.

    It reads activity_days, the log already spread over days (a summary row of N days adds
    1/N to each day, so a window that cuts its range takes its share pro rata) and summed
    per day and filterable column. `scope` restricts every indicator (the exploration's
    filters); `by` groups the sums beside the bucket (keys of GROUPS). Column names come from
    the vocabulary; every value, the declarations' filter values and scales included, is a
    bound parameter. Returns the SQL, its parameters and each indicator's numerator and
    denominator column: indicators that sum the same field over the same rows share a column.
    """
    unknown = [g for g in by if g not in GROUPS]
    if unknown or len(set(by)) < len(by) or sum(g in UNNESTED for g in by) > 1:
        raise CompileError(f"kan inte gruppera efter {', '.join(by)}")
    sums: list[str] = []
    params: dict[str, object] = {}
    columns: list[tuple[str, str | None]] = []
    shared: dict[tuple[object, ...], str] = {}

    def column(
        field: str, ind: Indicator, scale: float, counted: str | None, own: dict[str, object], key: tuple[object, ...]
    ) -> str:
        if key not in shared:
            shared[key] = alias = f"c{len(shared)}"
            params.update(own)
            params[f"scale_{alias}"] = scale
            where = f" FILTER (WHERE {counted})" if counted else ""
            sums.append(f"sum(CAST({_measure(field, ind)} AS DOUBLE)){where} * $scale_{alias} AS {alias}")
        return shared[key]

    for n, ind in enumerate(indicators):
        agg = ind.aggregation
        counted, own = _condition(ind, n, scanned, "activity_type" in by)
        rows = counted and (ind.activity_types, ind.filters)
        scale = agg.scale if isinstance(agg, Sum) else 1.0
        numerator = column(agg.numerator, ind, scale, counted, own, (agg.numerator, scale, rows))
        denominator = (
            column(agg.denominator, ind, 1.0, counted, own, (agg.denominator, 1.0, rows)) if agg.denominator else None
        )
        columns.append((numerator, denominator))
    scope_parts, scope_params = _filter_condition(scope, "scope", "Urvalet")
    params.update(scope_params)
    keys = "".join(f", {g}" for g in by)
    unnest = "".join(f", {GROUPS[g]} AS {g}" for g in by if g in UNNESTED)
    sql = f"""
SELECT {BUCKETS[grain]} AS bucket{keys},
       {", ".join(sums)}
FROM (SELECT *{unnest} FROM activity_days
      WHERE day BETWEEN $start AND $end
        AND list_contains($all_types, activity_type){"".join(f" AND {p}" for p in scope_parts)})
GROUP BY ALL
ORDER BY {"".join(f"{g}, " for g in by)}bucket
"""
    return sql, params, columns


def compute_many(
    con: duckdb.DuckDBPyConnection,
    indicators: list[Indicator],
    start: dt.date,
    end: dt.date,
    grain: Grain = Grain.MONTH,
    areas: list[str] | None = None,
    organisations: list[str] | None = None,
) -> dict[str, Series]:
    """Every indicator's sums per bucket over [start, end], read in one scan of the activities; only in `areas`
    and by `organisations` when given (an empty list lets nothing through)."""
    scope = Filters(areas=tuple(areas or ()), organisations=tuple(organisations or ()))
    grouped = compute_grouped(
        con, indicators, start, end, grain, types=() if [] in (areas, organisations) else None, scope=scope
    )
    return {ind.id: grouped[ind.id].get((), Series(ind, start, end, grain, ())) for ind in indicators}


def compute_grouped(
    con: duckdb.DuckDBPyConnection,
    indicators: list[Indicator],
    start: dt.date,
    end: dt.date,
    grain: Grain | str = Grain.MONTH,
    by: tuple[str, ...] = (),
    *,
    types: tuple[str, ...] | None = None,
    scope: Filters = NO_FILTERS,
) -> dict[str, dict[GroupKey, Series]]:
    """Every indicator's sums per bucket over [start, end] for each group of `by` (keys of GROUPS), read in
    one scan: {indicator id: {group key: series}}, with a group only where it holds activities.

    `types` and `scope` restrict every indicator: only activities of these types (all of the indicators'
    when None) that pass these filters count, as the exploration's selection asks."""
    if grain not in SERIES_GRAINS or str(grain) not in BUCKETS:
        raise ValueError(f"okänd periodindelning: {grain}")
    scanned = {t for ind in indicators for t in ind.activity_types}
    if types is not None:
        scanned &= set(types)
    if not indicators:
        return {}
    sql, params, columns = _query(indicators, scanned, str(grain), by, scope)
    params.update({"start": start, "end": end, "all_types": sorted(scanned)})
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    groups: dict[GroupKey, list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault(row[1 : len(by) + 1], []).append(row)
    typed = by.index("activity_type") if "activity_type" in by else None
    result: dict[str, dict[GroupKey, Series]] = {}
    for ind, (numerator, denominator) in zip(indicators, columns, strict=True):
        num, den = names.index(numerator), names.index(denominator) if denominator else None
        result[ind.id] = found = {}
        for key, members in groups.items():
            if typed is not None and key[typed] not in ind.activity_types:  # another type's group (`_condition`)
                continue
            if den is None:
                points = tuple(Point(r[0], r[num], None) for r in members if r[num] is not None)
            else:
                points = tuple(
                    Point(r[0], r[num] or 0.0, r[den] or 0.0)
                    for r in members
                    if r[num] is not None or r[den] is not None
                )
            if points:
                found[key] = Series(ind, start, end, str(grain), points)
    return result


def total(indicator: Indicator, groups: Iterable[Series]) -> float | None:
    """The indicator's figure over every bucket of every group of a grouped computation whose groups split the
    rows (by type or area; not by topic, where an activity can count in several). Every bucket counts, also a
    week that began before the window: the scan held only the window's days."""
    points = [p for series in groups for p in series.points]
    numerator = without_dust(sum((p.numerator for p in points), 0.0))
    denominator = without_dust(sum((p.denominator or 0.0 for p in points), 0.0)) if indicator.is_ratio else None
    return indicator.value(numerator, denominator)


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
