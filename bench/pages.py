"""Benchmark: each exploration page's server-side run time on demo data of 100 000 and 1 000 000 activity rows.

    .venv/bin/python bench/pages.py [--sizes 100000 1000000] [--repeat 5]

The databases are the ones bench/indicators.py generates and caches under bench/results/.
"Today" is pinned to 30 June 2024. For every page and two links (the default "i år" and
the heaviest preset, the agreement's whole span) it prints, as the median of --repeat runs:

- data: the page's reads from the store (load_page_data), no cache;
- cold: the page's own run (trygghet.web.explore_page.render: filters, reads, figures, charts,
  table, download buttons) inside an AppTest run, with Streamlit's caches cleared first;
- warm: the same run again with the figures cached (what a user sees on every later rerun).

AppTest's own harness (about 200 ms a run, most of it scanning installed packages for
components) is not the page's time and is left out by timing render() itself.
The target is at most 300 ms per page at 1 M rows, cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = "2024-06-30"
os.environ["TRYGGHET_TODAY"] = TODAY

import datetime as dt  # noqa: E402

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from support import demo_database, median_ms  # noqa: E402

from trygghet.bootstrap import prepare_store  # noqa: E402
from trygghet.exploration.model import VIEWS, Filters, Preset, resolve_period, selection  # noqa: E402
from trygghet.figures.compute import default_agreement  # noqa: E402
from trygghet.web import explore_page, ui  # noqa: E402
from trygghet.web.explore_page import load_page_data  # noqa: E402

LINKS = {"i år": {}, "hela överenskommelsen": {"period": "overenskommelse"}}
PAGE_FILES = {
    "fotpatrull": "fotpatrull",
    "trafikkontroller": "trafikkontroller",
    "a-traktorer": "a_traktorer",
    "informationstraffar": "informationstraffar",
    "droghandel": "droghandel",
    "vald-i-nara-relation": "vald_i_nara_relation",
    "aktiviteter": "aktiviteter",
}


def _data_run(store, slug: str, query: dict):
    view = VIEWS[slug]
    today = dt.date.fromisoformat(TODAY)
    agreements = store.agreements().reset_index(drop=True)
    row = agreements.loc[default_agreement(agreements, today)]
    agreement = (row.title, row.valid_from.date(), row.valid_to.date())
    filters = Filters(preset=Preset(query.get("period", "ar")))
    window, _ = resolve_period(filters, today, [], agreement)
    sel = selection(filters, window, view.types)
    return lambda: load_page_data(store, slug, sel, sel.over(window.last_year()), window.grain)


RENDER_MS: list[float] = []
_render = explore_page.render


def _timed_render(slug: str) -> None:
    """render() as the page files call it, timed (the page files look it up when they run)."""
    started = time.perf_counter()
    try:
        _render(slug)
    finally:
        RENDER_MS.append((time.perf_counter() - started) * 1000)


explore_page.render = _timed_render


def _page_ms(slug: str, query: dict, repeat: int, cold: bool) -> float:
    """Median time of the page's own run in AppTest, with or without the caches cleared first."""
    times = []
    for _ in range(repeat):
        if cold:
            st.cache_data.clear()
            st.cache_resource.clear()  # the shared figures and charts (ui.per_data_version(shared=True)) ...
            ui.store()  # ... but not the prepared store, which is no part of a page's run
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.switch_page(f"pages/{PAGE_FILES[slug]}.py")
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception and not at.error, slug
        assert at.metric, f"{slug}: no figures drawn"
        times.append(RENDER_MS[-1])
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"today {TODAY}; median of {args.repeat} runs; ms")
    print(f"{'rows':>10} {'page':<22} {'link':<22} {'data':>6} {'cold':>6} {'warm':>6}")
    for rows in args.sizes:
        path = demo_database(rows)
        os.environ["TRYGGHET_DB"] = str(path)
        store = prepare_store(path)
        _page_ms("fotpatrull", {}, 1, cold=True)  # warm-up: imports, the prepared store
        for slug in PAGE_FILES:
            for link, query in LINKS.items():
                data_ms = median_ms(_data_run(store, slug, query), args.repeat)
                cold_ms = _page_ms(slug, query, args.repeat, cold=True)
                warm_ms = _page_ms(slug, query, args.repeat, cold=False)
                print(f"{rows:>10,} {slug:<22} {link:<22} {data_ms:>6.0f} {cold_ms:>6.0f} {warm_ms:>6.0f}")


if __name__ == "__main__":
    main()
