"""The schema: numbered migrations applied in order, and the reference data seeded once from the files."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb

from trygghet.reference.files import ReferenceData
from trygghet.store import agreements as agreement_store
from trygghet.store.activity_days import rebuild_days
from trygghet.store.connection import Connections, StoreHeld, _scalar
from trygghet.store.content_key import content_key_sql, numbered_key_sql, with_text_key


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every numbered file in trygghet/store/migrations, in order."""
    found = []
    for entry in resources.files("trygghet.store.migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _rekey_free_text(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 013: the rows whose free text changes under the normalisation get the key it gives, and
    rows of one batch that are now identical are numbered (see numbered_key_sql), a row that had the key
    already first. Before 013 no key was numbered, so every row in normal form keeps its key."""
    number = "row_number() OVER (PARTITION BY batch_id, base ORDER BY content_key = base DESC, id)"
    with_text_key(con).execute(
        f"UPDATE activities SET content_key = k.new_key FROM ("
        f" SELECT id, {numbered_key_sql('base', number)} AS new_key"
        f" FROM (SELECT id, batch_id, content_key, {content_key_sql()} AS base FROM activities)) k"
        f" WHERE activities.id = k.id AND activities.content_key <> k.new_key"
    )


# Python steps of a migration, run in its transaction after its SQL.
AFTER_MIGRATION: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {13: _rekey_free_text}


class Schema(Connections):
    """Migrations, the data version and the seeding of reference data."""

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
                    rebuild_days(con)
        return applied_now

    def schema_version(self) -> int:
        with self.connect() as con:
            return int(_scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version"))

    def data_version(self, *, wait: bool = True) -> int:
        """Changes with every write: the key that makes cached figures fresh at the next rerun. With
        `wait=False`, StoreHeld at once while another process holds the file (see `Connections.connect`)."""
        with self.connect(wait=wait) as con:
            return int(_scalar(con, "SELECT version FROM data_version"))

    def data_stamp(self, *, wait: bool = True) -> tuple[int, str]:
        """The data version and the token of the write that made it, in one use of the file. The token is new at
        every write (migration 016): a copy of the file keeps it until the copy is written, so figures computed
        for one copy are right for every copy with that token, while two copies written apart, whose versions
        both move to the same number, never share one."""
        with self.connect(wait=wait) as con:
            row = con.execute("SELECT * EXCLUDE (only_row) FROM data_version").fetchone()
        assert row is not None  # the table's one row, from migration 001
        version = int(row[0])
        # A file migrated only up to 015 has no token: its path and version stand for it, as they did before 016.
        return version, str(row[1]) if len(row) > 1 else f"{self.path.resolve()}@{version}"

    def unchanged_since(self, token: str) -> bool:
        """Whether the last write is still the one of `token` (a data_stamp's), asked without waiting: False while
        another process holds the file. What was read between the two holds the data of `token`."""
        try:
            return self.data_stamp(wait=False)[1] == token
        except StoreHeld:
            return False

    def needs_reference(self) -> bool:
        """Whether the reference files have yet to seed this database (then they are read at all)."""
        with self.connect() as con:
            return not agreement_store.is_seeded(con) or _scalar(con, "SELECT count(*) FROM areas") == 0

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
            if _scalar(con, "SELECT count(*) FROM areas") == 0:
                con.executemany(
                    "INSERT INTO areas (code, name, is_central) VALUES (?, ?, ?)",
                    [[a.code, a.name, a.is_central] for a in ref.areas],
                )
        return True
