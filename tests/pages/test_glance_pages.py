"""The pages of issue 18 items 1, 2 and 8 with AppTest on the demo data of 30 June 2024: the summary at the top
of Översikt and Rådets möte, five items of Att uppmärksamma and the rest behind "Visa alla", the meeting
calendar at the top for editors, "centrala Timrå" among the areas, and the way back from the public page.
(That the filters are above the menu and the fold is a browser test: tests/browser/test_browser_glance.py.)"""

from __future__ import annotations

import re

import pytest

from tests.app import open_page, query_of
from tests.factories import first_run
from trygghet.auth import Role, User

EDITOR = User("redaktor", Role.EDITOR)


@pytest.fixture
def demo(store_with, monkeypatch):
    """The demo of 30 June 2024 as the dashboard's first run fills a new database file (once per test process;
    each test gets a copy)."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    return store_with(first_run)


def _summary(at) -> str:
    return next(h.proto.body for h in at.get("html") if 'class="glance' in h.proto.body)


def _links(body: str) -> list[str]:
    return re.findall(r'<a href="#(lofte-[^"]+)"', body)


def test_overview_opens_with_every_commitment_linking_to_its_section(demo):
    at = open_page("pages/oversikt.py")
    body = _summary(at)
    anchors = {s.proto.anchor for s in at.subheader}
    # Medborgarlöfte 2023–2024 has eight commitments; each row links to the anchor of its section.
    assert len(_links(body)) == 8 and set(_links(body)) <= anchors
    # Behind first: on 30 June 2024 the first row lags; the last ones are on track.
    verdicts = re.findall(r'aria-hidden="true">[^<]+</span>([^<]+)</td>', body)
    assert verdicts[0] == "efter" and verdicts[-1] == "i fas"
    # The summary comes before the first focus area's section.
    kinds = [e.type for e in at.main]
    assert kinds.index("html") < kinds.index("header")


def test_meeting_page_shows_five_items_to_attend_and_the_rest_behind_visa_alla(demo):
    # 11 June 2024: 9 items (6 behind, 3 changed since 9 April); see tests/unit/test_glance.py for the rules.
    at = open_page("pages/mote.py", query={"meeting": "2024-06-11"})
    assert len(_links(_summary(at))) == 8
    box = next(
        c
        for c in at.main.children.values()
        if c.type == "flex_container" and any(getattr(e, "value", None) == "Att uppmärksamma" for e in c)
    )
    shown = [m for m in box.markdown if m.value.startswith(":material/")]
    rest = box.expander[0]
    assert rest.label == "Visa alla (9)"
    assert len(shown) == 9 and len([m for m in rest.markdown]) == 4  # 5 outside the expander, 4 inside it
    assert shown[0].value.startswith(":material/trending_down: Informationsinsatser om våld i nära relation\\: efter")


def test_the_meeting_calendar_is_at_the_top_for_editors_only(demo):
    at = open_page("pages/mote.py", EDITOR, {"meeting": "2024-06-11"})
    order = [e.type for e in at.main]
    popover = next(e for e in at.main if e.type == "popover")
    assert popover.proto.popover.label == "Möteskalendern"
    assert order.index("popover") < order.index("html")  # above the summary
    assert {b.form_id for b in popover.button} == {"new-meeting", "edit-meeting"}
    assert "popover" not in [e.type for e in open_page("pages/mote.py", query={"meeting": "2024-06-11"}).main]


def test_centrala_timra_is_an_area_choice_and_stays_in_the_link(demo):
    group = open_page("pages/fotpatrull.py", query={"omrade": "centrala"})
    assert group.sidebar.multiselect[0].value == ["centrala"]
    assert group.sidebar.multiselect[0].help == "Centrala Timrå är Timrå centrum, Vivsta och Åkroken."
    assert query_of(group)["omrade"] == "centrala"
    three = open_page("pages/fotpatrull.py", query={"omrade": "timra-centrum,vivsta,akroken"})
    # The group counts what its three areas count.
    assert [(m.label, m.value) for m in group.metric] == [(m.label, m.value) for m in three.metric]
    assert any("områden: Centrala Timrå" in m.value.replace("\\", "") for m in group.markdown)


def test_the_public_page_has_a_way_back_except_in_a_public_deployment(demo, monkeypatch):
    links = [e for e in open_page("pages/folj_med.py").main if e.type == "page_link"]
    assert [link.label for link in links] == ["Tillbaka till Översikt"]
    monkeypatch.setenv("TRYGGHET_PUBLIC_ONLY", "1")
    assert not [e for e in open_page().main if e.type == "page_link"]


def test_a_commitments_title_reaches_the_summary_as_text():
    from tests.factories import figure
    from trygghet.figures.glance import summary_rows
    from trygghet.figures.progress import Status
    from trygghet.web.glance import summary_html

    rows = summary_rows(
        [
            (
                'x"><script>',
                "<img src=x onerror=alert(1)> **fet**",
                "Trafik",
                [figure("a", Status.BEHIND, actual=3, prorated=6)],
            )
        ]
    )
    body = summary_html(rows)
    assert "<script>" not in body and "<img" not in body
    assert "&lt;img src=x onerror=alert(1)&gt; **fet**" in body and 'href="#lofte-x&quot;&gt;&lt;script&gt;"' in body


def test_every_slide_of_the_example_agreement_says_it_is_an_example(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGHET_DB", str(tmp_path / "demo.duckdb"))
    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-30")
    for slide in ("1", "2", "3"):
        at = open_page("pages/mote.py", query={"mode": "present", "slide": slide})
        assert (
            ":orange-badge[:material/warning: Exempel: överenskommelsen är påhittad. Demodata: påhittade "
            "aktiviteter, siffrorna gäller inte Timrå.]"
        ) in [m.value for m in at.markdown], slide


def test_the_meetings_charts_come_when_asked_for_and_stay(demo):
    # Medborgarlöfte 2023–2024 has eight commitments, each with activities by 30 June 2024: eight charts when asked.
    at = open_page("pages/mote.py", query={"meeting": "2024-06-11"})
    assert not at.get("plotly_chart") and len(at.metric) > 8  # every figure is there without them
    at.toggle(key="meeting-charts").set_value(True).run()
    assert len(at.get("plotly_chart")) == 8
    at.run()
    assert len(at.get("plotly_chart")) == 8
