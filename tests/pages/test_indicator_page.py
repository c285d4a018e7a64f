"""The page Indikatorer: an admin defines an indicator without code, previews it and saves it; bad forms are refused.

The log is small and made by hand; every figure below is worked out from it in the comments."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.app import open_page
from tests.factories import activity, add_rows
from trygghet import cli
from trygghet.auth import Role, User
from trygghet.figures.indicators import _stored, registry

ADMIN = User("admin", Role.ADMIN)

LOG = [
    activity("traffic_control", "2023-05-15", breath_tests=7),  # before the preview's window
    activity("traffic_control", "2024-03-10", breath_tests=40),  # risk place (the default)
    activity("traffic_control", "2024-03-20", breath_tests=25, risk_place=False),  # not at a risk place
    activity("traffic_control", "2024-04-01/2024-04-10", activity_count=2, breath_tests=30),
    # 20 tests over 20 days: 10 in April, 10 in May; the latest day with data is 10 May 2024.
    activity("traffic_control", "2024-04-21/2024-05-10", activity_count=3, breath_tests=20),
    activity("foot_patrol", "2024-04-06", duration_min=60),
]


def _fill(at, **answers):
    """Answer the form in the order a person would, rerunning where a choice opens new fields."""
    at.text_input(key="title").input(answers.get("title", "Utandningsprov vid riskplatser"))
    if "id" in answers:
        at.text_input(key="id").input(answers["id"])
    at.multiselect(key="types").set_value(answers.get("types", ["traffic_control"]))
    at.run()
    at.radio(key="kind").set_value(answers.get("kind", "sum"))
    if "risk_place" in [r.key for r in at.radio]:
        at.radio(key="risk_place").set_value(answers.get("risk_place", "ja"))
    at.run()
    if answers.get("kind", "sum") == "sum":
        at.selectbox(key="field").set_value(answers.get("field", "breath_tests"))
    at.text_input(key="unit").input(answers.get("unit", "prov"))
    at.text_input(key="phrase").input("utandningsprov vid riskplatser")
    at.checkbox(key="has_target").check()
    at.multiselect(key="commitments").set_value(["ml23-trafikkontroller"])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _save(at):
    next(b for b in at.button if b.label == "Spara indikatorn").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def logged(store_with):
    return store_with(_logged)


def _logged(store) -> None:
    add_rows(store, LOG)


def test_only_an_admin_sees_the_page(logged):
    for user in (None, User("redaktor", Role.EDITOR)):
        at = open_page("pages/indikatorer.py", user)
        assert any("kräver inloggning som administratör" in w.value for w in at.warning)
        assert not [b for b in at.button if b.label == "Spara indikatorn"]


@pytest.mark.slow
def test_an_admin_defines_breath_tests_at_risk_places_previews_and_saves_it(logged, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    at = _fill(open_page("pages/indikatorer.py", ADMIN))
    preview = at.dataframe[-1].value
    # The twelve months up to May 2024 (the latest data): June 2023 – May 2024. March: 40 at risk places (the
    # 25 are not); April: 30 + 20 × 10/20 = 40; May: 20 × 10/20 = 10; the May 2023 control is outside.
    assert list(preview["Månad"]) == [
        "juni 2023",
        "juli 2023",
        "augusti 2023",
        "september 2023",
        "oktober 2023",
        "november 2023",
        "december 2023",
        "januari 2024",
        "februari 2024",
        "mars 2024",
        "april 2024",
        "maj 2024",
    ]
    assert list(preview["prov"]) == ["0"] * 9 + ["40", "40", "10"]

    at = _save(at)
    assert any("är sparad med id utandningsprov_vid_riskplatser" in s.value for s in at.success)
    [row] = _stored.rows(logged)
    assert (row["id"], row["created_by"], row["active"]) == ("utandningsprov_vid_riskplatser", "admin", True)
    indicator = registry()["utandningsprov_vid_riskplatser"]
    assert json.loads(row["declaration"])["filters"]["risk_place"] is True
    with logged.connect() as con:
        # 2024: 40 + 30 + 20 (the whole April–May summary) = 90.
        assert indicator.compute(con, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "total").value() == 90
    # It now stands beside the built-in ones: the page's list, and `progress`.
    assert "utandningsprov_vid_riskplatser" in list(open_page("pages/indikatorer.py", ADMIN).dataframe[0].value["Id"])


@pytest.mark.slow
def test_the_app_defined_indicator_shows_on_the_overview_and_in_progress(logged, monkeypatch, capsys):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-05-31")
    at = _save(_fill(open_page("pages/indikatorer.py", ADMIN)))
    assert not at.error
    metrics = {m.label: m.value for m in open_page("pages/oversikt.py", ADMIN).metric}
    assert metrics["Utandningsprov vid riskplatser"] == "90 prov"  # as below
    assert cli.main(["--db", str(logged.path), "progress", "--date", "2024-05-31", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["indicators"]}
    # 2024 up to 31 May: 40 + 30 + 20 × 10/20 (the April days) + 20 × 10/20 (1–10 May) = 90.
    assert rows["utandningsprov_vid_riskplatser"]["actual"] == pytest.approx(90)


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"title": ""}, "fältet ”titel”: titeln saknas"),
        ({"id": "trafik_utandningsprov"}, "fältet ”id”: det finns redan en indikator med samma id"),
        ({"id": "prov på riskplats"}, "fältet ”id”: ska vara 2–60 tecken"),
        ({"unit": ""}, "fältet ”enhet”: enheten saknas"),
        ({"types": []}, "fältet ”aktivitetstyper”: välj minst en aktivitetstyp"),
        ({"kind": "ratio"}, "fältet ”kvot”: välj vilket fält indikatorn har i täljaren"),
    ],
)
def test_an_invalid_form_is_refused_with_the_field_named_and_nothing_saved(logged, answers, message):
    version = logged.data_version()
    at = _fill(open_page("pages/indikatorer.py", ADMIN), **answers)
    if answers.get("title", "x"):  # once a title is given, the preview's place says what to correct
        assert message in next(i.value for i in at.info if "Att rätta" in i.value).replace("\\", "")
    at = _save(at)
    assert at.error and "Indikatorn sparades inte." in at.error[0].value
    assert message in at.error[0].value.replace("\\", ""), at.error[0].value
    assert _stored.rows(logged) == [] and logged.data_version() == version


@pytest.mark.slow
def test_an_indicator_taken_out_of_use_leaves_the_registry_and_a_broken_one_is_listed_as_not_used(logged):
    at = _save(_fill(open_page("pages/indikatorer.py", ADMIN)))
    next(b for b in at.button if b.label == "Ta ur bruk").click()
    at.run()
    assert "utandningsprov_vid_riskplatser" not in registry()
    assert [r["active"] for r in _stored.rows(logged)] == [False]
    next(b for b in at.button if b.label == "Ta i bruk igen").click()
    at.run()
    assert "utandningsprov_vid_riskplatser" in registry()
    with logged.transaction() as con:  # a commitment removed after the indicator was saved
        con.execute(
            "UPDATE app_indicators SET declaration = replace(declaration, 'ml23-trafikkontroller', 'ml23-borta')"
        )
    at = open_page("pages/indikatorer.py", ADMIN)
    assert "utandningsprov_vid_riskplatser" not in list(at.dataframe[0].value["Id"])
    assert [w.value.replace("\\", "") for w in at.warning if "Används inte" in w.value] == [
        "Används inte: Indikatorn ”utandningsprov_vid_riskplatser”, fältet ”löften”: löftet ”ml23-borta” finns inte"
    ]


@pytest.mark.slow
def test_an_admin_edits_a_saved_indicator_and_a_bad_edit_changes_nothing(logged):
    from trygghet.figures.indicators._form import FORM_KEYS, form_state

    assert set(form_state(registry()["trafik_hastighetskontroller"])) == set(FORM_KEYS)
    at = _save(_fill(open_page("pages/indikatorer.py", ADMIN)))
    next(b for b in at.button if b.label == "Redigera i formuläret").click()
    at.run()
    assert at.header[1].value == "Redigera indikatorn utandningsprov_vid_riskplatser"
    assert at.radio(key="risk_place").value == "ja" and at.selectbox(key="field").value == "breath_tests"
    at.radio(key="risk_place").set_value("nej")
    at.text_input(key="title").input("Utandningsprov utanför riskplatser")
    at = _save(at)
    assert any("Ändringen av indikatorn" in s.value for s in at.success)
    edited = registry()["utandningsprov_vid_riskplatser"]
    assert (edited.title, edited.filters.risk_place) == ("Utandningsprov utanför riskplatser", False)
    with logged.connect() as con:
        # 2024, not at a risk place: the 25 tests of 20 March.
        assert edited.compute(con, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "total").value() == 25
    before = _stored.rows(logged)
    at.text_input(key="unit").input("")
    at = _save(at)
    assert "fältet ”enhet”: enheten saknas" in at.error[0].value.replace("\\", "")
    assert _stored.rows(logged) == before
    next(b for b in at.button if b.label == "Avbryt redigeringen").click()
    at.run()
    assert at.header[1].value == "Definiera en ny indikator" and at.text_input(key="title").value == ""


@pytest.mark.slow
def test_the_form_offers_youth_focus_only_for_drug_trade_operations(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    add_rows(
        tmp_store,
        [
            activity("drug_operation", "2024-03-05", youth_focus=True),
            activity("drug_operation", "2024-03-12", youth_focus=False),
            activity("drug_operation", "2024-05-02", youth_focus=True, organisation="samverkan"),
            activity("drug_operation", "2024-05-20"),
        ],
    )  # focus not logged
    at = _fill(open_page("pages/indikatorer.py", ADMIN), types=["traffic_control"])
    assert "youth_focus" not in [r.key for r in at.radio]
    at.multiselect(key="types").set_value(["drug_operation"])
    at.run()
    at.radio(key="youth_focus").set_value("ja")
    at.radio(key="kind").set_value("count")
    at.text_input(key="unit").input("insatser")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    # Aimed at young people: one in March, one in May; 12 March says no and 20 May does not say.
    assert list(at.dataframe[-1].value["insatser"])[-3:] == ["1", "0", "1"]
    at = _save(at)
    [row] = _stored.rows(tmp_store)
    assert json.loads(row["declaration"])["filters"]["youth_focus"] is True


def test_every_choice_on_the_form_has_a_swedish_placeholder(tmp_store):
    """Streamlit's own placeholder is English ("Choose options"): every multiselect names its own."""
    from trygghet.auth import Role, User

    at = open_page("pages/indikatorer.py", User("admin", Role.ADMIN))
    next(m for m in at.multiselect if m.label == "Aktivitetstyper").set_value(["drug_operation"]).run()
    assert at.multiselect and all(m.placeholder and "Choose" not in m.placeholder for m in at.multiselect)
