"""Every commitment of a seeded agreement is measured by an indicator with a target, and every such
indicator ships with an example target for that agreement ("Alla insatser ska ha mätbara mål")."""

from __future__ import annotations

import tomllib

import pytest

from trygghet.config import PROJECT_ROOT
from trygghet.figures.indicators import for_commitment

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


# Commitments whose words promise more of what their indicators count. "Öka medvetenheten" and "ökad
# kunskap" are aims that the counted activities serve, not more activities each year: numbers there.
# ("Polisen ska öka sin fotpatrullering i centrala Timrå" is one too; its targets stay numbers until the
# hand-worked test logs of the pages hold a 2022 baseline.)
PROMISES_TO_INCREASE = {"so19-fotpatrullering": "Ökad synlighet genom fotpatrullering."}


@pytest.mark.parametrize("commitment_id", sorted(PROMISES_TO_INCREASE))
def test_a_promise_to_increase_has_relative_targets(commitment_id):
    """Every target of such a commitment's indicators in its agreement is a baseline year + 10 %: for 2019,
    with no earlier log, a number in 2019 and 2019 + 10 % from 2020."""
    [commitment] = [c for c in COMMITMENTS if c["id"] == commitment_id]
    assert commitment["text"] == PROMISES_TO_INCREASE[commitment_id]
    targets = [
        t
        for t in TARGETS
        if t["agreement"] == commitment["agreement"] and t["indicator"] in _target_bearing(commitment_id)
    ]
    assert {t["indicator"] for t in targets} == set(_target_bearing(commitment_id))
    for t in targets:
        assert ("value" in t and str(t["valid_to"]) == "2019-12-31") or (
            t["baseline_year"],
            t["increase_pct"],
            str(t["valid_from"]),
        ) == (2019, 10, "2020-01-01"), t


def test_every_example_target_says_it_is_an_example():
    for t in TARGETS:
        assert t["example"] is True and t["origin"].startswith(
            "Exempel som följer med programmet, inte beslutat av rådet"
        )
