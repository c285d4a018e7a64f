"""One Chromium per test process and one demo dashboard shared by the tests that only read it; a module whose
tests write, sign in or need other settings starts its own (tests/chromium.py). Each test gets fresh tabs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]  # xdist ships no types

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, demo_server, require_browser

# The modules longest first (the order of the queue under xdist, and the order without it). A module not listed comes
# after these.
LONGEST_FIRST = [
    "test_browser_swedish",
    "test_browser_upload",
    "test_browser_security",
    "test_browser_journey",
    "test_browser_agreements",
    "test_browser",
    "test_browser_glance",
    "test_browser_meeting",
    "test_browser_a11y",
    "test_browser_explore",
    "test_browser_hostile_text",
]
# Under xdist (`make test`: `-n 2 tests/browser`) a module's tests are one unit of work, run in one test process one
# after another, so that a dashboard the module starts starts once. These tests are units of their own, which lets
# the processes finish together: they use only the process's shared dashboard, or (the Swedish test's sizes, a
# minute each) are long enough to be worth starting their module's dashboard in a second process.
ONE_BY_ONE = (
    "tests/browser/test_browser.py::",
    "tests/browser/test_browser_a11y.py::",
    "tests/browser/test_browser_explore.py::",
    "tests/browser/test_browser_glance.py::",
    "tests/browser/test_browser_hostile_text.py::",
    "tests/browser/test_browser_meeting.py::",
    "tests/browser/test_browser_swedish.py::test_nothing_cut_at_three_sizes_with_screenshots[",
)


class BrowserUnits(LoadScopeScheduling):  # type: ignore[misc]  # an untyped base
    """xdist's scheduling by scope with the scopes above, taken in collection order; a test outside tests/browser
    is a unit of its own."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(ONE_BY_ONE) or not nodeid.startswith("tests/browser/"):
            return nodeid
        return nodeid.split("::", 1)[0]


def pytest_xdist_make_scheduler(config, log):
    """Used when tests/browser is named on the command line (its conftest is then read before the tests are shared
    out), whatever --dist says."""
    config.option.loadscopereorder = False  # the collection order is longest first
    return BrowserUnits(config, log)


def pytest_collection_modifyitems(items):
    """Every browser test is slow (`-m "not slow"` leaves them all out); the modules longest first (a module's
    tests stay together and in their order, so its dashboard starts once in a run without xdist too)."""
    here = Path(__file__).parent
    ours = [item for item in items if here in item.path.parents]
    for item in ours:
        item.add_marker(pytest.mark.slow)
    if ours:
        place = {name: n for n, name in enumerate(LONGEST_FIRST)}
        first = items.index(ours[0])
        rest = [item for item in items if here not in item.path.parents]
        ours.sort(key=lambda item: place.get(item.path.stem, len(place)))  # stable: a module keeps its order
        items[:] = rest[:first] + ours + rest[first:]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The demo dashboard on SERVER_TODAY for every test that reads it (a test that changes it puts it back)."""
    with demo_server(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the test process: launching one takes a second of CPU."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's own


@pytest.fixture(scope="session")
def contexts(browser):
    """One browser context per locale for the test process, as one person's browser is: a dashboard's scripts
    fetched and compiled on its first page load come from the context's cache on the next (a new context costs
    0,3-0,5 s more of Chromium's CPU and 0,15 s of the dashboard's per page load). `tab` leaves no cookies and no
    storage behind, and every tab is a new dashboard session: signed out, nothing chosen."""
    made: dict[str, Any] = {}  # Playwright's BrowserContext by locale
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def tab(contexts, browser):
    """`tab(viewport=..., locale=...)`: a new page (a new dashboard session) in the test process's context for the
    locale; closed after the test, and what the context keeps of the addresses it showed cleared."""
    opened: list = []
    origins: set[str] = set()

    def open_tab(viewport: dict[str, int] | None = None, locale: str = "en-US"):
        if locale not in contexts:
            contexts[locale] = browser.new_context(locale=locale)
        page = contexts[locale].new_page()
        page.set_viewport_size(viewport or DEFAULT_VIEWPORT)
        page.on("framenavigated", lambda frame: origins.add(_origin(frame.url)) if frame.parent_frame is None else None)
        opened.append(page)
        return page

    yield open_tab
    for context in {page.context for page in opened}:
        _forget(context, origins)
        for page in context.pages:
            page.close()


STORAGE = "cookies,local_storage,indexeddb,websql,service_workers,cache_storage,file_systems"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _forget(context, origins: set[str]) -> None:
    """Clear what `context` keeps of `origins` besides its cache of files: cookies, storage, databases."""
    page = next((page for page in context.pages), None) or context.new_page()
    session = context.new_cdp_session(page)
    for origin in sorted(o for o in origins if o.startswith("http")):
        session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE})
    session.detach()
    context.clear_cookies()


@pytest.fixture
def page(tab):
    return tab(viewport={"width": 1440, "height": 900}, locale="sv-SE")
