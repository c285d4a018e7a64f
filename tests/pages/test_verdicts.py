"""Verdicts a council can trust (issue 15), pinned on a small log whose figures are worked out by hand.

The log (34 rows) and the targets below are written for these tests alone. Agreement: Medborgarlöfte
2023–2024 (1 January 2023 – 31 December 2024). Thresholds: the defaults (i fas at 100 % of the pro-rated
target, något efter down to 85 %, för tidigt below a pro-rated 3, ej uppdaterad after 45 days).

Targets (at least):
- informationstraffar_vuxna: 6 per tertial from 1 January 2023, no season.
- atraktor_insatser: 12 per year from 1 January 2023, season April–October (7 months of equal weight).
- trafik_utandningsprov: 100 per year from 1 January 2024 (2023 is the baseline year, before any target).
- fotpatrull_antal_centrala: 10 per year from 1 January 2023.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TESTER, activity, add_rows, command
from trygghet.figures.compute import IndicatorFigure, agreement_standing, progress_for
from trygghet.figures.periods import AgreementSpan, Grain, Period, period_containing
from trygghet.figures.progress import Status, Thresholds
from trygghet.figures.public_words import NOT_KEPT, PARTLY_KEPT, WAS_KEPT, verdict
from trygghet.figures.targets import parse_target, to_row
from trygghet.meetings.report import attention, sentence

D = dt.date
ML23 = AgreementSpan("medborgarlofte-2023", "Medborgarlöfte 2023–2024", D(2023, 1, 1), D(2024, 12, 31))
SPAN = ML23.span
EXAMPLE = "Mål för testerna"

TARGETS = [
    {"indicator": "informationstraffar_vuxna", "grain": "tertial", "value": 6, "valid_from": D(2023, 1, 1)},
    {
        "indicator": "atraktor_insatser",
        "grain": "year",
        "value": 12,
        "valid_from": D(2023, 1, 1),
        "season": [4, 5, 6, 7, 8, 9, 10],
    },
    {"indicator": "trafik_utandningsprov", "grain": "year", "value": 100, "valid_from": D(2024, 1, 1)},
    {"indicator": "fotpatrull_antal_centrala", "grain": "year", "value": 10, "valid_from": D(2023, 1, 1)},
]

GUARDIANS = {"audiences": ["vårdnadshavare"], "topics": ["alkohol"]}
YOUNG = {"audiences": ["unga"], "topics": ["alkohol"]}
LOG = [
    # Information meetings for guardians: one in tertial 3 of 2023, three in tertial 1 of 2024; two for young
    # people that the indicator does not count.
    activity("info_meeting", "2023-10-10", **GUARDIANS),
    activity("info_meeting", "2024-02-05", **GUARDIANS),
    activity("info_meeting", "2024-03-05", **GUARDIANS),
    activity("info_meeting", "2024-04-09", **GUARDIANS),
    activity("info_meeting", "2023-10-11", **YOUNG),
    activity("info_meeting", "2024-03-06", **YOUNG),
    # A-tractor operations in the 2023 season only; the last on 24 October 2023.
    *[
        activity("atractor_check", day, vehicles_checked=5, illegal_vehicles=1)
        for day in ("2023-04-20", "2023-05-15", "2023-06-10", "2023-08-22", "2023-09-14", "2023-10-24")
    ],
    # Breath tests: 60 + 80 in the baseline year 2023, 30 + 40 in 2024.
    activity("traffic_control", "2023-03-01", breath_tests=60),
    activity("traffic_control", "2023-09-01", breath_tests=80),
    activity("traffic_control", "2024-02-01", breath_tests=30),
    activity("traffic_control", "2024-05-02", breath_tests=40),
    # Foot patrols in central Timrå: the 1st of every month of 2023 (12), then 10 January, 10 February and
    # 10 March 2024 (3); three in Söråker, which is not central and not counted.
    *[activity("foot_patrol", f"2023-{month:02d}-01", duration_min=60) for month in range(1, 13)],
    *[activity("foot_patrol", f"2024-{month:02d}-10", duration_min=60) for month in (1, 2, 3)],
    *[
        activity("foot_patrol", day, area_code="soraker", duration_min=60)
        for day in ("2023-06-01", "2024-02-01", "2024-03-01")
    ],
]


@pytest.fixture
def log(store_with):
    assert len(LOG) == 34
    return store_with(_log)


def _log(store) -> None:
    with store.transaction() as con:
        con.execute("DELETE FROM targets")
    store.seed_targets([to_row(parse_target({**t, "agreement": ML23.id, "origin": EXAMPLE})) for t in TARGETS])
    add_rows(store, LOG)


def _one(store, indicator_id: str, period: Period, as_of: dt.date, agreement=ML23):
    return progress_for(store, [indicator_id], period, as_of, agreement, Thresholds())[0]


def _year(year: int) -> Period:
    return period_containing(Grain.YEAR, D(year, 1, 1))


WHOLE = period_containing(Grain.AGREEMENT, SPAN[0], span=SPAN)


# --- 1. a period that has ended: achieved or not achieved, nothing else ------------------------------------


def test_an_ended_tertial_with_a_shortfall_is_not_achieved_not_stale(log):
    # Tertial 3 of 2023 (September–December): 1 meeting of 6 = 17 %; seen on 15 January 2024.
    p = _one(log, "informationstraffar_vuxna", period_containing(Grain.TERTIAL, D(2023, 9, 1)), D(2024, 1, 15))
    assert (p.actual, p.target, p.status) == (1, 6, Status.NOT_ACHIEVED)
    assert IndicatorFigure.from_progress(p).status_text == "inte uppnått – 17\u00a0% av målet"


def test_an_ended_year_reached_is_achieved_and_one_missed_is_not(log):
    reached = _one(log, "fotpatrull_antal_centrala", _year(2023), D(2024, 2, 1))
    assert (reached.actual, reached.target, reached.status) == (12, 10, Status.ACHIEVED)
    missed = _one(log, "fotpatrull_antal_centrala", _year(2024), D(2025, 2, 1))
    assert (missed.actual, missed.target, missed.status) == (3, 10, Status.NOT_ACHIEVED)  # 30 %, and no data
    assert IndicatorFigure.from_progress(missed).status_text == "inte uppnått – 30\u00a0% av målet"


def test_the_tertial_ends_on_its_last_day(log):
    # Tertial 1 of 2024 (January–April) on 30 April: 3 of 6, over: not achieved (50 %). A day before it runs:
    # pro-rated 6 × 120/121 = 5,95; 3/5,95 = 50 %: behind.
    tertial = period_containing(Grain.TERTIAL, D(2024, 1, 1))
    assert _one(log, "informationstraffar_vuxna", tertial, D(2024, 4, 30)).status == Status.NOT_ACHIEVED
    running = _one(log, "informationstraffar_vuxna", tertial, D(2024, 4, 29))
    assert running.prorated == pytest.approx(6 * 120 / 121)
    assert running.status == Status.BEHIND


# --- 2. no target, no verdict ------------------------------------------------------------------------------


def test_a_quarter_outside_the_season_has_no_target_and_no_verdict(log):
    # Quarter 1 of 2023: the season is April–October, so the year's 12 weigh nothing in it: target 0.
    p = _one(log, "atraktor_insatser", period_containing(Grain.QUARTER, D(2023, 1, 1)), D(2023, 4, 2))
    assert (p.actual, p.target, p.status) == (0, 0, Status.NO_PERIOD_TARGET)
    fig = IndicatorFigure.from_progress(p)
    assert fig.status_text == "inget mål för perioden"
    assert attention([fig], {}) == []
    assert verdict([fig]).word == "Följs upp"


# --- 3. order of rules: too early and the season before "not updated" ---------------------------------------


def test_in_the_off_season_nothing_is_expected_so_nothing_is_stale(log):
    # 13 February 2024: no A-tractor data since 24 October 2023 (112 days), but the 2024 season has not begun:
    # the pro-rated target is 0, so "för tidigt att bedöma", not "ej uppdaterad".
    p = _one(log, "atraktor_insatser", _year(2024), D(2024, 2, 13))
    assert (p.actual, p.prorated) == (0, 0)
    assert p.status == Status.TOO_EARLY
    assert attention([IndicatorFigure.from_progress(p)], {}) == []


def test_early_in_the_season_a_small_pro_rated_target_is_too_early(log):
    # 8 April 2024: 8 of April's 30 days, April weighs 1 of 7 months: 12 × (8/30)/7 = 0,457 < 3.
    p = _one(log, "atraktor_insatser", _year(2024), D(2024, 4, 8))
    assert p.prorated == pytest.approx(12 * 8 / 30 / 7)
    assert p.status == Status.TOO_EARLY


def test_not_updated_only_when_work_was_expected_since_the_last_data(log):
    # Central patrols in 2024: the last on 10 March (day 70 of 366). Target 10 a year.
    # 31 May (day 152): 82 days without data, but only 10 × (152 − 70)/366 = 2,24 expected since: judged on
    # the figure: 3 of a pro-rated 10 × 152/366 = 4,15 is 72 %, behind.
    may = _one(log, "fotpatrull_antal_centrala", _year(2024), D(2024, 5, 31))
    assert may.prorated == pytest.approx(10 * 152 / 366)
    assert may.status == Status.BEHIND
    # 30 June (day 182): 10 × (182 − 70)/366 = 3,06 expected since the last data, and 112 days old: not updated.
    june = _one(log, "fotpatrull_antal_centrala", _year(2024), D(2024, 6, 30))
    assert june.status == Status.NOT_UPDATED
    # 31 March (day 91): pro-rated 10 × 91/366 = 2,49 < 3: too early, whatever the data.
    assert _one(log, "fotpatrull_antal_centrala", _year(2024), D(2024, 3, 31)).status == Status.TOO_EARLY


# --- 4. the agreement's span: only days under a target count; the comparison with last year -----------------


def test_the_baseline_year_does_not_count_toward_a_target_set_after_it(log):
    # The whole agreement on 31 December 2024: the breath-test target exists for 2024 only (100), so only
    # 2024's 30 + 40 = 70 count (not 140 + 70 = 210, 210 %): not achieved, 70 %.
    p = _one(log, "trafik_utandningsprov", WHOLE, D(2024, 12, 31))
    assert (p.actual, p.target, p.share, p.status) == (70, 100, 0.7, Status.NOT_ACHIEVED)


def test_a_target_applies_only_inside_the_agreement(log):
    # 2025 lies after the agreement: no agreement span, no target and no verdict, only the figure.
    p = _one(log, "fotpatrull_antal_centrala", _year(2025), D(2025, 6, 30), agreement=None)
    assert (p.actual, p.target, p.status) == (0, None, Status.NO_TARGET)


def test_last_year_is_compared_only_where_it_has_data_and_does_not_overlap(log):
    # 2024 to 30 June against 1 January–30 June 2023: 60 breath tests then.
    assert _one(log, "trafik_utandningsprov", _year(2024), D(2024, 6, 30)).last_year == 60
    # The whole agreement's "same period a year earlier" overlaps it: no comparison.
    assert _one(log, "trafik_utandningsprov", WHOLE, D(2024, 12, 31)).last_year is None
    # 2023 against 2022, a year with no data at all: no comparison (not "+12").
    assert _one(log, "fotpatrull_antal_centrala", _year(2023), D(2023, 12, 31)).last_year is None


# --- the words: one verdict, said the same way everywhere ----------------------------------------------------


def test_an_ended_year_is_read_aloud_as_a_final_result(log):
    figs = [
        IndicatorFigure.from_progress(p)
        for p in progress_for(log, ["fotpatrull_antal_centrala"], _year(2024), D(2025, 1, 15), ML23, Thresholds())
    ]
    assert sentence(figs, None, D(2025, 1, 15)) == (
        "Inget tidigare möte att jämföra med. Slutresultat 2024: 30\u00a0% av årsmålet – inte uppnått."
    )
    running = [
        IndicatorFigure.from_progress(p)
        for p in progress_for(log, ["fotpatrull_antal_centrala"], _year(2024), D(2024, 5, 31), ML23, Thresholds())
    ]
    assert sentence(running, None, D(2024, 5, 31)) == (
        "Inget tidigare möte att jämföra med. Hittills i år 30\u00a0% av årsmålet – efter."
    )


def test_the_public_verdict_of_an_ended_promise_is_in_the_past_tense(log):
    def figures(ids, year, as_of):
        return [
            IndicatorFigure.from_progress(p) for p in progress_for(log, ids, _year(year), as_of, ML23, Thresholds())
        ]

    assert verdict(figures(["fotpatrull_antal_centrala"], 2023, D(2024, 1, 2))) == WAS_KEPT
    assert verdict(figures(["fotpatrull_antal_centrala"], 2024, D(2025, 1, 2))) == NOT_KEPT
    # 2023: central patrols reached (12 of 10), meetings for guardians not (1 of 6 × 3 tertials = 18).
    both = figures(["fotpatrull_antal_centrala", "informationstraffar_vuxna"], 2023, D(2024, 1, 2))
    assert [f.status for f in both] == [Status.ACHIEVED, Status.NOT_ACHIEVED]
    assert verdict(both) == PARTLY_KEPT


# --- which agreement speaks for a day ------------------------------------------------------------------------


class _Agreements:
    def __init__(self, *rows):
        self.title = [r[0] for r in rows]
        self.valid_from = [r[1] for r in rows]
        self.valid_to = [r[2] for r in rows]


SOURCES = _Agreements(
    ("Samverkansöverenskommelse 2019–2023", D(2019, 4, 1), D(2023, 3, 31)),
    ("Medborgarlöfte 2023–2024", D(2023, 1, 1), D(2024, 12, 31)),
)


@pytest.mark.parametrize(
    "day,index,in_force,note",
    [
        (D(2024, 6, 30), 1, True, None),
        (D(2023, 2, 1), 1, True, None),  # both in force: the one that started last speaks
        (D(2019, 5, 1), 0, True, None),
        (
            D(2025, 1, 15),
            1,
            False,
            "Medborgarlöfte 2023–2024 gällde till 31 december 2024. Ingen senare överenskommelse är inlagd.",
        ),
        (
            D(2026, 11, 30),
            1,
            False,
            "Medborgarlöfte 2023–2024 gällde till 31 december 2024. Ingen senare överenskommelse är inlagd.",
        ),
        (
            D(2018, 1, 1),
            0,
            False,
            "Ingen överenskommelse gäller ännu. Samverkansöverenskommelse 2019–2023 gäller från 1 april 2019.",
        ),
    ],
)
def test_the_agreement_standing_on_a_day(day, index, in_force, note):
    standing = agreement_standing(SOURCES, day)
    assert (standing.index, standing.in_force, standing.note) == (index, in_force, note)


def test_a_gap_between_agreements_names_the_next_one():
    gap = _Agreements(
        ("Medborgarlöfte 2023–2024", D(2023, 1, 1), D(2024, 12, 31)),
        ("Medborgarlöfte 2026–2027", D(2026, 3, 1), D(2027, 12, 31)),
    )
    standing = agreement_standing(gap, D(2025, 6, 1))
    assert (standing.index, standing.in_force) == (0, False)
    assert standing.note == (
        "Medborgarlöfte 2023–2024 gällde till 31 december 2024. Medborgarlöfte 2026–2027 gäller från 1 mars 2026."
    )


def test_one_verdict_for_one_figure_in_every_output(log, monkeypatch):
    """The sentence, the card, Att uppmärksamma, presentation mode, the public page and the handout all say
    the same of central patrols in 2024 seen on 15 January 2025: 3 of 10, not achieved, 30 %."""
    from tests.app import open_page
    from trygghet.figures.public_words import plain_sentence
    from trygghet.meetings.report import build_report
    from trygghet.reports.model import Bullets, Table, _flat, handout, status_text

    for day in (D(2024, 11, 12), D(2025, 1, 15)):
        log.save_meeting(None, day, "Rådet", None, user=TESTER)
    report = build_report(log, D(2025, 1, 15), "Rådet", D(2025, 1, 15), Thresholds())
    fig = report.figure("fotpatrull_antal_centrala")
    verdict_text = "inte uppnått – 30\u00a0% av målet"
    assert (fig.actual, fig.target, fig.status, fig.status_text) == (3, 10, Status.NOT_ACHIEVED, verdict_text)
    patrols = next(c for c in report.commitments if c.id == "ml23-fotpatrull")
    assert patrols.sentence.endswith("Slutresultat 2024: 30\u00a0% av årsmålet – inte uppnått.")
    item = next(i for i in report.attention if i.indicator_id == fig.id)
    # On 12 November 2024 it was "ej uppdaterad"; now missed, it is listed once, for the miss.
    assert item.previous_status == Status.NOT_UPDATED
    assert item.text == f"Fotpatruller i centrala Timrå: {verdict_text} (3 patruller av 10 patruller)."
    assert verdict(list(patrols.indicators)) == NOT_KEPT
    assert plain_sentence(list(patrols.indicators)).startswith("Slutresultat 2024: 3 fotpatruller i centrala Timrå")
    assert status_text(fig) == f"✘ {verdict_text}"
    document = handout(log, D(2025, 1, 15), D(2025, 1, 15), Thresholds())
    cells = [
        text
        for block in _flat(document.blocks)
        if isinstance(block, (Bullets, Table))
        for text in (block.items if isinstance(block, Bullets) else [c for row in block.rows for c in row])
    ]
    assert f"✘ {item.text}" in cells and f"✘ {verdict_text}" in cells

    monkeypatch.setenv("TRYGGHET_TODAY", "2025-01-15")
    badge = f":red-badge[:material/cancel: {verdict_text}]"
    overview = open_page("pages/oversikt.py")
    assert badge in [m.value for m in overview.markdown]
    # Slide 4 is the second commitment, the foot patrols (1: the summary, 2: Att uppmärksamma).
    slide = open_page("pages/mote.py", query={"meeting": "2025-01-15", "mode": "present", "slide": "4"})
    assert any(verdict_text in m.value for m in slide.markdown)
    public = open_page("pages/folj_med.py")
    assert any(m.value.startswith(":material/cancel: **Löftet hölls inte.**") for m in public.markdown)


@pytest.mark.slow
def test_progress_after_the_year_on_the_demo_gives_only_final_verdicts(tmp_store):
    """`progress --period 2024 --date 2025-02-01 --json` on the demo data: every target-bearing indicator is
    achieved or not achieved, none is on track, behind, not updated or too early."""
    import json

    from trygghet.demo import load_living_demo

    load_living_demo(tmp_store, D(2025, 2, 1))
    result = command("progress", "--period", "2024", "--date", "2025-02-01", "--json", db=tmp_store.path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["agreement"]["id"] == "medborgarlofte-2023" and answer["period"]["ended"]
    judged = [i for i in answer["indicators"] if i["target"] is not None]
    assert judged and {i["status"] for i in judged} <= {"achieved", "not_achieved"}
    assert all(i["status"] == ("achieved" if i["actual"] >= i["target"] else "not_achieved") for i in judged)
