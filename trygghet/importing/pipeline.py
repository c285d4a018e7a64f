"""Upload of activity logs: one code path for the page "Ladda upp" and `python -m trygghet import`.

`preview` says what a file would do without writing anything; `import_file` does
it in one transaction, all rows or none. A file is recognised by the hash of its
bytes, and a row already in the store (same external id for the type, or else the
same normalised content) is skipped, so nothing ever counts twice. The cells are
staged and checked in bulk in DuckDB (see cell_rules.py); the file is read by
read.py, its headers' units by units.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import os
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from trygghet import privacy
from trygghet.auth import User
from trygghet.config import today
from trygghet.exploration.downloads import neutralise
from trygghet.formatting import format_date, format_number, is_missing, lower_first
from trygghet.importing import cell_rules as rules
from trygghet.importing import units
from trygghet.importing.read import (
    BLANKS_SQL,
    RARE_BLANKS,
    RAW_TABLE,
    RawFile,
    UnreadableFile,
    clean_temporary,
    read_file,
    temporary_file,
    unnamed_column_message,
)
from trygghet.reference.activity_types import ACTIVITY_TYPES, COMMON_FIELDS, ORGANISATIONS, ActivityType, Field
from trygghet.settings import settings
from trygghet.store.database import (
    ACTIVITY_COLUMNS,
    STAGED_ROWS,
    BatchInfo,
    BatchMatch,
    Store,
    StoreError,
    content_key_sql,
    numbered_key_sql,
    with_text_key,
)

MAX_LISTED = 1000  # problems listed on the page and by the command; the download has them all
MAX_IDENTICAL_LISTED = 20  # groups of identical rows named in notes
MAX_WARNINGS_LISTED = 20  # rows named in a warning
SAMPLE_ROWS = 100  # rows shown per preview table
SQL_TYPES = {
    "date": "DATE",
    "time": "TIME",
    "int": "INTEGER",
    "hours": "INTEGER",
    "bool": "BOOLEAN",
    "choices": "VARCHAR[]",
    "choice": "VARCHAR",
    "text": "VARCHAR",
}
COLUMN_FIELDS: dict[str, Field] = {f.column: f for t in ACTIVITY_TYPES.values() for f in rules.all_fields(t)}
# The typed columns import_typed holds whatever the file has: the type, the defaults and what the checks
# for duplicates read.
TYPED_ALWAYS = frozenset({"activity_type", "date_from", "date_to", "activity_count", "external_id"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: a row and a column when it concerns a cell."""

    row: int | None
    column: str | None
    message: str
    sheet: str | None = None  # in a workbook of several sheets read at once

    def __str__(self) -> str:
        if self.row is not None and self.column:
            text = f"Rad {self.row}, kolumn {self.column}: {self.message}"
        elif self.row is not None:
            text = f"Rad {self.row}: {self.message}"
        elif self.column:
            text = f"Kolumn {self.column}: {self.message}"
        else:
            text = self.message
        return f"Bladet {self.sheet}: {text}" if self.sheet else text


@dataclass
class Changes:
    """A corrected file against the batch it replaces: rows paired by content, else by external id, else by
    when and where (date, start time, area); a pair that differs is a changed row."""

    batch_id: int
    file_name: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    added_rows: pd.DataFrame | None = None
    changed_rows: pd.DataFrame | None = None  # Rad, Kolumn, Förut, Nu: one line per changed cell
    removed_rows: pd.DataFrame | None = None

    def summary(self) -> list[str]:
        return [
            (f"Ersätter omgång {self.batch_id} ({self.file_name}): den ångras och filen importeras i ett steg."),
            f"Nya rader: {format_number(self.added)}",
            f"Ändrade rader: {format_number(self.changed)}",
            f"Borttagna rader: {format_number(self.removed)}",
            f"Oförändrade rader: {format_number(self.unchanged)}",
        ]


@dataclass
class Preview:
    """What a file does (or did) to the store; the page and the command show the same."""

    file_name: str
    content_hash: str
    activity_type: str | None = None
    description: str = ""
    rows: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    already_imported: BatchMatch | None = None
    new_rows: pd.DataFrame | None = None
    duplicate_rows: pd.DataFrame | None = None
    rejected_csv: bytes | None = None
    batch_id: int | None = None
    sheet: str | None = None
    # A workbook read sheet by sheet: one preview per sheet, this one their sum.
    parts: list[Preview] = field(default_factory=list)
    columns: tuple[str, ...] = ()  # the fields the file has, by store column
    # Optional columns the file lacks that indicators with targets read: column -> (label, indicator titles),
    # and those the user has said to import without.
    missing: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    allowed_missing: frozenset[str] = frozenset()
    warnings: list[Problem] = field(default_factory=list)
    changes: Changes | None = None

    @property
    def can_import(self) -> bool:
        return self.checked and self.already_imported is None and not self.unconfirmed

    @property
    def checked(self) -> bool:
        """Every table has its activity type and no problem."""
        typed = all(p.activity_type for p in self.parts) if self.parts else self.activity_type is not None
        return self.problem_count == 0 and typed

    @property
    def unconfirmed(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """The missing columns the user has not yet said to import without."""
        gone = {c: m for p in (self.parts or [self]) for c, m in p.missing.items()}
        return {c: m for c, m in gone.items() if c not in self.allowed_missing}

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.problem_count += 1

    def summary(self) -> list[str]:
        """The preview in Swedish sentences."""
        if self.already_imported:
            batch, when = self.already_imported
            return [
                (
                    f"Filen {self.file_name} är redan importerad {format_date(_local_day(when))}, omgång {batch}. "
                    "Inget läggs till."
                )
            ]
        lines = [f"Fil: {self.file_name} ({self.description})" if self.description else f"Fil: {self.file_name}"]
        if self.parts:
            lines.append(
                "Blad: "
                + ", ".join(
                    f"{p.sheet} ({ACTIVITY_TYPES[p.activity_type].label})" if p.activity_type else str(p.sheet)
                    for p in self.parts
                )
            )
        elif self.activity_type:
            lines.append(f"Aktivitetstyp: {ACTIVITY_TYPES[self.activity_type].label}")
        if self.problem_count and not self.rejected:
            lines.append(f"Filen har fel ({format_number(self.problem_count)}) och kan inte importeras.")
            return lines
        lines.append(f"Rader i filen: {format_number(self.rows)}")
        if self.problem_count:
            lines.append(
                f"Rader med fel: {format_number(self.rejected)} ({format_number(self.problem_count)} fel). "
                "Inget importeras förrän filen är rättad."
            )
        else:
            if self.changes:
                lines += self.changes.summary()
            verb = "Tillagda" if self.batch_id is not None else "Läggs till"
            lines.append(f"{verb}: {format_number(self.new)}")
            lines.append(f"Finns redan (hoppas över): {format_number(self.duplicates)}")
        return lines


class _Unchanged(Exception):
    """Leaves a write transaction without writing (and without bumping the data version)."""


def _local_day(moment: dt.datetime) -> dt.date:
    from trygghet.formatting import STOCKHOLM

    return (moment.astimezone(STOCKHOLM) if moment.tzinfo else moment).date()


def content_hash(data: bytes, sheet: str | None = None) -> str:
    """The file's SHA-256; of one sheet picked from a workbook, the hash of the file and the sheet's name,
    so that each sheet picked in turn is a file of its own (their rows are still compared one by one)."""
    digest = hashlib.sha256(data)
    if sheet is not None:
        digest.update(b"\x00" + sheet.encode("utf-8"))
    return digest.hexdigest()


def preview(
    store: Store,
    file_name: str,
    data: bytes,
    activity_type: str | None = None,
    *,
    sheet: str | None = None,
    allow_missing: frozenset[str] = frozenset(),
    replaces: int | None = None,
) -> Preview:
    """What importing the file would do (with `replaces`, against that batch); writes nothing."""
    return _run(store, file_name, data, activity_type, None, sheet, allow_missing, replaces, None)


def import_file(
    store: Store,
    file_name: str,
    data: bytes,
    activity_type: str | None = None,
    *,
    imported_by: str,
    dry_run: bool = False,
    sheet: str | None = None,
    allow_missing: frozenset[str] = frozenset(),
    replaces: int | None = None,
    replacer: User | None = None,
) -> Preview:
    """Validate and, when the file has no errors and is new, add its new rows as one batch (all or nothing).
    `sheet` reads one sheet of a workbook (else every sheet that holds a log); `allow_missing` names the
    optional columns (store name or header) the user has agreed to import without. With `replaces`, that
    batch is undone in the same transaction: a corrected file in one step, refused (auth.NotAllowed) unless
    auth.may_replace allows `replacer` to."""
    if replaces is not None and replacer is None:
        raise ValueError("replacing a batch needs the user who replaces it")
    return _run(
        store,
        file_name,
        data,
        activity_type,
        None if dry_run else imported_by,
        sheet,
        allow_missing,
        replaces,
        replacer,
    )


def _run(
    store: Store,
    file_name: str,
    data: bytes,
    activity_type: str | None,
    imported_by: str | None,
    sheet: str | None,
    allow_missing: frozenset[str],
    replaces: int | None,
    replacer: User | None,
) -> Preview:
    kinds = privacy.find_personal_data(file_name)
    if kinds:  # the name is neither stored nor shown
        result = Preview("(namnet visas inte)", content_hash(data, sheet))
        result.add(
            Problem(
                None,
                None,
                f"Filnamnet ser ut att innehålla {privacy.describe(kinds)}. Byt namn på "
                "filen så att namnet inte innehåller personuppgifter och ladda upp den igen.",
            )
        )
        return result
    result = Preview(file_name, content_hash(data, sheet))
    result.allowed_missing = frozenset(_missing_key(c) for c in allow_missing)
    with store.connect() as con:
        result.already_imported = store.find_batch_by_hash(con, result.content_hash)
        if result.already_imported:
            return result
    try:
        read = read_file(file_name, data, sheet)
    except UnreadableFile as exc:
        result.add(Problem(None, None, str(exc)))
        clean_temporary()
        return result
    result.notes += read.notes
    several = len(read.sheets) > 1
    parts = [Preview(file_name, result.content_hash, sheet=raw.sheet) for raw in read.sheets] if several else [result]
    try:
        with store.connect() as con:
            for number, (raw, part) in enumerate(zip(read.sheets, parts, strict=True)):
                _read_sheet(con, store, raw, part, activity_type)
                if several and part.activity_type and not part.problem_count:
                    con.execute(f"ALTER TABLE import_typed RENAME TO import_typed_{number}")
            if several:
                _sum_parts(result, parts, read.sheets)
            if not result.checked:
                return result
            con.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")  # every cell is typed: the text goes before the rows
            if replaces is not None:
                if result.parts:
                    result.add(
                        Problem(
                            None,
                            None,
                            "En arbetsbok med flera blad kan inte ersätta en omgång. Välj "
                            "ett blad (Blad på sidan, --sheet på kommandoraden).",
                        )
                    )
                    return result
                _check_replaced(con, result, replaces)
                if result.problem_count:
                    return result
            if imported_by is None or result.unconfirmed:
                _classify_all(con, result, parts)
                return result
            try:
                with store.write(con):
                    result.already_imported = store.find_batch_by_hash(con, result.content_hash)
                    if result.already_imported:
                        raise _Unchanged
                    source = _classify_all(con, result, parts)
                    if replaces is not None:
                        assert replacer is not None  # import_file refuses a replacement without its user
                        store.undo_in(con, replaces, replacer, replacing=True)
                    result.batch_id = store.insert_batch(
                        con,
                        BatchInfo(
                            file_name,
                            result.content_hash,
                            imported_by,
                            result.activity_type,
                            rows_skipped=result.duplicates,
                            replaces=replaces,
                        ),
                        source,
                    )
                    for part in result.parts:
                        part.batch_id = result.batch_id
            except _Unchanged:
                pass
            except duckdb.TransactionException as exc:
                raise StoreError(
                    "Någon annan skrev till databasen samtidigt. Inget importerades; försök igen."
                ) from exc
            else:
                if replaces is not None:
                    store.erase_deleted()  # the replaced batch's text leaves the file, as after an undo
    finally:
        read.close()
        clean_temporary()
    return result


def _read_sheet(
    con: duckdb.DuckDBPyConnection, store: Store, raw: RawFile, part: Preview, activity_type: str | None
) -> None:
    """Stage and check one table of the file into `part`."""
    part.description = raw.description
    try:
        raw.stage(con)
    except UnreadableFile as exc:
        part.add(Problem(None, None, str(exc)))
        return
    _validate(con, raw, part, activity_type)
    for message in raw.errors:
        part.add(Problem(None, None, message))
    if part.activity_type and not part.rows and not part.problem_count:
        part.add(
            Problem(
                None,
                None,
                "Bladet har rubriker men inga rader." if part.sheet else "Filen har rubriker men inga rader.",
            )
        )
    if part.activity_type and not part.problem_count:
        part.missing = missing_columns(store, part.activity_type, set(part.columns))


def _sum_parts(result: Preview, parts: list[Preview], sheets: list[RawFile]) -> None:
    """The preview of a workbook read sheet by sheet: its counts are the sheets' sums."""
    result.parts = parts
    result.description = f"Excel, {len(parts)} blad"
    types = {p.activity_type for p in parts}
    result.activity_type = types.pop() if len(types) == 1 else None
    for part in parts:
        part.allowed_missing = result.allowed_missing
        result.rows += part.rows
        result.rejected += part.rejected
        result.problem_count += part.problem_count
        result.problems += [Problem(p.row, p.column, p.message, part.sheet) for p in part.problems]


def _classify_all(con: duckdb.DuckDBPyConnection, result: Preview, parts: list[Preview]) -> str:
    """Classify every sheet against the store and stage the rows to add as STAGED_ROWS (which it returns, for
    insert_batch). Sheets after the first are also checked against the rows the earlier sheets add, so an
    activity logged on two sheets counts once."""
    if not result.parts:
        _classify(con, result)
        return STAGED_ROWS
    con.execute("DROP TABLE IF EXISTS import_all")
    offset = 0
    for number, part in enumerate(parts):
        con.execute("DROP TABLE IF EXISTS import_typed")
        con.execute(f"ALTER TABLE import_typed_{number} RENAME TO import_typed")
        _classify(con, part)
        if number == 0:
            con.execute(
                "CREATE TEMP TABLE import_all AS SELECT 0 AS sheet_no, row_no AS sheet_row, *"
                f" FROM {STAGED_ROWS} WHERE false"
            )
        earlier = con.execute(
            f"SELECT n.row_no, a.sheet_no, a.sheet_row FROM {STAGED_ROWS} n JOIN import_all a"
            " ON a.activity_type = n.activity_type AND coalesce('x' || a.external_id, 'c' || a.content_key)"
            "  = coalesce('x' || n.external_id, 'c' || n.content_key) QUALIFY row_number() OVER"
            " (PARTITION BY n.row_no ORDER BY a.row_no) = 1 ORDER BY n.row_no"
        ).fetchall()
        if earlier:
            same = pd.DataFrame(
                {
                    "Rad": [r for r, _, _ in earlier],
                    "Varför den hoppas över": [
                        f"samma som bladet {parts[s].sheet}, rad {row}" for _, s, row in earlier
                    ],
                }
            )
            part.duplicate_rows = pd.concat([part.duplicate_rows, same]).sort_values("Rad").head(SAMPLE_ROWS)
            part.duplicates += len(earlier)
            part.new -= len(earlier)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE import_earlier AS SELECT UNNEST(?) AS row_no",
                [[r for r, _, _ in earlier]],
            )
        con.execute(
            f"INSERT INTO import_all SELECT {number}, row_no, * REPLACE (row_no + {offset} AS row_no)"
            f" FROM {STAGED_ROWS}" + (" ANTI JOIN import_earlier USING (row_no)" if earlier else "")
        )
        [(last_row,)] = con.execute("SELECT coalesce(max(row_no), 0) FROM import_typed").fetchall()
        offset += last_row
        result.new += part.new
        result.duplicates += part.duplicates
    con.execute(f"CREATE OR REPLACE TEMP VIEW {STAGED_ROWS} AS SELECT * FROM import_all")
    return STAGED_ROWS


def _missing_key(column: str) -> str:
    """--allow-missing and the page name a column by its store name or its header; both count."""
    for f in COLUMN_FIELDS.values():
        if rules.key(column) in (rules.key(f.column), rules.key(f.label)):
            return f.column
    return column


def missing_columns(store: Store, activity_type: str, present: set[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Optional columns of the type that the file lacks and that an indicator with a target reads (as the
    sum it counts, or a filter it picks by): without them its figures come out lower than the truth.
    Column -> (its label, the titles of those indicators)."""
    from trygghet.figures.indicators import registry

    defaulted = {"activity_count", "date_to"}  # a row is one activity on one day unless it says otherwise
    fields = {f.column: f for f in rules.all_fields(ACTIVITY_TYPES[activity_type])}
    found: dict[str, list[str]] = {}
    for indicator in registry(store.path).values():
        if not indicator.has_target or activity_type not in indicator.activity_types:
            continue
        aggregation = indicator.aggregation
        read = {aggregation.numerator, aggregation.denominator, *indicator.filters.dimensions()}
        for column in read:
            if column in fields and column not in present and column not in defaulted and not fields[column].required:
                found.setdefault(column, []).append(indicator.title)
    return {c: (fields[c].label, tuple(titles)) for c, titles in sorted(found.items())}


def missing_text(column: str, label: str, titles: tuple[str, ...]) -> str:
    """The warning about one missing column, in Swedish."""
    return (
        f"Kolumnen {label} saknas i filen. Utan den blir de här siffrorna lägre än verkligheten: "
        + "; ".join(titles)
        + "."
    )


# --- headers and type ----------------------------------------------------------------


def _detect_type(con: duckdb.DuckDBPyConnection, raw: RawFile, type_index: int | None, result: Preview) -> str | None:
    """From a type column, else from the headers that only one type has."""
    if type_index is not None:
        values = [
            v
            for (v,) in con.execute(
                f"SELECT DISTINCT v FROM (SELECT {_cell(raw, type_index)} AS v FROM {RAW_TABLE}) WHERE v IS NOT NULL"
                " LIMIT 50"
            ).fetchall()
        ]
        found = sorted({rules.TYPE_VALUE_KEYS[rules.key(v)] for v in values if rules.key(v) in rules.TYPE_VALUE_KEYS})
        if len(found) > 1:
            result.add(
                Problem(
                    None,
                    raw.headers[type_index],
                    "filen innehåller flera aktivitetstyper ("
                    + ", ".join(ACTIVITY_TYPES[c].label for c in found)
                    + "); dela upp den i en fil per typ",
                )
            )
            return None
        if found:
            return found[0]
    keys = {rules.key(h) for h in raw.headers} | {rules.key(units.split_unit(h).name) for h in raw.headers}
    common = {rules.key(n) for f in COMMON_FIELDS for n in (f.column, f.label, *f.aliases)}
    scores = {}
    for code, t in ACTIVITY_TYPES.items():
        own = {rules.key(n) for f in t.fields for n in (f.column, f.label, *f.aliases)} - common
        scores[code] = len(keys & own)
    best = max(scores.values())
    winners = [code for code, score in scores.items() if score == best]
    if best and len(winners) == 1:
        return winners[0]
    return None


def _map_headers(
    con: duckdb.DuckDBPyConnection, raw: RawFile, t: ActivityType, result: Preview
) -> tuple[dict[str, int], int | None, dict[str, Field]]:
    """Field column -> index in the file, the type column's index, the fields whose unit the header sets
    (a duration in minutes); notes and problems about headers. A column of no field is left out with a
    note when empty; holding data, it is an error (in raw.errors), since its data would be lost."""
    lookup = rules.field_lookup(t)
    columns: dict[str, int] = {}
    in_unit: dict[str, Field] = {}
    type_index = None
    ignored = []
    for index, header in enumerate(raw.headers):
        k = rules.key(header)
        if not k:
            continue
        if k in rules.TYPE_HEADER_KEYS and type_index is None:
            type_index = index
            continue
        try:
            f = units.match_header(header, lookup)
        except units.UnitError as exc:
            result.add(Problem(None, header, str(exc)))
            continue
        if f is not None:
            if f.kind != lookup[rules.key(f.column)].kind:
                in_unit[f.column] = f
            if f.column in columns:
                result.add(
                    Problem(
                        None,
                        header,
                        f"både {raw.headers[columns[f.column]]} och {header} betyder {f.label}; ta bort den ena",
                    )
                )
            else:
                columns[f.column] = index
        elif rows := raw.rows_with_data(con, index):
            raw.errors.append(unnamed_column_message(index, rows, header=header, activity=t.label.lower()))
        else:
            ignored.append(header)
    if ignored:
        result.notes.append(
            f"Kolumner som inte hör till {lower_first(t.label)} och inte läses in: {', '.join(ignored)}."
        )
    for f in rules.all_fields(t):
        if f.required and f.column not in columns:
            result.add(Problem(None, f.label, "kolumnen saknas men är obligatorisk"))
    return columns, type_index, in_unit


def _type_index(raw: RawFile) -> int | None:
    return next((i for i, h in enumerate(raw.headers) if rules.key(h) in rules.TYPE_HEADER_KEYS), None)


# --- validation ------------------------------------------------------------------------


def _cell(raw: RawFile, index: int) -> str:
    """Cell c<index> without surrounding blanks, NULL when empty. Trimming is the dearest step of
    reading a cell, so only a cell that starts or ends with a space pays for it, and the rare
    blanks (tab, carriage return, no-break space) are looked for only in a file that holds one."""
    c = f"c{index}"
    rare = "".join(f"contains({c}, chr({code})) OR " for code in RARE_BLANKS) if raw.rare_blanks else ""
    return f"NULLIF(CASE WHEN {rare}{c} LIKE ' %' OR {c} LIKE '% ' THEN trim({c}, {BLANKS_SQL}) ELSE {c} END, '')"


def _area_hints(con: duckdb.DuckDBPyConnection, raw: RawFile, index: int) -> None:
    """The area code of every distinct value in the file (matched once per value, not per row), and a
    message for every unknown one that suggests the closest known name."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_area_values AS"
        f" SELECT d.v AS value, k.code FROM (SELECT DISTINCT {_cell(raw, index)} AS v FROM {RAW_TABLE}) d"
        f" LEFT JOIN (SELECT {rules.norm_sql('name')} AS key, code FROM areas"
        f"  UNION SELECT {rules.norm_sql('code')}, code FROM areas) k ON k.key = {rules.norm_sql('d.v')}"
        " WHERE d.v IS NOT NULL"
    )
    names = [n for (n,) in con.execute("SELECT name FROM areas ORDER BY name").fetchall()]
    unknown = [
        v
        for (v,) in con.execute(
            "SELECT value FROM import_area_values WHERE code IS NULL ORDER BY value LIMIT 10000"
        ).fetchall()
    ]
    by_key = {rules.key(n): n for n in names}
    hints = []
    for value in unknown:
        close = difflib.get_close_matches(rules.key(value), list(by_key), n=1, cutoff=0.6)
        shown = value if len(value) <= 60 else value[:57] + "…"
        hint = f"menade du {by_key[close[0]]}?" if close else "kända områden: " + ", ".join(names)
        hints.append((value, f"{shown} är inget känt område; {hint}"))
    con.execute("CREATE OR REPLACE TEMP TABLE import_area_hints (value VARCHAR, message VARCHAR)")
    if hints:
        con.executemany("INSERT INTO import_area_hints VALUES (?, ?)", hints)


def _personal_data(con: duckdb.DuckDBPyConnection, raw: RawFile, text_columns: list[int]) -> None:
    """Stage import_personal: the kinds of personal data (privacy.find_personal_data) in every distinct text
    cell of the file that could hold some, each value looked at once; the checks of cell_rules read it.
    The cheap pattern looks at the raw cells (a trimmed cell that matches it is part
    of a raw one that does; the trimmed value is what is judged), which spares trimming every cell."""
    con.execute("CREATE OR REPLACE TEMP TABLE import_personal (value VARCHAR, kinds VARCHAR)")
    if not text_columns:
        return
    values = con.execute(
        " UNION ".join(
            f"SELECT {_cell(raw, i)} FROM {RAW_TABLE} WHERE regexp_matches(c{i}, $candidate)" for i in text_columns
        ),
        {"candidate": privacy.CANDIDATE},
    ).fetchall()
    found = pd.DataFrame(
        [(v, privacy.describe(kinds)) for (v,) in values if (kinds := privacy.find_personal_data(v))],
        columns=["value", "kinds"],
    )
    if len(found):
        con.execute("INSERT INTO import_personal SELECT * FROM found")


def _validate(con: duckdb.DuckDBPyConnection, raw: RawFile, result: Preview, chosen: str | None) -> None:
    """Stage import_typed (one typed row per non-empty row) and import_errors; fill the counts."""
    type_index = _type_index(raw)
    code = chosen or _detect_type(con, raw, type_index, result)
    if code is None:
        if not result.problem_count:
            result.add(
                Problem(
                    None,
                    None,
                    "Det går inte att se vilken aktivitetstyp filen gäller. Välj typ "
                    "(på sidan, eller med --type på kommandoraden), eller lägg till en "
                    "kolumn Aktivitetstyp.",
                )
            )
        return
    t = ACTIVITY_TYPES[code]
    result.activity_type = code
    columns, type_index, in_unit = _map_headers(con, raw, t, result)
    result.columns = tuple(columns)
    if result.problem_count:
        return
    if "area_code" in columns:
        _area_hints(con, raw, columns["area_code"])

    fields = {f.column: f for f in rules.all_fields(t)} | in_unit
    cells = [f"t{i} AS s_{c}" for c, i in columns.items()]
    if type_index is not None:
        cells.append(f"t{type_index} AS s_{rules.TYPE_COLUMN}")
    trimmed = ", ".join(f"{_cell(raw, i)} AS t{i}" for i in range(raw.width))
    not_empty = "coalesce(" + ", ".join(f"t{i}" for i in range(raw.width)) + ") IS NOT NULL"
    serial = raw.kind == "xlsx"
    parsed = [f"{rules.parse_sql(fields[c], f's_{c}', serial)} AS p_{c}" for c in columns]
    final = []
    absent = {c for c in ACTIVITY_COLUMNS if c not in columns} - {"activity_type", "date_to", "activity_count"}
    for column in ACTIVITY_COLUMNS:
        if column == "activity_type":
            value = rules.lit(code)
        elif column in columns:
            value = rules.typed_sql(fields[column], f"p_{column}")
        else:
            value = f"CAST(NULL AS {SQL_TYPES[COLUMN_FIELDS[column].kind]})"
        if column == "date_to":
            value = f"coalesce({value}, {rules.typed_sql(fields['date_from'], 'p_date_from')})"
        elif column == "activity_count":
            value = f"coalesce({value}, 1)"
        final.append(f"{value} AS {column}")
    # Every stage of a cell, as a view: its text (s_), parsed value (p_) and stored value.
    con.execute(
        "CREATE OR REPLACE TEMP VIEW import_cells AS"
        f" SELECT *, {', '.join(final)} FROM ("
        f"  SELECT cells.*, {', '.join(parsed)} FROM ("
        f"   SELECT row_no, {', '.join(cells)} FROM ("
        f"    SELECT {raw.row_sql} AS row_no, {trimmed} FROM {RAW_TABLE}) WHERE {not_empty}"
        f"  ) cells)"
    )

    _personal_data(con, raw, [i for c, i in columns.items() if fields[c].kind == "text"])
    area_hint = (
        "coalesce((SELECT message FROM import_area_hints h WHERE h.value = s_area_code),"
        f" {rules.shown('s_area_code')} || ' är inget känt område')"
    )
    checks: list[rules.Check] = []
    for column in columns:
        f = fields[column]
        if f.required:
            checks.append(rules.Check(column, f"s_{column} IS NULL", "'värde saknas; kolumnen är obligatorisk'"))
        checks += rules.cell_checks(f, f"s_{column}", f"p_{column}", area_hint)
    if type_index is not None:
        checks += rules.type_checks(t)
    checks += [c for c in rules.row_checks(set(columns)) if c.column in columns]
    checks += rules.plausibility_checks(t, fields, set(columns), today(), settings().plausibility)

    # One pass types, keys and flags every row; only the stored values are kept, since a
    # million rows of text and parsed values as well cost more to keep than to parse again,
    # and of those only the columns the file has (_staged_view adds the others as NULL).
    # The messages are written afterwards from the view, for the flagged rows only.
    flagged = " OR ".join(f"({c.condition}) IS TRUE" for c in checks) or "FALSE"
    kept = [c for c in ACTIVITY_COLUMNS if c in columns or c in TYPED_ALWAYS]
    # A choice is typed to one of its codes, lowercase already for the key; without its column, date_to is date_from.
    same_as = {} if "date_to" in columns else {"date_to": "date_from"}
    coded = frozenset(
        c for c in columns if fields[c].kind == "choice" and all(code == code.lower() for code in fields[c].choices)
    )
    with_text_key(con).execute(
        f"CREATE OR REPLACE TEMP TABLE import_typed AS SELECT row_no, {', '.join(kept)},"
        f" {content_key_sql(absent, text_trimmed=True, lowered=coded, same_as=same_as)} AS content_key,"
        f" {flagged} AS flagged"
        " FROM import_cells"
    )
    index_of = {**columns, **({rules.TYPE_COLUMN: type_index} if type_index is not None else {})}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_errors"
        " (row_no BIGINT, col_ord INTEGER, col_label VARCHAR, message VARCHAR)"
    )
    [(any_flagged,)] = con.execute("SELECT bool_or(flagged) FROM import_typed").fetchall()
    if any_flagged:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE import_flagged AS SELECT * FROM import_cells"
            " WHERE row_no IN (SELECT row_no FROM import_typed WHERE flagged)"
        )
        con.execute(
            "INSERT INTO import_errors "
            + " UNION ALL ".join(
                f"SELECT row_no, {index_of[c.column]}, ?, {c.message} FROM import_flagged WHERE {c.condition}"
                for c in checks
            ),
            [raw.headers[index_of[c.column]] for c in checks],
        )
    if raw.problems:
        con.executemany("INSERT INTO import_errors VALUES (?, -1, NULL, ?)", [list(p) for p in raw.problems])

    if "date_from" in columns:
        _warn_before_agreements(con, raw.headers[columns["date_from"]], result)
    [(result.rows,)] = con.execute("SELECT count(*) FROM import_typed").fetchall()
    [(count, rejected)] = con.execute("SELECT count(*), count(DISTINCT row_no) FROM import_errors").fetchall()
    result.problem_count += count
    result.rejected = rejected
    if count:
        result.problems += [
            Problem(r, c, m)
            for r, c, m in con.execute(
                f"SELECT row_no, col_label, message FROM import_errors ORDER BY row_no, col_ord LIMIT {MAX_LISTED}"
            ).fetchall()
        ]
        result.rejected_csv = _rejected_csv(con, raw)


def _warn_before_agreements(con: duckdb.DuckDBPyConnection, header: str, result: Preview) -> None:
    """A row before the earliest agreement's start is imported with a warning: no promise and no target judges it
    (a typing error in the year, or a log from before the cooperation began)."""
    [(first,)] = con.execute("SELECT min(valid_from) FROM agreements").fetchall()
    if first is None:
        return
    early = con.execute(
        "SELECT row_no, date_from, count(*) OVER () FROM import_typed WHERE date_from < ?"
        f" ORDER BY row_no LIMIT {MAX_WARNINGS_LISTED}",
        [first],
    ).fetchall()
    why = f"ligger före den första överenskommelsens start ({format_date(first)}); raden importeras men inget mål gäller den"
    result.warnings += [Problem(row, header, f"{day.isoformat()} {why}") for row, day, _ in early]
    if early and early[0][2] > len(early):
        result.warnings.append(
            Problem(
                None, header, f"… och {format_number(early[0][2] - len(early))} rader till före {format_date(first)}"
            )
        )


def _rejected_csv(con: duckdb.DuckDBPyConnection, raw: RawFile) -> bytes:
    """The rows with errors, each with its reasons, as the file had them (UTF-8 with BOM, `;`)."""
    path = temporary_file(".csv")
    try:
        con.execute(
            f"COPY (SELECT e.row_no, {rules.neutralised_sql('e.reasons')},"
            f" {', '.join(rules.neutralised_sql(f'r.c{i}') for i in range(raw.width))}"
            f" FROM (SELECT row_no, string_agg(CASE WHEN col_label IS NULL THEN message"
            f"  ELSE 'kolumn ' || col_label || ': ' || message END, ' | ' ORDER BY col_ord) AS reasons"
            f"  FROM import_errors GROUP BY row_no) e"
            f" JOIN (SELECT {raw.row_sql} AS row_no, * FROM {RAW_TABLE}) r USING (row_no)"
            f" ORDER BY e.row_no) TO '{path}' (HEADER false, DELIMITER ';')"
        )
        header = io.StringIO()
        csv.writer(header, delimiter=";", lineterminator="\n").writerow(["Rad", "Fel", *map(neutralise, raw.headers)])
        with open(path, "rb") as body:
            return "\ufeff".encode() + header.getvalue().encode("utf-8") + body.read()
    finally:
        os.unlink(path)


# --- duplicates ------------------------------------------------------------------------


def _check_replaced(con: duckdb.DuckDBPyConnection, result: Preview, batch_id: int) -> None:
    """A file may replace a live batch of its own type that is not demo data."""
    assert result.activity_type is not None  # only a checked preview replaces a batch (Preview.checked)
    try:
        batch = Store.live_batch(con, batch_id)
    except StoreError as exc:
        result.add(Problem(None, None, f"{exc} Välj en annan omgång att ersätta."))
        return
    if batch.is_demo:
        result.add(
            Problem(
                None,
                None,
                f"Importomgång {batch_id} är demodata och kan inte ersättas; ta bort "
                "demodata på sidan Administration i stället.",
            )
        )
    elif batch.activity_type != result.activity_type:
        stored = ACTIVITY_TYPES[batch.activity_type].label.lower() if batch.activity_type else "flera aktivitetstyper"
        result.add(
            Problem(
                None,
                None,
                f"Importomgång {batch_id} gäller {stored} men filen "
                f"{ACTIVITY_TYPES[result.activity_type].label.lower()}; en fil kan bara "
                "ersätta en omgång av samma aktivitetstyp.",
            )
        )
    else:
        result.changes = Changes(batch_id, batch.file_name)


def _rows_text(rows: list[int], total: int) -> str:
    """'3, 4 och 9', or the first ones and how many in all."""
    if total > len(rows):
        return f"{', '.join(map(str, rows))} … ({format_number(total)} rader)"
    return f"{', '.join(map(str, rows[:-1]))} och {rows[-1]}"


def _number_identical(con: duckdb.DuckDBPyConnection, result: Preview) -> None:
    """Rows without an external id that are identical in every column are as many activities: the n-th of
    them gets a numbered key (store.content_key.numbered_key_sql), and a note names their rows."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_identical AS SELECT content_key, count(*) AS n,"
        " list(row_no ORDER BY row_no)[1:6] AS rows FROM import_typed WHERE external_id IS NULL"
        " GROUP BY content_key HAVING count(*) > 1"
    )
    [(groups,)] = con.execute("SELECT count(*) FROM import_identical").fetchall()
    if not groups:
        return
    number = "row_number() OVER (PARTITION BY content_key ORDER BY row_no)"
    con.execute(
        f"UPDATE import_typed SET content_key = k.numbered FROM (SELECT row_no, {number} AS n,"
        f" {numbered_key_sql('content_key', number)} AS numbered FROM import_typed WHERE external_id IS NULL"
        f" AND content_key IN (SELECT content_key FROM import_identical)) k"
        f" WHERE import_typed.row_no = k.row_no AND k.n > 1"
    )
    for rows, n in con.execute(
        f"SELECT rows, n FROM import_identical ORDER BY rows[1] LIMIT {MAX_IDENTICAL_LISTED}"
    ).fetchall():
        result.notes.append(
            f"Raderna {_rows_text(rows, n)} är likadana och importeras som {format_number(n)} "
            "aktiviteter. Är det samma aktivitet flera gånger, ta bort de extra raderna och ladda "
            "upp filen igen."
        )
    if groups > MAX_IDENTICAL_LISTED:
        result.notes.append(f"… och {format_number(groups - MAX_IDENTICAL_LISTED)} grupper av likadana rader till.")


def _classify(con: duckdb.DuckDBPyConnection, result: Preview) -> None:
    """Mark rows already in the store (outside a batch being replaced) or, by external id, earlier in the file;
    stage the rest as STAGED_ROWS (see activities.STAGED_ROWS)."""
    assert result.activity_type is not None  # only a checked preview is classified (Preview.checked)
    _number_identical(con, result)
    replaced = result.changes.batch_id if result.changes else None
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_class AS"
        " WITH same_id AS (SELECT external_id, min(row_no) AS first_row FROM import_typed"
        "  WHERE external_id IS NOT NULL GROUP BY ALL HAVING count(*) > 1),"
        " stored_ext AS (SELECT external_id, min(batch_id) AS batch_id FROM activities"
        "  WHERE activity_type = $type AND external_id IS NOT NULL AND batch_id IS DISTINCT FROM $replaced GROUP BY ALL),"
        " stored_key AS (SELECT content_key, min(batch_id) AS batch_id FROM activities"
        "  WHERE activity_type = $type AND batch_id IS DISTINCT FROM $replaced GROUP BY ALL)"
        " SELECT t.row_no, r.first_row AS same_as_row, coalesce(e.batch_id, c.batch_id) AS stored_batch"
        " FROM import_typed t LEFT JOIN same_id r ON t.external_id = r.external_id AND t.row_no > r.first_row"
        " LEFT JOIN stored_ext e ON t.external_id = e.external_id"
        " LEFT JOIN stored_key c ON t.external_id IS NULL AND t.content_key = c.content_key"
        " WHERE r.first_row IS NOT NULL OR e.batch_id IS NOT NULL OR c.batch_id IS NOT NULL",
        {"type": result.activity_type, "replaced": replaced},
    )
    [(result.duplicates,)] = con.execute("SELECT count(*) FROM import_class").fetchall()
    _staged_view(con, result.duplicates > 0)
    result.new = result.rows - result.duplicates
    t = ACTIVITY_TYPES[result.activity_type]
    new = con.execute(f"SELECT row_no, {_shown_columns(t)} FROM {STAGED_ROWS} ORDER BY row_no LIMIT {SAMPLE_ROWS}").df()
    # Names as people know them, not codes ("Timrå centrum", not "timra-centrum").
    names = {"area_code": dict(con.execute("SELECT code, name FROM areas").fetchall()), "organisation": ORGANISATIONS}
    result.new_rows = display_frame(new, t, names)
    result.duplicate_rows = con.execute(
        "SELECT row_no AS \"Rad\", CASE WHEN same_as_row IS NOT NULL THEN 'samma id som rad ' || same_as_row"
        " ELSE 'finns redan (omgång ' || stored_batch || ')' END AS \"Varför den hoppas över\""
        f" FROM import_class ORDER BY row_no LIMIT {SAMPLE_ROWS}"
    ).df()
    if result.changes:
        _compare(con, result.changes, t, names)


def _staged_view(con: duckdb.DuckDBPyConnection, duplicates: bool) -> None:
    """STAGED_ROWS over import_typed: every column of ACTIVITY_COLUMNS, NULL where the file has none.
    Rows keep the file's order. A scan of import_typed has it already; the join that leaves
    duplicates (import_class) out needs a sort, which a file of new rows (the usual case) is spared."""
    have = {name for (name, *_) in con.execute("DESCRIBE import_typed").fetchall()}
    select = ", ".join(
        c if c in have else f"CAST(NULL AS {SQL_TYPES[COLUMN_FIELDS[c].kind]}) AS {c}" for c in ACTIVITY_COLUMNS
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGED_ROWS} AS SELECT row_no, {select}, content_key FROM import_typed"
        + (" ANTI JOIN import_class USING (row_no) ORDER BY row_no" if duplicates else "")
    )


def _shown_columns(t: ActivityType) -> str:
    return ", ".join(f.column for f in rules.all_fields(t))


def _compare(
    con: duckdb.DuckDBPyConnection, changes: Changes, t: ActivityType, names: dict[str, dict[str, str]]
) -> None:
    """Pair the rows to import with the replaced batch's: same content (the n-th of identical rows with the
    n-th), else the same external id, else the same date, start time and area (in order). `names` shows codes
    as names, as in the preview."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_old AS SELECT * FROM activities WHERE batch_id = ?", [changes.batch_id]
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_pairs AS SELECT n.row_no, o.id, TRUE AS same FROM"
        " (SELECT row_no, content_key, row_number() OVER (PARTITION BY content_key ORDER BY row_no) AS k"
        f"  FROM {STAGED_ROWS}) n"
        " JOIN (SELECT id, content_key, row_number() OVER (PARTITION BY content_key ORDER BY id) AS k"
        "  FROM import_old) o USING (content_key, k)"
    )
    unpaired_new = f"(SELECT * FROM {STAGED_ROWS} WHERE row_no NOT IN (SELECT row_no FROM import_pairs))"
    unpaired_old = "(SELECT * FROM import_old WHERE id NOT IN (SELECT id FROM import_pairs))"
    con.execute(
        f"INSERT INTO import_pairs SELECT n.row_no, o.id, FALSE FROM {unpaired_new} n"
        f" JOIN {unpaired_old} o USING (external_id)"
    )
    where = "date_from, date_to, start_time, area_code"
    con.execute(
        f"INSERT INTO import_pairs SELECT n.row_no, o.id, FALSE FROM"
        f" (SELECT *, row_number() OVER (PARTITION BY {where} ORDER BY row_no) AS k FROM {unpaired_new}) n"
        f" JOIN (SELECT *, row_number() OVER (PARTITION BY {where} ORDER BY id) AS k FROM {unpaired_old}) o"
        f" ON n.date_from = o.date_from AND n.date_to = o.date_to AND n.start_time IS NOT DISTINCT FROM o.start_time"
        f" AND n.area_code = o.area_code AND n.k = o.k AND (n.external_id IS NULL OR o.external_id IS NULL)"
    )
    [(changes.unchanged, changes.changed, new, old)] = con.execute(
        f"SELECT count(*) FILTER (same), count(*) FILTER (NOT same), (SELECT count(*) FROM {STAGED_ROWS}),"
        " (SELECT count(*) FROM import_old) FROM import_pairs"
    ).fetchall()
    changes.added, changes.removed = (
        new - changes.unchanged - changes.changed,
        old - changes.unchanged - changes.changed,
    )
    shown = _shown_columns(t)
    changes.added_rows = display_frame(
        con.execute(f"SELECT row_no, {shown} FROM {unpaired_new} ORDER BY row_no LIMIT {SAMPLE_ROWS}").df(), t, names
    )
    changes.removed_rows = (
        _formatted(
            con.execute(  # rows of the store, without a row of the file
                f"SELECT NULL AS row_no, {shown} FROM {unpaired_old} ORDER BY id LIMIT {SAMPLE_ROWS}"
            ).df(),
            t,
            names,
        )
        .drop(columns="Rad")
        .dropna(axis=1, how="all")
    )
    pairs = f"(SELECT * FROM import_pairs WHERE NOT same ORDER BY row_no LIMIT {SAMPLE_ROWS})"
    after = _formatted(
        con.execute(
            f"SELECT n.row_no, {shown} FROM {pairs} p JOIN {STAGED_ROWS} n USING (row_no) ORDER BY row_no"
        ).df(),
        t,
        names,
    )
    before = _formatted(
        con.execute(
            f"SELECT p.row_no, {', '.join('o.' + f.column for f in rules.all_fields(t))}"
            f" FROM {pairs} p JOIN import_old o ON o.id = p.id ORDER BY p.row_no"
        ).df(),
        t,
        names,
    )
    cells = [
        {"Rad": row, "Kolumn": column, "Förut": old_value, "Nu": new_value}
        for row, (_, old_row), (_, new_row) in zip(after["Rad"], before.iterrows(), after.iterrows(), strict=True)
        for column, old_value, new_value in zip(after.columns[1:], old_row.iloc[1:], new_row.iloc[1:], strict=True)
        if old_value != new_value
    ]
    changes.changed_rows = pd.DataFrame(cells, columns=["Rad", "Kolumn", "Förut", "Nu"])


def display_frame(frame: pd.DataFrame, t: ActivityType, names: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Typed rows with Swedish headers and Swedish formats, for a preview table (columns empty throughout left out);
    `names` turns the codes of a column into names."""
    return _formatted(frame, t, names).dropna(axis=1, how="all")


def _formatted(frame: pd.DataFrame, t: ActivityType, names: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Every field of typed rows as shown: Swedish headers, formats, names for codes, None where empty."""
    out = pd.DataFrame({"Rad": frame["row_no"]})
    for f in rules.all_fields(t):
        values = frame[f.column]
        if f.kind == "hours":
            out[f.label] = [None if is_missing(v) else format_number(v / 60, 2).rstrip("0").rstrip(",") for v in values]
        elif f.kind == "bool":
            out[f.label] = [None if is_missing(v) else ("ja" if v else "nej") for v in values]
        elif f.kind == "choices":
            out[f.label] = [None if is_missing(v) else ", ".join(v) for v in values]
        elif f.kind == "date":
            out[f.label] = [None if is_missing(v) else pd.Timestamp(v).date().isoformat() for v in values]
        elif f.kind == "time":
            out[f.label] = [None if is_missing(v) else v.strftime("%H:%M") for v in values]
        else:
            named = (names or {}).get(f.column, {})
            out[f.label] = [None if is_missing(v) else named.get(v, v) for v in values]
    return out


def changes_text(result: Preview) -> list[str]:
    """A corrected file's changed cells, added and removed rows as lines (the first SAMPLE_ROWS of each)."""
    changes = result.changes
    if changes is None or changes.changed_rows is None or changes.added_rows is None or changes.removed_rows is None:
        return []  # all three are made together (_compare)
    lines = [
        f"Rad {r['Rad']}, {r['Kolumn']}: {_text(r['Förut'])} → {_text(r['Nu'])}"
        for r in changes.changed_rows.to_dict("records")
    ]
    lines += [f"Ny rad {row}" for row in changes.added_rows["Rad"]]
    lines += [
        "Tas bort: " + ", ".join(f"{k} {v}" for k, v in r.items() if v is not None)
        for r in changes.removed_rows.to_dict("records")
    ]
    return lines


def _text(value: object) -> str:
    return "(tomt)" if value is None else str(value)


def warning_text(problem: Problem) -> str:
    return f"Varning: {problem}"


def problems_text(result: Preview) -> list[str]:
    """Every listed problem as a Swedish line, and how many more there are."""
    lines = [str(p) for p in result.problems]
    if result.problem_count > len(result.problems):
        lines.append(
            f"… och {format_number(result.problem_count - len(result.problems))} fel till "
            "(alla finns i listan över avvisade rader)."
        )
    return lines
