"""Reading an uploaded file into a staged table of text cells, whatever Swedish offices export.

CSV (and .txt) in UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") or
Windows-1252, separated by `;`, `,` or tab; XLSX from Excel or LibreOffice. Every
cell is staged as VARCHAR: typing happens in the validation, where a bad cell
becomes a message naming its row and column instead of a failed or silently
mistyped read. Row numbers are those a spreadsheet shows (the header is row 1).

Large, well-formed CSV files are read by DuckDB itself (fast); anything irregular
(short or long rows, blank lines, a header spanning lines) falls back to Python's
csv module, which is slower but numbers every record exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field

import duckdb
import pandas as pd

RAW_TABLE = "import_raw"
SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "semikolon", "\t": "tabb", ",": "komma"}
RARE_BLANKS = (9, 13, 160)   # tab, carriage return, no-break space: trimmed from cells besides the space
INSTRUCTIONS_SHEET = "Instruktioner"
BROKEN_XLSX = "Excel-filen är trasig eller ofullständig och kan inte läsas. Spara den på nytt."


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is Swedish and meant for the user."""


@dataclass
class RawFile:
    """The header and where the cells are; `stage` puts them into a connection as RAW_TABLE."""

    headers: list[str]
    kind: str                      # "csv" or "xlsx"
    description: str               # how it was read, e.g. "CSV, UTF-8, semikolon"
    header_row: int = 1
    csv_text_path: str | None = None   # a UTF-8 file DuckDB reads directly
    separator: str = ";"
    rows: list[list[str | None]] | None = None   # cells read by Python, in file order
    problems: list[tuple[int, str]] = field(default_factory=list)   # (row, message) about the layout
    rare_blanks: bool = True   # a cell may hold one of RARE_BLANKS to trim

    @property
    def width(self) -> int:
        return len(self.headers)

    def stage(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create RAW_TABLE (c0 … cN, all VARCHAR) on `con`; its rowid + header_row + 1 is the row number."""
        con.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        names = [f"c{i}" for i in range(self.width)]
        if self.rows is None:
            columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
            try:
                con.execute(
                    f"CREATE TEMP TABLE {RAW_TABLE} AS SELECT * FROM read_csv(?, header = false, skip = 1,"
                    f" delim = ?, quote = '\"', escape = '\"', columns = {columns}, auto_detect = false,"
                    " allow_quoted_nulls = false)",
                    [self.csv_text_path, self.separator],
                )
                return
            except duckdb.Error:  # an irregular file: number every record in Python instead
                with open(self.csv_text_path, encoding="utf-8", newline="") as text:
                    self.rows, self.problems = _records(text, self.separator, self.width)
        frame = pd.DataFrame(self.rows, columns=names, dtype=object) if self.rows else \
            pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
        con.register("import_raw_frame", frame)
        try:
            con.execute(f"CREATE TEMP TABLE {RAW_TABLE} AS SELECT "
                        + ", ".join(f"CAST({n} AS VARCHAR) AS {n}" for n in names) + " FROM import_raw_frame")
        finally:
            con.unregister("import_raw_frame")

    def close(self) -> None:
        if self.csv_text_path:
            os.unlink(self.csv_text_path)
            self.csv_text_path = None


def read_file(name: str, data: bytes) -> RawFile:
    """Detect the format and read the header; raises UnreadableFile with a Swedish reason."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("Filen är i Excels gamla format (.xls). Spara den som .xlsx eller CSV och ladda upp igen.")
    if name.lower().endswith(".xlsx"):
        raise UnreadableFile("Filen heter .xlsx men är ingen Excel-fil. Spara den på nytt från Excel eller LibreOffice.")
    raw = _read_csv(data)
    if not any(raw.headers):
        raw.close()
        raise UnreadableFile("Första raden ska vara en rubrikrad med kolumnernas namn, men den är tom.")
    return raw


# --- CSV -------------------------------------------------------------------------

def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise UnreadableFile("Filen ser ut att vara UTF-16 men går inte att avkoda.") from None
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise UnreadableFile(
            "Filens teckenkodning känns inte igen. Spara den som CSV i UTF-8 eller Windows-1252 (Västeuropeisk)."
        ) from None


def _separator(header_line: str) -> str:
    """The separator that splits the header into the most fields (a header rarely holds the others)."""
    return max(SEPARATORS, key=lambda sep: (header_line.count(sep), -SEPARATORS.index(sep)))


def _read_csv(data: bytes) -> RawFile:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("Filen är ingen textfil (CSV) och ingen Excel-fil (.xlsx).")
    text = text.rstrip("\r\n ")  # trailing empty rows
    if not text.strip():
        raise UnreadableFile("Filen är tom.")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = _separator(first_line)
    description = f"CSV, {encoding}, {SEPARATOR_NAMES[separator]}"
    if first_line.count('"') % 2 or re.search(r"\n[ \t]*\r?\n", text):
        # A header over several lines, or blank lines DuckDB would skip (shifting the row numbers).
        records = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
        try:
            headers = [h.strip() for h in next(records)]
        except csv.Error:
            raise UnreadableFile("Rubrikraden kan inte läsas: den är för lång eller citattecknen är fel.") from None
        rows, problems = _records(records, separator, len(headers), header_read=True)
        return RawFile(headers, "csv", description, separator=separator, rows=rows, problems=problems)
    try:
        headers = [h.strip() for h in next(csv.reader([first_line], delimiter=separator))]
    except csv.Error:
        raise UnreadableFile("Rubrikraden kan inte läsas: den är för lång eller citattecknen är fel.") from None
    handle, path = tempfile.mkstemp(prefix="trygghet-import-", suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        if encoding == "UTF-8":
            out.write(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        else:
            out.write(text.encode("utf-8"))
    return RawFile(headers, "csv", description, csv_text_path=path, separator=separator,
                   rare_blanks=_has_rare_blanks(text, separator))


def _has_rare_blanks(text: str, separator: str) -> bool:
    """Whether a cell may hold one of RARE_BLANKS. Most files have none, and the validation
    trims cells much faster when it only has spaces to look for. A line ending's carriage
    return is not in any cell, nor is a separator outside quotes."""
    for blank in map(chr, RARE_BLANKS):
        if blank == "\r":
            found = re.search("\r(?!\n)", text) is not None
        else:
            found = blank in text and (blank != separator or '"' in text)
        if found:
            return True
    return False


def _records(source, separator: str, width: int, header_read: bool = False):
    """Rows cut or padded to the header's width, and a problem for every row with data beyond it."""
    records = source if header_read else csv.reader(source, delimiter=separator, strict=False)
    rows, problems = [], []
    try:
        if not header_read:
            next(records, None)
        for number, record in enumerate(records, start=2):
            if any(cell.strip() for cell in record[width:]):
                problems.append((number, f"raden har {len(record)} fält men rubrikraden har {width}"))
            rows.append((record + [None] * width)[:width])
    except csv.Error:
        raise UnreadableFile(f"Filen kan inte läsas som CSV efter rad {len(rows) + 1}: en cell är för lång "
                             "eller citattecknen är fel.") from None
    return rows, problems


# --- XLSX ------------------------------------------------------------------------

def _cell_text(value) -> str | None:
    """A cell as the text a CSV export would hold (dates ISO, times HH:MM, whole numbers without .0)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_xlsx(data: bytes) -> RawFile:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a broken file; each means the same to the user
        raise UnreadableFile(BROKEN_XLSX) from None
    try:
        sheets = [s for s in book.worksheets if s.title != INSTRUCTIONS_SHEET] or book.worksheets
        if not sheets:
            raise UnreadableFile("Excel-filen har inget blad med data.")
        sheet = sheets[0]
        try:
            cells = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception:
            raise UnreadableFile(BROKEN_XLSX) from None
    finally:
        book.close()
    header_index = next((i for i, row in enumerate(cells) if any(c is not None and c.strip() for c in row)), None)
    if header_index is None:
        raise UnreadableFile(f"Bladet {sheet.title} är tomt.")
    while cells and not any(c is not None and c.strip() for c in cells[-1]):
        cells.pop()  # trailing empty rows
    headers = [(h or "").strip() for h in cells[header_index]]
    width = len(headers)
    rows = [(row + [None] * width)[:width] for row in cells[header_index + 1:]]
    return RawFile(headers, "xlsx", f"Excel, bladet {sheet.title}", header_row=header_index + 1, rows=rows)
