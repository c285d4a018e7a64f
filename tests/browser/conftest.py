"""One Chromium per test process and one demo dashboard shared by the tests that only read it; a module whose
tests write, sign in or need other settings starts its own (tests/chromium.py). Each test gets fresh tabs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, demo_server, require_browser

# Under pytest-xdist `make test` runs the browser tests with --dist loadfile --no-loadscope-reorder: a module's
# tests run in one test process, one after another (its own dashboard starts once), and the modules start in
# collection order, which is this one: longest first, so that the two test processes finish together. A module
# not listed comes after these. (pytest-xdist's xdist_group marks do nothing with pytest 9: xdist sets a node id
# attribute that pytest no longer reads.)
LONGEST_FIRST = [
    "test_browser_swedish",
    "test_browser",
    "test_browser_glance",
    "test_browser_upload",
    "test_browser_journey",
    "test_browser_meeting",
    "test_browser_a11y",
    "test_browser_security",
    "test_browser_agreements",
    "test_browser_explore",
    "test_browser_hostile_text",
]


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
    """One Chromium for the test process: launching one takes a second of CPU, a new context (a fresh profile:
    no cookies, no session) a few milliseconds."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    """`tab(viewport=..., locale=...)`: a page in a context of its own, closed after the test."""
    contexts = []

    def open_tab(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(tab):
    return tab(viewport={"width": 1440, "height": 900}, locale="sv-SE")
