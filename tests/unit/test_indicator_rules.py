"""The rules of an indicator declaration, and the app-defined indicators in the store and the registry."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TESTER as ADMIN
from tests.factories import activity, add_rows
from trygghet.auth import Role, User
from trygghet.figures.indicators import (
    Count,
    Filters,
    Indicator,
    Ratio,
    Sum,
    _stored,
    builtin,
    for_commitment,
    problems,
    registry,
)
from trygghet.figures.indicators._rules import Context, check


def declared(**changes) -> Indicator:
    fields = {
        "id": "utandningsprov_riskplatser",
        "title": "Utandningsprov vid riskplatser",
        "unit": "prov",
        "activity_types": ("traffic_control",),
        "filters": Filters(risk_place=True),
        "aggregation": Sum(field="breath_tests"),
        "commitments": ("ml23-trafikkontroller",),
    }
    return Indicator(**{**fields, **changes})


_NO_STORE = Context()


def messages(indicator: Indicator, ctx: Context = _NO_STORE) -> list[str]:
    return [str(p) for p in check(indicator, ctx)]


def test_a_valid_declaration_has_no_problems():
    assert messages(declared()) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"activity_types": ("foot_patrols",)},
            "Indikatorn ”utandningsprov_riskplatser”, fältet ”aktivitetstyper”: okänd aktivitetstyp ”foot_patrols”",
        ),
        ({"activity_types": ()}, "fältet ”aktivitetstyper”: välj minst en aktivitetstyp"),
        (
            {"activity_types": ("foot_patrol",), "aggregation": Count()},
            "fältet ”filter”: riskplats finns inte för fotpatrull",
        ),
        (
            {
                "activity_types": ("foot_patrol", "info_meeting"),
                "aggregation": Count(),
                "filters": Filters(topics=("alkohol",)),
            },
            "fältet ”filter”: ämne finns inte för fotpatrull",
        ),
        ({"filters": Filters(control_kinds=("fart",))}, "fältet ”filter”: okänt värde ”fart” för typ av kontroll"),
        ({"filters": Filters(organisations=("Polisen",))}, "okänt värde ”Polisen” för organisation"),
        ({"filters": Filters(area_groups=("norra",))}, "okänt värde ”norra” för områdesgrupp"),
        (
            {"aggregation": Sum(field="breath_test")},
            "fältet ”summerat fält”: fältet ”breath_test” finns inte bland de fält som kan räknas",
        ),
        (
            {"aggregation": Sum(field="participants")},
            "fältet ”summerat fält”: indikatorn summerar fältet ”Deltagare” som trafikkontroll saknar",
        ),
        (
            {"aggregation": Ratio(numerator="breath_tests", denominator="participants", scale=1000)},
            "fältet ”kvot”: indikatorn delar med fältet ”Deltagare” som trafikkontroll saknar",
        ),
        ({"aggregation": Sum(field="breath_tests", scale=0)}, "fältet ”skala”: skalan ska vara ett tal större än 0"),
        ({"id": "Utandning riskplats"}, "fältet ”id”: ska vara 2–60 tecken"),
        ({"id": "trafik_utandningsprov"}, "fältet ”id”: det finns redan en indikator med samma id"),
        ({"title": " "}, "fältet ”titel”: titeln saknas"),
        ({"unit": ""}, "fältet ”enhet”: enheten saknas"),
        ({"decimals": 7}, "fältet ”decimaler”: antalet decimaler ska vara 0, 1, 2 eller 3"),
        ({"commitments": ("ml99-okant",)}, "fältet ”löften”: löftet ”ml99-okant” finns inte"),
        ({"filters": Filters(areas=("mars",))}, "okänt värde ”mars” för område"),
        # Only drug-trade operations log whether they aim at young people.
        (
            {"filters": Filters(risk_place=True, youth_focus=True)},
            "fältet ”filter”: fokus på unga finns inte för trafikkontroll",
        ),
    ],
)
def test_each_rule_names_the_indicator_and_the_field(changes, expected):
    ctx = Context(frozenset(builtin()), frozenset({"ml23-trafikkontroller"}), frozenset({"vivsta"}))
    found = messages(declared(**changes), ctx)
    assert len(found) == 1 and expected in found[0], found


def test_commitments_and_areas_are_not_judged_without_a_store():
    assert messages(declared(commitments=("ml99-okant",), filters=Filters(areas=("mars",)))) == []


# --- app-defined indicators in the store ----------------------------------------------------------------------------

LOG = [
    activity("traffic_control", "2024-03-10", breath_tests=40),  # risk place (the default)
    activity("traffic_control", "2024-03-20", breath_tests=25, risk_place=False),  # not at a risk place
    activity("traffic_control", "2024-04-01/2024-04-10", activity_count=2, breath_tests=30),
    activity("traffic_control", "2024-04-05", breath_tests=None),
    activity("foot_patrol", "2024-04-06", duration_min=60),
]


def test_a_saved_indicator_is_in_the_registry_and_computed_by_the_compiler(tmp_store):
    add_rows(tmp_store, LOG)
    assert _stored.save(tmp_store, declared(), ADMIN, set(registry())) == []
    indicator = registry()["utandningsprov_riskplatser"]
    assert indicator == declared()
    assert "utandningsprov_riskplatser" in [i.id for i in for_commitment("ml23-trafikkontroller")]
    with tmp_store.connect() as con:
        series = indicator.compute(con, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "month")
    # March: 40 (the 25 are not at a risk place); April: 30 + none.
    assert [(p.bucket, p.numerator) for p in series.points] == [(dt.date(2024, 3, 1), 40), (dt.date(2024, 4, 1), 30)]


def test_save_refuses_an_invalid_declaration_and_changes_nothing(tmp_store):
    version = tmp_store.data_version()
    found = _stored.save(tmp_store, declared(aggregation=Sum(field="participants")), ADMIN, set(registry()))
    assert [p.field for p in found] == ["summerat fält"]
    assert tmp_store.data_version() == version and _stored.rows(tmp_store) == []


def test_save_refuses_an_id_taken_by_an_inactive_indicator(tmp_store):
    assert _stored.save(tmp_store, declared(), ADMIN, set(registry())) == []
    _stored.set_active(tmp_store, "utandningsprov_riskplatser", False, ADMIN)
    assert "utandningsprov_riskplatser" not in registry()
    found = _stored.save(tmp_store, declared(title="Igen"), ADMIN, set(registry()))
    assert [p.message for p in found] == ["det finns redan en indikator med samma id"]


def test_a_broken_stored_indicator_is_skipped_and_reported_while_the_others_show(tmp_store):
    assert _stored.save(tmp_store, declared(), ADMIN, set(registry())) == []
    broken = declared(id="trasig", activity_types=("foot_patrol",), aggregation=Count()).model_dump_json()
    with tmp_store.transaction() as con:
        con.execute(
            "INSERT INTO app_indicators (id, declaration, created_by, changed_by) VALUES"
            " ('trasig', ?, 'x', 'x'), ('oläsbar', '{\"id\": \"oläsbar\"}', 'x', 'x')",
            [broken],
        )
    assert {"utandningsprov_riskplatser", *builtin()} == set(registry())
    assert [str(p) for p in problems()] == [
        "Indikatorn ”oläsbar”, fältet ”titel”: saknas",
        "Indikatorn ”oläsbar”, fältet ”aktivitetstyper”: saknas",
        "Indikatorn ”oläsbar”, fältet ”beräkning”: saknas",
        "Indikatorn ”oläsbar”, fältet ”enhet”: saknas",
        "Indikatorn ”trasig”, fältet ”filter”: riskplats finns inte för fotpatrull",
    ]


def test_the_registry_reads_the_store_again_only_after_a_write(tmp_store, monkeypatch):
    registry()
    reads = []
    real = _stored.load
    monkeypatch.setattr(_stored, "load", lambda *a: reads.append(1) or real(*a))
    for _ in range(5):
        registry()
    assert reads == []
    assert _stored.save(tmp_store, declared(), ADMIN, set(registry())) == []
    assert "utandningsprov_riskplatser" in registry() and reads == [1]


def test_update_replaces_a_stored_declaration_and_refuses_an_unknown_id(tmp_store):
    assert _stored.save(tmp_store, declared(), User("anna", Role.ADMIN), set(registry())) == []
    assert _stored.update(tmp_store, declared(title="Nytt namn"), User("bo", Role.ADMIN), set(registry())) == []
    [row] = _stored.rows(tmp_store)
    assert (row["created_by"], row["changed_by"], registry()[row["id"]].title) == ("anna", "bo", "Nytt namn")
    found = _stored.update(tmp_store, declared(id="finns_inte"), User("bo", Role.ADMIN), set(registry()))
    assert [str(p) for p in found] == [
        "Indikatorn ”finns_inte”, fältet ”id”: det finns ingen indikator med detta id som definierats i appen"
    ]
