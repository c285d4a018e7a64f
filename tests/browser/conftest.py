"""One Chromium per test process and one demo dashboard shared by the tests that only read it; a module whose
tests write, sign in or need other settings starts its own (tests/chromium.py). Each test gets fresh tabs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, demo_server, require_browser


def pytest_collection_modifyitems(items):
    """Every browser test is slow: `-m "not slow"` leaves them all out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


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
