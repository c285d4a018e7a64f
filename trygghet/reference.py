"""Reference data (agreements, focus areas, commitments, areas) read from files in data/.

The files are validated with pydantic so that a steward who edits one gets a
message naming the file, the entry and the field instead of a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from trygghet.config import DATA_DIR
from trygghet.validation import swedish_problems


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message is Swedish and names the place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agreement(_Strict):
    id: str
    title: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date
    source: str

    @model_validator(mode="after")
    def _ordered(self) -> "Agreement":
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to är före valid_from")
        return self


class FocusArea(_Strict):
    id: str
    title: str
    ordinal: int


class Commitment(_Strict):
    id: str
    agreement: str
    ordinal: int
    short_title: str
    focus_area: str
    responsible: Literal["polisen", "kommunen", "bada"]
    text: str


class Area(_Strict):
    code: str
    name: str
    is_central: bool


class ReferenceData(_Strict):
    agreements: tuple[Agreement, ...]
    focus_areas: tuple[FocusArea, ...]
    commitments: tuple[Commitment, ...]
    areas: tuple[Area, ...]


def _entries(path: Path, key: str, model: type[_Strict]) -> tuple:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(f"{path.name}: kan inte läsas ({exc})") from exc
    items = []
    for number, entry in enumerate(raw.get(key, []), start=1):
        try:
            items.append(model.model_validate(entry))
        except ValidationError as exc:
            problems = swedish_problems(exc)
            raise ReferenceDataError(f"{path.name}, post {number} under [[{key}]] ({entry.get('id', '?')}): {problems}") from exc
    return tuple(items)


def _areas(path: Path) -> tuple[Area, ...]:
    answers = {"ja": True, "nej": False}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter=";"))
    except OSError as exc:
        raise ReferenceDataError(f"{path.name}: kan inte läsas ({exc})") from exc
    areas = []
    for line, row in enumerate(rows, start=2):
        central = (row.get("centrala_timra") or "").strip().lower()
        if central not in answers or not (row.get("kod") or "").strip() or not (row.get("namn") or "").strip():
            raise ReferenceDataError(
                f"{path.name}, rad {line}: kolumnerna kod, namn och centrala_timra (ja/nej) måste vara ifyllda"
            )
        areas.append(Area(code=row["kod"].strip(), name=row["namn"].strip(), is_central=answers[central]))
    return tuple(areas)


def load_reference(data_dir: Path = DATA_DIR) -> ReferenceData:
    agreements = _entries(data_dir / "agreements.toml", "agreement", Agreement)
    focus_areas = _entries(data_dir / "commitments.toml", "focus_area", FocusArea)
    commitments = _entries(data_dir / "commitments.toml", "commitment", Commitment)
    known_agreements = {a.id for a in agreements}
    known_focus = {f.id for f in focus_areas}
    for c in commitments:
        if c.agreement not in known_agreements:
            raise ReferenceDataError(f"commitments.toml, löfte {c.id}: okänd överenskommelse '{c.agreement}'")
        if c.focus_area not in known_focus:
            raise ReferenceDataError(f"commitments.toml, löfte {c.id}: okänt fokusområde '{c.focus_area}'")
    return ReferenceData(
        agreements=agreements, focus_areas=focus_areas, commitments=commitments, areas=_areas(data_dir / "areas.csv")
    )
