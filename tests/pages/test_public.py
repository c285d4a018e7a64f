"""The public page: plain words per promise, aggregate figures only, nothing written by a person."""

from __future__ import annotations

import pytest

from tests.app import open_page
from tests.factories import activity, add_rows, meeting_figure
from trygghet.auth import Role, User
from trygghet.config import today_stockholm
from trygghet.figures.progress import Status
from trygghet.figures.public_words import FOLLOWED, KEPT, NOT_ON_TRACK, ON_THE_WAY, plain_sentence, verdict
from trygghet.formatting import format_date


def test_verdict_per_promise():
    assert verdict([meeting_figure("a", Status.ACHIEVED), meeting_figure("b", Status.ACHIEVED)]) == KEPT
    assert verdict([meeting_figure("a", Status.ACHIEVED), meeting_figure("b", Status.SLIGHTLY_BEHIND)]) == NOT_ON_TRACK
    assert verdict([meeting_figure("a", Status.ON_TRACK), meeting_figure("b", Status.TOO_EARLY)]) == ON_THE_WAY
    assert verdict([meeting_figure("a", Status.NOT_UPDATED)]) == ON_THE_WAY  # missing data is not poor performance
    assert verdict([meeting_figure("a", Status.NO_TARGET)]) == FOLLOWED


def test_plain_sentence():
    assert (
        plain_sentence([meeting_figure("a", Status.ON_TRACK), meeting_figure("b", Status.NO_TARGET)])
        == "Hittills i år: 5 st (mål för året: 10); 5 st."
    )


def test_public_page_shows_words_and_figures_but_no_comments(council):
    meeting = council.meeting_rows()[2].id
    council.add_comment(meeting, "ml23-fotpatrull", "Internt: patrullen saknade bil", User("redaktor", Role.EDITOR))
    add_rows(council, [activity("foot_patrol", "2024-06-01", area_code="soraker", place="Köpmangatan 3")])
    at = open_page("pages/folj_med.py")
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert at.title[0].value == "Följ med i hur det går"
    # Central patrols by 11 June: 120 + 60 + 90 + 150 + 60 min = 8,0 h; contacts everywhere 4 + 6 + 0 + 5.
    assert (
        ":material/trending_down: **Inte i fas.** Hittills i år: 5 fotpatruller i centrala Timrå "
        "(mål för året: 130); 8,0 timmar (mål för året: 300); 15 medborgarkontakter."
    ) in texts
    assert council.last_update() == today_stockholm()  # the patrols were imported just now
    assert f"Siffrorna uppdaterades senast {format_date(today_stockholm())}." in [c.value for c in at.caption]
    page = " ".join(texts + [h.value for h in at.header] + [h.value for h in at.subheader])
    assert "saknade bil" not in page and "Köpmangatan" not in page


def test_after_the_promise_has_ended_the_page_shows_its_last_year_alone(council, monkeypatch):
    """Today (23 November 2026) lies after the 2023–2024 promise: the public sees its last year, 2024, said
    plainly, not an empty 2026 labelled "På väg"; and the embedded page offers no way into the internal app."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2026-11-23")
    at = open_page("pages/folj_med.py")
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert [i.value for i in at.info] == [
        "Medborgarlöfte 2023–2024 gällde till 31 december 2024. Ingen senare överenskommelse är inlagd."
    ]
    assert (
        "Polisen i Medelpad och Timrå kommun lovade invånarna i Timrå att arbeta för ökad trygghet "
        "(Medborgarlöfte 2023–2024). Här ser du slutresultatet för varje löfte under 2024."
    ) in texts
    # All of 2024 against the full-year target: 5 central patrols of 130, told in the past tense.
    assert (
        ":material/cancel: **Löftet hölls inte.** Slutresultat 2024: 5 fotpatruller i centrala Timrå "
        "(mål för året: 130); 8,0 timmar (mål för året: 300); 15 medborgarkontakter."
    ) in texts
    assert "Senaste registrerade aktivitet: 11 juni 2024." in texts
    assert not any("i år" in t.lower() or "hålls" in t for t in texts)
    assert not at.sidebar.text_input and not at.sidebar.button
    assert not [e for e in at.sidebar if e.type == "page_link"]


def test_a_public_deployment_routes_to_the_public_page_only(council, monkeypatch):
    monkeypatch.setenv("TRYGGHET_PUBLIC_ONLY", "1")
    at = open_page()
    assert at.title[0].value == "Följ med i hur det går"
    assert not at.sidebar.text_input and not [e for e in at.sidebar if e.type == "page_link"]
    # nothing else is routable (the public page twice: at the root and at /folj-med, see dashboard.py)
    with pytest.raises(ValueError, match=r"Known pages: \['[^']*folj_med\.py', '[^']*folj_med\.py'\]"):
        at.switch_page("pages/ladda_upp.py")
