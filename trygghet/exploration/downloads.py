"""Downloads of the activities behind a view, for Swedish Excel.

CSV: UTF-8 with a byte-order mark (so Excel reads å, ä, ö), `;` between fields and a
decimal comma, as Excel in Swedish expects. XLSX: real numbers and dates in cells.

Both neutralise formula injection: a text cell beginning with =, +, -, @ (or a tab or
carriage return, which Excel also treats as the start of a formula) gets a leading
apostrophe, so a comment such as "=HYPERLINK(...)" is shown as text, never run. Only
text is touched: a number stays a number, negative ones included.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any, TypeVar

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the heading row
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_V = TypeVar("_V")


def neutralise(value: _V) -> _V | str:
    """A text that a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text(series: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(series)
        or pd.api.types.is_bool_dtype(series)
        or pd.api.types.is_datetime64_any_dtype(series)
    )


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if _is_text(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM, CRLF line ends; headings neutralised too."""
    out = _neutralised(frame)
    out.columns = [neutralise(str(c)) for c in out.columns]
    text: str = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n", date_format="%Y-%m-%d")
    return text.encode("utf-8-sig")


def _cell_value(value: Any) -> Any:
    """A plain Python value for openpyxl: None for missing, numbers and dates as themselves."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):  # numpy scalars
        return value.item()
    return neutralise(value)


def to_xlsx(frame: pd.DataFrame, sheet: str = "Aktiviteter") -> bytes:
    """One sheet with a bold heading row; dates as dates (ÅÅÅÅ-MM-DD), numbers as numbers, text neutralised."""
    if len(frame) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(frame)} rows do not fit in one Excel sheet")
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.freeze_panes = "A2"
    for n, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(10, min(40, len(str(column)) + 2))
    bold = Font(bold=True)
    heading = []
    for column in frame.columns:
        cell = WriteOnlyCell(ws, value=neutralise(str(column)))
        cell.font = bold
        heading.append(cell)
    ws.append(heading)
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value in row:
            value = _cell_value(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
