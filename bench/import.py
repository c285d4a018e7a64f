"""Upload speed: validate + import against DuckDB's own read_csv (the floor) and row-by-row pandas + pydantic.

    .venv/bin/python bench/import.py                 # 100 000 and 1 000 000 rows
    .venv/bin/python bench/import.py --rows 100000   # one size

Each measurement runs in a fresh process, so its peak memory (max RSS) is its own.
The file is a foot-patrol log as police systems export it: `;`, decimal comma, Swedish
headers, an external id per row. Reach (issue 4): 1 M rows validated and imported in
at most 2x DuckDB's read_csv time, at least 10x faster than row-by-row pydantic, peak
memory at most 1 GB. The import's time runs until the database file is closed, as the
command's does; so does a fourth line, the same read_csv kept in a database file, which
shows what storing the rows durably costs before any check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ("Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;"
          "Id i källsystemet;Kommentar")


def write_file(path: Path, rows: int) -> None:
    """A clean log of `rows` foot patrols, written by DuckDB (seconds, not minutes)."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT strftime(DATE '2023-01-01' + CAST(i % 730 AS INTEGER), '%Y-%m-%d') AS a,"
            " lpad(CAST(16 + i % 6 AS VARCHAR), 2, '0') || ':' || CASE WHEN i % 2 = 0 THEN '00' ELSE '30' END AS b,"
            " replace(CAST(1 + (i % 5) * 0.5 AS VARCHAR), '.', ',') AS c,"
            " ['Timrå centrum', 'Vivsta', 'Åkroken', 'Sörberge', 'Bergeforsen'][1 + i % 5] AS d,"
            " CASE WHEN i % 3 = 0 THEN 'Köpcentrum' END AS e,"
            " CASE WHEN i % 4 = 0 THEN 'samverkan' ELSE 'Polisen' END AS f,"
            " 2 + i % 3 AS g, i % 9 AS h, 'P-' || i AS j,"
            " CASE WHEN i % 7 = 0 THEN 'Lugnt i området.' END AS k"
            f" FROM range({rows}) t(i)) TO '{path}' (HEADER false, DELIMITER ';')")
    body = path.read_bytes()
    path.write_bytes((HEADER + "\n").encode() + body)


def _validate_import(path: Path) -> dict:
    from trygghet.bootstrap import prepare_store
    from trygghet.importing.pipeline import import_file

    with tempfile.TemporaryDirectory() as tmp:
        store = prepare_store(Path(tmp) / "bench.duckdb")
        data = path.read_bytes()
        start = time.perf_counter()
        result = import_file(store, path.name, data, imported_by="bench")
        seconds = time.perf_counter() - start
        assert result.batch_id is not None and result.new == store.activity_count(), result.summary()
    return {"seconds": seconds}


def _duckdb_read(path: Path) -> dict:
    import duckdb

    with duckdb.connect() as con:
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
        seconds = time.perf_counter() - start
    return {"seconds": seconds}


def _duckdb_read_to_file(path: Path) -> dict:
    """The same read, kept in a database file until it is closed: what any durable import pays at least."""
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with duckdb.connect(str(Path(tmp) / "floor.duckdb")) as con:
            con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
        seconds = time.perf_counter() - start
    return {"seconds": seconds}


def _pydantic_rows(path: Path) -> dict:
    """The usual approach: pandas reads text, one pydantic model per row."""
    import pandas as pd
    from pydantic import BaseModel, ValidationError, field_validator

    class Row(BaseModel):
        datum: dt.date
        starttid: dt.time | None
        timmar: float | None
        omrade: str
        plats: str | None
        organisation: str
        personal: int | None
        kontakter: int | None
        id: str | None
        kommentar: str | None

        @field_validator("timmar", mode="before")
        @classmethod
        def decimal_comma(cls, value):
            return value.replace(",", ".") if isinstance(value, str) else value

    names = list(Row.model_fields)
    start = time.perf_counter()
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig", header=0, names=names)
    errors = 0
    for record in frame.to_dict("records"):
        try:
            Row(**{k: (v or None) for k, v in record.items()})
        except ValidationError:
            errors += 1
    seconds = time.perf_counter() - start
    assert errors == 0
    return {"seconds": seconds}


MODES = {"import": _validate_import, "duckdb": _duckdb_read, "duckdb_file": _duckdb_read_to_file,
         "pydantic": _pydantic_rows}
LABELS = {"import": "validera + importera (trygghet)", "duckdb": "DuckDB read_csv (golvet)",
          "duckdb_file": "DuckDB read_csv till databasfil",
          "pydantic": "pandas + pydantic rad för rad"}


def _measure(mode: str, path: Path) -> dict:
    answer = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                            check=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per file (repeatable)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path = args.child
        result = MODES[mode](Path(path))
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    from trygghet.formatting import format_number

    for rows in args.rows or [100_000, 1_000_000]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"fotpatruller-{rows}.csv"
            write_file(path, rows)
            size = path.stat().st_size / 1e6
            print(f"\n{format_number(rows)} rader, {format_number(size, 1)} MB CSV")
            print(f"  {'':34} {'sekunder':>9} {'rader/s':>12} {'topp-RSS MB':>12}")
            results = {mode: _measure(mode, path) for mode in MODES}
            for mode, r in results.items():
                print(f"  {LABELS[mode]:34} {format_number(r['seconds'], 2):>9} "
                      f"{format_number(rows / r['seconds']):>12} {format_number(r['peak_mb']):>12}")
            ours, floor, usual = (results[m]["seconds"] for m in ("import", "duckdb", "pydantic"))
            print(f"  validera + importera / read_csv: {format_number(ours / floor, 1)}×  (mål ≤ 2×)")
            print(f"  pydantic rad för rad / validera + importera: {format_number(usual / ours, 1)}×  (mål ≥ 10×)")
            durable = results["duckdb_file"]["seconds"]
            print(f"  read_csv till databasfil / read_csv: {format_number(durable / floor, 1)}×  "
                  "(vad en import som sparas varaktigt kostar minst, utan någon kontroll)")


if __name__ == "__main__":
    main()
