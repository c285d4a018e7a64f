"""Swedish only, nothing cut: every page in a real browser, for every role, at a laptop's, a big screen's and a
phone's size. No English word reaches a user (Streamlit's own widgets included), no text is cut or overflows,
chart tick labels do not overlap, and a screenshot of every page at every size is kept under tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.chromium import ARTIFACTS, accounts_server, fill_sidebar_sign_in, open_choices, wait_drawn, wait_idle

pytestmark = pytest.mark.browser

# English that Streamlit writes unless told otherwise, and what leaks from data ("None", "NaN"). Whole words,
# case-sensitive: the Swedish "Stoppa" or "mars" is no match.
ENGLISH = [
    "Upload",
    "Browse",
    "Select all",
    "Select",
    "Page not found",
    "MB per file",
    "per file",
    "Drag and drop",
    "Choose",
    "No results",
    "No options",
    "Clear all",
    "Remove",
    "Running",
    "Stop",
    "Close",
    "Cancel",
    "Skip to main content",
    "Please",
    "Delete",
    "None",
    "NaN",
    "NaT",
    "null",
    "undefined",
    "nan",
    "True",
    "False",
    "Error",
    "Traceback",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Sunday",
    "KB",
    "Download",
    "Search",
    "Fullscreen",
    "Sidebar",
    "Help for",
    "Link to heading",
    "year",
    "month",
    "day",
    "file upload",
]
ENGLISH_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")
SIZES = {"laptop": (1366, 768), "screen": (1920, 1080), "phone": (390, 844)}
# The pages of each role's menu that only that role (or a higher one) sees; the public page stands alone.
ROLE_PAGES = {
    "viewer": [
        "Översikt",
        "Rådets möte",
        "Mål",
        "Fotpatrull",
        "Trafikkontroller",
        "A-traktorer och buskörning",
        "Informationsträffar",
        "Öppen droghandel",
        "Våld i nära relation",
        "Aktiviteter",
    ],
    "editor": ["Ladda upp", "Överenskommelser"],
    "admin": ["Indikatorer", "Administration"],
}
SLUGS = {
    "Översikt": "oversikt",
    "Rådets möte": "mote",
    "Mål": "mal",
    "Fotpatrull": "fotpatrull",
    "Trafikkontroller": "trafikkontroller",
    "A-traktorer och buskörning": "a-traktorer",
    "Informationsträffar": "informationstraffar",
    "Öppen droghandel": "droghandel",
    "Våld i nära relation": "vald-i-nara-relation",
    "Aktiviteter": "aktiviteter",
    "Ladda upp": "ladda-upp",
    "Överenskommelser": "overenskommelser",
    "Indikatorer": "indikatorer",
    "Administration": "admin",
}

# Every text a user can read or hear: visible text nodes (material icons are ligatures, not words), and the
# placeholders, labels for screen readers and tooltips of visible elements.
TEXTS_JS = """() => {
  const visible = (e) => { if (!e) return false; const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    const r = e.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.nodeValue.trim(), parent = node.parentElement;
    if (!text || !parent || parent.closest("[data-testid='stIconMaterial'], style, script, code")) continue;
    if (visible(parent)) out.push(text);
  }
  for (const e of document.querySelectorAll('[placeholder], [aria-label], [title], [aria-valuetext]')) {
    if (!visible(e)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'aria-valuetext']) {
      const value = e.getAttribute(name); if (value) out.push(value);
    }
  }
  return out;
}"""

# Text cut or running out of its box: an element whose own text is wider than the element (Streamlit's
# ellipsis or a scroller that hides the end), leaving out what is meant to scroll (tables, code).
CUT_JS = """() => {
  const out = [];
  for (const e of document.querySelectorAll('[data-testid="stApp"] *')) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim());
    const scroller = e.matches("[data-testid='stDateInputFieldsScroller']");
    if (!own && !scroller) continue;
    if (e.closest("pre, code, [data-testid='stDataFrame'], [data-testid='stIconMaterial'], svg, "
                  + "[data-testid='stTooltipContent'], [data-testid='stSidebarCollapsedControl']")) continue;
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    if (s.display === 'none' || s.visibility === 'hidden' || r.width < 2 || r.height < 2) continue;
    if (s.clipPath && s.clipPath !== 'none') continue;  // text for screen readers only
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
      out.push(`${(e.innerText || e.textContent).trim().slice(0, 80)} (${e.scrollWidth} > ${e.clientWidth} px)`);
  }
  return out;
}"""

# Plotly: tick labels of one axis that overlap their neighbour, and titles wider than their chart.
CHART_JS = """() => {
  const out = [];
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  document.querySelectorAll('.js-plotly-plot').forEach((plot, n) => {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    for (const axis of ['xtick', 'ytick']) {
      const boxes = [...plot.querySelectorAll(`g.${axis} text`)].filter(t => t.textContent.trim())
        .map(t => [t.textContent, t.getBoundingClientRect()]);
      for (let i = 1; i < boxes.length; i++)
        for (let j = 0; j < i; j++)
          if (overlap(boxes[i][1], boxes[j][1])) out.push(`chart ${n}: ${axis} "${boxes[j][0]}" / "${boxes[i][0]}"`);
    }
    plot.querySelectorAll('.gtitle, .g-xtitle text, .g-ytitle text, .legendtext').forEach((t) => {
      const r = t.getBoundingClientRect();
      if (r.left < svg.left - 1 || r.right > svg.right + 1) out.push(`chart ${n}: "${t.textContent}" cut`);
    });
  });
  return out;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # A 1 MB upload limit, so that the uploader's refusal of a larger file can be seen.
    with accounts_server(
        tmp_path_factory.mktemp("swedish"),
        {"redaktor": "editor", "admin": "admin"},
        STREAMLIT_SERVER_MAX_UPLOAD_SIZE="1",
    ) as server:
        yield server


# The sidebar folded away: out of view, its sliding finished.
FOLDED = """() => {
  const sidebar = document.querySelector("[data-testid='stSidebar']");
  return sidebar.getBoundingClientRect().right <= 0 && sidebar.getAnimations().length === 0;
}"""


def _page(tab, size: str = "laptop", locale: str = "en-US"):
    """An English-speaking browser by default: what Streamlit shows when nothing asks for Swedish."""
    width, height = SIZES[size]
    return tab(viewport={"width": width, "height": height}, locale=locale)


def _settle(page) -> None:
    wait_drawn(page)  # charts draw after the script has finished


def _screenshot(page, path) -> None:
    """The whole page: Streamlit scrolls inside its main element, so the window is made as tall as that."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    tall = page.evaluate("""() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], '
        + '[data-testid="stAppViewContainer"], [data-testid="stAppScrollToBottomContainer"]')]
        .map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": width, "height": max(height, min(tall, 20_000))})
    wait_drawn(page)  # laid out for the new size
    page.screenshot(path=str(path), full_page=True, type="jpeg", quality=85)  # PNG: 5 s more CPU a size
    page.set_viewport_size({"width": width, "height": height})


def _english(page, where: str) -> list[str]:
    return [f"{where}: {text!r}" for text in page.evaluate(TEXTS_JS) if ENGLISH_WORDS.search(text)]


def _sign_in(page, name: str) -> None:
    """In the sidebar's account box, folded out first on a phone."""
    fill_sidebar_sign_in(page, name).click()
    page.get_by_text(f"Inloggad som {name}").wait_for(timeout=60_000)


def _open(page, title: str) -> None:
    """By the menu, as a user moves (a reload would start a new session, signed out)."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if not sidebar.is_visible():  # a phone: the menu is folded away
        page.locator("[data-testid='stExpandSidebarButton']").first.click()
    wait_idle(page)
    sidebar.locator("[data-testid='stPageLink']").filter(has_text=title).first.click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)
    _settle(page)


def _open_each_multiselect(page, where: str) -> list[str]:
    """Open the first visible multiselect's list (where "Select all" lived) and read it."""
    boxes = page.locator("[data-testid='stMultiSelect']").filter(visible=True)
    if not boxes.count():
        return []
    open_choices(page, boxes.first.get_by_role("combobox"))
    found = _english(page, f"{where}, list of choices")
    page.keyboard.press("Escape")
    return found


def _choose_period(page, label: str) -> None:
    """The exploration pages' period in the sidebar (folded out first on a phone)."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if not sidebar.is_visible():
        page.locator("[data-testid='stExpandSidebarButton']").first.click()
    box = sidebar.get_by_role("combobox", name="Period")
    box.click()
    box.fill(label)
    page.get_by_role("option", name=label, exact=True).click()
    _settle(page)


def _calendar(page) -> list[str]:
    """Own dates on an exploration page: the date fields and the calendar with its month list."""
    sidebar = page.locator("[data-testid='stSidebar']")
    _choose_period(page, "Egna datum")
    found = _english(page, "own dates")
    sidebar.locator("[data-testid='stDateInputCalendarButton']").first.click()
    calendar = page.locator("[data-testid='stDateInputCalendar']")
    calendar.wait_for(timeout=30_000)
    assert "januari" in calendar.inner_text()
    found += _english(page, "calendar")
    calendar.get_by_role("button", name="månad", exact=True).click()
    page.get_by_role("option", name="mars").wait_for(timeout=30_000)
    found += _english(page, "calendar's months")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    return found


def _uploader(page, tmp_path) -> list[str]:
    """The uploader empty, with a small file (its size), and refusing a file over the limit."""
    uploader = page.locator("[data-testid='stFileUploader']").first
    assert "Välj fil" in uploader.inner_text() and "Högst 1 MB per fil" in uploader.inner_text()
    found = _english(page, "uploader")
    small = tmp_path / "liten.csv"
    small.write_text("Datum;Område\n2024-05-01;Timrå centrum\n", encoding="utf-8")
    uploader.locator("input[type=file]").set_input_files(str(small))
    page.get_by_text("Förhandsgranskning").wait_for(timeout=60_000)
    _settle(page)
    assert "byte" in uploader.inner_text()
    found += _english(page, "uploader with a file")
    uploader.get_by_role("button", name="Ta bort liten.csv").click()
    _settle(page)
    large = tmp_path / "stor.csv"
    large.write_bytes(b"Datum;Omr\n" + b"2024-05-01;x\n" * 100_000)  # 1,3 MB
    uploader.locator("input[type=file]").set_input_files(str(large))
    page.get_by_text("Filen är större än 1 MB och kan inte laddas upp här.").first.wait_for(timeout=30_000)
    found += _english(page, "uploader refusing a large file")
    return found


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_no_english_reaches_any_role(server, tab, role, tmp_path):
    page = _page(tab)
    page.goto(f"{server.url}/oversikt")
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    _settle(page)
    page.wait_for_function("document.documentElement.lang === 'sv'", timeout=30_000)  # the component is loaded
    found = _english(page, "Översikt")
    if role != "viewer":
        _sign_in(page, {"editor": "redaktor", "admin": "admin"}[role])
    titles = (
        ROLE_PAGES["viewer"]
        if role == "viewer"
        else ROLE_PAGES["editor"]
        if role == "editor"
        else [*ROLE_PAGES["editor"], *ROLE_PAGES["admin"]]
    )
    for title in titles:
        _open(page, title)
        found += _english(page, title) + _open_each_multiselect(page, title)
        if title == "Fotpatrull":
            found += _calendar(page)
        if title == "Ladda upp":
            found += _uploader(page, tmp_path)
    if role == "viewer":  # an editor's page asks a viewer to sign in, in Swedish
        page.goto(f"{server.url}/ladda-upp")
        page.get_by_text("Den här sidan kräver inloggning").wait_for(timeout=60_000)
        _settle(page)  # as on Översikt: a new page load shows Streamlit's English until the component has run
        page.wait_for_function("document.documentElement.lang === 'sv'", timeout=30_000)
        found += _english(page, "sign-in prompt")
        page.goto(f"{server.url}/folj-med")
        page.get_by_role("heading", name="Följ med i hur det går", exact=True).first.wait_for(timeout=60_000)
        _settle(page)
        found += _english(page, "Följ med")
        page.goto(f"{server.url}/finns-inte")  # Streamlit's own dialog for an unknown address
        page.get_by_text("Sidan finns inte").first.wait_for(timeout=60_000)
        found += _english(page, "unknown address")
    assert found == [], "\n".join(found)


def test_oversikt_is_a_real_address(server, tab):
    page = _page(tab)
    page.goto(f"{server.url}/oversikt")
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    _settle(page)
    assert page.get_by_role("dialog").count() == 0
    assert page.url.split("?")[0].endswith("/oversikt")


@pytest.mark.parametrize("size", list(SIZES))
def test_nothing_cut_at_three_sizes_with_screenshots(server, tab, size):
    page = _page(tab, size, locale="sv-SE")
    page.goto(f"{server.url}/oversikt")
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    _settle(page)
    _sign_in(page, "admin")
    folder = ARTIFACTS / size
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for title in [*ROLE_PAGES["viewer"], *ROLE_PAGES["editor"], *ROLE_PAGES["admin"]]:
        _open(page, title)
        if size == "phone":  # the menu folded away again, as a phone's user closes it to read the page
            page.locator("[data-testid='stSidebarCollapseButton'] button").first.click()
            page.wait_for_function(FOLDED, timeout=30_000)
        problems += [f"{size} {title}: {p}" for p in page.evaluate(CUT_JS) + page.evaluate(CHART_JS)]
        _screenshot(page, folder / f"{SLUGS[title]}.jpg")
        if title == "Trafikkontroller":  # 18 months on one axis, and the own-date fields in the sidebar
            _choose_period(page, "Överenskommelsens hela tid")
            problems += [f"{size} {title}, 18 months: {p}" for p in page.evaluate(CUT_JS) + page.evaluate(CHART_JS)]
            _choose_period(page, "Egna datum")
            problems += [f"{size} {title}, own dates: {p}" for p in page.evaluate(CUT_JS)]
            _screenshot(page, folder / "trafikkontroller-egna-datum.jpg")
    page.goto(f"{server.url}/folj-med")
    page.get_by_role("heading", name="Följ med i hur det går", exact=True).first.wait_for(timeout=60_000)
    _settle(page)
    problems += [f"{size} Följ med: {p}" for p in page.evaluate(CUT_JS) + page.evaluate(CHART_JS)]
    _screenshot(page, folder / "folj-med.jpg")
    assert problems == [], "\n".join(problems)
