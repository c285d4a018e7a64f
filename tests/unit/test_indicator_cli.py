"""`python -m trygghet indicator list|show`: every indicator in use, and one declaration in plain Swedish."""

from __future__ import annotations

from tests.factories import command
from trygghet.auth import Role, User
from trygghet.figures.indicators import Filters, Indicator, Ratio, _stored, builtin, registry

APP_DEFINED = Indicator(
    id="kontrollerade_fordon_per_kontroll",
    title="Kontrollerade fordon per kontroll",
    activity_types=("traffic_control",),
    unit="fordon per kontroll",
    decimals=1,
    filters=Filters(organisations=("samverkan",), control_kinds=("hastighet", "kombinerad")),
    aggregation=Ratio(numerator="vehicles_checked", denominator="activity_count"),
)


def _run(store, *args) -> tuple[int, str, str]:
    done = command("indicator", *args, db=store.path)
    return done.returncode, done.stdout, done.stderr


def test_list_shows_built_in_and_app_defined_indicators_and_those_left_out(tmp_store):
    assert _stored.save(tmp_store, APP_DEFINED, User("anna", Role.ADMIN), set(registry())) == []
    with tmp_store.transaction() as con:
        con.execute(
            "INSERT INTO app_indicators (id, declaration, created_by, changed_by) VALUES (?, ?, 'x', 'x')",
            [
                "trasig",
                APP_DEFINED.model_copy(update={"id": "trasig", "activity_types": ("foot_patrol",)}).model_dump_json(),
            ],
        )
    code, out, _ = _run(tmp_store, "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(builtin()) + 1 + 2  # the app-defined one, then two problems
    assert lines[0].split()[0] == "atraktor_andel_olagliga"
    assert "definierad i appen av anna" in next(line for line in lines if line.startswith("kontrollerade_fordon_per"))
    # Organisation is logged by every type; the kind of control and the vehicles only by traffic controls.
    assert lines[-2:] == [
        "Utelämnad: Indikatorn ”trasig”, fältet ”filter”: typ av kontroll finns inte för fotpatrull",
        "Utelämnad: Indikatorn ”trasig”, fältet ”kvot”: indikatorn har i täljaren fältet "
        "”Kontrollerade fordon” som fotpatrull saknar",
    ]


def test_show_writes_the_declaration_in_plain_swedish(tmp_store):
    assert _stored.save(tmp_store, APP_DEFINED, User("anna", Role.ADMIN), set(registry())) == []
    code, out, _ = _run(tmp_store, "show", "kontrollerade_fordon_per_kontroll")
    shown = dict(line.split(":", 1) for line in out.splitlines())
    assert code == 0
    assert {
        k: v.strip() for k, v in shown.items() if k in ("Filter", "Beräkning", "Enhet", "Decimaler", "Har mål")
    } == {
        "Filter": "organisation: i samverkan; typ av kontroll: hastighet eller kombinerad",
        "Beräkning": "Kontrollerade fordon per Antal aktiviteter",
        "Enhet": "fordon per kontroll",
        "Decimaler": "1",
        "Har mål": "nej",
    }
    code, out, _ = _run(tmp_store, "show", "fotpatrull_timmar_centrala")
    assert "Filter:                 område: centrala Timrå" in out.splitlines()
    assert "Beräkning:              summa av Varaktighet i timmar" in out.splitlines()
    assert (
        "Källa:                  inbyggd (trygghet/figures/indicators/fotpatrull_timmar_centrala.py)"
        in out.splitlines()
    )
    code, out, _ = _run(tmp_store, "show", "droghandel_insatser_unga")
    assert "Filter:                 organisation: i samverkan; fokus på unga: ja" in out.splitlines()


def test_show_of_an_unknown_or_missing_id_says_what_to_do(tmp_store):
    code, _, err = _run(tmp_store, "show", "okand")
    assert code == 1 and "det finns ingen indikator med id ”okand”" in err
    code, _, err = _run(tmp_store, "show")
    assert code == 2 and "ange indikatorns id" in err
