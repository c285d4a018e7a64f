"""The page "Ladda upp" run with AppTest: preview, import, a hostile file name, a file over the size limit."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import activity, add_rows
from trygghet.auth import NotAllowed, Role, User
from trygghet.config import PROJECT_ROOT
from trygghet.importing import pipeline

pytestmark = pytest.mark.slow  # every test uploads a file through the page

DATA = PROJECT_ROOT / "tests" / "data"
EDITOR = User("redaktor", Role.EDITOR)


def _upload(name: str, data: bytes) -> AppTest:
    at = open_page("pages/ladda_upp.py", EDITOR)  # an empty store gets its demo data first
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))  # type: ignore[union-attr]  # AppTest.get types every answer as a widget or a container
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("markdown", "info", "error", "success", "caption") for e in getattr(at, kind)]


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_an_editor_previews_and_imports_a_file(tmp_store):
    at = _upload("fotpatrull_utf8_bom.csv", (DATA / "fotpatrull_utf8_bom.csv").read_bytes())
    assert {m.label: m.value for m in at.metric}["Läggs till"] == "4"
    before = tmp_store.activity_count()  # the demo data, nothing of the file yet
    assert len(tmp_store.batches()) == 1
    next(b for b in at.button if b.label == "Importera 4 rader").click()
    at.run()
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Importerad som omgång 2: 4 rader tillagda, 0 fanns redan."
    ]
    batches = tmp_store.batches()
    assert tmp_store.activity_count() == before + 4
    assert batches.set_index("id").loc[2, "imported_by"] == "redaktor"
    # The file stays in the uploader, but only the success message speaks of it: no "already imported".
    assert not [t for t in _texts(at) if "redan importerad" in t]
    assert "Förhandsgranskning" not in [h.value for h in at.subheader]
    # The same file chosen again is a new upload: now it is reported as already imported, and nothing is added.
    at.get("file_uploader")[0].set_value(
        ("fotpatrull_utf8_bom.csv", (DATA / "fotpatrull_utf8_bom.csv").read_bytes(), "text/csv")
    )
    at.run()
    assert [t for t in _texts(at) if "redan importerad" in t]
    assert tmp_store.activity_count() == before + 4


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_the_preview_names_areas_and_organisations(tmp_store):
    at = _upload("fotpatrull_utf8_bom.csv", (DATA / "fotpatrull_utf8_bom.csv").read_bytes())
    rows = at.dataframe[0].value
    # The file writes "TIMRÅ CENTRUM", "timra centrum", "vivsta"; "Polisen och kommunen", "samverkan".
    assert list(rows["Område"]) == ["Timrå centrum", "Timrå centrum", "Timrå centrum", "Vivsta"]
    assert list(rows["Organisation"]) == [
        "Polisen",
        "Polisen",
        "Polisen och kommunen i samverkan",
        "Polisen och kommunen i samverkan",
    ]


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_a_hostile_file_name_is_shown_as_text(tmp_store):
    name = "<script>alert(1)</script>**fet**[länk](http://x.example).csv"
    at = _upload(name, (DATA / "fotpatrull_utf8_bom.csv").read_bytes())
    summary = next(t for t in _texts(at) if t.replace("\\", "").startswith("Fil: "))
    assert "<script>" not in summary and "**fet**" not in summary and "](" not in summary
    shown = name.replace("http:", "http:\u2060")  # ui.plain keeps markdown from making a link of the URL
    assert summary.replace("\\", "").startswith(f"Fil: {shown} (CSV, UTF-8, semikolon)")


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_a_file_over_the_size_limit_is_refused_and_changes_nothing(tmp_store):
    before = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at = _upload("stor.csv", (DATA / "fotpatrull_utf8_bom.csv").read_bytes() + b";" * (1024 * 1024))
    finally:
        st_config.set_option("server.maxUploadSize", before)
    assert [e.value for e in at.error] == [
        "Filen är större än 1 MB och kan inte laddas upp här. Dela upp den, "
        "eller läs in den med python -m trygghet import FIL."
    ]
    assert not at.metric and not [b for b in at.button if b.label.startswith("Importera")]
    assert len(tmp_store.batches()) == 1  # the demo data alone


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_problems_with_the_whole_file_are_sentences_and_header_problems_have_no_row_column(tmp_store):
    at = _upload("okand_typ.csv", (DATA / "okand_typ.csv").read_bytes())
    assert (
        "Det går inte att se vilken aktivitetstyp filen gäller. Välj typ (på sidan, eller med --type på "
        "kommandoraden), eller lägg till en kolumn Aktivitetstyp."
    ) in [t.replace("\\", "") for t in _texts(at)]
    assert not [d for d in at.dataframe if "Fel" in d.value.columns]  # no table of one sentence with empty cells
    at = _upload("fel_obligatorisk_kolumn_saknas.csv", (DATA / "fel_obligatorisk_kolumn_saknas.csv").read_bytes())
    problems = next(d.value for d in at.dataframe if "Fel" in d.value.columns)
    assert [(d.proto.HasField("placeholder"), d.proto.placeholder) for d in at.dataframe] == [
        (True, "")
    ] * 2  # not "None"
    assert problems.to_dict("records") == [{"Kolumn": "Område", "Fel": "kolumnen saknas men är obligatorisk"}]
    assert len(tmp_store.batches()) == 1  # the demo data alone


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_a_workbook_is_previewed_per_sheet_and_imported_as_one_batch(tmp_store):
    name = "blad_per_manad_libreoffice.xlsx"
    at = _upload(name, (DATA / name).read_bytes())
    assert [t.label for t in at.tabs if t.label.startswith("Bladet")] == ["Bladet Mars", "Bladet April"]
    assert [m.value for m in at.metric if m.label == "Läggs till"] == ["3", "2"]
    assert next(s for s in at.selectbox if s.label == "Blad").options == [
        "Alla blad med data",
        "Bara bladet Mars",
        "Bara bladet April",
    ]
    assert (
        "Bladet Försättsblad läses inte: rubrikraden har ingen kolumn som en aktivitetslogg har (t.ex. Datum "
        "eller Område), så det ser ut att vara ett försättsblad eller en förklaring."
        in [i.value.replace("\\", "") for i in at.info]
    )
    before = tmp_store.activity_count()
    next(b for b in at.button if b.label == "Importera 5 rader").click()
    at.run()
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Importerad som omgång 2: 5 rader tillagda, 0 fanns redan."
    ]
    assert tmp_store.activity_count() == before + 5
    next(s for s in at.selectbox if s.label == "Blad").set_value("April").run()  # one sheet, its own file
    assert not [t for t in at.tabs if t.label.startswith("Bladet")]
    assert {m.label: m.value for m in at.metric}["Finns redan (hoppas över)"] == "2"


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_a_missing_column_a_target_reads_is_confirmed_before_the_import(tmp_store):
    name = "fotpatrull_utan_varaktighet.csv"
    at = _upload(name, (DATA / name).read_bytes())
    assert [w.value.replace("\\", "") for w in at.warning if w.value.startswith("Kolumnen")] == [
        "Kolumnen Varaktighet (timmar) saknas i filen. Utan den blir de här siffrorna lägre än verkligheten: "
        "Fotpatrullering i hela kommunen, timmar; Fotpatrullering i centrala Timrå, timmar."
    ]
    button = next(b for b in at.button if b.label == "Importera 1 rad")
    assert button.disabled
    at.checkbox(key="allow-duration_min").check().run()
    before = tmp_store.activity_count()
    next(b for b in at.button if b.label == "Importera 1 rad").click()
    at.run()
    assert tmp_store.activity_count() == before + 1


@pytest.mark.after_first_run  # starts with _upload's run on the empty store
def test_an_editor_replaces_a_batch_with_a_corrected_file_and_sees_the_changes(tmp_store):
    """Batch 2 (the file's 4 patrols) is replaced by a file where row 3 has 4 contacts instead of 2, row 5 is
    gone and a patrol on 9 March is new: 1 new, 1 changed, 1 removed, 2 unchanged; 4 rows in the new batch."""
    original = (DATA / "fotpatrull_utf8_bom.csv").read_bytes()
    at = _upload("fotpatrull_utf8_bom.csv", original)
    next(b for b in at.button if b.label == "Importera 4 rader").click()
    at.run()
    lines = original.decode("utf-8-sig").splitlines()
    corrected = (
        "\n".join(
            [
                lines[0],
                lines[1],
                lines[2].replace(";3;2;", ";3;4;"),
                lines[4],
                "2024-03-09;19:00;1;Vivsta;;polisen;2;1;",
            ]
        )
        + "\n"
    )
    at.selectbox(key="upload_replaces").set_value(2)
    at.get("file_uploader")[0].set_value(("rattad.csv", corrected.encode(), "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert [metrics[k] for k in ("Nya", "Ändrade", "Borttagna", "Oförändrade")] == ["1", "1", "1", "2"]
    changed = next(d.value for d in at.dataframe if "Förut" in d.value.columns)
    assert changed.to_dict("records") == [{"Rad": 3, "Kolumn": "Medborgarkontakter", "Förut": 2, "Nu": 4}]
    before = tmp_store.activity_count()
    next(b for b in at.button if b.label == "Ersätt omgång 2 med filens 4 rader").click()
    at.run()
    assert [s.value.replace("\\", "") for s in at.success] == [
        "Omgång 2 är ersatt. Importerad som omgång 3: 4 rader tillagda, 0 fanns redan."
    ]
    batches = tmp_store.batches().set_index("id")
    assert batches.loc[2, "undone_by"] == "redaktor" and batches.loc[3, "replaces"] == 2
    assert tmp_store.activity_count() == before  # 4 rows out, 4 in


def test_an_editor_cannot_undo_another_editors_batch_even_past_the_page(tmp_store):
    """The page offers an editor only their own batches; a request that bypasses it (a forged message calling
    the store's undo) is refused by the store with the same decision, and the batch stays live."""
    bo = pipeline.import_file(
        tmp_store, "bo.csv", (DATA / "fotpatrull_utf8_bom.csv").read_bytes(), imported_by="bo"
    ).batch_id
    own = add_rows(
        tmp_store,
        [activity("foot_patrol", "2024-03-06", duration_min=60)],
        file_name="egen.csv",
        imported_by="redaktor",
    )
    at = open_page("pages/ladda_upp.py", EDITOR)
    assert at.selectbox(key=f"undo_batch-{own}").options == [f"Omgång {own}: egen.csv"]
    assert at.selectbox(key="upload_replaces").options == ["Nej, en ny fil", f"Omgång {own}: egen.csv"]
    before = tmp_store.activity_count()
    with pytest.raises(
        NotAllowed, match="^En redaktör kan bara ångra sina egna importomgångar; den här importerades av bo."
    ):
        tmp_store.undo_batch(bo, EDITOR)
    corrected = (DATA / "fotpatrull_varaktighet_minuter.csv").read_bytes()
    with pytest.raises(NotAllowed, match="^En redaktör kan bara ersätta sina egna importomgångar"):
        pipeline.import_file(tmp_store, "rättad.csv", corrected, imported_by="redaktor", replaces=bo, replacer=EDITOR)
    batches = tmp_store.batches().set_index("id")
    assert pd.isna(batches.loc[bo, "undone_at"]) and tmp_store.activity_count() == before  # nothing changed
    assert list(batches.index) == [own, bo]  # no batch was added by the refused replacement
    # The editor's own batch is undone on the page.
    at.button(key="undo").click().run()
    assert tmp_store.batches().set_index("id").loc[own, "undone_by"] == "redaktor"
