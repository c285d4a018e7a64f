"""Local accounts, sign-in limits and the OIDC role mapping."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from trygghet.auth import MAX_FAILURES, AuthError, Role, add_user, load_accounts, remove_user, role_for, set_role, sign_in
from trygghet.config import PROJECT_ROOT
from tests.factories import PASSWORD, Pauses

NOW = dt.datetime(2024, 6, 11, 12, 0, tzinfo=dt.timezone.utc)


def test_accounts_store_argon2_hashes_never_passwords(accounts):
    text = accounts.read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert load_accounts(accounts)["anna"].role == "editor"
    set_role(accounts, "anna", "admin")
    assert load_accounts(accounts)["anna"].role == "admin"
    remove_user(accounts, "anna")
    assert load_accounts(accounts) == {}


@pytest.mark.parametrize("name,password,role,message", [
    ("Anna Svensson", PASSWORD, "editor", "giltigt användarnamn"),
    ("bertil", "kort", "editor", "minst 12 tecken"),
    ("bertil", PASSWORD, "kung", "okänd roll"),
    ("anna", PASSWORD, "editor", "finns redan"),
])
def test_bad_accounts_are_refused(accounts, name, password, role, message):
    with pytest.raises(AuthError, match=message):
        add_user(accounts, name, password, role)


@pytest.mark.slow
def test_sign_in_gives_the_role_and_wrong_passwords_are_slowed_and_limited(tmp_store, accounts):
    pause = Pauses()
    user = sign_in(tmp_store, accounts, "anna", PASSWORD, now=NOW, pause=pause)
    assert (user.name, user.role, user.signed_in) == ("anna", Role.EDITOR, True)
    for attempt in range(MAX_FAILURES):
        with pytest.raises(AuthError, match="Fel användarnamn eller lösenord"):
            sign_in(tmp_store, accounts, "anna", "fel lösenord", now=NOW, pause=pause)
    assert pause.total == pytest.approx(0.5 + 1 + 2 + 4 + 4)  # doubling, at most 4 s
    with pytest.raises(AuthError, match="spärrat i 15 minuter"):
        sign_in(tmp_store, accounts, "anna", PASSWORD, now=NOW, pause=pause)   # even the right password
    later = NOW + dt.timedelta(minutes=16)
    assert sign_in(tmp_store, accounts, "anna", PASSWORD, now=later, pause=pause).role == Role.EDITOR


def test_an_unknown_account_fails_like_a_wrong_password(tmp_store, accounts):
    with pytest.raises(AuthError, match="Fel användarnamn eller lösenord"):
        sign_in(tmp_store, accounts, "okand", PASSWORD, now=NOW, pause=Pauses())


def test_oidc_roles_come_from_addresses_and_groups():
    mapping = {"admin": ["chef@timra.se"], "editor": ["group:trygghet-redaktorer", "analytiker@polisen.se"]}
    assert role_for("Chef@Timra.se", [], mapping) == Role.ADMIN
    assert role_for("x@timra.se", ["trygghet-redaktorer"], mapping) == Role.EDITOR
    assert role_for("analytiker@polisen.se", [], mapping) == Role.EDITOR
    assert role_for("x@timra.se", ["andra"], mapping) == Role.VIEWER
    assert role_for(None, [], {}) == Role.VIEWER


@pytest.mark.slow
def test_cli_manages_accounts(tmp_path):
    path = tmp_path / "users.toml"
    env = {"TRYGGHET_USERS": str(path), "PATH": "/usr/bin:/bin"}
    run = lambda *args, stdin="": subprocess.run(  # noqa: E731
        [sys.executable, "-m", "trygghet", *args], input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT,
        env=env, timeout=60)
    added = run("users", "add", "bertil", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert load_accounts(path)["bertil"].role == "admin"
    assert run("users", "list").stdout == "bertil\tadmin\n"
    refused = run("users", "add", "bertil", "--password-stdin", stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "finns redan" in refused.stderr
