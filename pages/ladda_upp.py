"""Ladda upp: templates, upload with preview, import (all or nothing) and the import history with undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.importing import pipeline

from trygghet.web import ui
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.auth import Role
from trygghet.formatting import format_datetime, format_number
from trygghet.importing.templates import file_name, template

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_data(show_spinner=False, max_entries=32)
def _template(code: str, fmt: str, areas: tuple[str, ...]) -> bytes:
    return template(code, fmt, list(areas))


def _templates() -> None:
    st.header("Mallar")
    st.caption("En mall per aktivitetstyp, med svenska kolumnrubriker och två exempelrader: en aktivitet och en "
               "sammanställning av flera aktiviteter under en period. Excel-mallen har ett blad med instruktioner: "
               "vilka kolumner som är obligatoriska och vilka värden som är tillåtna.")
    code = st.selectbox("Mall för", list(ACTIVITY_TYPES), format_func=lambda c: ACTIVITY_TYPES[c].label,
                        key="template_type")
    areas = tuple(ui.store().areas().name)
    left, right = st.columns(2)
    for column, fmt, label in ((left, "csv", "Ladda ner CSV-mall"), (right, "xlsx", "Ladda ner Excel-mall")):
        column.download_button(label, _template(code, fmt, areas), file_name=file_name(code, fmt), mime=MIME[fmt],
                               icon=":material/download:", key=f"template-{fmt}")


def _preview(uploaded, chosen: str | None) -> pipeline.Preview:
    """Computed once per file, type choice and data version, not at every rerun."""
    token = (uploaded.file_id, chosen, ui.data_version())
    cached = st.session_state.get("upload_preview")
    if cached and cached[0] == token:
        return cached[1]
    with st.spinner("Läser och kontrollerar filen …"):
        result = pipeline.preview(ui.store(), uploaded.name, uploaded.getvalue(), chosen)
    st.session_state["upload_preview"] = (token, result)
    return result


def _show_preview(result: pipeline.Preview, uploaded, chosen: str | None) -> None:
    st.subheader("Förhandsgranskning")
    if result.already_imported:
        st.info(ui.plain(result.summary()[0]), icon=":material/content_copy:")
        return
    st.markdown("  \n".join(ui.plain(line) for line in result.summary()))
    for note in result.notes:
        st.info(ui.plain(note), icon=":material/info:")
    if result.problem_count:
        st.error(f"Filen har {format_number(result.problem_count)} fel och kan inte importeras. Inget har skrivits "
                 "till databasen. Rätta filen och ladda upp den igen.", icon=":material/error:")
        # A problem with the whole file is a sentence; problems in rows or columns are a table, with
        # the row column left out when they concern headers only (it would show empty cells).
        located = [p for p in result.problems if p.row is not None or p.column]
        for problem in result.problems:
            if problem not in located:
                st.markdown(ui.plain(problem.message))
        if located:
            table = pd.DataFrame([{"Rad": p.row, "Kolumn": p.column or "", "Fel": p.message} for p in located])
            ui.table(table.dropna(axis=1, how="all"), width="stretch")
        if result.problem_count > len(result.problems):
            st.caption(pipeline.problems_text(result)[-1])
        if result.rejected_csv:
            st.download_button("Ladda ner avvisade rader med orsaker (CSV)", result.rejected_csv,
                               file_name=f"avvisade-{uploaded.name.rsplit('.', 1)[0]}.csv", mime="text/csv",
                               icon=":material/download:", key="rejected")
        return
    added, skipped, rejected = st.columns(3)
    added.metric("Läggs till", format_number(result.new))
    skipped.metric("Finns redan (hoppas över)", format_number(result.duplicates))
    rejected.metric("Rader med fel", format_number(result.rejected))
    new_tab, duplicate_tab = st.tabs([f"Läggs till ({format_number(result.new)})",
                                      f"Finns redan ({format_number(result.duplicates)})"])
    with new_tab:
        ui.table(result.new_rows, width="stretch")
        if result.new > len(result.new_rows):
            st.caption(f"De första {len(result.new_rows)} raderna visas.")
    with duplicate_tab:
        ui.table(result.duplicate_rows, width="stretch")
    label = f"Importera {format_number(result.new)} {'rad' if result.new == 1 else 'rader'}"
    if st.button(label, type="primary", icon=":material/upload:", key="import"):
        with st.spinner("Importerar …"):
            done = pipeline.import_file(ui.store(), uploaded.name, uploaded.getvalue(), chosen,
                                        imported_by=ui.user_name())
        if done.batch_id is not None:
            # A new, empty uploader: the imported file stays out of sight, so only the success message shows
            # (not also "Filen … är redan importerad" from a preview of the same file).
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.session_state["upload_message"] = ("success", f"Importerad som omgång {done.batch_id}: "
                                                  f"{format_number(done.new)} rader tillagda, "
                                                  f"{format_number(done.duplicates)} fanns redan.")
        else:
            st.session_state["upload_message"] = ("error", " ".join(done.summary() + pipeline.problems_text(done)))
        st.rerun()


def _upload() -> None:
    st.header("Ladda upp en aktivitetslogg")
    limit = st.get_option("server.maxUploadSize")
    chosen = st.selectbox("Aktivitetstyp", [None, *ACTIVITY_TYPES], key="upload_type",
                          format_func=lambda c: "Känn igen automatiskt" if c is None else ACTIVITY_TYPES[c].label,
                          help="En fil innehåller en aktivitetstyp. Den känns igen från en kolumn Aktivitetstyp "
                               "eller från kolumnrubrikerna; välj den här om det inte går.")
    uploaded = st.file_uploader(
        "Fil med aktiviteter (CSV, TXT eller XLSX)", type=["csv", "txt", "xlsx"],
        key=f"upload_file-{st.session_state.get('upload_round', 0)}",
        help=f"Högst {limit} MB. CSV med semikolon, komma eller tabb, i UTF-8 eller Windows-1252; Excel-filer "
             "(.xlsx) läses från första bladet.")
    st.caption(f"Största filstorlek: {limit} MB. En större fil kan delas upp, eller läsas in med "
               "kommandot python -m trygghet import FIL.")
    message = st.session_state.pop("upload_message", None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(ui.plain(text))
    if uploaded is None:
        return
    if uploaded.size > limit * 1024 * 1024:
        st.error(f"Filen är större än {limit} MB och kan inte laddas upp här. Dela upp den, eller läs in den med "
                 "python -m trygghet import FIL.")
        return
    _show_preview(_preview(uploaded, chosen), uploaded, chosen)


def _history(user) -> None:
    st.header("Importhistorik")
    message = st.session_state.pop("undo_message", None)
    if message:
        st.success(message)
    batches = ui.store().batches()
    if batches.empty:
        st.caption("Inga filer är importerade ännu.")
        return
    table = pd.DataFrame({
        "Omgång": batches.id,
        "Fil": batches.file_name,
        "Innehåll (SHA-256)": batches.content_hash.str[:12],
        "Importerad": [format_datetime(t.to_pydatetime()) for t in batches.imported_at],
        "Av": batches.imported_by,
        "Tillagda": batches.rows_added,
        "Överhoppade": batches.rows_skipped,
        "Avvisade": batches.rows_rejected,
        "Status": ["aktiv" if pd.isna(u) else f"ångrad {format_datetime(u.to_pydatetime())}"
                   + (f" av {by}" if isinstance(by, str) else "")
                   for u, by in zip(batches.undone_at, batches.undone_by)],
    })
    ui.table(table, width="stretch")
    live = batches[batches.undone_at.isna()]
    if user.role < Role.ADMIN:  # an editor undoes their own imports; an admin any
        live = live[live.imported_by == user.name]
    if live.empty:
        if user.role < Role.ADMIN:
            st.caption("Det finns ingen omgång som du kan ångra: en redaktör ångrar sina egna pipeline.")
        return
    names = dict(zip(live.id, live.file_name))
    batch = st.selectbox("Omgång att ångra", list(names), key=f"undo_batch-{max(names)}",
                         format_func=lambda b: f"Omgång {b}: {names[b]}")
    st.caption("Omgångens aktiviteter tas bort ur alla siffror. Omgången finns kvar i historiken, markerad som ångrad.")
    if st.button("Ångra omgången", icon=":material/undo:", key="undo"):
        removed = ui.store().undo_batch(int(batch), user.name)
        st.session_state["undo_message"] = f"Omgång {batch} är ångrad: {format_number(removed)} aktiviteter borttagna."
        st.rerun()


ui.page_header("Ladda upp", "Läs in aktivitetsloggar som CSV eller Excel. Filen kontrolleras rad för rad innan "
                            "något skrivs, importeras helt eller inte alls och kan ångras.")
user = ui.require(Role.EDITOR)
_upload()
_history(user)
_templates()
