"""Security attempts of issue 17 on the pages: personal data refused where it is typed, and a URL parameter
that is never a link. The core's side is in tests/unit/test_security_privacy.py."""

from __future__ import annotations

import pytest

from tests.app import open_page
from trygghet.auth import Role, User
from trygghet.web import ui

PII = "Anna Andersson 19850101-1234 070-123 45 67"


def test_plain_text_never_becomes_a_link():
    # Streamlit's markdown makes a link of any https://…, www.… or name@host in plain text, escaped or not
    # (seen in Chromium: ui.plain's backslashes alone left all three clickable); a word joiner keeps them text.
    shown = ui.plain("Logga in på https://evil.example").replace("\\", "")
    assert "https:\u2060//evil.example" in shown and "://" not in shown
    assert "www\u2060\\." in ui.plain("www.evil.example") and "@\u2060" in ui.plain("anna@evil.example")


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_the_overview_shows_a_hostile_url_parameter_as_text(tmp_store):
    at = open_page("pages/oversikt.py", query={"overenskommelse": "Logga in på https://evil.example"})
    notice = next(i.value for i in at.info if "Logga in på" in i.value)
    assert "https:\u2060//evil.example" in notice.replace("\\", "") and "://" not in notice.replace("\\", "")


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_the_meeting_page_refuses_a_comment_with_personal_data(tmp_store):
    at = open_page("pages/mote.py", User("redaktor", Role.EDITOR))
    for area in at.text_area:
        if area.label.startswith("Kommentar till mötet"):
            area.input(PII)
    next(b for b in at.button if b.label == "Spara kommentaren").click()
    at.run()
    assert (
        "Kommentaren sparades inte. Fältet ”Kommentar” ser ut att innehålla ett namn, ett personnummer och ett "
        "telefonnummer. Personuppgifter får inte sparas här; skriv texten utan dem." in [e.value for e in at.error]
    )
    assert tmp_store.comments([m.id for m in tmp_store.meeting_rows()]) == []
