"""Areas of Timrå: their names, whether central and active, and the log of every change."""

from __future__ import annotations

from typing import Any

import pandas as pd

from trygghet.auth import User, may_edit_areas
from trygghet.store.connection import Connections


class Areas(Connections):
    """areas and area_changes."""

    def areas(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM areas ORDER BY is_central DESC, name")

    def save_areas(self, rows: list[dict[str, Any]], user: User) -> None:
        """Replace the names, central flags and active flags of the areas, and add new ones; all or nothing.
        Codes never change (activities refer to them); an area in use is deactivated, never deleted.

        Every area added or changed is written to area_changes with the values before and after, and
        `user`'s name (the signed-in admin, or auth.OPERATOR). Rows that change nothing are left alone and
        not logged."""
        may_edit_areas(user).check()
        by = user.name
        with self.transaction() as con:
            before = {r[0]: r[1:] for r in con.execute("SELECT code, name, is_central, active FROM areas").fetchall()}
            for row in rows:
                after = (row["name"], bool(row["is_central"]), bool(row["active"]))
                old = before.get(row["code"])
                if old == after:
                    continue
                con.execute(
                    "INSERT INTO areas (code, name, is_central, active) VALUES (?, ?, ?, ?) ON CONFLICT (code)"
                    " DO UPDATE SET name = excluded.name, is_central = excluded.is_central, active = excluded.active",
                    [row["code"], *after],
                )
                con.execute(
                    "INSERT INTO area_changes (changed_by, code, old_name, old_is_central, old_active, name,"
                    " is_central, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [by, row["code"], *(old or (None, None, None)), *after],
                )

    def area_changes(self, limit: int = 20) -> pd.DataFrame:
        """The latest changes of the areas, newest first."""
        return self._frame("SELECT * FROM area_changes ORDER BY changed_at DESC, id DESC LIMIT ?", [limit])
