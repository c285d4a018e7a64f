"""Accounts: failed sign-ins (under salted name hashes) and the log of every change of a local account.

The accounts themselves live in the accounts file (trygghet.auth); only what must be shared between the
dashboard's processes, or kept as a record, is stored here.
"""

from __future__ import annotations

import datetime as dt
import secrets

import duckdb
import pandas as pd

from trygghet.store.connection import Connections, _scalar


class Accounts(Connections):
    """sign_in_salt, sign_in_failures and account_changes."""

    def sign_in_salt(self) -> bytes:
        """This database's salt for the names of failed sign-ins, made at the first use (migration 014)."""
        with self.connect() as con:
            found = con.execute("SELECT salt FROM sign_in_salt").fetchone()
            if found is not None:
                return bytes.fromhex(found[0])
            with self.write(con, figures=False):
                con.execute(
                    "INSERT INTO sign_in_salt SELECT ? WHERE NOT EXISTS (FROM sign_in_salt)", [secrets.token_hex(32)]
                )
            return bytes.fromhex(_scalar(con, "SELECT salt FROM sign_in_salt"))

    def claim_sign_in_attempt(self, name_hash: str, at: dt.datetime, since: dt.datetime, limit: int) -> int | None:
        """Count an attempt for the name before its password is checked, unless `limit` attempts are already
        counted since `since`: count and write in one serialised transaction, so parallel attempts cannot all
        see a count below the limit. The number counted before this one, or None when the name is locked.
        A right password then clears them (`clear_sign_in_failures`); a wrong one leaves this one counted."""
        with self.connect() as con, self.write(con, figures=False):
            earlier = int(
                _scalar(
                    con,
                    "SELECT count(*) FROM sign_in_failures WHERE name_hash = ? AND failed_at >= ?",
                    [name_hash, since],
                )
            )
            if earlier >= limit:
                return None
            con.execute("INSERT INTO sign_in_failures VALUES (?, ?)", [name_hash, at])
            return earlier

    def clear_sign_in_failures(self, name_hash: str) -> None:
        with self.connect() as con, self.write(con, figures=False):
            con.execute("DELETE FROM sign_in_failures WHERE name_hash = ?", [name_hash])

    @staticmethod
    def record_account_change(
        con: duckdb.DuckDBPyConnection,
        changed_by: str,
        account: str,
        action: str,
        old_role: str | None = None,
        new_role: str | None = None,
    ) -> None:
        """Log that a local account was added, removed or given another role (action 'added', 'removed'
        or 'role'), inside the caller's transaction. Only names and roles: never a password or hash."""
        con.execute(
            "INSERT INTO account_changes (changed_by, account, action, old_role, new_role) VALUES (?, ?, ?, ?, ?)",
            [changed_by, account, action, old_role, new_role],
        )

    def account_changes(self, limit: int = 20) -> pd.DataFrame:
        """The latest changes of local accounts, newest first."""
        return self._frame("SELECT * FROM account_changes ORDER BY changed_at DESC, id DESC LIMIT ?", [limit])
