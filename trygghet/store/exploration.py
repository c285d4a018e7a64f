"""The self-service exploration's reads: sums over activity_days and the logged rows behind a selection.

The pages read with a trygghet.exploration.model.Selection. Every value in it is a bound parameter; the only
SQL text that varies is picked from the fixed dictionaries below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import pandas as pd

from trygghet.store.activity_days import DAY_MEASURES, without_dust_sql
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
    EXPLORE_GROUPS = {
        "week": "CAST(date_trunc('week', day) AS DATE)",
        "month": "CAST(date_trunc('month', day) AS DATE)",
        "activity_type": "activity_type",
        "area_code": "area_code",
        "topic": "topic",
        "audience": "audience",
    }
    EXPLORE_UNNEST = {"topic": ", unnest(topics) AS topic", "audience": ", unnest(audiences) AS audience"}
    # Float dust is rounded away, as in the indicator compiler.
    EXPLORE_SUMS = ", ".join(f"{without_dust_sql(f'coalesce(sum({m}), 0)')} AS {m}" for m in DAY_MEASURES) + (
        f", {without_dust_sql('coalesce(sum(duration_min), 0) / 60')} AS hours"
        f", {without_dust_sql('coalesce(sum(staff_minutes), 0) / 60')} AS staff_hours"
        f", {without_dust_sql('coalesce(sum(staff_minutes), 0)')} AS staff_minutes")

    @staticmethod
    def _explore_params(sel: Selection) -> dict[str, Any]:
        return {"types": list(sel.types), "start": sel.start, "end": sel.end,
                "areas": list(sel.areas) or None, "organisations": list(sel.organisations) or None,
                "control_kinds": list(sel.control_kinds) or None, "risk_place": sel.risk_place,
                "topics": list(sel.topics) or None, "audiences": list(sel.audiences) or None}

    def explore_sums(self, sel: Selection, by: tuple[str, ...] = ()) -> pd.DataFrame:
        """Every measure summed over the selection, grouped by `by` (keys of EXPLORE_GROUPS).

        Reads activity_days, like the indicator engine: a summary row counts with the share
        of its days that falls in the window. Grouping by topic or audience counts an
        activity under each of its topics or audiences."""
        unknown = [g for g in by if g not in self.EXPLORE_GROUPS]
        if unknown or len([g for g in by if g in self.EXPLORE_UNNEST]) > 1:
            raise ValueError(f"cannot group activities by {by}")
        unnest = "".join(self.EXPLORE_UNNEST.get(g, "") for g in by)
        keys = "".join(f"{self.EXPLORE_GROUPS[g]} AS {g}, " for g in by)
        grouped = f" GROUP BY {', '.join(by)} ORDER BY {', '.join(by)}" if by else ""
        sql = (f"SELECT {keys}{self.EXPLORE_SUMS} FROM (SELECT *{unnest} FROM activity_days"
               f" WHERE day BETWEEN $start AND $end AND {self.EXPLORE_WHERE}){grouped}")
        return self._explore_frame(sql, sel)

    def _explore_frame(self, sql: str, sel: Selection, **extra: object) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, self._explore_params(sel) | extra).df()

    EXPLORE_COLUMNS = ("id", *ACTIVITY_COLUMNS, "batch_id")

    def explore_activities(self, sel: Selection, limit: int | None = None, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The logged rows behind a selection, newest first, with their import batch's file name.

        A row counts when its dates meet the window, so a summary row cut by the window is
        listed whole (the figures take only its share). `columns` (of EXPLORE_COLUMNS, all
        when None) keeps the read to what a page shows."""
        wanted = self.EXPLORE_COLUMNS if columns is None else tuple(c for c in columns if c != "file_name")
        if not set(wanted) <= set(self.EXPLORE_COLUMNS):
            raise ValueError(f"unknown activity columns: {sorted(set(wanted) - set(self.EXPLORE_COLUMNS))}")
        picked = ", ".join(f"a.{c}" for c in wanted)
        sql = (f"SELECT {picked}, b.file_name FROM (SELECT * FROM activities WHERE date_to >= $start"
               f" AND date_from <= $end AND {self.EXPLORE_WHERE} ORDER BY date_from DESC, id DESC LIMIT $limit) a"
               " JOIN import_batches b ON b.id = a.batch_id ORDER BY a.date_from DESC, a.id DESC")
        return self._explore_frame(sql, sel, limit=limit)

    def explore_row_count(self, sel: Selection) -> int:
        """How many logged rows explore_activities would return without a limit."""
        with self.connect() as con:
            return int(_scalar(con, f"SELECT count(*) FROM activities WHERE date_to >= $start AND date_from <= $end"
                                    f" AND {self.EXPLORE_WHERE}", self._explore_params(sel)))

    def explore_weekday_hours(self, sel: Selection) -> pd.DataFrame:
        """Activities per ISO weekday (1 = Monday) and starting hour; hour is NULL for rows without a start time.

        Only single-day rows have a start time, so the day is date_from."""
        sql = (f"SELECT isodow(date_from) AS weekday, hour(start_time) AS hour, sum(activity_count) AS activities"
               f" FROM activities WHERE date_from BETWEEN $start AND $end AND {self.EXPLORE_WHERE}"
               " GROUP BY ALL ORDER BY weekday, hour")
        return self._explore_frame(sql, sel)
