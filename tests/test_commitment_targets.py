"""Every commitment of a seeded agreement is measured by an indicator with a target, and every such
indicator ships with an example target for that agreement ("Alla insatser ska ha mätbara mål")."""

from __future__ import annotations

import tomllib

import pytest

from indicators import for_commitment
from trygghet.config import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
COMMITMENTS = tomllib.loads((DATA / "commitments.toml").read_text(encoding="utf-8"))["commitment"]
TARGETS = tomllib.loads((DATA / "targets.toml").read_text(encoding="utf-8"))["target"]


def _target_bearing(commitment_id: str) -> list[str]:
    return [i.id for i in for_commitment(commitment_id) if i.has_target]


@pytest.mark.parametrize("commitment", COMMITMENTS, ids=lambda c: c["id"])
def test_every_commitment_has_a_target_bearing_indicator_with_an_example_target(commitment):
    bearing = _target_bearing(commitment["id"])
    assert bearing, f"{commitment['id']} has no indicator with a target"
    targeted = {t["indicator"] for t in TARGETS if t["agreement"] == commitment["agreement"]}
    assert not set(bearing) - targeted, f"no example target for {commitment['agreement']}"


def test_the_seeded_agreements_are_the_ones_checked():
    agreements = tomllib.loads((DATA / "agreements.toml").read_text(encoding="utf-8"))["agreement"]
    seeded = {a["id"] for a in agreements}
    assert {c["agreement"] for c in COMMITMENTS} == seeded == {"samverkan-2019", "medborgarlofte-2023"}


def test_a_promise_to_increase_has_a_relative_target_and_others_a_number():
    """"Polisen ska öka sin fotpatrullering" and "Ökad synlighet genom fotpatrullering": the foot-patrol
    targets of those agreements are the baseline year + 10 % (2019's first months excepted, with no earlier
    log to increase on); no other commitment says öka or minska about what its indicators count."""
    relative = {(t["agreement"], t["indicator"]) for t in TARGETS if "baseline_year" in t}
    assert relative == {("medborgarlofte-2023", "fotpatrull_antal_centrala"),
                        ("medborgarlofte-2023", "fotpatrull_timmar_centrala"),
                        ("samverkan-2019", "fotpatrull_antal"), ("samverkan-2019", "fotpatrull_timmar"),
                        ("samverkan-2019", "fotpatrull_antal_centrala"), ("samverkan-2019", "fotpatrull_timmar_centrala")}
    promise = [t for t in TARGETS if t["agreement"] == "medborgarlofte-2023" and "baseline_year" in t]
    assert {(t["baseline_year"], t["increase_pct"]) for t in promise} == {(2022, 10)}
    for t in TARGETS:
        if t["agreement"] == "samverkan-2019" and t["indicator"].startswith("fotpatrull"):
            # A number for 2019 only; from 2020 on, 2019 + 10 %.
            assert ("value" in t and str(t["valid_to"]) == "2019-12-31") or \
                (t["baseline_year"], t["increase_pct"], str(t["valid_from"])) == (2019, 10, "2020-01-01")


def test_every_example_target_says_it_is_an_example():
    for t in TARGETS:
        assert t["example"] is True and t["origin"].startswith("Exempel som följer med programmet, inte beslutat av rådet")
