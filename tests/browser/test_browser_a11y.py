"""Accessibility (WCAG 2.1 AA, as required of Swedish public-sector sites): axe-core on the public page
and the meeting view finds no serious or critical violations."""

from __future__ import annotations

import pytest

from tests.chromium import axe_violations, wait_drawn

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path,heading",
    [
        ("folj-med", "Följ med i hur det går"),
        ("folj-med?embed=true", "Följ med i hur det går"),
        ("mote?meeting=2024-06-11", "Rådets möte"),
        ("mote?mode=present&meeting=2024-06-11&slide=1", "Rådet för trygghet och hälsa, 11 juni 2024"),
        ("mote?mode=present&meeting=2024-06-11&slide=3", "Trygghetsskapande åtgärder"),
    ],
)
def test_no_serious_accessibility_violations(server, tab, path, heading):
    page = tab(viewport={"width": 1440, "height": 900}, locale="sv-SE")
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=60_000)
    wait_drawn(page)  # charts draw after the script has finished
    violations = axe_violations(page)
    assert violations == [], violations
