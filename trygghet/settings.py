"""Settings from data/settings.toml, validated at start-up with a message that names the field."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trygghet.config import DATA_DIR
from trygghet.validation import swedish_problems
from trygghet.figures.progress import Thresholds

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
    def _ordered(self) -> "ProgressSettings":
        if self.slightly_behind > self.on_track:
            raise ValueError("slightly_behind får inte vara större än on_track")
        return self


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    progress: ProgressSettings = ProgressSettings()

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
