"""Presentation mode on the big screen, at 1920×1080 and at 1280×720: a clicker's keys move between slides,
every slide is readable from the back of the room (no text below 24 px, chart lines of 3 px and more) and
fits the screen, and every slide carries the Demodata mark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.chromium import ARTIFACTS, NEXT_FRAMES, wait_idle

pytestmark = pytest.mark.browser

MEETING = "2024-06-11"  # Medborgarlöfte 2023–2024: 8 commitments, so 2 + 8 slides
COUNT = 10

# Visible elements of the slide that stick out of the viewport, the smallest font sizes, the chart's texts and
# the widths of its lines.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
      getComputedStyle(el).visibility !== 'hidden'; };
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    if (!visible(el) || el.closest('.st-key-slide-keys')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1 || r.left < -1 || r.top < -1)
      out.push(el.tagName + '.' + (el.getAttribute('data-testid') || el.getAttribute('class') || '') + ' '
               + Math.round(r.right) + 'x' + Math.round(r.bottom));
  }
  const holders = (root) => [root, ...root.querySelectorAll('*')].filter(e => visible(e) &&
      !(e.closest('.js-plotly-plot')) &&
      [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
  const sizes = (els) => els.map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)]);
  const chartTexts = [...main.querySelectorAll('.js-plotly-plot text')].filter(t => t.textContent.trim())
      .map(t => [parseFloat(getComputedStyle(t).fontSize), t.textContent.trim()]);
  const lines = [...main.querySelectorAll('.js-plotly-plot path.js-line')]
      .map(p => parseFloat(getComputedStyle(p).strokeWidth));
  const plot = main.querySelector('.js-plotly-plot');
  return {overflow: out, texts: sizes(holders(main)), chartTexts, lines,
          chartHeight: plot ? plot.getBoundingClientRect().height : 0,
          marks: main.innerText.includes('Demodata: påhittade aktiviteter')};
}"""


# Counts what the page sends the server about a slide button: a key that moves the slides sends a rerun with
# that button's trigger (widget ids end in their key, "slide-next" and so on); a key that moves nothing sends none.
SLIDE_SENDS = """
window.slideSends = 0;
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  const text = typeof data === "string" ? data : new TextDecoder("latin1").decode(data);
  if (text.includes("slide-")) window.slideSends += 1;
  return send.call(this, data);
};
"""


def _slide(page) -> int:
    wait_idle(page)
    return int(page.url.split("slide=")[1].split("&")[0])


def _sends(page) -> int:
    page.evaluate(NEXT_FRAMES)  # the key's handlers have run, and what they render
    return page.evaluate("window.slideSends")


def _press(page, key: str, expected: int) -> None:
    sent = _sends(page)
    for _attempt in range(20):  # a press before the page listens for its shortcuts (seen once after a load) is unheard
        page.keyboard.press(key)
        if _sends(page) > sent:
            break
    page.get_by_text(f"Bild {expected} av {COUNT}").wait_for(timeout=30_000)
    assert _slide(page) == expected, key
    assert _sends(page) > sent, key  # the counter sees a key that moves


def test_a_clickers_keys_move_between_slides(server, tab):
    page = tab(viewport={"width": 1920, "height": 1080})
    page.add_init_script(SLIDE_SENDS)
    page.goto(f"{server.url}/mote?mode=present&meeting={MEETING}&slide=1")
    page.get_by_text(f"Bild 1 av {COUNT}").wait_for(timeout=60_000)
    for key, expected in (
        ("ArrowRight", 2),
        ("PageDown", 3),
        (" ", 4),
        ("ArrowLeft", 3),
        ("PageUp", 2),
        ("End", COUNT),
        ("ArrowRight", COUNT),
        ("Home", 1),
        ("PageUp", 1),
    ):
        if expected == _slide(page):  # past either end nothing moves: the page asks the server for no other slide
            sent = _sends(page)
            page.keyboard.press(key)
            assert _sends(page) == sent, key
            assert _slide(page) == expected, key
        else:
            _press(page, key, expected)
    # A button clicked with the mouse keeps the focus: Space then moves one slide, not two.
    page.get_by_role("button", name="Nästa ▶").click()
    page.get_by_text(f"Bild 2 av {COUNT}").wait_for(timeout=30_000)
    _press(page, " ", 3)


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_every_slide_fits_and_reads_from_the_back_of_the_room(server, tab, width, height):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = tab(viewport={"width": width, "height": height})
    page.goto(f"{server.url}/mote?mode=present&meeting={MEETING}&slide=1")
    for number in range(1, COUNT + 1):
        page.get_by_text(f"Bild {number} av {COUNT}").wait_for(timeout=60_000)
        wait_idle(page)
        if number > 2:
            page.locator(".js-plotly-plot path.js-line").first.wait_for(timeout=30_000)
        # The slide's style hides the sidebar; the page may apply it just after the script's end.
        expect(page.locator("[data-testid='stSidebar']")).to_be_hidden(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"presentation-{width}-{number}.png"))
        measured = page.evaluate(MEASURE)
        assert measured["overflow"] == [], f"slide {number} overflows: {measured['overflow'][:5]}"
        small = [t for size, t in measured["texts"] + measured["chartTexts"] if size < 24]
        assert not small, f"slide {number}: text below 24 px: {small}"
        assert measured["marks"], f"slide {number} lacks the Demodata mark"
        if number > 2:  # a commitment: its headline chart, the figure and the target (and their legend)
            assert len(measured["lines"]) >= 2 and min(measured["lines"]) >= 3, measured["lines"]
            assert measured["chartTexts"], f"slide {number}: the chart has no labels"
            # The chart grows with the screen: 64 % of its height (460 px at 720, 691 px at 1080).
            assert measured["chartHeight"] >= 0.6 * height, (number, measured["chartHeight"])
        if number < COUNT:
            # The slide's buttons, the shortcuts among them, are drawn and their handlers have run before the key.
            expect(page.get_by_role("button", name="Nästa ▶")).to_be_enabled(timeout=30_000)
            page.evaluate(NEXT_FRAMES)
            page.keyboard.press("ArrowRight")


def test_auto_advance_moves_to_the_next_slide(server, tab):
    page = tab(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/mote?mode=present&meeting={MEETING}&slide={COUNT - 1}&auto=5")
    page.get_by_text(f"Bild {COUNT - 1} av {COUNT}").wait_for(timeout=60_000)
    page.get_by_text(f"Bild {COUNT} av {COUNT}").wait_for(timeout=30_000)
    page.get_by_text(f"Bild 1 av {COUNT}").wait_for(timeout=30_000)  # from the last to the first
    assert "slide=1" in page.url and "auto=5" in page.url
