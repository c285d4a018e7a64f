"""Hypothesis fuzzing of the upload: random bytes, random cells, cut files, generated workbooks (random sheets,
merged ranges, declared dimensions and formula cells).

Whatever arrives, the importer answers with a result (never an unhandled
exception) and the store changes all at once or not at all; reading a workbook costs memory by the
cells that hold data, not by what its sheets declare (measured in a fresh process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import DATA, GOOD, workbooks
from trygghet.config import PROJECT_ROOT
from trygghet.importing import pipeline
from trygghet.importing.cell_rules import all_fields
from trygghet.reference.activity_types import ACTIVITY_TYPES

# The example count and deadline come from the profile in tests/conftest.py; the store is shared by a test's examples.
pytestmark = pytest.mark.slow  # every example imports a file into a store

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
TYPES = sorted(ACTIVITY_TYPES)

# Cells that are nearly right, plainly wrong, or hostile.
CELL = st.one_of(
    st.sampled_from(
        [
            "2024-03-05",
            "5/3/2024",
            "2024-13-01",
            "45356",
            "18:30",
            "18.30",
            "25:61",
            "2,5",
            "-1",
            "0",
            "1 234",
            "ja",
            "nej",
            "kanske",
            "Timrå centrum",
            "timra centrum",
            "Vivsta",
            "Mordor",
            "polisen",
            "Timrå kommun",
            "alkohol, narkotika",
            "hastighet",
            "19800101-1234",
            "070-123 45 67",
            "ABC 123",
            "a@b.se",
            "",
            " ",
            '"',
            '""',
            ";",
            "\t",
            "\n",
            "'); DROP TABLE activities; --",
            "NULL",
            "nan",
            "inf",
            "1e9",
            "99999999999999999999",
        ]
    ),
    st.text(max_size=30),
)


def _import_and_check(store, name: str, data: bytes, activity_type: str | None = None) -> pipeline.Preview:
    before = (store.activity_count(), len(store.batches()), store.data_version())
    result = pipeline.import_file(store, name, data, activity_type, imported_by="fuzz")
    count, batches, version = store.activity_count(), len(store.batches()), store.data_version()
    if result.batch_id is None:
        assert (count, batches, version) == before
    else:
        assert result.problem_count == 0
        assert (count, batches) == (before[0] + result.new, before[1] + 1) and version > before[2]
    assert result.problem_count >= len(result.problems)
    return result


@FUZZ
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.csv", "x.txt", "x.xlsx"]))
@example(data=b"\n\x01", name="x.csv")  # an empty header row once reached DuckDB with no columns
def test_random_bytes_never_raise_and_never_half_write(tmp_store, data, name):
    _import_and_check(tmp_store, name, data)


@FUZZ
@given(
    code=st.sampled_from(TYPES),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    data=st.data(),
)
def test_random_cells_never_raise_and_never_half_write(tmp_store, code, separator, encoding, data):
    fields = all_fields(ACTIVITY_TYPES[code])
    headers = data.draw(
        st.lists(
            st.sampled_from([f.label for f in fields] + ["Aktivitetstyp", "Okänd"]),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(headers), max_size=len(headers)), max_size=6))
    text = "\n".join(separator.join(row) for row in [headers, *rows])
    raw = text.encode(encoding, errors="replace")
    _import_and_check(tmp_store, "celler.csv", raw, data.draw(st.sampled_from([None, code])))


@FUZZ
@given(name=st.sampled_from(sorted(GOOD)), cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_cut_files_never_raise_and_never_half_write(tmp_store, name, cut):
    whole = (DATA / name).read_bytes()
    _import_and_check(tmp_store, name, whole[: int(len(whole) * cut)])


# --- generated workbooks -------------------------------------------------------------------


@FUZZ
@given(data=workbooks(), sheet=st.sampled_from([None, None, "Mars"]))
def test_generated_workbooks_never_raise_and_never_half_write(tmp_store, tmp_path, monkeypatch, data, sheet):
    monkeypatch.setenv("TRYGGHET_TMP", str(tmp_path / "tmp"))
    _import_and_check(tmp_store, "genererad.xlsx", data)
    picked = pipeline.preview(tmp_store, "genererad.xlsx", data, sheet=sheet)
    assert picked.problem_count >= len(picked.problems)
    assert [p.name for p in (tmp_path / "tmp").glob("*/*")] == [".lock"]  # nothing left behind


def test_reading_generated_workbooks_keeps_memory_bounded(tmp_path):
    """In a fresh process, 30 generated workbooks (whole-grid dimensions among them) are read one after
    another; the peak memory grows by less than 100 MB over the interpreter with its libraries."""
    script = textwrap.dedent("""
        import duckdb, numpy, openpyxl, pandas   # noqa: F401 (the baseline: what any import loads)
        from bench.support import peak_mb         # this process's own peak (not pytest's, as ru_maxrss)
        from hypothesis import HealthCheck, given, settings
        from tests.factories import workbooks
        from trygghet.importing.read import UnreadableFile, read_file

        before = peak_mb()
        seen = []

        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(data=workbooks())
        def read(data):
            try:
                read_file("x.xlsx", data).close()
            except UnreadableFile:
                pass
            seen.append(1)

        read()
        print(len(seen), round(peak_mb() - before))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "TRYGGHET_TMP": str(tmp_path)},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    read, grown_mb = map(int, done.stdout.split())
    assert read >= 30 and grown_mb < 100, done.stdout
