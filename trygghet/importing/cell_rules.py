"""What a cell of an uploaded file may hold, as SQL that checks a whole column at once.

Validating a million rows one by one in Python takes seconds per hundred
thousand; DuckDB checks each rule over the whole staged column in one pass.
Every expression here is built from the declarations in activity_types.py and
constants in this module, never from the uploaded text, which only ever
arrives as column values or bound parameters.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from trygghet.exploration.downloads import FORMULA_STARTS
from trygghet.formatting import format_date, format_number
from trygghet.reference.activity_types import (
    ACTIVITY_TYPES,
    COMMON_FIELDS,
    ORGANISATIONS,
    TYPE_ALIASES,
    TYPE_COLUMN_HEADERS,
    ActivityType,
    Field,
)
from trygghet.settings import PlausibilitySettings

TYPE_COLUMN = "_type"
MAX_TEXT = 500
MAX_COUNT = 10_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
# (count, what it cannot exceed, that in words): a row's figures that are parts of another of its figures.
PARTS_OF = (
    ("illegal_vehicles", "vehicles_checked", "antalet kontrollerade fordon"),
    ("drunk_driving_suspected", "breath_tests", "antalet utandningsprov"),
    ("drugged_driving_suspected", "breath_tests", "antalet utandningsprov"),
    ("speeding_offences", "vehicles_checked", "antalet kontrollerade fordon"),
    ("unique_participants", "participants", "antalet deltagare"),
)

ORGANISATION_VALUES = {
    "polisen": ("polisen", "polis", "police", "polismyndigheten", "lokalpolisområde medelpad", "lpo medelpad"),
    "kommunen": ("kommunen", "kommun", "timrå kommun", "timrå", "municipality"),
    "samverkan": (
        "samverkan",
        "polisen och kommunen",
        "kommunen och polisen",
        "polisen och timrå kommun",
        "timrå kommun och polisen",
        "båda",
        "gemensam",
        "gemensamt",
        "joint",
    ),
}
BOOLEAN_VALUES = {
    True: ("ja", "j", "yes", "y", "true", "sant", "1", "x"),
    False: ("nej", "n", "no", "false", "falskt", "0"),
}


def key(text: str) -> str:
    """Lower case without accents, spaces, underscores or punctuation: 'Antal_Personal ' -> 'antalpersonal'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def norm_sql(expr: str) -> str:
    """The same normalisation as `key`, in SQL."""
    return f"regexp_replace(strip_accents(lower({expr})), '[^a-z0-9]', '', 'g')"


def lit(text: str) -> str:
    """A SQL string literal of a constant from this code base."""
    return "'" + text.replace("'", "''") + "'"


def field_lookup(activity_type: ActivityType) -> dict[str, Field]:
    """Normalised header -> field: the column name, the Swedish label and every alias."""
    lookup: dict[str, Field] = {}
    for f in all_fields(activity_type):
        for name in (f.column, f.label, *f.aliases):
            lookup.setdefault(key(name), f)
    return lookup


def all_fields(activity_type: ActivityType) -> tuple[Field, ...]:
    return (*COMMON_FIELDS, *activity_type.fields)


TYPE_HEADER_KEYS = frozenset(key(h) for h in TYPE_COLUMN_HEADERS)
TYPE_VALUE_KEYS = {
    key(v): code for code, t in ACTIVITY_TYPES.items() for v in (code, t.label, t.plural, *TYPE_ALIASES.get(code, ()))
}


def case_map(expr: str, mapping: dict[str, str]) -> str:
    """The value (SQL, made of constants of this module) that `mapping` gives the normalised expr, else NULL.
    Most cells are written as a key already ('Polisen', 'ja'): those are found by lower() alone,
    and only the rest pay for the full normalisation, which costs ten times as much."""
    whens = " ".join(f"WHEN {lit(k)} THEN {v}" for k, v in mapping.items())
    return f"CASE lower({expr}) {whens} ELSE CASE {norm_sql(expr)} {whens} END END"


@dataclass(frozen=True)
class Check:
    """A rule broken where `condition` holds; `message` is a SQL expression for the Swedish text."""

    column: str
    condition: str
    message: str


def neutralised_sql(expr: str) -> str:
    """SQL for a download of raw cells (the rejected rows): a cell a spreadsheet would run as a formula
    (it starts with one of downloads.FORMULA_STARTS) gets a leading apostrophe. Unlike downloads.neutralise,
    which sees typed values, every raw cell is text here, so a plain number such as -2 is left as it is
    (Excel reads it as a number, not a formula)."""
    starts = ", ".join(lit(c) if c.isprintable() else f"chr({ord(c)})" for c in FORMULA_STARTS)
    return (
        f"CASE WHEN left({expr}, 1) IN ({starts}) AND NOT regexp_full_match({expr}, '[+-]?[0-9]+([.,][0-9]+)?')"
        f" THEN chr(39) || {expr} ELSE {expr} END"
    )


def shown(expr: str) -> str:
    """A cell quoted in a message, cut so that a runaway cell does not flood the list."""
    return f"CASE WHEN length({expr}) > 60 THEN left({expr}, 57) || '…' ELSE {expr} END"


def parse_sql(f: Field, s: str, serial_dates: bool) -> str:
    """The typed value of cell `s` before range checks; NULL when it cannot be read."""
    if f.kind == "date":
        serial = (
            f"WHEN regexp_full_match({s}, '[0-9]{{5}}') THEN DATE '1899-12-30' + CAST({s} AS INTEGER)"
            if serial_dates
            else ""
        )
        return (
            f"CASE WHEN regexp_full_match({s}, '[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}') THEN TRY_CAST({s} AS DATE)"
            f" WHEN regexp_full_match({s}, '[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{4}}')"
            f" THEN CAST(try_strptime({s}, '%d/%m/%Y') AS DATE)"
            f" WHEN regexp_full_match({s}, '[0-9]{{8}}') THEN CAST(try_strptime({s}, '%Y%m%d') AS DATE)"
            f" {serial} END"
        )
    if f.kind == "time":
        return (
            f"CASE WHEN regexp_full_match({s}, '[0-9]{{1,2}}[:.][0-9]{{2}}([:.][0-9]{{2}})?')"
            f" THEN TRY_CAST(replace({s}, '.', ':') AS TIME) END"
        )
    if f.kind == "int":
        return (
            f"CASE WHEN regexp_full_match({s}, '[+-]?[0-9]+') THEN TRY_CAST({s} AS BIGINT)"
            f" WHEN regexp_full_match({s}, '[+-]?[0-9]{{1,3}}([ \u00a0][0-9]{{3}})+|[+-]?[0-9]+[.,]0+')"
            f" THEN TRY_CAST(regexp_replace({s}, '[ \u00a0]|[.,]0+$', '', 'g') AS BIGINT) END"
        )
    if f.kind in ("hours", "minutes"):
        return (
            f"CASE WHEN regexp_full_match({s}, '[+-]?[0-9]+([.,][0-9]+)?')"
            f" THEN TRY_CAST(replace({s}, ',', '.') AS DOUBLE) END"
        )
    if f.kind == "bool":
        return case_map(s, {k: str(value).upper() for value, keys in BOOLEAN_VALUES.items() for k in keys})
    if f.column == "organisation":
        return case_map(
            s,
            {key(v): lit(code) for code, values in ORGANISATION_VALUES.items() for v in (*values, ORGANISATIONS[code])},
        )
    if f.column == "area_code":
        # One lookup in a map of the file's distinct values (made once), which unlike a join
        # keeps the rows in the file's order.
        return f"(SELECT map(list(value), list(code)) FROM import_area_values)[{s}]"
    if f.kind == "choice":
        whens = " ".join(f"WHEN {norm_sql(s)} LIKE {lit(key(c) + '%')} THEN {lit(c)}" for c in f.choices)
        return f"CASE {whens} END"
    if f.kind == "choices":
        mapped = case_map("x", {key(c): lit(c) for c in f.choices})
        return (
            f"list_sort(list_distinct(list_filter(list_transform(string_split_regex({s}, '\\s*[,;|/]\\s*'),"
            f" lambda x: {mapped}), lambda y: y IS NOT NULL)))"
        )
    return f"CASE WHEN length({s}) <= {MAX_TEXT} THEN {s} END"  # text


def typed_sql(f: Field, p: str) -> str:
    """The stored value from the parsed one: in range, in the store's type, else NULL."""
    if f.kind == "date":
        return f"CASE WHEN year({p}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} THEN {p} END"
    if f.kind == "int":
        return f"CAST(CASE WHEN {p} BETWEEN {f.minimum} AND {MAX_COUNT} THEN {p} END AS INTEGER)"
    if f.kind == "hours":
        return f"CAST(CASE WHEN {p} >= 0 AND {p} <= 100000 THEN round({p} * 60) END AS INTEGER)"
    if f.kind == "minutes":  # a duration column headed in minutes (see units.py)
        return f"CAST(CASE WHEN {p} >= 0 AND {p} <= 6000000 THEN round({p}) END AS INTEGER)"
    if f.kind == "choices":
        return f"CASE WHEN len({p}) > 0 THEN CAST({p} AS VARCHAR[]) END"
    return p


def cell_checks(f: Field, s: str, p: str, area_hint: str) -> list[Check]:
    """The rules of one cell, in the order a user would want to hear them."""
    v = shown(s)
    if f.kind == "date":
        return [
            Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' är inget giltigt datum'"),
            Check(
                f.column,
                f"year({p}) NOT BETWEEN {FIRST_YEAR} AND {LAST_YEAR}",
                f"{v} || ' ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}'",
            ),
        ]
    if f.kind == "time":
        return [
            Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' är inget giltigt klockslag (t.ex. 18:30)'")
        ]
    if f.kind == "int":
        too_small = "måste vara minst 1" if f.minimum else "får inte vara negativt"
        return [
            Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' är inget heltal'"),
            Check(f.column, f"{p} < {f.minimum}", f"{v} || ' {too_small}'"),
            Check(f.column, f"{p} > {MAX_COUNT}", f"{v} || ' är orimligt stort'"),
        ]
    if f.kind == "hours":
        return [
            Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' är inget antal timmar (t.ex. 2,5)'"),
            Check(f.column, f"{p} < 0", f"{v} || ' får inte vara negativt'"),
            Check(f.column, f"{p} > 100000", f"{v} || ' är orimligt många timmar'"),
        ]
    if f.kind == "minutes":
        return [
            Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' är inget antal minuter (t.ex. 90)'"),
            Check(f.column, f"{p} < 0", f"{v} || ' får inte vara negativt'"),
            Check(f.column, f"{p} > 6000000", f"{v} || ' är orimligt många minuter'"),
        ]
    if f.kind == "bool":
        return [Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", f"{v} || ' ska vara ja eller nej'")]
    if f.column == "organisation":
        return [
            Check(
                f.column,
                f"{s} IS NOT NULL AND {p} IS NULL",
                f"{v} || ' är ingen känd organisation; ange polisen, kommunen eller samverkan'",
            )
        ]
    if f.column == "area_code":
        return [Check(f.column, f"{s} IS NOT NULL AND {p} IS NULL", area_hint)]
    if f.kind == "choice":
        return [
            Check(
                f.column,
                f"{s} IS NOT NULL AND {p} IS NULL",
                f"{v} || ' är inget tillåtet värde; tillåtna värden: {', '.join(f.choices)}'",
            )
        ]
    if f.kind == "choices":
        known = "[" + ", ".join(lit(key(c)) for c in f.choices) + "]"
        bad = (
            f"list_filter(string_split_regex({s}, '\\s*[,;|/]\\s*'),"
            f" lambda x: trim(x) <> '' AND NOT list_contains({known}, {norm_sql('x')}))"
        )
        listed = shown(f"array_to_string({bad}, ', ')")
        return [
            Check(
                f.column,
                f"{s} IS NOT NULL AND len({bad}) > 0",
                f"{listed} || ' är inget tillåtet värde; tillåtna värden: {', '.join(f.choices)}'",
            )
        ]
    # The kinds of personal data in each text cell are found once per distinct value by privacy.py, in
    # the table import_personal (see pipeline._personal_data).
    found = f"(SELECT kinds FROM import_personal WHERE value = {s})"
    return [
        Check(f.column, f"length({s}) > {MAX_TEXT}", f"'texten är längre än {MAX_TEXT} tecken'"),
        Check(
            f.column,
            f"{s} IN (SELECT value FROM import_personal)",
            f"'ser ut att innehålla ' || {found} || '; aktivitetsloggar får inte innehålla personuppgifter'",
        ),
    ]


def type_checks(activity_type: ActivityType) -> list[Check]:
    """A type column, when present, must name the file's type on every row."""
    s = f"s_{TYPE_COLUMN}"
    mapped = case_map(s, {k: lit(code) for k, code in TYPE_VALUE_KEYS.items()})
    return [
        Check(TYPE_COLUMN, f"{s} IS NOT NULL AND {mapped} IS NULL", f"{shown(s)} || ' är ingen känd aktivitetstyp'"),
        Check(
            TYPE_COLUMN,
            f"{mapped} <> {lit(activity_type.code)}",
            f"{shown(s)} || ' är en annan aktivitetstyp än filens ({activity_type.label}); "
            f"en fil ska bara innehålla en typ'",
        ),
    ]


def row_checks(present: set[str]) -> list[Check]:
    """Rules between the cells of one row, mirroring the store's constraints."""
    checks = [
        Check(
            "date_to",
            "date_to < date_from",
            f"{shown('s_date_to')} || ' är före datumet ' || strftime(date_from, '%Y-%m-%d')",
        )
    ]
    if "start_time" in present:
        checks.append(
            Check(
                "start_time",
                "start_time IS NOT NULL AND date_to > date_from",
                "'en rad som sammanfattar flera dagar kan inte ha en starttid'",
            )
        )
    for part, whole, words in PARTS_OF:
        if {part, whole} <= present:
            checks.append(
                Check(part, f"{part} > {whole}", f"{shown(f's_{part}')} || ' är fler än {words} (' || {whole} || ')'")
            )
    return checks


def plausibility_checks(
    t: ActivityType, fields: dict[str, Field], present: set[str], today: dt.date, limits: PlausibilitySettings
) -> list[Check]:
    """What no real activity log holds though every cell is valid on its own (the limits are settings): a date
    after `today`, more hours per activity than limits.max_hours_per_activity, a row over several days with more
    hours per day than limits.max_hours_per_day, or a count beyond its limit per activity for the type. `fields`
    are the file's fields as read (a duration given in minutes is shown in minutes)."""
    later = f"ligger efter dagens datum ({format_date(today)}); en aktivitet loggas när den har ägt rum"
    checks = [
        Check(
            c,
            f"year(p_{c}) BETWEEN {FIRST_YEAR} AND {LAST_YEAR} AND p_{c} > DATE {lit(today.isoformat())}",
            f"{shown(f's_{c}')} || ' {later}'",
        )
        for c in ("date_from", "date_to")
        if c in present
    ]
    if "duration_min" in present:
        unit = "minuter" if fields["duration_min"].kind == "minutes" else "timmar"
        hours = f"{shown('s_duration_min')} || ' {unit}'"
        checks.append(
            Check(
                "duration_min",
                f"duration_min > {limits.max_hours_per_activity * 60} * activity_count",
                _per_activity(hours, "", f"{limits.max_hours_per_activity} timmar"),
            )
        )
        days = "(date_to - date_from + 1)"
        checks.append(
            Check(
                "duration_min",
                f"date_to > date_from AND duration_min > {limits.max_hours_per_day * 60} * {days}",
                f"{hours} || ' är orimligt för en rad över ' || {days} || ' dagar; högst "
                f"{limits.max_hours_per_day} timmar per dag'",
            )
        )
    for column in sorted(present):
        most = limits.max_count(t.code, column)
        if most:
            checks.append(
                Check(
                    column,
                    f"{column} > {most} * activity_count",
                    _per_activity(shown(f"s_{column}"), " många", format_number(most)),
                )
            )
    return checks


def _per_activity(value: str, what: str, most: str) -> str:
    """'<value> är orimligt<what> för N aktivitet(er); högst <most> per aktivitet', as SQL."""
    return (
        f"{value} || ' är orimligt{what} för ' || activity_count"
        f" || CASE WHEN activity_count = 1 THEN ' aktivitet' ELSE ' aktiviteter' END || '; högst {most} per aktivitet'"
    )
