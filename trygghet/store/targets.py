"""Targets: the figure each indicator of an agreement should reach, from a day on, with the history of changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple, dataclass, fields

import duckdb
import pandas as pd

from trygghet.auth import User, may_edit_targets
from trygghet.config import today as config_today
from trygghet.privacy import check_text
from trygghet.store.connection import Connections, StoreError, _scalar


@dataclass(frozen=True)
class TargetRow:
    """A target as stored (trygghet.figures.targets.to_row and from_row turn it into a Target and back).
    `id` is given by the store: None for a row still to be inserted."""

    agreement_id: str | None
    indicator_id: str
    grain: str
    value: float | None
    direction: str
    season_weights: list[float] | None
    valid_from: dt.date
    valid_to: dt.date | None
    baseline_year: int | None
    increase_pct: float | None
    origin: str
    is_example: bool
    id: int | None = None


# The columns a target is inserted with, in TargetRow's order (all but id).
TARGET_COLUMNS = tuple(f.name for f in fields(TargetRow) if f.name != "id")


class Targets(Connections):
    """The targets table and target_changes."""

    def add_targets(self, rows: list[TargetRow]) -> None:
        """Insert targets as they are (the demo's example agreement); a council's targets go through
        replace_target, which keeps the history."""
        with self.transaction() as con:
            self._insert_targets(con, rows)

    @staticmethod
    def _insert_targets(con: duckdb.DuckDBPyConnection, rows: list[TargetRow]) -> None:
        """Target rows inserted inside the caller's transaction (their id, if any, is not: the store gives it)."""
        con.executemany(
            f"INSERT INTO targets ({', '.join(TARGET_COLUMNS)}) VALUES ({', '.join('?' * len(TARGET_COLUMNS))})",
            [astuple(row)[: len(TARGET_COLUMNS)] for row in rows],
        )

    def target_rows(self) -> list[TargetRow]:
        return self._records(
            TargetRow, f"SELECT {', '.join(TARGET_COLUMNS)}, id FROM targets ORDER BY indicator_id, valid_from"
        )

    def seed_targets(self, rows: list[TargetRow]) -> bool:
        """Insert the default targets into an empty targets table; False when targets already exist.

        Targets already there are found with a read, so a seeded store is never written to."""
        if not rows:
            return False
        with self.connect() as con:
            if _scalar(con, "SELECT count(*) FROM targets"):
                return False
        with self.transaction() as con:
            if _scalar(con, "SELECT count(*) FROM targets"):
                return False
            self._insert_targets(con, rows)
            return True

    def replace_target(
        self,
        row: TargetRow,
        user: User,
        old_text: str | None,
        new_text: str,
        *,
        indicator_title: str,
        today: dt.date | None = None,
        reason: str | None = None,
    ) -> None:
        """A new target for an indicator of an agreement from row.valid_from: that agreement's earlier
        targets for it end the day before, later ones are superseded, and the change is written to the history.

        A target changes from `today` (config.today() when None) onward. A valid_from before today rewrites
        days already passed: that is a correction and needs a `reason`, kept in the history; without one it
        is refused with a Swedish StoreError naming the form field, and nothing changes."""
        may_edit_targets(user).check()
        changed_by = user.name
        today = today or config_today()
        check_text("Motivering till rättelsen", reason)
        if row.valid_from < today and not reason:
            raise StoreError(
                f"Fältet ”Gäller från” ({row.valid_from.isoformat()}) ligger före i dag ({today.isoformat()}): "
                f"målet för {indicator_title} har redan gällt de dagarna. Ett mål ändras från i dag och framåt. "
                "Att ändra passerade dagar är en rättelse: en administratör kryssar i ”Rättelse” och skriver varför."
            )
        day_before = row.valid_from - dt.timedelta(days=1)
        scope = "indicator_id = ? AND agreement_id IS NOT DISTINCT FROM ?"
        with self.transaction() as con:
            con.execute(
                f"DELETE FROM targets WHERE {scope} AND valid_from >= ?",
                [row.indicator_id, row.agreement_id, row.valid_from],
            )
            con.execute(
                f"UPDATE targets SET valid_to = ? WHERE {scope} AND (valid_to IS NULL OR valid_to >= ?)",
                [day_before, row.indicator_id, row.agreement_id, row.valid_from],
            )
            self._insert_targets(con, [row])
            con.execute(
                "INSERT INTO target_changes (indicator_id, agreement_id, changed_by, old_target, new_target, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [row.indicator_id, row.agreement_id, changed_by, old_text, new_text, reason],
            )

    def target_changes(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM target_changes ORDER BY changed_at DESC, id DESC")
