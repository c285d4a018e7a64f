"""Reading an upload so that nothing is lost, invented or misread (issue 16, items 1–5 and 8): every sheet,
cells under empty or merged headers, formulas, units by header, empty files and missing columns, limits,
and the temporary directory. One file per rule in tests/data/ (made by tests/data/make_corpus.py; the
*_libreoffice.* files saved by LibreOffice Calc), each with its exact outcome."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.factories import DATA, REMOVE, RESAVE, TESTER, command
from tests.factories import READING_REFUSED as REFUSED
from trygghet.config import PROJECT_ROOT
from trygghet.importing import pipeline, read
from trygghet.importing.read import Limits


def _import(store, name: str, **kwargs) -> pipeline.Preview:
    return pipeline.import_file(store, name, (DATA / name).read_bytes(), imported_by="test", **kwargs)


def _activities(store) -> list[tuple]:
    with store.connect() as con:
        return con.execute(
            "SELECT activity_type, date_from, duration_min, citizen_contacts, vehicles_checked"
            " FROM activities ORDER BY id"
        ).fetchall()


@pytest.fixture(autouse=True)
def _own_temporary_root(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TMP", str(tmp_path / "tmp"))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_breaking_a_reading_rule_is_refused_with_its_message_and_writes_nothing(tmp_store, name):
    version = tmp_store.data_version()
    result = _import(tmp_store, name)
    assert [str(p) for p in result.problems] == REFUSED[name]
    assert result.batch_id is None and not result.can_import
    assert tmp_store.activity_count() == 0 and tmp_store.batches().empty and tmp_store.data_version() == version


def test_every_sheet_with_data_is_read_into_one_batch_and_the_others_are_named(tmp_store):
    result = _import(tmp_store, "blad_per_manad_libreoffice.xlsx")
    assert result.notes == [
        "Bladet Försättsblad läses inte: rubrikraden har ingen kolumn som en aktivitetslogg har (t.ex. Datum eller "
        "Område), så det ser ut att vara ett försättsblad eller en förklaring.",
        "Bladet Maj läses inte: det har rubriker men inga rader.",
        "Bladet Tomt läses inte: det är tomt.",
    ]
    assert [(p.sheet, p.activity_type, p.description, p.rows, p.new) for p in result.parts] == [
        ("Mars", "foot_patrol", "Excel, bladet Mars", 3, 3),
        ("April", "traffic_control", "Excel, bladet April", 2, 2),
    ]
    assert result.summary()[:3] == [
        "Fil: blad_per_manad_libreoffice.xlsx (Excel, 2 blad)",
        "Blad: Mars (Fotpatrull), April (Trafikkontroll)",
        "Rader i filen: 5",
    ]
    assert (result.rows, result.new, result.batch_id) == (5, 5, 1)
    batch = tmp_store.batches().iloc[0]
    assert (batch.rows_added, batch.activity_type) == (5, None)
    # Mars: 2 hours = 120 minutes each, the day of the month as contacts; April: vehicles checked.
    assert _activities(tmp_store) == [
        ("foot_patrol", dt.date(2024, 3, 5), 120, 5, None),
        ("foot_patrol", dt.date(2024, 3, 12), 120, 12, None),
        ("foot_patrol", dt.date(2024, 3, 19), 120, 19, None),
        ("traffic_control", dt.date(2024, 4, 2), None, None, 40),
        ("traffic_control", dt.date(2024, 4, 9), None, None, 55),
    ]
    assert tmp_store.undo_batch(1, TESTER) == 5


def test_an_activity_on_two_sheets_counts_once(tmp_store):
    from openpyxl import Workbook

    book = Workbook()
    for title, days in (("Mars", (5, 6)), ("Mars igen", (6, 7))):
        sheet = book.create_sheet(title)
        sheet.append(["Datum", "Område", "Organisation", "Varaktighet (timmar)", "Medborgarkontakter"])
        for day in days:
            sheet.append([dt.date(2024, 3, day), "Vivsta", "polisen", 2, day])
    del book["Sheet"]
    path = DATA.parent / "tmp-two-sheets.xlsx"
    try:
        book.save(path)
        data = path.read_bytes()
    finally:
        path.unlink()
    result = pipeline.import_file(tmp_store, "två.xlsx", data, imported_by="test")
    second = result.parts[1]
    assert (second.new, second.duplicates) == (1, 1)
    assert list(second.duplicate_rows["Varför den hoppas över"]) == ["samma som bladet Mars, rad 3"]
    assert (result.new, result.duplicates) == (3, 1)
    assert [r[1].day for r in _activities(tmp_store)] == [5, 6, 7]
    assert tmp_store.batches().iloc[0].rows_skipped == 1


def test_one_sheet_is_picked_by_name(tmp_store):
    result = _import(tmp_store, "blad_per_manad_libreoffice.xlsx", sheet="April")
    assert (result.activity_type, result.description, result.new, result.parts) == (
        "traffic_control",
        "Excel, bladet April",
        2,
        [],
    )
    missing = _import(tmp_store, "blad_per_manad_libreoffice.xlsx", sheet="Juni")
    assert [str(p) for p in missing.problems] == [
        "Excel-filen har inget blad som heter Juni; bladen heter Försättsblad, Mars, April, Maj, Tomt."
    ]


@pytest.mark.slow
def test_the_command_reads_every_sheet_or_the_one_named(tmp_store):
    path = str(DATA / "blad_per_manad_libreoffice.xlsx")
    picked = command("import", path, "--sheet", "Mars", "--dry-run", db=tmp_store.path, today="2026-11-30")
    assert picked.returncode == 0 and "Aktivitetstyp: Fotpatrull" in picked.stdout
    done = command("import", path, db=tmp_store.path, today="2026-11-30")
    assert done.returncode == 0, done.stdout
    assert (
        "Bladet Mars: Aktivitetstyp: Fotpatrull; Rader i filen: 3; Tillagda: 3; Finns redan (hoppas över): 0"
        in done.stdout.splitlines()
    )
    assert tmp_store.activity_count() == 5


def test_data_past_the_last_header_names_its_column_under_an_empty_header_and_its_row_past_the_header(tmp_store):
    """The header line has six fields, the last two empty; row 4 has seven."""
    data = (
        "Datum;Område;Organisation;Medborgarkontakter;;\n2024-04-01;Vivsta;polisen;3;;x\n"
        "2024-04-02;Vivsta;polisen;3;;\n2024-04-03;Vivsta;polisen;3;;y;z\n"
    ).encode()
    result = pipeline.import_file(
        tmp_store, "x.csv", data, "foot_patrol", imported_by="test", allow_missing=frozenset({"duration_min"})
    )
    assert [str(p) for p in result.problems] == [
        "Rad 4: raden har 7 fält men rubrikraden har 6",
        f"Kolumn F: kolumnen har ingen rubrik, men den innehåller data (rad 2 och 4). Ge kolumnen en egen rubrik, {REMOVE}",
    ]
    assert tmp_store.activity_count() == 0


def test_many_formulas_without_values_are_named_by_the_first_three_and_counted(tmp_store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Patruller"
    book.active.append(["Datum", "Område", "Organisation", "Varaktighet (timmar)", "Medborgarkontakter"])
    for row in range(2, 7):  # E2:E6, five formulas written by a script: no saved values
        book.active.append([dt.date(2024, 3, row), "Vivsta", "polisen", 2, f"=D{row}+1"])
    only = book.create_sheet("Summor")
    only["A1"] = "=SUM(Patruller!E2:E6)"
    book.save(tmp_path / "formler.xlsx")
    data = (tmp_path / "formler.xlsx").read_bytes()
    result = pipeline.import_file(tmp_store, "formler.xlsx", data, imported_by="test")
    assert [str(p) for p in result.problems] == [
        f"Bladet Summor: Cellen A1 innehåller en formel utan sparat värde. {RESAVE}"
    ]
    result = pipeline.import_file(tmp_store, "formler.xlsx", data, imported_by="test", sheet="Patruller")
    assert [str(p) for p in result.problems] == [
        f"Cellerna E2, E3, E4 och 2 till innehåller formler utan sparade värden. {RESAVE}"
    ]
    assert tmp_store.activity_count() == 0


def test_formulas_with_saved_values_import_their_values(tmp_store):
    result = _import(tmp_store, "formel_med_sparat_varde_libreoffice.xlsx")
    assert (result.problems, result.new) == ([], 11)
    assert _activities(tmp_store)[-1][3] == 11  # F12 = F11 + 1 = 10 + 1


@pytest.mark.parametrize(
    ("name", "minutes"),
    [
        ("fotpatrull_duration_min_libreoffice.xlsx", [120, 45]),  # the store's own name: minutes
        ("fotpatrull_varaktighet_minuter.csv", [90, 150]),
        ("fotpatrull_utf8_bom.csv", [150, 90, 120, 60]),  # Varaktighet (timmar): 2,5 h = 150 min
    ],
)
def test_a_duration_is_read_in_the_unit_its_header_states(tmp_store, name, minutes):
    result = _import(tmp_store, name)
    assert result.problems == [] and result.batch_id == 1
    assert [r[2] for r in _activities(tmp_store)] == minutes


def test_a_unit_on_a_count_must_be_pieces():
    from trygghet.importing.cell_rules import field_lookup
    from trygghet.importing.units import UnitError, match_header
    from trygghet.reference.activity_types import ACTIVITY_TYPES

    lookup = field_lookup(ACTIVITY_TYPES["traffic_control"])
    assert match_header("Kontrollerade fordon (st)", lookup).column == "vehicles_checked"
    assert match_header("Datum (åååå-mm-dd)", lookup).column == "date_from"
    assert match_header("Tid timmar", lookup).kind == "hours"
    assert match_header("Varaktighet h", lookup).kind == "hours"
    assert match_header("duration_min", lookup).kind == "minutes"
    assert match_header("Okänd (st)", lookup) is None
    with pytest.raises(UnitError, match="enheten tusental känns inte igen för kontrollerade fordon"):
        match_header("Kontrollerade fordon (tusental)", lookup)
    with pytest.raises(UnitError, match="enheten minuter känns inte igen för starttid"):
        match_header("Starttid (minuter)", lookup)


def test_a_missing_column_that_a_target_reads_must_be_confirmed(tmp_store):
    result = _import(tmp_store, "fotpatrull_utan_varaktighet.csv")
    titles = ("Fotpatrullering i hela kommunen, timmar", "Fotpatrullering i centrala Timrå, timmar")
    assert result.unconfirmed == {"duration_min": ("Varaktighet (timmar)", titles)}
    assert (result.new, result.batch_id, result.can_import) == (1, None, False)
    assert tmp_store.activity_count() == 0
    assert pipeline.missing_text("duration_min", *result.unconfirmed["duration_min"]) == (
        "Kolumnen Varaktighet (timmar) saknas i filen. Utan den blir de här siffrorna lägre än verkligheten: "
        "Fotpatrullering i hela kommunen, timmar; Fotpatrullering i centrala Timrå, timmar."
    )
    done = _import(tmp_store, "fotpatrull_utan_varaktighet.csv", allow_missing=frozenset({"Varaktighet (timmar)"}))
    assert (done.batch_id, tmp_store.activity_count()) == (1, 1)


@pytest.mark.slow
def test_the_command_refuses_a_missing_column_until_it_is_allowed(tmp_store):
    path = str(DATA / "fotpatrull_utan_varaktighet.csv")
    refused = command("import", path, db=tmp_store.path, today="2026-11-30")
    assert refused.returncode == 1 and tmp_store.activity_count() == 0
    assert refused.stdout.splitlines()[-1] == (
        "Kolumnen Varaktighet (timmar) saknas i filen. Utan den blir de här siffrorna lägre än verkligheten: "
        "Fotpatrullering i hela kommunen, timmar; Fotpatrullering i centrala Timrå, timmar. Inget importerades. "
        "Kör igen med --allow-missing duration_min om filen ska importeras ändå."
    )
    done = command("import", path, "--allow-missing", "duration_min", db=tmp_store.path, today="2026-11-30")
    assert done.returncode == 0 and tmp_store.activity_count() == 1


def test_a_line_over_the_limit_is_an_error_not_a_silent_drop(tmp_store, monkeypatch):
    monkeypatch.setattr(read, "LIMITS", Limits(line_bytes=1024))
    result = _import(tmp_store, "fel_for_lang_rad.csv")
    # Line 3 is "2024-03-06;19:00;2;Vivsta;;polisen;2;3;" (39 bytes) and 2 000 x's: 2 039 bytes, 2,0 kB.
    assert [str(p) for p in result.problems] == [
        "Rad 3 i filen är 2,0 kB lång; en rad får vara högst 1 kB. Filen läses inte. Kontrollera "
        "radbrytningarna, eller dela upp raden."
    ]
    assert tmp_store.activity_count() == 0


@pytest.mark.parametrize(
    ("limits", "name", "message"),
    [
        (
            Limits(columns=5),
            "fotpatrull_utf8_bom.csv",
            "Rubrikraden har 9 kolumner; högst 5 kan läsas. Ta bort de kolumner som inte behövs.",
        ),
        (
            Limits(csv_cells=40),
            "fotpatrull_utf8_bom.csv",  # 5 lines × 9 columns = 45 cells
            "Filen har 5 rader och 9 kolumner, fler celler än de 40 som kan läsas på en gång. Dela upp filen.",
        ),
        (
            Limits(xlsx_cells=20),
            "fotpatrull_excel_serienummer.xlsx",
            "Excel-filen har fler än 20 celler och kan inte läsas på en gång. Dela upp den, eller spara den som CSV.",
        ),
        (Limits(xlsx_unpacked_bytes=1024), "fotpatrull_excel_serienummer.xlsx", None),
    ],
)
def test_a_file_over_a_limit_is_refused_before_it_is_read_whole(tmp_store, monkeypatch, limits, name, message):
    monkeypatch.setattr(read, "LIMITS", limits)
    result = _import(tmp_store, name)
    assert len(result.problems) == 1 and tmp_store.activity_count() == 0
    if message:
        assert str(result.problems[0]) == message
    else:
        assert str(result.problems[0]).startswith("Excel-filen packas upp till ")
        assert str(result.problems[0]).endswith("; högst 1 kB kan läsas. Dela upp filen, eller spara den som CSV.")


def test_a_declared_dimension_of_the_whole_grid_costs_nothing(tmp_path):
    """A sheet declaring A1:XFD1048576 with two rows is read in a fresh process well within 100 MB more than
    the interpreter and its libraries take (the old reader padded every row to 16 384 cells)."""
    script = textwrap.dedent(f"""
        import duckdb, numpy, openpyxl, pandas   # noqa: F401 (the baseline: what any import loads)
        from bench.support import peak_mb         # this process's own peak (not pytest's, as ru_maxrss)
        from trygghet.importing.read import read_file
        before = peak_mb()
        read = read_file("x.xlsx", open({str(DATA / "deklarerad_dimension_hela_bladet.xlsx")!r}, "rb").read())
        print(read.sheets[0].data_rows, round(peak_mb() - before))
        read.close()
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "TRYGGHET_TMP": str(tmp_path)},
        timeout=120,
    )
    rows, grown_mb = map(int, done.stdout.split())
    assert rows == 2 and grown_mb < 100, done.stderr


def test_temporary_files_are_removed_after_an_import_and_a_killed_import_leaves_none_for_long(tmp_store, tmp_path):
    root = tmp_path / "tmp"
    _import(tmp_store, "fotpatrull_utf8_bom.csv")
    _import(tmp_store, "blad_per_manad_libreoffice.xlsx")
    assert [p.name for p in root.glob("*/*")] == [".lock"]  # this process's folder, empty
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
        import os, signal
        from trygghet.importing.read import temporary_file
        path = temporary_file(".csv")
        open(path, "w").write("Datum;Område\\n" * 1000)
        print(path, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "TRYGGHET_TMP": str(root)},
    )
    assert killed.returncode == -signal.SIGKILL
    left = killed.stdout.strip()
    assert os.path.exists(left)
    removed = read.clean_temporary()  # as at start-up, or after the next import
    assert [p.name for p in removed] == [os.path.basename(os.path.dirname(left))]
    assert not os.path.exists(left) and [p.name for p in root.glob("*/*")] == [".lock"]


@pytest.mark.parametrize(
    "sheet,message",
    [
        ("Mars", "Bladet Mars är tomt."),
        (
            None,
            "Excel-filen har inget blad att läsa. Bladet Instruktioner läses inte: det är mallens instruktioner. "
            "Bladet Mars läses inte: det är tomt.",
        ),
    ],
)
def test_a_workbook_with_nothing_to_read_is_refused_with_why(tmp_store, sheet, message):
    """Found by the fuzz test: a chosen sheet that is empty, or a workbook whose only sheets are the instructions
    and an empty one, raised a ValueError (no sheets to check) instead of saying so."""
    from openpyxl import Workbook

    book = Workbook()
    book["Sheet"].title = "Instruktioner"
    book["Instruktioner"].append(["Fyll i bladet Mars."])
    book.create_sheet("Mars")
    buffer = io.BytesIO()
    book.save(buffer)
    version = tmp_store.data_version()
    result = pipeline.import_file(tmp_store, "tom.xlsx", buffer.getvalue(), imported_by="test", sheet=sheet)
    assert [str(p) for p in result.problems] == [message]
    assert result.batch_id is None and not result.can_import
    assert tmp_store.activity_count() == 0 and tmp_store.batches().empty and tmp_store.data_version() == version
