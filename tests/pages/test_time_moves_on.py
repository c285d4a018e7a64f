"""Time told honestly (issue 14 item 5) and the follow-up promise itself (issue 15 item 6).

On the two source agreements only, every page opened after the medborgarlöfte 2023–2024 has ended says
so in plain Swedish and never calls its figures "i år".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.app import open_page
from tests.factories import TESTER, activity, add_rows, command
from trygghet.meetings.report import FollowUpError, check_written_follow_up, follow_up_record

D = dt.date
ENDED = "Medborgarlöfte 2023–2024 gällde till 31 december 2024. Ingen senare överenskommelse är inlagd."


@pytest.fixture
def sources_only(store_with):
    """The two source agreements, a handful of 2024 activities (so no demo data is loaded) and meetings."""
    return store_with(_sources_only)


def _sources_only(store) -> None:
    add_rows(
        store,
        [
            activity("foot_patrol", "2024-03-01", duration_min=120),
            activity("foot_patrol", "2024-11-20", duration_min=60),
            activity("traffic_control", "2024-05-02", breath_tests=40),
        ],
    )
    for day in (D(2024, 3, 12), D(2024, 11, 12), D(2026, 12, 8)):
        store.save_meeting(None, day, "Rådet för trygghet och hälsa", None, user=TESTER)


def _texts(at) -> list[str]:
    return [
        e.value.replace("\\", "")
        for kind in ("markdown", "caption", "info", "header", "subheader", "title")
        for e in getattr(at, kind)
    ]


@pytest.mark.parametrize("today", ["2025-01-15", "2026-11-30"])
def test_the_overview_after_the_promise_says_it_has_ended(sources_only, monkeypatch, today):
    monkeypatch.setenv("TRYGGHET_TODAY", today)
    at = open_page("pages/oversikt.py")
    assert [i.value.replace("\\", "") for i in at.info] == [f"{ENDED} Sidan visar dess slutresultat."]
    assert at.query_params["period"] == "2024"
    texts = _texts(at)
    assert not any("i år" in t.lower() for t in texts)
    # 2 central patrols of the example target of 130 a year: the year is over, so not achieved (2 %).
    assert ":red-badge[:material/cancel: inte uppnått – 2\u00a0% av målet]" in texts
    # A final result has no pro-rated target and no forecast.
    assert "Mål 130 patruller (minst 130 per år) (exempelmål, inte beslutat av rådet)." in texts


@pytest.mark.parametrize("today", ["2025-01-15", "2026-11-30"])
def test_the_meeting_after_the_promise_shows_its_final_result(sources_only, monkeypatch, today):
    monkeypatch.setenv("TRYGGHET_TODAY", today)
    at = open_page("pages/mote.py", query={"meeting": "2026-12-08"})
    assert [i.value.replace("\\", "") for i in at.info][:1] == [ENDED]
    texts = _texts(at)
    assert any("Medborgarlöfte 2023–2024 · slutresultat för 2024 · förra mötet 12 november 2024" in t for t in texts)
    assert not any("i år" in t.lower() for t in texts), [t for t in texts if "i år" in t.lower()]
    assert (
        "**Sedan förra mötet den 12 november 2024: 1 fotpatrull i centrala Timrå, 1,0 timmar, 0 medborgarkontakter. "
        "Slutresultat 2024, andel av årsmålet: fotpatruller i centrala Timrå 2\u00a0% (inte uppnått), timmar "
        "1\u00a0% (inte uppnått).**"
    ) in texts


@pytest.mark.parametrize("today", ["2025-01-15", "2026-11-30"])
def test_the_public_page_after_the_promise_is_in_the_past_tense(sources_only, monkeypatch, today):
    monkeypatch.setenv("TRYGGHET_TODAY", today)
    at = open_page("pages/folj_med.py")
    assert [i.value for i in at.info] == [ENDED]
    texts = _texts(at)
    assert "Senaste registrerade aktivitet: 20 november 2024." in texts
    assert any(
        t.startswith(":material/cancel: **Löftet hölls inte.** Slutresultat 2024: 2 fotpatruller") for t in texts
    )
    assert not any("i år" in t.lower() or "hålls" in t for t in texts)
    # Two of the three meetings lie in 2024; none was locked; no written follow-up is registered.
    assert (
        "Följs upp vid varje möte i rådet: 0 av 2 möten 2024. Skriftlig uppföljning 2024: inte registrerad ännu."
    ) in texts


def test_progress_on_the_sources_alone_judges_nothing_after_the_promise(sources_only):
    result = command("progress", "--date", "2026-11-30", "--grain", "year", "--json", db=sources_only.path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["in_force"] is False
    assert answer["agreement"] == {
        "id": "medborgarlofte-2023",
        "title": "Medborgarlöfte 2023–2024",
        "valid_from": "2023-01-01",
        "valid_to": "2024-12-31",
        "in_force": False,
    }
    assert answer["note"] == ENDED
    assert answer["period"]["label"] == "2026"
    assert all(i["target"] is None and i["status"] is None for i in answer["indicators"])


@pytest.mark.slow
def test_progress_takes_a_period_as_the_links_write_it(sources_only):
    def run(*args):
        return command("progress", *args, db=sources_only.path)

    answer = json.loads(run("--period", "2024-Q1", "--date", "2025-02-01", "--json").stdout)
    assert answer["period"] == {"label": "kvartal 1 2024", "start": "2024-01-01", "end": "2024-03-31", "ended": True}
    assert answer["agreement"]["in_force"] is True
    patrols = next(i for i in answer["indicators"] if i["id"] == "fotpatrull_antal_centrala")
    # 1 central patrol in the quarter; the example target 130 a year, a quarter of 91 of 366 days: 32,3.
    assert patrols["actual"] == 1 and patrols["target"] == pytest.approx(130 * 91 / 366)
    assert patrols["status"] == "not_achieved"
    bad = run("--period", "2024-Q5")
    assert bad.returncode == 2 and "”2024-Q5” är ingen period" in bad.stderr


# --- the follow-up promise itself --------------------------------------------------------------------------


def test_meetings_held_and_presented_with_locked_figures(sources_only):
    meetings = {m.meeting_date: m.id for m in sources_only.meeting_rows()}
    sources_only.lock_meeting(meetings[D(2024, 11, 12)], "{}", TESTER)
    record = follow_up_record(sources_only, "medborgarlofte-2023", 2024, D(2025, 1, 10))
    assert (record.held, record.presented) == (2, 1)
    assert record.meetings_text == "Följs upp vid varje möte i rådet: 1 av 2 möten 2024."
    # On 1 April 2024 only the March meeting had been held.
    assert follow_up_record(sources_only, "medborgarlofte-2023", 2024, D(2024, 4, 1)).held == 1
    sources_only.save_written_follow_up("medborgarlofte-2023", 2024, D(2025, 2, 12), "KS 2025/17", TESTER)
    record = follow_up_record(sources_only, "medborgarlofte-2023", 2024, D(2025, 3, 1))
    assert record.written_text() == "Skriftlig uppföljning 2024: lämnad 12 februari 2025 (dnr KS 2025/17)."
    assert record.written_text(with_number=False) == "Skriftlig uppföljning 2024: lämnad 12 februari 2025."


@pytest.mark.parametrize(
    "produced_on,number,message",
    [
        (None, "KS 1", "Fältet ”Lämnad den” är tomt"),
        (D(2025, 3, 2), "KS 1", "Fältet ”Lämnad den”: 2 mars 2025 har inte varit än."),
        (D(2023, 12, 1), "KS 1", "ligger före året 2024"),
        (D(2025, 2, 1), "  ", "Fältet ”Diarienummer” är tomt."),
        (D(2025, 2, 1), "x" * 41, "längre än 40 tecken"),
    ],
)
def test_a_wrong_written_follow_up_is_refused_with_the_field_named(produced_on, number, message):
    with pytest.raises(FollowUpError, match=message):
        check_written_follow_up(2024, produced_on, number, D(2025, 3, 1))
    assert check_written_follow_up(2024, D(2025, 2, 1), " KS 2025/17 ", D(2025, 3, 1)) == "KS 2025/17"


# --- targets belong to their agreement ---------------------------------------------------------------------


def test_migration_012_gives_every_stored_target_to_the_agreements_it_met(tmp_path, monkeypatch):
    """A database from before targets had agreements: an open-ended target from 2019 goes to both source
    agreements, one from 2024 to the medborgarlöfte only; a target of no agreement's time is dropped."""
    from trygghet.store import schema
    from trygghet.store.database import Store

    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] < 12])
    old = Store(tmp_path / "old.duckdb")
    old.migrate()
    with old.connect() as con:
        con.execute(
            "INSERT INTO agreements (id, title, kind, valid_from, valid_to, source) VALUES"
            " ('samverkan-2019', 'S', 'samverkansöverenskommelse', '2019-04-01', '2023-03-31', 'k'),"
            " ('medborgarlofte-2023', 'M', 'medborgarlöfte', '2023-01-01', '2024-12-31', 'k')"
        )
        con.execute(
            "INSERT INTO targets (indicator_id, grain, value, direction, valid_from, valid_to, origin) VALUES"
            " ('fotpatrull_antal_centrala', 'year', 130, 'at_least', '2019-04-01', NULL, 'Rådet'),"
            " ('trafik_utandningsprov', 'year', 2000, 'at_least', '2024-01-01', NULL, 'Rådet'),"
            " ('droghandel_insatser', 'year', 12, 'at_least', '2018-01-01', '2018-12-31', 'Rådet')"
        )
    monkeypatch.setattr(schema, "_migrations", lambda: every)
    store = Store(tmp_path / "old.duckdb")
    store.migrate()
    assert sorted((r.agreement_id, r.indicator_id, r.valid_from) for r in store.target_rows()) == [
        ("medborgarlofte-2023", "fotpatrull_antal_centrala", D(2019, 4, 1)),
        ("medborgarlofte-2023", "trafik_utandningsprov", D(2024, 1, 1)),
        ("samverkan-2019", "fotpatrull_antal_centrala", D(2019, 4, 1)),
    ]


def test_a_new_agreement_starts_without_the_old_ones_targets(sources_only):
    """An agreement entered after the source ones has no targets until the council sets them: the example
    targets of 2019 and 2023 never apply to it."""
    from trygghet.figures.compute import progress_for
    from trygghet.figures.periods import AgreementSpan, Grain, period_containing
    from trygghet.figures.progress import Status, Thresholds

    later = AgreementSpan("medborgarlofte-2025", "Medborgarlöfte 2025–2026", D(2025, 1, 1), D(2026, 12, 31))
    [p] = progress_for(
        sources_only,
        ["fotpatrull_antal_centrala"],
        period_containing(Grain.YEAR, D(2025, 1, 1)),
        D(2025, 6, 30),
        later,
        Thresholds(),
    )
    assert (p.target, p.status) == (None, Status.NO_TARGET)


def test_a_promise_to_increase_is_offered_a_relative_target_against_the_year_before(sources_only):
    """'Polisen ska öka sin fotpatrullering': for an agreement starting in 2025 the offer is 2024's figure
    + 10 %: 2 central patrols in 2024 → 2,2, whole: 2. Breath tests promise no change: a bare number is offered
    (40 in 2024, no step)."""
    from trygghet.figures.compute import year_figures
    from trygghet.figures.targets import Suggestion, promised_change

    figures = year_figures(
        sources_only, ["fotpatrull_antal_centrala", "trafik_utandningsprov", "droghandel_insatser"], 2024
    )
    assert figures == {"fotpatrull_antal_centrala": 2, "trafik_utandningsprov": 40, "droghandel_insatser": None}
    patrols = Suggestion(
        2024,
        figures["fotpatrull_antal_centrala"],
        promised_change(["Polisen ska öka sin fotpatrullering i centrala Timrå."]),
    )
    assert (patrols.relative, patrols.increase_pct, patrols.value) == (True, 10, 2)
    assert promised_change(["Minska det öppna missbruket"]) == -1
    tests = Suggestion(2024, 40.0, promised_change(["Trafikkontroller vid riskplatser."]))
    assert (tests.relative, tests.value) == (False, 40)


def test_an_exploration_page_opens_on_the_latest_year_with_data(sources_only, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-30")
    at = open_page("pages/fotpatrull.py")
    assert (
        "Det finns inga aktiviteter för i år (1 januari–30 november 2026). Sidan visar 2024, det senaste året "
        "med uppgifter (senaste aktiviteten 20 november 2024)."
    ) in [i.value.replace("\\", "") for i in at.info]
    assert not any("Inga fotpatruller finns" in i.value for i in at.info)


@pytest.mark.slow
def test_an_admin_is_offered_the_way_to_enter_the_next_agreement(sources_only, monkeypatch):
    from trygghet.auth import Role, User

    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-30")
    links = [e for e in open_page("pages/oversikt.py", User("admin", Role.ADMIN)).main if e.type == "page_link"]
    assert [link.proto.label for link in links] == ["Lägg in nästa överenskommelse"]
    assert not [e for e in open_page("pages/oversikt.py").main if e.type == "page_link"]


def test_a_target_below_zero_is_refused_naming_the_field(tmp_store):
    from trygghet.figures.targets import TargetError, parse_target

    before = tmp_store.target_rows()
    with pytest.raises(TargetError, match=r"formuläret, mål 1 \(fotpatrull_antal_centrala\): fältet value \(antal\)"):
        parse_target(
            {
                "agreement": "medborgarlofte-2023",
                "indicator": "fotpatrull_antal_centrala",
                "grain": "year",
                "value": -5,
                "valid_from": D(2024, 7, 1),
                "origin": "Beslutat av rådet",
            }
        )
    assert tmp_store.target_rows() == before
