"""Attempts in a real browser (issue 17, items 1 and 7): the public deployment embedded as the municipality embeds
it, the sign-in while the database is busy, a broken accounts file. (AppTest runs a page other than the default
one without dashboard.py, so the page guard is tested here.)"""

from __future__ import annotations

import pytest

from tests.chromium import accounts_server, demo_server, fill_sidebar_sign_in, wait_idle
from tests.factories import PASSWORD, file_held_by_another_process
from trygghet.auth import ACCOUNTS_FILE_NOTICE

pytestmark = pytest.mark.browser


def test_the_public_deployment_serves_its_embedded_address_without_any_dialog(tmp_path, tab):
    """With TRYGGHET_PUBLIC_ONLY=1, /folj-med?embed=true opened under Streamlit's English "Page not found" dialog
    (the public page was the default page, which Streamlit serves at the root only). Now the page shows at that
    address, with no dialog, and the root shows it too."""
    with demo_server(tmp_path, TRYGGHET_PUBLIC_ONLY="1") as server:
        page = tab(locale="sv-SE")
        for address in ("/folj-med?embed=true", "/folj-med", "/"):
            page.goto(server.url + address)
            wait_idle(page)
            page.get_by_role("heading", name="Följ med i hur det går").wait_for(timeout=60_000)
            assert page.get_by_role("dialog").count() == 0, address
            assert page.get_by_text("Page not found").count() == 0, address


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with accounts_server(tmp_path_factory.mktemp("security"), {"admin": "admin"}, TRYGGHET_LOCK_TIMEOUT="1") as server:
        yield server


def _page_text(page) -> str:
    return page.locator("[data-testid='stApp']").inner_text()


def test_a_busy_database_during_sign_in_in_the_sidebar_is_a_swedish_message(server, page):
    """The sidebar's sign-in ran outside the page guard: a database error there was Streamlit's English error.
    Another process holds the file past TRYGGHET_LOCK_TIMEOUT (1 s) while a visitor signs in in the sidebar:
    the visitor reads, in Swedish, that the database is busy; once the file is free, the sign-in works."""
    page.goto(server.url)
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sign_in = fill_sidebar_sign_in(page, "admin")
    with file_held_by_another_process(server.db):
        sign_in.click()
        page.get_by_text("Databasen är upptagen just nu: ett annat program skriver till den.").first.wait_for(
            timeout=60_000
        )
        text = _page_text(page)
        assert "This app has encountered an error" not in text and "Något gick fel" not in text
        assert str(server.db) not in text  # the file's path is for the log
    sidebar.get_by_label("Användarnamn").fill("admin")
    sidebar.get_by_label("Lösenord").fill(PASSWORD)
    sidebar.get_by_role("button", name="Logga in").click()
    sidebar.get_by_text("Inloggad som admin (administratör).").wait_for(timeout=60_000)


def test_a_broken_accounts_file_is_shown_to_an_admin_as_one_sentence(server, page):
    """The accounts file breaks while an admin is signed in (a field no longer an argon2 hash): the admin page
    says "Kontofilen kan inte läsas; se serverns logg", never the file's name or content; the log names both."""
    users = server.db.parent / "users.toml"
    good = users.read_bytes()
    page.goto(f"{server.url}/admin")
    main = page.locator("[data-testid='stMain']")
    main.get_by_label("Användarnamn").fill("admin")
    main.get_by_label("Lösenord").fill(PASSWORD)
    main.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Användare").wait_for(timeout=60_000)
    try:
        users.write_bytes(b'[users.admin]\npassword_hash = "klartext-hemlis"\nrole = "admin"\n')
        sidebar = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']")
        sidebar.filter(has_text="Översikt").first.click()
        page.get_by_role("heading", name="Översikt", exact=True).first.wait_for(timeout=60_000)
        sidebar.filter(has_text="Administration").first.click()
        page.get_by_text(ACCOUNTS_FILE_NOTICE).wait_for(timeout=60_000)
        text = _page_text(page)
        assert "users.toml" not in text and "klartext-hemlis" not in text and "password_hash" not in text
        assert "kontot admin" in (server.db.parent / "streamlit.log").read_text()
    finally:
        users.write_bytes(good)
