"""Load test: many people on the dashboard at once while the command line imports a file.

    .venv/bin/python bench/load.py [--sessions 12 30 60] [--browsers 2] [--seconds 60] [--rows 1000000]
                                   [--import-rows 20000] [--think 5]

Starts the dashboard (`python -m trygghet.serve`) on a copy of the 1 M-row demo database that
bench/indicators.py caches under bench/results/, "today" pinned to 30 June 2024. Then, for each
number N of --sessions in turn (the browsers included), for --seconds:

- N - --browsers plain websocket clients speak Streamlit's own protocol (what the browser sends: a rerun of a
  page with its URL parameters) and time each page run from the request to the server's
  "script finished";
- --browsers headless Chromium sessions (Debian's /usr/bin/chromium, driven by Playwright; nothing
  is downloaded) open the same pages by their addresses and wait until the page has finished;
- every session walks the overview, the council meeting, the foot-patrol page with filters in
  the URL and the public page, over and over, as a person does: it reads each page before it opens
  the next, a think time drawn evenly between half and one and a half times --think (5 s by default:
  a glance; reading a page of figures takes longer), and the sessions start spread over the first
  think time rather than all in the same instant. `--think 0` hammers reruns back to back, which
  is no model of 30 officials but shows the server's ceiling;
- before the first phase every page is opened once, unmeasured: a served dashboard runs for weeks, and
  the cold start after a restart is not what its visitors meet; then the server's CPU time for a new session
  (websocket, first page run, close) and for a later page run is measured one session at a time, which the
  machine's other work does not inflate;
- ten seconds in, one `python -m trygghet import` of --import-rows new foot patrols runs
  against the same file (the dashboard must hand the file over and carry on).

It also prints the server's CPU time per page run (from /proc): unlike the page times, that
does not grow with what else runs on the machine, and cores / CPU per run bounds the page runs
per second the server can give at all; and its own (the client's reading of the messages), to show
that the client is not the one that starves.

An error is a page run that shows Streamlit's error box, any of the app's error messages
("Något gick fel", "Databasen är upptagen", …), a "page not found", or that does not finish
within 60 s. It prints, per N: sessions, page runs, errors, p50/p95 page time and the import's
outcome; the Chromium sessions' own p50/p95 (each a full page load, the browser's drawing included); the
p95 of the page runs asked for while the import ran, in the 5 s after it (when every page's figures are
computed afresh) and the rest; and then the first N at which errors or a p95 above 5 s begin (or that
none did).
The reach asked for: 30 sessions for 60 s with no error and p95 at most 2 s, the import done.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))
TODAY = "2024-06-30"
os.environ["TRYGGHET_TODAY"] = TODAY

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from support import demo_database  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from tests.chromium import APP_IDLE, CHROMIUM, CHROMIUM_FLAGS, start_streamlit  # noqa: E402

# (page name as Streamlit routes it, URL parameters): the overview is the default page, at the root.
PAGES = [
    ("", "indelning=year&period=2024"),
    ("mote", ""),
    ("fotpatrull", "period=egen&fran=2024-03-01&till=2024-05-31&omrade=timra-centrum,vivsta"),
    ("folj-med", ""),
]
# What the app says when a page fails (dashboard.py's guard and the store); never on a page that works.
APP_ERRORS = ("Något gick fel", "Databasen är upptagen", "Databasen kunde inte läsas", "används av ett annat program")
PAGE_TIMEOUT = 60.0


@dataclass
class Tally:
    """Page runs of one phase, from every session's thread."""

    times: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # time.monotonic() at each run's request
    errors: list[str] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    browser: list[float] = field(default_factory=list)  # the Chromium sessions' page runs (full page loads)
    first: list[float] = field(default_factory=list)  # each session's first page run (a new session starts)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self, seconds: float, error: str | None, page: str = "", browser: bool = False, first: bool = False
    ) -> None:
        with self.lock:
            if browser:
                self.browser.append(seconds)
            if first:
                self.first.append(seconds)
            self.times.append(seconds)
            self.started.append(time.monotonic() - seconds)
            self.per_page.setdefault(page or "oversikt", []).append(seconds)
            if error:
                self.errors.append(error)


def _ws_page_run(ws, page: str, query: str) -> str | None:
    """One rerun of `page` over the websocket; the error seen, or None."""
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_name = page
    ws.send(back.SerializeToString())
    error = None
    deadline = time.monotonic() + PAGE_TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return f"{page or 'oversikt'}: ingen svar inom {PAGE_TIMEOUT:.0f} s"
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=remaining))
        kind = msg.WhichOneof("type")
        if kind == "page_not_found":
            error = f"{page}: page not found"
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                error = f"{page or 'oversikt'}: {element.exception.type}: {element.exception.message[:120]}"
            elif which == "alert" and element.alert.format == 1 and any(t in element.alert.body for t in APP_ERRORS):
                error = f"{page or 'oversikt'}: {element.alert.body[:160]}"
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            return error


def _open(url: str):
    """A websocket to the dashboard, as the browser opens one for each tab (a new session on the server)."""
    return connect(
        url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60
    )


def _think(rng: random.Random, think: float, until: float) -> float:
    """A reader's pause before the next page: evenly between half and one and a half times `think`."""
    return max(0.0, min(rng.uniform(0.5, 1.5) * think, until - time.monotonic()))


def _ws_session(url: str, until: float, tally: Tally, seed: int, think: float) -> None:
    """One visitor over a plain websocket: the pages in turn, starting at a different one each, reading each
    page for a think time before the next."""
    order = PAGES[seed % len(PAGES) :] + PAGES[: seed % len(PAGES)]
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, think))  # visitors arrive one after another, not in one instant
    try:
        with _open(url) as ws:
            i = 0
            while time.monotonic() < until:
                page, query = order[i % len(order)]
                started = time.monotonic()
                try:
                    error = _ws_page_run(ws, page, query)
                except TimeoutError:
                    error = f"{page}: ingen svar inom {PAGE_TIMEOUT:.0f} s"
                tally.add(time.monotonic() - started, error, page, first=i == 0)
                i += 1
                time.sleep(_think(rng, think, until))
    except Exception as exc:  # noqa: BLE001 - a session that cannot connect is an error, counted
        tally.add(0.0, f"anslutningen: {exc!r}"[:200])


async def _browser_sessions(url: str, n: int, until: float, tally: Tally, think: float) -> None:
    """n Chromium sessions (one browser, a context each) opening the pages by address."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)

        async def session(seed: int) -> None:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="sv-SE")
            page = await context.new_page()
            rng = random.Random(1000 + seed)
            await asyncio.sleep(rng.uniform(0, think))
            i = seed
            while time.monotonic() < until:
                name, query = PAGES[i % len(PAGES)]
                started = time.monotonic()
                error = None
                try:
                    await page.goto(f"{url}/{name}" + (f"?{query}" if query else ""), timeout=PAGE_TIMEOUT * 1000)
                    await page.wait_for_selector("h1", timeout=PAGE_TIMEOUT * 1000)
                    await page.wait_for_selector(APP_IDLE, timeout=PAGE_TIMEOUT * 1000)
                    text = await page.locator("[data-testid='stApp']").inner_text()
                    found = [
                        t for t in (*APP_ERRORS, "This app has encountered an error", "Page not found") if t in text
                    ]
                    if found or await page.locator("[data-testid='stException']").count():
                        error = f"{name or 'oversikt'} (webbläsare): {found or 'stException'}"
                except Exception as exc:  # noqa: BLE001 - counted as an error of the page run
                    error = f"{name or 'oversikt'} (webbläsare): {exc!r}"[:200]
                tally.add(time.monotonic() - started, error, name, browser=True, first=i == seed)
                i += 1
                await asyncio.sleep(_think(rng, think, until))
            await context.close()

        await asyncio.gather(*(session(s) for s in range(n)))
        await browser.close()


def _import_file(folder: Path, rows: int) -> Path:
    """A foot-patrol log of `rows` new patrols in spring 2024, none already in the demo data."""
    rng = random.Random(17)
    areas = ["Timrå centrum", "Vivsta", "Sörberge", "Bergeforsen", "Söråker"]
    lines = ["Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter"]
    start = dt.date(2024, 1, 1)
    for n in range(rows):
        day = start + dt.timedelta(days=rng.randrange(180))
        lines.append(
            f"{day.isoformat()};{rng.randrange(6, 23)}:{rng.randrange(60):02d};{rng.choice(['1', '1,5', '2'])};"
            f"{rng.choice(areas)};Lasttest {n};Polisen;2;{rng.randrange(10)}"
        )
    path = folder / f"lasttest-{rows}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class ImportOutcome:
    code: int | None = None
    seconds: float = 0.0
    last_line: str = ""
    started: float = 0.0  # time.monotonic() at the command's start and end
    ended: float = 0.0


def _run_import(db: Path, file: Path, delay: float, outcome: ImportOutcome) -> None:
    time.sleep(delay)
    started = outcome.started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "trygghet", "--db", str(db), "import", str(file)],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    outcome.ended = time.monotonic()
    outcome.code, outcome.seconds = result.returncode, outcome.ended - started
    lines = (result.stdout + result.stderr).strip().splitlines()
    outcome.last_line = lines[-1] if lines else ""


SESSION_ROUNDS = 8


def _session_costs(url: str, pid: int, ws) -> tuple[float, float]:
    """The server's CPU time for a new session (its websocket, its first page run, its close) and for a later
    page run of a session, one at a time, so that what the machine's other work does cannot inflate it. A first
    run that costs more than a later one is paid by every visitor who opens the dashboard in a new tab. `ws`, an
    open session, stays as a visitor already there (Streamlit forgets its compiled scripts when the last leaves)."""

    def per_round(one_round) -> float:
        before = _cpu_seconds(pid)
        for i in range(SESSION_ROUNDS):
            one_round(*PAGES[i % len(PAGES)])
        time.sleep(0.5)  # the server closes the last session after its websocket (idle, it uses next to no CPU)
        return (_cpu_seconds(pid) - before) / SESSION_ROUNDS

    def new_session(page: str, query: str) -> None:
        with _open(url) as fresh:
            _ws_page_run(fresh, page, query)

    return per_round(new_session), per_round(lambda page, query: _ws_page_run(ws, page, query))


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _phase(
    url: str, pid: int, db: Path, clients: int, browsers: int, seconds: float, import_file: Path | None, think: float
) -> dict:
    tally, outcome = Tally(), ImportOutcome()
    cpu_before, own_before = _cpu_seconds(pid), time.process_time()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_ws_session, args=(url, until, tally, s, think)) for s in range(clients)]
    importer = [
        threading.Thread(target=_run_import, args=(db, import_file, min(10.0, seconds / 3), outcome))
        for _ in [import_file]
        if import_file is not None
    ]
    for thread in [*threads, *importer]:
        thread.start()
    if browsers:
        asyncio.run(_browser_sessions(url, browsers, until, tally, think))
    for thread in [*threads, *importer]:
        thread.join()
    cpu, own = _cpu_seconds(pid) - cpu_before, time.process_time() - own_before
    # The page runs asked for while the import ran, in the 5 s after it (the figures computed afresh), and the rest.
    windows: dict[str, list[float]] = {"during the import": [], "in the 5 s after it": [], "the rest": []}
    for begun, took in zip(tally.started, tally.times, strict=True):
        if outcome.ended and outcome.started <= begun < outcome.ended:
            windows["during the import"].append(took)
        elif outcome.ended and outcome.ended <= begun < outcome.ended + 5:
            windows["in the 5 s after it"].append(took)
        else:
            windows["the rest"].append(took)
    return {
        "windows": windows,
        "cpu_per_run": cpu / max(1, len(tally.times)),
        "own_cpu_per_run": own / max(1, len(tally.times)),
        "sessions": clients + browsers,
        "runs": len(tally.times),
        "errors": tally.errors,
        "p50": statistics.median(tally.times) if tally.times else float("nan"),
        "p95": _percentile(tally.times, 0.95),
        "import": outcome,
        "pages": {page: statistics.median(times) for page, times in sorted(tally.per_page.items())},
        "browser": tally.browser,
        "first": tally.first,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=[12, 30, 60],
        help="sessions per phase, the browsers included, one phase each (default 12 30 60)",
    )
    parser.add_argument("--browsers", type=int, default=2, help="Chromium sessions in every phase (default 2)")
    parser.add_argument("--seconds", type=float, default=60, help="length of a phase (default 60)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="demo rows in the database (default 1 000 000)")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=20_000,
        help="rows of the file imported in each phase (0: no import, the pages alone)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds a session reads a page before the next (default 5; 0: back to back)",
    )
    args = parser.parse_args()
    if any(n < args.browsers for n in args.sessions):
        sys.exit("--sessions räknar in webbläsarna: varje antal måste vara minst --browsers.")
    if args.browsers and not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} saknas: installera Debians chromium eller kör med --browsers 0.")

    source = demo_database(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "load.duckdb"
        shutil.copy(source, db)
        print(
            f"Dashboard on a copy of {source.name} ({args.rows:,} rows), today {TODAY}; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start."
        )
        print(
            f"Each session reads a page for {args.think / 2:.1f}–{args.think * 1.5:.1f} s (evenly, mean "
            f"{args.think:.1f} s) before the next; the sessions start spread over the first {args.think:.1f} s."
        )
        server = start_streamlit(db, folder / "streamlit.log", today=TODAY)
        breaking = None
        try:
            # A dashboard serves for weeks: the first visitor after a restart computes every page's figures, and
            # that one cold start is not a phase's page time. (The import in each phase still makes every page
            # compute its figures afresh once.)
            started = time.monotonic()
            with _open(server.url) as ws:
                for page, query in PAGES:
                    _ws_page_run(ws, page, query)
                print(f"Warmed up: every page opened once, unmeasured, in {time.monotonic() - started:.1f} s.")
                new, later = _session_costs(server.url, server.process.pid, ws)
            print(
                f"The server's CPU time, one session at a time ({SESSION_ROUNDS} of each, the pages in turn): a new "
                f"session (its websocket, first page run and close) {new:.3f} s, a later page run {later:.3f} s."
            )
            print(f"{'sessions':>8} {'page runs':>9} {'errors':>6} {'p50 s':>6} {'p95 s':>6}  import")
            for n in args.sessions:
                result = _phase(
                    server.url,
                    server.process.pid,
                    db,
                    n - args.browsers,
                    args.browsers,
                    args.seconds,
                    _import_file(folder, args.import_rows + n) if args.import_rows else None,
                    args.think,
                )  # a new file each phase
                imp = result["import"]
                verdict = (
                    f"{'done' if imp.code == 0 else f'FAILED (exit {imp.code})'} in {imp.seconds:.1f} s: "
                    f"{imp.last_line}"
                    if args.import_rows
                    else "none (--import-rows 0)"
                )
                print(
                    f"{result['sessions']:>8} {result['runs']:>9} {len(result['errors']):>6} "
                    f"{result['p50']:>6.2f} {result['p95']:>6.2f}  {verdict}",
                    flush=True,
                )
                print(
                    f"{'':>8} p50 per page: "
                    + ", ".join(f"{p} {t:.2f} s" for p, t in result["pages"].items())
                    + f"; the server's CPU time per page run: {result['cpu_per_run']:.2f} s (this client's: "
                    f"{result['own_cpu_per_run']:.2f} s, reading the server's messages)"
                )
                if result["browser"]:
                    print(
                        f"{'':>8} of them in Chromium (a full page load each): {len(result['browser'])}, p50 "
                        f"{statistics.median(result['browser']):.2f} s, p95 {_percentile(result['browser'], 0.95):.2f} s"
                    )
                if result["first"]:
                    print(
                        f"{'':>8} each session's first page run (its session starts): {len(result['first'])}, p50 "
                        f"{statistics.median(result['first']):.2f} s, p95 {_percentile(result['first'], 0.95):.2f} s"
                    )
                print(
                    f"{'':>8} page runs "
                    + "; ".join(
                        f"{name}: {len(times)}, p95 {_percentile(times, 0.95):.2f} s, slowest {max(times):.2f} s"
                        for name, times in result["windows"].items()
                        if times
                    )
                )
                for error in sorted(set(result["errors"]))[:5]:
                    print(f"{'':>8} error: {error}")
                if breaking is None and (result["errors"] or result["p95"] > 5):
                    breaking = result["sessions"]
        finally:
            server.stop()
        print(f"Load average {os.getloadavg()[0]:.1f} at the end (a shared machine: other work ran beside this).")
        if breaking is None:
            print(f"No errors and p95 at most 5 s up to {args.sessions[-1]} sessions.")
        else:
            print(f"Errors or p95 above 5 s begin at {breaking} sessions.")


if __name__ == "__main__":
    main()
