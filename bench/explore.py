"""Benchmark: the exploration pages' figures through the indicator compiler, against the hand-written query they had.

    .venv/bin/python bench/explore.py [--sizes 1000000] [--repeat 5]

The databases are the ones bench/indicators.py generates and caches under bench/results/.
"Today" is pinned to 30 June 2024. For every exploration page and two links (the default
"i år", by month, and "since 1 June", by week) it times what the page computes: the headline
figures and the chart sums per bucket and activity type, for the period and the same period
a year back, and the per-area, per-topic and per-audience sums its charts ask for.

- compiler: trygghet.exploration.figures (view_figures, explore_sums), what the pages run now;
- before: the store's own exploration query as it was before the exploration became a client of
  the compiler (copied below, with the pandas arithmetic that turned its sums into the figures).

Both answers are compared, so a fast wrong path cannot pass. The two run in turns on the page's one
connection, --repeat times each after a warm-up, and the fastest run of each is printed, as wall-clock
time and as the process's CPU time (DuckDB's threads included): on a shared machine the fastest is the run
least disturbed by other work, the turns give both the same weather, and CPU time hardly depends on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from support import demo_database  # noqa: E402

from trygghet.bootstrap import prepare_store  # noqa: E402
from trygghet.exploration.figures import explore_sums, view_figures  # noqa: E402
from trygghet.exploration.model import VIEWS, Selection, Window  # noqa: E402
from trygghet.figures.indicators import Ratio  # noqa: E402
from trygghet.store.database import DAY_MEASURES  # noqa: E402

TODAY = dt.date(2024, 6, 30)
LINKS = {"i år": Window(dt.date(2024, 1, 1), TODAY, "I år"), "sedan 1 juni": Window(dt.date(2024, 6, 1), TODAY, "x")}
EXTRA_GROUPS = {"area": ("area_code",), "topic": ("topic",), "audience": ("audience",)}

# --- before: the store's exploration query and the page's arithmetic on its sums, as they were --------------------

WHERE = """list_contains($types, activity_type)
    AND ($areas IS NULL OR list_contains($areas, area_code))
    AND ($organisations IS NULL OR list_contains($organisations, organisation))
    AND ($control_kinds IS NULL OR list_contains($control_kinds, control_kind))
    AND ($risk_place IS NULL OR risk_place = $risk_place)
    AND ($topics IS NULL OR list_has_any(topics, $topics))
    AND ($audiences IS NULL OR list_has_any(audiences, $audiences))"""
GROUPS = {
    "week": "CAST(date_trunc('week', day) AS DATE)",
    "month": "CAST(date_trunc('month', day) AS DATE)",
    "activity_type": "activity_type",
    "area_code": "area_code",
    "topic": "topic",
    "audience": "audience",
}
UNNEST = {"topic": ", unnest(topics) AS topic", "audience": ", unnest(audiences) AS audience"}
SUMS = ", ".join(f"round(coalesce(sum({m}), 0), 9) AS {m}" for m in DAY_MEASURES) + (
    ", round(coalesce(sum(duration_min), 0) / 60, 9) AS hours"
    ", round(coalesce(sum(staff_minutes), 0) / 60, 9) AS staff_hours"
    ", round(coalesce(sum(staff_minutes), 0), 9) AS staff_minutes"
)


def _before_sums(con, sel: Selection, by: tuple[str, ...]) -> pd.DataFrame:
    unnest = "".join(UNNEST.get(g, "") for g in by)
    keys = "".join(f"{GROUPS[g]} AS {g}, " for g in by)
    grouped = f" GROUP BY {', '.join(by)} ORDER BY {', '.join(by)}" if by else ""
    sql = (
        f"SELECT {keys}{SUMS} FROM (SELECT *{unnest} FROM activity_days"
        f" WHERE day BETWEEN $start AND $end AND {WHERE}){grouped}"
    )
    params = {
        "types": list(sel.types),
        "start": sel.start,
        "end": sel.end,
        "areas": list(sel.areas) or None,
        "organisations": list(sel.organisations) or None,
        "control_kinds": list(sel.control_kinds) or None,
        "risk_place": sel.risk_place,
        "topics": list(sel.topics) or None,
        "audiences": list(sel.audiences) or None,
    }
    return con.execute(sql, params).df()


def _before_value(metric, by_type: pd.DataFrame) -> float | None:
    rows = by_type[by_type.activity_type.isin(metric.activity_types)]
    agg = metric.aggregation
    numerator = float(rows[agg.numerator].sum())
    if not isinstance(agg, Ratio):
        return round(numerator * agg.scale, 9)
    denominator = float(rows[agg.denominator].sum())
    return None if not denominator else numerator / denominator * agg.scale


def before(store, view, sel: Selection, last: Selection, grain: str):
    with store.connect() as con:
        extra = {c: _before_sums(con, sel, g) for c, g in EXTRA_GROUPS.items() if c in view.charts}
        now, then = (_before_sums(con, s, (grain, "activity_type")) for s in (sel, last))
    by_type = [frame.groupby("activity_type", as_index=False).sum(numeric_only=True) for frame in (now, then)]
    return [tuple(_before_value(m, frame) for m in view.metrics) for frame in by_type], now, extra


def compiler(store, view, sel: Selection, last: Selection, grain: str):
    with store.connect():
        extra = {c: explore_sums(store, sel, g) for c, g in EXTRA_GROUPS.items() if c in view.charts}
        now, then = (view_figures(store, view.metrics, s, grain) for s in (sel, last))
    return [now.metrics, then.metrics], now.sums, extra


def _same(a, b) -> bool:
    def close(x, y):
        return (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y, abs_tol=1e-6))

    metrics_a, series_a, extra_a = a
    metrics_b, series_b, extra_b = b
    if [len(xs) for xs in metrics_a] != [len(ys) for ys in metrics_b]:
        return False
    if not all(close(x, y) for xs, ys in zip(metrics_a, metrics_b, strict=True) for x, y in zip(xs, ys, strict=True)):
        return False
    for frame_a, frame_b in [(series_a, series_b), *((extra_a[k], extra_b[k]) for k in extra_a)]:
        shared = [c for c in frame_a.columns if c in frame_b.columns]
        if len(frame_a) != len(frame_b):
            return False
        for column in shared:
            left, right = frame_a[column].reset_index(drop=True), frame_b[column].reset_index(drop=True)
            if pd.api.types.is_numeric_dtype(left):
                if not all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(left, right, strict=True)):
                    return False
            elif list(pd.to_datetime(left) if "week" in column or "month" in column else left) != list(
                pd.to_datetime(right) if "week" in column or "month" in column else right
            ):
                return False
    return True


def _fastest_in_turns(runs, repeat: int) -> list[tuple[float, float]]:
    """Each run's fastest wall-clock and CPU time in ms, the runs taking turns."""
    best = [(math.inf, math.inf)] * len(runs)
    for _ in range(repeat):
        for n, run in enumerate(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
            best[n] = (min(best[n][0], wall), min(best[n][1], cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print(f"today {TODAY}; fastest of {args.repeat} runs in turns, after a warm-up; ms; the machine is shared")
    print(f"{'':>10} {'':<22} {'':<14} {'wall-clock':^28}{'CPU':^28}")
    print(
        f"{'rows':>10} {'page':<22} {'link':<14}"
        + f" {'before':>7} {'compiler':>9} {'ratio':>9}" * 2
        + "  same figures"
    )
    for rows in args.sizes:
        store = prepare_store(demo_database(rows))
        totals = [0.0] * 4
        with store.connect():  # as the page: every read of a run on one connection
            for slug, view in VIEWS.items():
                for link, window in LINKS.items():
                    sel = Selection(view.types, window.start, window.end)
                    last = sel.over(window.last_year())
                    runs = [
                        partial(before, store, view, sel, last, window.grain),
                        partial(compiler, store, view, sel, last, window.grain),
                    ]
                    same = _same(runs[0](), runs[1]())
                    (before_wall, before_cpu), (compiler_wall, compiler_cpu) = _fastest_in_turns(runs, args.repeat)
                    times = (before_wall, compiler_wall, before_cpu, compiler_cpu)
                    totals = [t + m for t, m in zip(totals, times, strict=True)]
                    print(f"{rows:>10,} {slug:<22} {link:<14}{_columns(times)}  {'yes' if same else 'NO'}")
        print(f"{rows:>10,} {'all pages':<22} {'both':<14}{_columns(totals)}")


def _columns(times) -> str:
    before_wall, compiler_wall, before_cpu, compiler_cpu = times
    return (
        f" {before_wall:>7.0f} {compiler_wall:>9.0f} {compiler_wall / before_wall:>8.2f}x"
        f" {before_cpu:>7.0f} {compiler_cpu:>9.0f} {compiler_cpu / before_cpu:>8.2f}x"
    )


if __name__ == "__main__":
    main()
