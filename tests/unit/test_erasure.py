"""Deleted and replaced text leaves the database file (trygghet/store/erasure.py): off the click in the dashboard,
and for an edited meeting's old title and note too. Each test reads the file's bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import activity, add_rows
from trygghet.auth import OPERATOR
from trygghet.store import connection, erasure

pytestmark = pytest.mark.closes_after_use  # every test reads the file's bytes


def _file_holds(store, marker: str) -> bool:
    return marker.encode() in store.path.read_bytes()


@pytest.fixture
def background(monkeypatch):
    """Erasure as the dashboard does it (trygghet.web.serve)."""
    monkeypatch.setattr(erasure, "_background", True)


def test_an_undo_in_the_dashboard_takes_the_rows_out_at_once_and_erases_them_after(tmp_store, background):
    marker = "Zebrafinkar"
    batch = add_rows(tmp_store, [activity("foot_patrol", "2024-04-02", comment=marker, place=marker + "s bo")])
    assert _file_holds(tmp_store, marker)
    with connection._WRITES:  # another write of the process is under way: the erase has to wait for it
        assert tmp_store.undo_batch(batch, OPERATOR) == 1  # ... but the click does not
        assert tmp_store.activity_count() == 0 and tmp_store.batches().iloc[0].undone_at is not None
        assert _file_holds(tmp_store, marker)  # not erased yet: the erase waits in its thread
    erasure.wait_erased(tmp_store.path.resolve())
    assert not _file_holds(tmp_store, marker)


def test_two_deletions_while_an_erase_runs_are_both_erased(tmp_store, background):
    first = add_rows(tmp_store, [activity("foot_patrol", "2024-04-02", comment="Kolibrier")], file_name="a.csv")
    second = add_rows(tmp_store, [activity("foot_patrol", "2024-04-03", comment="Pelikaner")], file_name="b.csv")
    with connection._WRITES:
        tmp_store.undo_batch(first, OPERATOR)
        tmp_store.undo_batch(second, OPERATOR)  # asks for one more run after the one waiting
    erasure.wait_erased(tmp_store.path.resolve())
    assert not _file_holds(tmp_store, "Kolibrier") and not _file_holds(tmp_store, "Pelikaner")


def test_an_edited_meeting_note_and_title_leave_no_old_text(tmp_store):
    meeting = tmp_store.save_meeting(
        None, dt.date(2024, 6, 11), "Rådet Tranbärsmöte", "Anteckning om flamingor", user=OPERATOR
    )
    assert _file_holds(tmp_store, "flamingor") and _file_holds(tmp_store, "Tranbärsmöte")
    tmp_store.save_meeting(
        meeting, dt.date(2024, 6, 11), "Rådet för trygghet och hälsa", "Ny anteckning", user=OPERATOR
    )
    assert not _file_holds(tmp_store, "flamingor") and not _file_holds(tmp_store, "Tranbärsmöte")
    assert _file_holds(tmp_store, "Ny anteckning")
