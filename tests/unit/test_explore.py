"""The exploration filter model: every query parameter, good and bad, and the periods the presets mean."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import activity, add_rows
from trygghet.exploration.figures import measures, view_figures
from trygghet.exploration.model import (
    COMMON_PARAMS,
    PARAMS,
    VIEWS,
    FilterOptions,
    Filters,
    Preset,
    Selection,
    Window,
    activity_table,
    bucket_label,
    buckets,
    figure_text,
    metric,
    parse_query,
    per_bucket,
    ratio_per_bucket,
    resolve_period,
    selection,
    to_query,
    weekday_hour_matrix,
)
from trygghet.figures.indicators import Ratio, Sum, registry
from trygghet.figures.indicators._rules import check
from trygghet.reference.activity_types import AUDIENCES, CONTROL_KINDS, TOPICS

AREAS = ("timra-centrum", "vivsta", "soraker")
ALL = FilterOptions(tuple(PARAMS), AREAS)
FOOT = FilterOptions(VIEWS["fotpatrull"].options_params, AREAS)
TODAY = dt.date(2024, 6, 30)
AGREEMENT = ("Medborgarlöfte 2023–2024", dt.date(2023, 1, 1), dt.date(2024, 12, 31))


def parse(query, options=ALL):
    return parse_query(query, options)


def test_no_parameters_mean_this_year_everything():
    filters, notices = parse({})
    assert filters == Filters()
    assert (filters.preset, filters.areas, filters.risk_place) == (Preset.YEAR, (), None)
    assert notices == []


@pytest.mark.parametrize(
    "query,field,value",
    [
        ({"period": "manad"}, "preset", Preset.MONTH),
        ({"period": "mote"}, "preset", Preset.MEETING),
        ({"period": "ar"}, "preset", Preset.YEAR),
        ({"period": "overenskommelse"}, "preset", Preset.AGREEMENT),
        ({"period": "12man"}, "preset", Preset.LAST_12),
        ({"omrade": "soraker,vivsta"}, "areas", ("soraker", "vivsta")),
        ({"omrade": " vivsta , vivsta ,"}, "areas", ("vivsta",)),
        ({"org": "polisen,samverkan"}, "organisations", ("polisen", "samverkan")),
        ({"typ": "fotpatrull,a-traktor"}, "types", ("fotpatrull", "a-traktor")),
        ({"riskplats": "ja"}, "risk_place", True),
        ({"riskplats": "NEJ"}, "risk_place", False),
        ({"kontroll": "nykterhet,kombinerad"}, "control_kinds", ("nykterhet", "kombinerad")),
        ({"amne": "våld i nära relation,alkohol"}, "topics", ("våld i nära relation", "alkohol")),
        ({"malgrupp": "vårdnadshavare"}, "audiences", ("vårdnadshavare",)),
    ],
)
def test_every_parameter_is_read(query, field, value):
    filters, notices = parse(query)
    assert getattr(filters, field) == value
    assert notices == []


def test_custom_dates_are_read_and_imply_a_custom_period():
    filters, notices = parse({"fran": "2024-06-01", "till": "2024-08-31"})
    assert (filters.preset, filters.start, filters.end) == (Preset.CUSTOM, dt.date(2024, 6, 1), dt.date(2024, 8, 31))
    assert notices == []


@pytest.mark.parametrize(
    "query,notice",
    [
        (
            {"period": "förra-veckan"},
            "Adressen anger perioden ”förra-veckan”, som inte finns. Sidan visar i år i stället.",
        ),
        (
            {"period": "egen", "fran": "2024-13-01", "till": "2024-12-31"},
            "Adressen anger datumet från och med ”2024-13-01”, som inte är ett datum (ÅÅÅÅ-MM-DD). Sidan visar i år i stället.",
        ),
        (
            {"period": "egen", "fran": "0001-01-01", "till": "2024-12-31"},
            "Adressen anger datumet från och med ”0001-01-01”, som ligger utanför åren 2000–2099. Sidan visar i år i stället.",
        ),
        (
            {"period": "egen", "fran": "2024-01-01", "till": "igår"},
            "Adressen anger datumet till och med ”igår”, som inte är ett datum (ÅÅÅÅ-MM-DD). Sidan visar i år i stället.",
        ),
        (
            {"period": "egen", "fran": "2024-08-31", "till": "2024-06-01"},
            "Perioden i adressen slutar före den börjar. Sidan visar i år i stället.",
        ),
        (
            {"period": "egen"},
            "Egna datum i adressen behöver både från och med och till och med. Sidan visar i år i stället.",
        ),
        (
            {"fran": "2024-06-01"},
            "Egna datum i adressen behöver både från och med och till och med. Sidan visar i år i stället.",
        ),
        ({"riskplats": "kanske"}, "Adressen anger riskplatsvalet ”kanske”, som inte finns. Filtret används inte."),
        ({"omrade": "atlantis"}, "Adressen anger området ”atlantis”, som inte finns. Det är borttaget ur urvalet."),
        ({"org": "fbi"}, "Adressen anger organisationen ”fbi”, som inte finns. Det är borttaget ur urvalet."),
        (
            {"typ": "foot_patrol"},
            "Adressen anger aktivitetstypen ”foot_patrol”, som inte finns. Det är borttaget ur urvalet.",
        ),
        (
            {"kontroll": "radar"},
            "Adressen anger typen av kontroll ”radar”, som inte finns. Det är borttaget ur urvalet.",
        ),
        ({"amne": "fiske"}, "Adressen anger ämnet ”fiske”, som inte finns. Det är borttaget ur urvalet."),
        (
            {"malgrupp": "rektorer"},
            "Adressen anger målgruppen ”rektorer”, som inte finns. Det är borttaget ur urvalet.",
        ),
    ],
)
def test_a_bad_parameter_falls_back_to_the_default_with_a_notice(query, notice):
    filters, notices = parse(query)
    assert notices == [notice]
    assert to_query(filters) == {}


def test_a_list_keeps_the_values_it_knows():
    filters, notices = parse({"omrade": "vivsta,atlantis,soraker,x' OR 1=1 --"})
    assert filters.areas == ("vivsta", "soraker")
    assert notices == [
        "Adressen anger området ”atlantis”, ”x' OR 1=1 --”, som inte finns. Det är borttaget ur urvalet."
    ]


def test_bad_parameters_are_reported_each_and_good_ones_kept():
    filters, notices = parse({"period": "igår", "omrade": "soraker", "riskplats": "2", "org": "kommunen,nasa"})
    assert (filters.preset, filters.areas, filters.risk_place, filters.organisations) == (
        Preset.YEAR,
        ("soraker",),
        None,
        ("kommunen",),
    )
    assert len(notices) == 3


def test_parameters_of_other_pages_are_ignored_with_a_notice():
    filters, notices = parse({"riskplats": "ja", "omrade": "vivsta", "utm_source": "mejl"}, FOOT)
    assert (filters.risk_place, filters.areas) == (None, ("vivsta",))
    assert notices == [
        "Adressen innehåller ”riskplats”, som inte är ett filter på den här sidan. Det används inte.",
        "Adressen innehåller ”utm_source”, som inte är ett filter på den här sidan. Det används inte.",
    ]


def test_a_long_bad_value_is_shortened_in_the_notice():
    _, notices = parse({"period": "x" * 500})
    assert notices == [f"Adressen anger perioden ”{'x' * 40}…”, som inte finns. Sidan visar i år i stället."]


def test_canonical_query_leaves_defaults_out():
    filters, _ = parse({"period": "ar", "omrade": "", "riskplats": "nej", "fran": "", "kontroll": "hastighet"})
    assert to_query(filters) == {"riskplats": "nej", "kontroll": "hastighet"}


def test_every_view_accepts_the_common_parameters():
    for view in VIEWS.values():
        assert set(COMMON_PARAMS) <= set(view.options_params)


def _lists(values):
    return st.lists(st.sampled_from(values), unique=True, max_size=3).map(tuple)


@given(
    preset=st.sampled_from([p for p in Preset if p != Preset.CUSTOM]),
    areas=_lists(AREAS),
    organisations=_lists(("polisen", "kommunen", "samverkan")),
    risk=st.sampled_from([None, True, False]),
    kinds=_lists(CONTROL_KINDS),
    topics=_lists(TOPICS),
    audiences=_lists(AUDIENCES),
    span=st.none() | st.tuples(st.dates(dt.date(2000, 1, 1), dt.date(2097, 12, 31)), st.integers(0, 800)),
)
def test_query_round_trip(preset, areas, organisations, risk, kinds, topics, audiences, span):
    dates = (
        {"preset": preset}
        if span is None
        else {"preset": Preset.CUSTOM, "start": span[0], "end": span[0] + dt.timedelta(days=span[1])}
    )
    filters = Filters(
        areas=areas,
        organisations=organisations,
        risk_place=risk,
        control_kinds=kinds,
        topics=topics,
        audiences=audiences,
        **dates,
    )
    again, notices = parse(to_query(filters))
    assert (again, notices) == (filters, [])


@pytest.mark.parametrize(
    "preset,start,end,name",
    [
        (Preset.MONTH, dt.date(2024, 6, 1), TODAY, "Denna månad"),
        (Preset.YEAR, dt.date(2024, 1, 1), TODAY, "I år"),
        (Preset.LAST_12, dt.date(2023, 7, 1), TODAY, "Senaste 12 månaderna"),
        (Preset.AGREEMENT, dt.date(2023, 1, 1), TODAY, "Medborgarlöfte 2023–2024, hela tiden"),
        (Preset.MEETING, dt.date(2024, 6, 12), TODAY, "Sedan rådets senaste möte"),
    ],
)
def test_presets_resolve_to_dates_up_to_today(preset, start, end, name):
    meetings = [dt.date(2024, 4, 9), dt.date(2024, 6, 11), dt.date(2024, 9, 10)]
    window, note = resolve_period(Filters(preset=preset), TODAY, meetings, AGREEMENT)
    assert (window.start, window.end, window.name, note) == (start, end, name, None)


def test_since_the_last_meeting_without_meetings_falls_back_to_this_year():
    window, note = resolve_period(Filters(preset=Preset.MEETING), TODAY, [dt.date(2024, 9, 10)], AGREEMENT)
    assert (window.start, window.end) == (dt.date(2024, 1, 1), TODAY)
    assert note == "Inga tidigare möten med rådet är registrerade. Sidan visar i år i stället."


def test_a_meeting_today_is_not_yet_the_last_one():
    window, _ = resolve_period(Filters(preset=Preset.MEETING), TODAY, [dt.date(2024, 6, 11), TODAY], AGREEMENT)
    assert window.start == dt.date(2024, 6, 12)


@pytest.mark.parametrize("preset", [Preset.YEAR, Preset.MONTH, Preset.LAST_12])
def test_a_page_opened_after_the_log_ends_shows_the_latest_year_with_data_and_says_so(preset):
    """On 30 November 2026 with activities up to 20 December 2024, "I år" would be empty: the page opens on
    2024 instead."""
    today = dt.date(2026, 11, 30)
    window, note = resolve_period(
        Filters(preset=preset), today, [dt.date(2024, 11, 12)], AGREEMENT, last_data=dt.date(2024, 12, 20)
    )
    assert (window.start, window.end, window.name) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024")
    assert note.startswith("Det finns inga aktiviteter för ")
    assert note.endswith("Sidan visar 2024, det senaste året med uppgifter (senaste aktiviteten 20 december 2024).")


def test_a_window_that_holds_data_is_kept_and_custom_dates_are_never_moved():
    kept, note = resolve_period(Filters(preset=Preset.YEAR), TODAY, [], AGREEMENT, last_data=dt.date(2024, 1, 2))
    assert (kept.start, note) == (dt.date(2024, 1, 1), None)
    custom = Filters(preset=Preset.CUSTOM, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    window, note = resolve_period(custom, TODAY, [], AGREEMENT, last_data=dt.date(2024, 1, 2))
    assert (window.start, note) == (dt.date(2026, 1, 1), None)


def test_custom_dates_are_taken_as_given():
    filters = Filters(preset=Preset.CUSTOM, start=dt.date(2024, 6, 1), end=dt.date(2024, 8, 31))
    window, _ = resolve_period(filters, TODAY, [], AGREEMENT)
    assert (window.start, window.end, window.label) == (
        dt.date(2024, 6, 1),
        dt.date(2024, 8, 31),
        "1 juni–31 augusti 2024",
    )


def test_short_periods_go_by_week_compared_52_weeks_back():
    window = Window(dt.date(2024, 6, 1), dt.date(2024, 8, 31), "x")
    assert window.grain == "week"  # 92 days
    assert buckets(window)[:2] == [dt.date(2024, 5, 27), dt.date(2024, 6, 3)]
    assert buckets(window)[-1] == dt.date(2024, 8, 26)
    last = window.last_year()
    assert (last.start, last.end) == (dt.date(2023, 6, 3), dt.date(2023, 9, 2))  # same weekdays
    assert [bucket_label(b, "week", False) for b in buckets(window)[:2]] == ["v. 22", "v. 23"]


def test_long_periods_go_by_month_compared_with_the_dates_a_year_back():
    window = Window(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "x")
    assert window.grain == "month"
    assert buckets(window) == [dt.date(2024, m, 1) for m in range(1, 7)]
    last = window.last_year()
    assert (last.start, last.end) == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert bucket_label(dt.date(2024, 3, 1), "month", True) == "mar 2024"


def test_last_years_buckets_are_drawn_on_this_years_axis():
    axis = [dt.date(2024, 5, 1), dt.date(2024, 6, 1)]
    frame = pd.DataFrame(
        {"month": [pd.Timestamp("2023-05-01"), pd.Timestamp("2023-06-01")], "activity_count": [2.0, 3.5]}
    )
    assert per_bucket(frame, "month", axis, "activity_count", shift=True) == [2.0, 3.5]
    assert per_bucket(frame, "month", axis, "activity_count") == [0.0, 0.0]


def test_last_year_before_the_first_logged_day_is_no_data_rather_than_zero():
    # The log starts 15 June 2023: last year's May (2023-05) has no data, its June has (two patrols, half a month).
    axis = [dt.date(2024, 5, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1)]
    frame = pd.DataFrame({"month": [pd.Timestamp("2023-06-01")], "activity_count": [2.0]})
    assert per_bucket(frame, "month", axis, "activity_count", shift=True, logged_from=dt.date(2023, 6, 15)) == [
        None,
        2.0,
        0.0,
    ]
    # Weeks: last year's week is 364 days back; the week of 2024-01-01 compares with 2023-01-02..08.
    weeks = [dt.date(2024, 1, 1), dt.date(2024, 1, 8)]
    frame = pd.DataFrame({"week": [pd.Timestamp("2023-01-09")], "activity_count": [1.0]})
    assert per_bucket(frame, "week", weeks, "activity_count", shift=True, logged_from=dt.date(2023, 1, 9)) == [
        None,
        1.0,
    ]


def test_ratio_per_bucket_has_gaps_where_nothing_was_measured():
    axis = [dt.date(2024, 5, 1), dt.date(2024, 6, 1)]
    frame = pd.DataFrame({"month": [pd.Timestamp("2024-05-01")], "illegal_vehicles": [3.0], "vehicles_checked": [10.0]})
    assert ratio_per_bucket(frame, "month", axis, registry()["atraktor_andel_olagliga"]) == [30.0, None]


def test_weekday_hour_matrix_counts_and_sets_aside_rows_without_time():
    frame = pd.DataFrame(
        {"weekday": [1, 7, 3], "hour": pd.array([18, 22, None], dtype="Int64"), "activities": [2.0, 1.0, 4.0]}
    )
    matrix, without = weekday_hour_matrix(frame)
    assert (matrix[0][18], matrix[6][22], without) == (2.0, 1.0, 4.0)
    assert sum(map(sum, matrix)) == 3.0


@pytest.mark.parametrize(
    "value,decimals,text",
    [
        (7.2, 0, "7,2"),
        (162.0, 0, "162"),
        (1234.5678, 1, "1\u00a0234,6"),
        (12.345, 1, "12,3"),
        (None, 1, "inget underlag"),
        (2.9999999999, 0, "3"),
    ],
)
def test_figure_text_shows_pro_rated_shares_with_decimals(value, decimals, text):
    assert figure_text(value, decimals) == text


def test_metric_sums_its_types_and_a_ratio_without_basis_has_no_value(tmp_store):
    add_rows(
        tmp_store,
        [
            activity("staff_training", "2024-09-01", participants=25),
            activity("staff_training", "2024-11-01", participants=12),
            activity("awareness", "2024-11-25", participants=300),
        ],
    )
    both = Selection(("staff_training", "awareness"), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    autumn = Selection(("staff_training", "awareness"), dt.date(2024, 9, 1), dt.date(2024, 10, 31))
    only_awareness = metric("x", Sum(field="participants"), ("awareness",))
    every = metric("x", Sum(field="participants"), ("staff_training", "awareness"))
    per_awareness = metric("x", Ratio(numerator="participants", denominator="activity_count"), ("awareness",))
    per_any = metric(
        "y", Ratio(numerator="participants", denominator="activity_count"), ("staff_training", "awareness")
    )
    assert view_figures(tmp_store, (only_awareness,), both, "month").metrics == (300.0,)
    assert view_figures(tmp_store, (every,), both, "month").metrics == (337.0,)  # 25 + 12 + 300
    assert view_figures(tmp_store, (per_awareness, per_any), autumn, "month").metrics == (None, 25.0)  # 25 / 1
    assert view_figures(tmp_store, (per_any,), both, "month").metrics == (337 / 3,)


def test_exploration_ratios_are_the_indicators_own(tmp_store):
    """The exploration's drunk-driving rate is the indicator's declaration, not a second formula."""
    rate = next(m for m in VIEWS["trafikkontroller"].metrics if m.title == "Rattfylleri per 1 000 prov")
    assert rate.aggregation == registry()["trafik_rattfylleri_per_1000"].aggregation
    add_rows(
        tmp_store,
        [
            activity("traffic_control", "2024-05-01", breath_tests=100, drunk_driving_suspected=1, duration_min=60),
            activity("traffic_control", "2024-06-01", breath_tests=62, drunk_driving_suspected=1, duration_min=30),
        ],
    )
    sel = Selection(("traffic_control",), dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    hours = metric("Timmar", Sum(field="duration_min", scale=1 / 60), ("traffic_control",))
    assert view_figures(tmp_store, (rate, hours), sel, "month").metrics == (
        pytest.approx(2 / 162 * 1000),
        1.5,
    )  # 90 min


def test_every_views_metrics_are_valid_indicator_declarations():
    """The indicators' rules hold for the exploration's figures too; ids are distinct within a view and from
    the measures the charts read, so no figure takes another's place."""
    for view in VIEWS.values():
        ids = [m.id for m in view.metrics]
        assert all(check(m) == [] for m in view.metrics), view.slug
        assert len(set(ids)) == len(ids) and not set(ids) & {m.id for m in measures(view.types)}, view.slug


def test_selection_uses_the_chosen_types_or_the_pages():
    window = Window(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "I år")
    assert selection(Filters(types=("droghandel",)), window, ("foot_patrol",)).types == ("drug_operation",)
    assert selection(Filters(), window, ("foot_patrol",)).types == ("foot_patrol",)


def test_activity_table_shows_rows_in_swedish_with_summary_rows_as_they_are():
    raw = pd.DataFrame(
        [
            {
                "id": 7,
                "activity_type": "traffic_control",
                "date_from": pd.Timestamp("2024-05-01"),
                "date_to": pd.Timestamp("2024-05-31"),
                "activity_count": 4,
                "start_time": None,
                "duration_min": 90,
                "area_code": "soraker",
                "place": "=1+1",
                "organisation": "samverkan",
                "staff_count": 2,
                "control_kind": "nykterhet",
                "risk_place": True,
                "vehicles_checked": 100,
                "breath_tests": 100,
                "drunk_driving_suspected": 1,
                "drugged_driving_suspected": 1,
                "speeding_offences": None,
                "inappropriate_behaviour_reports": 3,
                "external_id": None,
                "comment": "Månadssammanställning",
                "batch_id": 3,
                "file_name": "maj.csv",
            }
        ]
    )
    table = activity_table(raw, ("traffic_control",), {"soraker": "Söråker"})
    assert table.iloc[0].to_dict() == {
        "Id": 7,
        "Typ": "Trafikkontroll",
        "Datum": dt.date(2024, 5, 1),
        "Till och med": dt.date(2024, 5, 31),
        "Antal aktiviteter": 4,
        "Starttid": None,
        "Varaktighet (timmar)": 1.5,
        "Område": "Söråker",
        "Plats": "=1+1",
        "Organisation": "Polisen och kommunen i samverkan",
        "Antal personal": 2,
        "Typ av kontroll": "nykterhet",
        "Identifierad riskplats": "ja",
        "Kontrollerade fordon": 100,
        "Utandningsprov": 100,
        "Misstänkt rattfylleri": 1,
        "Misstänkt drograttfylleri": 1,
        "Hastighetsöverträdelser": None,
        "Olämpligt beteende i trafiken": 3,
        "Id i källsystemet": None,
        "Kommentar": "Månadssammanställning",
        "Importomgång": 3,
        "Fil": "maj.csv",
    }


def test_a_column_shared_by_types_takes_the_first_types_label():
    raw = pd.DataFrame(
        columns=[
            "id",
            "activity_type",
            "date_from",
            "date_to",
            "activity_count",
            "start_time",
            "duration_min",
            "area_code",
            "place",
            "organisation",
            "staff_count",
            "topics",
            "audiences",
            "participants",
            "unique_participants",
            "external_id",
            "comment",
            "batch_id",
            "file_name",
        ]
    )
    table = activity_table(raw, ("staff_training", "awareness"), {})
    assert "Deltagare" in table.columns and "Nådda personer" not in table.columns
    assert "Unika deltagare" in table.columns
