"""Values no real activity log holds are refused by the upload, each with its row and column (issue 16):
dates after today, more hours than an activity can last, counts no activity reaches, and more suspected
drunk drivers than breath tests. Today is pinned to 30 November 2026."""

from __future__ import annotations

import pytest

from trygghet.importing import pipeline
from trygghet.formatting import format_number

PATROL = "Datum;Till och med;Antal aktiviteter;Varaktighet (timmar);Område;Organisation;Medborgarkontakter\n"
TRAFFIC = ("Datum;Område;Organisation;Typ av kontroll;Identifierad riskplats;Kontrollerade fordon;Utandningsprov;"
           "Misstänkt rattfylleri;Hastighetsöverträdelser\n")
LATER = "ligger efter dagens datum (30 november 2026); en aktivitet loggas när den har ägt rum"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-30")


def _problems(store, text: str) -> list[str]:
    result = pipeline.import_file(store, "x.csv", text.encode(), imported_by="test")
    if result.problems:
        assert result.batch_id is None and store.activity_count() == 0
    return [str(p) for p in result.problems]


@pytest.mark.parametrize("row, message", [
    ("2031-05-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2031-05-01 {LATER}"),
    ("2099-01-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2099-01-01 {LATER}"),
    ("2026-12-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2026-12-01 {LATER}"),          # tomorrow
    ("2026-11-01;2026-12-31;8;16;Vivsta;polisen;30", f"Rad 2, kolumn Till och med: 2026-12-31 {LATER}"),
    ("2026-11-30;;1;2000;Vivsta;polisen;3",
     "Rad 2, kolumn Varaktighet (timmar): 2000 timmar är orimligt för 1 aktivitet; högst 24 timmar per aktivitet"),
    ("2026-11-01;2026-11-30;4;100;Vivsta;polisen;3",    # 25 hours each on average
     "Rad 2, kolumn Varaktighet (timmar): 100 timmar är orimligt för 4 aktiviteter; högst 24 timmar per aktivitet"),
    ("2026-11-30;;1;2;Vivsta;polisen;9999999",
     f"Rad 2, kolumn Medborgarkontakter: 9999999 är orimligt många för 1 aktivitet; högst {format_number(1000)} "
     "per aktivitet"),
    ("2026-11-01;2026-11-30;3;6;Vivsta;polisen;3001",
     f"Rad 2, kolumn Medborgarkontakter: 3001 är orimligt många för 3 aktiviteter; högst {format_number(1000)} "
     "per aktivitet"),
])
def test_an_implausible_patrol_is_refused_with_its_row_and_column(tmp_store, row, message):
    assert _problems(tmp_store, PATROL + row + "\n") == [message]


def test_today_a_full_day_and_many_contacts_over_many_patrols_pass(tmp_store):
    """The bounds themselves: today, 24 hours for one patrol, 1 000 contacts each for 12 patrols."""
    rows = ("2026-11-30;;1;24;Vivsta;polisen;1000\n"
            "2026-11-01;2026-11-30;12;288;Vivsta;polisen;12000\n")
    assert _problems(tmp_store, PATROL + rows) == []
    assert tmp_store.activity_count() == 2


def test_more_suspected_drunk_drivers_than_breath_tests_is_refused(tmp_store):
    rows = ("2026-11-02;Vivsta;polisen;nykterhet;ja;60;10;50;\n"
            "2026-11-03;Vivsta;polisen;kombinerad;ja;40;40;2;41\n"
            "2026-11-04;Vivsta;polisen;nykterhet;ja;40;10;10;\n")      # as many as tests: possible
    assert _problems(tmp_store, TRAFFIC + rows) == [
        "Rad 2, kolumn Misstänkt rattfylleri: 50 är fler än antalet utandningsprov (10)",
        "Rad 3, kolumn Hastighetsöverträdelser: 41 är fler än antalet kontrollerade fordon (40)",
    ]


def test_the_future_follows_the_pinned_today(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2031-06-01")
    assert _problems(tmp_store, PATROL + "2031-05-01;;1;2;Vivsta;polisen;3\n") == []
