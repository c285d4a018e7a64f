"""Reference data (agreements, focus areas, commitments, areas) read from files in data/.

They seed a new database once; after that the database is the master (agreements are kept on the page
Överenskommelser). The files are validated so that a steward who edits one gets a message naming the
file, the entry and the field instead of a traceback.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from trygghet.config import DATA_DIR
from trygghet.reference.agreements import PUBLISHED, Agreement, Commitment, problems
from trygghet.validation import name_problem, swedish_problems


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message is Swedish and names the place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FocusArea(_Strict):
    id: str
    title: str
    ordinal: int


class _FileCommitment(Commitment):
    """A commitment in commitments.toml, which names its agreement."""

    agreement: str


class Area(_Strict):
    code: str
    name: str
    is_central: bool


class ReferenceData(_Strict):
    agreements: tuple[Agreement, ...]  # published, each with its commitments
    focus_areas: tuple[FocusArea, ...]
    areas: tuple[Area, ...]


_Model = TypeVar("_Model", bound=BaseModel)


def _entries(path: Path, key: str, model: type[_Model]) -> tuple[_Model, ...]:
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
            raise ReferenceDataError(
                f"{path.name}, post {number} under [[{key}]] ({entry.get('id', '?')}): {problems}"
            ) from exc
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
        if problem := name_problem(row["namn"].strip()):
            raise ReferenceDataError(f"{path.name}, rad {line}: namnet {problem}")
        areas.append(Area(code=row["kod"].strip(), name=row["namn"].strip(), is_central=answers[central]))
    return tuple(areas)


def load_reference(data_dir: Path = DATA_DIR) -> ReferenceData:
    """The source agreements as the signed documents have them, with their commitments and focus areas."""
    heads = _entries(data_dir / "agreements.toml", "agreement", Agreement)
    focus_areas = _entries(data_dir / "commitments.toml", "focus_area", FocusArea)
    commitments = _entries(data_dir / "commitments.toml", "commitment", _FileCommitment)
    known_agreements = {a.id for a in heads}
    for c in commitments:
        if c.agreement not in known_agreements:
            raise ReferenceDataError(f"commitments.toml, löfte {c.id}: okänd överenskommelse '{c.agreement}'")
    agreements = tuple(
        a.model_copy(
            update={
                "status": PUBLISHED,
                "commitments": tuple(
                    Commitment.model_validate(c.model_dump(exclude={"agreement"}))
                    for c in commitments
                    if c.agreement == a.id
                ),
            }
        )
        for a in heads
    )
    for a in agreements:
        found = problems(a, agreements, {f.id for f in focus_areas})
        if found:
            raise ReferenceDataError(f"agreements.toml/commitments.toml, {a.id}: {'; '.join(found)}")
    return ReferenceData(agreements=agreements, focus_areas=focus_areas, areas=_areas(data_dir / "areas.csv"))
