"""Import templates for every activity type, as CSV (UTF-8 with BOM, `;`) and as XLSX with instructions.

Built from the declarations in activity_types.py, so a template always has the
columns the upload validation reads, with the same Swedish headers. The example
rows show both shapes of a row: one activity, and a summary of several over a
date range; uploading a template unchanged imports exactly those two rows. Every
cell passes downloads.neutralise, as every file the app writes does: an area's
name that looks like a formula is text in the template, never a live formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from trygghet.exploration.downloads import neutralise
from trygghet.formatting import format_number, lower_first
from trygghet.importing.cell_rules import MAX_TEXT, all_fields
from trygghet.reference.activity_types import ACTIVITY_TYPES, ActivityType, Field
from trygghet.settings import settings

TYPE_HEADER = "Aktivitetstyp"
FORMATS = ("csv", "xlsx")
_Example = str | int | float | dt.date | dt.time | None  # a cell of an example row
SUMMARY_COUNT = 12
FILE_SLUGS = {
    "foot_patrol": "fotpatrull",
    "traffic_control": "trafikkontroll",
    "atractor_check": "a-traktorkontroll",
    "info_meeting": "informationstraff",
    "drug_operation": "insats-droghandel",
    "staff_training": "utbildning-personal",
    "awareness": "informationsinsats",
}


def file_name(code: str, fmt: str) -> str:
    return f"mall-{FILE_SLUGS[code]}.{fmt}"


def _example(f: Field, summary: bool, area: str) -> _Example:
    """The example value of a field, as a Python value (the CSV writer turns it into Swedish text)."""
    values = {
        "date_from": dt.date(2024, 3, 1) if summary else dt.date(2024, 3, 5),
        "date_to": dt.date(2024, 3, 31) if summary else None,
        "activity_count": SUMMARY_COUNT if summary else 1,
        "start_time": None if summary else dt.time(18, 30),
        "duration_min": 30.0 if summary else 2.5,
        "area_code": area,
        "place": None if summary else "Köpcentrum",
        "organisation": "polisen",
        "staff_count": 2,
        "external_id": None,
        "comment": "Månadssammanställning från verksamhetssystemet." if summary else "Lugnt i området.",
    }
    if f.column in values:
        return values[f.column]
    if f.kind == "int":
        return 3 * (SUMMARY_COUNT if summary else 1)
    if f.kind == "bool":
        return True
    if f.kind in ("choice", "choices"):
        return f.choices[0]
    return None


def _allowed(f: Field, areas: list[str], code: str) -> str:
    if f.column == "area_code":
        return ", ".join(areas)
    if f.column == "organisation":
        return "polisen, kommunen eller samverkan"
    if f.column == "comment":
        return (
            f"fri text, högst {MAX_TEXT} tecken, utan personuppgifter (inga namn, personnummer, "
            "samordningsnummer, telefonnummer, e-postadresser, registreringsnummer eller gatuadresser)"
        )
    limits = settings().plausibility
    limit = limits.max_count(code, f.column)
    most = f" (högst {format_number(limit)} per aktivitet)" if limit else ""
    return {
        "date": "datum, t.ex. 2024-03-05 eller 5/3/2024, inte senare än i dag",
        "time": "klockslag, t.ex. 18:30 eller 18.30",
        "hours": f"timmar, decimalkomma går bra, t.ex. 2,5 (högst {limits.max_hours_per_activity} per aktivitet)",
        "int": ("heltal, minst 1" if f.minimum else "heltal, 0 eller mer") + most,
        "bool": "ja eller nej",
        "choice": ", ".join(f.choices),
        "choices": "ett eller flera av: " + ", ".join(f.choices) + " (åtskilda med kommatecken)",
        "text": f"fri text, högst {MAX_TEXT} tecken, utan personuppgifter",
    }[f.kind]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (dt.date, dt.time)):
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value.isoformat()
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _rows(t: ActivityType, area: str) -> tuple[list[str], list[list[_Example]]]:
    fields = all_fields(t)
    headers = [TYPE_HEADER, *(f.label for f in fields)]
    rows = [[t.label, *(_example(f, summary, area) for f in fields)] for summary in (False, True)]
    return [neutralise(h) for h in headers], [_safe(row) for row in rows]


def _safe(values: Sequence[_Example]) -> list[_Example]:
    return [neutralise(v) for v in values]


def template_csv(code: str, areas: list[str]) -> bytes:
    headers, rows = _rows(ACTIVITY_TYPES[code], areas[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_text(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(code: str, areas: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    t = ACTIVITY_TYPES[code]
    headers, rows = _rows(t, areas[0])
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one sheet, active
    sheet.title = "Aktiviteter"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, dt.time):
                cell.number_format = "hh:mm"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 2)
    sheet.freeze_panes = "A2"

    guide = book.create_sheet("Instruktioner")
    guide.append(_safe([f"Mall för {lower_first(t.plural)}"]))
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "Fyll i en rad per aktivitet på bladet Aktiviteter, eller en rad som sammanfattar flera aktiviteter:",
        "ange då Datum (första dagen), Till och med (sista dagen) och Antal aktiviteter; mätvärdena är summor.",
        "Exempelraderna visar båda sätten. Ta bort dem innan du laddar upp filen.",
        "Aktivitetsloggar får inte innehålla personuppgifter.",
        "",
    ):
        guide.append(_safe([line]))
    guide.append(["Kolumn", "Obligatorisk", "Tillåtna värden", "Förklaring", "Exempel"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    guide.append(_safe([TYPE_HEADER, "nej", t.label, "Vilken aktivitetstyp filen gäller (en typ per fil).", t.label]))
    for f in all_fields(t):
        guide.append(
            _safe(
                [
                    f.label,
                    "ja" if f.required else "nej",
                    _allowed(f, areas, t.code),
                    f.help,
                    _text(_example(f, False, areas[0])),
                ]
            )
        )
    for letter, width in zip("ABCDE", (28, 13, 60, 60, 20), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template(code: str, fmt: str, areas: list[str]) -> bytes:
    return template_csv(code, areas) if fmt == "csv" else template_xlsx(code, areas)
