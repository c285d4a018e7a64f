"""Benchmark: every page as a user feels it, in headless Chromium, beside a bare one-title Streamlit page.

    .venv/bin/python bench/browser.py [--sizes demo 1000000] [--repeat 3] [--pages oversikt mote]

For the demo database and a database of N rows (bench/support.py generates and caches it), a dashboard
is started on a free port, "today" pinned to 30 June 2024, and every page a viewer reaches is measured:

- full: a new tab opens the page's address, until the script has stopped and every chart is drawn; beside it, when
  the browser saw the script stop (what is left is drawing charts) and how many messages the server sent (counted in
  the unmeasured load: each element is one, and sending and laying them out one by one is most of a full load);
- switch: from Översikt, a click on the page in the menu, until its first figure (the summary of every commitment,
  a metric, a chart or a table) shows, and until the page is complete (script stopped, every chart drawn);
  timed in the page from the click's pointerdown, so that Playwright's own checks before it clicks (scrolling,
  waiting for the link to stand still, 0,05 s on an idle machine and over a second on a busy one) are not
  counted as the dashboard's time;

next to a bare page (`st.title` alone) served by the same Streamlit in the same run, loaded the same way: once
before the pages, and again before each load of each page, so that a page's ratio is to the bare loads made
beside it (a busy machine's load drifts over the minutes a run takes).
Each figure is the median of --repeat loads after one unmeasured load (imports, the prepared store, the page's
figures computed). A full load opens a tab in a new browser context, which keeps no cache: Streamlit's scripts
are fetched and compiled again each time, as on a first visit, for the bare page as for the others. The reach: full at most 2x the bare page; the first figure
within 0,5 s of a menu switch at 1 M rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from support import demo_database  # noqa: E402

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, start_streamlit, wait_idle  # noqa: E402
from trygghet.bootstrap import prepare_store  # noqa: E402

TODAY = "2024-06-30"
# (address, heading, menu title): the pages of a viewer's menu; the public page is not in the internal menu.
PAGES = [
    ("oversikt", "Översikt", "Översikt"),
    ("mote", "Rådets möte", "Rådets möte"),
    ("mal", "Mål", "Mål"),
    ("folj-med", "Följ med i hur det går", None),
    ("fotpatrull", "Fotpatrull", "Fotpatrull"),
    ("trafikkontroller", "Trafikkontroller", "Trafikkontroller"),
    ("a-traktorer", "A-traktorer och buskörning", "A-traktorer och buskörning"),
    ("informationstraffar", "Informationsträffar", "Informationsträffar"),
    ("droghandel", "Öppen droghandel", "Öppen droghandel"),
    ("vald-i-nara-relation", "Våld i nära relation", "Våld i nära relation"),
    ("aktiviteter", "Aktiviteter", "Aktiviteter"),
]
BARE = 'import streamlit as st\n\nst.title("En tom sida")\n'
# Every chart of the page drawn: as many plotly SVGs as chart elements.
CHARTS_DRAWN = """() => { const charts = document.querySelectorAll("[data-testid='stPlotlyChart']");
  return [...charts].every(c => c.querySelector('.main-svg')); }"""
# The first figure: the summary of every commitment (issue 18 item 1: each one's figure, pace and verdict as text),
# a metric, a drawn chart or a table (Mål shows its targets as a table).
FIRST_FIGURE = (
    "[data-testid='stMain'] :is(table.glance, [data-testid='stMetricValue'], .js-plotly-plot .main-svg, "
    "[data-testid='stDataFrame'] canvas, [data-testid='stTable'])"
)
# Milliseconds from the click's pointerdown until the new page's heading and a first figure of this run (not one
# left, faded, from the page before) are laid out: polled on every animation frame, in the page's own clock.
SINCE_CLICK = """([figure, heading]) => {
  const main = document.querySelector("[data-testid='stMain']");
  const shown = e => !e.closest("[data-stale='true']") && e.getBoundingClientRect().height > 0;
  const ready = main && [...main.querySelectorAll("h1")].some(h => h.textContent.trim() === heading)
    && [...document.querySelectorAll(figure)].some(shown);
  return ready && window.__clicked !== undefined && performance.now() - window.__clicked;
}"""
CLICK_CLOCK = """() => { delete window.__clicked;
  document.addEventListener("pointerdown", () => { window.__clicked = performance.now(); }, {capture: true, once: true}); }"""


def _complete(page, heading: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)


def _full_ms(browser, url: str, heading: str) -> tuple[float, float]:
    """A new tab in a new browser context (nothing cached in the browser) opens the address: until the script was
    seen stopped, and until the page is complete (ms)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    stopped = (time.perf_counter() - started) * 1000
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    elapsed = (time.perf_counter() - started) * 1000
    page.close()
    return stopped, elapsed


def _messages(browser, url: str, heading: str) -> int:
    """A full load that counts the messages the server sends over the websocket (not timed: counting them costs)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    frames: list[int] = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda _: frames.append(1)))
    page.goto(url)
    _complete(page, heading)
    page.close()
    return len(frames)


def _switch_ms(page, url: str, title: str, heading: str) -> tuple[float, float]:
    """From Översikt, a click in the menu: until the first figure shows, and until the page is complete (ms)."""
    if not page.url.split("?")[0].endswith("/oversikt"):
        page.goto(f"{url}/oversikt")
        _complete(page, "Översikt")
    link = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").filter(has_text=title).first
    page.evaluate(CLICK_CLOCK)
    link.click()
    first = page.wait_for_function(SINCE_CLICK, arg=[FIRST_FIGURE, heading], polling="raf", timeout=120_000)
    first = first.json_value()
    _complete(page, heading)
    done = page.evaluate("performance.now() - window.__clicked")
    page.goto(f"{url}/oversikt")  # back for the next switch
    _complete(page, "Översikt")
    return first, done


def _median(values: list[float]) -> float:
    return statistics.median(values)


def run(label: str, db: Path, repeat: int, folder: Path, pages: list[str] | None) -> None:
    from playwright.sync_api import sync_playwright

    bare_script = folder / "bare.py"
    bare_script.write_text(BARE, encoding="utf-8")
    dashboard = start_streamlit(db, folder / f"dashboard-{label}.log", today=TODAY)
    # The bare page: the same Streamlit, its own script, a port of its own.
    bare = start_streamlit(
        db, folder / f"bare-{label}.log", today=TODAY, app=("-m", "streamlit", "run", str(bare_script))
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            messages = _messages(browser, bare.url, "En tom sida")
            loads = [_full_ms(browser, bare.url, "En tom sida") for _ in range(repeat)]
            bare_ms = _median([t[1] for t in loads])
            print(
                f"\n{label}: bare one-title page, full load {bare_ms:.0f} ms, script seen stopped "
                f"{_median([t[0] for t in loads]):.0f} ms, {messages} messages (median of {repeat})"
            )
            print(
                f"{'page':<22} {'full ms':>8} {'bare beside':>12} {'× bare':>7} {'stopped ms':>11} {'messages':>9} "
                f"{'switch: first figure ms':>24} {'complete ms':>12}"
            )
            tab = browser.new_page(viewport={"width": 1366, "height": 768}, locale="sv-SE")
            for path, heading, title in PAGES:
                if pages and path not in pages:
                    continue
                # unmeasured: caches of this page, and its messages counted
                messages = _messages(browser, f"{dashboard.url}/{path}", heading)
                loads, beside = [], []
                for _ in range(repeat):
                    beside.append(_full_ms(browser, bare.url, "En tom sida")[1])
                    loads.append(_full_ms(browser, f"{dashboard.url}/{path}", heading))
                full, stopped = _median([t[1] for t in loads]), _median([t[0] for t in loads])
                if title is not None and path != "oversikt":
                    times = [_switch_ms(tab, dashboard.url, title, heading) for _ in range(repeat)]
                    switch = f"{_median([t[0] for t in times]):>24.0f} {_median([t[1] for t in times]):>12.0f}"
                else:
                    switch = f"{'–':>24} {'–':>12}"
                bare_beside = _median(beside)
                print(
                    f"{path:<22} {full:>8.0f} {bare_beside:>12.0f} {full / bare_beside:>7.1f} {stopped:>11.0f} "
                    f"{messages:>9} {switch}"
                )
            browser.close()
    finally:
        dashboard.stop()
        bare.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["demo", "1000000"],
        help="'demo' (the demo of the first start) and/or numbers of rows",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--pages", nargs="+", choices=[p[0] for p in PAGES], help="only these pages (default: every one)"
    )
    args = parser.parse_args()
    os.environ["TRYGGHET_TODAY"] = TODAY
    print(
        f"today {TODAY}; headless Chromium at 1366×768; median of {args.repeat} loads; "
        f"{os.cpu_count()} cores (shared with whatever else runs)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            if size == "demo":
                db = folder / "demo.duckdb"
                prepare_store(db, demo_if_empty=True)
                run("demo data", db, args.repeat, folder, args.pages)
            else:
                run(f"{int(size):,} rows".replace(",", " "), demo_database(int(size)), args.repeat, folder, args.pages)


if __name__ == "__main__":
    main()
