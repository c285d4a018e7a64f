"""The rules of a council meeting (trygghet.meetings.rules), worked out by hand on three meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TESTER
from trygghet.auth import NotAllowed, Role, User, may_lock_meeting
from trygghet.meetings.report import MeetingReport
from trygghet.meetings.rules import (
    MeetingEntry,
    MeetingError,
    check_comment,
    check_follow_up,
    check_meeting,
    figures_shown,
    follow_ups_of,
    later_meetings,
)
from trygghet.store.database import FollowUp, Meeting

D = dt.date
FEB, APR, JUN = (
    Meeting(1, D(2024, 2, 13), "Rådet", None, False),
    Meeting(2, D(2024, 4, 9), "Rådet", None, False),
    Meeting(3, D(2024, 6, 11), "Rådet", None, False),
)
DONE = dt.datetime(2024, 4, 1, 10, 0)


def _point(n: int, raised: Meeting, due: Meeting | None = None, done: bool = False) -> FollowUp:
    return FollowUp(
        id=n,
        text=f"Punkt {n}",
        responsible="Polisen",
        written_by="anna",
        written_at=DONE,
        done_at=DONE if done else None,
        done_by="anna" if done else None,
        raised_id=raised.id,
        raised_date=raised.meeting_date,
        due_id=due.id if due else None,
        due_date=due.meeting_date if due else None,
    )


def test_a_meeting_goes_through_its_own_points_the_open_earlier_ones_and_those_done_for_it():
    points = [
        _point(1, FEB),  # open since February: at April and at June
        _point(2, FEB, due=APR, done=True),  # done by April, which it was due at: at April only
        _point(3, FEB, due=JUN, done=True),  # done early, due at June: at June only (and February)
        _point(4, APR),  # raised in April: at April and June, not February
        _point(5, JUN, done=True),  # raised and done in June: at June only
    ]
    assert [p.id for p in follow_ups_of(points, FEB)] == [1, 2, 3]
    assert [p.id for p in follow_ups_of(points, APR)] == [1, 2, 4]
    assert [p.id for p in follow_ups_of(points, JUN)] == [1, 3, 4, 5]


def test_a_point_is_due_by_a_later_meeting_only():
    rows = [FEB, APR, JUN]
    assert later_meetings(rows, FEB) == [APR, JUN] and later_meetings(rows, JUN) == []
    assert check_follow_up("  Fler kvällspatruller  ", "Polisen", 3, [APR, JUN]) == "Fler kvällspatruller"
    assert check_follow_up("Fler kvällspatruller", "Timrå kommun", None, []) == "Fler kvällspatruller"
    with pytest.raises(
        MeetingError,
        match=r"^Fältet ”Klar till mötet” ska vara ett senare möte \(9 april 2024, "
        r"11 juni 2024\) eller inget datum.$",
    ):
        check_follow_up("Fler kvällspatruller", "Polisen", 1, [APR, JUN])  # February is not after April


@pytest.mark.parametrize(
    "text,responsible,message",
    [
        ("   ", "Polisen", "Fältet ”Vad ska göras?” är tomt: skriv vad som ska göras."),
        (
            "Fler kvällspatruller",
            "Räddningstjänsten",
            "Fältet ”Ansvarig” ska vara ”Polisen”, ”Timrå kommun” eller ”Polisen och Timrå kommun”.",
        ),
    ],
)
def test_a_follow_up_point_without_text_or_with_an_unknown_party_is_refused(text, responsible, message):
    with pytest.raises(MeetingError) as refused:
        check_follow_up(text, responsible, None, [])
    assert str(refused.value) == message


def test_a_meeting_entry_and_a_comment_are_trimmed_and_an_empty_field_is_named():
    assert check_meeting(D(2024, 6, 11), "  Rådet ", "  ") == MeetingEntry(D(2024, 6, 11), "Rådet", None)
    assert check_meeting(D(2024, 6, 11), "Rådet", " Sal 2 ").note == "Sal 2"
    with pytest.raises(MeetingError, match="^Fältet ”Rubrik” är tomt"):
        check_meeting(D(2024, 6, 11), " ", "")
    with pytest.raises(MeetingError, match="^Fältet ”Datum” är tomt"):
        check_meeting(None, "Rådet", "")
    assert check_comment("  Patrullen saknade bil \n") == "Patrullen saknade bil"
    with pytest.raises(MeetingError, match="kommentaren är tomt"):
        check_comment("\n ")


def test_figures_are_locked_from_the_meeting_day_and_then_the_locked_ones_are_shown():
    before = may_lock_meeting(TESTER, D(2024, 6, 11), D(2024, 6, 10))
    assert not before and before.reason == "Siffrorna kan låsas på mötesdagen eller senare."
    assert may_lock_meeting(TESTER, D(2024, 6, 11), D(2024, 6, 11))
    assert may_lock_meeting(TESTER, D(2024, 6, 11), D(2025, 1, 1))
    live = MeetingReport(
        meeting_date=D(2024, 6, 11),
        title="Rådet",
        previous_meeting=None,
        as_of=D(2024, 6, 11),
        agreement_title="Medborgarlöfte",
        period_label="2024",
        commitments=(),
        attention=(),
    )
    locked = live.model_copy(update={"title": "Rådet (låst)"})
    assert figures_shown(live, None) is live
    assert figures_shown(live, locked.model_dump_json()) == locked


def test_the_store_refuses_meeting_writes_the_role_does_not_allow(tmp_store):
    """A request that bypasses the page (a forged message) meets the same decision in the store."""
    viewer, editor = User("läsare", Role.VIEWER), User("anna", Role.EDITOR)
    meeting = tmp_store.save_meeting(None, D(2024, 6, 11), "Rådet", None, user=editor)
    writes = [
        lambda: tmp_store.save_meeting(None, D(2024, 9, 3), "Rådet", None, user=viewer),
        lambda: tmp_store.add_comment(meeting, "ml23-fotpatrull", "Kommentar", viewer),
        lambda: tmp_store.add_follow_up(meeting, None, "Fler patruller", "Polisen", viewer),
        lambda: tmp_store.lock_meeting(meeting, "{}", editor),
    ]
    for write in writes:
        with pytest.raises(NotAllowed, match="^Bara en "):
            write()
    tmp_store.add_follow_up(meeting, None, "Fler patruller", "Polisen", editor)
    with pytest.raises(NotAllowed):
        tmp_store.set_follow_up_done(tmp_store.follow_ups()[0].id, True, viewer)
    assert len(tmp_store.meeting_rows()) == 1 and tmp_store.comments([meeting]) == []
    assert tmp_store.follow_ups()[0].done_at is None and tmp_store.snapshot(meeting) is None
    with pytest.raises(NotAllowed, match="^Siffrorna kan låsas på mötesdagen eller senare"):
        tmp_store.lock_meeting(meeting, "{}", TESTER, today=D(2024, 6, 10))  # even an admin, the day before
    assert tmp_store.snapshot(meeting) is None
    tmp_store.lock_meeting(meeting, "{}", TESTER, today=D(2024, 6, 11))  # an admin locks on the day
    assert tmp_store.snapshot(meeting) is not None
