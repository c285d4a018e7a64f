"""The exploration pages run with AppTest on the hand-made log, filters set in the URL, figures worked out by hand.

"Today" is 31 December 2024, so "i år" is the calendar year of tests/test_indicators.py's LOG.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page, query_of
from tests.factories import LOG, TESTER, activity, add_rows

# Durations for the types LOG logs without any, in a second file; the figures of the hours tests below.
TIMED = [
    activity("traffic_control", "2024-04-15", duration_min=90),  # April 1,5 h
    # 2 controls over 10 days, 600 min in all: 25–30 June 6 days = 6 h, 1–4 July 4 days = 4 h
    activity("traffic_control", "2024-06-25/2024-07-04", activity_count=2, duration_min=600),
    activity("traffic_control", "2023-04-20", duration_min=60),  # April last year 1 h
    activity("atractor_check", "2024-05-20", duration_min=150),  # May 2,5 h
    activity("atractor_check", "2023-09-09", duration_min=120),  # September last year 2 h
    activity("drug_operation", "2024-08-16", duration_min=180),  # Friday of week 33: 3 h
    activity("drug_operation", "2023-08-18", duration_min=120),  # 364 days earlier: 2 h
    activity("staff_training", "2024-09-02", duration_min=480),  # September 8 h
    activity("awareness", "2024-11-27", duration_min=300),  # November 5 h
]


@pytest.fixture
def logged(store_with, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-31")
    return store_with(_logged)


def _logged(store) -> None:
    add_rows(store, LOG, file_name="logg-2024.csv")


@pytest.fixture
def timed(logged):
    add_rows(logged, TIMED, file_name="tider-2024.csv")
    return logged


def _open(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = open_page(page, query=query)
    assert not at.error, [e.value for e in at.error]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _title(chart: dict) -> str:
    """The title as read: the chart breaks it into lines that fit a phone."""
    return chart["layout"]["title"]["text"].replace("<br>", " ")


def test_foot_patrols_in_central_timra_in_march(logged):
    at = _open(
        "pages/fotpatrull.py",
        {"period": "egen", "fran": "2024-03-01", "till": "2024-03-31", "omrade": "timra-centrum,vivsta"},
    )
    # 5 March Timrå centrum 120 min, 5 contacts; 6 March Vivsta 90 min, 3 contacts; Söråker is left out
    assert _metrics(at) == {"Fotpatruller": "2", "Timmar": "3,5", "Personaltimmar": "0", "Medborgarkontakter": "8"}
    assert at.metric[0].delta == "+2 mot samma period i fjol"
    count, hours, areas = _charts(at)
    assert _title(count) == "Fotpatruller per vecka, 1 mars–31 mars 2024, och samma period i fjol"
    bars, last_year = count["data"]
    assert bars["x"] == ["v. 9", "v. 10", "v. 11", "v. 12", "v. 13"]
    # LOG starts 31 December 2023: nothing was logged in March 2023, so last year is a gap, not a line at zero.
    assert bars["y"] == [0, 2, 0, 0, 0] and last_year["y"] == [None] * 5
    assert bars["marker"]["color"] == "#0072B2"  # the foot-patrol colour of the whole app
    assert hours["data"][0]["y"] == [0, 3.5, 0, 0, 0]
    assert count["layout"]["separators"] == ", "
    assert sorted(areas["data"][0]["y"]) == ["Timrå centrum (centrala Timrå)", "Vivsta (centrala Timrå)"]
    assert any("Ingen av aktiviteterna i urvalet har en starttid" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["Datum"]) == [dt.date(2024, 3, 6), dt.date(2024, 3, 5)]
    assert set(table["Fil"]) == {"logg-2024.csv"}
    assert len(at.get("download_button")) == 2
    assert query_of(at) == {
        "period": "egen",
        "fran": "2024-03-01",
        "till": "2024-03-31",
        "omrade": "timra-centrum,vivsta",
    }


def test_traffic_controls_at_risk_places_this_year(logged):
    at = _open("pages/trafikkontroller.py", {"riskplats": "ja"})
    # April 1, May summary 4, December summary 2 × 12/20; the June control is no risk place
    assert _metrics(at) == {
        "Trafikkontroller": "6,2",
        "Kontrollerade fordon": "140",
        "Utandningsprov": "112",
        "Misstänkt rattfylleri": "1",
        "Misstänkt drograttfylleri": "1",
        "Hastighetsöverträdelser": "5",
        "Olämpligt beteende i trafiken": "0",  # no row of the log says
        "Rattfylleri per 1 000 prov": "8,9",  # 1 / 112 × 1 000
        "Drograttfylleri per 1 000 prov": "8,9",
        "Hastighetsöverträdelser per 100 fordon": "3,6",  # 5 / 140 × 100
    }
    count, areas, rates, speeding = _charts(at)  # one unit per axis: per 1 000 tests, per 1 000 vehicles
    assert count["data"][0]["y"] == [0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 0, 1.2]
    assert _title(rates) == (
        "Misstänkt rattfylleri och drograttfylleri per 1 000 utandningsprov, per månad, 1 januari–31 december 2024"
    )
    assert rates["layout"]["yaxis"]["title"]["text"] == "per 1 000 utandningsprov"
    assert speeding["layout"]["yaxis"]["title"]["text"] == "per 1 000 kontrollerade fordon"
    assert [line["name"] for line in speeding["data"]] == ["Hastighetsöverträdelser"]
    drunk = rates["data"][0]["y"]
    assert drunk[4] == 10 and drunk[11] == 0 and drunk[0] is None  # May 1 per 100 tests; December 0 per 12
    assert len(at.dataframe[0].value) == 3


def test_changing_a_filter_rewrites_the_link(logged):
    at = _open("pages/trafikkontroller.py")
    assert _metrics(at)["Trafikkontroller"] == "7,2"
    risk = at.selectbox(key="explore:trafikkontroller:risk_place")
    assert risk.value == "alla"  # shown as "Alla platser", not as an empty field
    risk.select("nej")
    at.run()
    assert query_of(at) == {"riskplats": "nej"}
    assert (_metrics(at)["Trafikkontroller"], _metrics(at)["Utandningsprov"]) == ("1", "50")


def test_custom_dates_chosen_on_the_page_go_into_the_link(logged):
    at = _open("pages/fotpatrull.py")
    at.selectbox(key="explore:fotpatrull:preset").select("egen")
    at.run()
    at.date_input(key="explore:fotpatrull:start").set_value(dt.date(2024, 3, 6))
    at.date_input(key="explore:fotpatrull:end").set_value(dt.date(2024, 3, 7))
    at.run()
    assert query_of(at) == {"period": "egen", "fran": "2024-03-06", "till": "2024-03-07"}
    assert _metrics(at)["Fotpatruller"] == "2"  # Vivsta and Söråker


def test_a_tractor_season_and_share_of_illegal_vehicles(logged):
    at = _open("pages/a_traktorer.py", {"period": "egen", "fran": "2024-04-01", "till": "2024-10-31"})
    assert _metrics(at) == {
        "Insatser": "2",
        "Kontrollerade fordon": "15",
        "Olagliga eller ombyggda": "3",
        "Körförbud": "2",
        "Anmälningar": "1",
        "Andel olagliga, %": "20",
    }
    count, share, _ = _charts(at)
    assert count["data"][0]["x"] == ["apr", "maj", "jun", "jul", "aug", "sep", "okt"]
    assert count["data"][0]["y"] == [0, 1, 0, 0, 0, 1, 0]
    assert share["data"][0]["y"] == [None, 30, None, None, None, 0, None]  # 3 of 10 in May, 0 of 5 in September


def test_information_meetings_for_guardians_and_other_adults(logged):
    at = _open("pages/informationstraffar.py", {"malgrupp": "vårdnadshavare,andra viktiga vuxna"})
    assert _metrics(at) == {"Informationsträffar": "2", "Deltagare": "35", "Deltagare per träff": "17,5"}
    topics = next(c for c in _charts(at) if _title(c).startswith("Informationsträffar och deltagare per ämne"))
    assert sorted(zip(topics["data"][0]["y"], topics["data"][0]["x"], strict=True)) == [
        ("Alkohol", 1),
        ("Narkotika", 1),
        ("Våld i nära relation", 1),
    ]
    assert "Antal: 1 · deltagare: 20" in topics["data"][0]["text"]


def test_drug_operations_in_june_in_cooperation(logged):
    at = _open("pages/droghandel.py", {"org": "samverkan", "fran": "2024-06-01", "till": "2024-06-30"})
    assert _metrics(at) == {"Insatser": "1", "Kontrollerade personer": "5", "Beslag": "0", "Anmälningar": "0"}
    assert query_of(at) == {"period": "egen", "fran": "2024-06-01", "till": "2024-06-30", "org": "samverkan"}


def test_violence_work_since_the_last_meeting(logged):
    logged.save_meeting(None, dt.date(2024, 11, 12), "Rådet för trygghet och hälsa", None, user=TESTER)
    at = _open("pages/vald_i_nara_relation.py", {"period": "mote"})
    # 13 November–31 December: the awareness days of 25 and 26 November, no training
    assert _metrics(at) == {
        "Utbildningstillfällen": "0",
        "Deltagartillfällen i utbildning": "0",
        "Informationsinsatser": "2",
        "Nådda personer": "300",
    }
    assert "Sedan rådets senaste möte: 13 november–31 december 2024" in at.markdown[0].value.replace("\\", "")


def test_since_the_last_meeting_without_meetings_says_so(logged):
    at = _open("pages/vald_i_nara_relation.py", {"period": "mote"})
    assert [i.value.replace("\\", "") for i in at.info] == [
        "Inga tidigare möten med rådet är registrerade. Sidan visar i år i stället."
    ]
    assert _metrics(at)["Deltagartillfällen i utbildning"] == "47"  # 25 + 10 + 12 in 2024


def test_all_activities_of_two_types(logged):
    at = _open("pages/aktiviteter.py", {"typ": "trafikkontroll,a-traktor"})
    assert _metrics(at) == {"Aktiviteter": "9,2", "Timmar": "0"}  # 7,2 controls + 2 A-tractor operations
    [count] = _charts(at)  # no hours chart: none of these activities has a duration
    assert "Ingen av aktiviteterna i urvalet har en angiven varaktighet, så timmar per månad kan inte visas." in [
        c.value for c in at.caption
    ]
    assert [trace["name"] for trace in count["data"]] == [
        "Trafikkontroller",
        "A-traktorkontroller och insatser mot buskörning",
        "Samma period i fjol",
    ]
    assert [trace["marker"]["color"] for trace in count["data"][:2]] == ["#E69F00", "#009E73"]
    table = at.dataframe[0].value
    assert len(table) == 6 and "Kontrollerade fordon" in table.columns and "Medborgarkontakter" not in table.columns


def test_bad_parameters_fall_back_with_notices(logged):
    at = _open(
        "pages/fotpatrull.py",
        {"period": "egen", "fran": "2024-13-01", "till": "2024-12-31", "omrade": "vivsta,atlantis", "riskplats": "ja"},
    )
    assert [i.value.replace("\\", "") for i in at.info] == [
        "Adressen innehåller ”riskplats”, som inte är ett filter på den här sidan. Det används inte.",
        "Adressen anger datumet från och med ”2024-13-01”, som inte är ett datum (ÅÅÅÅ-MM-DD). "
        "Sidan visar i år i stället.",
        "Adressen anger området ”atlantis”, som inte finns. Det är borttaget ur urvalet.",
    ]
    assert query_of(at) == {"omrade": "vivsta"}
    assert _metrics(at)["Fotpatruller"] == "1"
    at.run()  # the repaired link reads cleanly: no notice the second time
    assert not at.info


def test_an_empty_selection_says_what_to_change_and_draws_nothing(logged):
    at = _open("pages/fotpatrull.py", {"fran": "2022-01-01", "till": "2022-12-31"})
    assert [i.value for i in at.info] == [
        "Inga fotpatruller finns i loggen för urvalet (1 januari–31 december 2022). Välj en längre period i "
        "sidomenyn, fler områden eller organisationer, eller ta bort filter."
    ]
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric and not at.get("download_button")


# --- hours per week or month, with last year ----------------------------------------------------------


def _hours(at: AppTest) -> dict:
    return next(c for c in _charts(at) if _title(c).startswith("Timmar med "))


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


NO_DURATION = "Ingen av aktiviteterna i urvalet har en angiven varaktighet, så timmar per månad kan inte visas."


def test_traffic_control_hours_per_month_with_last_year(timed):
    at = _open("pages/trafikkontroller.py")
    count, hours, *_ = _charts(at)  # hours right after the count chart, at its grain
    assert _title(hours) == "Timmar med trafikkontroller per månad, 1 januari–31 december 2024, och samma period i fjol"
    bars, last_year = hours["data"]
    assert (
        bars["x"]
        == count["data"][0]["x"]
        == ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    )
    # TIMED: 15 April 90 min; the 25 June–4 July summary 600 min: 6/10 in June, 4/10 in July; LOG has no durations
    assert bars["y"] == [0, 0, 0, 1.5, 0, 6, 4, 0, 0, 0, 0, 0]
    # 20 April 2023, 60 min; the log starts that day, so January–March 2023 are gaps
    assert last_year["y"] == [None, None, None, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert bars["marker"]["color"] == "#E69F00" and bars["name"] == "Trafikkontroller"
    assert "apr: 1,5 timmar" in bars["customdata"] and "jun: 6 timmar" in bars["customdata"]
    assert hours["layout"]["separators"] == ", " and hours["layout"]["yaxis"]["title"]["text"] == "timmar"


def test_traffic_controls_without_durations_say_so_instead_of_an_hours_chart(timed):
    at = _open("pages/trafikkontroller.py", {"riskplats": "nej"})
    assert _metrics(at)["Trafikkontroller"] == "1"  # LOG's June control, logged without a duration
    assert NO_DURATION in _captions(at)
    assert not any(_title(c).startswith("Timmar") for c in _charts(at))
    assert len(_charts(at)) == 4  # count, area, and the rates per 1 000 tests and per 1 000 vehicles


def test_a_tractor_hours_per_month_with_last_year(timed):
    at = _open("pages/a_traktorer.py")
    hours = _charts(at)[1]
    assert _title(hours) == (
        "Timmar med insatser mot A-traktorer per månad, 1 januari–31 december 2024, och samma period i fjol"
    )
    bars, last_year = hours["data"]
    assert bars["y"] == [0, 0, 0, 0, 2.5, 0, 0, 0, 0, 0, 0, 0]  # 20 May 150 min
    # 9 September 2023 120 min; nothing logged before 20 April 2023
    assert last_year["y"] == [None, None, None, 0, 0, 0, 0, 0, 2, 0, 0, 0]
    assert bars["marker"]["color"] == "#009E73"


def test_drug_operation_hours_per_week_with_the_same_weeks_last_year(timed):
    at = _open("pages/droghandel.py", {"fran": "2024-08-01", "till": "2024-08-31"})
    count, hours, _ = _charts(at)
    assert _title(hours) == (
        "Timmar med insatser mot öppen droghandel per vecka, 1 augusti–31 augusti 2024, och samma period i fjol"
    )
    bars, last_year = hours["data"]
    assert bars["x"] == count["data"][0]["x"] == ["v. 31", "v. 32", "v. 33", "v. 34", "v. 35"]
    # 16 August (week 33) 180 min; LOG's 15 August operation has no duration. Last year is 52 weeks back,
    # 3 August–1 September 2023: 18 August 2023, 120 min, drawn on week 33.
    assert bars["y"] == [0, 0, 3, 0, 0] and last_year["y"] == [0, 0, 2, 0, 0]
    assert count["data"][0]["y"] == [0, 0, 2, 0, 0]  # both operations count, with or without a duration
    assert bars["marker"]["color"] == "#D55E00"


def test_violence_work_hours_stacked_by_type(timed):
    at = _open("pages/vald_i_nara_relation.py")
    hours = _charts(at)[1]
    assert _title(hours) == (
        "Timmar med utbildningar eller informationsinsatser per månad, "
        "1 januari–31 december 2024, och samma period i fjol"
    )
    training, awareness, last_year = hours["data"]
    assert (training["name"], training["marker"]["color"]) == ("Utbildningar av personal", "#56B4E9")
    assert (awareness["name"], awareness["marker"]["color"]) == (
        "Informationsinsatser om våld i nära relation",
        "#7F5FB0",
    )
    assert training["y"] == [0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0]  # 2 September 480 min
    assert awareness["y"] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0]  # 27 November 300 min
    assert last_year["y"] == [None] * 3 + [0] * 9  # the log starts 20 April 2023


def test_violence_work_without_durations_says_so(logged):
    at = _open("pages/vald_i_nara_relation.py")
    assert NO_DURATION in _captions(at)
    assert not any(_title(c).startswith("Timmar") for c in _charts(at))


def test_all_activities_hours_per_month_by_type(timed):
    at = _open("pages/aktiviteter.py")
    # 4,5 foot patrol (120 + 90 + 60 min in March) + 1,5 + 6 + 4 traffic + 2,5 A-tractor + 3 drugs + 8 training
    # + 5 awareness = 34,5; last year 10 (the 31 December 2023 patrol, 600 min) + 1 + 2 + 2 = 15
    assert _metrics(at)["Timmar"] == "34,5"
    assert at.metric[1].delta == "+19,5 mot samma period i fjol"
    hours = _hours(at)
    assert _title(hours) == "Timmar med aktiviteter per månad, 1 januari–31 december 2024, och samma period i fjol"
    *bars, last_year = hours["data"]
    assert {bar["name"]: (bar["marker"]["color"], bar["y"]) for bar in bars} == {
        "Fotpatruller": ("#0072B2", [0, 0, 4.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        "Trafikkontroller": ("#E69F00", [0, 0, 0, 1.5, 0, 6, 4, 0, 0, 0, 0, 0]),
        "A-traktorkontroller och insatser mot buskörning": ("#009E73", [0, 0, 0, 0, 2.5, 0, 0, 0, 0, 0, 0, 0]),
        "Insatser mot öppen droghandel": ("#D55E00", [0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0]),
        "Utbildningar av personal": ("#56B4E9", [0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0]),
        "Informationsinsatser om våld i nära relation": ("#7F5FB0", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0]),
    }
    # April 2023 traffic 1, August 2023 drugs 2, September 2023 A-tractor 2, December 2023 patrol 10
    assert last_year["y"] == [None, None, None, 1, 0, 0, 0, 2, 2, 0, 0, 10]  # the log starts 20 April 2023
    # information meetings are logged without durations: no empty bars, a sentence instead
    assert "Utan angiven varaktighet i urvalet, och därför inte med i timmarna: Informationsträffar." in _captions(at)
