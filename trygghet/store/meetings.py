"""Meetings of the council: the calendar, comments per commitment, follow-up points, the figures locked at a
meeting, and the written follow-up of a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import duckdb

from trygghet.auth import User, may_edit_targets, may_lock_meeting, may_write_meeting
from trygghet.config import today as config_today
from trygghet.privacy import check_text
from trygghet.store.connection import Connections, StoreError, _scalar


class LockedFigures(NamedTuple):
    """The figures shown at a meeting as locked (MeetingReport JSON), with when and by whom."""

    figures: str
    locked_at: dt.datetime
    locked_by: str


@dataclass(frozen=True)
class Meeting:
    """A meeting of the council in the calendar."""

    id: int
    meeting_date: dt.date
    title: str
    note: str | None
    is_demo: bool


@dataclass(frozen=True)
class MeetingAuthors:
    """Who added a meeting and when, and who last changed it and when (None where not known)."""

    created_at: dt.datetime | None = None
    created_by: str | None = None
    changed_at: dt.datetime | None = None
    changed_by: str | None = None


@dataclass(frozen=True)
class Comment:
    """A comment on a commitment, written for a meeting."""

    id: int
    meeting_id: int
    meeting_date: dt.date
    commitment_id: str
    text: str
    written_by: str
    written_at: dt.datetime


@dataclass(frozen=True)
class FollowUp:
    """A follow-up point with the meeting it was raised at and the one it is due by (if any)."""

    id: int
    text: str
    responsible: str
    written_by: str
    written_at: dt.datetime
    done_at: dt.datetime | None
    done_by: str | None
    raised_id: int
    raised_date: dt.date
    due_id: int | None
    due_date: dt.date | None


@dataclass(frozen=True)
class WrittenFollowUp:
    """That a year's written follow-up of an agreement was produced, with its diarienummer."""

    produced_on: dt.date
    diarienummer: str
    entered_by: str
    entered_at: dt.datetime


class Meetings(Connections):
    """meetings, meeting_comments, follow_ups, meeting_snapshots and written_follow_ups."""

    def meeting_dates(self) -> list[dt.date]:
        """Every meeting's date, in order (the full rows: `meeting_rows`)."""
        with self.connect() as con:
            return [day for (day,) in con.execute("SELECT meeting_date FROM meetings ORDER BY meeting_date").fetchall()]

    @staticmethod
    def add_meetings(con: duckdb.DuckDBPyConnection, meetings: list[tuple[dt.date, str]], is_demo: bool) -> None:
        con.executemany(
            "INSERT INTO meetings (meeting_date, title, is_demo) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [[day, title, is_demo] for day, title in meetings],
        )

    def meeting_rows(self) -> list[Meeting]:
        return self._records(
            Meeting, "SELECT id, meeting_date, title, note, is_demo FROM meetings ORDER BY meeting_date"
        )

    def save_meeting(self, meeting_id: int | None, day: dt.date, title: str, note: str | None, *, user: User) -> int:
        """Add a meeting (meeting_id None) or change one; the date is unique.

        `user` is who did it (the signed-in user, or auth.OPERATOR): their name is recorded with the time as
        created_by/created_at, or changed_by/changed_at when a saved change differs from what was there."""
        may_write_meeting(user).check()
        by = user.name
        check_text("Rubrik", title)
        check_text("Anteckning", note)
        with self.transaction() as con:
            clash = con.execute(
                "SELECT id FROM meetings WHERE meeting_date = ? AND id IS DISTINCT FROM ?", [day, meeting_id]
            ).fetchone()
            if clash:
                raise StoreError(f"Det finns redan ett möte {day.isoformat()}.")
            if meeting_id is None:
                return int(
                    _scalar(
                        con,
                        "INSERT INTO meetings (meeting_date, title, note, created_at, created_by)"
                        " VALUES (?, ?, ?, current_timestamp, ?) RETURNING id",
                        [day, title, note, by],
                    )
                )
            changed = int(
                _scalar(
                    con,
                    "UPDATE meetings SET meeting_date = $day, title = $title, note = $note, is_demo = FALSE,"
                    " changed_at = current_timestamp, changed_by = $by WHERE id = $id"
                    " AND (meeting_date, title, note, is_demo) IS DISTINCT FROM ($day, $title, $note, FALSE)",
                    {"day": day, "title": title, "note": note, "by": by, "id": meeting_id},
                )
            )
        if changed:
            self.erase_deleted()  # the old title and note leave the file
        return meeting_id

    def meeting_authors(self) -> dict[int, MeetingAuthors]:
        """Per meeting id: who added it and when, and who last changed it and when."""
        with self.connect() as con:
            return {
                row[0]: MeetingAuthors(*row[1:])
                for row in con.execute(
                    "SELECT id, created_at, created_by, changed_at, changed_by FROM meetings"
                ).fetchall()
            }

    def add_comment(self, meeting_id: int, commitment_id: str, text: str, user: User) -> None:
        may_write_meeting(user).check()
        written_by = user.name
        check_text("Kommentar", text)
        with self.transaction() as con:
            con.execute(
                "INSERT INTO meeting_comments (meeting_id, commitment_id, text, written_by) VALUES (?, ?, ?, ?)",
                [meeting_id, commitment_id, text, written_by],
            )

    def comments(self, meeting_ids: list[int]) -> list[Comment]:
        """Comments written for the given meetings, oldest first."""
        return self._records(
            Comment,
            "SELECT c.id, c.meeting_id, m.meeting_date, c.commitment_id, c.text, c.written_by, c.written_at"
            " FROM meeting_comments c JOIN meetings m ON m.id = c.meeting_id"
            " WHERE list_contains(?, c.meeting_id) ORDER BY c.written_at, c.id",
            [meeting_ids],
        )

    def add_follow_up(self, raised_at: int, due_meeting: int | None, text: str, responsible: str, user: User) -> None:
        may_write_meeting(user).check()
        written_by = user.name
        check_text("Vad ska göras?", text)
        with self.transaction() as con:
            con.execute(
                "INSERT INTO follow_ups (raised_at, due_meeting, text, responsible, written_by) VALUES (?, ?, ?, ?, ?)",
                [raised_at, due_meeting, text, responsible, written_by],
            )

    def set_follow_up_done(self, follow_up_id: int, done: bool, user: User) -> None:
        may_write_meeting(user).check()
        by = user.name
        with self.transaction() as con:
            con.execute(
                "UPDATE follow_ups SET done_at = CASE WHEN ? THEN current_timestamp END,"
                " done_by = CASE WHEN ? THEN ? END WHERE id = ?",
                [done, done, by, follow_up_id],
            )

    def follow_ups(self) -> list[FollowUp]:
        """Every follow-up point with the dates of the meetings it was raised at and is due by."""
        return self._records(
            FollowUp,
            "SELECT f.id, f.text, f.responsible, f.written_by, f.written_at, f.done_at, f.done_by,"
            " r.id AS raised_id, r.meeting_date AS raised_date, d.id AS due_id, d.meeting_date AS due_date"
            " FROM follow_ups f JOIN meetings r ON r.id = f.raised_at LEFT JOIN meetings d ON d.id = f.due_meeting"
            " ORDER BY r.meeting_date, f.id",
        )

    def lock_meeting(self, meeting_id: int, figures_json: str, user: User, today: dt.date | None = None) -> None:
        """Store the figures shown at a meeting; a meeting is locked once, from its day (`today`: config.today()
        when None)."""
        locked_by = user.name
        with self.transaction() as con:
            day = _scalar(con, "SELECT meeting_date FROM meetings WHERE id = ?", [meeting_id])
            if day is None:
                raise StoreError("Mötet finns inte längre.")
            may_lock_meeting(user, day, today or config_today()).check()
            if con.execute("SELECT 1 FROM meeting_snapshots WHERE meeting_id = ?", [meeting_id]).fetchone():
                raise StoreError("Siffrorna för mötet är redan låsta.")
            con.execute(
                "INSERT INTO meeting_snapshots (meeting_id, locked_by, figures) VALUES (?, ?, ?)",
                [meeting_id, locked_by, figures_json],
            )

    def snapshot(self, meeting_id: int) -> LockedFigures | None:
        """The figures of a locked meeting as locked; None when it is not locked."""
        with self.connect() as con:
            found = con.execute(
                "SELECT figures, locked_at, locked_by FROM meeting_snapshots WHERE meeting_id = ?", [meeting_id]
            ).fetchone()
        return None if found is None else LockedFigures(*found)

    def locked_meeting_ids(self) -> set[int]:
        """The meetings whose figures were locked: presented to the council as the minutes keep them."""
        with self.connect() as con:
            return {row[0] for row in con.execute("SELECT meeting_id FROM meeting_snapshots").fetchall()}

    def written_follow_up(self, agreement_id: str, year: int) -> WrittenFollowUp | None:
        rows = self._records(
            WrittenFollowUp,
            "SELECT produced_on, diarienummer, entered_by, entered_at"
            " FROM written_follow_ups WHERE agreement_id = ? AND year = ?",
            [agreement_id, year],
        )
        return rows[0] if rows else None

    def save_written_follow_up(
        self, agreement_id: str, year: int, produced_on: dt.date, diarienummer: str, user: User
    ) -> None:
        """Record (or correct) that the year's written follow-up was produced, with its diarienummer."""
        may_edit_targets(user).check()
        by = user.name
        check_text("Diarienummer", diarienummer)
        with self.transaction() as con:
            con.execute(
                "INSERT OR REPLACE INTO written_follow_ups (agreement_id, year, produced_on, diarienummer,"
                " entered_by, entered_at) VALUES (?, ?, ?, ?, ?, current_timestamp)",
                [agreement_id, year, produced_on, diarienummer, by],
            )
