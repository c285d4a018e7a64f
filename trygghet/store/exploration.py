"""The self-service exploration's reads: the logged rows behind a selection (its sums come from the indicator
compiler, trygghet.exploration.figures).

The pages read with a trygghet.exploration.model.Selection. Every value in it is a bound parameter; the only
SQL text that varies is picked from EXPLORE_COLUMNS.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import pandas as pd

from trygghet.store.connection import Connections, _scalar
from trygghet.store.content_key import ACTIVITY_COLUMNS


class Selection(Protocol):
    """What the store reads of a selection (trygghet.exploration.model.Selection, which sits above the store)."""

    @property
    def types(self) -> tuple[str, ...]: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...
    @property
    def areas(self) -> tuple[str, ...]: ...
    @property
    def organisations(self) -> tuple[str, ...]: ...
    @property
    def control_kinds(self) -> tuple[str, ...]: ...
    @property
    def risk_place(self) -> bool | None: ...
    @property
    def topics(self) -> tuple[str, ...]: ...
    @property
    def audiences(self) -> tuple[str, ...]: ...


class Exploration(Connections):
    """Reads of the exploration pages."""

    EXPLORE_WHERE = """list_contains($types, activity_type)
        AND ($areas IS NULL OR list_contains($areas, area_code))
        AND ($organisations IS NULL OR list_contains($organisations, organisation))
        AND ($control_kinds IS NULL OR list_contains($control_kinds, control_kind))
        AND ($risk_place IS NULL OR risk_place = $risk_place)
        AND ($topics IS NULL OR list_has_any(topics, $topics))
        AND ($audiences IS NULL OR list_has_any(audiences, $audiences))"""

    @staticmethod
    def _explore_params(sel: Selection) -> dict[str, Any]:
        return {
            "types": list(sel.types),
            "start": sel.start,
            "end": sel.end,
            "areas": list(sel.areas) or None,
            "organisations": list(sel.organisations) or None,
            "control_kinds": list(sel.control_kinds) or None,
            "risk_place": sel.risk_place,
            "topics": list(sel.topics) or None,
            "audiences": list(sel.audiences) or None,
        }

    def _explore_frame(self, sql: str, sel: Selection, **extra: object) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, self._explore_params(sel) | extra).df()

    EXPLORE_COLUMNS = ("id", *ACTIVITY_COLUMNS, "batch_id")

    def explore_activities(
        self, sel: Selection, limit: int | None = None, columns: tuple[str, ...] | None = None
    ) -> pd.DataFrame:
        """The logged rows behind a selection, newest first, with their import batch's file name.

        A row counts when its dates meet the window, so a summary row cut by the window is
        listed whole (the figures take only its share). `columns` (of EXPLORE_COLUMNS, all
        when None) keeps the read to what a page shows."""
        wanted = self.EXPLORE_COLUMNS if columns is None else tuple(c for c in columns if c != "file_name")
        if not set(wanted) <= set(self.EXPLORE_COLUMNS):
            raise ValueError(f"unknown activity columns: {sorted(set(wanted) - set(self.EXPLORE_COLUMNS))}")
        picked = ", ".join(f"a.{c}" for c in wanted)
        sql = (
            f"SELECT {picked}, b.file_name FROM (SELECT * FROM activities WHERE date_to >= $start"
            f" AND date_from <= $end AND {self.EXPLORE_WHERE} ORDER BY date_from DESC, id DESC LIMIT $limit) a"
            " JOIN import_batches b ON b.id = a.batch_id ORDER BY a.date_from DESC, a.id DESC"
        )
        return self._explore_frame(sql, sel, limit=limit)

    def explore_row_count(self, sel: Selection) -> int:
        """How many logged rows explore_activities would return without a limit."""
        with self.connect() as con:
            return int(
                _scalar(
                    con,
                    f"SELECT count(*) FROM activities WHERE date_to >= $start AND date_from <= $end"
                    f" AND {self.EXPLORE_WHERE}",
                    self._explore_params(sel),
                )
            )

    def explore_weekday_hours(self, sel: Selection) -> pd.DataFrame:
        """Activities per ISO weekday (1 = Monday) and starting hour; hour is NULL for rows without a start time.

        Only single-day rows have a start time, so the day is date_from."""
        sql = (
            f"SELECT isodow(date_from) AS weekday, hour(start_time) AS hour, sum(activity_count) AS activities"
            f" FROM activities WHERE date_from BETWEEN $start AND $end AND {self.EXPLORE_WHERE}"
            " GROUP BY ALL ORDER BY weekday, hour"
        )
        return self._explore_frame(sql, sel)
