"""The whole journey of issue 14 with AppTest and the CLI: in December 2024 an admin defines one new indicator,
makes the medborgarlöfte 2025–2026 from the 2023–2024 one, edits two commitments (linking the new indicator to
one), publishes it and sets its targets (one relative) before it comes into force (the page Mål sets targets for
published agreements); in June 2025 an editor imports a file of 2025 activities; the overview, the meeting page,
presentation mode, Följ med, the annual report 2025 and `progress` all show it.

The log is small and made by hand; every figure is worked out from it in the comments."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import docx
import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.cards import cards
from tests.factories import FOOT_PATROLS_2025, activity, add_rows
from trygghet import cli
from trygghet.auth import Role, User
from trygghet.figures.targets import stored_targets
from trygghet.reports import annual_report
from trygghet.store import agreements as agreement_store

ADMIN, EDITOR = User("admin", Role.ADMIN), User("redaktor", Role.EDITOR)
NEW = "fotpatrulltimmar_sorberge"
AGREEMENT = "medborgarlofte-2025"

# 2024, logged before: 10 foot patrols in central Timrå. The promise says "öka", so the relative target
# "+10 % on 2024" for foot patrols in central Timrå is 10 × 1.10 = 11 per year.
LOG_2024 = [activity("foot_patrol", f"2024-{m:02d}-10", duration_min=60) for m in range(1, 11)]

# 2025: the editor imports FOOT_PATROLS_2025 (tests/factories.py). By hand, on 30 June 2025:
# - the new indicator, foot-patrol hours in Sörberge 2025: 2 + 1,5 + 3 = 6,5 hours; its target "at least 12 hours
#   a year" pro-rated to 30 June is 12 × 181/365 = 5,95 hours;
# - foot patrols in central Timrå (Timrå centrum, Vivsta, Åkroken) 2025: 14/1, 11/2, 18/3, 6/5, 17/6 = 5 patrols
#   against the relative target 11 (2024: 10, + 10 %).


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return _ok(at.run())


def _select(at: AppTest, label: str, value) -> None:
    next(s for s in at.selectbox if s.label == label).set_value(value)


def _texts(at: AppTest) -> str:
    """Every text the page shows, metrics included, as one string."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "success", "warning", "subheader", "header")
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label}: {m.value}" for m in at.metric] + [f"{c.label}: {c.value}" for c in cards(at)]
    parts += [line for c in cards(at) for line in c.lines[2:]]  # what st.metric's delta, the badge and captions said
    return "\n".join(str(p) for p in parts)


def _define_indicator() -> None:
    at = open_page("pages/indikatorer.py", ADMIN)
    at.text_input(key="title").input("Fotpatrulltimmar i Sörberge")
    at.text_input(key="id").input(NEW)
    at.multiselect(key="types").set_value(["foot_patrol"])
    _ok(at.run())
    at.multiselect(key="areas").set_value(["sorberge"])
    at.radio(key="kind").set_value("sum")
    _ok(at.run())
    at.selectbox(key="field").set_value("duration_min")
    at.text_input(key="unit").input("timmar")
    at.text_input(key="phrase").input("fotpatrulltimmar i Sörberge")
    at.number_input(key="decimals").set_value(1)
    at.checkbox(key="has_target").check()
    _click(_ok(at.run()), "Spara indikatorn")
    assert at.success[0].value.startswith("Indikatorn ”Fotpatrulltimmar i Sörberge” är sparad")


def _make_agreement() -> None:
    at = open_page("pages/overenskommelser.py", ADMIN)
    _select(at, "Utgå från", "medborgarlofte-2023")
    _click(at, "Skapa utkast")
    assert next(s for s in at.selectbox if s.label == "Överenskommelse").value == AGREEMENT
    # Two commitments edited; the foot-patrol one is also linked to the new indicator.
    _select(at, "Löfte att ändra", f"{AGREEMENT}-fotpatrull")
    _ok(at.run())
    next(t for t in at.text_area if t.label.startswith("Löftestext")).set_value(
        "Polisen ska öka sin fotpatrullering i centrala Timrå och i Sörberge."
    )
    linked = next(m for m in at.multiselect if m.label == "Kopplade mått")
    linked.set_value([*linked.value, NEW])
    _click(at, "Spara löftet")
    _select(at, "Löfte att ändra", f"{AGREEMENT}-trafikkontroller")
    _ok(at.run())
    next(t for t in at.text_area if t.label.startswith("Löftestext")).set_value(
        "Polisen ska göra trafikkontroller vid skolor och identifierade riskplatser."
    )
    _click(at, "Spara löftet")
    _click(at, "Publicera")
    assert at.success[0].value == "Medborgarlöfte 2025–2026 är publicerad."


def _set_targets() -> None:
    at = open_page("pages/mal.py", ADMIN)
    _select(at, "Överenskommelse", AGREEMENT)
    _ok(at.run())
    # The relative one, as suggested: the promise says "öka", so the form offers +10 % on 2024.
    _select(at, "Mått", "fotpatrull_antal_centrala")
    _ok(at.run())
    assert next(r for r in at.radio if r.label == "Typ av mål").value == "Förändring jämfört med ett tidigare år"
    next(t for t in at.text_input if t.label == "Beslut").input("Beslutat av rådet 2024-12-10")
    _click(at, "Spara målet")
    assert at.success[0].value == (
        "Sparat: Fotpatruller i centrala Timrå, minst samma som 2024 + 10,0 % per år från 1 januari 2025."
    )
    # Nobody patrolled Sörberge in 2024: the council decides a number for the new indicator, 12 hours a year.
    _select(at, "Mått", NEW)
    _ok(at.run())
    next(r for r in at.radio if r.label == "Typ av mål").set_value("Ett antal")
    next(n for n in at.number_input if n.label.startswith("Antal")).set_value(12.0)
    next(t for t in at.text_input if t.label == "Beslut").input("Beslutat av rådet 2024-12-10")
    _click(at, "Spara målet")
    assert at.success[0].value == "Sparat: Fotpatrulltimmar i Sörberge, minst 12 per år från 1 januari 2025."
    # Saving reran the page: every measure with a target is off the list of those that lack one.
    lacking = next(d for d in at.dataframe if "Förslag" in d.value.columns).value
    assert "Fotpatruller i centrala Timrå" not in list(lacking["Mått"])
    assert "Fotpatrulltimmar i Sörberge" not in list(lacking["Mått"])


def _import_2025() -> None:
    at = open_page("pages/ladda_upp.py", EDITOR)
    at.get("file_uploader")[0].set_value(("fotpatrull-2025.csv", FOOT_PATROLS_2025.encode(), "text/csv"))  # type: ignore[union-attr]  # AppTest.get types every answer as a widget or a container
    _ok(at.run())
    _click(at, "Importera 8 rader")
    assert "8 rader tillagda" in at.success[0].value.replace("\\", "")


def _report_rows(content: bytes, title: str) -> list[list[str]]:
    """The rows of the annual report's tables (as python-docx reads the DOCX) that start with `title`."""
    document = docx.Document(BytesIO(content))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows if row.cells[0].text == title]


@pytest.mark.slow
def test_the_whole_journey(tmp_store, monkeypatch, capsys):
    add_rows(tmp_store, LOG_2024)  # a store with data: no demo data is added
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-01")  # the next promise is prepared in December 2024
    _define_indicator()
    _make_agreement()
    done = agreement_store.get(tmp_store, AGREEMENT)
    assert (done.status, done.valid_from, done.valid_to) == ("publicerad", dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert len(done.commitments) == 8 and NEW in done.commitments[1].indicators
    _set_targets()
    targets = {t.indicator: t for t in stored_targets(tmp_store) if t.agreement == AGREEMENT}
    relative = targets["fotpatrull_antal_centrala"]
    assert (relative.baseline_year, relative.increase_pct, relative.value, relative.valid_from) == (
        2024,
        10.0,
        None,
        dt.date(2025, 1, 1),
    )
    assert (targets[NEW].value, targets[NEW].grain) == (12.0, "year")

    # Half a year on: the editor imports the first half of 2025; the council meets on 25 March and today.
    monkeypatch.setenv("TRYGGHET_TODAY", "2025-06-30")
    _import_2025()
    for day in (dt.date(2025, 3, 25), dt.date(2025, 6, 30)):
        tmp_store.save_meeting(None, day, "Rådets möte", None, user=User("admin", Role.ADMIN))

    overview = _texts(open_page("pages/oversikt.py", EDITOR))
    assert "**Medborgarlöfte 2025–2026** · 2025 · till och med 30 juni 2025" in overview
    assert "Fotpatrulltimmar i Sörberge: 6,5 timmar" in overview
    # 12 × 181/365 = 5,95 hours by 30 June; forecast 6,5 × 365/181 = 13,1 hours; since 25 March: 1,5 + 3 = 4,5.
    assert (
        "Mål 12 timmar (minst 12 per år). Mål hittills: 6,0 timmar. Prognos vid periodens slut: 13,1 timmar."
        in overview
    )
    assert "Sedan rådets möte 25 mars 2025: 4,5 timmar." in overview
    # The relative target: 10 patrols in 2024 + 10 % = 11; five patrols in central Timrå so far.
    assert "Fotpatruller i centrala Timrå: 5 patruller" in overview
    assert "Mål 11 patruller (minst samma som 2024 + 10,0 % per år)." in overview

    # The meeting today: the figures up to today against the previous meeting on 25 March.
    meeting = _texts(open_page("pages/mote.py", EDITOR, {"meeting": "2025-06-30"}))
    # Att uppmärksamma: central patrols lag (5 of 11, 11 × 181/365 = 5,45 due: 92 %); Sörberge's hours went from
    # "för tidigt att bedöma" to "i fas", which is no news and not listed.
    plain = meeting.replace("\\", "")
    assert (
        "Fotpatruller i centrala Timrå: något efter (5 patruller av 11 patruller, borde vara 5 patruller hittills)."
    ) in plain
    assert "Fotpatrulltimmar i Sörberge: i fas" not in plain
    # Since 25 March: central patrols 6/5 and 17/6 = 2; central hours 2,5 + 2 = 4,5; Sörberge 1,5 + 3 = 4,5 hours.
    # Share of the year's target: 5/11 = 45 %, 6,5/12 = 54 %.
    since = (
        "Sedan förra mötet den 25 mars\\: 2 fotpatruller i centrala Timrå, 4,5 timmar, 4,5 fotpatrulltimmar i "
        "Sörberge\\. Hittills i år, andel av årsmålet\\: fotpatruller i centrala Timrå 45\xa0% \\(något efter\\), "
        "fotpatrulltimmar i Sörberge 54\xa0% \\(i fas\\)\\."
    )
    assert since in meeting

    # Presentation mode: after the summary and Att uppmärksamma, one slide per commitment; the foot patrols' slide
    # is told by the measure that lags, central patrols, with Sörberge's hours beside it.
    query = {"meeting": "2025-06-30", "mode": "present"}
    slides = [open_page("pages/mote.py", EDITOR, {**query, "slide": str(n)}) for n in range(3, 6)]
    at = next(a for a in slides if "Fotpatrull" in a.title[0].value)
    slide = _texts(at).replace("\\", "")  # stored names are escaped as text (ui.plain)
    assert "Fotpatruller i centrala Timrå: 5 patruller" in slide
    assert "av 11 patruller · mål hittills 5 patruller · prognos 10 patruller" in slide  # 5 × 365/181 = 10,1
    assert "Fotpatrulltimmar i Sörberge: 6,5 av 12 timmar (i fas)" in slide
    assert "Sedan förra mötet 25 mars: +2 patruller" in slide

    # Följ med, for everyone: the promise's new text and its figures this year.
    public = _texts(open_page("pages/folj_med.py", None))
    assert "Här ser du hur det går med varje löfte under 2025, till och med 30 juni 2025." in public
    assert "Löftet: ”Polisen ska öka sin fotpatrullering i centrala Timrå och i Sörberge\\.”" in public
    assert (
        "Hittills i år\\: 5 fotpatruller i centrala Timrå \\(mål för året\\: 11\\); 9,0 timmar; 6,5 "
        "fotpatrulltimmar i Sörberge \\(mål för året\\: 12\\); 22 medborgarkontakter\\."
    ) in public

    # The annual report 2025 (so far): the summary row and the row against last year of each figure.
    _, content, _ = annual_report(tmp_store, 2025, "docx", dt.date(2025, 6, 30))
    assert _report_rows(content, "Fotpatrulltimmar i Sörberge (timmar)") == [
        ["Fotpatrulltimmar i Sörberge (timmar)", "6,5", "12,0", "54\xa0%", "→ i fas"],
        ["Fotpatrulltimmar i Sörberge (timmar)", "–", "6,5", "–", "12,0", "54\xa0%", "→ i fas"],
    ]
    # Last year, January–June 2024: 6 patrols; 5 is 17 % fewer.
    assert _report_rows(content, "Fotpatruller i centrala Timrå (patruller)") == [
        ["Fotpatruller i centrala Timrå (patruller)", "5", "11", "45\xa0%", "! något efter"],
        ["Fotpatruller i centrala Timrå (patruller)", "6", "5", "−17\xa0%", "11", "45\xa0%", "! något efter"],
    ]

    capsys.readouterr()
    assert cli.main(["progress", "--period", "2025", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["agreement"] == {
        "id": AGREEMENT,
        "title": "Medborgarlöfte 2025–2026",
        "valid_from": "2025-01-01",
        "valid_to": "2026-12-31",
        "in_force": True,
    }
    figures = {i["id"]: i for i in out["indicators"]}
    new = figures[NEW]
    assert (new["actual"], new["target"], new["status"], new["since_last_meeting"], new["last_data"]) == (
        6.5,
        12.0,
        "on_track",
        4.5,
        "2025-06-17",
    )
    assert new["prorated_target"] == pytest.approx(12 * 181 / 365)
    relative = figures["fotpatrull_antal_centrala"]
    assert (relative["actual"], relative["target"], relative["last_year"], relative["status"]) == (
        5.0,
        11.0,
        6.0,
        "slightly_behind",
    )
    assert relative["prorated_target"] == pytest.approx(11 * 181 / 365)  # 5,45: five patrols are a little behind
