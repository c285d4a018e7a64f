"""CHROMIUM_FLAGS adds features to switch off with a second --disable-features, which replaces Playwright's: the
list it repeats must still hold every feature that Playwright switches off."""

from __future__ import annotations

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser


def test_our_disabled_features_keep_playwrights(browser):
    # A second Chromium from the process's Playwright, with --enable-automation: only then does Chromium tell its
    # command line over CDP.
    second = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_FLAGS, "--enable-automation"])
    try:
        arguments = second.new_browser_cdp_session().send("Browser.getBrowserCommandLine")["arguments"]
    finally:
        second.close()
    lists = [set(a.split("=", 1)[1].split(",")) for a in arguments if a.startswith("--disable-features=")]
    assert len(lists) == 2, lists  # Playwright's, then ours, which is the one Chromium uses
    playwrights, ours = lists
    assert playwrights - ours == set()
    assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= ours
