"""Agreements kept in the store: the seed from the files, drafts, publishing, versions, documents, TOML."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TESTER
from trygghet.auth import Role, User
from trygghet.bootstrap import prepare_store
from trygghet.config import PROJECT_ROOT
from trygghet.reference.agreements import AgreementError
from trygghet.store import agreements, schema
from trygghet.store.database import Store

D = dt.date
ANNA, BERTIL, ADMIN = User("anna", Role.EDITOR), User("bertil", Role.EDITOR), User("admin", Role.ADMIN)


def _state(store: Store) -> tuple:
    with store.connect() as con:
        return tuple(
            con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("agreements", "commitments", "focus_areas", "commitment_indicators", "agreement_versions")
        )


def test_the_source_agreements_are_seeded_published_with_parties_and_signatories(tmp_store):
    ml, sv = agreements.get(tmp_store, "medborgarlofte-2023"), agreements.get(tmp_store, "samverkan-2019")
    assert (ml.status, ml.kind, ml.valid_from, ml.valid_to) == (
        "publicerad",
        "medborgarlöfte",
        D(2023, 1, 1),
        D(2024, 12, 31),
    )
    assert [(s.name, s.title) for s in ml.signatories] == [
        ("Andreas Bergström", "Tf. Chef för lokalpolisområdet"),
        ("Stefan Dalin", "Kommunstyrelsens ordf. Timrå kommun"),
    ]
    assert sv.parties == ("Polismyndigheten, lokalpolisområde Medelpad", "Timrå kommun")
    assert [c.id for c in ml.commitments][:2] == ["ml23-trygghetsskapande", "ml23-fotpatrull"]
    assert len(ml.commitments) == 8 and len(sv.commitments) == 7


def test_migration_008_keeps_an_old_database_s_agreements_and_adds_what_the_documents_say(tmp_path, monkeypatch):
    """A database at schema 7 holds the agreements as the old start-up synced them from the files."""
    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 7])
    old = Store(tmp_path / "gammal.duckdb")
    old.migrate()
    with old.connect() as con:
        con.execute(
            "INSERT INTO agreements VALUES ('medborgarlofte-2023', 'Medborgarlöfte 2023–2024',"
            " 'medborgarlöfte', '2023-01-01', '2024-12-31', 'Polisens Medborgarlöfte 2023-2024')"
        )
        con.execute("INSERT INTO focus_areas VALUES ('synlighet', 'Synlighet och trygghet', 1)")
        con.execute(
            "INSERT INTO commitments VALUES ('ml23-fotpatrull', 'medborgarlofte-2023', 2,"
            " 'Fotpatrullering i centrala Timrå', 'synlighet', 'polisen',"
            " 'Polisen ska öka sin fotpatrullering i centrala Timrå.')"
        )
    monkeypatch.setattr(schema, "_migrations", lambda: every)  # start-up needs every later migration too
    store = prepare_store(old.path)
    assert store.schema_version() >= 8
    ml = agreements.get(store, "medborgarlofte-2023")
    assert (ml.status, ml.source, ml.parties) == (
        "publicerad",
        "Polisens Medborgarlöfte 2023-2024",
        ("Polisen", "Timrå kommun"),
    )
    fot = next(c for c in ml.commitments if c.id == "ml23-fotpatrull")
    assert fot.text == "Polisen ska öka sin fotpatrullering i centrala Timrå."
    assert list(store.agreements().id) == ["samverkan-2019", "medborgarlofte-2023"]


def test_a_copy_is_a_draft_that_only_editors_see_until_it_is_published(tmp_store):
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)
    assert (draft.id, draft.title, draft.valid_from, draft.valid_to) == (
        "medborgarlofte-2025",
        "Medborgarlöfte 2025–2026",
        D(2025, 1, 1),
        D(2026, 12, 31),
    )
    assert list(tmp_store.agreements().id) == ["samverkan-2019", "medborgarlofte-2023"]
    assert list(tmp_store.agreements(drafts=True).id)[-1] == "medborgarlofte-2025"
    assert [a.id for a in agreements.all_agreements(tmp_store, drafts=False)] == [
        "samverkan-2019",
        "medborgarlofte-2023",
    ]
    # The foot-patrol commitment of 2023 is tracked by three indicator modules; the copy is linked to them.
    fot = next(c for c in draft.commitments if c.id == "medborgarlofte-2025-fotpatrull")
    assert fot.indicators == (
        "fotpatrull_antal_centrala",
        "fotpatrull_medborgarkontakter",
        "fotpatrull_timmar_centrala",
    )
    assert agreements.get(tmp_store, draft.id) == draft
    assert len(tmp_store.commitments(draft.id)) == 8

    done = agreements.publish(tmp_store, draft.id, User("admin", Role.ADMIN))
    assert (done.status, done.published_by) == ("publicerad", "admin")
    assert list(tmp_store.agreements().id)[-1] == "medborgarlofte-2025"


def test_an_overlapping_publish_is_refused_and_changes_nothing(tmp_store):
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)
    agreements.save_draft(tmp_store, draft.model_copy(update={"valid_from": D(2024, 10, 1)}), ANNA)
    before = _state(tmp_store)
    with pytest.raises(
        AgreementError,
        match=r"Gäller från \(valid_from\): tiden 2024-10-01–2026-12-31 överlappar "
        r"Medborgarlöfte 2023–2024 \(medborgarlofte-2023\)",
    ):
        agreements.publish(tmp_store, draft.id, TESTER)
    assert _state(tmp_store) == before
    # Said to replace the 2023 promise from 2024-10-01, it is published, and the old one ends on 2024-09-30.
    agreements.save_draft(
        tmp_store,
        agreements.get(tmp_store, draft.id).model_copy(
            update={"replaces": "medborgarlofte-2023", "replaces_from": D(2024, 10, 1)}
        ),
        ANNA,
    )
    agreements.publish(tmp_store, draft.id, TESTER)
    from trygghet.reference.agreements import in_force

    assert in_force(agreements.all_agreements(tmp_store), D(2024, 9, 30))["medborgarlöfte"].id == "medborgarlofte-2023"
    assert in_force(agreements.all_agreements(tmp_store), D(2024, 10, 1))["medborgarlöfte"].id == draft.id


def test_a_draft_is_edited_and_checked_and_an_unknown_indicator_is_refused(tmp_store):
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)
    first, second, *rest = draft.commitments
    edited = draft.model_copy(update={"commitments": (second.model_copy(update={"text": "Ny text."}), first)})
    saved = agreements.save_draft(tmp_store, edited, ANNA)
    assert [(c.id, c.ordinal) for c in saved.commitments] == [(second.id, 1), (first.id, 2)]  # renumbered
    assert agreements.get(tmp_store, draft.id).commitments[0].text == "Ny text."
    before = _state(tmp_store)
    bad = saved.model_copy(
        update={"commitments": (saved.commitments[0].model_copy(update={"indicators": ("finns_ej",)}),)}
    )
    with pytest.raises(AgreementError, match=r"Löfte 1 \(.*\), Mått \(indicators\): okänt mått ”finns_ej”"):
        agreements.save_draft(tmp_store, bad, ANNA)
    with pytest.raises(AgreementError, match=r"Löftestext \(text\): får inte vara tom"):
        agreements.save_draft(
            tmp_store,
            saved.model_copy(update={"commitments": (saved.commitments[0].model_copy(update={"text": ""}),)}),
            ANNA,
        )
    assert _state(tmp_store) == before
    agreements.delete_draft(tmp_store, draft.id, TESTER)
    assert len(agreements.all_agreements(tmp_store)) == 2
    with pytest.raises(AgreementError, match="kan inte tas bort"):
        agreements.delete_draft(tmp_store, "medborgarlofte-2023", TESTER)


def test_a_change_to_a_published_text_is_kept_as_a_version_with_who_when_and_why(tmp_store):
    ml = agreements.get(tmp_store, "medborgarlofte-2023")
    old_text = ml.commitments[1].text
    new = ml.commitments[1].model_copy(update={"text": old_text.replace("öka", "kraftigt öka")})
    edited = ml.model_copy(update={"commitments": (ml.commitments[0], new, *ml.commitments[2:])})
    with pytest.raises(AgreementError, match="^Skäl"):
        agreements.revise(tmp_store, edited, ADMIN, "")
    agreements.revise(tmp_store, edited, ADMIN, "Rådet beslutade 2024-03-12")
    assert (
        agreements.get(tmp_store, ml.id).commitments[1].text == "Polisen ska kraftigt öka sin fotpatrullering i "
        "centrala Timrå."
    )
    [version] = agreements.history(tmp_store, ml.id)
    assert (version.changed_by, version.reason, version.commitment_id, version.field, version.old_value) == (
        "admin",
        "Rådet beslutade 2024-03-12",
        "ml23-fotpatrull",
        "text",
        old_text,
    )
    assert agreements.get(tmp_store, ml.id).status == "publicerad"


def test_a_source_document_is_stored_and_downloaded(tmp_store):
    pdf = b"%PDF-1.4 ett litet dokument"
    agreements.attach_document(tmp_store, "medborgarlofte-2023", "medborgarlofte.pdf", pdf, ADMIN)
    doc = agreements.document(tmp_store, "medborgarlofte-2023")
    assert (doc.file_name, doc.mime_type, doc.content, doc.attached_by) == (
        "medborgarlofte.pdf",
        "application/pdf",
        pdf,
        "admin",
    )
    with pytest.raises(AgreementError, match="”bild.png” är varken PDF eller text"):
        agreements.attach_document(tmp_store, "medborgarlofte-2023", "bild.png", b"x", ADMIN)
    with pytest.raises(AgreementError, match="”falsk.pdf” är ingen PDF-fil"):
        agreements.attach_document(tmp_store, "medborgarlofte-2023", "falsk.pdf", b"hej", ADMIN)
    assert agreements.document(tmp_store, "medborgarlofte-2023").content == pdf
    assert agreements.document(tmp_store, "samverkan-2019") is None


def test_export_then_import_gives_the_same_agreement(tmp_store, tmp_path):
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)
    text = agreements.export_toml(tmp_store, draft.id)
    agreements.delete_draft(tmp_store, draft.id, TESTER)
    back = agreements.import_toml(tmp_store, text, "ml.toml", BERTIL)
    keep = ("created_by", "created_at")
    assert back.model_copy(update={k: None for k in keep}) == draft.model_copy(update={k: None for k in keep})
    assert agreements.export_toml(tmp_store, draft.id) == text
    # Importing again replaces the draft; a published id is refused, naming the file and field.
    agreements.import_toml(tmp_store, text, "ml.toml", BERTIL)
    before = _state(tmp_store)
    published = agreements.export_toml(tmp_store, "samverkan-2019")
    with pytest.raises(
        AgreementError,
        match=r"^ml\.toml, \[agreement\]: Id \(id\): ”samverkan-2019” är redan "
        r"publicerad",
    ):
        agreements.import_toml(tmp_store, published, "ml.toml", BERTIL)
    with pytest.raises(AgreementError, match=r"^ny\.toml: Fokusområde ”trafik”: finns redan med titeln ”Trafik”"):
        agreements.import_toml(
            tmp_store,
            text.replace('title = "Trafik"', 'title = "Vägar"').replace('id = "medborgarlofte-2025"', 'id = "ny-2025"'),
            "ny.toml",
            BERTIL,
        )
    assert _state(tmp_store) == before


def test_the_seed_files_exported_and_imported_as_a_new_id_keep_every_commitment_text(tmp_store):
    text = agreements.export_toml(tmp_store, "samverkan-2019")
    source = (PROJECT_ROOT / "data" / "commitments.toml").read_text(encoding="utf-8")
    for c in agreements.get(tmp_store, "samverkan-2019").commitments:
        assert c.text in source and f'text = "{c.text}"' in text


def test_example_agreements_go_with_the_demo_and_in_force_on_reads_the_store(tmp_store):
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)
    agreements.save_draft(tmp_store, draft.model_copy(update={"is_example": True}), ANNA)
    agreements.attach_document(tmp_store, draft.id, "exempel.txt", "Ett påhittat exempel.".encode(), ANNA)
    assert agreements.in_force_on(tmp_store, D(2025, 6, 1)) == {}  # a draft is in force nowhere
    agreements.publish(tmp_store, draft.id, TESTER)
    assert agreements.in_force_on(tmp_store, D(2025, 6, 1))["medborgarlöfte"].id == draft.id
    assert agreements.in_force_on(tmp_store, D(2023, 2, 1)).keys() == {"samverkansöverenskommelse", "medborgarlöfte"}
    tmp_store.remove_demo(TESTER)  # the example goes with the demo data
    assert [a.id for a in agreements.all_agreements(tmp_store)] == ["samverkan-2019", "medborgarlofte-2023"]
    with tmp_store.connect() as con:
        assert con.execute("SELECT count(*) FROM commitments WHERE agreement_id = ?", [draft.id]).fetchone() == (0,)
        assert con.execute(
            "SELECT count(*) FROM commitment_indicators WHERE commitment_id LIKE 'medborgarlofte-2025%'"
        ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM agreement_documents").fetchone() == (0,)
    tmp_store.remove_demo(TESTER)
    assert len(agreements.all_agreements(tmp_store)) == 2


def test_a_new_focus_area_gets_its_id_from_the_title_and_a_repeat_is_refused(tmp_store):
    assert agreements.add_focus_area(tmp_store, " Trygga skolvägar ", ANNA) == "trygga_skolvagar"
    assert list(agreements.focus_areas(tmp_store).items())[-1] == ("trygga_skolvagar", "Trygga skolvägar")
    with pytest.raises(AgreementError, match="^Fokusområde: ”trafik” finns redan."):
        agreements.add_focus_area(tmp_store, "trafik", ANNA)
    with pytest.raises(AgreementError, match="^Fokusområde: ange en titel."):
        agreements.add_focus_area(tmp_store, "  ", ANNA)
    assert len(agreements.focus_areas(tmp_store)) == 5
