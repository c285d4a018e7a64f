"""Browser-test support: a real `streamlit run` on a free port and Debian's Chromium driven by Playwright.

Playwright never downloads a browser here; it drives /usr/bin/chromium. Without it the
browser tests are skipped on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import PASSWORD
from trygghet.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
# What Playwright 1.65 passes as --disable-features (chromiumSwitches.ts), kept when CHROMIUM_FLAGS adds to it.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Headless Chromium 156 opens the address bar's suggestion list, a web page of its own (two pages: omnibox-popup),
    # in every window, that is in every new context: 0,7 s of CPU of a 2,4 s load of a page without charts. A second
    # --disable-features replaces the first instead of adding to it, so Playwright's own list comes first
    # (test_chromium_flags.py fails when Playwright's list grows).
    "--disable-features=" + ",".join([*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]),
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true never skips browser tests")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    db: Path

    def stop(self) -> None:
        """Kill only the process group this fixture started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


DASHBOARD = ("-m", "trygghet.web.serve")  # what start_streamlit runs unless told another script
SERVER_TODAY = "2024-06-30"  # the day the browser tests' dashboards see, unless a test names another


def start_streamlit(
    db: Path, log: Path, today: str = SERVER_TODAY, app: tuple[str, ...] = DASHBOARD, **env_extra: str
) -> Server:
    """The dashboard (or, with `app`, another script: `("-m", "streamlit", "run", "bare.py")`) on a free port."""
    port = _free_port()
    env = {**os.environ, "TRYGGHET_DB": str(db), "TRYGGHET_TODAY": today, **env_extra}
    handle = log.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            *app,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not answer /_stcore/health within 60 s:\n{log.read_text()}")


# The demo database made for each server day, once per test process: a dashboard gets a copy of it.
_DEMOS: dict[str, Path] = {}


def _demo_file(folder: Path, today: str) -> Path:
    """A fresh copy of the demo database made for `today` (made on first use: migrating and generating a year of
    demo data takes seconds, a copy nothing)."""
    from trygghet.bootstrap import prepare_store

    made = _DEMOS.get(today)
    if made is None or not made.exists():
        made = folder / f"demo-{today}.duckdb"
        with pytest.MonkeyPatch.context() as env:
            env.setenv("TRYGGHET_TODAY", today)
            prepare_store(made, demo_if_empty=True)
        _DEMOS[today] = made
    db = folder / "demo.duckdb"
    shutil.copyfile(made, db)
    return db


@contextmanager
def demo_server(folder: Path, **env: str) -> Iterator[Server]:
    """A dashboard on a fresh database with the demo data, for one test module; stopped afterwards. The demo
    is made for the server's day (TRYGGHET_TODAY in `env`, else SERVER_TODAY)."""
    require_browser()
    today = env.pop("TRYGGHET_TODAY", SERVER_TODAY)
    server = start_streamlit(_demo_file(folder, today), folder / "streamlit.log", today=today, app=DASHBOARD, **env)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def accounts_server(folder: Path, roles: dict[str, str], **env: str) -> Iterator[Server]:
    """`demo_server` with an accounts file: `roles` maps each account's name to its role, every password is
    tests/factories.py's PASSWORD."""
    from trygghet.auth import add_user

    for name, role in roles.items():
        add_user(folder / "users.toml", name, PASSWORD, role)
    with demo_server(folder, TRYGGHET_USERS=str(folder / "users.toml"), **env) as server:
        yield server


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished; callers then wait for the element they expect."""
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def open_choices(page, box, click=None) -> None:
    """Open the list of choices of a selectbox or multiselect `box` as a person does: a click (`click(box)`, a plain
    one when None), then the keyboard when the click only focused the box; once more, after the list is shut again,
    when a click landed while the page redrew the box and opened nothing (seen under load)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    option = page.get_by_role("option").first
    for _attempt in range(4):
        wait_idle(page)
        if click is None:
            box.click()
        else:
            click(box)
        if not option.is_visible():
            box.press("ArrowDown")
        try:
            option.wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"{box} on {page.url}: its list of choices did not open in four attempts")


def card_value(page, title: str) -> str:
    """The figure of the indicator card titled `title` (trygghet.web.glance.indicator_cards), once it is drawn."""
    value = page.locator(".cards .card").filter(has_text=title).locator(".value")
    value.first.wait_for(timeout=60_000)
    wait_idle(page)
    return str(value.first.inner_text())


# The script has finished and what the browser draws after it is there: every plotly and vega chart drawn, no
# element still a placeholder (Streamlit loads the charts' code on first use and shows a skeleton meanwhile).
DRAWN = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  return [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(
      e => e.querySelector(".js-plotly-plot .main-svg"))
    && [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].every(e => e.querySelector("canvas, svg"));
}"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def fill_sidebar_sign_in(page, name: str):
    """The sidebar's sign-in folded out (the sidebar too, folded on a phone) and `name` with PASSWORD filled in, once
    the page has drawn what the fold-out asked for; returns the button that signs in."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if not sidebar.is_visible():
        page.locator("[data-testid='stExpandSidebarButton']").first.click()
    sidebar.get_by_text("Logga in (redaktörer och administratörer)").click()
    wait_idle(page)
    sidebar.get_by_label("Användarnamn").fill(name)
    sidebar.get_by_label("Lösenord").fill(PASSWORD)
    return sidebar.get_by_role("button", name="Logga in")


def wait_drawn(page, timeout: float = 60_000) -> None:
    """Wait until the page is drawn (DRAWN) and laid out: two animation frames later the layout that the
    charts' drawing caused has been applied."""
    page.wait_for_function(DRAWN, timeout=timeout)
    page.evaluate(NEXT_FRAMES)


class Steps:
    """What the user does, one step per action (a page opened, a field filled, a click or a choice)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def goto(self, url: str) -> None:
        self.count += 1
        self.page.goto(url)

    def fill(self, locator, text: str) -> None:
        wait_idle(self.page)
        self.count += 1
        locator.fill(text)

    def click(self, locator) -> None:
        wait_idle(self.page)
        self.count += 1
        locator.click()

    def choose(self, label: str, option: str) -> None:
        """A selectbox: click it, type the option, click it in the list (three steps)."""
        box = self.page.get_by_role("combobox", name=label)
        self.click(box)
        self.fill(box, option)
        self.click(self.page.get_by_role("option", name=option, exact=True))


AXE_VERSION = "4.14.1"
AXE_DIR = PROJECT_ROOT / "tests" / ".axe"


def axe_source() -> str:
    """axe-core from the npm registry (installed once under tests/.axe, git-ignored), injected into pages. Two test
    processes may ask at once: one installs it while the other waits for the lock."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    with (AXE_DIR / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the install fails
        if not script.exists():
            try:
                result = subprocess.run(
                    [
                        "npm",
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--silent",
                        "--prefix",
                        str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                problem = result.stderr.strip()[-500:] if result.returncode != 0 or not script.exists() else ""
            except FileNotFoundError:
                problem = "npm is not installed (sudo apt-get install -y npm)"
            if problem:
                message = f"could not install axe-core from npm: {problem}"
                if os.environ.get("CI") == "true":
                    pytest.fail(message)
                pytest.skip(message)
    return script.read_text(encoding="utf-8")


def axe_violations(page, serious_only: bool = True) -> list[dict]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; the serious and critical violations."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
        if not serious_only or v["impact"] in ("serious", "critical")
    ]
