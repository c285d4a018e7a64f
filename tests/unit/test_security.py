"""Attempts an attacker (or a careless visitor) makes, each of which must fail: parallel sign-in against the
lockout, names typed as passwords, bad URL parameters, a broken accounts file (issue 17, items 3 and 7).
The same attempts through pages are in tests/pages/test_security_pages.py and tests/browser/test_browser_security.py;
the privacy attempts (personal data, markup, formulas) in test_security_privacy.py."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tests.factories import PASSWORD, Pauses
from trygghet.auth import (
    ACCOUNTS_FILE_NOTICE,
    MAX_FAILURES,
    AuthError,
    Role,
    failure_key,
    sign_in,
)
from trygghet.exploration.model import DEFAULT_PRESET, PARAMS, FilterOptions, parse_query
from trygghet.store import schema
from trygghet.store.database import Store

NOW = dt.datetime(2024, 6, 11, 12, 0, tzinfo=dt.UTC)
LOCKED = "För många misslyckade inloggningar"
WRONG = "Fel användarnamn eller lösenord"


def _parallel_attempts(store, accounts, name: str, password: str, n: int) -> list[str]:
    """n sign-ins started at once from n threads; the message each got (or the role's name on success)."""
    answers: list[str] = []
    start = threading.Barrier(n)

    def attempt() -> None:
        start.wait()
        try:
            answers.append(sign_in(store, accounts, name, password, now=NOW, pause=Pauses()).role.name)
        except AuthError as exc:
            answers.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - any other answer is named by the assertion that fails
            answers.append(repr(exc))

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.slow
def test_fifty_parallel_wrong_passwords_lock_the_account_after_exactly_five(tmp_store, accounts, monkeypatch):
    """Before, 16 tabs at once recorded 3 failures and the account was not locked: each attempt read the count
    before any of them wrote one. Now counting and checking are one write, so exactly MAX_FAILURES = 5 attempts
    reach the password check and the other 45 are refused as locked; then the right password is refused too,
    and 16 minutes later (outside the 15-minute window) it signs in."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "120")  # 50 commits one after another on a loaded machine
    answers = _parallel_attempts(tmp_store, accounts, "anna", "fel lösenord", 50)
    assert len(answers) == 50
    assert [a for a in answers if not a.startswith((WRONG, LOCKED))] == []
    assert sum(a.startswith(WRONG) for a in answers) == MAX_FAILURES == 5
    assert sum(a.startswith(LOCKED) for a in answers) == 45
    with tmp_store.connect() as con:
        assert con.execute("SELECT count(*) FROM sign_in_failures").fetchone()[0] == 5
    with pytest.raises(AuthError, match=LOCKED):
        sign_in(tmp_store, accounts, "anna", PASSWORD, now=NOW + dt.timedelta(minutes=6), pause=Pauses())
    later = NOW + dt.timedelta(minutes=16)
    assert sign_in(tmp_store, accounts, "anna", PASSWORD, now=later, pause=Pauses()).role == Role.EDITOR


@pytest.mark.closes_after_use  # reads the file's bytes
def test_a_password_typed_as_the_name_is_stored_nowhere_in_the_file(tmp_store, accounts):
    """The name field holding a password ("admin-losen-789012") was stored as text in sign_in_failures. Now the
    row holds the name's salted scrypt hash (64 bytes, hex), and neither the database file nor its WAL holds the
    text once the store has closed it (`strings` on the file finds nothing)."""
    typed = "admin-losen-789012"
    with pytest.raises(AuthError, match=WRONG):
        sign_in(tmp_store, accounts, typed, PASSWORD, now=NOW, pause=Pauses())
    with tmp_store.connect() as con:
        (stored,) = con.execute("SELECT name_hash FROM sign_in_failures").fetchone()
    assert stored == failure_key(tmp_store.sign_in_salt(), typed) and len(stored) == 128
    assert typed not in stored
    files = [tmp_store.path, tmp_store.path.with_name(tmp_store.path.name + ".wal")]
    assert all(typed.encode() not in f.read_bytes() for f in files if f.exists())


def test_the_same_name_in_two_databases_gets_different_hashes(tmp_path):
    """The salt is made per database, so a table of hashes of likely names made for one says nothing of another."""
    one, two = Store(tmp_path / "a.duckdb"), Store(tmp_path / "b.duckdb")
    for store in (one, two):
        store.migrate()
    assert one.sign_in_salt() != two.sign_in_salt()
    assert one.sign_in_salt() == one.sign_in_salt()  # made once, then kept
    assert failure_key(one.sign_in_salt(), "anna") != failure_key(two.sign_in_salt(), "anna")


def test_migration_014_removes_the_names_stored_as_text(tmp_path, monkeypatch):
    """A database at schema 13 whose sign_in_failures holds a typed password: after 014 the row is gone, the
    column holds hashes (name_hash) and the salt table is there, empty until the first sign-in."""
    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 13])
    store = Store(tmp_path / "old.duckdb")
    store.migrate()
    with store.connect() as con:
        con.execute("INSERT INTO sign_in_failures VALUES ('admin-losen-789012', ?)", [NOW])
    monkeypatch.setattr(schema, "_migrations", lambda: every)
    assert "014_sign_in_name_hashes.sql" in store.migrate()
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM sign_in_failures").fetchone()[0] == 0
        assert [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'sign_in_failures' ORDER BY column_index"
            ).fetchall()
        ] == ["name_hash", "failed_at"]
        assert con.execute("SELECT count(*) FROM sign_in_salt").fetchone()[0] == 0


@pytest.mark.parametrize(
    "content",
    [
        b'[users.editor1]\npassword_hash = "hemligt-klartext"\nrole = "editor"\n',  # not an argon2 hash
        b'[users.editor1\npassword_hash = "x"\n',  # not TOML
        b'[users.editor1]\npassword_hash = "\xff\xfe"\nrole = "editor"\n',  # not UTF-8
        b"users = 5\n",  # not a table
    ],
)
def test_a_broken_accounts_file_goes_to_the_log_never_to_the_visitor(tmp_store, tmp_path, content, caplog):
    """Before, a visitor signing in was shown "users.toml, kontot editor1: fältet password_hash: String should
    match pattern…" (or Streamlit's English error for bad UTF-8). Now the visitor gets one Swedish sentence
    with neither the file's name nor its content, and the server's log names the account and the field."""
    path = tmp_path / "users.toml"
    path.write_bytes(content)
    with pytest.raises(AuthError) as refused:
        sign_in(tmp_store, path, "editor1", PASSWORD, now=NOW, pause=Pauses())
    assert str(refused.value) == "Inloggningen fungerar inte just nu. " + ACCOUNTS_FILE_NOTICE
    assert "users.toml" in caplog.text and "users.toml" not in str(refused.value)
    with tmp_store.connect() as con:  # nothing counted: the attempt never reached a check
        assert con.execute("SELECT count(*) FROM sign_in_failures").fetchone()[0] == 0


ALL_PARAMS = FilterOptions(tuple(PARAMS), ("timra-centrum", "vivsta"))


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        # Both dates bad: the first repair drops both, so the second error had no parameter left (KeyError 'till').
        (
            {"fran": "abc", "till": "def"},
            "Adressen anger datumet från och med ”abc”, som inte är ett datum (ÅÅÅÅ-MM-DD).",
        ),
        ({"period": "egen", "fran": "2024-13-01", "till": "x"}, "Adressen anger datumet från och med ”2024-13-01”"),
        ({"fran": "1800-01-01", "till": "abc"}, "Adressen anger datumet från och med ”1800-01-01”, som ligger utanför"),
        ({"till": "def"}, "Adressen anger datumet till och med ”def”, som inte är ett datum"),
    ],
)
def test_bad_dates_in_the_url_fall_back_to_the_default_with_one_notice(query, notice):
    filters, notices = parse_query(query, ALL_PARAMS)
    assert filters.preset == DEFAULT_PRESET
    assert len(notices) == 1 and notices[0].startswith(notice)
