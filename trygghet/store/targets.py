"""Targets: the figure each indicator of an agreement should reach, from a day on, with the history of changes."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from trygghet.config import today as config_today
from trygghet.privacy import check_text
from trygghet.store.connection import Connections, StoreError, _scalar


class Targets(Connections):
    """The targets table and target_changes."""

    def add_targets(self, rows: list[dict]) -> None:
        """Insert targets as they are (the demo's example agreement); a council's targets go through
        replace_target, which keeps the history."""
        with self.transaction() as con:
            self._insert_targets(con, rows)

    @classmethod
    def _insert_targets(cls, con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
        """Target rows (as targets.to_row gives them) inserted inside the caller's transaction."""
        con.executemany(f"INSERT INTO targets ({', '.join(cls.TARGET_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(cls.TARGET_COLUMNS))})",
                        [[row[c] for c in cls.TARGET_COLUMNS] for row in rows])

    TARGET_COLUMNS = ("agreement_id", "indicator_id", "grain", "value", "direction", "season_weights", "valid_from", "valid_to",
                      "baseline_year", "increase_pct", "origin", "is_example")

    def target_rows(self) -> list[dict]:
        return self._dicts(f"SELECT id, {', '.join(self.TARGET_COLUMNS)} FROM targets ORDER BY indicator_id, valid_from")

    def seed_targets(self, rows: list[dict]) -> bool:
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

    def replace_target(self, row: dict, changed_by: str, old_text: str | None, new_text: str, *,
                       indicator_title: str, today: dt.date | None = None, reason: str | None = None) -> None:
        """A new target for an indicator of an agreement from row['valid_from']: that agreement's earlier
        targets for it end the day before, later ones are superseded, and the change is written to the history.

        A target changes from `today` (config.today() when None) onward. A valid_from before today rewrites
        days already passed: that is a correction and needs a `reason`, kept in the history; without one it
        is refused with a Swedish StoreError naming the form field, and nothing changes."""
        today = today or config_today()
        check_text("Motivering till rättelsen", reason)
        if row["valid_from"] < today and not reason:
            raise StoreError(
                f"Fältet ”Gäller från” ({row['valid_from'].isoformat()}) ligger före i dag ({today.isoformat()}): "
                f"målet för {indicator_title} har redan gällt de dagarna. Ett mål ändras från i dag och framåt. "
                "Att ändra passerade dagar är en rättelse: en administratör kryssar i ”Rättelse” och skriver varför.")
        day_before = row["valid_from"] - dt.timedelta(days=1)
        scope = "indicator_id = ? AND agreement_id IS NOT DISTINCT FROM ?"
        with self.transaction() as con:
            con.execute(f"DELETE FROM targets WHERE {scope} AND valid_from >= ?",
                        [row["indicator_id"], row["agreement_id"], row["valid_from"]])
            con.execute(f"UPDATE targets SET valid_to = ? WHERE {scope} AND (valid_to IS NULL OR valid_to >= ?)",
                        [day_before, row["indicator_id"], row["agreement_id"], row["valid_from"]])
            self._insert_targets(con, [row])
            con.execute(
                "INSERT INTO target_changes (indicator_id, agreement_id, changed_by, old_target, new_target, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [row["indicator_id"], row["agreement_id"], changed_by, old_text, new_text, reason],
            )

    def target_changes(self) -> pd.DataFrame:
        return self._frame("SELECT * FROM target_changes ORDER BY changed_at DESC, id DESC")
