"""The exploration's figures, read through the indicator compiler: the self-service pages are its clients.

A view's headline figures are indicator declarations (`model.VIEWS`), and its charts read the sums
of the measures its types log per bucket and group. Both come from `compute_grouped`, with the selection's
filters as the scope of every sum, so a figure that the overview and an exploration page both
show is computed by one query builder, never by a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trygghet.exploration.model import Selection
from trygghet.figures.indicators import Count, Filters, Indicator, Series, Sum
from trygghet.figures.indicators._base import MEASURES, GroupKey, compute_grouped, field_label, measures_of, total
from trygghet.store.database import Store, without_dust

GRAINS = ("week", "month")  # a grain among the keys of `explore_sums` buckets the sums by it


def _measure(column: str, aggregation: Count | Sum, types: tuple[str, ...]) -> Indicator:
    return Indicator(
        id=column,
        title=field_label(column),
        unit=field_label(column).lower(),
        activity_types=types,
        aggregation=aggregation,
    )


def measures(types: tuple[str, ...]) -> list[Indicator]:
    """Every field that one of the types logs and that can be summed, as a plain sum over the selection named by
    its column, and hours beside the minutes: what the charts read."""
    logged = {m for t in types for m in measures_of(t)}
    return [_measure(m, Count() if m == "activity_count" else Sum(field=m), types) for m in MEASURES if m in logged] + [
        _measure("hours", Sum(field="duration_min", scale=1 / 60), types)
    ]


def scope(sel: Selection) -> Filters:
    """The selection's filters as the compiler's scope: every figure of the page counts only what they let through."""
    return Filters(
        areas=sel.areas,
        organisations=sel.organisations,
        topics=sel.topics,
        audiences=sel.audiences,
        risk_place=sel.risk_place,
        control_kinds=sel.control_kinds,
    )


def _computed(
    store: Store, indicators: list[Indicator], sel: Selection, grain: str, by: tuple[str, ...]
) -> dict[str, dict[GroupKey, Series]]:
    with store.connect() as con:
        return compute_grouped(con, indicators, sel.start, sel.end, grain, by, types=sel.types, scope=scope(sel))


def _frame(
    found: dict[str, dict[GroupKey, Series]], columns: list[Indicator], grain: str | None, by: tuple[str, ...]
) -> pd.DataFrame:
    """The sums as a table: a row per bucket (when `grain`) and group, a column per measure, 0 where none."""
    cells: dict[GroupKey, dict[str, float]] = {}
    for ind in columns:
        for key, series in found[ind.id].items():
            for point in series.points:
                cells.setdefault((point.bucket, *key), {})[ind.id] = point.numerator
    if not cells and not by:  # nothing in the selection: the sums are zero
        cells[(None,)] = {}
    names = [ind.id for ind in columns]
    rows = [(*place, *(without_dust(values.get(n, 0.0)) for n in names)) for place, values in cells.items()]
    frame = pd.DataFrame(rows, columns=["bucket", *(g for g in by if g not in GRAINS), *names])
    if grain is None:
        frame = frame.drop(columns="bucket")
    else:
        frame = frame.rename(columns={"bucket": grain})
        frame[grain] = pd.to_datetime(frame[grain])
    keys = [g for g in by if g in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True) if keys else frame


def explore_sums(store: Store, sel: Selection, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every measure summed over the selection, grouped by `by`: at most one grain of GRAINS and keys of the
    compiler's GROUPS (one row of zeros when ungrouped and empty).

    A summary row counts with the share of its days that falls in the window. Grouping by topic
    or audience counts an activity under each of its topics or audiences."""
    grains = [g for g in by if g in GRAINS]
    if len(grains) > 1:
        raise ValueError(f"cannot group activities by {by}")
    columns = measures(sel.types)
    grain = grains[0] if grains else None
    found = _computed(store, columns, sel, grain or "total", tuple(g for g in by if g not in GRAINS))
    return _frame(found, columns, grain, by)


@dataclass(frozen=True)
class ViewFigures:
    sums: pd.DataFrame  # every measure per bucket of the grain and activity type
    metrics: tuple[float | None, ...]  # each headline figure over the whole selection (None: a ratio over nothing)


def view_figures(store: Store, metrics: tuple[Indicator, ...], sel: Selection, grain: str) -> ViewFigures:
    """A view's chart sums per `grain` bucket and activity type and its headline figures, from one scan."""
    columns = measures(sel.types)
    found = _computed(store, [*columns, *metrics], sel, grain, ("activity_type",))
    return ViewFigures(
        _frame(found, columns, grain, (grain, "activity_type")), tuple(total(m, found[m.id].values()) for m in metrics)
    )
