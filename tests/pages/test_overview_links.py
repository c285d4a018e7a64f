"""The overview is linkable (agreement, grain and period in the URL, bad values fall back with a notice),
and its cards speak proper Swedish: units with the indicator's decimals, singular for exactly 1.

The parsing is pure and tested without Streamlit; a few AppTest runs check that a link opens its view,
that reloading it gives the same view and that the URL follows the widgets.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page, query_of
from tests.factories import activity, add_rows
from trygghet.exploration.period_links import (
    PeriodView,
    named_period,
    parse_period_query,
    period_key,
    period_options,
    period_query,
)
from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.indicators import registry
from trygghet.figures.periods import AgreementSpan, Grain, period_containing
from trygghet.figures.progress import Status
from trygghet.formatting import format_count, singular_sv
from trygghet.web.ui import card_target_caption

D = dt.date
AGREEMENTS = [
    AgreementSpan("samverkan-2019", "Samverkansöverenskommelse 2019–2023", D(2019, 4, 1), D(2023, 3, 31)),
    AgreementSpan("medborgarlofte-2023", "Medborgarlöfte 2023–2024", D(2023, 1, 1), D(2024, 12, 31)),
]
TODAY = D(2024, 6, 30)


# --- period keys -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "grain,day,key",
    [
        (Grain.YEAR, D(2024, 6, 30), "2024"),
        (Grain.TERTIAL, D(2024, 6, 30), "2024-T2"),
        (Grain.QUARTER, D(2024, 2, 1), "2024-Q1"),
        (Grain.MONTH, D(2024, 3, 9), "2024-03"),
        (Grain.WEEK, D(2024, 2, 1), "2024-W05"),
        (Grain.WEEK, D(2021, 1, 3), "2020-W53"),
    ],
)  # ISO week of 2020
def test_period_keys_name_calendar_periods_and_read_back(grain, day, key):
    period = period_containing(grain, day)
    assert period_key(period) == key
    assert named_period(grain, key) == period


@pytest.mark.parametrize(
    "grain,key",
    [
        (Grain.MONTH, "2024-13"),
        (Grain.MONTH, "2024-3"),
        (Grain.QUARTER, "2024-Q5"),
        (Grain.TERTIAL, "2024-Q1"),
        (Grain.WEEK, "2024-W53"),
        (Grain.WEEK, "2024-W00"),
        (Grain.YEAR, "0000"),
        (Grain.YEAR, "år"),
        (Grain.YEAR, "2024-01"),
    ],
)
def test_a_key_that_names_no_period_is_refused(grain, key):
    assert named_period(grain, key) is None


def test_a_period_cut_by_its_agreement_keeps_the_name_of_the_whole_period():
    options = period_options(Grain.YEAR, AGREEMENTS[0], TODAY)
    assert list(options) == ["2023", "2022", "2021", "2020", "2019"]
    assert options["2019"].start == D(2019, 4, 1)
    assert options["2019"].label == "2019 (1 april–31 december 2019)"
    assert list(period_options(Grain.WEEK, AGREEMENTS[1], TODAY))[:2] == ["2024-W26", "2024-W25"]
    assert list(period_options(Grain.AGREEMENT, AGREEMENTS[1], TODAY)) == ["hela"]


# --- parsing a link ----------------------------------------------------------------------------------------


def test_no_parameters_give_the_default_view_without_notices():
    assert parse_period_query({}, AGREEMENTS, TODAY) == (PeriodView("medborgarlofte-2023", Grain.YEAR, "2024"), [])


@pytest.mark.parametrize(
    "query",
    [
        {"overenskommelse": "samverkan-2019", "indelning": "quarter", "period": "2020-Q3"},
        {"overenskommelse": "medborgarlofte-2023", "indelning": "tertial", "period": "2023-T1"},
        {"overenskommelse": "medborgarlofte-2023", "indelning": "month", "period": "2024-06"},
        {"overenskommelse": "medborgarlofte-2023", "indelning": "week", "period": "2024-W10"},
        {"overenskommelse": "samverkan-2019", "indelning": "year", "period": "2019"},
        {"overenskommelse": "samverkan-2019", "indelning": "agreement"},
    ],
)
def test_a_canonical_link_reads_back_to_itself(query):
    view, notices = parse_period_query(query, AGREEMENTS, TODAY)
    assert notices == []
    assert period_query(view) == query


def test_case_and_spaces_in_a_hand_typed_link_are_forgiven():
    view, notices = parse_period_query(
        {"overenskommelse": " samverkan-2019 ", "indelning": "Week", "period": "2020-w09 "}, AGREEMENTS, TODAY
    )
    assert (view, notices) == (PeriodView("samverkan-2019", Grain.WEEK, "2020-W09"), [])


def test_the_whole_agreement_ignores_a_period():
    view, notices = parse_period_query({"indelning": "agreement", "period": "2024"}, AGREEMENTS, TODAY)
    assert (view, notices) == (PeriodView("medborgarlofte-2023", Grain.AGREEMENT, "hela"), [])


@pytest.mark.parametrize(
    "query,view,notice",
    [
        (
            {"overenskommelse": "medborgarlofte-2027", "indelning": "month", "period": "2024-03"},
            PeriodView("medborgarlofte-2023", Grain.MONTH, "2024-03"),
            "Adressen anger överenskommelsen ”medborgarlofte-2027”, som inte finns. Sidan visar Medborgarlöfte 2023–2024 "
            "i stället.",
        ),
        (
            {"indelning": "dag", "period": "2024-03"},
            PeriodView("medborgarlofte-2023", Grain.YEAR, "2024"),
            "Adressen anger indelningen ”dag”, som inte finns. Sidan visar indelningen år i stället.",
        ),
        (
            {"indelning": "meetings"},
            PeriodView("medborgarlofte-2023", Grain.YEAR, "2024"),
            "Adressen anger indelningen ”meetings”, som inte finns. Sidan visar indelningen år i stället.",
        ),
        (
            {"indelning": "month", "period": "2024-13"},
            PeriodView("medborgarlofte-2023", Grain.MONTH, "2024-06"),
            "Adressen anger perioden ”2024-13”, som inte är en månad (till exempel 2024-03). Sidan visar juni 2024 "
            "i stället.",
        ),
        (
            {"indelning": "quarter", "period": "2024-09"},
            PeriodView("medborgarlofte-2023", Grain.QUARTER, "2024-Q2"),
            "Adressen anger perioden ”2024-09”, som inte är ett kvartal (till exempel 2024-Q1). Sidan visar kvartal 2 "
            "2024 i stället.",
        ),
        (
            {"period": "2020"},
            PeriodView("medborgarlofte-2023", Grain.YEAR, "2024"),  # stale: another agreement's year
            "Adressen anger perioden ”2020”, som ligger utanför Medborgarlöfte 2023–2024 (1 januari 2023–31 december "
            "2024). Sidan visar 2024 i stället.",
        ),
        (
            {"indelning": "month", "period": "2024-09"},
            PeriodView("medborgarlofte-2023", Grain.MONTH, "2024-06"),
            "Adressen anger perioden ”2024-09”, som inte har börjat än. Sidan visar juni 2024 i stället.",
        ),
        (
            {"sida": "2"},
            PeriodView("medborgarlofte-2023", Grain.YEAR, "2024"),
            "Adressen innehåller ”sida”, som inte är ett val på den här sidan. Det används inte.",
        ),
    ],
)
def test_a_wrong_or_stale_parameter_falls_back_to_the_default_with_a_notice(query, view, notice):
    assert parse_period_query(query, AGREEMENTS, TODAY) == (view, [notice])


def test_a_runaway_value_is_cut_in_the_notice():
    view, [notice] = parse_period_query({"period": "x" * 5000}, AGREEMENTS, TODAY)
    assert view == PeriodView("medborgarlofte-2023", Grain.YEAR, "2024")
    assert f"”{'x' * 40}…”" in notice and len(notice) < 200


def test_after_every_agreement_the_latest_one_is_the_default():
    view, _ = parse_period_query({}, AGREEMENTS, D(2026, 2, 1))
    assert view == PeriodView("medborgarlofte-2023", Grain.YEAR, "2024")


# --- the page ------------------------------------------------------------------------------------------------


def _open(query: dict[str, str] | None = None) -> AppTest:
    at = open_page(query=query)
    assert not at.error, [e.value for e in at.error]
    return at


def _heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**"))


@pytest.fixture
def one_meeting(store_with, monkeypatch):
    """One information meeting for guardians about alcohol on 5 March 2024."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    return store_with(_one_meeting)


def _one_meeting(store) -> None:
    add_rows(store, [activity("info_meeting", "2024-03-05", participants=12)])


def test_a_link_opens_its_view_and_reloading_gives_the_same(one_meeting):
    link = {"overenskommelse": "samverkan-2019", "indelning": "quarter", "period": "2020-Q3"}
    for _ in range(2):  # the second visit is a reload of the same address
        at = _open(link)
        assert _heading(at) == (
            "**Samverkansöverenskommelse 2019–2023** · kvartal 3 2020 · till och med 30 september 2020"
        )
        assert at.selectbox(key="period-picker:grain").value == "quarter"
        assert query_of(at) == link
        assert not any("Adressen" in i.value or "gällde till" in i.value for i in at.info)  # a later one exists


def test_a_link_to_a_week(one_meeting):
    at = _open({"overenskommelse": "medborgarlofte-2023", "indelning": "week", "period": "2024-W10"})
    assert _heading(at) == "**Medborgarlöfte 2023–2024** · vecka 10 2024 · till och med 10 mars 2024"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Informationsträffar för vårdnadshavare och andra viktiga vuxna"] == "1 träff"


def test_without_parameters_the_default_view_is_written_to_the_url(one_meeting):
    at = _open()
    assert _heading(at) == "**Medborgarlöfte 2023–2024** · 2024 · till och med 30 juni 2024"
    assert query_of(at) == {"overenskommelse": "medborgarlofte-2023", "indelning": "year", "period": "2024"}


def test_the_url_follows_the_widgets(one_meeting):
    at = _open()
    at.selectbox(key="period-picker:grain").set_value("month").run()
    assert query_of(at) == {"overenskommelse": "medborgarlofte-2023", "indelning": "month", "period": "2024-06"}
    at.selectbox(key="period-picker:period:medborgarlofte-2023:month").set_value("2024-03").run()
    assert query_of(at) == {"overenskommelse": "medborgarlofte-2023", "indelning": "month", "period": "2024-03"}
    assert _heading(at).startswith("**Medborgarlöfte 2023–2024** · mars 2024 ·")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Informationsträffar för vårdnadshavare och andra viktiga vuxna"] == "1 träff"
    assert metrics["Deltagare på informationsträffar"] == "12 deltagare"


def test_a_bad_link_shows_the_default_with_a_notice_and_no_error(one_meeting):
    at = _open({"overenskommelse": "<b>okänd</b>", "indelning": "month", "period": "2024-**13**"})
    infos = [i.value for i in at.info]
    assert any("överenskommelsen" in i and "okänd" in i for i in infos)
    assert any("2024" in i and "13" in i and "som inte är en månad" in i for i in infos)
    assert not any("<b>" in i or "**13**" in i for i in infos)  # shown as text, markdown escaped
    assert _heading(at).startswith("**Medborgarlöfte 2023–2024** · juni 2024 ·")
    assert query_of(at) == {"overenskommelse": "medborgarlofte-2023", "indelning": "month", "period": "2024-06"}


# --- Swedish on the cards --------------------------------------------------------------------------------------


def _figure(**fields) -> IndicatorFigure:
    values = dict(
        id="x",
        title="Hastighetskontroller",
        unit="kontroller",
        phrase="hastighetskontroller",
        decimals=0,
        colour="#000000",
        is_ratio=False,
        actual=76,
        target=200,
        prorated=80.0,
        share=0.38,
        forecast=150,
        status=Status.BEHIND,
        target_text="200 per år",
        example_target=True,
        last_data=None,
        previous_meeting=None,
        since_meeting=None,
        last_year=None,
        period_label="2024",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        monthly=(),
        cumulative=(),
        target_line=(),
    )
    return IndicatorFigure(**(values | fields))


def test_the_pro_rated_target_has_the_indicators_decimals_and_unit():
    assert card_target_caption(_figure()) == (
        "Mål 200 kontroller (200 per år) (exempelmål, inte beslutat av rådet). Mål hittills: 80 kontroller. "
        "Prognos vid periodens slut: 150 kontroller."
    )
    hours = _figure(
        unit="timmar",
        decimals=1,
        target=300,
        prorated=133.6,
        forecast=20.5,
        example_target=False,
        target_text="300 per år",
    )
    assert card_target_caption(hours) == (
        "Mål 300 timmar (300 per år). Mål hittills: 133,6 timmar. Prognos vid periodens slut: 20,5 timmar."
    )


def test_a_counts_target_in_running_text_is_whole():
    # 2023's 2 206 tests + 5 % = 2 316,3: a count has no decimals, so the text says 2 316 (hours keep theirs).
    tests = _figure(unit="prov", target=2316.3, prorated=1158.15, forecast=1000, target_text="2023 + 5 %")
    assert tests.target_figure == "2\u00a0316 prov" and tests.target_number == "2\u00a0316"
    assert card_target_caption(tests).startswith("Mål 2\u00a0316 prov (2023 + 5 %)")
    assert _figure(unit="timmar", decimals=1, target=2.5).target_figure == "2,5 timmar"
    assert _figure(unit="timmar", decimals=1, target=300.0).target_figure == "300 timmar"


def test_a_target_of_one_is_singular():
    assert card_target_caption(_figure(target=1, prorated=0.6, forecast=1, unit="tillfällen")) == (
        "Mål 1 tillfälle (200 per år) (exempelmål, inte beslutat av rådet). Mål hittills: 1 tillfälle. "
        "Prognos vid periodens slut: 1 tillfälle."
    )


# Every unit and phrase of the indicators, in singular; a new indicator must add its own here.
SINGULAR = {
    "insatser": "insats",
    "fordon": "fordon",
    "patruller": "patrull",
    "kontakter": "kontakt",
    "timmar": "timme",
    "träffar": "träff",
    "deltagare": "deltagare",
    "medarbetare": "medarbetare",
    "tillfällen": "tillfälle",
    "kontroller": "kontroll",
    "prov": "prov",
    "personer": "person",
    "insatser mot A-traktorer och buskörning": "insats mot A-traktorer och buskörning",
    "kontrollerade fordon": "kontrollerat fordon",
    "insatser mot öppen droghandel": "insats mot öppen droghandel",
    "fotpatruller i centrala Timrå": "fotpatrull i centrala Timrå",
    "medborgarkontakter": "medborgarkontakt",
    "träffar om alkohol och narkotika": "träff om alkohol och narkotika",
    "träffar för vårdnadshavare och andra vuxna": "träff för vårdnadshavare och andra vuxna",
    "utbildade medarbetare": "utbildad medarbetare",
    "utbildningstillfällen": "utbildningstillfälle",
    "insatser i samverkan": "insats i samverkan",
    "hastighetskontroller": "hastighetskontroll",
    "utandningsprov": "utandningsprov",
    "kontroller vid riskplatser": "kontroll vid riskplatser",
    "informationsinsatser": "informationsinsats",
    "nådda personer": "nådd person",
    # The indicators measured as the promises are worded (issue 15).
    "aktiviteter": "aktivitet",
    "aktiviteter om nätdroger": "aktivitet om nätdroger",
    "deltagartillfällen": "deltagartillfälle",
    "fall": "fall",
    "fall av olämpligt beteende i trafiken": "fall av olämpligt beteende i trafiken",
    "fotpatruller i hela kommunen": "fotpatrull i hela kommunen",
    "timmar fotpatrull i hela kommunen": "timme fotpatrull i hela kommunen",
    "hastighetskontroller på alla platser": "hastighetskontroll på alla platser",
    "hastighetskontroller vid riskplatser": "hastighetskontroll vid riskplatser",
    "informationsträffar för unga": "informationsträff för unga",
    "insatser i samverkan mot öppen droghandel": "insats i samverkan mot öppen droghandel",
    "insatser i samverkan mot droghandel med fokus på unga": "insats i samverkan mot droghandel med fokus på unga",
    "insatser mot öppen droghandel av polisen ensam": "insats mot öppen droghandel av polisen ensam",
    "insatser mot öppen droghandel av kommunen ensam": "insats mot öppen droghandel av kommunen ensam",
    "utandningsprov vid riskplatser": "utandningsprov vid riskplatser",
    "utandningsprov vid alla kontroller": "utandningsprov vid alla kontroller",
}


def test_every_counted_unit_and_phrase_has_its_singular():
    counted = [i for i in registry().values() if not i.is_ratio]
    words = {i.unit for i in counted} | {i.phrase or i.unit for i in counted}
    assert words <= set(SINGULAR), f"add the singular of {sorted(words - set(SINGULAR))}"
    for plural, single in SINGULAR.items():
        assert singular_sv(plural) == single


@pytest.mark.parametrize(
    "value,decimals,text",
    [
        (1, 0, "1 tillfälle"),
        (0, 0, "0 tillfällen"),
        (2, 0, "2 tillfällen"),
        (1.0, 1, "1,0 tillfällen"),
        (1.04, 0, "1 tillfälle"),
        (1234, 0, "1\u00a0234 tillfällen"),
    ],
)
def test_only_a_figure_that_reads_one_is_singular(value, decimals, text):
    assert format_count(value, decimals, "tillfällen") == text


def test_figure_texts_and_phrases_for_one():
    fig = _figure(unit="träffar", phrase="träffar om alkohol och narkotika")
    assert (fig.text(1), fig.phrased(1), fig.text(3), fig.phrased(3)) == (
        "1 träff",
        "1 träff om alkohol och narkotika",
        "3 träffar",
        "3 träffar om alkohol och narkotika",
    )
    assert _figure(unit="timmar", decimals=1).text(1) == "1,0 timmar"
    assert _figure().text(None) == "inget underlag"
