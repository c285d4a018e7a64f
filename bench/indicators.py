"""Benchmark: the overview's full set of indicators at one date, DuckDB engine against the pandas way.

    .venv/bin/python bench/indicators.py [--sizes 100000 1000000 10000000]

For each size it generates demo activities for 2023–2024 with the demo generator
(cached under bench/results/), then prints the milliseconds to compute every
indicator's progress for the year 2024 as of 30 June (actual, last year, target
pro-rated, since the last meeting, monthly series) with the engine, and the same
figures with pandas on the activities table loaded into a DataFrame, and their
ratio. The two answers are compared, so a fast wrong engine cannot pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support import demo_database, median_ms  # noqa: E402

from trygghet.bootstrap import prepare_store  # noqa: E402
from trygghet.figures.compute import progress_for  # noqa: E402
from trygghet.figures.indicators import registry  # noqa: E402
from trygghet.figures.periods import AgreementSpan, Grain, period_containing, same_period_last_year  # noqa: E402
from trygghet.settings import settings  # noqa: E402

AS_OF = dt.date(2024, 6, 30)
AGREEMENT = AgreementSpan("medborgarlofte-2023", "Medborgarlöfte 2023–2024", dt.date(2023, 1, 1), dt.date(2024, 12, 31))
SPAN = AGREEMENT.span
CENTRAL = {"timra-centrum", "vivsta", "akroken"}


def _has(values, wanted) -> pd.Series:
    return values.map(lambda v: v is not None and not isinstance(v, float) and bool(set(v) & wanted))


# The pandas way needs every indicator's filter written again as a mask: that is the usual approach's cost.
SPEED = ["hastighet", "kombinerad"]
PANDAS_FILTERS = {
    "droghandel_insatser": lambda d: d.organisation == "samverkan",
    "droghandel_insatser_kommunen": lambda d: d.organisation == "kommunen",
    "droghandel_insatser_polisen": lambda d: d.organisation == "polisen",
    "droghandel_insatser_unga": lambda d: (d.organisation == "samverkan") & d.youth_focus.fillna(False).astype(bool),
    "forebyggande_natdroger": lambda d: _has(d.topics, {"nätdroger"}),
    "fotpatrull_timmar_centrala": lambda d: d.area_code.isin(CENTRAL),
    "fotpatrull_antal_centrala": lambda d: d.area_code.isin(CENTRAL),
    "informationstraffar_alkohol_narkotika": lambda d: _has(d.topics, {"alkohol", "narkotika", "nätdroger"}),
    "informationstraffar_unga": lambda d: _has(d.audiences, {"unga"}),
    "informationstraffar_vuxna": lambda d: _has(d.audiences, {"vårdnadshavare", "andra viktiga vuxna"}),
    "personal_deltagartillfallen_vald": lambda d: d.topics.isna() | _has(d.topics, {"våld i nära relation"}),
    "personal_utbildade_vald": lambda d: d.topics.isna() | _has(d.topics, {"våld i nära relation"}),
    "personal_utbildningstillfallen": lambda d: d.topics.isna() | _has(d.topics, {"våld i nära relation"}),
    "samverkan_trygghetsinsatser": lambda d: d.organisation == "samverkan",
    "trafik_hastighetskontroller": lambda d: d.risk_place.fillna(False).astype(bool) & d.control_kind.isin(SPEED),
    "trafik_hastighetskontroller_alla": lambda d: d.control_kind.isin(SPEED),
    "trafik_hastighetsovertradelser_per_1000": lambda d: d.control_kind.isin(SPEED),
    "trafik_utandningsprov": lambda d: d.risk_place.fillna(False).astype(bool),
    "trafikkontroller_riskplatser": lambda d: d.risk_place.fillna(False).astype(bool),
}


def _engine(store, ids, period) -> dict[str, tuple]:
    results = progress_for(store, ids, period, AS_OF, AGREEMENT, settings().thresholds)
    return {p.indicator.id: (p.actual, p.last_year, p.since_meeting, tuple(v for _, v in p.monthly)) for p in results}


def _pandas_daily(frame: pd.DataFrame, numerator: pd.Series, denominator: pd.Series | None) -> pd.DataFrame:
    """Per-day sums, with a multi-day summary row spread evenly over its days."""
    days = (frame.date_to - frame.date_from).dt.days.to_numpy() + 1
    repeat = np.repeat(np.arange(len(frame)), days)
    offsets = np.arange(len(repeat)) - np.repeat(np.cumsum(days) - days, days)
    day = frame.date_from.to_numpy()[repeat] + offsets.astype("timedelta64[D]")
    out = pd.DataFrame({"day": day, "num": numerator.to_numpy(dtype=float)[repeat] / days[repeat]})
    out["den"] = 0.0 if denominator is None else denominator.to_numpy(dtype=float)[repeat] / days[repeat]
    return out.groupby("day")[["num", "den"]].sum()


def _pandas(frame: pd.DataFrame, ids, period, meeting: dt.date) -> dict[str, tuple]:
    last_year = same_period_last_year(period)
    start, until = pd.Timestamp(last_year.start), pd.Timestamp(AS_OF)
    window = frame[(frame.date_to >= start) & (frame.date_from <= until)]
    answers = {}
    for indicator_id in ids:
        ind = registry()[indicator_id]
        rows = window[window.activity_type.isin(ind.activity_types)]
        if indicator_id in PANDAS_FILTERS:
            rows = rows[PANDAS_FILTERS[indicator_id](rows).to_numpy(dtype=bool)]
        agg = ind.aggregation
        scale = 1.0 if ind.is_ratio else agg.scale
        daily = _pandas_daily(
            rows, rows[agg.numerator].fillna(0) * scale, rows[agg.denominator].fillna(0) if agg.denominator else None
        )

        value = partial(_window_value, ind, daily)

        months = period_containing(Grain.MONTH, period.start)
        monthly, day = [], period.start
        while day <= AS_OF:
            months = period_containing(Grain.MONTH, day)
            monthly.append(value(day, min(months.end, AS_OF)))
            day = months.end + dt.timedelta(days=1)
        answers[indicator_id] = (
            value(period.start, AS_OF),
            value(last_year.start, dt.date(2023, 6, 30), True),
            value(meeting + dt.timedelta(days=1), AS_OF),
            tuple(monthly),
        )
    return answers


def _window_value(ind, daily: pd.DataFrame, first: dt.date, last: dt.date, none_without_data: bool = False):
    part = daily.loc[pd.Timestamp(first) : pd.Timestamp(last)]
    if none_without_data and part.empty:  # as the engine: no comparison with a window without data
        return None
    return ind.value(part.num.sum(), part.den.sum() if ind.is_ratio else None)


def _same(a: dict, b: dict) -> bool:
    def close(x, y):
        if isinstance(x, tuple):
            return len(x) == len(y) and all(close(p, q) for p, q in zip(x, y, strict=True))
        return (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= 1e-6 * max(1, abs(x)))

    return all(close(a[k], b[k]) for k in a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ids = list(registry())
    period = period_containing(Grain.YEAR, AS_OF)
    print(f"{len(ids)} indicators, year 2024 as of {AS_OF}, median of {args.repeat} runs after one warm-up")
    print(
        f"{'rows':>12} {'engine ms':>10} {'pandas ms':>10} {'pandas/engine':>14} {'load to pandas ms':>18}  same figures"
    )
    for rows in args.sizes:
        store = prepare_store(demo_database(rows))
        meeting = max(d for d in store.meeting_dates() if d < AS_OF)
        engine = _engine(store, ids, period)
        engine_ms = median_ms(partial(_engine, store, ids, period), args.repeat)
        started = time.perf_counter()
        with store.connect() as con:
            frame = con.execute("SELECT * FROM activities").df()
        load_ms = (time.perf_counter() - started) * 1000
        for column in ("date_from", "date_to"):
            frame[column] = pd.to_datetime(frame[column])
        answer = _pandas(frame, ids, period, meeting)
        pandas_ms = median_ms(partial(_pandas, frame, ids, period, meeting), max(1, args.repeat // 2))
        print(
            f"{rows:>12,} {engine_ms:>10.0f} {pandas_ms:>10.0f} {pandas_ms / engine_ms:>13.1f}x {load_ms:>18.0f}"
            f"  {'yes' if _same(engine, answer) else 'NO'}"
        )


if __name__ == "__main__":
    main()
