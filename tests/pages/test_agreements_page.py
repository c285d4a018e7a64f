"""The page Överenskommelser with AppTest: copy, edit, publish, a refused overlap, who sees drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from trygghet.auth import Role, User
from trygghet.store import agreements as agreement_store
from trygghet.web import ui

ADMIN, EDITOR = User("admin", Role.ADMIN), User("redaktor", Role.EDITOR)


@pytest.fixture(autouse=True)
def before_the_next_promise(monkeypatch):
    """A day in December 2024, when the next promise is prepared: the demo adds no example agreement then."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-01")


PAGE = "pages/overenskommelser.py"


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _select(at: AppTest, label: str, value) -> None:
    next(s for s in at.selectbox if s.label == label).set_value(value)


def _copy(at: AppTest, source: str) -> AppTest:
    _select(at, "Utgå från", source)
    return _click(at, "Skapa utkast")


def _edit_commitment(at: AppTest, commitment_id: str, text: str) -> AppTest:
    _select(at, "Löfte att ändra", commitment_id)
    at.run()
    next(t for t in at.text_area if t.label.startswith("Löftestext")).set_value(text)
    return _click(at, "Spara löftet")


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_an_admin_makes_the_next_promise_from_the_last_one_edits_two_commitments_and_publishes(tmp_store):
    at = _copy(open_page(PAGE, ADMIN), "medborgarlofte-2023")
    assert at.success[0].value.startswith(f"Utkastet {ui.plain('Medborgarlöfte 2025–2026')} är skapat.")
    assert at.header[0].value == ui.plain("Medborgarlöfte 2025–2026")
    assert next(s for s in at.selectbox if s.label == "Överenskommelse").value == "medborgarlofte-2025"

    _edit_commitment(
        at, "medborgarlofte-2025-fotpatrull", "Polisen ska fotpatrullera minst 150 gånger per år i centrala Timrå."
    )
    _edit_commitment(at, "medborgarlofte-2025-trafikkontroller", "Polisen ska göra trafikkontroller vid skolor.")
    draft = agreement_store.get(tmp_store, "medborgarlofte-2025")
    texts = {c.id: c.text for c in draft.commitments}
    assert texts["medborgarlofte-2025-fotpatrull"] == (
        "Polisen ska fotpatrullera minst 150 gånger per år i centrala Timrå."
    )
    assert texts["medborgarlofte-2025-trafikkontroller"] == "Polisen ska göra trafikkontroller vid skolor."
    assert len(texts) == 8 and draft.status == "utkast"
    assert list(tmp_store.agreements().id) == ["samverkan-2019", "medborgarlofte-2023"]  # not public yet

    _click(at, "Publicera")
    assert at.success[0].value == f"{ui.plain('Medborgarlöfte 2025–2026')} är publicerad."
    done = agreement_store.get(tmp_store, "medborgarlofte-2025")
    assert (done.status, done.published_by) == ("publicerad", "admin")
    assert list(tmp_store.agreements().id)[-1] == "medborgarlofte-2025"

    # A second copy of 2023 covers the same two years: publishing it is refused, naming the field.
    _copy(at, "medborgarlofte-2023")
    assert next(s for s in at.selectbox if s.label == "Överenskommelse").value == "medborgarlofte-2025-2"
    _click(at, "Publicera")
    assert at.error[0].value.startswith("Överenskommelsen publicerades inte.")
    assert (
        ui.plain(
            "Gäller från (valid_from): tiden 2025-01-01–2026-12-31 överlappar Medborgarlöfte 2025–2026 "
            "(medborgarlofte-2025)"
        )
        in at.error[0].value
    )
    assert agreement_store.get(tmp_store, "medborgarlofte-2025-2").status == "utkast"


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_a_published_text_changes_only_with_a_reason_and_the_history_shows_it(tmp_store):
    at = open_page(PAGE, ADMIN)
    _select(at, "Överenskommelse", "medborgarlofte-2023")
    at.run()
    _edit_commitment(at, "ml23-fotpatrull", "Polisen ska öka sin fotpatrullering i hela Timrå.")
    assert at.error[0].value.startswith("Löftet sparades inte.")
    assert "Skäl" in at.error[0].value
    assert (
        agreement_store.get(tmp_store, "medborgarlofte-2023").commitments[1].text
        == "Polisen ska öka sin fotpatrullering i centrala Timrå."
    )
    next(t for t in at.text_input if t.label == "Skäl till ändringen" and t.key).set_value("Beslut i rådet 2024-05-14")
    _click(at, "Spara löftet")
    assert (
        agreement_store.get(tmp_store, "medborgarlofte-2023").commitments[1].text
        == "Polisen ska öka sin fotpatrullering i hela Timrå."
    )
    [history] = [d for d in at.dataframe if "Skäl" in d.value.columns]
    assert history.value[["Av", "Skäl", "Före"]].values.tolist() == [
        ["admin", "Beslut i rådet 2024-05-14", "Polisen ska öka sin fotpatrullering i centrala Timrå."]
    ]


def test_an_editor_sees_and_edits_drafts_but_does_not_publish_and_an_anonymous_viewer_sees_nothing(tmp_store):
    draft = agreement_store.copy_agreement(tmp_store, "medborgarlofte-2023", ADMIN)
    at = open_page(PAGE, EDITOR)
    listing = at.dataframe[0].value
    assert listing["Status"].tolist() == ["avslutad", "gällande", "utkast"]  # on 1 December 2024
    assert next(s for s in at.selectbox if s.label == "Överenskommelse").value == draft.id
    assert "Publicera" not in [b.label for b in at.button]
    assert "Spara löftet" in [b.label for b in at.button]

    at = open_page(PAGE, None)
    assert any("kräver inloggning som redaktör" in w.value for w in at.warning)
    assert not at.dataframe and not at.selectbox


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_an_editor_cannot_change_a_published_agreement(tmp_store):
    at = open_page(PAGE, EDITOR)
    _select(at, "Överenskommelse", "medborgarlofte-2023")
    at.run()
    assert "Spara löftet" not in [b.label for b in at.button]
    assert "Spara uppgifterna" not in [b.label for b in at.button]


def test_a_draft_gets_a_new_commitment_with_an_indicator_and_bad_dates_are_refused(tmp_store):
    draft = agreement_store.copy_agreement(tmp_store, "medborgarlofte-2023", ADMIN)
    at = open_page(PAGE, EDITOR)
    _select(at, "Löfte att ändra", "__ny__")
    at.run()
    next(t for t in at.text_input if t.label == "Kort rubrik").set_value("Trygga skolvägar")
    next(t for t in at.text_area if t.label.startswith("Löftestext")).set_value(
        "Polisen och kommunen ska göra skolvägarna tryggare."
    )
    next(s for s in at.selectbox if s.label == "Fokusområde").set_value("trafik")
    next(n for n in at.number_input if n.label == "Plats i ordningen").set_value(1)
    next(m for m in at.multiselect if m.label == "Kopplade mått").set_value(["trafik_hastighetskontroller"])
    _click(at, "Lägg till löftet")
    first = agreement_store.get(tmp_store, draft.id).commitments[0]
    assert (first.id, first.ordinal, first.focus_area, first.indicators) == (
        "medborgarlofte-2025-trygga-skolvagar",
        1,
        "trafik",
        ("trafik_hastighetskontroller",),
    )
    assert len(agreement_store.get(tmp_store, draft.id).commitments) == 9

    before = agreement_store.get(tmp_store, draft.id)
    next(d for d in at.date_input if d.label == "Gäller till").set_value(dt.date(2024, 12, 31))
    _click(at, "Spara uppgifterna")
    assert at.error[0].value.startswith("Uppgifterna sparades inte.")
    assert (
        ui.plain("Gäller till (valid_to): slutdatumet 2024-12-31 är före startdatumet 2025-01-01") in at.error[0].value
    )
    assert agreement_store.get(tmp_store, draft.id) == before


def test_an_attached_source_document_is_offered_for_download(tmp_store):
    agreement_store.attach_document(
        tmp_store, "medborgarlofte-2023", "medborgarlofte-2023.txt", "Polisens Medborgarlöfte".encode(), ADMIN
    )
    at = open_page(PAGE, EDITOR)
    _select(at, "Överenskommelse", "medborgarlofte-2023")
    at.run()
    [button] = at.get("download_button")
    assert button.proto.label == "Ladda ned källdokumentet (medborgarlofte-2023.txt)"
    assert any("Bifogat" in c.value and "admin" in c.value for c in at.caption)
    _select(at, "Överenskommelse", "samverkan-2019")
    at.run()
    assert not at.get("download_button")
