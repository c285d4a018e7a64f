"""Profile: where a page run spends its time, cProfile over the script thread of AppTest runs.

    .venv/bin/python bench/page_profile.py [--rows 1000000] [--runs 5] [--pages oversikt mote fotpatrull folj_med]
                                      [--top 25] [--cold]

On the demo database of --rows rows (bench/support.py) and "today" pinned to 30 June 2024, each page
is run once unmeasured (imports, the prepared store, the figures cached: what every later visitor
meets), then --runs times under cProfile; with --cold the caches are cleared before each run. It
prints the wall time per run and the functions with the most cumulative time, AppTest's own harness
included (its share is the same for every page, a bare page's run shows it).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ["TRYGGHET_TODAY"] = "2024-06-30"

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from support import demo_database  # noqa: E402

from trygghet.store.database import keep_open  # noqa: E402

QUERIES = {
    "oversikt": {"indelning": "year", "period": "2024"},
    "fotpatrull": {"period": "egen", "fran": "2024-03-01", "till": "2024-05-31", "omrade": "timra-centrum,vivsta"},
}


def _run(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.switch_page(f"pages/{page}.py")
    for key, value in QUERIES.get(page, {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="+", default=["oversikt", "mote", "fotpatrull", "folj_med"])
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cold", action="store_true", help="clear the caches before every profiled run")
    args = parser.parse_args()
    os.environ["TRYGGHET_DB"] = str(demo_database(args.rows))
    keep_open(1.0)  # as the served dashboard does (trygghet.web.serve)
    for page in args.pages:
        _run(page)
        profile = cProfile.Profile()
        # AppTest runs the script in a thread of its own: the profiler is switched on in every new thread.
        threading.setprofile(lambda *_, profile=profile: profile.enable())
        started = time.perf_counter()
        for _ in range(args.runs):
            if args.cold:
                st.cache_data.clear()
            _run(page)
        wall = (time.perf_counter() - started) / args.runs
        threading.setprofile(None)
        profile.disable()
        print(f"\n=== {page}: {wall * 1000:.0f} ms per run (AppTest harness included), {args.runs} runs ===")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
