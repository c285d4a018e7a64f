"""The DuckDB store: every SQL statement outside indicators/ lives here.

DuckDB lets one process at a time open a file for writing, and the dashboard must not keep
it locked while a scheduled import from the command line waits. So each process shares one
connection per file between its threads (each use gets its own cursor), opens it when the
first use starts and closes it when the last one ends. A process that cannot open the file
says so by a lock on `<file>.wait`; a process holding the file sees that at its next use,
lets the uses under way finish, closes, and lets the waiting one go first (see `_Shared`).
Writes within a process are serialised, so no two of them conflict.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import logging
import os
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from trygghet.store import agreements as agreement_store
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.config import db_path, lock_timeout_seconds
from trygghet.store.erasure import erase, erase_soon
from trygghet.formatting import STOCKHOLM
from trygghet.reference.files import ReferenceData
from trygghet.privacy import check_text

# Every column an import may fill, in table order (id and batch_id are set by the store).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_type", "date_from", "date_to", "activity_count", "start_time", "duration_min",
    "area_code", "place", "organisation", "staff_count", "external_id", "comment",
    "citizen_contacts", "control_kind", "risk_place", "breath_tests", "drunk_driving_suspected",
    "drugged_driving_suspected", "speeding_offences", "vehicles_checked", "illegal_vehicles",
    "driving_bans", "reports_filed", "persons_checked", "seizures", "topics", "audiences", "participants",
    "inappropriate_behaviour_reports", "youth_focus", "unique_participants",
)

# Columns added after rows were first keyed (migration 010). They join the content key only when they
# hold a value, so every row keyed before keeps its key and a file without them is still recognised.
KEYED_WHEN_SET = ("inappropriate_behaviour_reports", "youth_focus", "unique_participants")

# The text columns of `activities`; every other column is a number, date, time, boolean or list.
TEXT_COLUMNS = frozenset({"activity_type", "area_code", "place", "organisation", "external_id", "comment",
                          "control_kind"})


# Free text, compared after NFKC and with every run of blanks made one space ("Lugnt  vid torget" is
# "Lugnt vid torget"), so a re-export that only respaces or recodes a comment is still the same activity.
FREE_TEXT = frozenset({"place", "comment"})
# Text of only these characters, without two spaces in a row, is its own normal form; only the rest (a
# tab, a no-break space, a ligature, an en dash ...) is handed to Python, which costs 20 times as much.
NORMAL_ALREADY = "[^ -~¡-§©«-®°±¶·»¿-ÿ]|  "


def _normal_text(values):
    """NFKC, every run of blanks (Unicode's, after NFKC) one space, trimmed: free text as the key compares it."""
    import pyarrow.compute as pc

    return pc.utf8_trim_whitespace(pc.replace_substring_regex(
        pc.utf8_normalize(values, form="NFKC"), r"[\s\p{Z}\x{85}]+", " "))


def with_text_key(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` with the SQL function normal_text(VARCHAR) that content_key_sql calls (registered once per connection)."""
    # Asked first, not tried: the cursors of one process share their functions, and a failed registration
    # inside a transaction would abort it. The query also finishes a result left open, which
    # create_function would refuse.
    if not con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'normal_text'").fetchall()[0][0]:
        con.create_function("normal_text", _normal_text, ["VARCHAR"], "VARCHAR", type="arrow", side_effects=False)
    return con


def content_key_sql(absent: frozenset[str] | set[str] = frozenset(), *, text_trimmed: bool = False) -> str:
    """The normalised content of a row: two rows with the same key are the same activity,
    so a file uploaded again (or overlapping an earlier one) never counts twice. The
    connection needs `with_text_key`.

    Columns in `absent` are known to be NULL and add '' without being read, only text is
    lowered and trimmed (for a number, date or time both change nothing), free text is
    normalised as well, and with `text_trimmed` (the importer has trimmed every cell) text
    that is its own normal form is only lowered: a million rows are keyed in a fraction of
    the time. A row whose text is its own normal form keeps the key it had before free text
    was normalised (migration 013 rekeyed the others)."""
    def part(column: str) -> str:
        if column in KEYED_WHEN_SET:  # NULL, which concat_ws leaves out, separator and all
            return "NULL" if column in absent else f"'{column}=' || CAST({column} AS VARCHAR)"
        if column in absent:
            return "''"
        if column in ("topics", "audiences"):
            return f"coalesce(array_to_string(list_sort({column}), ','), '')"
        trimmed = column if text_trimmed else f"trim({column})"
        if column in FREE_TEXT:
            return (f"coalesce(lower(CASE WHEN regexp_matches({column}, '{NORMAL_ALREADY}')"
                    f" THEN normal_text({column}) ELSE {trimmed} END), '')")
        if column in TEXT_COLUMNS:
            return f"coalesce(lower({trimmed}), '')"
        return f"coalesce(CAST({column} AS VARCHAR), '')"

    return "md5(concat_ws('|', " + ", ".join(part(c) for c in ACTIVITY_COLUMNS if c != "external_id") + "))"


def numbered_key_sql(key: str, n: str) -> str:
    """The key of the n-th of several identical rows of one file: the first keeps `key`, the n-th (n > 1)
    is md5(key || '#n'). So two identical patrols in a file are two activities, and the same rows again
    (a corrected file, the next export overlapping this one) match both instead of adding them again."""
    return f"CASE WHEN {n} = 1 THEN {key} ELSE md5({key} || '#' || {n}) END"


# Spreading a summary row over its days leaves float dust (89.99999999999997); every sum is rounded to this many
# decimals, in SQL and in Python alike.
DUST_DIGITS = 9


def without_dust(value: float) -> float:
    """A sum of spread shares as the whole it is (see DUST_DIGITS)."""
    return round(value, DUST_DIGITS)


# The columns of activity_days: what an indicator may filter on, and the measures it may sum.
DAY_DIMENSIONS = ("activity_type", "area_code", "organisation", "control_kind", "risk_place", "topics", "audiences",
                  "youth_focus")
DAY_MEASURES = ("activity_count", "duration_min", "citizen_contacts", "breath_tests", "drunk_driving_suspected",
                "drugged_driving_suspected", "speeding_offences", "vehicles_checked", "illegal_vehicles",
                "driving_bans", "reports_filed", "persons_checked", "seizures", "participants",
                "inappropriate_behaviour_reports", "unique_participants")


def activity_days_sql(dimensions: tuple[str, ...] = DAY_DIMENSIONS, measures: tuple[str, ...] = DAY_MEASURES) -> str:
    """Spread the rows of the batches in $batches over their days and sum them per day and dimension."""
    return f"""
INSERT INTO activity_days (batch_id, day, {", ".join(dimensions)}, {", ".join(measures)}, staff_minutes)
WITH src AS (
    SELECT *, date_to - date_from + 1 AS n_days FROM activities WHERE list_contains($batches, batch_id)
),
spread AS (
    SELECT *, date_from AS day FROM src WHERE n_days = 1
    UNION ALL
    SELECT *, CAST(unnest(generate_series(date_from, date_to, INTERVAL 1 DAY)) AS DATE) AS day FROM src WHERE n_days > 1
)
SELECT batch_id, day, {", ".join(dimensions)},
       {", ".join(f"sum(CAST({m} AS DOUBLE) / n_days)" for m in measures)},
       sum(CAST(staff_count * duration_min AS DOUBLE) / n_days)
FROM spread
GROUP BY ALL
"""


ACTIVITY_DAYS_SQL = activity_days_sql()


class StoreError(RuntimeError):
    """A problem with the database file; the message is Swedish and meant for the user."""


class StoreBusy(StoreError):
    """Another process holds the file for longer than we are willing to wait."""


@dataclass(frozen=True)
class BatchInfo:
    file_name: str
    content_hash: str
    imported_by: str
    activity_type: str | None = None
    is_demo: bool = False
    rows_skipped: int = 0
    rows_rejected: int = 0
    replaces: int | None = None     # a batch undone in the same transaction: this one is its corrected file


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in trygghet/migrations, in order."""
    found = []
    for entry in resources.files("trygghet.store.migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


_log = logging.getLogger("trygghet")


class _Shared:
    """The one connection of this process to one database file, shared by its threads.

    Each use takes a cursor of it; the connection is opened by the first use and closed by the
    last one, so between uses the file is free for another process. Opening and closing happen
    under one lock, so threads never race to attach the file (DuckDB refuses a second attach of
    a file still being closed: "Unique file handle conflict").

    Fairness between processes: one that cannot open the file holds a shared POSIX lock on
    `<file>.wait` while it retries. The holder tests that lock at each new use; when another
    process waits, new uses wait too, the holder closes as soon as the uses under way have
    ended, and before opening again it waits until the other process has stopped waiting (it
    got the file, or gave up). POSIX locks never conflict within one process, which is why
    the process's own test of the file cannot see itself."""

    def __init__(self, path: Path):
        self.path = path
        self.wait_path = path.with_name(path.name + ".wait")
        self.cond = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.opening = False
        self.draining = False     # another process waits: no new uses until the file is closed
        self.yield_next = False   # we closed for another process: let it open first
        self.idle_since = 0.0     # when the last use ended, while kept open (keep_open)
        self.local = threading.local()

    def acquire(self) -> duckdb.DuckDBPyConnection:
        """A cursor of the shared connection, opening it when needed; StoreBusy after the lock timeout."""
        deadline = time.monotonic() + lock_timeout_seconds()
        with self.cond:
            while True:
                if self.con is not None and not self.draining:
                    if not self._others_waiting():
                        cursor = self.con.cursor()
                        self.users += 1
                        return cursor
                    self.draining = True
                    _log.info("another process waits for %s; closing it when the current uses end", self.path)
                    if self.users == 0:  # kept open after the last use (keep_open): close at once, then open
                        self._close()
                        continue
                elif self.con is None and not self.opening:
                    self.opening = True
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _busy(self.path)
                self.cond.wait(remaining)
        try:
            con = self._open(deadline)
        except BaseException:
            with self.cond:
                self.opening = False
                self.cond.notify_all()
            raise
        with self.cond:
            self.con, self.opening, self.draining, self.yield_next = con, False, False, False
            self.users += 1
            self.cond.notify_all()
        try:
            return con.cursor()
        except BaseException:
            self.release(None)
            raise

    def release(self, cursor: duckdb.DuckDBPyConnection | None) -> None:
        if cursor is not None:
            cursor.close()
        with self.cond:
            self.users -= 1
            if self.users == 0 and self.con is not None:
                if self.draining or _keep_open <= 0:
                    self._close()
                else:  # a busy server's next use comes soon; a waiting process waits at most this long
                    self.idle_since = time.monotonic()
                    timer = threading.Timer(_keep_open, self._close_if_idle, args=(self.idle_since,))
                    timer.daemon = True
                    timer.start()

    def _close_if_idle(self, since: float) -> None:
        with self.cond:
            if self.users == 0 and self.con is not None and self.idle_since == since:
                self._close()

    def _close(self) -> None:
        """Close the connection (the caller holds the lock and no use is under way)."""
        self.yield_next = self.draining
        if self.con is not None:
            self.con.close()
        self.con, self.draining = None, False
        self.cond.notify_all()

    def _open(self, deadline: float) -> duckdb.DuckDBPyConnection:
        """Open the file, waiting (and saying so in `.wait`) while another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.yield_next:  # let the process we closed for open first
            while self._others_waiting() and time.monotonic() < deadline:
                time.sleep(0.02)
        wait_fd: int | None = None
        delay = 0.02
        try:
            while True:
                try:
                    return duckdb.connect(str(self.path))
                except duckdb.IOException as exc:
                    if "lock" not in str(exc).lower():
                        _log.error("cannot open %s: %s", self.path, exc)
                        raise StoreError("Databasfilen kan inte öppnas. Felet är loggat; "
                                         "kontakta en administratör.") from exc
                    if time.monotonic() >= deadline:
                        raise _busy(self.path) from exc
                    if wait_fd is None:
                        wait_fd = self._say_waiting()
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
        finally:
            if wait_fd is not None:
                os.close(wait_fd)  # releases the shared lock

    def _say_waiting(self) -> int | None:
        fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # a holder is testing the lock this instant; try again at the next retry
            os.close(fd)
            return None
        return fd

    def _others_waiting(self) -> bool:
        """Whether another process holds a shared lock on `.wait`, i.e. waits for the file."""
        try:
            fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            return exc.errno in (errno.EACCES, errno.EAGAIN)
        finally:
            os.close(fd)
        return False


def _busy(path: Path) -> StoreBusy:
    _log.warning("database %s busy for longer than TRYGGHET_LOCK_TIMEOUT (%s s)", path, lock_timeout_seconds())
    return StoreBusy(f"Databasfilen {path} används av ett annat program som skriver till den. "
                     "Försök igen om en stund.")


# Seconds a connection stays open after its last use. 0 (the command line, tests): closed at once, so the
# file is free the moment a command is done. The dashboard keeps it open for a moment (`keep_open`), since
# reopening costs tens of milliseconds a use and drops DuckDB's cache; another process waits at most this long.
_keep_open = 0.0


def keep_open(seconds: float) -> None:
    global _keep_open
    _keep_open = seconds


_SHARED: dict[Path, _Shared] = {}
_SHARED_LOCK = threading.Lock()
# Writes of this process, one at a time (re-entrant for a write inside a write of the same thread).
_WRITES = threading.RLock()


def _shared(path: Path) -> _Shared:
    key = path.resolve()
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = _Shared(key)
        return _SHARED[key]


class Store:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else db_path()

    # --- connections -------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of this process's connection to the file (see `_Shared`).

        Nested uses in the same thread share the outer cursor, so a page that reads several
        things takes one; the connection is closed when the process's last use ends.
        """
        shared = _shared(self.path)
        held = getattr(shared.local, "cursor", None)
        if held is not None:
            yield held
            return
        cursor = shared.acquire()
        shared.local.cursor = cursor
        try:
            cursor.execute("SET TimeZone = 'Europe/Stockholm'")
            yield cursor
        finally:
            shared.local.cursor = None
            shared.release(cursor)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing on a new connection (see `write`)."""
        with self.connect() as con, self.write(con):
            yield con

    @staticmethod
    @contextmanager
    def write(con: duckdb.DuckDBPyConnection, *, figures: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commits at the end, rolls back on any exception or interruption,
        and bumps the data version so that cached figures are recomputed (not with `figures=False`,
        for a write no figure depends on, such as a sign-in attempt). One at a time in this
        process: concurrent transactions touching the same rows would otherwise conflict."""
        if not _WRITES.acquire(timeout=lock_timeout_seconds()):
            _log.warning("a write waited longer than TRYGGHET_LOCK_TIMEOUT for another write of this process")
            raise StoreBusy("Databasen är upptagen av en annan ändring. Försök igen om en stund.")
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                if figures:
                    con.execute("UPDATE data_version SET version = version + 1")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            _WRITES.release()

    # --- schema and reference data -------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, each in its own transaction; returns their names."""
        applied_now = []
        with self.connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)"
            )
            done = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
            for version, name, sql in _migrations():
                if version in done:
                    continue
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(sql)
                    if version in AFTER_MIGRATION:
                        AFTER_MIGRATION[version](con)
                    con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                applied_now.append(name)
            if applied_now:
                with self.write(con):
                    self.rebuild_days(con)
        return applied_now

    @staticmethod
    def _rekey_free_text(con: duckdb.DuckDBPyConnection) -> None:
        """Migration 013: the rows whose free text changes under the normalisation get the key it gives, and
        rows of one batch that are now identical are numbered (see numbered_key_sql), a row that had the key
        already first. Before 013 no key was numbered, so every row in normal form keeps its key."""
        number = "row_number() OVER (PARTITION BY batch_id, base ORDER BY content_key = base DESC, id)"
        with_text_key(con).execute(
            f"UPDATE activities SET content_key = k.new_key FROM ("
            f" SELECT id, {numbered_key_sql('base', number)} AS new_key"
            f" FROM (SELECT id, batch_id, content_key, {content_key_sql()} AS base FROM activities)) k"
            f" WHERE activities.id = k.id AND activities.content_key <> k.new_key")


    @staticmethod
    def rebuild_days(con: duckdb.DuckDBPyConnection) -> None:
        """Spread every batch over activity_days again (inside the caller's transaction), with the columns
        the table has: a store migrated part of the way, as in the tests of a migration, has fewer."""
        present = {c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'activity_days'").fetchall()}
        con.execute("DELETE FROM activity_days")
        con.execute(activity_days_sql(tuple(c for c in DAY_DIMENSIONS if c in present),
                                      tuple(c for c in DAY_MEASURES if c in present)),
                    {"batches": [r[0] for r in con.execute("SELECT id FROM import_batches").fetchall()]})

    @staticmethod
    def _add_days(con: duckdb.DuckDBPyConnection, batch_ids: list[int]) -> None:
        """Add the batches' rows to activity_days (inside the caller's transaction)."""
        con.execute(ACTIVITY_DAYS_SQL, {"batches": batch_ids})

    def schema_version(self) -> int:
        with self.connect() as con:
            return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def needs_reference(self) -> bool:
        """Whether the reference files have yet to seed this database (then they are read at all)."""
        with self.connect() as con:
            return not agreement_store.is_seeded(con) or con.execute("SELECT count(*) FROM areas").fetchone()[0] == 0

    def sync_reference(self, ref: ReferenceData) -> bool:
        """Seed agreements, focus areas, commitments and areas from the files once; after that the
        database is the master (agreements are kept on the page Överenskommelser, areas on Administration).

        Writes (and bumps the data version) only when something is still unseeded, so the start-up of
        every command, even a read-only one, leaves the dashboard's caches alone. Returns whether anything
        was written."""
        if not self.needs_reference():
            return False
        with self.transaction() as con:
            if not agreement_store.is_seeded(con):
                agreement_store.seed(con, ref)
            if con.execute("SELECT count(*) FROM areas").fetchone()[0] == 0:
                con.executemany(
                    "INSERT INTO areas (code, name, is_central) VALUES (?, ?, ?)",
                    [[a.code, a.name, a.is_central] for a in ref.areas],
                )
        return True

    # --- reads -------------------------------------------------------------

    def data_version(self) -> int:
        """Changes with every write: the key that makes cached figures fresh at the next rerun."""
        with self.connect() as con:
            return con.execute("SELECT version FROM data_version").fetchone()[0]

    def _frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def _dicts(self, sql: str, params: list | None = None) -> list[dict]:
        """The rows of a query as dicts by column name (plain Python values, for pages and reports)."""
        with self.connect() as con:
            cursor = con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def agreements(self, drafts: bool = False) -> pd.DataFrame:
        """The published agreements (with `drafts`, the drafts too: only for editors and admins)."""
        where = "" if drafts else " WHERE status = 'publicerad'"
        return self._frame(f"SELECT * FROM agreements{where} ORDER BY valid_from")

    def commitments(self, agreement_id: str) -> pd.DataFrame:
        return self._frame(
            "SELECT c.*, f.title AS focus_title, f.ordinal AS focus_ordinal FROM commitments c"
            " JOIN focus_areas f ON f.id = c.focus_area WHERE c.agreement_id = ? ORDER BY f.ordinal, c.ordinal",
            [agreement_id],
        )

    def areas(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM areas ORDER BY is_central DESC, name")

    def activity_count(self) -> int:
        with self.connect() as con:
            return con.execute("SELECT count(*) FROM activities").fetchone()[0]

    def has_demo_data(self) -> bool:
        with self.connect() as con:
            return con.execute(
                "SELECT EXISTS (SELECT 1 FROM import_batches WHERE is_demo AND undone_at IS NULL)"
            ).fetchone()[0]

    def last_activity_dates(self, until: dt.date) -> dict[str, dt.date]:
        """Latest logged day up to `until` per activity type: tells "not updated" apart from "behind"
        (as it stood that day, so a past meeting is judged by the data it had)."""
        with self.connect() as con:
            return dict(con.execute("SELECT activity_type, max(day) FROM activity_days WHERE day <= ? GROUP BY 1",
                                    [until]).fetchall())

    def first_logged_day(self) -> dt.date | None:
        """The first day any activity covers: before it, "the same period last year" has no data, not zero."""
        with self.connect() as con:
            return con.execute("SELECT min(day) FROM activity_days").fetchone()[0]

    def batches(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM import_batches ORDER BY id DESC")

    def stats(self) -> dict:
        """Counts of activities per type and per import batch, for operations and tests."""
        with self.connect() as con:
            per_type = dict(con.execute(
                "SELECT activity_type, count(*) FROM activities GROUP BY 1 ORDER BY 1").fetchall())
            batches = [
                {"id": b, "file_name": f, "is_demo": d, "undone": u is not None, "activities": n}
                for b, f, d, u, n in con.execute(
                    "SELECT b.id, b.file_name, b.is_demo, b.undone_at, count(a.id) FROM import_batches b"
                    " LEFT JOIN activities a ON a.batch_id = b.id GROUP BY ALL ORDER BY b.id"
                ).fetchall()
            ]
            total = con.execute("SELECT count(*) FROM activities").fetchone()[0]
            version = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
        return {
            "database": str(self.path),
            "schema_version": version,
            "activities": total,
            "per_type": {code: per_type.get(code, 0) for code in ACTIVITY_TYPES},
            "batches": batches,
        }

    def meeting_dates(self) -> list[dt.date]:
        """Every meeting's date, in order (the full rows: `meeting_rows`)."""
        with self.connect() as con:
            return [day for (day,) in con.execute("SELECT meeting_date FROM meetings ORDER BY meeting_date").fetchall()]

    # --- writes ------------------------------------------------------------

    def insert_batch(self, con: duckdb.DuckDBPyConnection, batch: BatchInfo, rows: pd.DataFrame | str) -> int:
        """Record a batch and insert its activity rows, inside the caller's transaction.

        `rows` is a DataFrame, or the name of a staged table on `con` (written by the importer)."""
        batch_id = con.execute(
            "INSERT INTO import_batches (file_name, content_hash, activity_type, is_demo, imported_by,"
            " rows_skipped, rows_rejected, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [batch.file_name, batch.content_hash, batch.activity_type, batch.is_demo, batch.imported_by,
             batch.rows_skipped, batch.rows_rejected, batch.replaces],
        ).fetchone()[0]
        if isinstance(rows, pd.DataFrame):
            con.register("incoming_rows", rows)
            source, present = "incoming_rows", set(rows.columns)
        else:
            source = rows
            present = {r[0] for r in con.execute(f"DESCRIBE {source}").fetchall()}
        select = ", ".join(f"{source}.{c}" if c in present else f"NULL AS {c}" for c in ACTIVITY_COLUMNS)
        # The importer has computed each row's content key already (it finds duplicates with it), and
        # numbered its rows: ids follow on from the highest ever given, in one go (see migration 006).
        has_key = "content_key" in present
        number = f"{source}.row_no" if "row_no" in present else "row_number() OVER ()"
        inner = (f"SELECT {number} AS n, {select}{f', {source}.content_key' if has_key else ''} FROM {source}")
        if not has_key:
            inner = (f"SELECT *, {numbered_key_sql('base', 'row_number() OVER (PARTITION BY base ORDER BY n)')}"
                     f" AS content_key FROM (SELECT *, {content_key_sql()} AS base FROM ({inner}))")
        last_id = con.execute("SELECT last_id FROM activity_id_counter").fetchone()[0]
        with_text_key(con).execute(
            f"INSERT INTO activities (id, batch_id, content_key, {', '.join(ACTIVITY_COLUMNS)})"
            f" SELECT ? + n, ?, content_key, {', '.join(ACTIVITY_COLUMNS)} FROM ({inner})",
            [last_id, batch_id],
        )
        con.execute("UPDATE activity_id_counter SET last_id = greatest(last_id,"
                    " (SELECT coalesce(max(id), 0) FROM activities WHERE batch_id = ?))", [batch_id])
        if source == "incoming_rows":  # on failure the aborted transaction takes the view with it
            con.unregister("incoming_rows")
        con.execute(
            "UPDATE import_batches SET rows_added = (SELECT count(*) FROM activities WHERE batch_id = ?) WHERE id = ?",
            [batch_id, batch_id],
        )
        self._add_days(con, [batch_id])
        return batch_id

    def add_meetings(self, con: duckdb.DuckDBPyConnection, meetings: list[tuple[dt.date, str]], is_demo: bool) -> None:
        con.executemany(
            "INSERT INTO meetings (meeting_date, title, is_demo) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [[day, title, is_demo] for day, title in meetings],
        )

    def find_batch_by_hash(self, con: duckdb.DuckDBPyConnection, content_hash: str) -> tuple | None:
        """(id, imported_at) of a live batch with this file content, if any."""
        return con.execute(
            "SELECT id, imported_at FROM import_batches WHERE content_hash = ? AND undone_at IS NULL ORDER BY id LIMIT 1",
            [content_hash],
        ).fetchone()

    def undo_batch(self, batch_id: int, undone_by: str) -> int:
        """Take a batch's rows out of every figure; the batch stays in the history, marked as undone."""
        with self.transaction() as con:
            removed = self.undo_in(con, batch_id, undone_by)
        self.erase_deleted()
        return removed

    @staticmethod
    def live_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict:
        """The batch's file name, type and whether it is demo data; a Swedish StoreError when there is no such
        batch or it is undone already."""
        found = con.execute("SELECT undone_at, file_name, activity_type, is_demo FROM import_batches WHERE id = ?",
                            [batch_id]).fetchone()
        if found is None:
            raise StoreError(f"Det finns ingen importomgång {batch_id}.")
        if found[0] is not None:
            raise StoreError(f"Importomgång {batch_id} är redan ångrad.")
        return dict(zip(("file_name", "activity_type", "is_demo"), found[1:]))

    @classmethod
    def undo_in(cls, con: duckdb.DuckDBPyConnection, batch_id: int, undone_by: str) -> int:
        """Undo a live batch inside the caller's transaction (an undo, or a batch replaced by a corrected file);
        returns how many activities it took out."""
        cls.live_batch(con, batch_id)
        removed = con.execute("DELETE FROM activities WHERE batch_id = ?", [batch_id]).fetchone()[0]
        con.execute("DELETE FROM activity_days WHERE batch_id = ?", [batch_id])
        con.execute("UPDATE import_batches SET undone_at = current_timestamp, undone_by = ? WHERE id = ?",
                    [undone_by, batch_id])
        return removed

    def erase_deleted(self) -> None:
        """Overwrite what deleted or changed rows left in the database file (see erasure.py); after every
        deletion and every change of free text. The dashboard does it in the background."""
        erase_soon(self.path.resolve(), self._erase)

    def _erase(self) -> None:
        with _WRITES, self.connect() as con:  # no write of this process between the rewrite and the filler
            erase(con)

    def remove_demo(self, removed_by: str) -> int:
        """Take every demo row, meeting and example agreement (with its commitments and targets) out; the
        demo batches stay in the history marked as undone."""
        with self.transaction() as con:
            removed = con.execute(
                "DELETE FROM activities WHERE batch_id IN (SELECT id FROM import_batches WHERE is_demo)"
            ).fetchone()[0]
            con.execute("DELETE FROM activity_days WHERE batch_id IN (SELECT id FROM import_batches WHERE is_demo)")
            con.execute(
                "UPDATE import_batches SET undone_at = current_timestamp, undone_by = ?"
                " WHERE is_demo AND undone_at IS NULL",
                [removed_by],
            )
            demo_meetings = "(SELECT id FROM meetings WHERE is_demo)"
            con.execute(f"DELETE FROM meeting_comments WHERE meeting_id IN {demo_meetings}")
            con.execute(f"DELETE FROM follow_ups WHERE raised_at IN {demo_meetings}")
            con.execute(f"UPDATE follow_ups SET due_meeting = NULL WHERE due_meeting IN {demo_meetings}")
            con.execute(f"DELETE FROM meeting_snapshots WHERE meeting_id IN {demo_meetings}")
            con.execute("DELETE FROM meetings WHERE is_demo")
            examples = [r[0] for r in con.execute("SELECT id FROM agreements WHERE is_example").fetchall()]
            if examples:
                agreement_store.delete_agreements(con, examples)
        self.erase_deleted()
        return removed

    def add_targets(self, rows: list[dict]) -> None:
        """Insert targets as they are (the demo's example agreement); a council's targets go through
        replace_target, which keeps the history."""
        with self.transaction() as con:
            self._insert_targets(con, rows)

    @classmethod
    def _insert_targets(cls, con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
        """Target rows (as targets.to_row gives them) inserted inside the caller's transaction."""
        con.executemany(f"INSERT INTO targets ({', '.join(cls.TARGET_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(cls.TARGET_COLUMNS))})",
                        [[row[c] for c in cls.TARGET_COLUMNS] for row in rows])

    # --- targets -----------------------------------------------------------

    TARGET_COLUMNS = ("agreement_id", "indicator_id", "grain", "value", "direction", "season_weights", "valid_from", "valid_to",
                      "baseline_year", "increase_pct", "origin", "is_example")

    def target_rows(self) -> list[dict]:
        return self._dicts(f"SELECT id, {', '.join(self.TARGET_COLUMNS)} FROM targets ORDER BY indicator_id, valid_from")

    def seed_targets(self, rows: list[dict]) -> bool:
        """Insert the default targets into an empty targets table; False when targets already exist.

        Targets already there are found with a read, so a seeded store is never written to."""
        if not rows:
            return False
        with self.connect() as con:
            if con.execute("SELECT count(*) FROM targets").fetchone()[0]:
                return False
        with self.transaction() as con:
            if con.execute("SELECT count(*) FROM targets").fetchone()[0]:
                return False
            self._insert_targets(con, rows)
            return True

    def replace_target(self, row: dict, changed_by: str, old_text: str | None, new_text: str, *,
                       indicator_title: str, today: dt.date | None = None, reason: str | None = None) -> None:
        """A new target for an indicator of an agreement from row['valid_from']: that agreement's earlier
        targets for it end the day before, later ones are superseded, and the change is written to the history.

        A target changes from `today` (config.today() when None) onward. A valid_from before today rewrites
        days already passed: that is a correction and needs a `reason`, kept in the history; without one it
        is refused with a Swedish StoreError naming the form field, and nothing changes."""
        from trygghet.config import today as config_today

        today = today or config_today()
        check_text("Motivering till rättelsen", reason)
        if row["valid_from"] < today and not reason:
            raise StoreError(
                f"Fältet ”Gäller från” ({row['valid_from'].isoformat()}) ligger före i dag ({today.isoformat()}): "
                f"målet för {indicator_title} har redan gällt de dagarna. Ett mål ändras från i dag och framåt. "
                "Att ändra passerade dagar är en rättelse: en administratör kryssar i ”Rättelse” och skriver varför.")
        day_before = row["valid_from"] - dt.timedelta(days=1)
        scope = "indicator_id = ? AND agreement_id IS NOT DISTINCT FROM ?"
        with self.transaction() as con:
            con.execute(f"DELETE FROM targets WHERE {scope} AND valid_from >= ?",
                        [row["indicator_id"], row["agreement_id"], row["valid_from"]])
            con.execute(f"UPDATE targets SET valid_to = ? WHERE {scope} AND (valid_to IS NULL OR valid_to >= ?)",
                        [day_before, row["indicator_id"], row["agreement_id"], row["valid_from"]])
            self._insert_targets(con, [row])
            con.execute(
                "INSERT INTO target_changes (indicator_id, agreement_id, changed_by, old_target, new_target, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [row["indicator_id"], row["agreement_id"], changed_by, old_text, new_text, reason],
            )

    def target_changes(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM target_changes ORDER BY changed_at DESC, id DESC")

    # --- meetings: calendar, comments, follow-up points, locked figures -------------------

    def meeting_rows(self) -> list[dict]:
        return self._dicts("SELECT id, meeting_date, title, note, is_demo FROM meetings ORDER BY meeting_date")

    def save_meeting(self, meeting_id: int | None, day: dt.date, title: str, note: str | None, *, by: str) -> int:
        """Add a meeting (meeting_id None) or change one; the date is unique.

        `by` is who did it (the signed-in user, or config.LOCAL_OPERATOR): recorded with the time as
        created_by/created_at, or changed_by/changed_at when a saved change differs from what was there."""
        check_text("Rubrik", title)
        check_text("Anteckning", note)
        with self.transaction() as con:
            clash = con.execute("SELECT id FROM meetings WHERE meeting_date = ? AND id IS DISTINCT FROM ?",
                                [day, meeting_id]).fetchone()
            if clash:
                raise StoreError(f"Det finns redan ett möte {day.isoformat()}.")
            if meeting_id is None:
                return con.execute("INSERT INTO meetings (meeting_date, title, note, created_at, created_by)"
                                   " VALUES (?, ?, ?, current_timestamp, ?) RETURNING id",
                                   [day, title, note, by]).fetchone()[0]
            changed = con.execute(
                "UPDATE meetings SET meeting_date = $day, title = $title, note = $note, is_demo = FALSE,"
                " changed_at = current_timestamp, changed_by = $by WHERE id = $id"
                " AND (meeting_date, title, note, is_demo) IS DISTINCT FROM ($day, $title, $note, FALSE)",
                {"day": day, "title": title, "note": note, "by": by, "id": meeting_id}).fetchone()[0]
        if changed:
            self.erase_deleted()  # the old title and note leave the file
        return meeting_id

    def meeting_authors(self) -> dict[int, dict]:
        """Per meeting id: who added it and when, and who last changed it and when (None where not known)."""
        with self.connect() as con:
            return {row[0]: dict(zip(("created_at", "created_by", "changed_at", "changed_by"), row[1:]))
                    for row in con.execute("SELECT id, created_at, created_by, changed_at, changed_by FROM meetings")
                    .fetchall()}

    def add_comment(self, meeting_id: int, commitment_id: str, text: str, written_by: str) -> None:
        check_text("Kommentar", text)
        with self.transaction() as con:
            con.execute("INSERT INTO meeting_comments (meeting_id, commitment_id, text, written_by) VALUES (?, ?, ?, ?)",
                        [meeting_id, commitment_id, text, written_by])

    def comments(self, meeting_ids: list[int]) -> list[dict]:
        """Comments written for the given meetings, oldest first."""
        return self._dicts(
            "SELECT c.id, c.meeting_id, m.meeting_date, c.commitment_id, c.text, c.written_by, c.written_at"
            " FROM meeting_comments c JOIN meetings m ON m.id = c.meeting_id"
            " WHERE list_contains(?, c.meeting_id) ORDER BY c.written_at, c.id", [meeting_ids])

    def add_follow_up(self, raised_at: int, due_meeting: int | None, text: str, responsible: str,
                      written_by: str) -> None:
        check_text("Vad ska göras?", text)
        with self.transaction() as con:
            con.execute("INSERT INTO follow_ups (raised_at, due_meeting, text, responsible, written_by)"
                        " VALUES (?, ?, ?, ?, ?)", [raised_at, due_meeting, text, responsible, written_by])

    def set_follow_up_done(self, follow_up_id: int, done: bool, by: str) -> None:
        with self.transaction() as con:
            con.execute("UPDATE follow_ups SET done_at = CASE WHEN ? THEN current_timestamp END,"
                        " done_by = CASE WHEN ? THEN ? END WHERE id = ?", [done, done, by, follow_up_id])

    def follow_ups(self) -> list[dict]:
        """Every follow-up point with the dates of the meetings it was raised at and is due by."""
        return self._dicts(
            "SELECT f.id, f.text, f.responsible, f.written_by, f.written_at, f.done_at, f.done_by,"
            " r.id AS raised_id, r.meeting_date AS raised_date, d.id AS due_id, d.meeting_date AS due_date"
            " FROM follow_ups f JOIN meetings r ON r.id = f.raised_at LEFT JOIN meetings d ON d.id = f.due_meeting"
            " ORDER BY r.meeting_date, f.id")

    def lock_meeting(self, meeting_id: int, figures_json: str, locked_by: str) -> None:
        """Store the figures shown at a meeting; a meeting is locked once."""
        with self.transaction() as con:
            if con.execute("SELECT 1 FROM meeting_snapshots WHERE meeting_id = ?", [meeting_id]).fetchone():
                raise StoreError("Siffrorna för mötet är redan låsta.")
            con.execute("INSERT INTO meeting_snapshots (meeting_id, locked_by, figures) VALUES (?, ?, ?)",
                        [meeting_id, locked_by, figures_json])

    def snapshot(self, meeting_id: int) -> tuple[str, dt.datetime, str] | None:
        """(figures JSON, locked at, locked by) of a locked meeting."""
        with self.connect() as con:
            return con.execute("SELECT figures, locked_at, locked_by FROM meeting_snapshots WHERE meeting_id = ?",
                               [meeting_id]).fetchone()

    def locked_meeting_ids(self) -> set[int]:
        """The meetings whose figures were locked: presented to the council as the minutes keep them."""
        with self.connect() as con:
            return {row[0] for row in con.execute("SELECT meeting_id FROM meeting_snapshots").fetchall()}

    def written_follow_up(self, agreement_id: str, year: int) -> dict | None:
        rows = self._dicts("SELECT produced_on, diarienummer, entered_by, entered_at FROM written_follow_ups"
                           " WHERE agreement_id = ? AND year = ?", [agreement_id, year])
        return rows[0] if rows else None

    def save_written_follow_up(self, agreement_id: str, year: int, produced_on: dt.date, diarienummer: str,
                               by: str) -> None:
        """Record (or correct) that the year's written follow-up was produced, with its diarienummer."""
        check_text("Diarienummer", diarienummer)
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO written_follow_ups (agreement_id, year, produced_on, diarienummer,"
                        " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, current_timestamp)",
                        [agreement_id, year, produced_on, diarienummer, by])

    # --- exploration ---
    # The self-service pages read with a trygghet.exploration.model.Selection. Every value in it is a bound
    # parameter; the only SQL text that varies is picked from the fixed dictionaries below.

    EXPLORE_WHERE = """list_contains($types, activity_type)
        AND ($areas IS NULL OR list_contains($areas, area_code))
        AND ($organisations IS NULL OR list_contains($organisations, organisation))
        AND ($control_kinds IS NULL OR list_contains($control_kinds, control_kind))
        AND ($risk_place IS NULL OR risk_place = $risk_place)
        AND ($topics IS NULL OR list_has_any(topics, $topics))
        AND ($audiences IS NULL OR list_has_any(audiences, $audiences))"""
    EXPLORE_GROUPS = {
        "week": "CAST(date_trunc('week', day) AS DATE)",
        "month": "CAST(date_trunc('month', day) AS DATE)",
        "activity_type": "activity_type",
        "area_code": "area_code",
        "topic": "topic",
        "audience": "audience",
    }
    EXPLORE_UNNEST = {"topic": ", unnest(topics) AS topic", "audience": ", unnest(audiences) AS audience"}
    # Float dust is rounded away (DUST_DIGITS), as in the indicator compiler.
    EXPLORE_SUMS = ", ".join(f"round(coalesce(sum({m}), 0), {DUST_DIGITS}) AS {m}" for m in DAY_MEASURES) + (
        f", round(coalesce(sum(duration_min), 0) / 60, {DUST_DIGITS}) AS hours"
        f", round(coalesce(sum(staff_minutes), 0) / 60, {DUST_DIGITS}) AS staff_hours"
        f", round(coalesce(sum(staff_minutes), 0), {DUST_DIGITS}) AS staff_minutes")

    @staticmethod
    def _explore_params(sel) -> dict:
        return {"types": list(sel.types), "start": sel.start, "end": sel.end,
                "areas": list(sel.areas) or None, "organisations": list(sel.organisations) or None,
                "control_kinds": list(sel.control_kinds) or None, "risk_place": sel.risk_place,
                "topics": list(sel.topics) or None, "audiences": list(sel.audiences) or None}

    def explore_sums(self, sel, by: tuple[str, ...] = ()) -> pd.DataFrame:
        """Every measure summed over the selection, grouped by `by` (keys of EXPLORE_GROUPS).

        Reads activity_days, like the indicator engine: a summary row counts with the share
        of its days that falls in the window. Grouping by topic or audience counts an
        activity under each of its topics or audiences."""
        unknown = [g for g in by if g not in self.EXPLORE_GROUPS]
        if unknown or len([g for g in by if g in self.EXPLORE_UNNEST]) > 1:
            raise ValueError(f"cannot group activities by {by}")
        unnest = "".join(self.EXPLORE_UNNEST.get(g, "") for g in by)
        keys = "".join(f"{self.EXPLORE_GROUPS[g]} AS {g}, " for g in by)
        grouped = f" GROUP BY {', '.join(by)} ORDER BY {', '.join(by)}" if by else ""
        sql = (f"SELECT {keys}{self.EXPLORE_SUMS} FROM (SELECT *{unnest} FROM activity_days"
               f" WHERE day BETWEEN $start AND $end AND {self.EXPLORE_WHERE}){grouped}")
        return self._explore_frame(sql, sel)

    def _explore_frame(self, sql: str, sel, **extra) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, self._explore_params(sel) | extra).df()

    EXPLORE_COLUMNS = ("id", *ACTIVITY_COLUMNS, "batch_id")

    def explore_activities(self, sel, limit: int | None = None, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The logged rows behind a selection, newest first, with their import batch's file name.

        A row counts when its dates meet the window, so a summary row cut by the window is
        listed whole (the figures take only its share). `columns` (of EXPLORE_COLUMNS, all
        when None) keeps the read to what a page shows."""
        wanted = self.EXPLORE_COLUMNS if columns is None else tuple(c for c in columns if c != "file_name")
        if not set(wanted) <= set(self.EXPLORE_COLUMNS):
            raise ValueError(f"unknown activity columns: {sorted(set(wanted) - set(self.EXPLORE_COLUMNS))}")
        columns = ", ".join(f"a.{c}" for c in wanted)
        sql = (f"SELECT {columns}, b.file_name FROM (SELECT * FROM activities WHERE date_to >= $start"
               f" AND date_from <= $end AND {self.EXPLORE_WHERE} ORDER BY date_from DESC, id DESC LIMIT $limit) a"
               " JOIN import_batches b ON b.id = a.batch_id ORDER BY a.date_from DESC, a.id DESC")
        return self._explore_frame(sql, sel, limit=limit)

    def explore_row_count(self, sel) -> int:
        """How many logged rows explore_activities would return without a limit."""
        with self.connect() as con:
            return con.execute(f"SELECT count(*) FROM activities WHERE date_to >= $start AND date_from <= $end"
                               f" AND {self.EXPLORE_WHERE}", self._explore_params(sel)).fetchone()[0]

    def explore_weekday_hours(self, sel) -> pd.DataFrame:
        """Activities per ISO weekday (1 = Monday) and starting hour; hour is NULL for rows without a start time.

        Only single-day rows have a start time, so the day is date_from."""
        sql = (f"SELECT isodow(date_from) AS weekday, hour(start_time) AS hour, sum(activity_count) AS activities"
               f" FROM activities WHERE date_from BETWEEN $start AND $end AND {self.EXPLORE_WHERE}"
               " GROUP BY ALL ORDER BY weekday, hour")
        return self._explore_frame(sql, sel)

    # --- sign-in ----------------------------------------------------------------------------

    def sign_in_salt(self) -> bytes:
        """This database's salt for the names of failed sign-ins, made at the first use (migration 014)."""
        with self.connect() as con:
            found = con.execute("SELECT salt FROM sign_in_salt").fetchone()
            if found is None:
                with self.write(con, figures=False):
                    con.execute("INSERT INTO sign_in_salt SELECT ? WHERE NOT EXISTS (FROM sign_in_salt)",
                                [secrets.token_hex(32)])
                found = con.execute("SELECT salt FROM sign_in_salt").fetchone()
        return bytes.fromhex(found[0])

    def claim_sign_in_attempt(self, name_hash: str, at: dt.datetime, since: dt.datetime, limit: int) -> int | None:
        """Count an attempt for the name before its password is checked, unless `limit` attempts are already
        counted since `since`: count and write in one serialised transaction, so parallel attempts cannot all
        see a count below the limit. The number counted before this one, or None when the name is locked.
        A right password then clears them (`clear_sign_in_failures`); a wrong one leaves this one counted."""
        with self.connect() as con, self.write(con, figures=False):
            earlier = con.execute("SELECT count(*) FROM sign_in_failures WHERE name_hash = ? AND failed_at >= ?",
                                  [name_hash, since]).fetchone()[0]
            if earlier >= limit:
                return None
            con.execute("INSERT INTO sign_in_failures VALUES (?, ?)", [name_hash, at])
            return earlier

    def clear_sign_in_failures(self, name_hash: str) -> None:
        with self.connect() as con, self.write(con, figures=False):
            con.execute("DELETE FROM sign_in_failures WHERE name_hash = ?", [name_hash])

    def last_update(self) -> dt.date | None:
        """The day the figures last changed: the latest import or undo still in force."""
        with self.connect() as con:
            moment = con.execute("SELECT max(greatest(imported_at, coalesce(undone_at, imported_at)))"
                                 " FROM import_batches").fetchone()[0]
        return None if moment is None else moment.astimezone(STOCKHOLM).date()

    # --- reports ---

    def report_batches(self, start: dt.date, end: dt.date) -> list[dict]:
        """Live import batches with activities in [start, end], oldest first: the data sources a written
        follow-up names, with how many of each batch's rows fall in the period."""
        return self._dicts(
            "SELECT b.id, b.file_name, b.imported_at, b.is_demo, b.rows_added, b.rows_skipped, b.rows_rejected,"
            " count(*) AS rows_in_period, min(a.date_from) AS first_day, max(a.date_to) AS last_day"
            " FROM import_batches b JOIN activities a ON a.batch_id = b.id"
            " WHERE b.undone_at IS NULL AND a.date_to >= ? AND a.date_from <= ?"
            " GROUP BY ALL ORDER BY b.imported_at, b.id", [start, end])

    # --- administration ---------------------------------------------------------------------

    def save_areas(self, rows: list[dict], by: str) -> None:
        """Replace the names, central flags and active flags of the areas, and add new ones; all or nothing.
        Codes never change (activities refer to them); an area in use is deactivated, never deleted.

        Every area added or changed is written to area_changes with the values before and after, and
        `by` (the signed-in user, or config.LOCAL_OPERATOR). Rows that change nothing are left alone and
        not logged."""
        with self.transaction() as con:
            before = {r[0]: r[1:] for r in con.execute("SELECT code, name, is_central, active FROM areas").fetchall()}
            for row in rows:
                after = (row["name"], bool(row["is_central"]), bool(row["active"]))
                old = before.get(row["code"])
                if old == after:
                    continue
                con.execute(
                    "INSERT INTO areas (code, name, is_central, active) VALUES (?, ?, ?, ?) ON CONFLICT (code)"
                    " DO UPDATE SET name = excluded.name, is_central = excluded.is_central, active = excluded.active",
                    [row["code"], *after])
                con.execute(
                    "INSERT INTO area_changes (changed_by, code, old_name, old_is_central, old_active, name,"
                    " is_central, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [by, row["code"], *(old or (None, None, None)), *after])

    def area_changes(self, limit: int = 20) -> pd.DataFrame:
        """The latest changes of the areas, newest first."""
        return self._frame("SELECT * FROM area_changes ORDER BY changed_at DESC, id DESC LIMIT ?", [limit])

    @staticmethod
    def record_account_change(con: duckdb.DuckDBPyConnection, changed_by: str, account: str, action: str,
                              old_role: str | None = None, new_role: str | None = None) -> None:
        """Log that a local account was added, removed or given another role (action 'added', 'removed'
        or 'role'), inside the caller's transaction. Only names and roles: never a password or hash."""
        con.execute("INSERT INTO account_changes (changed_by, account, action, old_role, new_role)"
                    " VALUES (?, ?, ?, ?, ?)", [changed_by, account, action, old_role, new_role])

    def account_changes(self, limit: int = 20) -> pd.DataFrame:
        """The latest changes of local accounts, newest first."""
        return self._frame("SELECT * FROM account_changes ORDER BY changed_at DESC, id DESC LIMIT ?", [limit])


# Python steps of a migration, run in its transaction after its SQL.
AFTER_MIGRATION = {13: Store._rekey_free_text}
