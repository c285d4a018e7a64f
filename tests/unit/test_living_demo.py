"""Demo data that is alive on any day (issue 14 item 6): whatever day a newcomer starts the dashboard, a
promise is in force, clearly marked as an invented example, and `demo --remove` takes all of it away."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TESTER
from trygghet.demo import example_span, load_living_demo
from trygghet.figures.compute import agreement_standing
from trygghet.figures.targets import stored_targets

D = dt.date


@pytest.mark.parametrize(
    "today,span",
    [
        (D(2026, 11, 30), (D(2025, 1, 1), D(2027, 12, 31))),
        (D(2025, 1, 15), (D(2025, 1, 1), D(2026, 12, 31))),
        (D(2031, 6, 1), (D(2030, 1, 1), D(2032, 12, 31))),
    ],
)
def test_the_example_agreement_covers_today_and_the_next_meetings(today, span):
    assert example_span(today) == span


def test_on_any_later_day_an_example_promise_is_in_force_with_data_up_to_yesterday(tmp_store):
    today = D(2026, 11, 30)
    load_living_demo(tmp_store, today)
    agreements = tmp_store.agreements()
    standing = agreement_standing(agreements, today)
    shown = agreements.iloc[standing.index]
    assert standing.in_force and shown.id == "exempel-medborgarlofte-2025"
    assert shown.title == "Exempel: Medborgarlöfte 2025–2027 (påhittat)" and shown.is_example
    assert len(tmp_store.commitments(shown.id)) == len(tmp_store.commitments("medborgarlofte-2023")) == 8
    with tmp_store.connect() as con:
        first, last = con.execute("SELECT min(date_from), max(date_to) FROM activities").fetchone()
    assert first.year == 2019 and last == D(2026, 11, 29)
    meetings = [m.meeting_date for m in tmp_store.meeting_rows()]
    assert any(m < today for m in meetings) and any(m > today for m in meetings)
    # The example's targets: the basis's own, and where the promise says "öka" relative to 2024.
    own = [t for t in stored_targets(tmp_store) if t.agreement == shown.id]
    assert own and all(t.example and t.valid_from == D(2025, 1, 1) for t in own)
    patrols = next(t for t in own if t.indicator == "fotpatrull_antal_centrala")
    assert (patrols.baseline_year, patrols.increase_pct) == (2024, 10)
    # Every relative example target compares with 2024, the year before the example (never with 2023).
    assert {t.baseline_year for t in own if t.baseline_year is not None} == {2024}


def test_while_a_real_agreement_is_in_force_no_example_is_added(tmp_store):
    load_living_demo(tmp_store, D(2024, 6, 11))
    assert list(tmp_store.agreements().id) == ["samverkan-2019", "medborgarlofte-2023"]


def test_demo_remove_takes_the_example_agreement_away_too(tmp_store):
    load_living_demo(tmp_store, D(2026, 11, 30))
    tmp_store.remove_demo(TESTER)
    assert list(tmp_store.agreements(drafts=True).id) == ["samverkan-2019", "medborgarlofte-2023"]
    assert tmp_store.activity_count() == 0 and tmp_store.meeting_rows() == []
    assert not [t for t in stored_targets(tmp_store) if t.agreement.startswith("exempel")]
    with tmp_store.connect() as con:
        assert con.execute("SELECT count(*) FROM commitments WHERE agreement_id LIKE 'exempel%'").fetchone() == (0,)
