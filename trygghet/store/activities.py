"""Activities and their import batches: insert a batch, find one by its file's hash, undo it, remove the demo data.

The importer stages the rows of a file on its connection under STAGED_ROWS and hands that name to
`insert_batch`, which reads it in the same transaction (the staged-rows contract below).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import pandas as pd

from trygghet.auth import User, may_remove_demo, may_replace, may_undo
from trygghet.formatting import STOCKHOLM
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.store import agreements as agreement_store
from trygghet.store.activity_days import add_days
from trygghet.store.connection import Connections, StoreError, _scalar
from trygghet.store.content_key import ACTIVITY_COLUMNS, content_key_sql, numbered_key_sql, with_text_key

# The staged-rows contract between the importer (trygghet.importing.pipeline) and `insert_batch`: the temp view or
# table of this name on the import's connection holds the rows to add, one per activity, with
#   row_no       the row's place in the file (unique; ids follow this order),
#   content_key  its key, numbered among identical rows (content_key.numbered_key_sql),
#   and the columns of ACTIVITY_COLUMNS (every one; a column the file lacks is NULL).
# Other columns (the importer's own bookkeeping) are ignored.
STAGED_ROWS = "import_new"


@dataclass(frozen=True)
class BatchInfo:
    file_name: str
    content_hash: str
    imported_by: str
    activity_type: str | None = None
    is_demo: bool = False
    rows_skipped: int = 0
    rows_rejected: int = 0
    replaces: int | None = None  # a batch undone in the same transaction: this one is its corrected file


class BatchMatch(NamedTuple):
    """A live batch imported from the same file content."""

    id: int
    imported_at: dt.datetime


@dataclass(frozen=True)
class LiveBatch:
    """What an undo or a replacing file needs to know of a live batch."""

    file_name: str
    activity_type: str | None
    is_demo: bool
    imported_by: str


@dataclass(frozen=True)
class BatchCount:
    """A batch in `Stats`: its activities (0 once undone)."""

    id: int
    file_name: str
    is_demo: bool
    undone: bool
    activities: int


@dataclass(frozen=True)
class Stats:
    """Counts of activities per type and per import batch, for operations and tests."""

    database: str
    schema_version: int
    activities: int
    per_type: dict[str, int]
    batches: list[BatchCount]


@dataclass(frozen=True)
class ReportBatch:
    """A data source of a written follow-up: a live batch with activities in the period."""

    id: int
    file_name: str
    imported_at: dt.datetime
    is_demo: bool
    rows_added: int
    rows_skipped: int
    rows_rejected: int
    rows_in_period: int
    first_day: dt.date
    last_day: dt.date


class Activities(Connections):
    """The activities, their import batches and activity_days."""

    def activity_count(self) -> int:
        with self.connect() as con:
            return int(_scalar(con, "SELECT count(*) FROM activities"))

    def has_demo_data(self) -> bool:
        with self.connect() as con:
            return bool(
                _scalar(con, "SELECT EXISTS (SELECT 1 FROM import_batches WHERE is_demo AND undone_at IS NULL)")
            )

    def last_activity_dates(self, until: dt.date) -> dict[str, dt.date]:
        """Latest logged day up to `until` per activity type: tells "not updated" apart from "behind"
        (as it stood that day, so a past meeting is judged by the data it had)."""
        with self.connect() as con:
            return dict(
                con.execute(
                    "SELECT activity_type, max(day) FROM activity_days WHERE day <= ? GROUP BY 1", [until]
                ).fetchall()
            )

    def first_logged_day(self) -> dt.date | None:
        """The first day any activity covers: before it, "the same period last year" has no data, not zero."""
        with self.connect() as con:
            day: dt.date | None = _scalar(con, "SELECT min(day) FROM activity_days")
            return day

    def last_update(self) -> dt.date | None:
        """The day the figures last changed: the latest import or undo still in force."""
        with self.connect() as con:
            moment: dt.datetime | None = _scalar(
                con, "SELECT max(greatest(imported_at, coalesce(undone_at, imported_at))) FROM import_batches"
            )
        return None if moment is None else moment.astimezone(STOCKHOLM).date()

    def batches(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM import_batches ORDER BY id DESC")

    def stats(self) -> Stats:
        """Counts of activities per type and per import batch, for operations and tests."""
        with self.connect() as con:
            per_type = dict(
                con.execute("SELECT activity_type, count(*) FROM activities GROUP BY 1 ORDER BY 1").fetchall()
            )
            batches = [
                BatchCount(b, f, d, u is not None, n)
                for b, f, d, u, n in con.execute(
                    "SELECT b.id, b.file_name, b.is_demo, b.undone_at, count(a.id) FROM import_batches b"
                    " LEFT JOIN activities a ON a.batch_id = b.id GROUP BY ALL ORDER BY b.id"
                ).fetchall()
            ]
            total = int(_scalar(con, "SELECT count(*) FROM activities"))
            version = int(_scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version"))
        return Stats(str(self.path), version, total, {code: per_type.get(code, 0) for code in ACTIVITY_TYPES}, batches)

    def report_batches(self, start: dt.date, end: dt.date) -> list[ReportBatch]:
        """Live import batches with activities in [start, end], oldest first: the data sources a written
        follow-up names, with how many of each batch's rows fall in the period."""
        with self.connect() as con:
            return [
                ReportBatch(*row)
                for row in con.execute(
                    "SELECT b.id, b.file_name, b.imported_at, b.is_demo, b.rows_added, b.rows_skipped, b.rows_rejected,"
                    " count(*) AS rows_in_period, min(a.date_from) AS first_day, max(a.date_to) AS last_day"
                    " FROM import_batches b JOIN activities a ON a.batch_id = b.id"
                    " WHERE b.undone_at IS NULL AND a.date_to >= ? AND a.date_from <= ?"
                    " GROUP BY ALL ORDER BY b.imported_at, b.id",
                    [start, end],
                ).fetchall()
            ]

    def insert_batch(self, con: duckdb.DuckDBPyConnection, batch: BatchInfo, rows: pd.DataFrame | str) -> int:
        """Record a batch and insert its activity rows, inside the caller's transaction.

        `rows` is a DataFrame (keyed here), or STAGED_ROWS: the rows the importer staged on `con`."""
        batch_id = int(
            _scalar(
                con,
                "INSERT INTO import_batches (file_name, content_hash, activity_type, is_demo, imported_by,"
                " rows_skipped, rows_rejected, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    batch.file_name,
                    batch.content_hash,
                    batch.activity_type,
                    batch.is_demo,
                    batch.imported_by,
                    batch.rows_skipped,
                    batch.rows_rejected,
                    batch.replaces,
                ],
            )
        )
        if isinstance(rows, pd.DataFrame):
            con.register("incoming_rows", rows)
            source, present = "incoming_rows", set(rows.columns)
        elif rows == STAGED_ROWS:
            source = rows
            present = {r[0] for r in con.execute(f"DESCRIBE {source}").fetchall()}
        else:
            raise ValueError(f"insert_batch reads a DataFrame or {STAGED_ROWS}, not {rows!r}")
        select = ", ".join(f"{source}.{c}" if c in present else f"NULL AS {c}" for c in ACTIVITY_COLUMNS)
        # The importer has computed each row's content key already (it finds duplicates with it), and
        # numbered its rows: ids follow on from the highest ever given, in one go (see migration 006).
        has_key = "content_key" in present
        number = f"{source}.row_no" if "row_no" in present else "row_number() OVER ()"
        inner = f"SELECT {number} AS n, {select}{f', {source}.content_key' if has_key else ''} FROM {source}"
        if not has_key:
            inner = (
                f"SELECT *, {numbered_key_sql('base', 'row_number() OVER (PARTITION BY base ORDER BY n)')}"
                f" AS content_key FROM (SELECT *, {content_key_sql()} AS base FROM ({inner}))"
            )
        last_id = _scalar(con, "SELECT last_id FROM activity_id_counter")
        with_text_key(con).execute(
            f"INSERT INTO activities (id, batch_id, content_key, {', '.join(ACTIVITY_COLUMNS)})"
            f" SELECT ? + n, ?, content_key, {', '.join(ACTIVITY_COLUMNS)} FROM ({inner})",
            [last_id, batch_id],
        )
        con.execute(
            "UPDATE activity_id_counter SET last_id = greatest(last_id,"
            " (SELECT coalesce(max(id), 0) FROM activities WHERE batch_id = ?))",
            [batch_id],
        )
        if source == "incoming_rows":  # on failure the aborted transaction takes the view with it
            con.unregister("incoming_rows")
        con.execute(
            "UPDATE import_batches SET rows_added = (SELECT count(*) FROM activities WHERE batch_id = ?) WHERE id = ?",
            [batch_id, batch_id],
        )
        add_days(con, [batch_id])
        return batch_id

    @staticmethod
    def find_batch_by_hash(con: duckdb.DuckDBPyConnection, content_hash: str) -> BatchMatch | None:
        """The live batch with this file content, if any."""
        found = con.execute(
            "SELECT id, imported_at FROM import_batches WHERE content_hash = ? AND undone_at IS NULL ORDER BY id LIMIT 1",
            [content_hash],
        ).fetchone()
        return None if found is None else BatchMatch(*found)

    def undo_batch(self, batch_id: int, user: User) -> int:
        """Take a batch's rows out of every figure; the batch stays in the history, marked as undone."""
        with self.transaction() as con:
            removed = self.undo_in(con, batch_id, user)
        self.erase_deleted()
        return removed

    @staticmethod
    def live_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> LiveBatch:
        """The batch's file name, type and whether it is demo data; a Swedish StoreError when there is no such
        batch or it is undone already."""
        found = con.execute(
            "SELECT undone_at, file_name, activity_type, is_demo, imported_by FROM import_batches WHERE id = ?",
            [batch_id],
        ).fetchone()
        if found is None:
            raise StoreError(f"Det finns ingen importomgång {batch_id}.")
        if found[0] is not None:
            raise StoreError(f"Importomgång {batch_id} är redan ångrad.")
        return LiveBatch(*found[1:])

    @classmethod
    def undo_in(cls, con: duckdb.DuckDBPyConnection, batch_id: int, user: User, *, replacing: bool = False) -> int:
        """Undo a live batch inside the caller's transaction (an undo, or with `replacing` a batch replaced by a
        corrected file), refused unless auth allows `user` to; returns how many activities it took out."""
        (may_replace if replacing else may_undo)(user, cls.live_batch(con, batch_id).imported_by).check()
        undone_by = user.name
        removed = int(_scalar(con, "DELETE FROM activities WHERE batch_id = ?", [batch_id]))
        con.execute("DELETE FROM activity_days WHERE batch_id = ?", [batch_id])
        con.execute(
            "UPDATE import_batches SET undone_at = current_timestamp, undone_by = ? WHERE id = ?", [undone_by, batch_id]
        )
        return removed

    def remove_demo(self, user: User) -> int:
        """Take every demo row, meeting and example agreement (with its commitments and targets) out; the
        demo batches stay in the history marked as undone."""
        may_remove_demo(user).check()
        removed_by = user.name
        with self.transaction() as con:
            removed = int(
                _scalar(con, "DELETE FROM activities WHERE batch_id IN (SELECT id FROM import_batches WHERE is_demo)")
            )
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
