"""Upload in a real browser: preview, import, the overview's figure changes, undo, the figure returns; a workbook
of two sheets previewed per sheet and imported as one batch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.chromium import accounts_server, card_value, wait_idle
from tests.factories import PASSWORD
from trygghet.config import PROJECT_ROOT
from trygghet.figures.indicators import registry

pytestmark = pytest.mark.browser

# Five foot patrols in central Timrå in 2024 (the server's "today" is 2024-06-30).
UPLOAD = (
    "\ufeffDatum;Starttid;Varaktighet (timmar);Område;Organisation;Medborgarkontakter;Kommentar\r\n"
    + "".join(f"2024-05-{day:02d};19:00;1,5;Timrå centrum;polisen;2;Webbläsartest {day}\r\n" for day in range(10, 15))
).encode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with accounts_server(tmp_path_factory.mktemp("upload"), {"analytiker": "editor"}) as server:
        yield server


@pytest.fixture
def page(tab):
    """A tab 1000 pixels tall (tests/browser/conftest.py)."""
    return tab(viewport={"width": 1440, "height": 1000}, locale="sv-SE")


def _menu(page, title: str) -> None:
    """Move within the app as a user does (a reload would start a new session, signed out)."""
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").filter(has_text=title).first.click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=60_000)


def _patrols(page) -> int:
    """The overview's figure for foot patrols in central Timrå, as a number."""
    _menu(page, "Översikt")
    title = registry()["fotpatrull_antal_centrala"].title
    text = card_value(page, title)
    shown = re.match(r"[\d\s\u00a0]+", text)
    assert shown, text
    return int(re.sub(r"\D", "", shown.group(0)))


def _refused(page) -> None:
    page.get_by_text("Den här sidan kräver inloggning som redaktör").wait_for(timeout=60_000)
    wait_idle(page)
    expect(page.locator("[data-testid='stFileUploaderDropzoneInput']")).to_have_count(0)


def _sign_in(page, server) -> None:
    """Follow a link to Ladda upp as a viewer, be refused, and sign in as an editor on the page itself."""
    page.goto(f"{server.url}/ladda-upp")  # a viewer following a link directly
    _refused(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_label("Användarnamn").fill("analytiker")
    main.get_by_label("Lösenord").fill(PASSWORD)
    main.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Ladda upp en aktivitetslogg").wait_for(timeout=60_000)
    expect(page.locator("[data-testid='stSidebar']").get_by_text("Inloggad som analytiker (redaktör).")).to_be_visible()


def test_sign_in_upload_see_the_figure_change_undo_sign_out(server, page, tmp_path):
    page.goto(server.url)
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    before = _patrols(page)
    expect(page.locator("[data-testid='stSidebar']").get_by_text("Ladda upp")).to_have_count(0)  # no link for viewers

    _sign_in(page, server)

    upload = tmp_path / "fotpatruller-maj.csv"
    upload.write_bytes(UPLOAD)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
    page.get_by_text("Förhandsgranskning").wait_for(timeout=60_000)
    expect(
        page.locator("[data-testid='stMetric']").filter(has_text="Läggs till").locator("[data-testid='stMetricValue']")
    ).to_have_text("5", timeout=30_000)
    page.get_by_role("button", name="Importera 5 rader").click(timeout=60_000)
    page.get_by_text("Importerad som omgång").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert _patrols(page) == before + 5

    _menu(page, "Ladda upp")
    page.get_by_role("heading", name="Importhistorik").wait_for(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Omgång att ångra")).to_have_value(
        re.compile(r"Omgång \d+: fotpatruller-maj\.csv"), timeout=30_000
    )
    page.get_by_role("button", name="Ångra omgången").click()
    page.get_by_text("aktiviteter borttagna").wait_for(timeout=60_000)
    assert _patrols(page) == before

    _menu(page, "Ladda upp")
    page.get_by_role("heading", name="Importhistorik").wait_for(timeout=60_000)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Logga ut").click()
    page.locator("[data-testid='stSidebar']").get_by_text("Logga in (redaktörer och administratörer)").wait_for()
    _refused(page)  # the same session, on the page it was on: the page checks the role itself at once
    expect(page.locator("[data-testid='stSidebar']").get_by_role("link", name="Ladda upp")).to_have_count(0)
    page.goto(f"{server.url}/ladda-upp")
    _refused(page)


def test_a_workbook_of_two_sheets_is_previewed_per_sheet_and_imported_as_one_batch(server, page):
    """Mars (three foot patrols) and April (two traffic controls) of tests/data/blad_per_manad_libreoffice.xlsx;
    its cover, template and empty sheets are named and left out."""
    page.goto(server.url)
    page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
    _sign_in(page, server)
    workbook = PROJECT_ROOT / "tests" / "data" / "blad_per_manad_libreoffice.xlsx"
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(workbook))
    page.get_by_text("Blad: Mars (Fotpatrull), April (Trafikkontroll)").wait_for(timeout=60_000)
    expect(page.get_by_text("Bladet Försättsblad läses inte", exact=False)).to_be_visible()
    added = (
        page.locator("[data-testid='stMetric']").filter(has_text="Läggs till").locator("[data-testid='stMetricValue']")
    )
    expect(added.first).to_have_text("3", timeout=30_000)  # the Mars tab is open first
    page.get_by_role("tab", name="Bladet April").click()
    wait_idle(page)
    expect(
        page.get_by_role("tabpanel")
        .filter(has_text="Aktivitetstyp: Trafikkontroll")
        .locator("[data-testid='stMetric']")
        .filter(has_text="Läggs till")
        .locator("[data-testid='stMetricValue']")
    ).to_have_text("2", timeout=30_000)
    page.get_by_role("button", name="Importera 5 rader").click(timeout=60_000)
    page.get_by_text("5 rader tillagda, 0 fanns redan").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    wait_idle(page)
    # .first: while the page reruns, the history drawn before is still there beside the new one
    page.get_by_role("heading", name="Importhistorik").first.wait_for(timeout=60_000)
    expect(page.get_by_role("combobox", name="Omgång att ångra")).to_have_value(
        re.compile(r"Omgång \d+: blad_per_manad_libreoffice\.xlsx"), timeout=30_000
    )


# The May file corrected: the patrol of 10 May is gone, 14 May had 3 contacts (not 2), 15 May is new.
CORRECTED = (
    UPLOAD.replace("2024-05-10;19:00;1,5;Timrå centrum;polisen;2;Webbläsartest 10\r\n".encode(), b"").replace(
        "2024-05-14;19:00;1,5;Timrå centrum;polisen;2;".encode(),
        "2024-05-14;19:00;1,5;Timrå centrum;polisen;3;".encode(),
    )
    + "2024-05-15;19:00;1,5;Timrå centrum;polisen;2;Webbläsartest 15\r\n".encode()
)


def _metric(page, label: str):
    return (
        page.locator("[data-testid='stMetric']")
        .filter(has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}$")))
        .locator("[data-testid='stMetricValue']")
    )


def test_a_corrected_file_replaces_its_batch_with_the_changes_shown(server, page, tmp_path):
    """Import the May file, then its corrected version against that batch: 1 new, 1 changed (contacts 2 → 3),
    1 removed, 3 unchanged are shown before anything is written; after the replacement the overview counts
    the same five patrols as with the first file."""
    page.goto(f"{server.url}/ladda-upp")
    main = page.locator("[data-testid='stMain']")
    main.get_by_label("Användarnamn").fill("analytiker")
    main.get_by_label("Lösenord").fill(PASSWORD)
    main.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Ladda upp en aktivitetslogg").wait_for(timeout=60_000)
    first = tmp_path / "fotpatruller-maj.csv"
    first.write_bytes(UPLOAD)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(first))
    page.get_by_role("button", name="Importera 5 rader").click(timeout=60_000)
    page.get_by_text("Importerad som omgång").wait_for(timeout=60_000)
    with_first = _patrols(page)

    _menu(page, "Ladda upp")
    wait_idle(page)
    box = page.get_by_role("combobox", name="Ersätter en tidigare omgång")
    box.click()
    box.fill("fotpatruller-maj.csv")
    box.press("Enter")
    wait_idle(page)
    expect(box).to_have_value(re.compile(r"Omgång \d+: fotpatruller-maj\.csv"), timeout=30_000)
    batch = re.match(r"Omgång (\d+)", box.input_value()).group(1)
    corrected = tmp_path / "fotpatruller-maj-rattad.csv"
    corrected.write_bytes(CORRECTED)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(corrected))
    page.get_by_text("Förhandsgranskning").wait_for(timeout=60_000)
    for label, value in (("Nya", "1"), ("Ändrade", "1"), ("Borttagna", "1"), ("Oförändrade", "3")):
        expect(_metric(page, label)).to_have_text(value, timeout=30_000)
    page.get_by_role("tab", name="Ändrade (1)").click()
    expect(page.locator("[data-testid='stDataFrame']").filter(has_text="Medborgarkontakter").first).to_be_visible()
    page.get_by_role("button", name=f"Ersätt omgång {batch} med filens 5 rader").click(timeout=60_000)
    page.get_by_text(f"Omgång {batch} är ersatt.").wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert _patrols(page) == with_first
