"""CHROMIUM_FLAGS adds features to switch off with a second --disable-features, which replaces Playwright's: the
list it repeats must still hold every feature that Playwright switches off."""

from __future__ import annotations

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS, require_browser

pytestmark = pytest.mark.browser


def test_our_disabled_features_keep_playwrights():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --enable-automation: Chromium tells its command line over CDP only then.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_FLAGS, "--enable-automation"]
        )
        try:
            arguments = browser.new_browser_cdp_session().send("Browser.getBrowserCommandLine")["arguments"]
        finally:
            browser.close()
    lists = [set(a.split("=", 1)[1].split(",")) for a in arguments if a.startswith("--disable-features=")]
    assert len(lists) == 2, lists  # Playwright's, then ours, which is the one Chromium uses
    playwrights, ours = lists
    assert playwrights - ours == set()
    assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= ours
