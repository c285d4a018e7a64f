"""Settings from data/settings.toml, validated at start-up with a message that names the field."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trygghet.config import DATA_DIR
from trygghet.figures.progress import Thresholds
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.validation import swedish_problems

SETTINGS_FILE = DATA_DIR / "settings.toml"


class SettingsError(ValueError):
    """settings.toml is malformed; the message is Swedish and names the field."""


class ProgressSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_track: float = Field(1.0, gt=0, le=2)
    slightly_behind: float = Field(0.85, gt=0, le=1)
    min_prorated: float = Field(3.0, ge=0)
    stale_days: int = Field(45, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ProgressSettings:
        if self.slightly_behind > self.on_track:
            raise ValueError("slightly_behind får inte vara större än on_track")
        return self


# The most one activity holds, per type and column (issue 16): more is a typing error, not a busy day.
DEFAULT_MAX_PER_ACTIVITY = {
    "foot_patrol": {"citizen_contacts": 1000},
    "traffic_control": {"vehicles_checked": 5000, "breath_tests": 5000},
    "atractor_check": {"vehicles_checked": 500},
    "info_meeting": {"participants": 2000},
    "drug_operation": {"persons_checked": 500},
    "staff_training": {"participants": 1000, "unique_participants": 1000},
    "awareness": {"participants": 10000},
}


class PlausibilitySettings(BaseModel):
    """What an uploaded activity log may hold though every cell is valid on its own."""

    model_config = ConfigDict(extra="forbid")

    max_hours_per_activity: int = Field(24, ge=1, le=24 * 366)
    max_hours_per_day: int = Field(24, ge=1, le=24 * 100)
    max_per_activity: dict[str, dict[str, int]] = DEFAULT_MAX_PER_ACTIVITY

    @model_validator(mode="after")
    def _known_counts(self) -> PlausibilitySettings:
        """Known types and counts only; a limit left out of the file keeps its default (a limit can be raised,
        never dropped by leaving it out)."""
        self.max_per_activity = {
            code: {**DEFAULT_MAX_PER_ACTIVITY.get(code, {}), **self.max_per_activity.get(code, {})}
            for code in {*DEFAULT_MAX_PER_ACTIVITY, *self.max_per_activity}
        }
        for code, limits in self.max_per_activity.items():
            if code not in ACTIVITY_TYPES:
                raise ValueError(
                    f"max_per_activity.{code}: ingen känd aktivitetstyp; kända: {', '.join(ACTIVITY_TYPES)}"
                )
            counts = [f.column for f in ACTIVITY_TYPES[code].fields if f.kind == "int"]
            for column, most in limits.items():
                if column not in counts:
                    raise ValueError(
                        f"max_per_activity.{code}.{column}: inget antal som {ACTIVITY_TYPES[code].label.lower()}"
                        f" har; antal: {', '.join(counts)}"
                    )
                if most < 1:
                    raise ValueError(f"max_per_activity.{code}.{column}: måste vara minst 1")
        return self

    def max_count(self, code: str, column: str) -> int | None:
        return self.max_per_activity.get(code, {}).get(column)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    progress: ProgressSettings = ProgressSettings()
    plausibility: PlausibilitySettings = PlausibilitySettings()

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(**self.progress.model_dump())


def load_settings(path: Path = SETTINGS_FILE) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return Settings.model_validate(raw)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path.name}: kan inte läsas ({exc})") from exc
    except ValidationError as exc:
        raise SettingsError(f"{path.name}: {swedish_problems(exc)}") from exc


@cache
def settings() -> Settings:
    return load_settings()
