"""The rules of a council meeting: which follow-up points it goes through, which figures it shows, and what a
write (a meeting in the calendar, a comment, a follow-up point) must hold before it reaches the store. Who may
write is decided in trygghet.auth; the store asks it again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygghet.formatting import format_date
from trygghet.meetings.report import RESPONSIBLE, MeetingReport
from trygghet.store.database import FollowUp, Meeting


class MeetingError(ValueError):
    """A meeting write is wrong; the Swedish message names the field, and nothing was written."""


def follow_ups_of(points: list[FollowUp], meeting: Meeting) -> list[FollowUp]:
    """The follow-up points a meeting goes through: those raised at it, and those raised at an earlier meeting
    that are still open, or were done and were due at this one."""
    return [
        f
        for f in points
        if f.raised_id == meeting.id
        or (f.raised_date < meeting.meeting_date and (f.done_at is None or f.due_id == meeting.id))
    ]


def later_meetings(rows: list[Meeting], meeting: Meeting) -> list[Meeting]:
    """The meetings a point raised at `meeting` may be due by: the later ones."""
    return [r for r in rows if r.meeting_date > meeting.meeting_date]


def figures_shown(live: MeetingReport, locked_figures: str | None) -> MeetingReport:
    """A meeting shows the figures locked for its minutes once they are locked (the JSON Store.lock_meeting
    keeps), else the live ones."""
    return MeetingReport.model_validate_json(locked_figures) if locked_figures is not None else live


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting as the calendar form saves it."""

    day: dt.date
    title: str
    note: str | None


def check_meeting(day: dt.date | None, title: str, note: str) -> MeetingEntry:
    """The calendar form's entry, trimmed; a MeetingError names the empty field."""
    if day is None:
        raise MeetingError("Fältet ”Datum” är tomt: ange mötets datum.")
    if not title.strip():
        raise MeetingError("Fältet ”Rubrik” är tomt: ange en rubrik.")
    return MeetingEntry(day, title.strip(), note.strip() or None)


def check_comment(text: str) -> str:
    """A comment for the meeting, trimmed; a MeetingError when there is nothing to save."""
    if not text.strip():
        raise MeetingError("Fältet för kommentaren är tomt: skriv en kommentar.")
    return text.strip()


def check_follow_up(text: str, responsible: str, due: int | None, later: list[Meeting]) -> str:
    """The text of a new follow-up point, trimmed, after checking who is responsible (one of RESPONSIBLE) and
    the meeting it is due by (None, or one of the `later` meetings); a MeetingError names the field."""
    if not text.strip():
        raise MeetingError("Fältet ”Vad ska göras?” är tomt: skriv vad som ska göras.")
    if responsible not in RESPONSIBLE.values():
        *first, last = (f"”{r}”" for r in RESPONSIBLE.values())
        raise MeetingError(f"Fältet ”Ansvarig” ska vara {', '.join(first)} eller {last}.")
    if due is not None and due not in {r.id for r in later}:
        days = ", ".join(format_date(r.meeting_date) for r in later) or "inget senare möte finns"
        raise MeetingError(f"Fältet ”Klar till mötet” ska vara ett senare möte ({days}) eller inget datum.")
    return text.strip()
