"""The rules every indicator declaration must keep, one small class each.

They run when the modules load, when the app-defined indicators load (a broken one is
skipped and reported, never a silent 0) and before the page saves one (nothing is saved
while a rule objects). Each problem names the indicator and the field, in Swedish.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from trygghet import privacy
from trygghet.figures.indicators._base import (
    AREA_GROUPS,
    Filters,
    Indicator,
    Ratio,
    Sum,
    dimensions_of,
    field_label,
    measures_of,
)
from trygghet.reference.activity_types import ACTIVITY_TYPES, AUDIENCES, CONTROL_KINDS, ORGANISATIONS, TOPICS
from trygghet.validation import name_problem

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,59}$")

# What the page and the messages call each filter dimension (by its column).
DIMENSION_NAMES = {
    "area_code": "område",
    "organisation": "organisation",
    "topics": "ämne",
    "audiences": "målgrupp",
    "risk_place": "riskplats",
    "control_kind": "typ av kontroll",
    "youth_focus": "fokus på unga",
}


@dataclass(frozen=True)
class Problem:
    indicator: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"Indikatorn ”{self.indicator}”, fältet ”{self.field}”: {self.message}"


@dataclass(frozen=True)
class Context:
    """What the rules check against besides the declaration: None where no store is at hand."""

    taken_ids: frozenset[str] = frozenset()
    commitments: frozenset[str] | None = None
    areas: frozenset[str] | None = None


class Rule:
    field = ""

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        raise NotImplementedError


class IdIsAscii(Rule):
    field = "id"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if not ID_PATTERN.match(ind.id):
            yield (
                "ska vara 2–60 tecken, börja med en liten bokstav och bara innehålla a–z, 0–9 och _ "
                "(inga å, ä, ö eller mellanslag)"
            )


class IdIsFree(Rule):
    field = "id"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if ind.id in ctx.taken_ids:
            yield "det finns redan en indikator med samma id"


class TitleGiven(Rule):
    field = "titel"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if not ind.title.strip():
            yield "titeln saknas"


class TitleIsPlain(Rule):
    """The title labels charts, tables and menus: letters, digits and ordinary punctuation only."""

    field = "titel"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if ind.title.strip() and (problem := name_problem(ind.title)):
            yield f"titeln {problem}"


class NoPersonalData(Rule):
    """No text of the declaration holds personal data (privacy.py)."""

    field = "texter"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        for label, text in (
            ("titeln", ind.title),
            ("beskrivningen", ind.description),
            ("enheten", ind.unit),
            ("frasen", ind.phrase),
            ("filtret i ord", ind.filter_label),
        ):
            if problem := privacy.problem(text):
                yield f"{label} {problem}"


class UnitGiven(Rule):
    field = "enhet"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if not ind.unit.strip():
            yield "enheten saknas (till exempel ”insatser” eller ”timmar”)"


class KnownActivityTypes(Rule):
    field = "aktivitetstyper"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if not ind.activity_types:
            yield "välj minst en aktivitetstyp"
        for code in ind.activity_types:
            if code not in ACTIVITY_TYPES:
                yield f"okänd aktivitetstyp ”{code}”"


class FiltersFitTypes(Rule):
    """A filter on a field that a chosen type does not log would drop that type silently."""

    field = "filter"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        for dimension in ind.filters.dimensions():
            lacking = [
                ACTIVITY_TYPES[t].label.lower()
                for t in ind.activity_types
                if t in ACTIVITY_TYPES and dimension not in dimensions_of(t)
            ]
            if lacking:
                yield f"{DIMENSION_NAMES[dimension]} finns inte för {', '.join(lacking)}"


class FilterValuesKnown(Rule):
    field = "filter"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        f: Filters = ind.filters
        allowed = {
            "område": (f.areas, ctx.areas),
            "områdesgrupp": (f.area_groups, set(AREA_GROUPS)),
            "organisation": (f.organisations, set(ORGANISATIONS)),
            "ämne": (f.topics, set(TOPICS)),
            "målgrupp": (f.audiences, set(AUDIENCES)),
            "typ av kontroll": (f.control_kinds, set(CONTROL_KINDS)),
        }
        for name, (values, known) in allowed.items():
            for value in values:
                if known is not None and value not in known:
                    yield f"okänt värde ”{value}” för {name}"


class SumFieldExists(Rule):
    field = "summerat fält"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if isinstance(ind.aggregation, Sum):
            yield from _field_problems(ind, ind.aggregation.field, "summerar")


class RatioFieldsExist(Rule):
    field = "kvot"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if isinstance(ind.aggregation, Ratio):
            yield from _field_problems(ind, ind.aggregation.numerator, "har i täljaren")
            yield from _field_problems(ind, ind.aggregation.denominator, "delar med")


class ScaleIsPositive(Rule):
    field = "skala"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        scale = ind.aggregation.scale
        if not math.isfinite(scale) or scale <= 0:
            yield "skalan ska vara ett tal större än 0"


class DecimalsInRange(Rule):
    field = "decimaler"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        if not 0 <= ind.decimals <= 3:
            yield "antalet decimaler ska vara 0, 1, 2 eller 3"


class CommitmentsExist(Rule):
    field = "löften"

    def check(self, ind: Indicator, ctx: Context) -> Iterator[str]:
        for commitment in ind.commitments:
            if ctx.commitments is not None and commitment not in ctx.commitments:
                yield f"löftet ”{commitment}” finns inte"


RULES: tuple[Rule, ...] = (
    IdIsAscii(),
    IdIsFree(),
    TitleGiven(),
    TitleIsPlain(),
    NoPersonalData(),
    UnitGiven(),
    KnownActivityTypes(),
    FiltersFitTypes(),
    FilterValuesKnown(),
    SumFieldExists(),
    RatioFieldsExist(),
    ScaleIsPositive(),
    DecimalsInRange(),
    CommitmentsExist(),
)


def _field_problems(ind: Indicator, column: str, verb: str) -> Iterator[str]:
    known = [t for t in ind.activity_types if t in ACTIVITY_TYPES]
    if not column:
        yield f"välj vilket fält indikatorn {verb}"
        return
    if not any(column in measures_of(t) for t in ACTIVITY_TYPES):
        yield f"fältet ”{column}” finns inte bland de fält som kan räknas"
        return
    lacking = [ACTIVITY_TYPES[t].label.lower() for t in known if column not in measures_of(t)]
    if lacking:
        yield f"indikatorn {verb} fältet ”{field_label(column)}” som {', '.join(lacking)} saknar"


def check(ind: Indicator, ctx: Context = Context()) -> list[Problem]:
    """Every problem of one declaration; empty when it may be used."""
    return [Problem(ind.id, rule.field, message) for rule in RULES for message in rule.check(ind, ctx)]


# The declaration's fields as the page names them, for problems found while reading stored JSON.
FIELD_NAMES = {
    "id": "id",
    "title": "titel",
    "description": "beskrivning",
    "commitments": "löften",
    "activity_types": "aktivitetstyper",
    "filters": "filter",
    "aggregation": "beräkning",
    "unit": "enhet",
    "phrase": "fras",
    "decimals": "decimaler",
    "headline": "huvudmått",
    "has_target": "har mål",
    "filter_label": "filter i ord",
}
_PYDANTIC_WORDS = {"missing": "saknas", "extra_forbidden": "okänt fält", "union_tag_invalid": "okänd sorts beräkning"}


def read(data: dict[str, Any] | str, indicator_id: str) -> tuple[Indicator | None, list[Problem]]:
    """A declaration from a dict or JSON, or the Swedish problems of why it cannot be read."""
    try:
        ind = Indicator.model_validate_json(data) if isinstance(data, str) else Indicator.model_validate(data)
    except ValidationError as exc:
        return None, [
            Problem(
                indicator_id,
                ".".join(FIELD_NAMES.get(str(p), str(p)) for p in e["loc"]) or "deklaration",
                _PYDANTIC_WORDS.get(e["type"], "fel sorts värde"),
            )
            for e in exc.errors()
        ]
    return ind, []
