"""Every page run with streamlit.testing.v1.AppTest on a temporary database."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from indicators import registry
from tests.factories import add_rows
from tests.test_indicators import LOG
from trygghet.config import PROJECT_ROOT
from trygghet.demo import load_demo

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
PAGES = {"pages/oversikt.py": "Översikt", "pages/mote.py": "Rådets möte", "pages/mal.py": "Mål"}


def _run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def demo_store(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    load_demo(tmp_store, seed=1)
    return tmp_store


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_its_swedish_title_and_the_demo_banner(demo_store, page):
    at = _run(page)
    assert at.title[0].value == PAGES[page]
    assert any("Demodata" in w.value for w in at.warning)
    assert not at.error


def test_overview_figures_match_the_hand_worked_log(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-31")
    add_rows(tmp_store, LOG)
    at = _run()
    metrics = {m.label: m.value for m in at.metric}
    # Worked out by hand in tests/test_indicators.py for the calendar year 2024.
    assert metrics["Fotpatrullering i centrala Timrå, timmar"] == "3,5 timmar"
    assert metrics["Utandningsprov vid trafikkontroller"] == "162 prov"
    assert metrics[registry()["trafik_rattfylleri_per_1000"].title] == "12,3 per 1 000 prov"  # 2 / 162 × 1 000
    assert not any("Demodata" in w.value for w in at.warning)


def test_overview_of_an_empty_database_says_what_to_do(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    load_demo(tmp_store, seed=1)
    tmp_store.remove_demo("test")
    at = _run()
    assert "Inga aktiviteter är registrerade" in _texts(at)
    assert not at.get("plotly_chart")


def test_target_form_saves_a_decided_target_with_history(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    at = _run("pages/mal.py")
    at.selectbox[0].select(registry()["atraktor_insatser"])
    at.number_input[0].set_value(50.0)
    at.date_input[0].set_value(dt.date(2024, 7, 1))
    at.text_input[0].input("Beslutat av rådet 2024-06-11")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Sparat: Insatser mot olagliga A-traktorer och buskörning, minst 50 per år från 1 juli 2024." in _texts(at)
    history = at.dataframe[1].value
    assert history["Nytt mål"].iloc[0] == "minst 50 per år, från 2024-07-01 (Beslutat av rådet 2024-06-11)"


def test_target_form_refuses_a_target_without_decision_and_changes_nothing(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    before = tmp_store.target_rows()
    at = _run("pages/mal.py")
    at.number_input[0].set_value(50.0)
    at.button[0].click()
    at.run()
    assert any("Målet sparades inte" in e.value and "fältet origin (beslut)" in e.value for e in at.error)
    assert tmp_store.target_rows() == before


def test_a_broken_targets_file_is_named_on_the_page_without_a_traceback(tmp_path, monkeypatch):
    import functools
    import shutil

    from trygghet import bootstrap, ui

    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    targets = data / "targets.toml"
    targets.write_text(targets.read_text(encoding="utf-8").replace("value = 300", 'value = "många"', 1),
                       encoding="utf-8")
    monkeypatch.setenv("TRYGGHET_DB", str(tmp_path / "broken.duckdb"))
    monkeypatch.setattr(ui, "prepare_store", functools.partial(bootstrap.prepare_store, data_dir=data))
    at = _run()
    assert [e.value for e in at.error] == [
        "targets.toml, mål 1 (fotpatrull_timmar_centrala): fältet value (antal): måste vara ett tal"]
