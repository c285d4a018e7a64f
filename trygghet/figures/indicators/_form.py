"""The page Indikatorer's core: a declaration from the form's answers, its preview, and its save.

The page only picks the answers and draws; what a declaration is, whether it may be saved and
what it would show are decided here, by the same model, rules and compiler as every indicator.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from trygghet.auth import User
from trygghet.figures.indicators import _stored, builtin, registry
from trygghet.figures.indicators._base import Indicator, dimensions_of, measures_of
from trygghet.figures.indicators._rules import Problem, check, read
from trygghet.figures.indicators._stored import context
from trygghet.figures.indicators._text import filters_text
from trygghet.figures.periods import Grain
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.store.database import Store


def suggested_id(title: str) -> str:
    """'Utandningsprov vid riskplatser' -> 'utandningsprov_vid_riskplatser' (ASCII, as the rules ask)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:60].lstrip("0123456789_")


def shared_dimensions(types: list[str]) -> tuple[str, ...]:
    """The filter dimensions every chosen type logs: the only ones the form offers."""
    known = [t for t in types if t in ACTIVITY_TYPES]
    return tuple(d for d in dimensions_of(known[0]) if all(d in dimensions_of(t) for t in known)) if known else ()


def shared_measures(types: list[str]) -> tuple[str, ...]:
    """The fields every chosen type logs that can be summed."""
    known = [t for t in types if t in ACTIVITY_TYPES]
    return tuple(m for m in measures_of(known[0]) if all(m in measures_of(t) for t in known)) if known else ()


GROUP = "grupp:"  # an area group among the areas the form offers ("grupp:centrala")


def declaration(
    answers: dict[str, Any], store: Store, editing: str | None = None
) -> tuple[Indicator | None, list[Problem]]:
    """The declaration the form's answers make, with every problem the rules find (none: it may be saved).

    `answers` holds the model's fields (filters and aggregation as dicts); an empty id is made from the
    title and an empty filter label from the filters. `editing`: the id of the stored indicator the
    answers replace (its id is kept)."""
    answers = {**answers, "id": editing or answers.get("id") or suggested_id(answers.get("title") or "")}
    ind, problems = read(answers, answers["id"])
    if ind is None:
        return None, problems
    if not ind.filter_label:
        areas = store.areas()
        ind = ind.model_copy(
            update={"filter_label": filters_text(ind.filters, dict(zip(areas.code, areas.name, strict=True)))}
        )
    taken = _taken(store) - {editing}
    return ind, check(ind, context(store, taken))


def _taken(store: Store) -> set[str]:
    """Every id in use or stored: built-in, app-defined, and app-defined taken out of use."""
    return set(builtin()) | set(registry(store.path)) | {r["id"] for r in _stored.rows(store)}


# The page's widget keys that hold the answers (those `form_state` fills).
FORM_KEYS = (
    "title",
    "id",
    "description",
    "types",
    "areas",
    "organisations",
    "topics",
    "topics_or_none",
    "audiences",
    "audiences_or_none",
    "control_kinds",
    "risk_place",
    "youth_focus",
    "kind",
    "field",
    "numerator",
    "denominator",
    "scale",
    "unit",
    "phrase",
    "decimals",
    "headline",
    "has_target",
    "commitments",
)


def form_state(ind: Indicator) -> dict[str, Any]:
    """The form's answers (by widget key) that show a stored declaration, for editing it."""
    f, agg = ind.filters, ind.aggregation
    return {
        "title": ind.title,
        "id": ind.id,
        "description": ind.description,
        "types": list(ind.activity_types),
        "areas": [GROUP + g for g in f.area_groups] + list(f.areas),
        "organisations": list(f.organisations),
        "topics": list(f.topics),
        "topics_or_none": f.topics_or_none,
        "audiences": list(f.audiences),
        "audiences_or_none": f.audiences_or_none,
        "control_kinds": list(f.control_kinds),
        "risk_place": {None: "alla", True: "ja", False: "nej"}[f.risk_place],
        "youth_focus": {None: "alla", True: "ja", False: "nej"}[f.youth_focus],
        "kind": agg.kind,
        "field": getattr(agg, "field", None),
        "numerator": agg.numerator if agg.kind == "ratio" else None,
        "denominator": agg.denominator,
        "scale": agg.scale if agg.kind == "ratio" else 1000.0,
        "unit": ind.unit,
        "phrase": ind.phrase,
        "decimals": ind.decimals,
        "headline": ind.headline,
        "has_target": ind.has_target,
        "commitments": list(ind.commitments),
    }


def preview(store: Store, ind: Indicator, today: dt.date) -> list[tuple[dt.date, float | None]]:
    """The figure per month for the twelve months up to the latest month with data of the chosen types
    (none logged: empty), each month listed, a month without activity as 0 ("inget underlag" for a ratio: None)."""
    latest = [d for t, d in store.last_activity_dates(today).items() if t in ind.activity_types]
    if not latest:
        return []
    last = max(latest)
    first = dt.date(last.year - (1 if last.month < 12 else 0), last.month % 12 + 1, 1)
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1) - dt.timedelta(days=1)
    with store.connect() as con:
        series = ind.compute(con, first, end, Grain.MONTH)
    months = [dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1) for n in range(12)]
    return [(m, series.value(m, m)) for m in months]


def save(
    store: Store, answers: dict[str, Any], user: User, editing: str | None = None
) -> tuple[Indicator | None, list[Problem]]:
    """Store the declaration of the answers, new or replacing `editing`; with any problem nothing is stored
    and the problems are returned."""
    ind, problems = declaration(answers, store, editing)
    if ind is None or problems:
        return ind, problems
    if editing:
        return ind, _stored.update(store, ind, user, _taken(store))
    return ind, _stored.save(store, ind, user, _taken(store))
