"""Which field a column header names, and in what unit: read from the header, never guessed.

A duration is stored in minutes; a file may give it in hours ("Varaktighet (timmar)",
"hours", "h") or in minutes ("Varaktighet (minuter)", "min", the store's own name
`duration_min`). A duration header without a unit, or with a unit not known here,
is an error naming the header. A count may say it counts pieces ("Fordon (st)");
any other unit on a count, or a duration unit on a column that is no duration,
is an error too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from trygghet.importing.cell_rules import TYPE_HEADER_KEYS, field_lookup, key
from trygghet.reference.activity_types import ACTIVITY_TYPES, Field

DURATION_UNITS = {
    "minutes": ("minuter", "minut", "min", "mins", "minutes", "minute"),
    "hours": ("timmar", "timme", "tim", "h", "hours", "hour", "hrs", "hr"),
}
COUNT_UNITS = ("st", "stycken", "antal", "pcs", "count", "number")
UNIT_WORDS = {key(w): kind for kind, words in DURATION_UNITS.items() for w in words}
UNIT_NAMES = {"minutes": "minuter", "hours": "timmar"}
ALL_UNITS = {*UNIT_WORDS, *map(key, COUNT_UNITS)}
_PARENTHESIS = re.compile(r"\s*(.*?)[\s_]*[(\[]\s*([^)\]]*?)\s*[)\]]\s*")


class UnitError(ValueError):
    """A header whose unit is missing, unknown or wrong for its column; the message is Swedish."""


@dataclass(frozen=True)
class Split:
    name: str
    unit: str | None  # the unit the header states, as written


def split_unit(header: str) -> Split:
    """'Varaktighet (minuter)' -> ('Varaktighet', 'minuter'); 'duration_min' -> ('duration', 'min');
    a trailing word is a unit only when it is one of the known unit words."""
    found = _PARENTHESIS.fullmatch(header)
    if found:
        return Split(found.group(1), found.group(2))
    words = re.split(r"[\s_]+", header.strip())
    if len(words) > 1 and key(words[-1]) in ALL_UNITS:
        return Split(" ".join(words[:-1]), words[-1])
    return Split(header, None)


def match_header(header: str, lookup: dict[str, Field]) -> Field | None:
    """The field `header` names (a duration given in minutes as a field of kind "minutes"), or None for a
    header of no field in `lookup`. Raises UnitError for a unit that is missing, unknown or misplaced."""
    split = split_unit(header)
    f = lookup.get(key(header))  # a whole header that is a name ("tid timmar") before its parts
    whole = f is not None
    if not whole and split.unit is not None:
        f = lookup.get(key(split.name))
    if f is None:
        return None
    if f.kind == "hours":
        return _duration(header, split, f)
    unit = key(split.unit or "")
    if whole or not unit:
        return f
    if f.kind == "int" and unit in map(key, COUNT_UNITS):
        return f
    if f.kind == "int" or unit in ALL_UNITS:
        raise UnitError(
            f"enheten {split.unit} känns inte igen för {f.label.lower()}"
            + ("; ett antal anges utan enhet eller i st" if f.kind == "int" else "; kolumnen är ingen mängd med enhet")
            + "."
        )
    return f  # a note in parentheses on a column without a unit, e.g. "Datum (åååå-mm-dd)"


def _duration(header: str, split: Split, f: Field) -> Field:
    """A duration column in hours (as declared) or in minutes; the unit must be stated and known."""
    if split.unit is not None and key(split.unit) not in UNIT_WORDS:
        raise UnitError(
            f"enheten {split.unit} känns inte igen för varaktighet; ange timmar eller minuter, "
            "t.ex. Varaktighet (timmar)."
        )
    units = {UNIT_WORDS[w] for w in map(key, re.findall(r"[^\W_]+", header.lower())) if w in UNIT_WORDS}
    if len(units) != 1:
        raise UnitError(
            "rubriken säger inte om varaktigheten är i timmar eller minuter; skriv "
            "Varaktighet (timmar) eller Varaktighet (minuter)."
        )
    unit = units.pop()
    return f if unit == "hours" else replace(f, kind="minutes")


def unit_word(f: Field) -> str:
    """What a duration field's values are counted in, in Swedish."""
    return UNIT_NAMES["minutes" if f.kind == "minutes" else "hours"]


_ANY_TYPE = {k: f for t in ACTIVITY_TYPES.values() for k, f in field_lookup(t).items()}


def known_header(header: str) -> bool:
    """Whether a header names a field of any activity type, or the type column (a sheet with none is no log)."""
    if not header:
        return False
    if key(header) in TYPE_HEADER_KEYS:
        return True
    try:
        return match_header(header, _ANY_TYPE) is not None
    except UnitError:
        return True
