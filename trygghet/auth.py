"""Who may do what: roles, local accounts with argon2 password hashes, and OIDC role mapping.

No Streamlit here: the pages ask `trygghet.web.ui` for the current user, and ui asks this module.
Local accounts live in a TOML file outside git (TRYGGHET_USERS, default .streamlit/users.toml),
managed with `python -m trygghet users add|remove|set-role`. Where `[auth]` is configured in
.streamlit/secrets.toml, Streamlit's own OIDC sign-in is used instead and the role comes from
the `[roles]` mapping of e-mail addresses and groups there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import time
import tomllib
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Callable, ContextManager, Protocol

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trygghet.config import PROJECT_ROOT
from trygghet.validation import swedish_problems

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
MAX_FAILURES = 5                       # failed sign-ins per account ...
FAILURE_WINDOW = dt.timedelta(minutes=15)  # ... within this window lock the account for the rest of it
_hasher = PasswordHasher()


class AccountStore(Protocol):
    """What this module asks of the store (which sits above it): the account log and the sign-in counts."""

    def transaction(self) -> ContextManager[duckdb.DuckDBPyConnection]: ...

    def record_account_change(self, con: duckdb.DuckDBPyConnection, changed_by: str, account: str, action: str,
                              old_role: str | None, new_role: str | None) -> None: ...

    def sign_in_salt(self) -> bytes: ...

    def claim_sign_in_attempt(self, name_hash: str, at: dt.datetime, since: dt.datetime, limit: int) -> int | None: ...

    def clear_sign_in_failures(self, name_hash: str) -> None: ...


class Role(IntEnum):
    VIEWER = 0
    EDITOR = 1
    ADMIN = 2

    @property
    def label(self) -> str:
        return ("läsare", "redaktör", "administratör")[self.value]

    @classmethod
    def parse(cls, text: str) -> Role:
        names = {"viewer": cls.VIEWER, "editor": cls.EDITOR, "admin": cls.ADMIN}
        if text not in names:
            raise AuthError(f"okänd roll ”{text}”; rollerna är viewer (läsare), editor (redaktör) "
                            "och admin (administratör)")
        return names[text]


@dataclass(frozen=True)
class User:
    name: str
    role: Role

    @property
    def signed_in(self) -> bool:
        return self.role > Role.VIEWER


ANONYMOUS = User("anonym läsare", Role.VIEWER)


class AuthError(ValueError):
    """A Swedish message for the user or the operator; nothing was changed."""


class AccountsFileError(AuthError):
    """The accounts file cannot be read. The message names the file, the account and the field, for the
    operator (command line, server log) only: a page says ACCOUNTS_FILE_NOTICE and never shows it."""


ACCOUNTS_FILE_NOTICE = "Kontofilen kan inte läsas; se serverns logg."
_log = logging.getLogger("trygghet")


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password_hash: str = Field(pattern=r"^\$argon2")
    role: str = Field(pattern=r"^(editor|admin)$")


def users_file() -> Path:
    return Path(os.environ.get("TRYGGHET_USERS") or PROJECT_ROOT / ".streamlit" / "users.toml")


def load_accounts(path: Path) -> dict[str, Account]:
    """The local accounts; a broken file names the account and the field (AccountsFileError)."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("users", {})
    except UnicodeDecodeError as exc:
        raise AccountsFileError(f"{path.name}: kan inte läsas, tecknet på byte {exc.start} är inte UTF-8") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccountsFileError(f"{path.name}: kan inte läsas ({exc})") from exc
    if not isinstance(raw, dict):
        raise AccountsFileError(f"{path.name}: users ska vara en tabell med ett konto per namn")
    accounts = {}
    for name, entry in raw.items():
        try:
            accounts[name] = Account.model_validate(entry)
        except ValidationError as exc:
            raise AccountsFileError(f"{path.name}, kontot {name}: {swedish_problems(exc)}") from exc
    return accounts


def _save(path: Path, accounts: dict[str, Account]) -> None:
    """Write the accounts file (only names matching USERNAME and argon2 hashes: nothing to escape)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Local accounts of Trygghetsuppföljning Timrå. Edit with: python -m trygghet users", ""]
    for name in sorted(accounts):
        lines += [f'[users."{name}"]', f'password_hash = "{accounts[name].password_hash}"',
                  f'role = "{accounts[name].role}"', ""]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)


LOCAL_ROLES = ("editor", "admin")  # a local account signs in to edit; viewers read without an account


def _local_role(role: str) -> str:
    """The role of a local account: editor or admin, refused with a Swedish message otherwise."""
    if role == "viewer":
        raise AuthError("rollen viewer (läsare) behöver inget konto: alla kan läsa utan att logga in; "
                        "ett lokalt konto får rollen editor eller admin")
    if role not in LOCAL_ROLES:
        raise AuthError(f"okänd roll ”{role}”; ett lokalt konto får rollen editor eller admin")
    return role


def _save_logged(path: Path, accounts: dict[str, Account], store: AccountStore | None, by: str | None, account: str,
                 action: str, old_role: str | None, new_role: str | None) -> None:
    """Save the accounts file and, with `store`, log the change there (names and roles only, never a password
    or hash) as one: the log row's transaction commits only after the file is saved, and a log that cannot
    be written stops the change before the file is touched."""
    if store is None:
        _save(path, accounts)
        return
    if not by:
        raise ValueError("an account change needs the name of who made it")
    with store.transaction() as con:
        store.record_account_change(con, by, account, action, old_role, new_role)
        _save(path, accounts)


def add_user(path: Path, name: str, password: str, role: str, *, store: AccountStore | None = None,
             by: str | None = None) -> None:
    """Create a local account. With `store`, the change is logged there as done by `by`
    (the signed-in admin, or config.LOCAL_OPERATOR from the command line)."""
    if not USERNAME.match(name):
        raise AuthError(f"”{name}” är inget giltigt användarnamn (små bokstäver, siffror, . _ @ -; 2–64 tecken)")
    if len(password) < 12:
        raise AuthError("lösenordet måste ha minst 12 tecken")
    _local_role(role)
    accounts = load_accounts(path)
    if name in accounts:
        raise AuthError(f"kontot {name} finns redan; byt roll med set-role")
    accounts[name] = Account(password_hash=_hasher.hash(password), role=role)
    _save_logged(path, accounts, store, by, name, "added", None, role)


def remove_user(path: Path, name: str, *, store: AccountStore | None = None, by: str | None = None) -> None:
    """Remove a local account; with `store`, logged as done by `by` (see add_user)."""
    accounts = load_accounts(path)
    removed = accounts.pop(name, None)
    if removed is None:
        raise AuthError(f"kontot {name} finns inte")
    _save_logged(path, accounts, store, by, name, "removed", removed.role, None)


def set_role(path: Path, name: str, role: str, *, store: AccountStore | None = None, by: str | None = None) -> None:
    """Give a local account another role; with `store`, logged as done by `by` (see add_user).
    Setting the role it already has changes and logs nothing."""
    _local_role(role)
    accounts = load_accounts(path)
    if name not in accounts:
        raise AuthError(f"kontot {name} finns inte")
    old_role = accounts[name].role
    if old_role == role:
        return
    accounts[name] = accounts[name].model_copy(update={"role": role})
    _save_logged(path, accounts, store, by, name, "role", old_role, role)


def failure_key(salt: bytes, name: str) -> str:
    """What a failed sign-in records for the name typed: a salted, slow hash, never the text (a password typed
    into the name field must not be stored), the same for the same name so that failures add up."""
    return hashlib.scrypt(name.encode("utf-8"), salt=salt, n=2 ** 13, r=8, p=1).hex()


def sign_in(store: AccountStore, path: Path, name: str, password: str, *, now: dt.datetime | None = None,
            pause: Callable[[float], None] = time.sleep) -> User:
    """A local sign-in. Each attempt is counted before the password is checked (in one serialised write with
    the check of the count, so parallel attempts cannot slip past it) and a right password clears the count;
    a failure is answered slowly; after MAX_FAILURES within FAILURE_WINDOW the account is locked until the
    window has passed, whatever the password. A broken accounts file goes to the server's log only."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        accounts = load_accounts(path)
    except AccountsFileError as exc:
        _log.error("local sign-in impossible: %s", exc)
        raise AuthError("Inloggningen fungerar inte just nu. " + ACCOUNTS_FILE_NOTICE) from None
    key = failure_key(store.sign_in_salt(), name)
    earlier = store.claim_sign_in_attempt(key, now, now - FAILURE_WINDOW, MAX_FAILURES)
    if earlier is None:
        pause(1.0)
        raise AuthError("För många misslyckade inloggningar. Kontot är spärrat i 15 minuter; försök igen senare.")
    account = accounts.get(name)
    try:
        if account is None:
            _hasher.hash(password)  # the same work as a real check, so timing tells nothing about names
            raise VerificationError()
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        pause(min(0.5 * 2 ** earlier, 4.0))
        raise AuthError("Fel användarnamn eller lösenord.") from None
    store.clear_sign_in_failures(key)
    return User(name, Role.parse(account.role))


def role_for(email: str | None, groups: list[str], mapping: dict[str, list[str]]) -> Role:
    """The role of an OIDC user from the [roles] mapping: e-mail addresses, or 'group:NAME' entries."""
    keys = {(email or "").lower()} | {f"group:{g}".lower() for g in groups}
    for role in (Role.ADMIN, Role.EDITOR):
        listed = {str(entry).lower() for entry in mapping.get(role.name.lower(), [])}
        if keys & listed:
            return role
    return Role.VIEWER
