"""Upload of activity logs: the corpus in tests/data/ (one file per rule), atomicity, idempotence, undo, CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import duckdb
import pytest

from tests.factories import DATA, GOOD, READING_FILES, TESTER, command
from trygghet.config import PROJECT_ROOT
from trygghet.importing import cell_rules, pipeline
from trygghet.importing.read import RARE_BLANKS
from trygghet.importing.templates import template
from trygghet.reference.activity_types import ACTIVITY_TYPES

PII = "aktivitetsloggar får inte innehålla personuppgifter"
BAD = {
    "fel_datum.csv": ["Rad 17, kolumn datum: 2024-13-01 är inget giltigt datum"],
    "fel_omrade.csv": [
        "Rad 2, kolumn Område: Timrå centrun är inget känt område; menade du Timrå centrum?",
        "Rad 3, kolumn Område: Mordor är inget känt område; kända områden: Bergeforsen, Fagervik, Hela kommunen, "
        "Hässjö, Ljustorp, Lögdö, Stavreviken, Sörberge, Söråker, Timrå centrum, Tynderö, Vivsta, Åkroken",
        "Rad 4, kolumn Område: Sörbärge är inget känt område; menade du Sörberge?",
    ],
    "fel_personnummer.csv": [f"Rad 3, kolumn Kommentar: ser ut att innehålla ett personnummer; {PII}"],
    "fel_telefonnummer.csv": [f"Rad 3, kolumn Kommentar: ser ut att innehålla ett telefonnummer; {PII}"],
    "fel_epost.csv": [f"Rad 3, kolumn Kommentar: ser ut att innehålla en e-postadress; {PII}"],
    "fel_registreringsnummer.csv": [f"Rad 3, kolumn Kommentar: ser ut att innehålla ett registreringsnummer; {PII}"],
    "fel_obligatorisk_kolumn_saknas.csv": ["Kolumn Område: kolumnen saknas men är obligatorisk"],
    "fel_varden_saknas.csv": [
        "Rad 2, kolumn Område: värde saknas; kolumnen är obligatorisk",
        "Rad 3, kolumn Datum: värde saknas; kolumnen är obligatorisk",
        "Rad 3, kolumn Organisation: värde saknas; kolumnen är obligatorisk",
    ],
    "fel_tal.csv": [
        "Rad 2, kolumn Varaktighet (timmar): två är inget antal timmar (t.ex. 2,5)",
        "Rad 2, kolumn Antal personal: tre är inget heltal",
        "Rad 2, kolumn Medborgarkontakter: -2 får inte vara negativt",
        "Rad 3, kolumn Varaktighet (timmar): -1 får inte vara negativt",
        "Rad 3, kolumn Antal personal: 0 måste vara minst 1",
        "Rad 3, kolumn Medborgarkontakter: 2,5 är inget heltal",
    ],
    "fel_tid.csv": [
        "Rad 2, kolumn Starttid: 25:00 är inget giltigt klockslag (t.ex. 18:30)",
        "Rad 3, kolumn Starttid: kväll är inget giltigt klockslag (t.ex. 18:30)",
    ],
    "fel_sammanstallning.csv": [
        "Rad 2, kolumn Till och med: 2024-03-01 är före datumet 2024-03-31",
        "Rad 3, kolumn Starttid: en rad som sammanfattar flera dagar kan inte ha en starttid",
        "Rad 4, kolumn Antal aktiviteter: 0 måste vara minst 1",
    ],
    "fel_flera_typer.csv": [
        "Kolumn Aktivitetstyp: filen innehåller flera aktivitetstyper (Fotpatrull, "
        "Trafikkontroll); dela upp den i en fil per typ"
    ],
    "okand_typ.csv": [
        "Det går inte att se vilken aktivitetstyp filen gäller. Välj typ (på sidan, eller med --type "
        "på kommandoraden), eller lägg till en kolumn Aktivitetstyp."
    ],
    "fel_extra_falt.csv": ["Rad 3: raden har 6 fält men rubrikraden har 4"],
    "fel_trasig.xlsx": ["Excel-filen är trasig eller ofullständig och kan inte läsas. Spara den på nytt."],
    "fel_binar.csv": [
        "Filens teckenkodning känns inte igen. Spara den som CSV i UTF-8 eller Windows-1252 (Västeuropeisk)."
    ],
    "fel_gammalt_excelformat.xls": [
        "Filen är i Excels gamla format (.xls). Spara den som .xlsx eller CSV och ladda upp igen."
    ],
    "fel_organisation.csv": [
        "Rad 2, kolumn Organisation: Länsstyrelsen är ingen känd organisation; ange polisen, kommunen eller samverkan"
    ],
    "fel_kontrolltyp_och_riskplats.csv": [
        "Rad 2, kolumn Typ av kontroll: alkohol är inget tillåtet värde; tillåtna värden: hastighet, nykterhet, "
        "kombinerad",
        "Rad 2, kolumn Identifierad riskplats: kanske ska vara ja eller nej",
    ],
    "fel_amnen.csv": [
        "Rad 2, kolumn Ämnen: fiske är inget tillåtet värde; tillåtna värden: alkohol, narkotika, "
        "trafik, våld i nära relation, brott och trygghet, nätdroger"
    ],
    "fel_olagliga_fler_an_kontrollerade.csv": [
        "Rad 2, kolumn Olagliga eller ombyggda fordon: 6 är fler än antalet kontrollerade fordon (4)"
    ],
}


# Files of the corpus without an optional column that an indicator with a target reads: imported as if the
# user had confirmed (the warning itself is tested in test_import_reading.py).
WITHOUT = {
    "droghandel_typkolumn.csv": frozenset({"youth_focus"}),
    "fotpatrull_dubbletter.csv": frozenset({"duration_min"}),
}


def _import(store, name: str, **kwargs) -> pipeline.Preview:
    kwargs.setdefault("allow_missing", WITHOUT.get(name, frozenset()))
    return pipeline.import_file(store, name, (DATA / name).read_bytes(), imported_by="test", **kwargs)


def _rows(store, sql: str = "SELECT * FROM activities ORDER BY id") -> list[dict]:
    with store.connect() as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_corpus_has_a_test_for_every_file():
    files = {p.name for p in DATA.iterdir() if p.is_file() and p.suffix != ".py"}
    assert files == set(GOOD) | set(BAD) | {"fotpatrull_dubbletter.csv"} | READING_FILES


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_file_imports_every_row(tmp_store, name):
    activity_type, description, rows = GOOD[name]
    result = _import(tmp_store, name)
    assert (result.activity_type, result.description, result.rows) == (activity_type, description, rows)
    assert result.problems == [] and result.notes == []
    assert (result.new, result.duplicates, result.batch_id) == (rows, 0, 1)
    assert tmp_store.stats().per_type[activity_type] == rows


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_names_row_and_column_and_changes_nothing(tmp_store, name):
    version = tmp_store.data_version()
    result = _import(tmp_store, name)
    assert [str(p) for p in result.problems] == BAD[name]
    assert result.batch_id is None and not result.can_import
    assert tmp_store.activity_count() == 0 and tmp_store.batches().empty
    assert tmp_store.data_version() == version


def test_cells_are_read_as_their_values_whatever_the_export(tmp_store):
    _import(tmp_store, "fotpatrull_utf8_bom.csv")
    rows = _rows(tmp_store)
    assert [(r["date_from"], r["start_time"], r["duration_min"], r["area_code"], r["organisation"]) for r in rows] == [
        (dt.date(2024, 3, 5), dt.time(18, 30), 150, "timra-centrum", "polisen"),
        (dt.date(2024, 3, 6), dt.time(18, 30), 90, "timra-centrum", "polisen"),
        (dt.date(2024, 3, 7), dt.time(21, 15), 120, "timra-centrum", "samverkan"),
        (dt.date(2024, 3, 8), dt.time(9, 5), 60, "vivsta", "samverkan"),
    ]
    assert [r["comment"] for r in rows] == ["Lugnt i området.", None, "Samverkan med fältassistenter.", None]


@pytest.mark.parametrize("blank", [" ", *map(chr, RARE_BLANKS)], ids=repr)
def test_cells_are_trimmed_of_every_kind_of_blank(tmp_store, blank):
    """Only a file holding a rare blank pays for looking for it, so both ways of trimming are tried.
    The cells are quoted, as a spreadsheet quotes a cell holding a carriage return."""
    text = (
        "Datum;Område;Organisation;Plats;Kommentar\r\n"
        f'"{blank}2024-03-05";"Vivsta{blank}";"{blank}{blank}Polisen";"{blank}";"{blank}Torget {blank}"\r\n'
        '2024-03-06;Vivsta;Polisen;Skolan;" "\r\n'
    )
    result = pipeline.import_file(
        tmp_store,
        "blanka.csv",
        text.encode(),
        "foot_patrol",
        imported_by="test",
        allow_missing=frozenset({"duration_min"}),
    )
    assert result.problems == [] and result.new == 2
    assert [
        (r["date_from"], r["area_code"], r["organisation"], r["place"], r["comment"]) for r in _rows(tmp_store)
    ] == [
        (dt.date(2024, 3, 5), "vivsta", "polisen", None, "Torget"),
        (dt.date(2024, 3, 6), "vivsta", "polisen", "Skolan", None),
    ]


def test_day_first_dates_decimal_comma_and_english_headers(tmp_store):
    _import(tmp_store, "atraktor_komma_engelska_rubriker.csv")
    rows = _rows(tmp_store)
    assert [
        (
            r["date_from"],
            r["start_time"],
            r["duration_min"],
            r["organisation"],
            r["vehicles_checked"],
            r["illegal_vehicles"],
        )
        for r in rows
    ] == [
        (dt.date(2024, 3, 5), dt.time(18, 30), 150, "polisen", 12, 3),
        (dt.date(2024, 4, 12), dt.time(19), 90, "kommunen", 8, 0),
        (dt.date(2024, 5, 1), dt.time(20), 180, "polisen", 15, 4),
    ]


def test_excel_serial_dates_and_a_spreadsheet_saved_by_libreoffice(tmp_store):
    _import(tmp_store, "fotpatrull_excel_serienummer.xlsx")
    assert [(r["date_from"], r["start_time"], r["area_code"]) for r in _rows(tmp_store)] == [
        (dt.date(2024, 3, 5), dt.time(18, 30), "timra-centrum"),
        (dt.date(2024, 3, 6), dt.time(19, 30), "vivsta"),
        (dt.date(2024, 3, 7), dt.time(20, 30), "fagervik"),
    ]
    _import(tmp_store, "trafikkontroll_manadssummor_libreoffice.xlsx")
    summaries = _rows(tmp_store, "SELECT * FROM activities WHERE activity_type = 'traffic_control' ORDER BY id")
    assert [
        (r["date_from"], r["date_to"], r["activity_count"], r["duration_min"], r["breath_tests"], r["external_id"])
        for r in summaries
    ] == [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31), 8, 1470, 290, "MAN-2024-01"),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29), 6, 1080, 225, "MAN-2024-02"),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 31), 7, 1260, 0, "MAN-2024-03"),
    ]


def test_windows_1252_from_libreoffice_keeps_the_swedish_letters(tmp_store):
    assert "Köpmangatan".encode("cp1252") in (DATA / "trafikkontroll_cp1252_libreoffice.csv").read_bytes()
    _import(tmp_store, "trafikkontroll_cp1252_libreoffice.csv")
    rows = _rows(tmp_store)
    assert [(r["place"], r["area_code"], r["duration_min"], r["control_kind"], r["risk_place"]) for r in rows] == [
        ("Köpmangatan", "timra-centrum", 150, "nykterhet", True),
        ("E4 norra påfarten", "sorberge", 90, "hastighet", True),
        ("Centrumvägen", "soraker", 180, "kombinerad", False),
    ]


def test_lists_of_topics_and_audiences_are_stored_sorted(tmp_store):
    _import(tmp_store, "informationstraff_tabb_typkolumn.txt")
    assert [(r["topics"], r["audiences"], r["participants"]) for r in _rows(tmp_store)] == [
        (["alkohol", "narkotika"], ["vårdnadshavare"], 34),
        (["våld i nära relation"], ["skolpersonal", "unga"], 21),
    ]


def test_a_repeated_external_id_is_skipped_and_identical_rows_are_as_many_activities(tmp_store):
    """Rows 3 and 4 share the id P-2: one activity, the later row skipped. Rows 5 and 6 have no id and are
    identical (Vivsta, vivsta): two patrols, both imported, and the note names them."""
    result = _import(tmp_store, "fotpatrull_dubbletter.csv")
    assert (result.rows, result.new, result.duplicates) == (5, 4, 1)
    assert list(result.duplicate_rows["Varför den hoppas över"]) == ["samma id som rad 3"]
    assert result.notes == [
        "Raderna 5 och 6 är likadana och importeras som 2 aktiviteter. Är det samma aktivitet "
        "flera gånger, ta bort de extra raderna och ladda upp filen igen."
    ]
    assert [r["citizen_contacts"] for r in _rows(tmp_store)] == [3, 4, 5, 5]
    assert tmp_store.batches().iloc[0][["rows_added", "rows_skipped", "rows_rejected"]].tolist() == [4, 1, 0]


def test_the_same_file_again_is_recognised_and_adds_nothing(tmp_store):
    first = _import(tmp_store, "fotpatrull_utf8_bom.csv")
    version = tmp_store.data_version()
    again = _import(tmp_store, "fotpatrull_utf8_bom.csv")
    imported_on = tmp_store.batches().imported_at.iloc[0].date()
    assert again.batch_id is None
    assert again.summary() == [
        f"Filen fotpatrull_utf8_bom.csv är redan importerad "
        f"{pipeline.format_date(imported_on)}, omgång {first.batch_id}. Inget läggs till."
    ]
    assert tmp_store.activity_count() == 4 and len(tmp_store.batches()) == 1
    assert tmp_store.data_version() == version


def test_rows_already_stored_by_another_file_are_skipped(tmp_store):
    _import(tmp_store, "fotpatrull_utf8_bom.csv")
    data = (DATA / "fotpatrull_utf8_bom.csv").read_bytes() + b"2024-03-09;19:00;1;Vivsta;;polisen;2;1;\r\n"
    result = pipeline.import_file(tmp_store, "mars.csv", data, imported_by="test")
    assert (result.new, result.duplicates, result.batch_id) == (1, 4, 2)
    assert list(result.duplicate_rows["Varför den hoppas över"]) == ["finns redan (omgång 1)"] * 4
    assert tmp_store.activity_count() == 5


def test_the_content_key_is_the_md5_of_the_normalised_row_whichever_way_it_was_stored(tmp_store):
    """Keys stored by earlier versions must keep matching: the key is pinned to a row worked out by hand,
    for a row imported from a file and the same row inserted by the store (as demo data is)."""
    from tests.factories import activity, add_rows

    by_hand = "|".join(
        [
            "foot_patrol",
            "2024-03-05",
            "2024-03-05",
            "1",
            "18:30:00",
            "90",
            "vivsta",
            "torget",
            "polisen",
            "2",
            "lugnt vid torget.",
            "3",
        ]
        + [""] * 12
        + ["", "", ""]
    )
    expected = hashlib.md5(by_hand.encode()).hexdigest()
    csv_file = (
        "Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;"
        "Kommentar\n2024-3-5;18.30;1,5;Vivsta; Torget ;Polisen;2;3;Lugnt vid torget.\n"
    )
    pipeline.import_file(tmp_store, "en.csv", csv_file.encode(), imported_by="test")
    add_rows(
        tmp_store,
        [
            activity(
                "foot_patrol",
                "2024-03-05",
                start_time=dt.time(18, 30),
                duration_min=90,
                area_code="vivsta",
                place="Torget",
                staff_count=2,
                citizen_contacts=3,
                comment="Lugnt vid torget.",
            )
        ],
    )
    assert [r["content_key"] for r in _rows(tmp_store)] == [expected, expected]


def test_same_external_id_is_a_duplicate_even_when_the_content_changed(tmp_store):
    _import(tmp_store, "droghandel_typkolumn.csv")
    changed = (DATA / "droghandel_typkolumn.csv").read_text(encoding="utf-8").replace(";9;2;1;", ";10;2;1;")
    result = pipeline.import_file(
        tmp_store, "ny.csv", changed.encode(), imported_by="test", allow_missing=WITHOUT["droghandel_typkolumn.csv"]
    )
    assert (result.new, result.duplicates) == (0, 2)
    assert [r["persons_checked"] for r in _rows(tmp_store)] == [9, 6]


def test_undo_takes_the_rows_out_and_keeps_the_batch_in_the_history(tmp_store):
    batch = _import(tmp_store, "fotpatrull_utf8_bom.csv").batch_id
    assert tmp_store.undo_batch(batch, TESTER) == 4
    history = tmp_store.batches().iloc[0]
    assert tmp_store.activity_count() == 0
    assert history.undone_by == "test" and history.undone_at is not None and history.rows_added == 4
    again = _import(tmp_store, "fotpatrull_utf8_bom.csv")  # an undone file may be imported again
    assert (again.new, again.batch_id) == (4, 2)


def test_an_import_interrupted_before_commit_writes_nothing(tmp_store, monkeypatch):
    real = tmp_store.insert_batch

    def insert_then_interrupt(con, batch, rows):
        real(con, batch, rows)
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 4
        raise KeyboardInterrupt

    monkeypatch.setattr(tmp_store, "insert_batch", insert_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _import(tmp_store, "fotpatrull_utf8_bom.csv")
    assert tmp_store.activity_count() == 0 and tmp_store.batches().empty


def test_a_row_the_store_refuses_rolls_back_the_whole_file(tmp_store, monkeypatch):
    """The store's constraints are the last line: if one ever disagrees with the validation, nothing is written."""
    original = cell_rules.typed_sql
    monkeypatch.setattr(cell_rules, "cell_checks", lambda *args: [])
    monkeypatch.setattr(cell_rules, "typed_sql", lambda f, p: p if f.kind == "int" else original(f, p))
    data = (DATA / "fotpatrull_utf8_bom.csv").read_bytes().replace(b";0;\r\n", b";-5;\r\n")
    with pytest.raises(duckdb.ConstraintException):
        pipeline.import_file(tmp_store, "x.csv", data, imported_by="test")
    assert tmp_store.activity_count() == 0 and tmp_store.batches().empty


def test_a_type_chosen_by_the_user_imports_a_file_without_type_hints(tmp_store):
    result = _import(tmp_store, "okand_typ.csv", activity_type="foot_patrol")
    assert (result.activity_type, result.new) == ("foot_patrol", 1)


def test_a_type_column_that_disagrees_with_the_chosen_type_is_an_error(tmp_store):
    result = _import(tmp_store, "droghandel_typkolumn.csv", activity_type="foot_patrol")
    assert [str(p) for p in result.problems][:1] == [
        "Rad 2, kolumn Typ: Insats mot öppen droghandel är en annan aktivitetstyp än filens (Fotpatrull); "
        "en fil ska bara innehålla en typ"
    ]


def test_unknown_columns_are_named_in_a_note_when_empty_and_refused_when_they_hold_data(tmp_store):
    data = b"Datum;Omr\xc3\xa5de;Organisation;Medborgarkontakter;Handl\xc3\xa4ggare\n2024-04-01;Vivsta;polisen;3;\n"
    result = pipeline.preview(tmp_store, "x.csv", data, allow_missing=frozenset({"duration_min"}))
    assert result.notes == ["Kolumner som inte hör till fotpatrull och inte läses in: Handläggare."]
    assert result.can_import and result.new == 1
    result = pipeline.preview(
        tmp_store, "x.csv", data.replace(b";3;\n", b";3;X\n"), allow_missing=frozenset({"duration_min"})
    )
    assert [str(p) for p in result.problems] == [
        "Kolumn E: rubriken Handläggare är ingen kolumn som fotpatrull har, men den innehåller data (rad 2). Byt "
        "till en rubrik som mallen har, eller ta bort kolumnen om uppgifterna inte ska läsas in."
    ]


def test_the_rejected_rows_download_has_the_rows_and_their_reasons(tmp_store):
    result = pipeline.preview(tmp_store, "fel_tid.csv", (DATA / "fel_tid.csv").read_bytes())
    assert result.rejected_csv.decode("utf-8-sig").splitlines() == [
        "Rad;Fel;Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;"
        "Kommentar",
        "2;kolumn Starttid: 25:00 är inget giltigt klockslag (t.ex. 18:30);2024-04-01;25:00;2;Vivsta;;polisen;2;3;",
        "3;kolumn Starttid: kväll är inget giltigt klockslag (t.ex. 18:30);2024-04-02;kväll;2;Vivsta;;polisen;2;3;",
    ]


def test_a_file_with_thousands_of_errors_lists_the_first_and_counts_the_rest(tmp_store):
    rows = "".join(f"2024-04-01;19:00;2;Vivsta;;polisen;2;x{i};\n" for i in range(1500))
    data = (
        "Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;"
        "Kommentar\n" + rows
    ).encode()
    result = pipeline.preview(tmp_store, "x.csv", data)
    assert (result.problem_count, result.rejected, len(result.problems)) == (1500, 1500, pipeline.MAX_LISTED)
    assert pipeline.problems_text(result)[-1] == "… och 500 fel till (alla finns i listan över avvisade rader)."
    assert len(result.rejected_csv.decode("utf-8-sig").splitlines()) == 1501


@pytest.mark.parametrize("code", sorted(ACTIVITY_TYPES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_template_imports_its_two_example_rows(tmp_store, code, fmt):
    areas = list(tmp_store.areas().name)
    data = template(code, fmt, areas)
    if fmt == "csv":
        assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").split("\r\n")[0].count(";") > 5
    result = pipeline.import_file(tmp_store, f"mall.{fmt}", data, imported_by="test")
    assert (result.activity_type, result.problems, result.new) == (code, [], 2)
    single, summary = _rows(tmp_store)
    assert (single["activity_count"], single["date_from"], single["date_to"]) == (
        1,
        dt.date(2024, 3, 5),
        dt.date(2024, 3, 5),
    )
    assert (summary["activity_count"], summary["date_from"], summary["date_to"]) == (
        12,
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 31),
    )


def test_the_excel_template_explains_every_column(tmp_store):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(template("traffic_control", "xlsx", list(tmp_store.areas().name))))
    assert book.sheetnames == ["Aktiviteter", "Instruktioner"]
    guide = {row[0]: row[1:] for row in book["Instruktioner"].iter_rows(min_row=8, values_only=True)}
    assert guide["Typ av kontroll"][:2] == ("ja", "hastighet, nykterhet, kombinerad")
    assert guide["Område"][0] == "ja" and "Timrå centrum" in guide["Område"][1]
    assert guide["Kommentar"][0] == "nej" and "utan personuppgifter" in guide["Kommentar"][1]
    assert guide["Utandningsprov"][1] == "heltal, 0 eller mer (högst 5\u00a0000 per aktivitet)"
    assert guide["Varaktighet (timmar)"][1] == "timmar, decimalkomma går bra, t.ex. 2,5 (högst 24 per aktivitet)"


# --- the command line ---------------------------------------------------------------------


@pytest.mark.slow
def test_cli_import_dry_run_import_again_and_undo(tmp_store):
    path = str(DATA / "fotpatrull_utf8_bom.csv")
    dry = command("import", path, "--dry-run", db=tmp_store.path)
    assert dry.returncode == 0 and "Läggs till: 4" in dry.stdout and "Provkörning" in dry.stdout
    assert tmp_store.activity_count() == 0
    done = command("import", path, db=tmp_store.path)
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "Importerad som omgång 1."
    again = command("import", path, db=tmp_store.path)
    assert again.returncode == 0 and "är redan importerad" in again.stdout and "omgång 1" in again.stdout
    undo = command("undo", "1", db=tmp_store.path)
    assert undo.returncode == 0
    assert undo.stdout.strip() == "Importomgång 1 är ångrad: 4 aktiviteter är borttagna ur alla siffror."
    assert tmp_store.activity_count() == 0
    assert command("undo", "1", db=tmp_store.path).returncode == 1


def test_cli_a_bad_file_exits_1_with_the_errors_and_writes_the_rejected_rows(tmp_store, tmp_path):
    rejected = tmp_path / "avvisade.csv"
    bad = command("import", str(DATA / "fel_datum.csv"), "--rejected", str(rejected), db=tmp_store.path)
    assert bad.returncode == 1
    assert "Rad 17, kolumn datum: 2024-13-01 är inget giltigt datum" in bad.stdout.splitlines()
    assert rejected.read_text(encoding="utf-8-sig").splitlines()[1].startswith("17;kolumn datum:")
    assert tmp_store.activity_count() == 0


@pytest.mark.slow
def test_cli_wrong_usage_exits_2(tmp_store):
    assert command("import", str(DATA / "nope.csv"), db=tmp_store.path).returncode == 2
    assert command("import", str(DATA / "okand_typ.csv"), "--type", "cykel", db=tmp_store.path).returncode == 2
    assert command("template", "foot_patrol", "--format", "pdf", db=tmp_store.path).returncode == 2


@pytest.mark.slow
def test_cli_type_and_template(tmp_store, tmp_path):
    assert command("import", str(DATA / "okand_typ.csv"), db=tmp_store.path).returncode == 1
    assert (
        command(
            "import",
            str(DATA / "okand_typ.csv"),
            "--type",
            "Fotpatrull",
            "--allow-missing",
            "duration_min",
            db=tmp_store.path,
        ).returncode
        == 0
    )
    target = tmp_path / "mall.xlsx"
    made = command("template", "trafikkontroll", "--format", "xlsx", "-o", str(target), db=tmp_store.path)
    assert made.returncode == 0 and made.stdout.strip() == f"Mallen är sparad som {target}."
    result = pipeline.preview(tmp_store, target.name, target.read_bytes())
    assert (result.activity_type, result.new) == ("traffic_control", 2)


@pytest.mark.closes_after_use  # another process opens the file
@pytest.mark.slow
def test_cli_import_works_while_another_connection_reads(tmp_store):
    """The dashboard never holds the file between reruns; a read in this process does not block the command."""
    tmp_store.stats()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "trygghet",
            "--db",
            str(tmp_store.path),
            "import",
            str(DATA / "droghandel_typkolumn.csv"),
        ]
        + ["--allow-missing", "youth_focus"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and tmp_store.stats().per_type["drug_operation"] == 2


def test_the_rejected_rows_download_neutralises_formula_cells(tmp_store):
    """A cell or header a spreadsheet would run (=, +, -, @) is prefixed with an apostrophe; -2 stays a number."""
    data = (
        "Datum;Område;Organisation;Medborgarkontakter;Kommentar;@rubrik\n"
        '2024-04-01;Vivsta;polisen;-2;"=HYPERLINK(""http://evil.example"")";x\n'
        "2024-04-02;Mordor;polisen;1;+1+1;-cmd\n"
    ).encode()
    result = pipeline.preview(tmp_store, "farlig.csv", data, "foot_patrol")
    lines = result.rejected_csv.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(";Kommentar;'@rubrik")
    assert lines[1].endswith(';-2;"\'=HYPERLINK(""http://evil.example"")";x')
    assert lines[2].endswith(";1;'+1+1;'-cmd")
    assert tmp_store.activity_count() == 0


def test_ids_follow_on_from_the_highest_ever_given_in_file_order_also_after_migration_006(tmp_path, monkeypatch):
    """A store made before migration 006 (ids from a sequence, the fourth one taken by a batch since undone)
    keeps its rows; imports then number theirs after the highest id ever given, in the file's order."""
    from trygghet.reference.files import load_reference
    from trygghet.store import schema
    from trygghet.store.database import Store

    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 5])
    old = Store(tmp_path / "gammal.duckdb")
    old.migrate()
    with old.connect() as con:  # as the store wrote before migration 006: ids from the sequence
        con.execute(
            "INSERT INTO import_batches (file_name, content_hash, activity_type, imported_by)"
            " VALUES ('gammal.csv', 'x', 'foot_patrol', 'test')"
        )
        con.execute(
            "INSERT INTO activities (batch_id, activity_type, date_from, date_to, area_code, organisation,"
            " content_key) SELECT 1, 'foot_patrol', DATE '2024-01-01' + CAST(i AS INTEGER), DATE '2024-01-01' + CAST(i AS INTEGER),"
            " 'vivsta', 'polisen', 'k' || i FROM range(4) t(i)"
        )
        con.execute("DELETE FROM activities WHERE id = 4")
    monkeypatch.setattr(schema, "_migrations", lambda: every)
    store = Store(tmp_path / "gammal.duckdb")
    assert store.migrate()[:2] == ["006_bulk_activity_ids.sql", "007_activities_without_id_index.sql"]
    store.sync_reference(load_reference(PROJECT_ROOT / "data"))  # the areas the files name
    _import(store, "fotpatrull_utf8_bom.csv")  # rows 2–5 of the file
    _import(store, "fotpatrull_dubbletter.csv")  # rows 2–6, of which row 4 repeats row 3's id
    rows = _rows(store, "SELECT id, batch_id, date_from FROM activities ORDER BY id")
    assert [(r["id"], r["batch_id"]) for r in rows] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (6, 2),
        (7, 2),
        (8, 2),
        (9, 2),
        (11, 3),
        (12, 3),
        (14, 3),
        (15, 3),
    ]
    assert [r["date_from"] for r in rows][3:7] == [dt.date(2024, 3, d) for d in (5, 6, 7, 8)]
    # Undoing the newest batch never frees its ids either: they may stand in a download made before.
    store.undo_batch(3, TESTER)
    _import(store, "atraktor_komma_engelska_rubriker.csv")  # rows 2–4 of the file
    assert [r["id"] for r in _rows(store, "SELECT id FROM activities WHERE batch_id = 4 ORDER BY id")] == [17, 18, 19]


# --- optional cells left empty (issue 15 item 7) ------------------------------------------------


def _blank_optional(code: str, fmt: str, areas: list[str]) -> bytes:
    """The type's template with every optional type-specific cell emptied (the shared columns keep their
    examples), as a user who leaves Ämnen, Målgrupp or a count blank sends it."""
    from io import BytesIO

    from openpyxl import load_workbook

    blank = {f.label for f in ACTIVITY_TYPES[code].fields if not f.required}
    data = template(code, fmt, areas)
    if fmt == "csv":
        lines = data.decode("utf-8-sig").split("\r\n")
        headers = lines[0].split(";")
        rows = [
            [("" if h in blank else v) for h, v in zip(headers, line.split(";"), strict=True)]
            for line in lines[1:]
            if line
        ]
        return ("\ufeff" + "\r\n".join(";".join(r) for r in [headers, *rows]) + "\r\n").encode()
    book = load_workbook(BytesIO(data))
    sheet = book["Aktiviteter"]
    headers = [str(c.value) for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for header, cell in zip(headers, row, strict=True):
            if header in blank:
                cell.value = None
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("code", sorted(ACTIVITY_TYPES))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_optional_cells_left_empty_import_as_empty_for_every_type(tmp_store, code, fmt):
    """A staff training or awareness row with an empty Ämnen crashed the preview (pandas gives an empty
    list back as NA). Every optional field of every type, lists included, left empty imports as NULL."""
    data = _blank_optional(code, fmt, list(tmp_store.areas().name))
    shown = pipeline.preview(tmp_store, f"tom.{fmt}", data)
    assert (shown.activity_type, shown.problems, shown.new) == (code, [], 2)
    optional = [f for f in ACTIVITY_TYPES[code].fields if not f.required]
    assert not {f.label for f in optional} & set(shown.new_rows.columns)  # empty columns are left out
    result = pipeline.import_file(tmp_store, f"tom.{fmt}", data, imported_by="test")
    assert (result.problems, result.new) == ([], 2)
    for row in _rows(tmp_store):
        assert {f.column: row[f.column] for f in optional} == {f.column: None for f in optional}


def test_an_empty_list_beside_a_filled_one_shows_as_an_empty_cell(tmp_store):
    """In one preview an awareness row with topics and audiences and one without either."""
    data = (
        "Datum;Område;Organisation;Ämnen;Målgrupp;Nådda personer\n"
        "2024-03-05;Vivsta;kommunen;våld i nära relation;unga, allmänheten;40\n"
        "2024-03-06;Vivsta;kommunen;;;25\n"
    ).encode()
    result = pipeline.preview(tmp_store, "kampanj.csv", data, "awareness")
    assert result.problems == []
    shown = result.new_rows[["Ämnen", "Målgrupp", "Nådda personer"]]
    assert shown.iloc[0].tolist() == ["våld i nära relation", "allmänheten, unga", 40]
    assert shown.iloc[1].isna().tolist() == [True, True, False] and shown.iloc[1, 2] == 25


def test_an_empty_required_list_is_refused_with_its_row_and_column(tmp_store):
    data = "Datum;Område;Organisation;Ämnen;Målgrupp\n2024-03-05;Vivsta;kommunen;;unga\n".encode()
    result = pipeline.preview(tmp_store, "traff.csv", data, "info_meeting")
    assert [str(p) for p in result.problems] == ["Rad 2, kolumn Ämnen: värde saknas; kolumnen är obligatorisk"]


@pytest.mark.slow
def test_cli_imports_a_staff_training_without_topics(tmp_store, tmp_path):
    path = tmp_path / "utbildning.csv"
    path.write_text("Datum;Område;Organisation;Ämnen;Deltagare\n2024-03-05;Vivsta;kommunen;;12\n", encoding="utf-8")
    done = command(
        "import", str(path), "--type", "staff_training", "--allow-missing", "unique_participants", db=tmp_store.path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "Importerad som omgång 1."
    assert [(r["topics"], r["participants"]) for r in _rows(tmp_store)] == [(None, 12)]
