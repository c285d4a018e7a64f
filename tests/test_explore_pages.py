"""The exploration pages run with AppTest on the hand-made log, filters set in the URL, figures worked out by hand.

"Today" is 31 December 2024, so "i år" is the calendar year of tests/test_indicators.py's LOG.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import add_rows
from tests.test_indicators import LOG


@pytest.fixture
def logged(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-31")
    add_rows(tmp_store, LOG, file_name="logg-2024.csv")
    return tmp_store


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = open_page(page, query=query)
    assert not at.error, [e.value for e in at.error]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _title(chart: dict) -> str:
    return chart["layout"]["title"]["text"]


def _query(at: AppTest) -> dict:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_foot_patrols_in_central_timra_in_march(logged):
    at = _open("pages/fotpatrull.py", {"period": "egen", "fran": "2024-03-01", "till": "2024-03-31",
                                       "omrade": "timra-centrum,vivsta"})
    # 5 March Timrå centrum 120 min, 5 contacts; 6 March Vivsta 90 min, 3 contacts; Söråker is left out
    assert _metrics(at) == {"Fotpatruller": "2", "Timmar": "3,5", "Personaltimmar": "0", "Medborgarkontakter": "8"}
    assert at.metric[0].delta == "+2 mot samma period i fjol"
    count, hours, areas = _charts(at)
    assert _title(count) == "Fotpatruller per vecka, 1 mars–31 mars 2024, och samma period i fjol"
    bars, last_year = count["data"]
    assert bars["x"] == ["v. 9", "v. 10", "v. 11", "v. 12", "v. 13"]
    assert bars["y"] == [0, 2, 0, 0, 0] and last_year["y"] == [0, 0, 0, 0, 0]
    assert bars["marker"]["color"] == "#0072B2"  # the foot-patrol colour of the whole app
    assert hours["data"][0]["y"] == [0, 3.5, 0, 0, 0]
    assert count["layout"]["separators"] == ", "
    assert sorted(areas["data"][0]["y"]) == ["Timrå centrum (centrala Timrå)", "Vivsta (centrala Timrå)"]
    assert any("Ingen av aktiviteterna i urvalet har en starttid" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["Datum"]) == [dt.date(2024, 3, 6), dt.date(2024, 3, 5)]
    assert set(table["Fil"]) == {"logg-2024.csv"}
    assert len(at.get("download_button")) == 2
    assert _query(at) == {"period": "egen", "fran": "2024-03-01", "till": "2024-03-31", "omrade": "timra-centrum,vivsta"}


def test_traffic_controls_at_risk_places_this_year(logged):
    at = _open("pages/trafikkontroller.py", {"riskplats": "ja"})
    # April 1, May summary 4, December summary 2 × 12/20; the June control is no risk place
    assert _metrics(at) == {
        "Trafikkontroller": "6,2", "Kontrollerade fordon": "140", "Utandningsprov": "112",
        "Misstänkt rattfylleri": "1", "Misstänkt drograttfylleri": "1", "Hastighetsöverträdelser": "5",
        "Rattfylleri per 1 000 prov": "8,9",            # 1 / 112 × 1 000
        "Drograttfylleri per 1 000 prov": "8,9",
        "Hastighetsöverträdelser per 100 fordon": "3,6",  # 5 / 140 × 100
    }
    count, areas, rates = _charts(at)
    assert count["data"][0]["y"] == [0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 0, 1.2]
    assert _title(rates) == "Resultat av trafikkontrollerna per månad, 1 januari–31 december 2024"
    drunk = rates["data"][0]["y"]
    assert drunk[4] == 10 and drunk[11] == 0 and drunk[0] is None  # May 1 per 100 tests; December 0 per 12
    assert len(at.dataframe[0].value) == 3


def test_changing_a_filter_rewrites_the_link(logged):
    at = _open("pages/trafikkontroller.py")
    assert _metrics(at)["Trafikkontroller"] == "7,2"
    at.selectbox(key="explore:trafikkontroller:risk_place").select(False)
    at.run()
    assert _query(at) == {"riskplats": "nej"}
    assert (_metrics(at)["Trafikkontroller"], _metrics(at)["Utandningsprov"]) == ("1", "50")


def test_custom_dates_chosen_on_the_page_go_into_the_link(logged):
    at = _open("pages/fotpatrull.py")
    at.selectbox(key="explore:fotpatrull:preset").select("egen")
    at.run()
    at.date_input(key="explore:fotpatrull:start").set_value(dt.date(2024, 3, 6))
    at.date_input(key="explore:fotpatrull:end").set_value(dt.date(2024, 3, 7))
    at.run()
    assert _query(at) == {"period": "egen", "fran": "2024-03-06", "till": "2024-03-07"}
    assert _metrics(at)["Fotpatruller"] == "2"  # Vivsta and Söråker


def test_a_tractor_season_and_share_of_illegal_vehicles(logged):
    at = _open("pages/a_traktorer.py", {"period": "egen", "fran": "2024-04-01", "till": "2024-10-31"})
    assert _metrics(at) == {"Insatser": "2", "Kontrollerade fordon": "15", "Olagliga eller ombyggda": "3",
                            "Körförbud": "2", "Anmälningar": "1", "Andel olagliga, %": "20"}
    count, share, _ = _charts(at)
    assert count["data"][0]["x"] == ["apr", "maj", "jun", "jul", "aug", "sep", "okt"]
    assert count["data"][0]["y"] == [0, 1, 0, 0, 0, 1, 0]
    assert share["data"][0]["y"] == [None, 30, None, None, None, 0, None]  # 3 of 10 in May, 0 of 5 in September


def test_information_meetings_for_guardians_and_other_adults(logged):
    at = _open("pages/informationstraffar.py", {"malgrupp": "vårdnadshavare,andra viktiga vuxna"})
    assert _metrics(at) == {"Informationsträffar": "2", "Deltagare": "35", "Deltagare per träff": "17,5"}
    topics = next(c for c in _charts(at) if _title(c).startswith("Informationsträffar och deltagare per ämne"))
    assert sorted(zip(topics["data"][0]["y"], topics["data"][0]["x"])) == [
        ("Alkohol", 1), ("Narkotika", 1), ("Våld i nära relation", 1)]
    assert "Antal: 1 · deltagare: 20" in topics["data"][0]["text"]


def test_drug_operations_in_june_in_cooperation(logged):
    at = _open("pages/droghandel.py", {"org": "samverkan", "fran": "2024-06-01", "till": "2024-06-30"})
    assert _metrics(at) == {"Insatser": "1", "Kontrollerade personer": "5", "Beslag": "0", "Anmälningar": "0"}
    assert _query(at) == {"period": "egen", "fran": "2024-06-01", "till": "2024-06-30", "org": "samverkan"}


def test_violence_work_since_the_last_meeting(logged):
    logged.save_meeting(None, dt.date(2024, 11, 12), "Rådet för trygghet och hälsa", None, by="test")
    at = _open("pages/vald_i_nara_relation.py", {"period": "mote"})
    # 13 November–31 December: the awareness days of 25 and 26 November, no training
    assert _metrics(at) == {"Utbildningstillfällen": "0", "Utbildade medarbetare": "0",
                            "Informationsinsatser": "2", "Nådda personer": "300"}
    assert "Sedan rådets senaste möte: 13 november–31 december 2024" in at.markdown[0].value.replace("\\", "")


def test_since_the_last_meeting_without_meetings_says_so(logged):
    at = _open("pages/vald_i_nara_relation.py", {"period": "mote"})
    assert [i.value.replace("\\", "") for i in at.info] == [
        "Inga tidigare möten med rådet är registrerade. Sidan visar i år i stället."]
    assert _metrics(at)["Utbildade medarbetare"] == "47"  # 25 + 10 + 12 in 2024


def test_all_activities_of_two_types(logged):
    at = _open("pages/aktiviteter.py", {"typ": "trafikkontroll,a-traktor"})
    assert _metrics(at) == {"Aktiviteter": "9,2", "Timmar": "0"}  # 7,2 controls + 2 A-tractor operations
    count = _charts(at)[0]
    assert [trace["name"] for trace in count["data"]] == [
        "Trafikkontroller", "A-traktorkontroller och insatser mot buskörning", "Samma period i fjol"]
    assert [trace["marker"]["color"] for trace in count["data"][:2]] == ["#E69F00", "#009E73"]
    table = at.dataframe[0].value
    assert len(table) == 6 and "Kontrollerade fordon" in table.columns and "Medborgarkontakter" not in table.columns


def test_bad_parameters_fall_back_with_notices(logged):
    at = _open("pages/fotpatrull.py", {"period": "egen", "fran": "2024-13-01", "till": "2024-12-31",
                                       "omrade": "vivsta,atlantis", "riskplats": "ja"})
    assert [i.value.replace("\\", "") for i in at.info] == [
        "Adressen innehåller ”riskplats”, som inte är ett filter på den här sidan. Det används inte.",
        "Adressen anger datumet från och med ”2024-13-01”, som inte är ett datum (ÅÅÅÅ-MM-DD). "
        "Sidan visar i år i stället.",
        "Adressen anger området ”atlantis”, som inte finns. Det är borttaget ur urvalet.",
    ]
    assert _query(at) == {"omrade": "vivsta"}
    assert _metrics(at)["Fotpatruller"] == "1"
    at.run()  # the repaired link reads cleanly: no notice the second time
    assert not at.info


def test_an_empty_selection_says_what_to_change_and_draws_nothing(logged):
    at = _open("pages/fotpatrull.py", {"fran": "2022-01-01", "till": "2022-12-31"})
    assert [i.value for i in at.info] == [
        "Inga fotpatruller finns i loggen för urvalet (1 januari–31 december 2022). Välj en längre period i "
        "sidomenyn, fler områden eller organisationer, eller ta bort filter."]
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric and not at.get("download_button")
