"""Mål: the council adopts the suggested targets of a new agreement with one decision; without a decision nothing
is set. The log is small and made by hand; the suggestions are worked out from it in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.app import open_page
from tests.factories import activity, add_rows
from trygghet.auth import Role, User
from trygghet.figures.targets import stored_targets
from trygghet.store import agreements as agreement_store

ADMIN = User("admin", Role.ADMIN)


# 2024, the year before the new agreement: ten patrols of 1,5 hours in central Timrå; two traffic controls, one of
# them at a risk place, with 40 and 30 breath tests.
LOG_2024 = [activity("foot_patrol", f"2024-{m:02d}-10", duration_min=90) for m in range(1, 11)] + [
    activity("traffic_control", "2024-05-02", breath_tests=40),
    activity("traffic_control", "2024-09-12", breath_tests=30, risk_place=False),
]
DECISION = "Beslutat av rådet 2024-12-10"


def _page(agreement_id: str):
    at = open_page("pages/mal.py", ADMIN)
    next(s for s in at.selectbox if s.label == "Överenskommelse").set_value(agreement_id)
    at.run()
    return at


def _adopt(at, decision: str):
    next(t for t in at.text_input if t.label == "Beslut om de föreslagna målen").input(decision)
    next(b for b in at.button if b.label.startswith("Sätt de föreslagna målen")).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow
def test_one_decision_sets_every_suggested_target_and_leaves_the_rest_to_the_form(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-01")
    add_rows(tmp_store, LOG_2024)
    draft = agreement_store.copy_agreement(tmp_store, "medborgarlofte-2023", ADMIN)
    agreement_store.publish(tmp_store, draft.id, ADMIN)
    at = _page(draft.id)
    # Twelve measures with targets lack one; five have a 2024 figure and so a suggestion.
    assert "Sätt de föreslagna målen (5 mått)" in [b.label for b in at.button]

    _adopt(at, DECISION)
    assert at.success[0].value == "Sparat: de föreslagna målen för 5 mått från 1 januari 2025."
    targets = {t.indicator: t for t in stored_targets(tmp_store) if t.agreement == draft.id}
    described = {i: (t.describe(), t.grain, t.valid_from, t.origin) for i, t in targets.items()}
    start = dt.date(2025, 1, 1)
    assert described == {
        # The promise says "öka": +10 % on 2024 (10 patrols, 15 hours), worked out as the year goes.
        "fotpatrull_antal_centrala": ("minst samma som 2024 + 10,0 % per år", "year", start, DECISION),
        "fotpatrull_timmar_centrala": ("minst samma som 2024 + 10,0 % per år", "year", start, DECISION),
        # No "öka" or "minska" in the traffic promise: the 2024 figure at identified risk places, as the promise
        # is worded. One control at a risk place (a combined one, so also a speed check), with 40 breath tests.
        "trafikkontroller_riskplatser": ("minst 1 per år", "year", start, DECISION),
        "trafik_hastighetskontroller": ("minst 1 per år", "year", start, DECISION),
        "trafik_utandningsprov": ("minst 40 per år", "year", start, DECISION),
    }
    # The seven without a 2024 figure remain, for the form; there is nothing more to adopt at once.
    lacking = next(d for d in at.dataframe if "Förslag" in d.value.columns).value
    assert len(lacking) == 7 and set(lacking["Förslag"]) == {"inget förslag (inga uppgifter året före)"}
    assert not [b for b in at.button if b.label.startswith("Sätt de föreslagna målen")]
    history = at.dataframe[-1].value
    assert len(history) == 5 and set(history["Vem"]) == {"admin"}


def test_without_a_decision_no_suggested_target_is_set(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-01")
    add_rows(tmp_store, LOG_2024)
    draft = agreement_store.copy_agreement(tmp_store, "medborgarlofte-2023", ADMIN)
    agreement_store.publish(tmp_store, draft.id, ADMIN)
    before = tmp_store.target_rows()
    at = _adopt(_page(draft.id), "  ")
    assert [e.value for e in at.error] == [
        "Målen sparades inte. Fältet ”Beslut”: ange beslutet som målen bygger på "
        "(minst 3 tecken), till exempel ”Beslutat av rådet 2025-02-11”."
    ]
    assert tmp_store.target_rows() == before
    assert not at.success
