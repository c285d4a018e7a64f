"""Reading an uploaded file into staged tables of text cells, one per sheet, whatever Swedish offices export.

CSV (and .txt) in UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") or
Windows-1252, separated by `;`, `,` or tab; XLSX from Excel or LibreOffice, every
sheet that holds a log. Every cell is staged as VARCHAR: typing happens in the
validation, where a bad cell becomes a message naming its row and column instead
of a failed or silently mistyped read. Row numbers are those a spreadsheet shows.

Nothing is lost on the way and nothing is read unbounded: memory and time follow
the cells that hold data, not what a file declares. Every sheet is streamed, cell
by cell, into a UTF-8 CSV file under one temporary directory (see `temporary_file`)
that DuckDB reads; a line, a sheet or a file over a limit (LIMITS) is refused with a
Swedish message before it is read whole. Data under a header that is empty or merged
into its neighbour, and a formula without a saved value, are errors, not blanks.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import duckdb
import numpy as np

from trygghet.formatting import format_number

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

RAW_TABLE = "import_raw"
ROW_COLUMN = "c_row"  # the spreadsheet's row number, staged beside the cells of an XLSX sheet
SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "semikolon", "\t": "tabb", ",": "komma"}
RARE_BLANKS = (9, 13, 160)  # tab, carriage return, no-break space: trimmed from cells besides the space
BLANKS_SQL = "' ' || " + " || ".join(f"chr({code})" for code in RARE_BLANKS)
INSTRUCTIONS_SHEET = "Instruktioner"
BROKEN_XLSX = "Excel-filen är trasig eller ofullständig och kan inte läsas. Spara den på nytt."
SHOWN_ROWS = 3  # rows named in a message about a column
_NOT_BLANK = re.compile(r"\S")
_LONE_CR = re.compile("\r(?!\n)")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")  # an empty row that DuckDB's reader would skip


@dataclass(frozen=True)
class Limits:
    """What one upload may hold. Each bounds the time and memory of a read; a file beyond one is refused."""

    line_bytes: int = 1024 * 1024  # one line of a CSV file (DuckDB's reader drops longer ones)
    columns: int = 500  # up to the last non-empty header
    csv_cells: int = 40_000_000  # lines × columns of a CSV file
    xlsx_cells: int = 10_000_000  # cells written in the XML of all sheets, empty ones included
    xlsx_unpacked_bytes: int = 1024**3  # the sheets and shared strings of an XLSX file, unpacked


LIMITS = Limits()


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is Swedish and meant for the user."""


# --- the temporary directory ------------------------------------------------------------


def temporary_root() -> Path:
    """Where every temporary file of an import lives: $TRYGGHET_TMP, else <system temp>/trygghet-import."""
    return Path(os.environ.get("TRYGGHET_TMP") or Path(tempfile.gettempdir()) / "trygghet-import")


_own_dir: Path | None = None
_own_lock = None
_making = threading.Lock()


def _process_dir() -> Path:
    """This process's folder under the root, held by an advisory lock for the life of the process. The lock
    dies with the process, however it ends (kill -9 too), so `clean_temporary` can tell a dead owner's
    folder from a live one's without trusting process ids, which the system reuses."""
    global _own_dir, _own_lock
    with _making:  # the dashboard's sessions are threads of one process: one folder for them all
        if _own_dir is not None and _own_dir.parent == temporary_root() and _own_dir.is_dir():
            return _own_dir
        root = temporary_root()
        root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        lock = open(folder / ".lock", "w")  # noqa: SIM115 (kept open: the lock lasts as long as the process)
        _lock(lock)
        if _own_lock is not None:
            _own_lock.close()
        _own_dir, _own_lock = folder, lock
        return folder


def _lock(handle: IO[str], blocking: bool = True) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a folder is then cleaned only when its process id is gone
        return not blocking and not _pid_alive(int(Path(handle.name).parent.name.split("-", 1)[0]))
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def temporary_file(suffix: str) -> str:
    """A new empty file in this process's temporary folder; the caller removes it when done."""
    handle, path = tempfile.mkstemp(suffix=suffix, dir=_process_dir())
    os.close(handle)
    return path


def clean_temporary() -> list[Path]:
    """Remove the folders of processes that have ended (an import killed midway leaves its copy behind);
    called at start-up and after every import. Returns what was removed."""
    root = temporary_root()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if folder == _own_dir:
            continue
        if not folder.is_dir():
            with contextlib.suppress(OSError):
                folder.unlink()
                removed.append(folder)
            continue
        try:
            with open(folder / ".lock", "a") as lock:
                free = _lock(lock, blocking=False)
        except FileNotFoundError:  # another process cleaning at the same time removed it first
            continue
        except OSError:  # no lock file: a folder being made right now, or debris; leave a fresh one alone
            free = (dt.datetime.now().timestamp() - folder.stat().st_mtime) > 3600
        if free:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# --- what a read gives ------------------------------------------------------------------


@dataclass
class RawFile:
    """One table of the file (a CSV file, or one sheet): the header and where its cells are.

    `stage` puts the cells into a connection as RAW_TABLE (c0 … cN, VARCHAR). `row_sql` is a row's
    number as the spreadsheet shows it; `errors` are messages about the whole table (a formula
    without a value, data without a header) and `problems` (row, message) about single rows."""

    headers: list[str]
    kind: str  # "csv" or "xlsx"
    description: str  # how it was read, e.g. "CSV, UTF-8, semikolon"
    csv_text_path: str | None = None  # a UTF-8 file DuckDB reads directly
    header_row: int = 1
    separator: str = ";"
    sheet: str | None = None
    rows_numbered: bool = False  # the file carries each row's number in its last column (XLSX)
    problems: list[tuple[int, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    merged: dict[int, str] = field(default_factory=dict)  # column index -> the merged header range over it
    rare_blanks: bool = True  # a cell may hold one of RARE_BLANKS to trim
    data_rows: int | None = None  # rows with any data, when the reader counted them
    physical_lines: int | None = None  # lines of a CSV file after its header
    header_fields: int = 0  # fields of a CSV header line, the empty ones after the last header included

    @property
    def width(self) -> int:
        return len(self.headers)

    @property
    def row_sql(self) -> str:
        return ROW_COLUMN if self.rows_numbered else f"(rowid + {self.header_row + 1})"

    def stage(self, con: duckdb.DuckDBPyConnection) -> None:
        """Create RAW_TABLE on `con`. A CSV file DuckDB cannot read exactly (short or long rows, a quoted
        line break) is rewritten by Python's csv module, which numbers every record, and read again."""
        con.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        if self.kind == "csv" and not self._read_fast(con):
            self._rewrite_records()
            self._read(con)
        elif self.kind != "csv":
            self._read(con)
        self._check_unnamed_columns(con)

    def _read(self, con: duckdb.DuckDBPyConnection, skip: int = 0) -> None:
        names = [f"c{i}" for i in range(self.width)] + ([ROW_COLUMN] if self.rows_numbered else [])
        columns = "{" + ", ".join(f"'{n}': '{'BIGINT' if n == ROW_COLUMN else 'VARCHAR'}'" for n in names) + "}"
        con.execute(
            f"CREATE TEMP TABLE {RAW_TABLE} AS SELECT * FROM read_csv(?, header = false, skip = {skip},"
            f" delim = ?, quote = '\"', escape = '\"', columns = {columns}, auto_detect = false,"
            f" allow_quoted_nulls = false, max_line_size = {4 * LIMITS.line_bytes})",
            [self.csv_text_path, self.separator],
        )

    def _read_fast(self, con: duckdb.DuckDBPyConnection) -> bool:
        """DuckDB reads the file as it is, when every line is one record of the header's width."""
        try:
            self._read(con, skip=1)
        except duckdb.Error:
            return False
        if con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone() == (self.physical_lines,):
            return True
        con.execute(f"DROP TABLE {RAW_TABLE}")  # a quoted line break, or a line DuckDB let go: count exactly
        return False

    def _rewrite_records(self) -> None:
        """Rewrite the file record by record, cut or padded to the header's width; the header line is left
        out. Data beyond the last header is an error: under an empty header, naming its column; past the
        header line's end, naming its row."""
        source = self.csv_text_path
        assert source is not None  # only an open file is rewritten
        path = temporary_file(".csv")
        csv.field_size_limit(LIMITS.line_bytes)  # the module's own limit (128 kB) would be the line limit
        beyond: dict[int, list[int]] = {}
        try:
            with (
                open(source, encoding="utf-8", newline="") as text,
                open(path, "w", encoding="utf-8", newline="") as out,
            ):
                records = csv.reader(text, delimiter=self.separator, strict=False)
                writer = csv.writer(out, delimiter=";", lineterminator="\n")
                width, number = self.width, 1
                try:
                    next(records, None)
                    for number, record in enumerate(records, start=2):
                        extra = [i for i in range(width, len(record)) if record[i].strip()]
                        if extra and extra[-1] >= self.header_fields:
                            self.problems.append(
                                (number, f"raden har {len(record)} fält men rubrikraden har {self.header_fields}")
                            )
                        for index in extra:
                            rows = beyond.setdefault(index, []) if index < self.header_fields else []
                            if len(rows) <= SHOWN_ROWS:
                                rows.append(number)
                        writer.writerow(_padded(record, width))
                except csv.Error:
                    raise UnreadableFile(
                        f"Filen kan inte läsas som CSV efter rad {number}: en cell är längre än "
                        f"{_size(LIMITS.line_bytes)} eller citattecknen är fel."
                    ) from None
        except BaseException:
            os.unlink(path)
            raise
        self.errors += [unnamed_column_message(i, rows) for i, rows in sorted(beyond.items())]
        os.unlink(source)
        self.csv_text_path, self.separator = path, ";"

    def _check_unnamed_columns(self, con: duckdb.DuckDBPyConnection) -> None:
        """Data under an empty header (or one merged into its neighbour) is an error naming the column
        letter and its first rows: it would otherwise be dropped without a word."""
        for index, header in enumerate(self.headers):
            if not header and (rows := self.rows_with_data(con, index)):
                self.errors.append(unnamed_column_message(index, rows, self.merged.get(index)))

    def rows_with_data(self, con: duckdb.DuckDBPyConnection, index: int) -> list[int]:
        """The first rows (one more than are named) with anything in column `index`."""
        return [
            r
            for (r,) in con.execute(
                f"SELECT {self.row_sql} FROM {RAW_TABLE} WHERE trim(c{index}, {BLANKS_SQL}) <> '' ORDER BY 1"
                f" LIMIT {SHOWN_ROWS + 1}"
            ).fetchall()
        ]

    def close(self) -> None:
        if self.csv_text_path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.csv_text_path)
            self.csv_text_path = None


@dataclass
class ReadFile:
    """Every table of an upload worth importing, and a note for every sheet left out and why."""

    sheets: list[RawFile]
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.close()


def unnamed_column_message(
    index: int, rows: list[int], merged: str | None = None, *, header: str = "", activity: str = ""
) -> str:
    """Data under a header that is empty, merged into its neighbour, or of no field of the type."""
    letter = column_letter(index)
    if header:
        why = f"rubriken {header} är ingen kolumn som {activity} har"
        fix = "Byt till en rubrik som mallen har"
    else:
        why = (
            f"rubriken är sammanfogad över {merged}, så kolumnen har ingen egen rubrik"
            if merged
            else "kolumnen har ingen rubrik"
        )
        fix = "Ge kolumnen en egen rubrik"
    return (
        f"Kolumn {letter}: {why}, men den innehåller data ({_rows_text(rows)}). {fix}, eller ta bort "
        "kolumnen om uppgifterna inte ska läsas in."
    )


def column_letter(index: int) -> str:
    """The letters a spreadsheet shows for a 0-based column index (0 -> A, 26 -> AA)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _rows_text(rows: list[int]) -> str:
    shown = [format_number(r) for r in rows[:SHOWN_ROWS]]
    text = "rad " + (shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " och " + shown[-1])
    return text + (" med flera" if len(rows) > SHOWN_ROWS else "")


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{format_number(n / 1024, 0 if n % 1024 == 0 else 1)} kB"
    return f"{format_number(n / 1024 / 1024, 0 if n % (1024 * 1024) == 0 else 1)} MB"


def _padded(record: list[str], width: int) -> list[str | None]:
    return (list(record) + [None] * width)[:width]


def read_file(name: str, data: bytes, sheet: str | None = None) -> ReadFile:
    """Detect the format and read every table; raises UnreadableFile with a Swedish reason.
    `sheet` picks one sheet of an XLSX file by name."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("Filen är i Excels gamla format (.xls). Spara den som .xlsx eller CSV och ladda upp igen.")
    if name.lower().endswith(".xlsx"):
        raise UnreadableFile(
            "Filen heter .xlsx men är ingen Excel-fil. Spara den på nytt från Excel eller LibreOffice."
        )
    if sheet:
        raise UnreadableFile(f"Filen är en textfil (CSV) och har inga blad; ta bort valet av bladet {sheet}.")
    return ReadFile([_read_csv(data)])


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


def _line_lengths(utf8: memoryview, chunk: int = 16 * 1024 * 1024) -> tuple[int, int, int]:
    """(lines, the longest line's number, its length in bytes): vectorised, a chunk at a time, so that
    the bytes are never copied and the work arrays stay small whatever the file's size."""
    view = np.frombuffer(utf8, dtype=np.uint8)
    lines, longest_line, longest, running = 0, 1, 0, 0  # running: the length of the line a chunk starts in
    for start in range(0, len(view), chunk):
        breaks = np.flatnonzero(view[start : start + chunk] == 10)
        if not len(breaks):
            running += min(chunk, len(view) - start)
            continue
        lengths = np.diff(breaks, prepend=-1) - 1
        lengths[0] += running
        at = int(np.argmax(lengths))
        if lengths[at] > longest:
            longest_line, longest = lines + at + 1, int(lengths[at])
        lines += len(breaks)
        running = min(chunk, len(view) - start) - int(breaks[-1]) - 1
    if running > longest:
        longest_line, longest = lines + 1, running
    return lines + 1, longest_line, longest


def _read_csv(data: bytes) -> RawFile:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("Filen är ingen textfil (CSV) och ingen Excel-fil (.xlsx).")
    end = _end_of_rows(text)  # the text is not copied without its trailing empty rows: it is read up to `end`
    if _NOT_BLANK.search(text, 0, end) is None:
        raise UnreadableFile("Filen är tom.")
    if encoding == "UTF-8":  # the bytes as they are, without the BOM and the trailing blank lines; no copy
        start, end = (3 if data.startswith(b"\xef\xbb\xbf") else 0), len(data)
        while end > start and data[end - 1] in b"\r\n ":
            end -= 1
        utf8 = memoryview(data)[start:end]
    else:
        utf8 = memoryview(text[:end].encode("utf-8"))
    lines, longest_line, longest = _line_lengths(utf8)
    if longest > LIMITS.line_bytes:
        raise UnreadableFile(
            f"Rad {format_number(longest_line)} i filen är {_size(longest)} lång; en rad får vara "
            f"högst {_size(LIMITS.line_bytes)}. Filen läses inte. Kontrollera radbrytningarna, "
            "eller dela upp raden."
        )
    first_break = text.find("\n", 0, end)
    first_line = text[: end if first_break < 0 else first_break].rstrip("\r")
    separator = _separator(first_line)
    description = f"CSV, {encoding}, {SEPARATOR_NAMES[separator]}"
    try:
        headers = [h.strip() for h in next(csv.reader([first_line], delimiter=separator))]
    except csv.Error:
        raise UnreadableFile("Rubrikraden kan inte läsas: den är för lång eller citattecknen är fel.") from None
    if first_line.count('"') % 2:  # a header over several lines: the csv module reads it
        try:
            headers = [h.strip() for h in next(csv.reader(io.StringIO(text[:end], newline=""), delimiter=separator))]
        except csv.Error:
            raise UnreadableFile("Rubrikraden kan inte läsas: den är för lång eller citattecknen är fel.") from None
    if not any(headers):
        raise UnreadableFile("Första raden ska vara en rubrikrad med kolumnernas namn, men den är tom.")
    fields = len(headers)
    headers = _cut_headers(headers)
    if len(headers) * lines > LIMITS.csv_cells:
        raise UnreadableFile(
            f"Filen har {format_number(lines)} rader och {format_number(len(headers))} kolumner, "
            f"fler celler än de {format_number(LIMITS.csv_cells)} som kan läsas på en gång. "
            "Dela upp filen."
        )
    path = temporary_file(".csv")
    with open(path, "wb") as out:
        out.write(utf8)
    raw = RawFile(
        headers,
        "csv",
        description,
        csv_text_path=path,
        separator=separator,
        rare_blanks=_has_rare_blanks(text, end, separator),
        physical_lines=lines - 1,
        header_fields=fields,
    )
    if first_line.count('"') % 2 or _BLANK_LINE.search(text, 0, end):
        raw.physical_lines = -1  # a header over several lines, or blank lines DuckDB would skip: count exactly
    return raw


def _cut_headers(headers: list[str]) -> list[str]:
    """The headers up to the last non-empty one (data beyond it is found when the rows are read)."""
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > LIMITS.columns:
        raise UnreadableFile(
            f"Rubrikraden har {format_number(len(headers))} kolumner; högst "
            f"{format_number(LIMITS.columns)} kan läsas. Ta bort de kolumner som inte behövs."
        )
    return headers


def _end_of_rows(text: str, tail: int = 4096) -> int:
    """The length of the text without its trailing empty rows (and spaces), found without copying a
    whole file: only when its last `tail` characters are all blank is the rest looked at."""
    kept = text[-tail:].rstrip("\r\n ")
    return len(text) - len(text[-tail:]) + len(kept) if kept else len(text.rstrip("\r\n "))


def _has_rare_blanks(text: str, end: int, separator: str) -> bool:
    """Whether a cell (in the text up to `end`) may hold one of RARE_BLANKS. Most files have none,
    and the validation trims cells much faster when it only has spaces to look for. A line
    ending's carriage return is not in any cell, nor is a separator outside quotes."""
    for blank in map(chr, RARE_BLANKS):
        if blank == "\r":
            found = _LONE_CR.search(text, 0, end) is not None
        else:
            found = text.find(blank, 0, end) >= 0 and (blank != separator or text.find('"', 0, end) >= 0)
        if found:
            return True
    return False


# --- XLSX ------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
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


def _check_unpacked(data: bytes) -> None:
    """Refuse a workbook whose sheets and shared strings unpack beyond the limit, before reading any."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist() if i.filename.startswith("xl/"))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile(BROKEN_XLSX) from None
    if unpacked > LIMITS.xlsx_unpacked_bytes:
        raise UnreadableFile(
            f"Excel-filen packas upp till {_size(unpacked)}; högst {_size(LIMITS.xlsx_unpacked_bytes)} "
            "kan läsas. Dela upp filen, eller spara den som CSV."
        )


def _read_xlsx(data: bytes, chosen: str | None) -> ReadFile:
    from openpyxl import load_workbook

    _check_unpacked(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a broken file; each means the same to the user
        raise UnreadableFile(BROKEN_XLSX) from None
    result = ReadFile([])
    try:
        names = [s.title for s in book.worksheets]
        if chosen is not None and chosen not in names:
            raise UnreadableFile(
                f"Excel-filen har inget blad som heter {chosen}; bladen heter " + ", ".join(names) + "."
            )
        budget = [LIMITS.xlsx_cells]
        candidates: list[RawFile] = []
        for sheet in book.worksheets:
            if chosen is not None and sheet.title != chosen:
                continue
            if chosen is None and sheet.title == INSTRUCTIONS_SHEET:
                result.notes.append(f"Bladet {sheet.title} läses inte: det är mallens instruktioner.")
                continue
            try:
                raw = _read_sheet(book, sheet, budget)
            except Exception as exc:  # openpyxl fails in many ways on a broken sheet; each means the same
                for done in candidates:
                    done.close()
                if isinstance(exc, UnreadableFile):
                    raise
                raise UnreadableFile(BROKEN_XLSX) from None
            if raw is None:
                result.notes.append(f"Bladet {sheet.title} läses inte: det är tomt.")
            else:
                candidates.append(raw)
        for chart in getattr(book, "chartsheets", []):
            result.notes.append(f"Bladet {chart.title} läses inte: det är ett diagram.")
    finally:
        book.close()
    if not candidates:  # nothing to read, so nothing to check or import: said as for an empty CSV file
        raise UnreadableFile(
            f"Bladet {chosen} är tomt."
            if chosen is not None
            else " ".join(["Excel-filen har inget blad att läsa.", *result.notes])
        )
    _choose_sheets(candidates, result, chosen is not None)
    order = {name: i for i, name in enumerate(names)}
    result.notes.sort(
        key=lambda note: next((i for name, i in order.items() if note.startswith(f"Bladet {name} läses")), len(order))
    )
    return result


def _choose_sheets(candidates: list[RawFile], result: ReadFile, chosen: bool) -> None:
    """Keep every sheet that is a log; name the others (a cover page, a template left empty) in a note.
    A workbook of one sheet keeps it whatever it holds, so that its faults are told, not skipped."""
    from trygghet.importing.units import known_header

    logs = [r for r in candidates if any(known_header(h) for h in r.headers)]
    with_rows = [r for r in logs if r.data_rows]
    if chosen or len(candidates) == 1:
        result.sheets = candidates
        return
    keep = with_rows or logs[:1] or candidates[:1]
    for raw in candidates:
        if raw in keep:
            continue
        if raw not in logs:
            result.notes.append(
                f"Bladet {raw.sheet} läses inte: rubrikraden har ingen kolumn som en aktivitetslogg "
                "har (t.ex. Datum eller Område), så det ser ut att vara ett försättsblad eller "
                "en förklaring."
            )
        else:
            result.notes.append(f"Bladet {raw.sheet} läses inte: det har rubriker men inga rader.")
        raw.close()
    if not keep:
        raise UnreadableFile("Excel-filen har inget blad med data.")
    result.sheets = keep


def _read_sheet(book: Workbook, sheet: ReadOnlyWorksheet, budget: list[int]) -> RawFile | None:
    """Stream one sheet into a CSV file (its cells up to the last header, and each row's number);
    None when the sheet is empty."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    unsaved: list[str] = []  # the first cells holding a formula without a saved value
    unsaved_count = [0]

    class Parser(WorkSheetParser):
        """Also notes every cell holding a formula but no saved value (a data-only read sees it empty)."""

        def parse_cell(self, element: Element) -> dict[str, Any]:
            cell = super().parse_cell(element)
            # No value, or an empty one where only a text result may be empty (what a script writes).
            if (
                element.find(FORMULA_TAG) is not None
                and not element.findtext(VALUE_TAG)
                and not (element.get("t") == "str" and element.find(VALUE_TAG) is not None)
            ):
                unsaved_count[0] += 1
                if len(unsaved) < SHOWN_ROWS:
                    unsaved.append(element.get("r") or f"{column_letter(cell['column'] - 1)}{cell['row']}")
            return cell

    headers: list[str] | None = None
    header_row = 0
    beyond: dict[int, list[int]] = {}  # column index past the last header -> rows with data there
    path = temporary_file(".csv")
    data_rows = 0
    try:
        # The private reader parts of openpyxl (a streaming parse that also sees formulas), absent from its stubs.
        with sheet._get_source() as source, open(path, "w", encoding="utf-8", newline="") as out:  # type: ignore[attr-defined]
            writer = csv.writer(out, delimiter=";", lineterminator="\n")
            parser = Parser(
                source,
                sheet._shared_strings,  # type: ignore[attr-defined]
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,  # type: ignore[attr-defined]
                timedelta_formats=book._timedelta_formats,  # type: ignore[attr-defined]
            )
            for number, cells in parser.parse():
                budget[0] -= len(cells)
                if budget[0] < 0:
                    raise UnreadableFile(
                        f"Excel-filen har fler än {format_number(LIMITS.xlsx_cells)} celler och kan "
                        "inte läsas på en gång. Dela upp den, eller spara den som CSV."
                    )
                texts = {c["column"] - 1: t for c in cells if (t := _cell_text(c["value"])) is not None and t.strip()}
                if headers is None:
                    if texts:
                        width = max(texts) + 1
                        headers = _cut_headers([(texts.get(i) or "").strip() for i in range(width)])
                        header_row = number
                    continue
                if not texts:
                    continue
                data_rows += 1
                width = len(headers)
                for index in texts:
                    if index >= width:
                        rows = beyond.setdefault(index, [])
                        if len(rows) <= SHOWN_ROWS:
                            rows.append(number)
                writer.writerow([*(texts.get(i) for i in range(width)), number])
            merged = _merged_in_row(parser.merged_cells, header_row)
    except BaseException:
        os.unlink(path)
        raise
    if headers is None:
        os.unlink(path)
        if unsaved:  # formulas alone, none with a value: not an empty sheet
            raise UnreadableFile(f"Bladet {sheet.title}: " + _unsaved_message(unsaved, unsaved_count[0]))
        return None
    raw = RawFile(
        headers,
        "xlsx",
        f"Excel, bladet {sheet.title}",
        csv_text_path=path,
        header_row=header_row,
        sheet=sheet.title,
        rows_numbered=True,
        data_rows=data_rows,
        merged=merged,
    )
    if unsaved:
        raw.errors.append(_unsaved_message(unsaved, unsaved_count[0]))
    raw.errors += [unnamed_column_message(i, rows, merged.get(i)) for i, rows in sorted(beyond.items())]
    return raw


def _merged_in_row(ranges: object, row: int) -> dict[int, str]:
    """Column index -> the merged range text, for every column a merged range of the header row covers
    past its first (those columns have no header of their own)."""
    from openpyxl.utils import range_boundaries

    covered: dict[int, str] = {}
    for merged in getattr(ranges, "mergeCell", None) or []:
        text = merged.ref if hasattr(merged, "ref") else str(merged)
        with contextlib.suppress(ValueError, TypeError):
            min_col, min_row, max_col, max_row = range_boundaries(text)
            if min_col is None or min_row is None or max_col is None or max_row is None:
                continue  # a whole row or column, which a merged range never is
            if min_row <= row <= max_row:
                for column in range(min_col, max_col):  # 1-based min_col+1 .. max_col as 0-based indexes
                    covered[column] = text.replace(":", "–")
    return covered


def _unsaved_message(first: list[str], count: int) -> str:
    """The cells holding a formula without a saved value: the first few by name, and how many more."""
    advice = "Öppna filen i Excel eller LibreOffice och spara den igen."
    if count == 1:
        return f"Cellen {first[0]} innehåller en formel utan sparat värde. {advice}"
    more = count - len(first)
    listed = (
        ", ".join(first) + f" och {format_number(more)} till" if more else ", ".join(first[:-1]) + " och " + first[-1]
    )
    return f"Cellerna {listed} innehåller formler utan sparade värden. {advice}"
