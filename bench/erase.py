"""Undo with erasure: what overwriting deleted text in the database file costs (trygghet/store/erasure.py).

    .venv/bin/python bench/erase.py                  # demo databases of 100 000 and 1 000 000 rows
    .venv/bin/python bench/erase.py --rows 100000    # one size

On a copy of a cached demo database, one batch of 10 000 foot patrols is imported and undone. Printed: the
undo's delete alone (the floor: what undo cost before it erased), the undo as the command line does it (delete,
rewrite of every table, checkpoint, filler over every free block), the click in the dashboard (the delete; the
erase follows in a thread of its own, and the text is checked after it), and the usual alternative of copying the whole
database into a fresh file (`COPY FROM DATABASE`), which also leaves nothing behind but needs every other
connection closed. Each figure is the median of three runs; whether the undone text is still in the file
is checked after each.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import demo_database  # noqa: E402
from tests.factories import activity, add_rows  # noqa: E402
from trygghet.auth import OPERATOR  # noqa: E402
from trygghet.bootstrap import prepare_store  # noqa: E402
from trygghet.store import erasure  # noqa: E402

MARKER = "Zebrafinkar"
BATCH = 10_000


def _prepared(source: Path, folder: Path):
    path = folder / "bench.duckdb"
    shutil.copy(source, path)
    store = prepare_store(path)
    batch = add_rows(
        store,
        [activity("foot_patrol", "2024-04-02", comment=f"{MARKER} {i}") for i in range(BATCH)],
        file_name="bench.csv",
    )
    return store, batch


def _run(source: Path, mode: str) -> tuple[float, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        store, batch = _prepared(source, Path(tmp))
        erasure.in_background(mode == "click")
        started = time.perf_counter()
        if mode in ("undo", "click"):
            store.undo_batch(batch, OPERATOR)
        else:
            with store.transaction() as con:
                con.execute("DELETE FROM activities WHERE batch_id = ?", [batch])
                con.execute("DELETE FROM activity_days WHERE batch_id = ?", [batch])
            if mode == "copy":
                fresh = Path(tmp) / "fresh.duckdb"
                with store.connect() as con:
                    con.execute(f"ATTACH '{fresh}' AS fresh")
                    con.execute("COPY FROM DATABASE bench TO fresh")
                    con.execute("DETACH fresh")
                fresh.replace(store.path)
        seconds = time.perf_counter() - started
        erasure.wait_erased(store.path.resolve())  # the click's erase, in the background, before the file is read
        return seconds, MARKER.encode() in store.path.read_bytes()


LABELS = {
    "delete": "bara DELETE (golvet, som förut)",
    "undo": "ångra med överskrivning (kommandoraden)",
    "click": "ångra i instrumentpanelen: klicket",
    "copy": "kopiera hela databasen till ny fil",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="demo rows in the database (repeatable)")
    args = parser.parse_args()
    for rows in args.rows or [100_000, 1_000_000]:
        source = demo_database(rows)
        print(f"{rows:,} demo rows, undo of {BATCH:,} rows ({source.stat().st_size / 1e6:.0f} MB file):")
        for mode in ("delete", "undo", "click", "copy"):
            runs = [_run(source, mode) for _ in range(3)]
            left = "texten finns kvar i filen" if any(kept for _, kept in runs) else "texten borta ur filen"
            print(f"  {LABELS[mode]:40s} {statistics.median(s for s, _ in runs):6.2f} s   {left}")


if __name__ == "__main__":
    main()
