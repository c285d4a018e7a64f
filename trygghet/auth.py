"""Who may do what: roles, local accounts with argon2 password hashes, and OIDC role mapping.

Who may do what is one `may_*` function per decision, asked by the pages and again by the store's writes.
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
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Protocol

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trygghet.config import LOCAL_OPERATOR, PROJECT_ROOT
from trygghet.validation import swedish_problems

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
MAX_FAILURES = 5  # failed sign-ins per account ...
FAILURE_WINDOW = dt.timedelta(minutes=15)  # ... within this window lock the account for the rest of it
_hasher = PasswordHasher()


class AccountStore(Protocol):
    """What this module asks of the store (which sits above it): the account log and the sign-in counts."""

    def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def record_account_change(
        self,
        con: duckdb.DuckDBPyConnection,
        changed_by: str,
        account: str,
        action: str,
        old_role: str | None,
        new_role: str | None,
    ) -> None: ...

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
            raise AuthError(
                f"okänd roll ”{text}”; rollerna är viewer (läsare), editor (redaktör) och admin (administratör)"
            )
        return names[text]


@dataclass(frozen=True)
class User:
    name: str
    role: Role

    @property
    def signed_in(self) -> bool:
        return self.role > Role.VIEWER


ANONYMOUS = User("anonym läsare", Role.VIEWER)
# The command line: whoever runs it holds the database file and the accounts file, so it may do what an admin may.
OPERATOR = User(LOCAL_OPERATOR, Role.ADMIN)


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


class NotAllowed(AuthError):
    """A write refused by one of the decisions below, with its reason; nothing was changed."""


# --- who may do what ---------------------------------------------------------------------------------
# One function per decision. The pages ask them to offer a control or not; the store's writes ask them again
# and refuse (Verdict.check), so a request that bypasses a page changes nothing.


@dataclass(frozen=True)
class Verdict:
    """A decision: true when allowed; when not, false with the Swedish reason a refusal shows."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def check(self) -> None:
        """Raise NotAllowed with the reason when refused."""
        if not self.allowed:
            raise NotAllowed(self.reason)


ALLOWED = Verdict(True)


def _at_least(user: User, role: Role, reason: str) -> Verdict:
    return ALLOWED if user.role >= role else Verdict(False, reason)


def _own_batch(user: User, imported_by: str, verb: str) -> Verdict:
    """An editor acts on their own import batches, an admin on anyone's."""
    if user.role >= Role.ADMIN or (user.role >= Role.EDITOR and imported_by == user.name):
        return ALLOWED
    if user.role < Role.EDITOR:
        return Verdict(False, f"Bara en redaktör eller administratör kan {verb} en importomgång.")
    return Verdict(
        False,
        f"En redaktör kan bara {verb} sina egna importomgångar; den här importerades av "
        f"{imported_by}. En administratör kan {verb} den.",
    )


def may_undo(user: User, imported_by: str) -> Verdict:
    """Undo a batch imported by `imported_by`: an editor their own, an admin any."""
    return _own_batch(user, imported_by, "ångra")


def may_replace(user: User, imported_by: str) -> Verdict:
    """Replace a batch with a corrected file: as for an undo (that demo data is never replaced is a rule of the
    data, checked by the importer)."""
    return _own_batch(user, imported_by, "ersätta")


def may_remove_demo(user: User) -> Verdict:
    return _at_least(user, Role.ADMIN, "Bara en administratör kan ta bort demodata.")


def may_write_meeting(user: User) -> Verdict:
    """The meeting calendar, comments and follow-up points."""
    return _at_least(
        user,
        Role.EDITOR,
        "Bara en redaktör eller administratör kan ändra rådets möten, kommentarer och uppföljningspunkter.",
    )


def may_lock_meeting(user: User, meeting_date: dt.date, today: dt.date) -> Verdict:
    """An admin locks a meeting's figures on the meeting day or later: before it they are not yet the ones shown."""
    if meeting_date > today:
        return Verdict(False, "Siffrorna kan låsas på mötesdagen eller senare.")
    return _at_least(user, Role.ADMIN, "Bara en administratör kan låsa ett mötes siffror.")


def may_edit_targets(user: User) -> Verdict:
    """The council decides the targets and the record of its written follow-up; an admin enters them."""
    return _at_least(user, Role.ADMIN, "Bara en administratör kan föra in rådets mål och uppföljningar.")


def may_publish_agreements(user: User) -> Verdict:
    """Publish a draft, or delete one."""
    return _at_least(user, Role.ADMIN, "Bara en administratör kan publicera eller ta bort ett utkast.")


def may_draft_agreements(user: User) -> Verdict:
    """Start a draft from an earlier agreement, edit a draft, attach its document, add a focus area."""
    return _at_least(user, Role.EDITOR, "Bara en redaktör eller administratör kan skriva utkast till överenskommelser.")


def may_change_agreement(user: User, published: bool) -> Verdict:
    """A draft is edited by its drafters; a published text is changed only by an admin, with a reason."""
    if not published:
        return may_draft_agreements(user)
    return _at_least(user, Role.ADMIN, "Bara en administratör kan ändra en publicerad överenskommelse.")


def may_define_indicators(user: User) -> Verdict:
    """Define, edit, take out of use or put back an indicator defined in the app."""
    return _at_least(user, Role.ADMIN, "Bara en administratör kan definiera eller ändra indikatorer.")


def may_edit_areas(user: User) -> Verdict:
    return _at_least(user, Role.ADMIN, "Bara en administratör kan ändra områdena.")


def may_manage_accounts(user: User) -> Verdict:
    return _at_least(user, Role.ADMIN, "Bara en administratör kan ändra konton.")


def may_remove_account(user: User, name: str) -> Verdict:
    """An admin removes accounts, never their own (the last admin would lock everyone out)."""
    if user.role >= Role.ADMIN and name == user.name:
        return Verdict(False, "Du kan inte ta bort ditt eget konto.")
    return may_manage_accounts(user)


def may_change_role(user: User, name: str, role: str) -> Verdict:
    """An admin changes roles, but never lowers their own (for the same reason)."""
    if user.role >= Role.ADMIN and name == user.name and Role.parse(role) < user.role:
        return Verdict(False, "Du kan inte sänka din egen roll; be en annan administratör.")
    return may_manage_accounts(user)


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
        lines += [
            f'[users."{name}"]',
            f'password_hash = "{accounts[name].password_hash}"',
            f'role = "{accounts[name].role}"',
            "",
        ]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)


LOCAL_ROLES = ("editor", "admin")  # a local account signs in to edit; viewers read without an account


def _local_role(role: str) -> str:
    """The role of a local account: editor or admin, refused with a Swedish message otherwise."""
    if role == "viewer":
        raise AuthError(
            "rollen viewer (läsare) behöver inget konto: alla kan läsa utan att logga in; "
            "ett lokalt konto får rollen editor eller admin"
        )
    if role not in LOCAL_ROLES:
        raise AuthError(f"okänd roll ”{role}”; ett lokalt konto får rollen editor eller admin")
    return role


def _save_logged(
    path: Path,
    accounts: dict[str, Account],
    store: AccountStore | None,
    by: User | None,
    account: str,
    action: str,
    old_role: str | None,
    new_role: str | None,
) -> None:
    """Save the accounts file and, with `store`, log the change there (names and roles only, never a password
    or hash) as one: the log row's transaction commits only after the file is saved, and a log that cannot
    be written stops the change before the file is touched."""
    if store is None:
        _save(path, accounts)
        return
    if by is None or not by.name:
        raise ValueError("an account change needs the name of who made it")
    with store.transaction() as con:
        store.record_account_change(con, by.name, account, action, old_role, new_role)
        _save(path, accounts)


def add_user(
    path: Path, name: str, password: str, role: str, *, store: AccountStore | None = None, by: User | None = None
) -> None:
    """Create a local account. With `by` (the signed-in admin, or OPERATOR from the command line), refused
    unless may_manage_accounts allows it; with `store`, the change is logged there as done by `by`."""
    if by is not None:
        may_manage_accounts(by).check()
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


def remove_user(path: Path, name: str, *, store: AccountStore | None = None, by: User | None = None) -> None:
    """Remove a local account: refused unless may_remove_account allows `by` to; logged as in add_user."""
    if by is not None:
        may_remove_account(by, name).check()
    accounts = load_accounts(path)
    removed = accounts.pop(name, None)
    if removed is None:
        raise AuthError(f"kontot {name} finns inte")
    _save_logged(path, accounts, store, by, name, "removed", removed.role, None)


def set_role(path: Path, name: str, role: str, *, store: AccountStore | None = None, by: User | None = None) -> None:
    """Give a local account another role: refused unless may_change_role allows `by` to; logged as in add_user.
    Setting the role it already has changes and logs nothing."""
    _local_role(role)
    if by is not None:
        may_change_role(by, name, role).check()
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
    return hashlib.scrypt(name.encode("utf-8"), salt=salt, n=2**13, r=8, p=1).hex()


def sign_in(
    store: AccountStore,
    path: Path,
    name: str,
    password: str,
    *,
    now: dt.datetime | None = None,
    pause: Callable[[float], None] = time.sleep,
) -> User:
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
        pause(min(0.5 * 2**earlier, 4.0))
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
