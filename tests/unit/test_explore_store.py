"""The exploration's sums through the indicator compiler and the store's rows behind them, on the hand-made
log of tests/test_indicators.py, worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.factories import LOG, activity, add_rows
from trygghet.exploration.figures import explore_sums
from trygghet.exploration.model import Selection
from trygghet.figures.indicators import registry

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
TRAFFIC = Selection(("traffic_control",), *YEAR)


@pytest.fixture
def logged(store_with):
    return store_with(_logged)


def _logged(store) -> None:
    add_rows(store, LOG, file_name="logg-2024.csv")


def test_sums_spread_summary_rows_over_their_days(logged):
    sums = explore_sums(logged, TRAFFIC).iloc[0]
    # controls 1 + 4 + 1 + 2 × 12/20; tests 0 + 100 + 50 + 20 × 12/20; vehicles 40 + 100 + 50
    assert (sums.activity_count, sums.breath_tests, sums.vehicles_checked) == (7.2, 162, 190)
    assert (sums.drunk_driving_suspected, sums.drugged_driving_suspected, sums.speeding_offences) == (2, 1, 7)


def test_type_filters_are_applied(logged):
    at_risk = explore_sums(logged, Selection(("traffic_control",), *YEAR, risk_place=True)).iloc[0]
    assert (at_risk.activity_count, at_risk.breath_tests) == (6.2, 112)  # the June control is no risk place
    sober = explore_sums(logged, Selection(("traffic_control",), *YEAR, control_kinds=("nykterhet",))).iloc[0]
    assert (sober.activity_count, sober.breath_tests) == (4, 100)
    adults = explore_sums(
        logged, Selection(("info_meeting",), *YEAR, audiences=("vårdnadshavare", "andra viktiga vuxna"))
    )
    assert (adults.activity_count[0], adults.participants[0]) == (2, 35)  # February 20 + October 15
    drugs = explore_sums(logged, Selection(("info_meeting",), *YEAR, topics=("narkotika",))).iloc[0]
    assert (drugs.activity_count, drugs.participants) == (1, 15)


def test_area_and_organisation_filters(logged):
    central = explore_sums(logged, Selection(("foot_patrol",), *YEAR, areas=("timra-centrum", "vivsta"))).iloc[0]
    assert (central.activity_count, central.hours, central.citizen_contacts) == (2, 3.5, 8)
    joint = explore_sums(logged, Selection(("foot_patrol", "traffic_control"), *YEAR, organisations=("samverkan",)))
    assert (joint.activity_count[0], joint.hours[0]) == (2, 1.5)  # the Vivsta patrol and the June control


def test_figures_agree_with_the_indicator_engine(logged):
    """Without type filters the exploration sums and the indicators read the same days."""
    with logged.connect() as con:
        for indicator_id, column, sel in [
            ("trafik_utandningsprov_alla", "breath_tests", TRAFFIC),
            ("atraktor_insatser", "activity_count", Selection(("atractor_check",), *YEAR)),
            ("informationstraffar_deltagare", "participants", Selection(("info_meeting",), *YEAR)),
            (
                "fotpatrull_timmar_centrala",
                "hours",
                Selection(("foot_patrol",), *YEAR, areas=("timra-centrum", "vivsta")),
            ),
        ]:
            engine = registry()[indicator_id].compute(con, *YEAR, "total", areas=list(sel.areas) or None).value()
            assert explore_sums(logged, sel)[column][0] == pytest.approx(engine), indicator_id


def test_grouped_by_month_and_type(logged):
    sums = explore_sums(
        logged, Selection(("traffic_control",), dt.date(2024, 12, 1), dt.date(2025, 1, 31)), ("month", "activity_type")
    )
    assert [(m.date(), n, t) for m, n, t in zip(sums.month, sums.activity_count, sums.breath_tests, strict=True)] == [
        (dt.date(2024, 12, 1), 1.2, 12),
        (dt.date(2025, 1, 1), 0.8, 8),
    ]


def test_grouped_by_week_starts_on_monday(logged):
    sums = explore_sums(logged, Selection(("foot_patrol",), dt.date(2024, 3, 1), dt.date(2024, 3, 31)), ("week",))
    assert [(w.date(), n) for w, n in zip(sums.week, sums.activity_count, strict=True)] == [(dt.date(2024, 3, 4), 3)]


def test_grouped_by_topic_counts_a_meeting_under_each_topic(logged):
    sums = explore_sums(logged, Selection(("info_meeting",), *YEAR), ("topic",))
    assert list(zip(sums.topic, sums.activity_count, sums.participants, strict=True)) == [
        ("alkohol", 1, 20),
        ("narkotika", 1, 15),
        ("trafik", 1, 50),
        ("våld i nära relation", 1, 15),
    ]


def test_grouped_by_area(logged):
    sums = explore_sums(logged, Selection(("foot_patrol",), *YEAR), ("area_code",))
    assert list(zip(sums.area_code, sums.activity_count, strict=True)) == [
        ("soraker", 1),
        ("timra-centrum", 1),
        ("vivsta", 1),
    ]


def test_an_empty_selection_sums_to_zero(logged):
    sums = explore_sums(logged, Selection(("foot_patrol",), dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert sums.activity_count[0] == 0 and sums.hours[0] == 0


def test_grouping_only_by_known_keys(logged):
    with pytest.raises(ValueError):
        explore_sums(logged, TRAFFIC, ("area_code; DROP TABLE activities",))
    with pytest.raises(ValueError):
        explore_sums(logged, TRAFFIC, ("topic", "audience"))


def test_values_are_parameters_never_sql(logged):
    sel = Selection(("traffic_control",), *YEAR, areas=("x' OR 1=1 --",), topics=("'); DROP TABLE activities; --",))
    assert logged.explore_row_count(sel) == 0
    assert explore_sums(logged, sel).activity_count[0] == 0
    assert logged.activity_count() == len(LOG)


def test_activities_behind_a_selection_with_their_batch(logged):
    rows = logged.explore_activities(TRAFFIC)
    # newest first; the December summary row reaches into 2025 and is listed whole
    assert [(d.date(), n) for d, n in zip(rows.date_from, rows.activity_count, strict=True)] == [
        (dt.date(2024, 12, 20), 2),
        (dt.date(2024, 6, 1), 1),
        (dt.date(2024, 5, 1), 4),
        (dt.date(2024, 4, 1), 1),
    ]
    assert set(rows.file_name) == {"logg-2024.csv"} and rows.batch_id.nunique() == 1
    assert logged.explore_row_count(TRAFFIC) == 4
    assert len(logged.explore_activities(TRAFFIC, limit=2)) == 2


def test_a_window_that_cuts_a_summary_row_lists_it(logged):
    january = Selection(("traffic_control",), dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    rows = logged.explore_activities(january)
    assert [(d.date(), t.date()) for d, t in zip(rows.date_from, rows.date_to, strict=True)] == [
        (dt.date(2024, 12, 20), dt.date(2025, 1, 8))
    ]


def test_weekday_and_hour_of_single_day_activities(tmp_store):
    add_rows(
        tmp_store,
        [
            activity("foot_patrol", "2024-03-05", start_time=dt.time(18, 30)),  # Tuesday
            activity("foot_patrol", "2024-03-12", start_time=dt.time(18, 0)),  # Tuesday
            activity("foot_patrol", "2024-03-10", start_time=dt.time(22, 15)),  # Sunday
            activity("foot_patrol", "2024-03-11"),  # no start time
        ],
    )
    rows = tmp_store.explore_weekday_hours(Selection(("foot_patrol",), *YEAR))
    assert [(int(w), None if pd.isna(h) else int(h), n) for w, h, n in rows.itertuples(index=False)] == [
        (1, None, 1),
        (2, 18, 2),
        (7, 22, 1),
    ]
