"""Figures shared by every session (trygghet.web.ui.per_data_version): computed once per data version, and
computed afresh the moment the data changes: an import, an undo and a target edit show at the next run."""

from __future__ import annotations

import datetime as dt

from tests.app import open_page
from tests.factories import activity, add_rows
from trygghet.auth import OPERATOR
from trygghet.figures.targets import parse_target, set_target
from trygghet.store.database import Store

CENTRAL_PATROLS = "Fotpatruller i centrala Timrå"


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
