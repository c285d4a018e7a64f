"""A declaration in plain Swedish: for `indicator show`, the page Indikatorer and an app-defined filter label."""

from __future__ import annotations

from collections.abc import Iterable

from trygghet.figures.indicators._base import AREA_GROUPS, HOUR_FIELDS, Count, Filters, Indicator, Ratio, field_label
from trygghet.formatting import format_number
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.store.database import Store


def _either(values: Iterable[str]) -> str:
    values = list(values)
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} eller {values[-1]}"


def filters_text(filters: Filters, area_names: dict[str, str] | None = None) -> str:
    """The filters in words ('område: centrala Timrå; riskplats: ja'); empty without filters."""
    names = area_names or {}
    parts = []
    areas = [AREA_GROUPS[g][0] if g in AREA_GROUPS else g for g in filters.area_groups]
    areas += [names.get(a, a) for a in filters.areas]
    if areas:
        parts.append(f"område: {_either(areas)}")
    if filters.organisations:
        parts.append(
            f"organisation: {_either('i samverkan' if o == 'samverkan' else o for o in filters.organisations)}"
        )
    for label, values, or_none in (
        ("ämne", filters.topics, filters.topics_or_none),
        ("målgrupp", filters.audiences, filters.audiences_or_none),
    ):
        if values or or_none:
            parts.append(f"{label}: {_either([*values, *(['inget angivet'] if or_none else [])])}")
    if filters.risk_place is not None:
        parts.append(f"riskplats: {'ja' if filters.risk_place else 'nej'}")
    if filters.control_kinds:
        parts.append(f"typ av kontroll: {_either(filters.control_kinds)}")
    if filters.youth_focus is not None:
        parts.append(f"fokus på unga: {'ja' if filters.youth_focus else 'nej'}")
    return "; ".join(parts)


def _times(scale: float) -> str:
    return f" × {format_number(scale, 6).rstrip('0').rstrip(',')}" if scale != 1 else ""


def aggregation_text(ind: Indicator) -> str:
    """How the figure is computed ('summa av Utandningsprov', 'Misstänkt rattfylleri per Utandningsprov × 1 000')."""
    agg = ind.aggregation
    if isinstance(agg, Count):
        return "antal aktiviteter"
    if isinstance(agg, Ratio):
        return f"{field_label(agg.numerator)} per {field_label(agg.denominator)}{_times(agg.scale)}"
    if agg.field in HOUR_FIELDS and abs(agg.scale - 1 / 60) < 1e-12:
        return f"summa av {HOUR_FIELDS[agg.field]} i timmar"
    return f"summa av {field_label(agg.field)}{_times(agg.scale)}"


def describe(ind: Indicator, source: str, area_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Every part of a declaration as (what, value) in Swedish, in the order the form asks for them."""
    yes_no = {True: "ja", False: "nej"}
    return [
        ("Id", ind.id),
        ("Titel", ind.title),
        ("Beskrivning", ind.description or "–"),
        ("Källa", source),
        (
            "Aktivitetstyper",
            ", ".join(ACTIVITY_TYPES[t].plural if t in ACTIVITY_TYPES else t for t in ind.activity_types),
        ),
        ("Filter", filters_text(ind.filters, area_names) or "inga (alla aktiviteter av typerna)"),
        ("Beräkning", aggregation_text(ind)),
        ("Enhet", ind.unit),
        ("Fras i uppläst mening", ind.phrase or ind.unit),
        ("Decimaler", str(ind.decimals)),
        ("Huvudmått för löftet", yes_no[ind.headline]),
        ("Har mål", yes_no[ind.has_target]),
        ("Löften", ", ".join(ind.commitments) or "–"),
    ]


def source(store: Store, indicator_id: str) -> str:
    """Where a declaration comes from: its module, or who defined it in the app and when."""
    from trygghet.figures.indicators import _stored, builtin
    from trygghet.formatting import format_date

    if indicator_id in builtin():
        return f"inbyggd (trygghet/figures/indicators/{indicator_id}.py)"
    row = next((r for r in _stored.rows(store) if r["id"] == indicator_id), None)
    if row is None:
        return "okänd"
    return f"definierad i appen av {row['created_by']} {format_date(row['created_at'].date())}"
