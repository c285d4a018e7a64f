"""Every page run with streamlit.testing.v1.AppTest on a temporary database."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import LOG, TESTER, add_rows
from trygghet.auth import Role, User
from trygghet.config import PROJECT_ROOT
from trygghet.demo import load_demo
from trygghet.figures.indicators import registry

ADMIN = User("admin", Role.ADMIN)
PAGES = {
    "pages/oversikt.py": "Översikt",
    "pages/mote.py": "Rådets möte",
    "pages/mal.py": "Mål",
    "pages/folj_med.py": "Följ med i hur det går",
    "pages/ladda_upp.py": "Ladda upp",
    "pages/admin.py": "Administration",
    "pages/overenskommelser.py": "Överenskommelser",
    "pages/fotpatrull.py": "Fotpatrull",
    "pages/trafikkontroller.py": "Trafikkontroller",
    "pages/a_traktorer.py": "A-traktorer och buskörning",
    "pages/informationstraffar.py": "Informationsträffar",
    "pages/droghandel.py": "Öppen droghandel",
    "pages/vald_i_nara_relation.py": "Våld i nära relation",
    "pages/aktiviteter.py": "Aktiviteter",
}
# The least role each page asks for; the rest are open to every viewer.
REQUIRED = {"pages/ladda_upp.py": Role.EDITOR, "pages/admin.py": Role.ADMIN, "pages/overenskommelser.py": Role.EDITOR}


def _run(page: str | None = None, user: User | None = None) -> AppTest:
    return open_page(page, user)


def _texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _demo(store) -> None:
    load_demo(store, seed=1)


@pytest.fixture
def demo_store(store_with, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    return store_with(_demo)


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
    # Breath tests carry their target at risk places, as the promise says: 0 + 100 + 20 × 12/20 (June's 50 are not).
    assert metrics["Utandningsprov vid identifierade riskplatser"] == "112 prov"
    assert metrics[registry()["trafik_rattfylleri_per_1000"].title] == "12,3 per 1 000 prov"  # 2 / 162 × 1 000
    assert not any("Demodata" in w.value for w in at.warning)


def test_overview_of_an_empty_database_says_what_to_do(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    load_demo(tmp_store, seed=1)
    tmp_store.remove_demo(TESTER)
    at = _run()
    assert "Inga aktiviteter är registrerade" in _texts(at)
    assert not at.get("plotly_chart")


def test_target_form_saves_a_decided_target_with_history(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    at = _run("pages/mal.py", ADMIN)
    next(s for s in at.selectbox if s.label == "Mått").select("atraktor_insatser").run()
    next(r for r in at.radio if r.label == "Typ av mål").set_value("Ett antal")
    next(n for n in at.number_input if n.label.startswith("Antal")).set_value(50.0)
    next(d for d in at.date_input if d.label == "Gäller från").set_value(dt.date(2024, 7, 1))
    next(t for t in at.text_input if t.label == "Beslut").input("Beslutat av rådet 2024-06-11")
    next(b for b in at.button if b.label == "Spara målet").click()
    at.run()
    assert not at.exception
    assert "Sparat: Insatser mot olagliga A-traktorer och buskörning, minst 50 per år från 1 juli 2024." in _texts(at)
    history = at.dataframe[-1].value
    assert history["Nytt mål"].iloc[0] == "minst 50 per år, från 2024-07-01 (Beslutat av rådet 2024-06-11)"
    assert history["Vem"].iloc[0] == "admin"


def test_only_an_admin_sees_the_target_form(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    for user in (None, User("redaktor", Role.EDITOR)):
        at = _run("pages/mal.py", user)
        assert "Spara målet" not in [b.label for b in at.button]
        assert any("en administratör för in dem här" in c.value for c in at.caption)


def test_target_form_refuses_a_target_without_decision_and_changes_nothing(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    before = tmp_store.target_rows()
    at = _run("pages/mal.py", ADMIN)
    next(r for r in at.radio if r.label == "Typ av mål").set_value("Ett antal")
    next(n for n in at.number_input if n.label.startswith("Antal")).set_value(50.0)
    next(b for b in at.button if b.label == "Spara målet").click()
    at.run()
    assert any("Målet sparades inte" in e.value and "fältet origin (beslut)" in e.value for e in at.error)
    assert tmp_store.target_rows() == before


def test_a_broken_targets_file_is_named_on_the_page_without_a_traceback(tmp_path, monkeypatch):
    import functools
    import shutil

    from trygghet import bootstrap
    from trygghet.web import ui

    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    targets = data / "targets.toml"
    targets.write_text(
        targets.read_text(encoding="utf-8").replace("value = 300", 'value = "många"', 1), encoding="utf-8"
    )
    monkeypatch.setenv("TRYGGHET_DB", str(tmp_path / "broken.duckdb"))
    monkeypatch.setattr(ui, "prepare_store", functools.partial(bootstrap.prepare_store, data_dir=data))
    at = _run()
    assert [e.value for e in at.error] == [
        "targets.toml, mål 1 (fotpatrull_timmar_centrala): fältet value (antal): måste vara ett tal"
    ]


def test_signing_in_with_a_local_account_unlocks_the_target_form(tmp_store, tmp_path, monkeypatch):
    from trygghet.auth import add_user

    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    monkeypatch.setenv("TRYGGHET_USERS", str(tmp_path / "users.toml"))
    add_user(tmp_path / "users.toml", "anna", "ett långt lösenord", "admin")
    at = _run("pages/mal.py")
    form = [t for t in at.text_input if t.label in ("Användarnamn", "Lösenord")]
    form[0].input("anna")
    form[1].input("fel lösenord!")
    next(b for b in at.button if b.label == "Logga in").click()
    at.run()
    assert any("Fel användarnamn eller lösenord" in e.value for e in at.error)
    assert "Spara målet" not in [b.label for b in at.button]
    form = [t for t in at.text_input if t.label in ("Användarnamn", "Lösenord")]
    form[0].input("anna")
    form[1].input("ett långt lösenord")
    next(b for b in at.button if b.label == "Logga in").click()
    at.run()
    assert "Spara målet" in [b.label for b in at.button]
    assert at.session_state["user"] == User("anna", Role.ADMIN)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_on_each_page(demo_store, page, role):
    """What each role is shown and refused; the page checks the role itself, whatever the menu shows."""
    at = _run(page, None if role == Role.VIEWER else User(f"konto-{role.name.lower()}", role))
    refused = any("Den här sidan kräver inloggning" in w.value for w in at.warning)
    assert refused == (role < REQUIRED.get(page, Role.VIEWER))
    if refused:
        assert not at.get("file_uploader") and not at.get("arrow_data_editor")
    if page == "pages/ladda_upp.py" and not refused:
        assert at.get("file_uploader")
    if page == "pages/mote.py":
        labels = [b.label for b in at.button]
        assert ("Spara kommentaren" in labels) == (role >= Role.EDITOR)
        if role < Role.ADMIN:  # an admin locks (tests/test_meetings.py), and only on or after the meeting day
            assert "Lås siffrorna" not in labels
    if page == "pages/mal.py":
        assert ("Spara målet" in [b.label for b in at.button]) == (role >= Role.ADMIN)
