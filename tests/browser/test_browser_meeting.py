"""Presentation mode on the big screen: 1920×1080, every slide readable from five metres, nothing cut off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, demo_server, wait_idle

pytestmark = pytest.mark.browser

TITLES = ["Rådet för trygghet och hälsa, 11 juni 2024", "Synlighet och trygghet", "Våld i nära relation",
          "Unga, alkohol och narkotika", "Trafik"]

# Visible elements of the slide that stick out of the 1920×1080 viewport, and the smallest font sizes.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1 || r.left < -1 || r.top < -1)
      out.push(el.tagName + '.' + (el.getAttribute('data-testid') || '') + ' ' + Math.round(r.right) + 'x' + Math.round(r.bottom));
  }
  // The size a reader sees: that of each element that holds text itself.
  const holders = (root) => [root, ...root.querySelectorAll('*')].filter(e => visible(e) &&
      [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
  const sizes = (els) => els.map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)]);
  const figures = [...main.querySelectorAll('[data-testid="stMetricValue"]')].flatMap(holders);
  return {overflow: out, figures: sizes(figures), texts: sizes(holders(main))};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with demo_server(tmp_path_factory.mktemp("present")) as server:
        yield server


def test_presentation_mode_at_1920x1080(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{server.url}/mote?mode=present&meeting=2024-06-11&slide=1")
        for number, title in enumerate(TITLES, start=1):
            page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60_000)
            expect(page.get_by_text(f"Bild {number} av {len(TITLES)}")).to_be_visible()
            wait_idle(page)
            assert page.locator("[data-testid='stSidebar']").is_hidden()
            assert page.locator("[data-testid='stException']").count() == 0
            page.screenshot(path=str(ARTIFACTS / f"presentation-{number}.png"))
            measured = page.evaluate(MEASURE)
            assert measured["overflow"] == [], f"slide {number} overflows: {measured['overflow'][:5]}"
            small = [t for size, t in measured["texts"] if size < 24]
            assert not small, f"slide {number}: text below 24 px: {small}"
            if number > 1:
                assert measured["figures"], f"slide {number} shows no figures"
                small = [t for size, t in measured["figures"] if size < 48]
                assert not small, f"slide {number}: figures below 48 px: {small}"
            assert f"slide={number}" in page.url
            if number < len(TITLES):
                page.get_by_role("button", name="Nästa ▶").click()
        browser.close()


def test_auto_advance_moves_to_the_next_slide(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{server.url}/mote?mode=present&meeting=2024-06-11&slide=4&auto=5")
        page.get_by_role("heading", name=TITLES[3], exact=True).wait_for(timeout=60_000)
        page.get_by_role("heading", name=TITLES[4], exact=True).wait_for(timeout=20_000)
        page.get_by_role("heading", name=TITLES[0], exact=True).wait_for(timeout=20_000)  # from the last to the first
        assert "slide=1" in page.url and "auto=5" in page.url
        browser.close()
