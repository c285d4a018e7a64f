"""Targets set by the council, and how much of a target falls within a window.

The published promises carry no numbers ("öka fotpatrulleringen"), so every
target records its origin. A target is valid from a date; figures for a period
use the target that was valid then. A yearly target seen over a tertial, or over
the days elapsed so far, is its share by days, or by the season's monthly weights.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from trygghet import privacy
from trygghet.auth import User
from trygghet.config import DATA_DIR
from trygghet.config import today as config_today
from trygghet.figures.periods import TARGET_GRAINS, Grain, period_containing, shift_years
from trygghet.figures.progress import Direction, elapsed_fraction
from trygghet.store.database import Store
from trygghet.store.targets import TargetRow
from trygghet.validation import swedish_problems

TARGETS_FILE = DATA_DIR / "targets.toml"
TARGET_GRAIN_LABELS = {
    Grain.MONTH: "per månad",
    Grain.QUARTER: "per kvartal",
    Grain.TERTIAL: "per tertial",
    Grain.YEAR: "per år",
    Grain.AGREEMENT: "för hela överenskommelsen",
}


class TargetError(ValueError):
    """A target is invalid; the message is Swedish and names the entry and the field."""


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The agreement the target was set for: it applies only inside that agreement.
    agreement: str | None = None
    indicator: str
    grain: Grain
    value: float | None = Field(default=None, ge=0)
    direction: Direction = Direction.AT_LEAST
    # Twelve relative monthly weights; None means every day weighs the same.
    season: tuple[float, ...] | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    baseline_year: int | None = Field(default=None, ge=2000, le=2100)
    increase_pct: float | None = None
    origin: str = Field(min_length=3)
    example: bool = False

    @field_validator("origin")
    @classmethod
    def _no_personal_data(cls, origin: str) -> str:
        found = privacy.problem(origin)
        if found:
            raise ValueError(found)
        return origin

    @field_validator("grain")
    @classmethod
    def _target_grain(cls, grain: Grain) -> Grain:
        if grain not in TARGET_GRAINS:
            raise ValueError("måste vara ett av: " + ", ".join(TARGET_GRAINS))
        return grain

    @field_validator("season", mode="before")
    @classmethod
    def _season_weights(cls, season: object) -> tuple[float, ...] | None:
        """Accept a list of months ([4, 5, …, 10]) or a table of month weights ({"4" = 1, "7" = 2})."""
        if season is None:
            return None
        if not isinstance(season, (dict, list, tuple)):
            raise ValueError("måste vara en lista med månader eller en tabell med månadsvikter")
        if isinstance(season, dict):
            weights = [0.0] * 12
            for month, weight in season.items():
                if not str(month).isdigit() or not 1 <= int(month) <= 12:
                    raise ValueError(f"'{month}' är ingen månad 1–12")
                if float(weight) < 0:
                    raise ValueError(f"vikten för månad {month} är negativ")
                weights[int(month) - 1] = float(weight)
        elif len(season) == 12 and all(isinstance(w, float) for w in season):
            weights = list(season)
        else:
            weights = [0.0] * 12
            for month in season:
                if not isinstance(month, int) or not 1 <= month <= 12:
                    raise ValueError(f"'{month}' är ingen månad 1–12")
                weights[month - 1] = 1.0
        if not any(weights):
            raise ValueError("säsongen har ingen månad med vikt")
        return tuple(weights)

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        from trygghet.figures.indicators import registry

        indicator = registry().get(self.indicator)
        if indicator is None:
            raise ValueError(f"okänd indikator '{self.indicator}'")
        if not indicator.has_target:
            raise ValueError(f"indikatorn '{self.indicator}' är ett sammanhangsmått och har inget mål")
        if (self.value is None) == (self.baseline_year is None):
            raise ValueError("ange antingen value (ett tal) eller baseline_year (ett jämförelseår), inte båda")
        if self.increase_pct is not None and self.baseline_year is None:
            raise ValueError("increase_pct kräver baseline_year")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to är före valid_from")
        return self

    @property
    def season_map(self) -> dict[int, float] | None:
        return None if self.season is None else {m + 1: w for m, w in enumerate(self.season) if w > 0}

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def describe(self) -> str:
        """'minst 300 per år' or 'minst 2023 + 10 % per år', for tables and history."""
        from trygghet.formatting import format_number

        amount = (
            format_number(self.value, 1 if self.value % 1 else 0)
            if self.value is not None
            else f"samma som {self.baseline_year} + {format_number(self.increase_pct or 0, 1)} %"
        )
        word = "minst" if self.direction == Direction.AT_LEAST else "högst"
        return f"{word} {amount} {TARGET_GRAIN_LABELS[self.grain]}"


FIELD_LABELS = {
    "agreement": "överenskommelse",
    "indicator": "mått",
    "grain": "period",
    "value": "antal",
    "direction": "riktning",
    "season": "säsong",
    "valid_from": "gäller från",
    "valid_to": "gäller till",
    "baseline_year": "jämförelseår",
    "increase_pct": "ökning i procent",
    "origin": "beslut",
    "example": "exempel",
}


def _error_text(source: str, number: int, entry: dict[str, Any], exc: ValidationError) -> str:
    return f"{source}, mål {number} ({entry.get('indicator', '?')}): {swedish_problems(exc, FIELD_LABELS)}"


def parse_target(entry: dict[str, Any], source: str = "formuläret", number: int = 1) -> Target:
    try:
        return Target.model_validate(entry)
    except ValidationError as exc:
        raise TargetError(_error_text(source, number, entry, exc)) from exc


def load_targets_file(path: Path = TARGETS_FILE) -> list[Target]:
    """Read and validate the shipped default targets; any error names the file, the entry and the field."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TargetError(f"{path.name}: kan inte läsas ({exc})") from exc
    return [parse_target(entry, path.name, n) for n, entry in enumerate(raw.get("target", []), start=1)]


def target_over(
    targets: list[Target],
    indicator_id: str,
    start: dt.date,
    end: dt.date,
    agreement_span: tuple[dt.date, dt.date],
    baseline: Callable[[dt.date, dt.date], float | None],
) -> float | None:
    """The part of the indicator's targets that falls within [start, end].

    Each target period (a year, say) contributes its target times the share of its
    weight inside the window; a target replaced mid-period contributes only for
    the days it was valid. `baseline(start, end)` gives the actual of a past window
    for relative targets. None when no target is valid anywhere in the window.
    """
    own = [t for t in targets if t.indicator == indicator_id]
    total, found, day = 0.0, False, start
    while day <= end:
        target = next((t for t in own if t.valid_on(day)), None)
        if target is None:
            day += dt.timedelta(days=1)
            continue
        # A calendar target period is never cut: a window cut by the agreement takes its share.
        span = agreement_span if target.grain == "agreement" else None
        period = period_containing(target.grain, day, span=span)
        piece_end = min(end, period.end, target.valid_to or end)
        season = target.season_map
        share = elapsed_fraction(period.start, period.end, piece_end, season) - elapsed_fraction(
            period.start, period.end, day - dt.timedelta(days=1), season
        )
        value = target.value
        if value is None:
            assert target.baseline_year is not None  # a target has a value or a baseline year (_consistent)
            years_back = period.start.year - target.baseline_year
            base = baseline(shift_years(period.start, -years_back), shift_years(period.end, -years_back))
            value = None if base is None else base * (1 + (target.increase_pct or 0) / 100)
        if value is not None:
            total += value * share
            found = True
        day = piece_end + dt.timedelta(days=1)
    return total if found else None


def covered_ranges(
    targets: list[Target], indicator_id: str, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """The parts of [start, end] under one of the indicator's targets, merged and in order: only these
    days count toward a target (a year logged before the first target is a baseline, not progress)."""
    pieces = sorted(
        (max(start, t.valid_from), min(end, t.valid_to or end)) for t in targets if t.indicator == indicator_id
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in pieces:
        if last < first:
            continue
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def promised_change(texts: list[str]) -> int:
    """+1 when a commitment's words promise to increase something (öka, ökad), −1 to decrease it (minska),
    0 otherwise: a promise of change is measured against the year before, not against a bare number."""
    words = re.findall(r"\w+", " ".join(texts).lower())
    if any(w.startswith("minsk") for w in words):
        return -1
    if any(w.startswith("ök") for w in words):
        return 1
    return 0


@dataclass(frozen=True)
class Suggestion:
    """The target offered for an indicator of a new agreement, with the baseline figure shown beside it."""

    baseline_year: int
    baseline: float | None  # the indicator's figure in the year before the agreement; None: no data then
    change: int  # +1 öka, −1 minska, 0 neither
    step_pct: float = 10.0

    @property
    def relative(self) -> bool:
        return self.change != 0

    @property
    def increase_pct(self) -> float:
        return self.change * self.step_pct

    @property
    def direction(self) -> Direction:
        return Direction.AT_MOST if self.change < 0 else Direction.AT_LEAST

    @property
    def value(self) -> float | None:
        """The baseline plus (or minus) the step, whole: 120 patrols the year before, öka: 132."""
        if self.baseline is None:
            return None
        return float(round(self.baseline * (1 + self.increase_pct / 100)))


def suggested_targets(
    agreement_id: str, suggestions: dict[str, Suggestion], valid_from: dt.date, origin: str
) -> list[Target]:
    """The suggestion of every indicator with a figure the year before, as the form would enter it: a yearly
    target relative to that year where the promise says öka or minska, else that year's figure. One decision
    (`origin`) for them all, so a council that adopts the suggestions enters them at once."""
    if len(origin.strip()) < 3:
        raise TargetError(
            "Fältet ”Beslut”: ange beslutet som målen bygger på (minst 3 tecken), till exempel "
            "”Beslutat av rådet 2025-02-11”."
        )
    return [
        parse_target(
            {
                "agreement": agreement_id,
                "indicator": indicator,
                "grain": "year",
                "direction": s.direction.value,
                "valid_from": valid_from,
                "origin": origin.strip(),
                **(
                    {"baseline_year": s.baseline_year, "increase_pct": s.increase_pct}
                    if s.relative
                    else {"value": s.value}
                ),
            }
        )
        for indicator, s in suggestions.items()
        if s.value is not None
    ]


def to_row(target: Target) -> TargetRow:
    return TargetRow(
        agreement_id=target.agreement,
        indicator_id=target.indicator,
        grain=str(target.grain),
        value=target.value,
        direction=target.direction.value,
        season_weights=list(target.season) if target.season else None,
        valid_from=target.valid_from,
        valid_to=target.valid_to,
        baseline_year=target.baseline_year,
        increase_pct=target.increase_pct,
        origin=target.origin,
        is_example=target.example,
    )


def from_row(row: TargetRow) -> Target:
    return Target(
        agreement=row.agreement_id,
        indicator=row.indicator_id,
        grain=row.grain,
        value=row.value,
        direction=row.direction,
        season=tuple(row.season_weights) if row.season_weights else None,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        baseline_year=row.baseline_year,
        increase_pct=row.increase_pct,
        origin=row.origin,
        example=row.is_example,
    )


def stored_targets(store: Store) -> list[Target]:
    """The stored targets of the indicators in use: an app-defined indicator taken out of use, or left out
    for breaking a rule, keeps its targets stored but hides them rather than failing every page."""
    from trygghet.figures.indicators import registry

    in_use = registry(store.path)
    return [from_row(row) for row in store.target_rows() if row.indicator_id in in_use]


def set_target(
    store: Store, target: Target, user: User, today: dt.date | None = None, correction: str | None = None
) -> None:
    """Store a new target of an agreement from its valid_from date on, keeping earlier periods' targets,
    with history.

    A target is changed from today onward. Changing it for days already passed is a correction
    (*rättelse*): it needs a reason (`correction`), which the history keeps; without one the store
    refuses with a Swedish StoreError and nothing changes. The date must lie inside the agreement."""
    from trygghet.figures.indicators import registry

    today = today or config_today()
    agreements = store.agreements().set_index("id")
    if target.agreement not in agreements.index:
        raise TargetError(f"Fältet ”Överenskommelse”: ”{target.agreement}” finns inte.")
    agreement = agreements.loc[target.agreement]
    start, end = agreement.valid_from.date(), agreement.valid_to.date()
    if not start <= target.valid_from <= end:
        raise TargetError(
            f"Fältet ”Gäller från”: {target.valid_from} ligger utanför {agreement.title} "
            f"({start}–{end}). Ett mål gäller bara inom sin överenskommelse."
        )
    if correction is not None and not correction.strip():
        raise TargetError("Fältet ”Motivering” är tomt: en rättelse av passerade dagar kräver en motivering.")
    targets = stored_targets(store)
    previous = next(
        (
            t
            for t in targets
            if t.indicator == target.indicator and t.agreement == target.agreement and t.valid_on(target.valid_from)
        ),
        None,
    )
    old_text = f"{previous.describe()}, från {previous.valid_from} ({previous.origin})" if previous else None
    new_text = f"{target.describe()}, från {target.valid_from} ({target.origin})"
    store.replace_target(
        to_row(target),
        user,
        old_text,
        new_text,
        indicator_title=registry()[target.indicator].title,
        today=today,
        reason=correction.strip() if correction else None,
    )
