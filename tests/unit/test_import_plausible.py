"""Values no real activity log holds are refused by the upload, each with its row and column (issue 16):
dates after today, more hours than an activity can last, counts no activity reaches, and more suspected
drunk drivers than breath tests. Today is pinned to 30 November 2026."""

from __future__ import annotations

import pytest

from trygghet.formatting import format_number
from trygghet.importing import pipeline
from trygghet.settings import SettingsError, load_settings

PATROL = "Datum;Till och med;Antal aktiviteter;Varaktighet (timmar);Område;Organisation;Medborgarkontakter\n"
TRAFFIC = (
    "Datum;Område;Organisation;Typ av kontroll;Identifierad riskplats;Kontrollerade fordon;Utandningsprov;"
    "Misstänkt rattfylleri;Hastighetsöverträdelser\n"
)
LATER = "ligger efter dagens datum (30 november 2026); en aktivitet loggas när den har ägt rum"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-30")


def _problems(store, text: str) -> list[str]:
    result = pipeline.import_file(store, "x.csv", text.encode(), imported_by="test")
    if result.problems:
        assert result.batch_id is None and store.activity_count() == 0
    return [str(p) for p in result.problems]


@pytest.mark.parametrize(
    "row, message",
    [
        ("2031-05-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2031-05-01 {LATER}"),
        ("2099-01-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2099-01-01 {LATER}"),
        ("2026-12-01;;1;2;Vivsta;polisen;3", f"Rad 2, kolumn Datum: 2026-12-01 {LATER}"),  # tomorrow
        ("2026-11-01;2026-12-31;8;16;Vivsta;polisen;30", f"Rad 2, kolumn Till och med: 2026-12-31 {LATER}"),
        (
            "2026-11-30;;1;2000;Vivsta;polisen;3",
            "Rad 2, kolumn Varaktighet (timmar): 2000 timmar är orimligt för 1 aktivitet; högst 24 timmar per aktivitet",
        ),
        (
            "2026-11-01;2026-11-30;4;100;Vivsta;polisen;3",  # 25 hours each on average
            "Rad 2, kolumn Varaktighet (timmar): 100 timmar är orimligt för 4 aktiviteter; högst 24 timmar per aktivitet",
        ),
        (
            "2026-11-30;;1;2;Vivsta;polisen;9999999",
            f"Rad 2, kolumn Medborgarkontakter: 9999999 är orimligt många för 1 aktivitet; högst {format_number(1000)} "
            "per aktivitet",
        ),
        (
            "2026-11-01;2026-11-30;3;6;Vivsta;polisen;3001",
            f"Rad 2, kolumn Medborgarkontakter: 3001 är orimligt många för 3 aktiviteter; högst {format_number(1000)} "
            "per aktivitet",
        ),
    ],
)
def test_an_implausible_patrol_is_refused_with_its_row_and_column(tmp_store, row, message):
    assert _problems(tmp_store, PATROL + row + "\n") == [message]


def test_today_a_full_day_and_many_contacts_over_many_patrols_pass(tmp_store):
    """The bounds themselves: today, 24 hours for one patrol, 1 000 contacts each for 12 patrols."""
    rows = "2026-11-30;;1;24;Vivsta;polisen;1000\n2026-11-01;2026-11-30;12;288;Vivsta;polisen;12000\n"
    assert _problems(tmp_store, PATROL + rows) == []
    assert tmp_store.activity_count() == 2


def test_more_suspected_drunk_drivers_than_breath_tests_is_refused(tmp_store):
    rows = (
        "2026-11-02;Vivsta;polisen;nykterhet;ja;60;10;50;\n"
        "2026-11-03;Vivsta;polisen;kombinerad;ja;40;40;2;41\n"
        "2026-11-04;Vivsta;polisen;nykterhet;ja;40;10;10;\n"
    )  # as many as tests: possible
    assert _problems(tmp_store, TRAFFIC + rows) == [
        "Rad 2, kolumn Misstänkt rattfylleri: 50 är fler än antalet utandningsprov (10)",
        "Rad 3, kolumn Hastighetsöverträdelser: 41 är fler än antalet kontrollerade fordon (40)",
    ]


def test_the_future_follows_the_pinned_today(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2031-06-01")
    assert _problems(tmp_store, PATROL + "2031-05-01;;1;2;Vivsta;polisen;3\n") == []


def test_a_row_over_several_days_holds_at_most_24_hours_a_day(tmp_store):
    """3 patrols over 2 days: 48 hours pass (24 a day); 60 hours are within 24 per activity (72) but not 24
    a day (48), and a 3-day row of 1 activity is held to 24 hours for its one activity."""
    rows = (
        "2026-11-01;2026-11-02;3;48;Vivsta;polisen;3\n"
        "2026-11-03;2026-11-04;3;60;Vivsta;polisen;3\n"
        "2026-11-05;2026-11-07;1;30;Vivsta;polisen;3\n"
    )
    assert _problems(tmp_store, PATROL + rows) == [
        "Rad 3, kolumn Varaktighet (timmar): 60 timmar är orimligt för en rad över 2 dagar; högst 24 timmar per dag",
        "Rad 4, kolumn Varaktighet (timmar): 30 timmar är orimligt för 1 aktivitet; högst 24 timmar per aktivitet",
    ]


def test_more_suspected_drugged_drivers_than_breath_tests_is_refused(tmp_store):
    header = TRAFFIC.replace("Hastighetsöverträdelser", "Misstänkt drograttfylleri")
    assert _problems(tmp_store, header + "2026-11-02;Vivsta;polisen;nykterhet;ja;60;10;1;11\n") == [
        "Rad 2, kolumn Misstänkt drograttfylleri: 11 är fler än antalet utandningsprov (10)"
    ]


def test_the_limits_are_the_settings(tmp_store, tmp_path, monkeypatch):
    """With 8 hours per activity and 10 contacts per patrol: 9 hours and 11 contacts are refused, and a type
    left out of the file keeps its default (traffic control, 5 000 vehicles)."""
    path = tmp_path / "settings.toml"
    path.write_text(
        "[plausibility]\nmax_hours_per_activity = 8\n\n"
        "[plausibility.max_per_activity.foot_patrol]\ncitizen_contacts = 10\n",
        encoding="utf-8",
    )
    custom = load_settings(path)
    monkeypatch.setattr(pipeline, "settings", lambda: custom)
    assert custom.plausibility.max_count("traffic_control", "vehicles_checked") == 5000
    assert _problems(tmp_store, PATROL + "2026-11-30;;1;9;Vivsta;polisen;11\n") == [
        "Rad 2, kolumn Varaktighet (timmar): 9 timmar är orimligt för 1 aktivitet; högst 8 timmar per aktivitet",
        "Rad 2, kolumn Medborgarkontakter: 11 är orimligt många för 1 aktivitet; högst 10 per aktivitet",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "[plausibility]\nmax_hours_per_activity = 0\n",
            "settings.toml: fältet plausibility.max_hours_per_activity: måste vara minst 1",
        ),
        (
            "[plausibility.max_per_activity.fotpatrull]\ncitizen_contacts = 5\n",
            "settings.toml: fältet plausibility: max_per_activity.fotpatrull: ingen känd aktivitetstyp; kända: foot_patrol, "
            "traffic_control, atractor_check, info_meeting, drug_operation, staff_training, awareness",
        ),
        (
            "[plausibility.max_per_activity.foot_patrol]\nparticipants = 5\n",
            "settings.toml: fältet plausibility: max_per_activity.foot_patrol.participants: inget antal som fotpatrull "
            "har; antal: citizen_contacts",
        ),
        (
            "[plausibility.max_per_activity.foot_patrol]\ncitizen_contacts = 0\n",
            "settings.toml: fältet plausibility: max_per_activity.foot_patrol.citizen_contacts: måste vara minst 1",
        ),
        (
            "[plausibility]\nmax_hours_per_dag = 24\n",
            "settings.toml: fältet plausibility.max_hours_per_dag: är inget känt fält",
        ),
    ],
)
def test_a_malformed_limit_stops_the_start_naming_the_field(tmp_path, text, message):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == message


def test_a_date_before_the_first_agreement_imports_with_a_warning(tmp_store):
    """The first agreement starts 1 April 2019: a patrol on 31 March 2019 is imported, with a warning."""
    result = pipeline.import_file(
        tmp_store,
        "x.csv",
        (PATROL + "2019-03-31;;1;2;Vivsta;polisen;3\n2019-04-01;;1;2;Vivsta;polisen;3\n").encode(),
        imported_by="test",
    )
    assert [str(w) for w in result.warnings] == [
        "Rad 2, kolumn Datum: 2019-03-31 ligger före den första överenskommelsens start (1 april 2019); raden "
        "importeras men inget mål gäller den"
    ]
    assert result.batch_id is not None and tmp_store.activity_count() == 2
