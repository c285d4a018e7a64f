"""Deleted text leaves the database file, not only the tables.

DuckDB (2.0) does not overwrite what it deletes. A deleted row's text stays in the file in three places:
in its row group's min/max statistics (a prefix of the text) for as long as the row group lives, in data
blocks freed when a segment is rewritten, and in metadata blocks, which are shared: a metadata block of
an unchanged table goes on holding stale bytes of its neighbours. A free block keeps its old bytes until
it is used again. So after an undo or a delete has committed, `erase` rewrites every table (fresh row
groups, statistics and metadata), checkpoints, and has DuckDB write random filler into every block left
free, which it drops again: afterwards no block holds anything but live rows and filler. It costs about
what writing the database twice costs (seconds for a million activities) and only a deletion pays it.

The dashboard does not make the click wait for it (`in_background`): the deleting transaction has taken
the rows out of every figure already, and the erase follows in a thread of its own, one at a time per
file; a deletion while one runs asks for one more run after it. The command line erases before it ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb

FILLER_COLUMNS = 64
MAX_ROUNDS = 5


def _blocks(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """(block size, blocks in the file, free blocks) of the database."""
    size, total, free = con.execute(
        "SELECT block_size, total_blocks, free_blocks FROM pragma_database_size()"
        " WHERE database_name = current_database()"
    ).fetchall()[0]
    return int(size), int(total), int(free)


def _free_metadata(con: duckdb.DuckDBPyConnection) -> set[tuple[int, int]]:
    """(block, sub-block) of every free metadata sub-block."""
    return {
        (block, sub)
        for block, subs in con.execute("SELECT block_id, free_list FROM pragma_metadata_info()").fetchall()
        for sub in subs
    }


def _rewrite(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Every row of `table` (a name from the catalogue) again: no row group, statistics or metadata from
    before the deletion lives on."""
    con.execute(f'CREATE OR REPLACE TEMP TABLE erase_keep AS SELECT * FROM "{table}"')
    con.execute(f'DELETE FROM "{table}"')
    con.execute(f'INSERT INTO "{table}" SELECT * FROM erase_keep')
    con.execute("DROP TABLE erase_keep")


def erase(con: duckdb.DuckDBPyConnection) -> None:
    """Leave nothing of deleted rows readable in the file. Call it after the deleting transaction has
    committed, on a connection without an open transaction."""
    tables = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
            " ORDER BY table_name"
        ).fetchall()
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in tables:
            _rewrite(con, table)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")
    block_size, total, free = _blocks(con)
    metadata = _free_metadata(con)
    # Filler: random UUIDs, 16 bytes that no compression shrinks, and cheap to make (md5 of random text
    # took ten times as long). DuckDB takes free blocks before it grows the file, so once the file has
    # grown, every block that was free holds filler. Each small table of many columns adds metadata (about
    # four sub-blocks); a metadata sub-block that was free is written over once it is no longer free.
    columns = ", ".join(f"gen_random_uuid() AS c{i}" for i in range(FILLER_COLUMNS))
    fillers = 0
    try:
        for _ in range(MAX_ROUNDS):
            if not (free or metadata):
                break
            rows = (free + 1) * block_size // (16 * FILLER_COLUMNS) if free else 1
            for n in range(fillers, fillers + len(metadata) // 4 + 1):
                con.execute(f"CREATE TABLE erase_filler_{n} AS SELECT {columns} FROM range(?)", [rows])
                rows = 1
            fillers = n + 1
            con.execute("CHECKPOINT")
            if _blocks(con)[1] > total:
                free = 0
            metadata &= _free_metadata(con)
    finally:
        for n in range(fillers):
            con.execute(f"DROP TABLE IF EXISTS erase_filler_{n}")
        con.execute("CHECKPOINT")


_log = logging.getLogger("trygghet")
_background = False
_lock = threading.Lock()
_running: dict[Path, threading.Thread] = {}
_again: set[Path] = set()


def in_background(on: bool) -> None:
    """The dashboard's choice (trygghet.web.serve): erase in a thread rather than on the click."""
    global _background
    _background = on


def erase_soon(path: Path, run: Callable[[], None]) -> None:
    """Run `run` (the erase of `path`) now, or in the background when so chosen."""
    if not _background:
        run()
        return
    with _lock:
        if path in _running:
            _again.add(path)
            return
        # Not a daemon: a process that ends still finishes the erase first.
        thread = threading.Thread(target=_erase_until_done, args=(path, run), name=f"erase {path.name}")
        _running[path] = thread
        thread.start()


def _erase_until_done(path: Path, run: Callable[[], None]) -> None:
    while True:
        try:
            run()
        except Exception:  # the next deletion erases again; the operator learns of it
            _log.exception("erasing deleted text in %s failed", path)
        with _lock:
            if path not in _again:
                del _running[path]
                return
            _again.discard(path)


def wait_erased(path: Path) -> None:
    """Until no erase of `path` runs or is asked for (tests, and the benchmark's timing of it)."""
    while True:
        with _lock:
            thread = _running.get(path)
        if thread is None:
            return
        thread.join()
