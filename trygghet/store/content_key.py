"""The content key of an activity: two rows with the same key are the same activity.

The importer keys every row of a file with it to find the rows already stored; `insert_batch` keys the rows
of a DataFrame (the demo data). The columns an import may fill are listed here, in table order.
"""

from __future__ import annotations

from typing import Any

import duckdb
from duckdb.func import PythonUDFType

from trygghet.store.connection import holder_of

# Every column an import may fill, in table order (id and batch_id are set by the store).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_type",
    "date_from",
    "date_to",
    "activity_count",
    "start_time",
    "duration_min",
    "area_code",
    "place",
    "organisation",
    "staff_count",
    "external_id",
    "comment",
    "citizen_contacts",
    "control_kind",
    "risk_place",
    "breath_tests",
    "drunk_driving_suspected",
    "drugged_driving_suspected",
    "speeding_offences",
    "vehicles_checked",
    "illegal_vehicles",
    "driving_bans",
    "reports_filed",
    "persons_checked",
    "seizures",
    "topics",
    "audiences",
    "participants",
    "inappropriate_behaviour_reports",
    "youth_focus",
    "unique_participants",
)

# Columns added after rows were first keyed (migration 010). They join the content key only when they
# hold a value, so every row keyed before keeps its key and a file without them is still recognised.
KEYED_WHEN_SET = ("inappropriate_behaviour_reports", "youth_focus", "unique_participants")

# The text columns of `activities`; every other column is a number, date, time, boolean or list.
TEXT_COLUMNS = frozenset(
    {"activity_type", "area_code", "place", "organisation", "external_id", "comment", "control_kind"}
)


# Free text, compared after NFKC and with every run of blanks made one space ("Lugnt  vid torget" is
# "Lugnt vid torget"), so a re-export that only respaces or recodes a comment is still the same activity.
FREE_TEXT = frozenset({"place", "comment"})
# Text of only these characters, without two spaces in a row, is its own normal form; only the rest (a
# tab, a no-break space, a ligature, an en dash ...) is handed to Python, which costs 20 times as much.
NORMAL_ALREADY = "[^ -~¡-§©«-®°±¶·»¿-ÿ]|  "


def _normal_text(values: Any) -> Any:  # DuckDB reads the annotations: none of pyarrow's types, which it would import
    """NFKC, every run of blanks (Unicode's, after NFKC) one space, trimmed: free text as the key compares it."""
    import pyarrow.compute as pc  # a page that only reads never loads pyarrow

    return pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.utf8_normalize(values, form="NFKC"), r"[\s\p{Z}\x{85}]+", " ")
    )


def with_text_key(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` (a cursor of `Store.connect`) with the SQL function normal_text(VARCHAR) that content_key_sql calls.

    Registered once per connection, the first time a statement needs it (importing pyarrow costs a tenth of a
    second, which a page that only reads should not pay): the cursors of a connection share their functions,
    and a second registration would fail and abort a transaction under way."""
    holder = holder_of(con)
    if holder is None:
        raise RuntimeError("with_text_key needs a cursor of Store.connect")
    with holder.text_key_lock:
        if not holder.text_key:
            con.execute("SELECT 1").fetchall()  # finishes a result left open, which create_function would refuse
            con.create_function(
                "normal_text", _normal_text, ["VARCHAR"], "VARCHAR", type=PythonUDFType.ARROW, side_effects=False
            )
            holder.text_key = True
    return con


def content_key_sql(
    absent: frozenset[str] | set[str] = frozenset(),
    *,
    text_trimmed: bool = False,
    lowered: frozenset[str] = frozenset(),
    same_as: dict[str, str] | None = None,
) -> str:
    """The normalised content of a row: two rows with the same key are the same activity,
    so a file uploaded again (or overlapping an earlier one) never counts twice. The
    connection needs `with_text_key`.

    Columns in `absent` are known to be NULL and add '' without being read, only text is
    lowered and trimmed (for a number, date or time both change nothing), free text is
    normalised as well, and with `text_trimmed` (the importer has trimmed every cell) text
    that is its own normal form is only lowered: a million rows are keyed in a fraction of
    the time. Text columns in `lowered` hold lowercase codes (the importer's choices) and are
    not lowered again, and a column in `same_as` is known to hold the value of another (the
    importer's date_to of a file without one), keyed from that one, which DuckDB then reads once.
    A row whose text is its own normal form keeps the key it had before free text was
    normalised (migration 013 rekeyed the others).

    The key is md5 of the parts joined by '|', an empty part for NULL, and a column of
    KEYED_WHEN_SET only when it holds a value (then with its name). It was written as
    concat_ws over coalesced parts; concat, which reads NULL as '', gives the same text with
    less work, and the separators between parts known to be empty are one literal."""

    def part(column: str) -> str:
        if column in absent:
            return ""
        column = (same_as or {}).get(column, column)
        if column in ("topics", "audiences"):
            return f"array_to_string(list_sort({column}), ',')"
        trimmed = column if text_trimmed else f"trim({column})"
        if column in FREE_TEXT:
            return f"lower(CASE WHEN regexp_matches({column}, '{NORMAL_ALREADY}') THEN normal_text({column}) ELSE {trimmed} END)"
        if column in TEXT_COLUMNS:
            return trimmed if column in lowered else f"lower({trimmed})"
        return f"CAST({column} AS VARCHAR)"

    pieces: list[str] = []
    text = ""  # literal text (separators) not yet added to pieces
    for index, column in enumerate(c for c in ACTIVITY_COLUMNS if c != "external_id"):
        if column in KEYED_WHEN_SET:  # NULL with its separator when empty (as concat_ws left a NULL out)
            if column not in absent:
                pieces += [f"'{text}'"] if text else []
                pieces.append(f"'|{column}=' || CAST({column} AS VARCHAR)")
                text = ""
            continue
        text += "|" if index else ""
        if expression := part(column):
            pieces += [f"'{text}'"] if text else []
            pieces.append(expression)
            text = ""
    pieces += [f"'{text}'"] if text else []
    return f"md5(concat({', '.join(pieces)}))"


def numbered_key_sql(key: str, n: str) -> str:
    """The key of the n-th of several identical rows of one file: the first keeps `key`, the n-th (n > 1)
    is md5(key || '#n'). So two identical patrols in a file are two activities, and the same rows again
    (a corrected file, the next export overlapping this one) match both instead of adding them again."""
    return f"CASE WHEN {n} = 1 THEN {key} ELSE md5({key} || '#' || {n}) END"
