"""Hypothesis fuzzing of the upload: random bytes, random cells, cut files, generated workbooks (random sheets,
merged ranges, declared dimensions and formula cells).

Whatever arrives, the importer answers with a result (never an unhandled
exception) and the store changes all at once or not at all; reading a workbook costs memory by the
cells that hold data, not by what its sheets declare (measured in a fresh process).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import textwrap
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trygghet.importing import pipeline
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.importing.cell_rules import all_fields
from tests.factories import DATA, GOOD
from trygghet.config import PROJECT_ROOT

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TYPES = sorted(ACTIVITY_TYPES)

# Cells that are nearly right, plainly wrong, or hostile.
CELL = st.one_of(
    st.sampled_from(["2024-03-05", "5/3/2024", "2024-13-01", "45356", "18:30", "18.30", "25:61", "2,5", "-1", "0",
                     "1 234", "ja", "nej", "kanske", "Timrå centrum", "timra centrum", "Vivsta", "Mordor", "polisen",
                     "Timrå kommun", "alkohol, narkotika", "hastighet", "19800101-1234", "070-123 45 67", "ABC 123",
                     "a@b.se", "", " ", '"', '""', ";", "\t", "\n", "'); DROP TABLE activities; --", "NULL", "nan",
                     "inf", "1e9", "99999999999999999999"]),
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
@given(code=st.sampled_from(TYPES), separator=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), data=st.data())
def test_random_cells_never_raise_and_never_half_write(tmp_store, code, separator, encoding, data):
    fields = all_fields(ACTIVITY_TYPES[code])
    headers = data.draw(st.lists(st.sampled_from([f.label for f in fields] + ["Aktivitetstyp", "Okänd"]),
                                 min_size=1, max_size=12, unique=True))
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

WORKBOOKS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALUE = st.one_of(
    st.none(),
    st.sampled_from(["Vivsta", "Timrå centrum", "polisen", "kommunen", "nykterhet", "ja", "nej", "alkohol", " ", "",
                     "=1+1", "=A2*2", "=SUM(B2:B9)", "#DIV/0!", "Mordor"]),
    st.integers(min_value=-5, max_value=5000),
    st.floats(min_value=-1, max_value=100, allow_nan=False),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 11, 30)),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),   # what a worksheet can hold
)
HEADER = st.sampled_from(sorted({f.label for t in ACTIVITY_TYPES.values() for f in all_fields(t)}
                                | {"Aktivitetstyp", "Okänd", "", "Varaktighet (minuter)", "duration_min",
                                   "Varaktighet (dagar)", "Instruktioner"}))
DIMENSION = st.sampled_from(["A1:XFD1048576", "A1", "A1:A1", "B2:Z9999", "A1:XFD1", "A1:A1048576", "ZZ"])
CELL_REF = st.tuples(st.integers(1, 8), st.integers(1, 12))


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


@st.composite
def workbooks(draw) -> bytes:
    """An XLSX of 1–3 sheets: a header row somewhere near the top, rows of mixed cells and formulas,
    merged ranges, and each sheet's declared dimension replaced by a random one; formulas keep no
    saved value unless the draw says they were saved."""
    from openpyxl import Workbook

    book = Workbook()
    del book["Sheet"]
    titles = draw(st.lists(st.sampled_from(["Mars", "April", "Försättsblad", "Instruktioner", "Blad 1", "Tomt"]),
                           min_size=1, max_size=3, unique=True))
    for title in titles:
        sheet = book.create_sheet(title)
        top = draw(st.integers(1, 3))
        headers = draw(st.lists(HEADER, max_size=8))
        for column, header in enumerate(headers, start=1):
            sheet.cell(top, column, header or None)
        for row in range(top + 1, top + 1 + draw(st.integers(0, 6))):
            for column, value in enumerate(draw(st.lists(VALUE, max_size=10)), start=1):
                sheet.cell(row, column, value)
        for (c1, r1), (c2, r2) in draw(st.lists(st.tuples(CELL_REF, CELL_REF), max_size=3)):
            low, high = (min(c1, c2), min(r1, r2)), (max(c1, c2), max(r1, r2))
            ref = f"{_letter(low[0])}{low[1]}:{_letter(high[0])}{high[1]}"
            if low != high and not any(ref_overlaps(ref, str(m)) for m in sheet.merged_cells.ranges):
                sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    saved = draw(st.booleans())
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as patched:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + draw(DIMENSION).encode() + b'"/>',
                              data)
                if saved:
                    data = data.replace(b"<v></v>", b"<v>2</v>")
            patched.writestr(item, data)
    return out.getvalue()


def ref_overlaps(a: str, b: str) -> bool:
    from openpyxl.worksheet.cell_range import CellRange

    return not CellRange(a).isdisjoint(CellRange(b))


@WORKBOOKS
@given(data=workbooks(), sheet=st.sampled_from([None, None, "Mars"]))
def test_generated_workbooks_never_raise_and_never_half_write(tmp_store, tmp_path, monkeypatch, data, sheet):
    monkeypatch.setenv("TRYGGHET_TMP", str(tmp_path / "tmp"))
    _import_and_check(tmp_store, "genererad.xlsx", data)
    picked = pipeline.preview(tmp_store, "genererad.xlsx", data, sheet=sheet)
    assert picked.problem_count >= len(picked.problems)
    assert [p.name for p in (tmp_path / "tmp").glob("*/*")] == [".lock"]   # nothing left behind


def test_reading_generated_workbooks_keeps_memory_bounded(tmp_path):
    """In a fresh process, 30 generated workbooks (whole-grid dimensions among them) are read one after
    another; the peak memory grows by less than 100 MB over the interpreter with its libraries."""
    script = textwrap.dedent("""
        import duckdb, numpy, openpyxl, pandas   # noqa: F401 (the baseline: what any import loads)
        from bench.support import peak_mb         # this process's own peak (not pytest's, as ru_maxrss)
        from hypothesis import HealthCheck, given, settings
        from tests.unit.test_import_fuzz import workbooks
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
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          env={**os.environ, "TRYGGHET_TMP": str(tmp_path)}, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    read, grown_mb = map(int, done.stdout.split())
    assert read >= 30 and grown_mb < 100, done.stdout
