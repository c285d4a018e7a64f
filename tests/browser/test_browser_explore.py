"""Exploration pages in a real browser: filters set on the page go into the link, and the link gives the same view."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.chromium import wait_idle
from trygghet.exploration.figures import explore_sums
from trygghet.exploration.model import Selection, figure_text
from trygghet.store.database import Store

pytestmark = pytest.mark.browser


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox or multiselect by typing it, as a keyboard user would; done once the choice
    is in the link (every choice here goes there) and the page has run with it: the script may not yet have
    started when Enter returns, so waiting only for it to be idle could let the next choice race the rerun."""
    before = page.url
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    box.press("Enter")
    page.wait_for_url(lambda url: url != before, timeout=30_000)
    wait_idle(page)


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{label}$"))
    )
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_filters_go_into_the_link_and_a_reload_shows_the_same_view(server, page):
    page.goto(f"{server.url}/trafikkontroller")
    page.get_by_role("heading", name="Trafikkontroller", exact=True).first.wait_for(timeout=60_000)
    wait_idle(page)
    _choose(page, "Identifierad riskplats", "Endast identifierade riskplatser")
    _choose(page, "Områden", "Söråker")
    page.wait_for_url(re.compile(r"omrade=soraker"), timeout=30_000)
    assert _query(page.url) == {"riskplats": ["ja"], "omrade": ["soraker"]}
    # "i år" up to the pinned today, 30 June 2024, counted by the store itself
    sums = explore_sums(
        Store(server.db),
        Selection(("traffic_control",), dt.date(2024, 1, 1), dt.date(2024, 6, 30), areas=("soraker",), risk_place=True),
    ).iloc[0]
    expected = figure_text(sums.activity_count, 0)
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(expected, timeout=30_000)
    before = (_metric(page, "Trafikkontroller"), _metric(page, "Utandningsprov"))
    assert before == (expected, figure_text(sums.breath_tests, 0))
    link = page.url

    page.reload()
    page.get_by_role("heading", name="Trafikkontroller", exact=True).first.wait_for(timeout=60_000)
    wait_idle(page)
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(expected, timeout=30_000)
    assert (_metric(page, "Trafikkontroller"), _metric(page, "Utandningsprov")) == before
    assert page.url == link
    expect(page.get_by_role("combobox", name="Identifierad riskplats")).to_have_value(
        "Endast identifierade riskplatser"
    )
    expect(page.get_by_role("button", name="Ta bort Söråker")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_bad_link_falls_back_with_a_notice(server, page):
    page.goto(f"{server.url}/fotpatrull?period=igår&omrade=vivsta")
    page.get_by_text("Adressen anger perioden ”igår”, som inte finns.").wait_for(timeout=60_000)
    wait_idle(page)
    assert _query(page.url) == {"omrade": ["vivsta"]}
    expect(page.get_by_text(re.compile(r"^I år: 1 januari–30 juni 2024"))).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
