"""How long a change of the data makes visitors wait: the figures computed afresh after a write.

    .venv/bin/python bench/recompute.py [--rows 1000000] [--sessions 8] [--pages mote oversikt fotpatrull folj_med]

On the demo database of --rows rows (bench/support.py), "today" pinned to 30 June 2024, each page is opened
by --sessions AppTest sessions (in this process, as the server runs them), once each so that every figure is
cached. Then one write bumps the data version (as an import does) and the sessions open the page again,
arriving 0,1 s apart, while the first of them computes the page's figures afresh. It prints, per page, the
first session's time (it computes), the others' median and slowest (what the recomputation makes them wait),
and the process's CPU time per page run. The wall times grow with what else runs on the machine; the gap
between the first session and the others does not. First it prints what one call of a cached function costs
when its figures are cached (a page makes about ten a run): the key's lookup and the result's.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ["TRYGGHET_TODAY"] = "2024-06-30"

from page_profile import QUERIES  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from support import demo_database  # noqa: E402

from trygghet.store.database import Store, keep_open  # noqa: E402


def _session(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.switch_page(f"pages/{page}.py")
    for key, value in QUERIES.get(page, {}).items():
        at.query_params[key] = value
    return at


def _timed_run(at: AppTest, times: list[float], index: int) -> None:
    started = time.perf_counter()
    at.run()
    times[index] = time.perf_counter() - started
    assert not at.exception, [e.message for e in at.exception]


def _cached_calls() -> None:
    """A script (run by AppTest as a page is) that times 500 calls of a cached function whose result is cached."""
    import datetime as dt
    import time

    import streamlit as st

    from trygghet.figures.periods import AgreementSpan
    from trygghet.web import ui

    @ui.per_data_version(shared=True)
    def figures(agreement: AgreementSpan, period: str, day: dt.date) -> int:
        return 1

    span = AgreementSpan("medborgarlofte-2023", "Medborgarlöfte", dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    figures(span, "2024", dt.date(2024, 6, 30))
    calls, cpu, wall = 500, time.process_time(), time.perf_counter()
    for _ in range(calls):
        figures(span, "2024", dt.date(2024, 6, 30))
    cpu, wall = (time.process_time() - cpu) / calls, (time.perf_counter() - wall) / calls
    st.write(f"One cached call: {cpu * 1000:.3f} ms of CPU, {wall * 1000:.3f} ms wall.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--pages", nargs="+", default=["mote", "oversikt", "fotpatrull", "folj_med"])
    args = parser.parse_args()
    # AppTest set up outside a run says "missing ScriptRunContext" for each session: noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
    os.environ["TRYGGHET_DB"] = str(demo_database(args.rows))
    keep_open(1.0)  # as the served dashboard does (trygghet.web.serve)
    store = Store()
    print(f"{args.sessions} sessions per page, {args.rows:,} rows; load average {os.getloadavg()[0]:.1f} at the start.")
    calls = AppTest.from_function(_cached_calls, default_timeout=120)
    calls.run()
    print(calls.markdown[0].value)
    print(f"{'page':<12} {'first (computes)':>16} {'others: median':>15} {'slowest':>8} {'CPU per run':>12}")
    for page in args.pages:
        sessions = [_session(page) for _ in range(args.sessions)]
        for at in sessions:
            at.run()  # every figure cached, every session's own state set
        with store.transaction():
            pass  # bumps the data version, as every import does
        times = [0.0] * len(sessions)
        cpu = time.process_time()
        threads = [threading.Thread(target=_timed_run, args=(at, times, i)) for i, at in enumerate(sessions)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        cpu = (time.process_time() - cpu) / len(sessions)
        others = times[1:]
        print(f"{page:<12} {times[0]:>15.2f}s {statistics.median(others):>14.2f}s {max(others):>7.2f}s {cpu:>11.2f}s")
    print(f"Load average {os.getloadavg()[0]:.1f} at the end (a shared machine: other work ran beside this).")


if __name__ == "__main__":
    main()
