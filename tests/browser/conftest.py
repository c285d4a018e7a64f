"""The running dashboard on demo data and a Chromium for a module's browser tests (a module may define its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, demo_server


def pytest_collection_modifyitems(items):
    """Every browser test is slow: `-m "not slow"` leaves them all out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()
