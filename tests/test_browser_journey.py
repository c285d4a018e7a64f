"""Reach, in a real browser: an admin who has never seen the pages defines a new indicator, enters the next
medborgarlöfte with its 8 commitments from the last one (their indicators come along), edits a commitment and links
the new indicator to it, publishes, and sets every target, in at most 40 steps; the count is printed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, Steps, demo_server, wait_idle
from indicators import for_commitment
from trygghet import agreement_store
from trygghet.auth import add_user
from trygghet.storage import Store
from trygghet.targets import stored_targets

pytestmark = pytest.mark.browser

PASSWORD = "ett långt lösenord för test"
AGREEMENT = "medborgarlofte-2025"
NEW = "fotpatrulltimmar_i_sorberge"   # the id the page makes from the title
DECISION = "Beslutat av rådet 2024-12-10"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("journey")
    add_user(folder / "users.toml", "admin", PASSWORD, "admin")
    # December 2024: the medborgarlöfte 2023–2024 ends soon and the next one is prepared.
    with demo_server(folder, TRYGGHET_USERS=str(folder / "users.toml"), TRYGGHET_TODAY="2024-12-01") as server:
        yield server


def _menu(steps: Steps, title: str) -> None:
    """Move within the app as a user does, by the menu (a reload would start a new session, signed out)."""
    page = steps.page
    steps.click(page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").filter(has_text=title).first)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)


def _pick(steps: Steps, label: str, typed: str, option: str) -> None:
    """A multiselect: click it, type, click the option (three steps)."""
    box = steps.page.get_by_role("combobox", name=label)
    steps.click(box)
    steps.fill(box, typed)
    steps.click(steps.page.get_by_role("option", name=option, exact=True))
    steps.page.keyboard.press("Escape")      # closes the list; not a step of its own in a person's hands
    wait_idle(steps.page)


def _define_indicator(steps: Steps) -> None:
    page = steps.page
    main = page.locator("[data-testid='stMain']")
    steps.fill(main.get_by_label("Titel", exact=True), "Fotpatrulltimmar i Sörberge")
    _pick(steps, "Aktivitetstyper", "Fotpatrull", "Fotpatruller")
    _pick(steps, "Område", "Sörberge", "Sörberge")
    steps.click(main.get_by_text("Summa av ett fält", exact=True))
    wait_idle(page)
    steps.choose("Fält att summera", "Varaktighet (timmar)")
    steps.fill(main.get_by_label("Enhet", exact=True), "timmar")
    steps.click(main.get_by_text("Har mål (målet sätts på sidan Mål)"))
    steps.click(main.get_by_role("button", name="Spara indikatorn"))
    page.get_by_text(f"är sparad med id {NEW}").wait_for(timeout=60_000)


def _make_agreement(steps: Steps) -> None:
    page = steps.page
    steps.click(page.get_by_role("button", name="Skapa utkast"))   # from the latest: Medborgarlöfte 2023–2024
    page.get_by_text("Utkastet Medborgarlöfte 2025–2026 är skapat.").wait_for(timeout=60_000)
    steps.choose("Löfte att ändra", "2. Fotpatrullering i centrala Timrå")
    page.wait_for_function("""() => {
      const shown = [...document.querySelectorAll("input[aria-label='Kort rubrik']")];
      return document.querySelector("[data-testid='stApp']").getAttribute("data-test-script-state") === "notRunning"
        && shown.length === 1 && shown[0].value === "Fotpatrullering i centrala Timrå";
    }""", timeout=60_000)
    steps.fill(page.get_by_label("Löftestext (ordagrant ur överenskommelsen)"),
               "Polisen ska öka sin fotpatrullering i centrala Timrå och i Sörberge.")
    _pick(steps, "Kopplade mått", "Sörberge", "Fotpatrulltimmar i Sörberge")
    steps.click(page.get_by_role("button", name="Spara löftet"))
    page.get_by_text("Löftet Fotpatrullering i centrala Timrå är sparat.").wait_for(timeout=60_000)
    steps.click(page.get_by_role("button", name="Publicera"))
    page.get_by_text("Medborgarlöfte 2025–2026 är publicerad.").wait_for(timeout=60_000)


def _set_targets(steps: Steps) -> None:
    page = steps.page
    main = page.locator("[data-testid='stMain']")
    box = page.get_by_role("combobox", name="Överenskommelse")
    steps.click(box)
    steps.click(page.get_by_role("option", name="Medborgarlöfte 2025–2026", exact=True))
    page.get_by_role("heading", name="Mål i Medborgarlöfte 2025–2026").wait_for(timeout=60_000)
    wait_idle(page)
    steps.fill(main.get_by_label("Beslut om de föreslagna målen"), DECISION)
    steps.click(main.get_by_role("button", name="Sätt de föreslagna målen"))
    page.get_by_text("Sparat: de föreslagna målen för").wait_for(timeout=60_000)


def _walk(steps: Steps, url: str) -> None:
    page = steps.page
    steps.goto(f"{url}/indikatorer")
    page.get_by_text("Den här sidan kräver inloggning som administratör").wait_for(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    steps.fill(main.get_by_label("Användarnamn"), "admin")
    steps.fill(main.get_by_label("Lösenord"), PASSWORD)
    steps.click(main.get_by_role("button", name="Logga in"))
    page.get_by_role("heading", name="Definiera en ny indikator").wait_for(timeout=60_000)
    _define_indicator(steps)
    _menu(steps, "Överenskommelser")
    _make_agreement(steps)
    _menu(steps, "Mål")
    _set_targets(steps)


def test_an_admin_enters_the_next_promise_with_every_target_in_at_most_40_steps(server, monkeypatch):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="sv-SE").new_page()
        steps = Steps(page)
        try:
            _walk(steps, server.url)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "journey-failure.png"), full_page=True)
            raise
        wait_idle(page)
        page.get_by_role("heading", name="Mål i Medborgarlöfte 2025–2026").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "journey-end.png"))
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        browser.close()

    print(f"\nsteps: {steps.count}")
    monkeypatch.setenv("TRYGGHET_DB", str(server.db))     # the app-defined indicator is read from the server's store
    store = Store(server.db)
    done = agreement_store.get(store, AGREEMENT)
    assert (done.status, done.published_by, len(done.commitments)) == ("publicerad", "admin", 8)
    assert done.commitments[1].text == "Polisen ska öka sin fotpatrullering i centrala Timrå och i Sörberge."
    assert NEW in done.commitments[1].indicators
    assert all(for_commitment(c.id) for c in done.commitments)     # the copy brought every commitment's indicators
    targets = {t.indicator for t in stored_targets(store) if t.agreement == AGREEMENT}
    with_target = {i.id for c in done.commitments for i in for_commitment(c.id) if i.has_target}
    assert NEW in with_target and len(with_target) == 12 and targets == with_target
    assert steps.count <= 40
