"""The view at a glance at 1366×768: on Översikt and on Rådets möte every commitment of the agreement is one row
that is on screen before any scrolling, for both source agreements and for the demo's example agreement; a row
links to its commitment's section."""

from __future__ import annotations

import pytest

from tests.chromium import ARTIFACTS, demo_server, wait_idle

pytestmark = pytest.mark.browser

ROWS = """() => [...document.querySelectorAll('table.glance tbody tr')].map(r => {
  const box = r.getBoundingClientRect();
  return {bottom: box.bottom, text: r.innerText.replace(/\\s+/g, ' ').trim()};
})"""


@pytest.fixture(scope="module")
def example_server(tmp_path_factory):
    """Today 30 November 2026: no real agreement is in force, so the demo adds its example agreement."""
    with demo_server(tmp_path_factory.mktemp("glance-example"), TRYGGHET_TODAY="2026-11-30") as server:
        yield server


def _rows_on_screen(tab, server, path: str, name: str) -> list[dict]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = tab(viewport={"width": 1366, "height": 768})
    page.goto(server.url + path)
    page.locator("table.glance tbody tr").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / f"glance-{name}.png"))
    rows = page.evaluate(ROWS)
    assert all(r["bottom"] <= 768 for r in rows), [(r["text"][:40], r["bottom"]) for r in rows]
    return rows


# (page, agreement, commitments): medborgarlöfte 2023–2024 has 8, the cooperation agreement 2019–2023 has 7.
CASES = [
    ("/?overenskommelse=medborgarlofte-2023", "oversikt-ml2023", 8),
    ("/?overenskommelse=samverkan-2019&indelning=year&period=2022", "oversikt-samverkan", 7),
    ("/mote?meeting=2024-06-11", "mote-ml2023", 8),
    ("/mote?meeting=2022-06-14", "mote-samverkan", 7),
]


@pytest.mark.parametrize("path,name,count", CASES)
def test_every_commitment_is_on_the_first_screen(server, tab, path, name, count):
    rows = _rows_on_screen(tab, server, path, name)
    assert len(rows) == count


def test_the_example_agreement_fits_too(example_server, tab):
    overview = _rows_on_screen(tab, example_server, "/", "oversikt-example")
    meeting = _rows_on_screen(tab, example_server, "/mote", "mote-example")
    assert overview and len(meeting) == len(overview)


# The section's top once it has stopped moving: the same in two animation frames in a row (or after 600 frames,
# about ten seconds, wherever it is).
SETTLED_TOP = """async (section) => {
  const frame = () => new Promise(done => requestAnimationFrame(done));
  let before = NaN;
  for (let n = 0; n < 600; n++) {
    await frame();
    const top = section.getBoundingClientRect().top;
    if (top === before) return top;
    before = top;
  }
  return before;
}"""


def test_a_row_leads_to_its_commitments_section(server, tab):
    page = tab(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/mote?meeting=2024-06-11")
    link = page.locator("table.glance a", has_text="A-traktorer och buskörning")
    link.wait_for(timeout=60_000)
    wait_idle(page)
    link.click()
    section = page.locator("#lofte-ml23-a-traktorer")
    section.wait_for(timeout=30_000)
    page.wait_for_url(lambda url: url.endswith("#lofte-ml23-a-traktorer"), timeout=30_000)  # the jump has begun
    top = section.evaluate(SETTLED_TOP)
    assert 0 <= top < 768, top  # scrolled to it, on the same page
    assert page.url.endswith("/mote?meeting=2024-06-11#lofte-ml23-a-traktorer")


@pytest.mark.parametrize(
    "path,labels",
    [("/", ["Överenskommelse", "Indelning", "Period"]), ("/fotpatrull", ["Period", "Områden", "Organisation"])],
)
def test_the_filters_are_above_the_menu_and_the_fold(server, tab, path, labels):
    page = tab(viewport={"width": 1366, "height": 768})
    page.goto(server.url + path)
    sidebar = page.locator("[data-testid='stSidebar']")
    menu = sidebar.get_by_role("link", name="Översikt")
    menu.wait_for(timeout=60_000)
    wait_idle(page)
    for label in labels:
        field = sidebar.get_by_label(label, exact=True).first
        box = field.bounding_box()
        assert box and box["y"] + box["height"] <= 768, (label, box)
        assert box["y"] < menu.bounding_box()["y"], label
