"""Every indicator's query checked against figures worked out by hand on a small log.

The meta-test at the end fails when an indicator in the registry has no
hand-worked expectation here: adding an indicator means adding its test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import LOG, activity, add_rows, kept_open
from trygghet.figures.indicators import builtin, for_commitment, registry

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))

# Rows for what the promises' wording asks (issue 15), kept apart so that the figures other test files
# work out on LOG stay as they were.
WORDED_LOG = [
    activity(
        "traffic_control",
        "2024-07-01",
        control_kind="hastighet",
        vehicles_checked=30,
        breath_tests=0,
        speeding_offences=4,
        inappropriate_behaviour_reports=3,
    ),  # at a risk place (the default)
    activity("drug_operation", "2024-07-01", youth_focus=True),  # the police alone, aimed at young people
    activity("drug_operation", "2024-09-01", organisation="kommunen"),  # the kommun alone, focus not logged
    activity("drug_operation", "2024-10-01", organisation="samverkan", youth_focus=True),
    activity("drug_operation", "2024-11-01", organisation="samverkan", youth_focus=False),
    activity("staff_training", "2024-12-01", topics=["våld i nära relation"], participants=8, unique_participants=6),
    activity("staff_training", "2024-12-05", topics=["nätdroger"], participants=5),
    activity("info_meeting", "2024-06-10", topics=["nätdroger"], audiences=["föreningar"]),  # participants not given
]

# Expected value of each indicator for the calendar year 2024 on LOG + WORDED_LOG, worked out by hand.
HAND_WORKED = {
    "fotpatrull_timmar_centrala": 3.5,  # 120 + 90 min in central areas = 3,5 h (Söråker not central)
    "fotpatrull_antal_centrala": 2,  # Timrå centrum + Vivsta
    "fotpatrull_medborgarkontakter": 12,  # 5 + 3 + 4 (the 2023 patrol is outside)
    "fotpatrull_antal": 3,  # all three 2024 patrols, Söråker too
    "fotpatrull_timmar": 4.5,  # (120 + 90 + 60) min / 60
    "samverkan_trygghetsinsatser": 8,  # patrol, control, info meeting, 4 joint drug ops, awareness
    "vald_informationsinsatser": 2,
    "vald_nadda_personer": 300,  # 200 + 100
    "personal_utbildade_vald": 6,  # distinct people: only December's training gives them
    "personal_deltagartillfallen_vald": 45,  # 25 + 12 + 8 attendances (not the alcohol or nätdroger courses)
    "personal_utbildningstillfallen": 3,  # September, November (no topic), December
    "droghandel_insatser": 4,  # joint: June, August, October, November; not July or September
    "droghandel_insatser_polisen": 1,  # July
    "droghandel_insatser_kommunen": 1,  # September
    "droghandel_insatser_unga": 1,  # October: joint and aimed at young people (July is the police alone)
    "informationstraffar_vuxna": 2,  # guardians (Feb) and other adults (Oct), not the youth meeting
    "informationstraffar_deltagare": 85,  # 20 + 50 + 15 (June's meeting gives no participants)
    "informationstraffar_alkohol_narkotika": 3,  # alkohol (Feb), narkotika (Oct), nätdroger (June)
    "informationstraffar_unga": 1,  # March, audience unga
    "forebyggande_natdroger": 2,  # the June meeting and the December training
    "trafikkontroller_riskplatser": 7.2,  # 1 + 4 + 2 × 12/20 + July's 1
    "trafik_utandningsprov": 112,  # at risk places: 0 + 100 + 20 × 12/20 + 0 (June's control is not)
    "trafik_utandningsprov_alla": 162,  # 0 + 100 + 50 + 20 × 12/20 + 0
    "trafik_hastighetskontroller": 3.2,  # at risk places: April 1 + July 1 + kombinerad 2 × 12/20 (not June's)
    "trafik_hastighetskontroller_alla": 4.2,  # April 1 + June 1 + July 1 + 2 × 12/20
    "trafik_hastighetsovertradelser_per_1000": 11 / 120 * 1000,  # (5 + 2 + 4) per (40 + 50 + 30) vehicles, speed kinds
    "trafik_olampligt_beteende": 3,  # July
    "trafik_rattfylleri_per_1000": 2 / 162 * 1000,  # (1 + 1 + 0) per 162 tests
    "trafik_drograttfylleri_per_1000": 1 / 162 * 1000,
    "atraktor_insatser": 2,
    "atraktor_kontrollerade_fordon": 15,  # 10 + 5
    "atraktor_andel_olagliga": 20.0,  # 3 of 15 vehicles
}


@pytest.fixture
def logged(store_with):
    return store_with(_logged)


def _logged(store) -> None:
    add_rows(store, LOG + WORDED_LOG)


@pytest.mark.parametrize("indicator_id", sorted(HAND_WORKED))
def test_indicator_for_the_year_matches_hand_worked_value(logged, indicator_id):
    with logged.connect() as con:
        value = registry()[indicator_id].compute(con, *YEAR, "total").value()
    assert value == pytest.approx(HAND_WORKED[indicator_id])


def test_every_registered_indicator_has_a_hand_worked_test():
    assert set(builtin()) == set(HAND_WORKED), "add the new indicator's expected value to HAND_WORKED"


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "tertial", "year"])
def test_buckets_of_every_grain_sum_to_the_window_total(logged, grain):
    with logged.connect() as con:
        for indicator in registry().values():
            series = indicator.compute(con, *YEAR, grain)
            assert sum(p.numerator for p in series.points) == pytest.approx(series.sums()[0]), indicator.id
            assert series.value() == pytest.approx(HAND_WORKED[indicator.id]), indicator.id


def test_summary_row_is_shared_pro_rata_by_days_between_months(logged):
    with logged.connect() as con:
        series = registry()["trafikkontroller_riskplatser"].compute(
            con, dt.date(2024, 5, 16), dt.date(2024, 6, 30), "month"
        )
    # 4 controls over May's 31 days; the window has 16 of them (16–31 May): 4 × 16/31.
    assert [(p.bucket, p.numerator) for p in series.points] == [(dt.date(2024, 5, 1), pytest.approx(4 * 16 / 31))]


def test_monthly_buckets_of_a_cut_summary_row(logged):
    with logged.connect() as con:
        series = registry()["trafik_utandningsprov"].compute(con, dt.date(2024, 12, 1), dt.date(2025, 1, 31), "month")
    # 20 tests over 20 days (20 Dec–8 Jan): 12 in December, 8 in January; plus none else in the window.
    assert [(p.bucket, p.numerator) for p in series.points] == [
        (dt.date(2024, 12, 1), pytest.approx(12)),
        (dt.date(2025, 1, 1), pytest.approx(8)),
    ]


def test_tertial_buckets_follow_the_swedish_tertials(logged):
    with logged.connect() as con:
        series = registry()["informationstraffar_deltagare"].compute(con, *YEAR, "tertial")
    # jan–apr: 20 + 50, maj–aug: none, sep–dec: 15
    assert [(p.bucket, p.numerator) for p in series.points] == [(dt.date(2024, 1, 1), 70), (dt.date(2024, 9, 1), 15)]


def test_ratio_without_denominator_has_no_value(logged):
    with logged.connect() as con:
        series = registry()["trafik_rattfylleri_per_1000"].compute(
            con, dt.date(2024, 4, 1), dt.date(2024, 4, 30), "total"
        )
    assert series.value() is None  # one speed control with 0 breath tests: "inget underlag"


def test_area_and_organisation_filters_are_parameters(logged):
    with logged.connect() as con:
        hours = registry()["fotpatrull_timmar_centrala"]
        assert hours.compute(con, *YEAR, "total", areas=["vivsta"]).value() == pytest.approx(1.5)
        assert hours.compute(con, *YEAR, "total", organisations=["polisen"]).value() == pytest.approx(2.0)
        assert hours.compute(con, *YEAR, "total", areas=["x' OR 1=1 --"]).value() == 0


def test_every_commitment_of_the_current_promise_is_tracked(tmp_store):
    commitments = tmp_store.commitments("medborgarlofte-2023")
    for commitment_id in commitments.id:
        assert for_commitment(commitment_id), commitment_id


@pytest.fixture(scope="module")
def scratch_store(tmp_path_factory):
    from trygghet.bootstrap import prepare_store

    store = prepare_store(tmp_path_factory.mktemp("scratch") / "scratch.duckdb")
    with kept_open(store):
        yield store


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2023, 10, 1), max_value=dt.date(2025, 3, 31)),
            st.integers(min_value=0, max_value=75),
            st.integers(min_value=1, max_value=9),
        ),
        min_size=1,
        max_size=12,
    )
)
@pytest.mark.slow
def test_monthly_actuals_sum_to_the_yearly_actual(scratch_store, rows):
    """Summary rows of any length, cut by the year or not: the months of 2024 add up to 2024."""
    with scratch_store.transaction() as con:
        con.execute("DELETE FROM activity_days")
        con.execute("DELETE FROM activities")
    add_rows(
        scratch_store,
        [
            activity(
                "drug_operation",
                f"{start}/{start + dt.timedelta(days=length)}",
                activity_count=count,
                organisation="samverkan",
            )
            for start, length, count in rows
        ],
    )
    indicator = registry()["droghandel_insatser"]
    with scratch_store.connect() as con:
        months = indicator.compute(con, *YEAR, "month")
        year = indicator.compute(con, *YEAR, "total").value()
    assert sum(p.numerator for p in months.points) == pytest.approx(year)
    assert all(p.bucket.year == 2024 for p in months.points)
    # By hand: each row adds count × (its days in 2024) / (its days).
    expected = sum(
        count * max(0, (min(start + dt.timedelta(days=length), YEAR[1]) - max(start, YEAR[0])).days + 1) / (length + 1)
        for start, length, count in rows
    )
    assert year == pytest.approx(expected)


# --- the compiler, one filter kind and one aggregation at a time, on LOG for 2024 ------------------------------


def _declared(types: tuple[str, ...], aggregation=None, **filters):
    from trygghet.figures.indicators import Count, Filters, Indicator

    return Indicator(
        id="prov",
        title="Prov",
        unit="st",
        activity_types=types,
        filters=Filters(**filters),
        aggregation=aggregation or Count(),
    )


COMPILED = [
    # (activity types, aggregation, filters, value for 2024 worked out by hand)
    (("foot_patrol",), None, {"areas": ("soraker",)}, 1),  # the Söråker patrol
    (("foot_patrol",), None, {"area_groups": ("centrala",), "areas": ("soraker",)}, 3),  # central or Söråker
    (("foot_patrol",), None, {"organisations": ("polisen", "kommunen")}, 2),  # 5 and 7 March (Vivsta: samverkan)
    (("traffic_control",), None, {"organisations": ("samverkan",)}, 1),  # the June control
    (("info_meeting",), None, {"topics": ("trafik", "narkotika")}, 2),  # March and October
    (("staff_training",), None, {"topics": ("alkohol",), "topics_or_none": True}, 2),  # October + November (none)
    (("info_meeting",), None, {"audiences": ("skolpersonal",)}, 1),  # October
    (("awareness",), None, {"audiences": ("unga",), "audiences_or_none": True}, 2),  # neither logs an audience
    (("traffic_control",), None, {"risk_place": False}, 1),  # the June control
    (("traffic_control",), None, {"control_kinds": ("nykterhet",)}, 4),  # the May summary of 4
    (("traffic_control",), None, {}, 8.2),  # 1 + 4 + 1 + 1 + 2 × 12/20
    (("foot_patrol",), "hours", {}, 4.5),  # (120 + 90 + 60) min / 60
    (("traffic_control",), "vehicles", {}, 220),  # 40 + 100 + 50 + 30 (none in Dec)
    (("traffic_control",), "speeding_per_100", {}, 11 / 220 * 100),  # (5 + 2 + 4) per 220 vehicles × 100
    (("foot_patrol", "traffic_control"), None, {"organisations": ("samverkan",)}, 2),  # Vivsta patrol + June control
    (("drug_operation",), None, {"youth_focus": True}, 2),  # July (police), October (joint)
    (("drug_operation",), None, {"youth_focus": False}, 1),  # November; the rest log none
    (("drug_operation",), None, {"youth_focus": True, "organisations": ("polisen",)}, 1),  # July
]


def _aggregation(name):
    from trygghet.figures.indicators import Ratio, Sum

    return {
        None: None,
        "hours": Sum(field="duration_min", scale=1 / 60),
        "vehicles": Sum(field="vehicles_checked"),
        "speeding_per_100": Ratio(numerator="speeding_offences", denominator="vehicles_checked", scale=100),
    }[name]


@pytest.mark.parametrize("types, aggregation, filters, expected", COMPILED)
def test_compiler_filter_and_aggregation_match_hand_worked_values(logged, types, aggregation, filters, expected):
    from trygghet.figures.indicators._rules import check

    indicator = _declared(types, _aggregation(aggregation), **filters)
    assert check(indicator) == []
    with logged.connect() as con:
        assert indicator.compute(con, *YEAR, "total").value() == pytest.approx(expected)


def test_filter_values_are_bound_parameters(logged):
    indicator = _declared(("foot_patrol",), areas=("x' OR 1=1 --",), topics=())
    with logged.connect() as con:
        assert indicator.compute(con, *YEAR, "total").value() == 0


def test_compiler_refuses_a_column_outside_the_vocabulary(logged):
    from trygghet.figures.indicators import Sum
    from trygghet.figures.indicators._base import CompileError

    with logged.connect() as con, pytest.raises(CompileError, match="duration_min / 60"):
        _declared(("foot_patrol",), Sum(field="duration_min / 60")).compute(con, *YEAR, "total")


def test_declaration_round_trips_through_json():
    from trygghet.figures.indicators import Indicator

    for indicator in registry().values():
        assert Indicator.model_validate_json(indicator.model_dump_json()) == indicator


def test_the_readme_worked_example_is_a_valid_declaration_with_its_stated_figure(logged):
    """The README's example module, run as written: the rules pass and 2024 gives the 8 contacts it states."""
    from trygghet.config import PROJECT_ROOT
    from trygghet.figures.indicators._rules import check

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Adding an indicator: a worked example") :]
    code = section[section.index("```python") + len("```python") : section.index("```", section.index("```python") + 9)]
    scope: dict = {}
    exec(code, scope)
    indicator = scope["INDICATOR"]
    assert check(indicator) == []
    with logged.connect() as con:
        assert indicator.compute(con, *YEAR, "total").value() == pytest.approx(8)


def test_staff_time_is_a_measure_in_hours(tmp_store):
    from trygghet.figures.indicators import Sum

    add_rows(
        tmp_store,
        [
            activity("foot_patrol", "2024-03-05", duration_min=90, staff_count=2),
            activity("foot_patrol", "2024-03-06/2024-03-07", duration_min=60, staff_count=3),
            activity("foot_patrol", "2024-03-08", duration_min=60),
        ],
    )  # staff not given: not counted
    staff_hours = _declared(("foot_patrol",), Sum(field="staff_minutes", scale=1 / 60))
    with tmp_store.connect() as con:
        # 2 × 90 min + 3 × 60 min = 360 staff minutes = 6 hours.
        assert staff_hours.compute(con, *YEAR, "total").value() == pytest.approx(6)


# --- the compiler's scope and groups, as the exploration pages ask for them, on LOG + WORDED_LOG for 2024 -----------


def _grouped(logged, indicators, by=(), grain="total", start=YEAR[0], end=YEAR[1], **scope):
    from trygghet.figures.indicators import Filters
    from trygghet.figures.indicators._base import compute_grouped

    types = scope.pop("types", None)
    with logged.connect() as con:
        return compute_grouped(con, indicators, start, end, grain, by, types=types, scope=Filters(**scope))


def _values(groups):
    return {key: series.value() for key, series in sorted(groups.items())}


def test_grouped_by_activity_type_splits_the_indicators_sums(logged):
    found = _grouped(logged, [_declared(("foot_patrol", "traffic_control"))], ("activity_type",))
    # foot patrols 5, 6, 7 March; controls April 1 + May 4 + June 1 + July 1 + 2 × 12/20 of December's
    assert _values(found["prov"]) == {("foot_patrol",): 3, ("traffic_control",): pytest.approx(8.2)}


def test_grouped_by_area_sums_hours_per_area(logged):
    from trygghet.figures.indicators import Sum

    found = _grouped(logged, [_declared(("foot_patrol",), Sum(field="duration_min", scale=1 / 60))], ("area_code",))
    # 120 min in Timrå centrum, 90 in Vivsta, 60 in Söråker (the 2023 patrol is outside)
    assert _values(found["prov"]) == {("soraker",): 1.0, ("timra-centrum",): 2.0, ("vivsta",): 1.5}


def test_grouped_by_topic_counts_a_meeting_under_each_of_its_topics(logged):
    found = _grouped(logged, [_declared(("info_meeting",))], ("topic",))
    # February alkohol, March trafik, June nätdroger, October narkotika and våld i nära relation (counted twice)
    assert _values(found["prov"]) == {
        ("alkohol",): 1,
        ("narkotika",): 1,
        ("nätdroger",): 1,
        ("trafik",): 1,
        ("våld i nära relation",): 1,
    }


def test_groups_and_buckets_together(logged):
    from trygghet.figures.indicators import Sum

    found = _grouped(
        logged,
        [_declared(("traffic_control",), Sum(field="breath_tests"))],
        ("activity_type",),
        "month",
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 31),
    )
    # 20 tests over 20 Dec–8 Jan: 12 in December, 8 in January
    assert [(p.bucket, p.numerator) for p in found["prov"][("traffic_control",)].points] == [
        (dt.date(2024, 12, 1), pytest.approx(12)),
        (dt.date(2025, 1, 1), pytest.approx(8)),
    ]


def test_scope_restricts_every_indicator_beside_its_own_filters(logged):
    speed = registry()["trafik_hastighetskontroller_alla"]  # its own filter: speed and combined controls
    found = _grouped(logged, [speed, _declared(("traffic_control",))], risk_place=False)
    # not at a risk place: only June's combined control, which both count
    assert (found[speed.id][()].value(), found["prov"][()].value()) == (1, 1)
    found = _grouped(
        logged, [_declared(("traffic_control",))], control_kinds=("nykterhet",), organisations=("polisen",)
    )
    assert found["prov"][()].value() == 4  # May's summary of 4 (by the police, the default)


def test_scope_types_restrict_an_indicator_of_several_types(logged):
    found = _grouped(logged, [_declared(("foot_patrol", "traffic_control"))], types=("foot_patrol",))
    assert found["prov"][()].value() == 3


def test_scope_values_are_bound_parameters(logged):
    found = _grouped(logged, [_declared(("foot_patrol",))], areas=("x' OR 1=1 --",), topics=("'); DROP TABLE x; --",))
    assert found["prov"] == {} and logged.activity_count() == len(LOG) + len(WORDED_LOG)


def test_figures_of_the_same_field_over_the_same_rows_share_one_sum():
    from trygghet.figures.indicators import Ratio, Sum
    from trygghet.figures.indicators._base import _query

    count, tests = _declared(("traffic_control",)), _declared(("traffic_control",), Sum(field="breath_tests"))
    rate = _declared(("traffic_control",), Ratio(numerator="drunk_driving_suspected", denominator="breath_tests"))
    sql, _, columns = _query([count, tests, rate], {"traffic_control"})
    assert columns == [("c0", None), ("c1", None), ("c2", "c1")] and "FILTER" not in sql
    # Other rows (a type among several scanned) need their own sum, with a filter.
    sql, _, columns = _query([count, tests], {"traffic_control", "foot_patrol"})
    assert columns == [("c0", None), ("c1", None)] and sql.count("FILTER") == 2


def test_grouped_by_type_an_indicator_reads_only_its_own_types_groups(logged):
    from trygghet.figures.indicators._base import _query

    patrols = _declared(("foot_patrol",)).model_copy(update={"id": "patrols"})
    both = _declared(("foot_patrol", "traffic_control"))
    found = _grouped(logged, [patrols, both], ("activity_type",))
    assert _values(found["patrols"]) == {("foot_patrol",): 3}
    assert _values(found["prov"]) == {("foot_patrol",): 3, ("traffic_control",): pytest.approx(8.2)}
    # one count serves both: the groups, not a FILTER, keep the traffic controls out of the patrols
    sql, _, columns = _query([patrols, both], {"foot_patrol", "traffic_control"}, "total", ("activity_type",))
    assert columns == [("c0", None), ("c0", None)] and "FILTER" not in sql


def test_total_over_groups_counts_a_week_that_began_before_the_window(logged):
    from trygghet.figures.indicators._base import total

    count = _declared(("foot_patrol",))
    found = _grouped(logged, [count], ("activity_type",), "week", dt.date(2024, 3, 6), dt.date(2024, 3, 7))
    # the week of Monday 4 March holds the 6 and 7 March patrols; the window starts on the Wednesday
    assert total(count, found["prov"].values()) == 2


def test_the_compiler_groups_only_by_its_vocabulary(logged):
    from trygghet.figures.indicators._base import CompileError

    for by in [("area_code; DROP TABLE activities",), ("topic", "audience"), ("area_code", "area_code")]:
        with pytest.raises(CompileError):
            _grouped(logged, [_declared(("info_meeting",))], by)
