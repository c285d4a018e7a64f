"""Reading an upload, bounded: time and peak memory by the cells that hold data, not by what a file declares.

    .venv/bin/python bench/read.py

Each measurement runs in a fresh process, and its peak memory is that process's own high-water mark
(VmHWM: ru_maxrss would carry the parent's peak over the exec); the interpreter with DuckDB, pandas and
openpyxl loaded takes about 130 MB of it. The files are the kinds issue 16 names: an
XLSX declaring the whole grid (A1:XFD1048576) while holding two rows (the reader before it padded every
row: 5 GB in 31 s), a sheet of 1 048 576 rows each with one styled empty cell in column XFD, a real
log of 200 000 rows × 6 columns, a CSV of 10 000 columns and a CSV with a 31 MB line (refused, with a
Swedish message, before the file is read whole). Beside each: the floor (parsing the sheets' XML, doing
nothing with it) and the usual alternatives (openpyxl's read-only rows, and pandas.read_excel).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support import peak_mb  # noqa: E402

HEADER = ["Datum", "Starttid", "Varaktighet (timmar)", "Område", "Organisation", "Medborgarkontakter"]


def _patched(book, sheet_xml: bytes | None = None, dimension: bytes | None = None) -> bytes:
    """An openpyxl workbook saved, its first sheet's data or declared dimension replaced."""
    import re

    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as patched:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if dimension:
                    data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + dimension + b'"/>', data)
                if sheet_xml is not None:
                    data = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", lambda _: sheet_xml, data, flags=re.S)
            patched.writestr(item, data)
    return out.getvalue()


def write_files(folder: Path) -> dict[str, Path]:
    import datetime as dt

    from openpyxl import Workbook

    files = {}
    book = Workbook()
    book.active.append(HEADER)
    for day in (5, 6):
        book.active.append([dt.date(2024, 3, day), dt.time(19, 0), 2, "Vivsta", "polisen", 3])
    files["dimension"] = folder / "hela_rutnatet.xlsx"
    files["dimension"].write_bytes(_patched(book, dimension=b"A1:XFD1048576"))

    rows = b"".join(b'<row r="%d"><c r="XFD%d" s="0"/></row>' % (i, i) for i in range(3, 1_048_577))
    header = (
        b'<row r="1">'
        + b"".join(
            b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), h.encode())
            for i, h in enumerate(HEADER)
        )
        + b"</row>"
    )
    data = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>2024-03-05</t></is></c><c r="D2" t="inlineStr"><is><t>Vivsta'
        b'</t></is></c><c r="E2" t="inlineStr"><is><t>polisen</t></is></c></row>'
    )
    files["styled"] = folder / "formaterade_tomma_rader.xlsx"
    files["styled"].write_bytes(_patched(Workbook(), sheet_xml=b"<sheetData>" + header + data + rows + b"</sheetData>"))

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Patruller")
    sheet.append(HEADER)
    areas = ["Timrå centrum", "Vivsta", "Sörberge", "Bergeforsen"]
    for i in range(200_000):
        sheet.append(
            [
                dt.date(2023, 1, 1) + dt.timedelta(days=i % 700),
                dt.time(18 + i % 4, 0),
                1 + i % 3,
                areas[i % 4],
                "polisen",
                i % 9,
            ]
        )
    files["log"] = folder / "logg_200000_rader.xlsx"
    book.save(files["log"])

    files["wide"] = folder / "10000_kolumner.csv"
    files["wide"].write_text(
        ";".join(f"K{i}" for i in range(10_000))
        + "\n"
        + "\n".join(";".join("1" for _ in range(10_000)) for _ in range(200))
        + "\n"
    )
    files["long"] = folder / "rad_pa_31_mb.csv"
    files["long"].write_bytes(
        b"Datum;Omr\xc3\xa5de;Organisation;Kommentar\n2024-03-05;Vivsta;polisen;x\n"
        b"2024-03-06;Vivsta;polisen;" + b"x" * (31 * 1024 * 1024) + b"\n"
    )
    return files


def _read(path: Path) -> dict:
    from trygghet.importing.read import UnreadableFile, read_file

    start = time.perf_counter()
    try:
        read = read_file(path.name, path.read_bytes())
        outcome = f"{sum(s.data_rows or s.physical_lines or 0 for s in read.sheets)} rader"
        read.close()
    except UnreadableFile as exc:
        outcome = f"avvisad: {str(exc)[:70]}…"
    return {"seconds": time.perf_counter() - start, "outcome": outcome}


def _floor(path: Path) -> dict:
    from xml.etree.ElementTree import iterparse

    start = time.perf_counter()
    cells = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                with archive.open(name) as source:
                    for _, element in iterparse(source):
                        cells += element.tag.endswith("}c")
                        element.clear()
    return {"seconds": time.perf_counter() - start, "outcome": f"{cells} celler i XML"}


def _openpyxl(path: Path) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    book.close()
    return {"seconds": time.perf_counter() - start, "outcome": f"{cells} celler"}


def _pandas(path: Path) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_excel(path, sheet_name=None, dtype=str)
    return {"seconds": time.perf_counter() - start, "outcome": f"{sum(len(f) for f in frame.values())} rader"}


MODES = {"read": _read, "floor": _floor, "openpyxl": _openpyxl, "pandas": _pandas}
LABELS = {
    "read": "trygghet read_file",
    "floor": "golvet: bara XML-tolkning",
    "openpyxl": "openpyxl read-only iter_rows",
    "pandas": "pandas.read_excel",
}
CASES = {
    "dimension": ("XLSX som deklarerar A1:XFD1048576, 2 rader", ("read", "floor", "openpyxl", "pandas")),
    "styled": ("XLSX, 1 048 576 rader med en formaterad tom cell i XFD", ("read", "floor")),
    "log": ("XLSX, 200 000 rader × 6 kolumner", ("read", "floor", "openpyxl", "pandas")),
    "wide": ("CSV, 10 000 kolumner × 200 rader", ("read",)),
    "long": ("CSV, en rad på 31 MB", ("read",)),
}


def _measure(mode: str, path: Path) -> dict:
    answer = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        import duckdb  # noqa: F401  the same baseline in every child: what the dashboard has loaded
        import openpyxl  # noqa: F401
        import pandas  # noqa: F401

        result = MODES[sys.argv[2]](Path(sys.argv[3]))
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = write_files(Path(tmp))
        print("(Maskinen delas just nu med andra jobb: tiderna varierar mellan körningar.)")
        print(f"{'fil':<55} {'sätt':<43} {'tid s':>7} {'topp MB':>8}  utfall")
        for case, (label, modes) in CASES.items():
            size = files[case].stat().st_size / 1024
            for mode in modes:
                got = _measure(mode, files[case])
                print(
                    f"{label + f' ({size:,.0f} kB)':<55} {LABELS[mode]:<43} {got['seconds']:>7.2f} "
                    f"{got['peak_mb']:>8.0f}  {got['outcome']}"
                )


if __name__ == "__main__":
    main()
