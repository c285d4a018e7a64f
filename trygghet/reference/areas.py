"""The areas of the municipality as the stewards edit them: validated as a whole before anything is saved."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from trygghet import privacy
from trygghet.validation import name_problem


def area_code(name: str) -> str:
    """'Timrå centrum' -> 'timra-centrum': the code a new area gets from its name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def check_areas(rows: list[dict[str, Any]], existing_codes: set[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Normalised rows and Swedish problems ('Rad 3: …'); nothing is saved while there are problems."""
    problems: list[str] = []
    seen_names: dict[str, int] = {}
    result: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name:
            problems.append(f"Rad {number}: namnet saknas.")
            continue
        if len(name) > 80:
            problems.append(f"Rad {number}: namnet är längre än 80 tecken.")
            continue
        if problem := name_problem(name) or privacy.problem(name):
            problems.append(f"Rad {number}: namnet {problem}")
            continue
        key = name.casefold()
        if key in seen_names:
            problems.append(f"Rad {number}: namnet ”{name}” finns redan på rad {seen_names[key]}.")
            continue
        seen_names[key] = number
        code = row.get("code") or area_code(name)
        if not row.get("code") and code in existing_codes:
            problems.append(f"Rad {number}: ett område med koden ”{code}” finns redan.")
            continue
        result.append(
            {
                "code": code,
                "name": name,
                "is_central": bool(row.get("is_central")),
                "active": row.get("active") is not False,
            }
        )
    missing = existing_codes - {r["code"] for r in result} - {r.get("code") for r in rows if r.get("code")}
    if missing:
        problems.append(f"Områden kan inte tas bort, bara göras inaktiva: {', '.join(sorted(missing))}.")
    return result, problems
