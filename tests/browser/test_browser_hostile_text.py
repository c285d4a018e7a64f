"""Hostile text in a real browser (issue 17, item 5): plotly draws a subset of HTML in its labels and Streamlit's
markdown makes a link of a bare URL, so what a chart or a notice shows from data is checked where it is drawn."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.chromium import wait_idle
from trygghet.store.database import Store

pytestmark = pytest.mark.browser

LINK = '<a href="http://evil.example">Vivsta</a>'


def test_an_area_named_as_a_link_is_text_in_the_chart(server, page):
    # The name cannot be entered in the app any more (validation.name_problem); a database from before could
    # hold it, and the chart must still show it as text. The dashboard is shared: the name is put back after.
    store = Store(server.db)
    with store.transaction() as con:
        name = con.execute("SELECT name FROM areas WHERE code = 'vivsta'").fetchone()[0]
        con.execute("UPDATE areas SET name = ? WHERE code = 'vivsta'", [LINK])
    try:
        page.goto(f"{server.url}/fotpatrull")
        ticks = page.locator(".js-plotly-plot .ytick", has_text="evil.example")
        ticks.first.wait_for(timeout=60_000)
        wait_idle(page)
        assert ticks.first.text_content() == LINK + " (centrala Timrå)"
        assert page.locator(".js-plotly-plot a").count() == 0
    finally:
        with store.transaction() as con:  # a write: the data version moves on, so no page keeps the link
            con.execute("UPDATE areas SET name = ? WHERE code = 'vivsta'", [name])


def test_a_link_in_the_url_is_text_in_the_notice(server, page):
    page.goto(f"{server.url}/oversikt?overenskommelse=" + quote("Logga in på https://evil.example"))
    notice = page.locator("[data-testid='stAlertContainer']", has_text="Logga in på")
    notice.first.wait_for(timeout=60_000)
    assert "evil.example" in notice.first.inner_text()
    assert notice.first.locator("a").count() == 0
