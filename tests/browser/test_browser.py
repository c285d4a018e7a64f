"""The dashboard in a real browser: every page renders with its Swedish title and no exception."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.chromium import ARTIFACTS, wait_idle
from trygghet.config import PROJECT_ROOT

pytestmark = pytest.mark.browser

# What a viewer (no sign-in) finds in the menu; the default page lives at the root.
VIEWER_PAGES = [
    ("", "Översikt"),
    ("mote", "Rådets möte"),
    ("mal", "Mål"),
    ("folj-med", "Följ med i hur det går"),
    ("fotpatrull", "Fotpatrull"),
    ("trafikkontroller", "Trafikkontroller"),
    ("a-traktorer", "A-traktorer och buskörning"),
    ("informationstraffar", "Informationsträffar"),
    ("droghandel", "Öppen droghandel"),
    ("vald-i-nara-relation", "Våld i nära relation"),
    ("aktiviteter", "Aktiviteter"),
]
# Reachable by URL, but not in a viewer's menu: they ask for a sign-in.
SIGNED_IN_PAGES = [("ladda-upp", "Ladda upp"), ("admin", "Administration")]


@pytest.mark.parametrize("path,title", VIEWER_PAGES + SIGNED_IN_PAGES)
def test_page_renders_with_its_swedish_title(server, page, path, title):
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Demodata:").first.wait_for()
    # The menu of dashboard.py with Swedish titles, not Streamlit's list of the file names in pages/; the public
    # page stands alone (it is embedded in the municipality's site), without a menu into the internal pages.
    menu = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']")
    if path == "folj-med":
        expect(menu).to_have_count(0, timeout=30_000)
    else:
        expect(menu).to_have_count(len(VIEWER_PAGES), timeout=30_000)
        for _, menu_title in VIEWER_PAGES:
            expect(menu.filter(has_text=menu_title)).to_have_count(1)
    if (path, title) in SIGNED_IN_PAGES:
        page.get_by_text("Den här sidan kräver inloggning").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{path or 'oversikt'}.png"), full_page=True)


def test_cli_answers_while_the_dashboard_is_open(server, page):
    """A scheduled job reads (and writes) the file while a user has the dashboard open."""
    page.goto(server.url)
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    result = subprocess.run(
        [sys.executable, "-m", "trygghet", "--db", str(server.db), "stats", "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["activities"] > 0
    page.reload()
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
