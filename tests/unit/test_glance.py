"""The view at a glance and Att uppmärksamma: rows and ranks worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import figure as fig
from trygghet.figures.glance import headings, section_anchor, summary_rows
from trygghet.figures.progress import Status
from trygghet.meetings.report import attention

D = dt.date
NBSP = "\u00a0"
MEETING, PREVIOUS = D(2024, 6, 11), D(2024, 4, 9)


# --- the summary rows ------------------------------------------------------------------------------------


def test_rows_put_what_needs_attention_first_and_keep_the_agreements_order_among_equals():
    rows = summary_rows(
        [
            ("a", "Fotpatrull", "Synlighet", [fig("a1", Status.ON_TRACK, actual=6, prorated=5)]),
            ("b", "Trafik", "Trafik", [fig("b1", Status.BEHIND, actual=3, prorated=6)]),  # pace 3/6 = 0,50
            ("c", "Droghandel", "Unga", [fig("c1", Status.BEHIND, actual=2, prorated=5)]),  # pace 2/5 = 0,40
            ("d", "Utan mått", "Unga", []),  # nothing to show
            ("e", "Våld", "Våld", [fig("e1", Status.NOT_UPDATED, last_data=D(2024, 3, 1))]),
            ("f", "Träffar", "Unga", [fig("f1", Status.ON_TRACK, actual=8, prorated=5)]),
        ]
    )
    # Behind first, the furthest behind its pace first (c 0,40 before b 0,50); then not updated; then on track,
    # again by pace (a 6/5 = 1,2 before f 8/5 = 1,6). d has no figures and no row.
    assert [r.commitment_id for r in rows] == ["c", "b", "e", "a", "f"]


def test_a_commitments_row_is_told_by_its_measure_that_lags_and_counts_its_judged_measures():
    (row,) = summary_rows(
        [
            (
                "t",
                "Trafikkontroller",
                "Trafik",
                [
                    fig("controls", Status.ON_TRACK, actual=39, target=80, prorated=36),
                    fig("speed", Status.BEHIND, actual=25, target=80, prorated=36),
                    fig("rate", Status.NO_TARGET, actual=3.2, target=None, prorated=None),
                ],
            )
        ]
    )
    assert row.figure.id == "speed"
    assert row.anchor == "lofte-t" == section_anchor("t")
    assert row.headline == "25 av 80 insatser"
    # 25 / 36 = 0,694 -> 69 %
    assert row.pace == pytest.approx(25 / 36)
    assert row.pace_text == f"69{NBSP}%"
    assert (row.status.label, row.status.symbol) == ("efter", "▼")
    assert row.since_text == "+1 insats"
    assert row.scope == "sämst av 2 mått"
    assert headings([row]) == ("Mot målet hittills", "Sedan förra mötet 9 april")


def test_on_track_speaks_before_too_early_and_a_row_without_target_shows_the_figure_alone():
    (row,) = summary_rows(
        [
            (
                "o",
                "Droghandel",
                "Unga",
                [
                    fig("joint", Status.ON_TRACK, actual=6, target=12, prorated=5),
                    fig("young", Status.TOO_EARLY, actual=3, target=4, prorated=1.8),
                ],
            )
        ]
    )
    assert row.figure.id == "joint"
    (plain,) = summary_rows(
        [("p", "Kontext", "Trafik", [fig("x", Status.NO_TARGET, actual=7, target=None, prorated=None, previous=None)])]
    )
    assert (plain.headline, plain.pace, plain.pace_text, plain.since_text, plain.scope) == (
        "7 insatser",
        None,
        "",
        "",
        "",
    )


def test_an_ended_period_is_measured_against_the_full_target():
    # 15 January 2025, the year 2024 is over: 3 of 10 is 30 % of the target, not of a pro-rated one.
    (row,) = summary_rows(
        [
            (
                "f",
                "Fotpatrull",
                "Synlighet",
                [
                    fig(
                        "p",
                        Status.NOT_ACHIEVED,
                        actual=3,
                        target=10,
                        prorated=10,
                        as_of=D(2025, 1, 15),
                        previous=D(2024, 11, 12),
                        since=0,
                    )
                ],
            )
        ]
    )
    assert (row.pace_text, row.since_text) == (f"30{NBSP}%", "+0 insatser")
    assert headings([row]) == ("Mot målet", "Sedan förra mötet 12 november 2024")


# --- Att uppmärksamma ---------------------------------------------------------------------------------


def test_attention_ranks_lagging_then_changed_then_not_updated_each_with_one_reason():
    figures = [
        fig("a", Status.ON_TRACK, actual=6, prorated=5),  # was behind: changed
        fig("b", Status.NOT_UPDATED, last_data=D(2024, 3, 1)),  # not updated, unchanged
        fig("c", Status.SLIGHTLY_BEHIND, actual=9, prorated=10),  # pace 0,90
        fig("d", Status.BEHIND, actual=4, prorated=10),  # pace 0,40
        fig("e", Status.BEHIND, actual=3, prorated=5),  # pace 0,60
        fig("f", Status.ON_TRACK, actual=6, prorated=5),  # unchanged: not listed
        fig("g", Status.NO_TARGET, target=None),  # no judgement: never listed
        fig("h", Status.ACHIEVED, actual=11, prorated=5),  # was too early: no news
        fig("i", Status.BEHIND, actual=1, prorated=5),  # was no target: listed as behind
    ]
    before = {
        "a": Status.BEHIND,
        "b": Status.NOT_UPDATED,
        "f": Status.ON_TRACK,
        "h": Status.TOO_EARLY,
        "i": Status.NO_TARGET,
        "d": Status.ON_TRACK,
    }
    items = attention(figures, before)
    # Behind before slightly behind; within "efter" by pace: i 1/5 = 0,2, d 0,4, e 0,6.
    assert [i.indicator_id for i in items] == ["i", "d", "e", "c", "a", "b"]
    assert items[0].text == "I: efter (1 insats av 10 insatser, borde vara 5 insatser hittills)."
    assert items[1].previous_status == Status.ON_TRACK  # d fell behind: listed once, for the lag
    assert items[4].text == "A: i fas, vid förra mötet efter."
    assert items[5].text == "B: ej uppdaterad sedan 1 mars 2024."
    assert items[0].previous_status is None  # "inget mål" before is not a status that changed


def test_a_missed_target_says_by_how_much():
    (item,) = attention([fig("m", Status.NOT_ACHIEVED, actual=3, target=10, prorated=10, as_of=D(2025, 1, 15))], {})
    assert item.text == f"M: inte uppnått – 30{NBSP}% av målet (3 insatser av 10 insatser)."
