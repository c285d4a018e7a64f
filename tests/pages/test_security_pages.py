"""Attempts through the pages (AppTest): bad URL parameters, a broken accounts file and a busy database at
sign-in (issue 17, items 1 and 7). The same attempts on the core: tests/unit/test_security.py."""

from __future__ import annotations

import pytest

from tests.app import open_page, query_of
from tests.factories import file_held_by_another_process
from trygghet.auth import ACCOUNTS_FILE_NOTICE, add_user

PASSWORD = "korrekt häst batteri"


def test_the_activities_page_with_bad_dates_shows_the_usual_notice(tmp_store, monkeypatch):
    """/aktiviteter?fran=abc&till=def: before, "Något gick fel"; now the notice and this year's figures."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-31")
    at = open_page("pages/aktiviteter.py", query={"fran": "abc", "till": "def"})
    assert not at.error, [e.value for e in at.error]
    assert [i.value.replace("\\", "") for i in at.info] == [
        "Adressen anger datumet från och med ”abc”, som inte är ett datum (ÅÅÅÅ-MM-DD). Sidan visar i år i stället."
    ]
    assert query_of(at) == {}


def _sign_in_on_page(at, name: str, password: str) -> None:
    """The sign-in form of a page that needs an editor."""
    form = [t for t in at.text_input if t.label in ("Användarnamn", "Lösenord")]
    form[0].input(name)
    form[1].input(password)
    next(b for b in at.button if b.label == "Logga in").click()
    at.run()


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_a_page_shows_a_broken_accounts_file_as_one_swedish_sentence(tmp_store, tmp_path, monkeypatch):
    """Bad UTF-8 in users.toml gave "This app has encountered an error"; a bad field showed the file's content.
    A visitor signing in now reads one Swedish sentence without the file's name or content (the admin's view:
    tests/test_browser_security.py)."""
    users = tmp_path / "users.toml"
    users.write_bytes(b'[users.editor1]\npassword_hash = "\xff hemligt"\nrole = "editor"\n')
    monkeypatch.setenv("TRYGGHET_USERS", str(users))
    at = open_page("pages/ladda_upp.py")
    _sign_in_on_page(at, "editor1", PASSWORD)
    assert not at.exception
    assert [e.value for e in at.error] == ["Inloggningen fungerar inte just nu. " + ACCOUNTS_FILE_NOTICE]


@pytest.mark.after_first_run  # starts with the page's run on the empty store
@pytest.mark.closes_after_use  # another process opens the file
@pytest.mark.slow
def test_a_busy_database_during_sign_in_is_a_swedish_message(tmp_store, tmp_path, monkeypatch):
    """Sign-in ran outside the page guard, so a database error there was Streamlit's English error. Another
    process holds the file past TRYGGHET_LOCK_TIMEOUT while a visitor signs in: the visitor reads that the
    database is busy, in Swedish."""
    monkeypatch.setenv("TRYGGHET_USERS", str(tmp_path / "users.toml"))
    add_user(tmp_path / "users.toml", "anna", PASSWORD, "editor")
    at = open_page("pages/ladda_upp.py")
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "0.3")
    with file_held_by_another_process(tmp_store.path):
        _sign_in_on_page(at, "anna", PASSWORD)
    assert not at.exception
    assert next(e.value for e in at.error).startswith(
        "Databasen är upptagen just nu: ett annat program skriver till den."
    )
