"""Words in generated text: a cooperation agreement's texts are problem pictures, a citizen promise's are promises."""

from __future__ import annotations

import pytest

from tests.app import open_page


def _captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]


@pytest.mark.after_first_run  # starts with the page's run on the empty store
@pytest.mark.slow
def test_a_cooperation_agreements_texts_are_labelled_problem_pictures(tmp_store):
    # The 2019 agreement lists "Lokala problembilder i Timrå kommun"; they are not promises.
    at = open_page(
        "pages/oversikt.py", query={"overenskommelse": "samverkan-2019", "indelning": "year", "period": "2020"}
    )
    captions = _captions(at)
    assert any(c.endswith("Problembild: ”Öppet missbruk och ordningsstörning i olika kommundelar.”") for c in captions)
    assert not any("Löftet:" in c for c in captions)


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_a_citizen_promises_texts_are_labelled_promises(tmp_store):
    at = open_page(
        "pages/oversikt.py", query={"overenskommelse": "medborgarlofte-2023", "indelning": "year", "period": "2024"}
    )
    assert any(c.endswith("Löftet: ”Polisen ska öka sin fotpatrullering i centrala Timrå.”") for c in _captions(at))
