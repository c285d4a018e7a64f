"""Progress rules and targets checked against values worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import TESTER, activity, add_rows
from trygghet.figures.compute import progress_for
from trygghet.figures.indicators import registry
from trygghet.figures.periods import AgreementSpan, period_containing
from trygghet.figures.progress import Direction, Status, Thresholds, assess, elapsed_fraction, forecast_at_end, is_stale
from trygghet.figures.targets import (
    Target,
    TargetError,
    load_targets_file,
    parse_target,
    set_target,
    stored_targets,
    target_over,
)

D = dt.date
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))
ML23 = AgreementSpan("medborgarlofte-2023", "Medborgarlöfte 2023–2024", D(2023, 1, 1), D(2024, 12, 31))
SPAN = ML23.span
SUMMER = {m: 1.0 for m in range(4, 11)}  # April–October, equal weight
T = Thresholds()


def _target(**fields) -> Target:
    base = {
        "agreement": "medborgarlofte-2023",
        "indicator": "atraktor_insatser",
        "grain": "year",
        "value": 70,
        "valid_from": D(2019, 1, 1),
        "origin": "test",
    }
    return parse_target({**base, **fields})


def _no_baseline(start, end):
    raise AssertionError("no baseline expected")


# --- pro-rating ---------------------------------------------------------------


def test_elapsed_fraction_by_days_in_a_leap_year():
    assert elapsed_fraction(*YEAR_2024, D(2024, 1, 31)) == pytest.approx(31 / 366)
    assert elapsed_fraction(*YEAR_2024, D(2024, 6, 30)) == pytest.approx(182 / 366)
    assert elapsed_fraction(*YEAR_2024, D(2023, 12, 31)) == 0.0
    assert elapsed_fraction(*YEAR_2024, D(2024, 12, 31)) == 1.0


def test_elapsed_fraction_by_season_weights():
    # Nothing is expected before April; by 15 April half of April, i.e. 15/30 of one of seven months.
    assert elapsed_fraction(*YEAR_2024, D(2024, 3, 31), SUMMER) == 0.0
    assert elapsed_fraction(*YEAR_2024, D(2024, 4, 15), SUMMER) == pytest.approx(15 / 30 / 7)
    assert elapsed_fraction(*YEAR_2024, D(2024, 6, 30), SUMMER) == pytest.approx(3 / 7)
    assert elapsed_fraction(*YEAR_2024, D(2024, 11, 30), SUMMER) == pytest.approx(1.0)
    # July weighs double: April–June is 3 of 8 weights.
    assert elapsed_fraction(*YEAR_2024, D(2024, 6, 30), {**SUMMER, 7: 2.0}) == pytest.approx(3 / 8)


def test_a_period_outside_the_season_is_pro_rated_by_days():
    q1 = (D(2024, 1, 1), D(2024, 3, 31))
    assert elapsed_fraction(*q1, D(2024, 2, 29), SUMMER) == pytest.approx(60 / 91)


def test_target_over_a_window_takes_the_share_of_each_target_period():
    yearly = [_target(value=366)]
    assert target_over(yearly, "atraktor_insatser", D(2024, 1, 1), D(2024, 1, 31), SPAN, _no_baseline) == pytest.approx(
        31
    )
    # A window over two years takes each year's share: 31 days of 2023 (365) and 31 of 2024 (366).
    assert target_over(
        yearly, "atraktor_insatser", D(2023, 12, 1), D(2024, 1, 31), SPAN, _no_baseline
    ) == pytest.approx(366 * 31 / 365 + 31)


def test_seasonal_target_pro_rated_to_the_season():
    seasonal = [_target(value=70, season=[4, 5, 6, 7, 8, 9, 10])]
    assert target_over(
        seasonal, "atraktor_insatser", D(2024, 1, 1), D(2024, 6, 30), SPAN, _no_baseline
    ) == pytest.approx(30)  # 3 of 7 months of 70


def test_target_changed_mid_year_keeps_the_old_value_for_the_past():
    targets = [_target(value=120, valid_to=D(2024, 6, 30)), _target(value=240, valid_from=D(2024, 7, 1))]
    # Jan–Jun at 120/year (182/366 of it), Jul–Dec at 240/year (184/366 of it).
    expected = 120 * 182 / 366 + 240 * 184 / 366
    assert target_over(targets, "atraktor_insatser", *YEAR_2024, SPAN, _no_baseline) == pytest.approx(expected)
    assert target_over(
        targets, "atraktor_insatser", D(2024, 1, 1), D(2024, 6, 30), SPAN, _no_baseline
    ) == pytest.approx(120 * 182 / 366)


def test_relative_target_is_the_baseline_year_plus_a_percentage():
    relative = [_target(value=None, baseline_year=2023, increase_pct=10)]
    asked = []

    def baseline(start, end):
        asked.append((start, end))
        return 50.0

    assert target_over(relative, "atraktor_insatser", *YEAR_2024, SPAN, baseline) == pytest.approx(55)
    assert asked[0] == (D(2023, 1, 1), D(2023, 12, 31))


def test_no_target_valid_in_the_window_gives_none():
    later = [_target(valid_from=D(2025, 1, 1))]
    assert target_over(later, "atraktor_insatser", *YEAR_2024, SPAN, _no_baseline) is None


# --- status ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "actual,target,prorated,ended,stale,expected",
    [
        (70, 70, 30, False, False, Status.ACHIEVED),  # the full target reached early
        (30, 70, 30, False, False, Status.ON_TRACK),  # exactly the pro-rated target
        (26, 70, 30, False, False, Status.SLIGHTLY_BEHIND),  # 26/30 = 87 % ≥ 85 %
        (25, 70, 30, False, False, Status.BEHIND),  # 25/30 = 83 %
        (0, 70, 2.9, False, False, Status.TOO_EARLY),  # pro-rated below the minimum of 3
        (0, 70, 30, False, True, Status.NOT_UPDATED),  # missing data is not poor performance
        (0, 70, 2.9, False, True, Status.TOO_EARLY),  # too early to judge comes before "not updated"
        (65, 70, 70, True, False, Status.NOT_ACHIEVED),  # period over at 93 %: not achieved, not "något efter"
        (50, 70, 70, True, False, Status.NOT_ACHIEVED),
        (50, 70, 70, True, True, Status.NOT_ACHIEVED),  # an ended period is never "ej uppdaterad"
        (1, 6, 2, True, False, Status.NOT_ACHIEVED),  # nor "för tidigt" (1 of 6 meetings, tertial over)
        (70, 70, 70, True, False, Status.ACHIEVED),
        (None, 70, 30, False, False, Status.NO_BASIS),
        (12, None, None, False, False, Status.NO_TARGET),
        (0, 0, 0, False, False, Status.NO_PERIOD_TARGET),  # out of season: "0 av 0" is no verdict at all
        (0, 0, 0, True, False, Status.NO_PERIOD_TARGET),
        (3, 0, 0, True, False, Status.NO_PERIOD_TARGET),
    ],
)
def test_status_at_least(actual, target, prorated, ended, stale, expected):
    assert (
        assess(actual, target, Direction.AT_LEAST, prorated, period_ended=ended, stale=stale, thresholds=T) == expected
    )


@pytest.mark.parametrize(
    "actual,prorated,ended,expected",
    [
        (11, 5, False, Status.BEHIND),  # already above the full target of 10
        (5, 5, False, Status.ON_TRACK),
        (5.5, 5, False, Status.SLIGHTLY_BEHIND),  # 5/5.5 = 91 %
        (8, 5, False, Status.BEHIND),  # 5/8 = 62 %
        (9, 10, True, Status.ACHIEVED),  # the period ended at or below the target
        (11, 10, True, Status.NOT_ACHIEVED),  # ended above it
        (1, 1, False, Status.TOO_EARLY),  # 1 allowed so far: too small to judge
    ],
)
def test_status_at_most(actual, prorated, ended, expected):
    assert assess(actual, 10, Direction.AT_MOST, prorated, period_ended=ended, stale=False, thresholds=T) == expected


def test_forecast_from_the_run_rate():
    assert forecast_at_end(30, 3 / 7) == pytest.approx(70)
    assert forecast_at_end(30, 0) is None
    assert forecast_at_end(None, 0.5) is None


def test_stale_after_n_days_or_no_data_since_the_previous_meeting():
    assert not is_stale(D(2024, 6, 1), D(2024, 6, 30), 45)
    assert is_stale(D(2024, 5, 1), D(2024, 6, 30), 45)
    assert is_stale(D(2024, 6, 1), D(2024, 6, 30), 45, previous_meeting=D(2024, 6, 11))
    assert is_stale(None, D(2024, 6, 30), 45)


@given(
    st.floats(min_value=0, max_value=1e6),
    st.sampled_from(["month", "quarter", "tertial", "year"]),
    st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)),
    st.booleans(),
)
def test_pro_rated_target_at_period_end_is_the_full_target(value, grain, day, seasonal):
    target = _target(value=value, grain=grain, season=[4, 5, 6, 7, 8, 9, 10] if seasonal else None)
    period = period_containing(grain, day)
    full = target_over([target], "atraktor_insatser", period.start, period.end, SPAN, _no_baseline)
    assert full == pytest.approx(value, abs=1e-6)


# --- targets file and editing -----------------------------------------------------------


def test_shipped_targets_are_valid_examples():
    targets = load_targets_file()
    assert targets and all(t.example for t in targets)
    assert all(registry()[t.indicator].has_target for t in targets)


def test_a_bad_target_names_the_file_entry_and_field(tmp_path):
    bad = tmp_path / "targets.toml"
    bad.write_text(
        '[[target]]\nindicator = "atraktor_insatser"\ngrain = "decade"\nvalue = 5\n'
        'valid_from = 2024-01-01\norigin = "test"\n',
        encoding="utf-8",
    )
    with pytest.raises(TargetError, match=r"targets.toml, mål 1 \(atraktor_insatser\): fältet grain \(period\)"):
        load_targets_file(bad)
    with pytest.raises(TargetError, match="okänd indikator"):
        parse_target(
            {"indicator": "finns_inte", "grain": "year", "value": 1, "valid_from": D(2024, 1, 1), "origin": "test"}
        )
    with pytest.raises(TargetError, match="sammanhangsmått"):
        parse_target(
            {
                "indicator": "atraktor_andel_olagliga",
                "grain": "year",
                "value": 1,
                "valid_from": D(2024, 1, 1),
                "origin": "test",
            }
        )


def test_setting_a_target_keeps_history_and_the_past(tmp_store):
    def own():
        return [
            t
            for t in stored_targets(tmp_store)
            if t.indicator == "atraktor_insatser" and t.agreement == "medborgarlofte-2023"
        ]

    before = own()
    assert len(before) == 1 and before[0].valid_to is None
    set_target(
        tmp_store,
        _target(value=50, valid_from=D(2024, 7, 1), origin="Beslutat av rådet 2024-06-11"),
        TESTER,
        today=D(2024, 6, 11),
    )
    after = sorted(own(), key=lambda t: t.valid_from)
    assert [(t.valid_from, t.valid_to, t.value) for t in after] == [
        (before[0].valid_from, D(2024, 6, 30), before[0].value),
        (D(2024, 7, 1), None, 50),
    ]
    history = tmp_store.target_changes()
    assert len(history) == 1
    assert history.new_target[0] == "minst 50 per år, från 2024-07-01 (Beslutat av rådet 2024-06-11)"
    assert history.old_target[0].startswith(f"minst {before[0].value:.0f} per år")


# --- end to end: one indicator's progress on a hand-made log --------------------------


def test_progress_of_a_seasonal_target_on_a_hand_made_log(tmp_store):
    set_target(
        tmp_store,
        _target(value=70, season=[4, 5, 6, 7, 8, 9, 10], valid_from=D(2023, 1, 1)),
        TESTER,
        today=D(2023, 1, 1),
    )
    add_rows(
        tmp_store,
        [
            activity("atractor_check", day, vehicles_checked=2)
            for day in ("2024-04-10", "2024-05-10", "2024-05-20", "2024-06-10")
        ]
        + [activity("atractor_check", "2023-05-10", vehicles_checked=1)],
    )
    with tmp_store.connect() as con:
        con.execute("INSERT INTO meetings (meeting_date, title) VALUES ('2024-05-14', 'Rådet')")
    year = period_containing("year", D(2024, 6, 30))
    [p] = progress_for(tmp_store, ["atraktor_insatser"], year, D(2024, 6, 30), ML23, T)
    assert p.actual == 4
    assert p.target == 70
    assert p.prorated == pytest.approx(30)  # 3 of 7 season months
    assert p.share == pytest.approx(4 / 70)
    assert p.status == Status.BEHIND  # 4 of 30
    assert p.forecast == pytest.approx(4 / (3 / 7))  # the season's run rate
    assert p.since_meeting == 2  # 15 May–30 June: 20 May and 10 June
    assert p.last_year == 1
    assert [v for _, v in p.monthly] == [0, 0, 0, 1, 2, 1]


def test_no_data_since_the_previous_meeting_is_not_updated_as_the_data_stood_that_day(tmp_store):
    """Patrols logged to 30 April, meetings on 2 and 20 May, judged for the meeting of 20 May: only 20 days
    without data (under the 45 of the setting), but nothing newer than the previous meeting, so "ej uppdaterad
    sedan 30 april", not "efter". A patrol logged later (5 June) must not change how 20 May is judged. On 21 May,
    a day that is no meeting, only the 45 days count."""
    add_rows(tmp_store, [activity("foot_patrol", day) for day in ("2024-02-01", "2024-03-15", "2024-04-30")])
    with tmp_store.connect() as con:
        con.execute(
            "INSERT INTO meetings (meeting_date, title) VALUES ('2024-05-02', 'Rådet'), ('2024-05-20', 'Rådet')"
        )
    year = period_containing("year", D(2024, 5, 20))
    [p] = progress_for(tmp_store, ["fotpatrull_antal_centrala"], year, D(2024, 5, 20), ML23, T)
    assert (p.last_data, p.status) == (D(2024, 4, 30), Status.NOT_UPDATED)
    add_rows(tmp_store, [activity("foot_patrol", "2024-06-05")], file_name="juni.csv")
    [p] = progress_for(tmp_store, ["fotpatrull_antal_centrala"], year, D(2024, 5, 20), ML23, T)
    assert (p.last_data, p.status, p.actual) == (D(2024, 4, 30), Status.NOT_UPDATED, 3)
    [p] = progress_for(tmp_store, ["fotpatrull_antal_centrala"], year, D(2024, 5, 21), ML23, T)
    assert p.status == Status.BEHIND  # 3 of the example target's 130 × 142 / 366 = 50,4 by 21 May
