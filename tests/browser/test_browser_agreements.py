"""Överenskommelser in a real browser: an admin signs in, makes next year's promise from the last one, edits
two commitments and publishes it; the steps a user takes are counted and printed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.chromium import Steps, accounts_server, wait_idle
from tests.factories import PASSWORD
from trygghet.store import agreements as agreement_store
from trygghet.store.database import Store

pytestmark = pytest.mark.browser

SETTLED = """title => {
  const app = document.querySelector("[data-testid='stApp']");
  const shown = [...document.querySelectorAll("input[aria-label='Kort rubrik']")];
  return app.getAttribute("data-test-script-state") === "notRunning" && shown.length === 1 && shown[0].value === title;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # A day before the medborgarlöfte 2023–2024 ends, when the next one is prepared (and no demo example exists).
    with accounts_server(
        tmp_path_factory.mktemp("agreements"), {"admin": "admin"}, TRYGGHET_TODAY="2024-12-01"
    ) as server:
        yield server


def _edit(steps: Steps, option: str, text: str) -> None:
    page = steps.page
    short_title = option.split(". ", 1)[1]
    steps.choose("Löfte att ändra", option)
    # That commitment's form alone, once the script has finished and taken away the form shown before.
    page.wait_for_function(SETTLED, arg=short_title, timeout=60_000)
    area = page.get_by_label("Löftestext (ordagrant ur överenskommelsen)")
    steps.fill(area, text)
    steps.click(page.get_by_role("button", name="Spara löftet"))
    page.get_by_text(f"Löftet {short_title} är sparat.").wait_for(timeout=60_000)


def test_copy_edit_publish_in_the_browser(server, tab):
    page = tab(viewport={"width": 1440, "height": 1000}, locale="sv-SE")
    steps = Steps(page)
    steps.goto(f"{server.url}/overenskommelser")
    page.get_by_text("Den här sidan kräver inloggning som redaktör").wait_for(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    steps.fill(main.get_by_label("Användarnamn"), "admin")
    steps.fill(main.get_by_label("Lösenord"), PASSWORD)
    steps.click(main.get_by_role("button", name="Logga in"))
    page.get_by_role("heading", name="Överenskommelser", exact=True).wait_for(timeout=60_000)

    steps.click(page.get_by_role("button", name="Skapa utkast"))  # from the latest: Medborgarlöfte 2023–2024
    page.get_by_text("Utkastet Medborgarlöfte 2025–2026 är skapat.").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Medborgarlöfte 2025–2026", exact=True).wait_for(timeout=60_000)
    _edit(
        steps,
        "2. Fotpatrullering i centrala Timrå",
        "Polisen ska fotpatrullera minst 150 gånger per år i centrala Timrå.",
    )
    _edit(
        steps,
        "8. A-traktorer och buskörning",
        "Polisen ska genomföra riktade insatser mot olagliga A-traktorer vid skolorna.",
    )
    steps.click(page.get_by_role("button", name="Publicera"))
    page.get_by_text("Medborgarlöfte 2025–2026 är publicerad.").wait_for(timeout=60_000)
    wait_idle(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)

    print(f"\nÖverenskommelser, kopiera–ändra–publicera: {steps.count} steg i webbläsaren")
    done = agreement_store.get(Store(server.db), "medborgarlofte-2025")
    texts = [c.text for c in done.commitments]
    assert (done.status, done.published_by) == ("publicerad", "admin")
    assert texts[1] == "Polisen ska fotpatrullera minst 150 gånger per år i centrala Timrå."
    assert texts[7] == "Polisen ska genomföra riktade insatser mot olagliga A-traktorer vid skolorna."
    assert steps.count <= 16
