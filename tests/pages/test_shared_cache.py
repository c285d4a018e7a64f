"""Figures shared by every session (trygghet.web.ui.per_data_version): computed once per data version, and
computed afresh the moment the data changes: an import, an undo and a target edit show at the next run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import activity, add_rows, file_held_by_another_process, own_token
from trygghet.auth import OPERATOR
from trygghet.figures.targets import parse_target, set_target
from trygghet.store.database import Store
from trygghet.web import ui

CENTRAL_PATROLS = "Fotpatruller i centrala Timrå"
NEWER_COMING = "Siffrorna räknas om efter den senaste ändringen av data"
ANOTHER_PROGRAM = "Ett annat program använder databasen just nu"


def _notes(at) -> list[str]:
    return [c.value for c in at.caption if NEWER_COMING in c.value or ANOTHER_PROGRAM in c.value]


def _figure(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _target_caption(at, label: str) -> str:
    """The caption under the card's status: 'Mål 130 patruller (130 per år) …'."""
    card = next(c for c in at.main.children.values() for m in _metrics(c) if m.label == label)
    return next(c.value for c in card.caption if c.value.startswith("Mål "))


def _metrics(block):
    try:
        return list(block.metric)
    except (AttributeError, KeyError):
        return []


def test_a_second_session_reads_the_figures_the_first_computed(council, monkeypatch):
    own_token(council)
    calls = []
    commitments = Store.commitments
    monkeypatch.setattr(
        Store, "commitments", lambda self, agreement_id: calls.append(agreement_id) or commitments(self, agreement_id)
    )
    first = open_page("pages/oversikt.py")
    computed = len(calls)
    assert computed >= 1
    second = open_page("pages/oversikt.py")  # another visitor, same data: nothing is read again
    assert len(calls) == computed
    assert _figure(first, CENTRAL_PATROLS) == _figure(second, CENTRAL_PATROLS) == "5 patruller"


def test_an_import_an_undo_and_a_target_edit_show_at_the_next_run(council):
    # The council's log: 5 foot patrols in central Timrå so far in 2024 (tests/factories.py, PATROLS).
    at = open_page("pages/oversikt.py")
    assert _figure(at, CENTRAL_PATROLS) == "5 patruller"
    assert _target_caption(at, CENTRAL_PATROLS).startswith("Mål 130 patruller")

    # An import of two more central patrols: 5 + 2 = 7.
    batch = add_rows(
        council,
        [
            activity("foot_patrol", "2024-06-01", duration_min=60),
            activity("foot_patrol", "2024-06-02", area_code="vivsta", duration_min=60),
        ],
        file_name="juni.csv",
    )
    at.run()
    assert _figure(at, CENTRAL_PATROLS) == "7 patruller"

    # Undone: back to 5.
    council.undo_batch(batch, OPERATOR)
    at.run()
    assert _figure(at, CENTRAL_PATROLS) == "5 patruller"

    # The council raises the year's target to 200 from today (11 June) on: the card says so at once. The year's
    # target joins both: 130 × 162/366 (1 January–10 June) + 200 × 204/366 (11 June–31 December) = 169,0.
    set_target(
        council,
        parse_target(
            {
                "agreement": "medborgarlofte-2023",
                "indicator": "fotpatrull_antal_centrala",
                "grain": "year",
                "direction": "at_least",
                "value": 200,
                "valid_from": dt.date(2024, 6, 11),
                "origin": "Beslutat av rådet",
            }
        ),
        OPERATOR,
    )
    at.run()
    assert _target_caption(at, CENTRAL_PATROLS).startswith("Mål 169 patruller (minst 200 per år)")


def test_the_data_version_is_read_once_per_run(council, monkeypatch):
    """The overview asks for its cached figures about ten times a run; the data version (a use of the file) is
    read at the first and kept for the run."""
    open_page("pages/oversikt.py")
    reads = []
    data_stamp = Store.data_stamp  # the version and its token, read together
    monkeypatch.setattr(Store, "data_stamp", lambda self, **kw: reads.append(1) or data_stamp(self, **kw))
    at = open_page("pages/oversikt.py")
    reads.clear()
    at.run()
    assert len(reads) == 1


def _writes_within_a_run() -> None:
    """A script that reads the key, writes, and reads it again (run by AppTest as a page would be)."""
    import datetime as dt

    import streamlit as st

    from trygghet.web import ui

    before = ui.data_key()
    with ui.store().transaction() as con:
        con.execute("INSERT INTO sign_in_failures VALUES (?, ?)", ["test", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)])
    st.write(f"{before.version} {ui.data_key().version} {st.session_state['trygghet:own-write']}")


def test_a_write_within_a_run_gives_the_next_call_a_fresh_key_and_marks_the_visitors_own_version(council):
    at = AppTest.from_function(_writes_within_a_run, default_timeout=60)
    at.run()
    before = council.data_version() - 1  # the write bumped it once
    assert at.markdown[0].value == f"{before} {before + 1} {before + 1}"


def _held_computation(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Figures computed afresh stop inside the computation (the agreement's commitments are read) until released:
    the first event is set when a computation is under way, the second lets it go on."""
    computing, release = threading.Event(), threading.Event()
    commitments = Store.commitments

    def slow(self, agreement_id):
        computing.set()
        assert release.wait(60)
        return commitments(self, agreement_id)

    monkeypatch.setattr(Store, "commitments", slow)
    return computing, release


def test_while_one_session_computes_new_figures_the_others_get_the_previous_ones_at_once(council, monkeypatch):
    """After an import, the first session to open the overview computes its figures; a second session arriving
    meanwhile is shown the figures from before the import at once, and says so; once computed, everyone gets the
    new ones. The log has 5 central patrols; the import adds 1."""
    first, second = open_page("pages/oversikt.py"), open_page("pages/oversikt.py")
    add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=60)], file_name="juni.csv")
    computing, release = _held_computation(monkeypatch)
    computer = threading.Thread(target=first.run)
    computer.start()
    try:
        assert computing.wait(60)
        second.run()  # does not wait for the first: would hang here until release otherwise
        assert _figure(second, CENTRAL_PATROLS) == "5 patruller"
        assert [NEWER_COMING in n for n in _notes(second)] == [True]
    finally:
        release.set()
        computer.join(60)
    assert _figure(first, CENTRAL_PATROLS) == "6 patruller" and _notes(first) == []
    second.run()
    assert _figure(second, CENTRAL_PATROLS) == "6 patruller" and _notes(second) == []


def test_a_visitor_whose_own_write_made_the_new_version_waits_for_its_figures(council, monkeypatch):
    """As above, but the second session made the import itself (what the hook of a write in its run records):
    it is never shown figures older than its own import, so it waits for the first session's computation."""
    first, second = open_page("pages/oversikt.py"), open_page("pages/oversikt.py")
    add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=60)], file_name="juni.csv")
    second.session_state["trygghet:own-write"] = council.data_version()
    computing, release = _held_computation(monkeypatch)
    computer = threading.Thread(target=first.run)
    computer.start()
    assert computing.wait(60)
    waiter = threading.Thread(target=second.run)
    waiter.start()
    waiter.join(1.0)
    waited = waiter.is_alive()
    release.set()
    computer.join(60)
    waiter.join(60)
    assert waited
    assert _figure(second, CENTRAL_PATROLS) == "6 patruller" and _notes(second) == []


@pytest.mark.closes_after_use  # another process opens the file
def test_while_another_process_holds_the_file_pages_show_the_figures_read_last(council, monkeypatch):
    """A command line import holds the file for its whole run, and writes it: a page whose figures are cached shows
    them at once, saying another program uses the database, instead of waiting for the file (up to the lock
    timeout of 20 s at each of the run's many looks for indicators defined in the app, as the file has changed)."""
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "20")
    at = open_page("pages/oversikt.py")
    patrols = open_page("pages/fotpatrull.py", query={"period": "egen", "fran": "2024-03-01", "till": "2024-06-11"})
    shown = [m.value for m in patrols.metric]
    assert shown  # the patrols of the period: counts, hours, contacts
    with file_held_by_another_process(council.path):
        os.utime(council.path)  # the holder writes to the file
        started = time.monotonic()
        at.run()
        assert not at.error and not at.exception
        assert _figure(at, CENTRAL_PATROLS) == "5 patruller"
        assert [ANOTHER_PROGRAM in n for n in _notes(at)] == [True]
        patrols.run()  # an exploration page reads on one connection a run, taken only when the file is free
        assert not patrols.error and not patrols.exception
        assert [m.value for m in patrols.metric] == shown and len(_notes(patrols)) == 1
        assert time.monotonic() - started < 15  # waiting for the file even once would take 20 s
    time.sleep(0.3)  # a use that will not wait tries a held file again at most every 0,25 s (connection._RETRY_HELD)
    at.run()
    assert _figure(at, CENTRAL_PATROLS) == "5 patruller" and _notes(at) == []


def test_a_computation_never_takes_an_earlier_versions_result_of_another_function(council):
    """The exploration's page data reads its reference lists through another cached function. After a write,
    while a session computes the lists afresh, the others get the previous lists at once, but a computation of
    the page data for the new version waits for the new lists: it never mixes the two versions."""
    computed, entered, release = [], threading.Event(), threading.Event()

    @ui.per_data_version()
    def lists() -> int:
        computed.append(1)
        if len(computed) == 2:  # the computation after the write, held until released
            entered.set()
            assert release.wait(60)
        return council.data_version()

    @ui.per_data_version()
    def page() -> tuple[int, int]:
        return council.data_version(), lists()

    before = council.data_version()
    assert page() == (before, before)
    add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=60)], file_name="juni.csv")
    other = threading.Thread(target=lists)  # another session computes the new lists
    other.start()
    assert entered.wait(60)
    assert lists() == before  # a session asking meanwhile: the previous lists, at once
    shown: list[tuple[int, int]] = []
    computer = threading.Thread(target=lambda: shown.append(page()))
    computer.start()
    computer.join(1.0)
    waited = computer.is_alive()
    release.set()
    computer.join(60)
    other.join(60)
    assert waited and shown == [(before + 1, before + 1)]


def test_copies_of_one_file_share_figures_until_one_is_written(council, tmp_path, monkeypatch):
    """Copies of a file with the same last write (the token of Store.data_stamp) hold the same data, so figures
    computed for one serve all (tests copy one prepared file). A write gives a copy a token of its own: its figures
    never reach the others, nor theirs it, though the versions of two copies written apart move to the same number.
    The council's log has 5 central patrols."""
    with own_token(council).connect() as con:
        con.execute("CHECKPOINT")  # the file holds every write: copies of it are the store
    copies = {name: tmp_path / f"{name}.duckdb" for name in ("a", "b", "c")}
    for path in copies.values():
        shutil.copyfile(council.path, path)
    calls = []
    commitments = Store.commitments
    monkeypatch.setattr(
        Store, "commitments", lambda self, agreement_id: calls.append(agreement_id) or commitments(self, agreement_id)
    )

    def central_patrols(name: str) -> str:
        monkeypatch.setenv("TRYGGHET_DB", str(copies[name]))
        return _figure(open_page("pages/oversikt.py"), CENTRAL_PATROLS)

    assert central_patrols("a") == "5 patruller"
    computed = len(calls)
    assert computed >= 1
    assert central_patrols("b") == "5 patruller" and len(calls) == computed  # b's figures are a's: not computed

    add_rows(Store(copies["a"]), [activity("foot_patrol", f"2024-06-0{day}", duration_min=60) for day in (1, 2)])
    add_rows(Store(copies["b"]), [activity("foot_patrol", "2024-06-01", duration_min=60)])
    assert Store(copies["a"]).data_version() == Store(copies["b"]).data_version()  # one number, two different logs
    assert central_patrols("a") == "7 patruller"
    assert central_patrols("b") == "6 patruller"
    assert central_patrols("c") == "5 patruller"  # the copy nobody wrote still shows its own log
