"""Ladda upp: templates, upload with preview, import (all or nothing) and the import history with undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.auth import NotAllowed, Role, may_replace, may_undo
from trygghet.formatting import format_datetime, format_number
from trygghet.importing import pipeline
from trygghet.importing.templates import file_name, template
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.web import ui

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@st.cache_data(show_spinner=False, max_entries=32)
def _template(code: str, fmt: str, areas: tuple[str, ...]) -> bytes:
    return template(code, fmt, list(areas))


def _templates() -> None:
    st.header("Mallar")
    st.caption(
        "En mall per aktivitetstyp, med svenska kolumnrubriker och två exempelrader: en aktivitet och en "
        "sammanställning av flera aktiviteter under en period. Excel-mallen har ett blad med instruktioner: "
        "vilka kolumner som är obligatoriska och vilka värden som är tillåtna."
    )
    code = st.selectbox(
        "Mall för", list(ACTIVITY_TYPES), format_func=lambda c: ACTIVITY_TYPES[c].label, key="template_type"
    )
    areas = tuple(ui.store().areas().name)
    left, right = st.columns(2)
    for column, fmt, label in ((left, "csv", "Ladda ner CSV-mall"), (right, "xlsx", "Ladda ner Excel-mall")):
        column.download_button(
            label,
            _template(code, fmt, areas),
            file_name=file_name(code, fmt),
            mime=MIME[fmt],
            icon=":material/download:",
            key=f"template-{fmt}",
        )


def _preview(uploaded, chosen: str | None, sheet: str | None, replaces: int | None) -> pipeline.Preview:
    """Computed once per file, type choice, sheet, replaced batch and data version, not at every rerun."""
    token = (uploaded.file_id, chosen, sheet, replaces, ui.data_key())
    cached: tuple[tuple[object, ...], pipeline.Preview] | None = st.session_state.get("upload_preview")
    if cached and cached[0] == token:
        return cached[1]
    with st.spinner("Läser och kontrollerar filen …"):
        result = pipeline.preview(
            ui.store(), uploaded.name, uploaded.getvalue(), chosen, sheet=sheet, replaces=replaces
        )
    st.session_state["upload_preview"] = (token, result)
    return result


def _sheet_key(uploaded) -> str:
    return f"upload_sheet-{uploaded.file_id}"


def _pick_sheet(uploaded) -> None:
    """A workbook of several sheets with data is read whole (one preview per sheet); the user may pick one,
    read at the top of the next run. The names come from the whole workbook's preview, kept for the file
    while one sheet is picked."""
    names = st.session_state.get("upload_sheets")
    if names and names[0] == uploaded.file_id:
        st.selectbox(
            "Blad",
            [None, *names[1]],
            key=_sheet_key(uploaded),
            format_func=lambda s: "Alla blad med data" if s is None else f"Bara bladet {s}",
            help="Blad av olika aktivitetstyper importeras tillsammans som en omgång. Välj ett blad "
            "för att bara läsa det.",
        )


def _confirm_missing(result: pipeline.Preview) -> frozenset[str] | None:
    """A warning per missing column that an indicator with a target reads; the confirmed columns, or None
    while one is unconfirmed."""
    confirmed = set()
    for column, (label, titles) in result.unconfirmed.items():
        st.warning(ui.plain(pipeline.missing_text(column, label, titles)), icon=":material/warning:")
        if st.checkbox(f"Importera ändå, utan kolumnen {label}", key=f"allow-{column}"):
            confirmed.add(column)
    return frozenset(confirmed) if confirmed == set(result.unconfirmed) else None


def _show_rows(result: pipeline.Preview, key: str) -> None:
    """The counts and the rows to add and skip of one table (a file, or a sheet of a workbook)."""
    added, skipped, rejected = st.columns(3)
    added.metric("Läggs till", format_number(result.new))
    skipped.metric("Finns redan (hoppas över)", format_number(result.duplicates))
    rejected.metric("Rader med fel", format_number(result.rejected))
    new_tab, duplicate_tab = st.tabs(
        [f"Läggs till ({format_number(result.new)})", f"Finns redan ({format_number(result.duplicates)})"]
    )
    with new_tab:
        ui.table(result.new_rows, width="stretch", key=f"new-{key}")
        if result.new_rows is not None and result.new > len(result.new_rows):
            st.caption(f"De första {len(result.new_rows)} raderna visas.")
    with duplicate_tab:
        ui.table(result.duplicate_rows, width="stretch", key=f"duplicates-{key}")


def _live(may, user) -> pd.DataFrame:
    """The live batches `may` (auth.may_undo or may_replace) allows this user to act on."""
    batches = ui.store().batches()
    live = batches[batches.undone_at.isna()]
    return live[[bool(may(user, by)) for by in live.imported_by]]


def _show_changes(changes: pipeline.Changes) -> None:
    """A corrected file against the batch it replaces: counts, then the rows in tabs."""
    columns = st.columns(4)
    for column, label, count in zip(
        columns,
        ("Nya", "Ändrade", "Borttagna", "Oförändrade"),
        (changes.added, changes.changed, changes.removed, changes.unchanged),
        strict=True,
    ):
        column.metric(label, format_number(count))
    added, changed, removed = st.tabs(
        [
            f"Nya ({format_number(changes.added)})",
            f"Ändrade ({format_number(changes.changed)})",
            f"Tas bort ({format_number(changes.removed)})",
        ]
    )
    for tab, frame, rows in (
        (added, changes.added_rows, changes.added),
        (changed, changes.changed_rows, None),
        (removed, changes.removed_rows, changes.removed),
    ):
        with tab:
            ui.table(frame, width="stretch")
            if frame is not None and rows is not None and rows > len(frame):
                st.caption(f"De första {len(frame)} raderna visas.")


def _show_preview(result: pipeline.Preview, uploaded, chosen: str | None, sheet: str | None) -> None:
    # The file stays in the uploader after its import (another sheet may be picked), but the success message
    # alone says what happened: "already imported" about the import just made would only confuse.
    just_imported = result.already_imported and st.session_state.get("just_imported") == (uploaded.file_id, sheet)
    if not just_imported:
        st.subheader("Förhandsgranskning")
    if result.parts:
        st.session_state["upload_sheets"] = (uploaded.file_id, [p.sheet for p in result.parts])
    _pick_sheet(uploaded)
    if result.already_imported:
        if not just_imported:
            st.info(ui.plain(result.summary()[0]), icon=":material/content_copy:")
        return
    st.markdown("  \n".join(ui.plain(line) for line in result.summary()))
    for note in result.notes:
        st.info(ui.plain(note), icon=":material/info:")
    for warning in result.warnings:
        st.warning(ui.plain(str(warning)), icon=":material/warning:")
    if result.problem_count:
        st.error(
            f"Filen har {format_number(result.problem_count)} fel och kan inte importeras. Inget har skrivits "
            "till databasen. Rätta filen och ladda upp den igen.",
            icon=":material/error:",
        )
        # A problem with the whole file is a sentence; problems in rows or columns are a table, with
        # the row column left out when they concern headers only (it would show empty cells).
        located = [p for p in result.problems if p.row is not None or p.column]
        for problem in result.problems:
            if problem not in located:
                st.markdown(ui.plain(str(problem)))
        if located:
            table = pd.DataFrame(
                [{"Blad": p.sheet, "Rad": p.row, "Kolumn": p.column or "", "Fel": p.message} for p in located]
            )
            ui.table(table.dropna(axis=1, how="all"), width="stretch")
        if result.problem_count > len(result.problems):
            st.caption(pipeline.problems_text(result)[-1])
        stem = uploaded.name.rsplit(".", 1)[0]
        for part in result.parts or [result]:
            if part.rejected_csv:
                label = "Ladda ner avvisade rader med orsaker (CSV)" + (f", bladet {part.sheet}" if part.sheet else "")
                st.download_button(
                    label,
                    part.rejected_csv,
                    file_name=f"avvisade-{stem}" + (f"-{part.sheet}" if part.sheet else "") + ".csv",
                    mime="text/csv",
                    icon=":material/download:",
                    key=f"rejected-{part.sheet}",
                )
        return
    if result.changes:
        _show_changes(result.changes)
    if result.parts:
        for tab, part in zip(st.tabs([f"Bladet {p.sheet}" for p in result.parts]), result.parts, strict=True):
            with tab:
                st.markdown("  \n".join(ui.plain(line) for line in part.summary()[1:]))
                _show_rows(part, str(part.sheet))
    else:
        _show_rows(result, "file")
    allowed = _confirm_missing(result)
    label = f"Importera {format_number(result.new)} {'rad' if result.new == 1 else 'rader'}"
    replaces = result.changes.batch_id if result.changes else None
    if replaces is not None:
        label = (
            f"Ersätt omgång {replaces} med filens {format_number(result.new)} {'rad' if result.new == 1 else 'rader'}"
        )
    if (
        st.button(label, type="primary", icon=":material/upload:", key="import", disabled=allowed is None)
        and allowed is not None
    ):  # a disabled button is never clicked; this tells mypy too
        with st.spinner("Importerar …"):
            try:
                done = pipeline.import_file(
                    ui.store(),
                    uploaded.name,
                    uploaded.getvalue(),
                    chosen,
                    imported_by=ui.user_name(),
                    sheet=sheet,
                    allow_missing=allowed,
                    replaces=replaces,
                    replacer=ui.current_user(),
                )
            except NotAllowed as exc:
                st.error(ui.plain(str(exc)))
                return
        if done.batch_id is not None:
            st.session_state["just_imported"] = (uploaded.file_id, sheet)
            replaced = f"Omgång {replaces} är ersatt. " if replaces is not None else ""
            st.session_state["upload_message"] = (
                "success",
                f"{replaced}Importerad som omgång {done.batch_id}: "
                f"{format_number(done.new)} rader tillagda, "
                f"{format_number(done.duplicates)} fanns redan.",
            )
        else:
            st.session_state["upload_message"] = ("error", " ".join(done.summary() + pipeline.problems_text(done)))
        st.rerun()


def _upload(user) -> None:
    st.header("Ladda upp en aktivitetslogg")
    limit = st.get_option("server.maxUploadSize")
    chosen = st.selectbox(
        "Aktivitetstyp",
        [None, *ACTIVITY_TYPES],
        key="upload_type",
        format_func=lambda c: "Känn igen automatiskt" if c is None else ACTIVITY_TYPES[c].label,
        help="En fil innehåller en aktivitetstyp. Den känns igen från en kolumn Aktivitetstyp "
        "eller från kolumnrubrikerna; välj den här om det inte går.",
    )
    uploaded = st.file_uploader(
        "Fil med aktiviteter (CSV, TXT eller XLSX)",
        type=["csv", "txt", "xlsx"],
        key="upload_file",
        help=f"Högst {limit} MB. CSV med semikolon, komma eller tabb, i UTF-8 eller Windows-1252; i Excel-filer "
        "(.xlsx) läses varje blad med data.",
    )
    st.caption(
        f"Största filstorlek: {limit} MB. En större fil kan delas upp, eller läsas in med "
        "kommandot python -m trygghet import FIL."
    )
    mine = _live(may_replace, user)
    mine = mine[~mine.is_demo]  # demo data is removed on Administration, not replaced
    names = dict(zip(mine.id, mine.file_name, strict=True))
    replaces = st.selectbox(
        "Ersätter en tidigare omgång",
        [None, *names],
        key="upload_replaces",
        format_func=lambda b: "Nej, en ny fil" if b is None else f"Omgång {b}: {names[b]}",
        help="En rättad fil: förhandsgranskningen visar vad som läggs till, ändras och tas bort "
        "mot omgången, och importen ersätter den i ett steg.",
    )
    message = st.session_state.pop("upload_message", None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(ui.plain(text))
    if uploaded is None:
        return
    if uploaded.size > limit * 1024 * 1024:
        st.error(
            f"Filen är större än {limit} MB och kan inte laddas upp här. Dela upp den, eller läs in den med "
            "python -m trygghet import FIL."
        )
        return
    sheet = st.session_state.get(_sheet_key(uploaded))
    replaced = None if replaces is None else int(replaces)
    _show_preview(_preview(uploaded, chosen, sheet, replaced), uploaded, chosen, sheet)


def _history(user) -> None:
    st.header("Importhistorik")
    message = st.session_state.pop("undo_message", None)
    if message:
        st.success(message)
    batches = ui.store().batches()
    if batches.empty:
        st.caption("Inga filer är importerade ännu.")
        return
    replaced_by = {int(r): b for b, r in zip(batches.id, batches.replaces, strict=True) if pd.notna(r)}
    table = pd.DataFrame(
        {
            "Omgång": batches.id,
            "Fil": batches.file_name,
            "Innehåll (SHA-256)": batches.content_hash.str[:12],
            "Importerad": [format_datetime(t.to_pydatetime()) for t in batches.imported_at],
            "Av": batches.imported_by,
            "Tillagda": batches.rows_added,
            "Överhoppade": batches.rows_skipped,
            "Avvisade": batches.rows_rejected,
            "Status": [
                (
                    "aktiv"
                    if pd.isna(u)
                    else f"ångrad {format_datetime(u.to_pydatetime())}" + (f" av {by}" if isinstance(by, str) else "")
                )
                + (f", ersatt av omgång {replaced_by[b]}" if b in replaced_by else "")
                + (f", ersätter omgång {int(r)}" if pd.notna(r) else "")
                for b, u, by, r in zip(batches.id, batches.undone_at, batches.undone_by, batches.replaces, strict=True)
            ],
        }
    )
    ui.table(table, width="stretch")
    live = _live(may_undo, user)
    if live.empty:
        if user.role < Role.ADMIN:
            st.caption("Det finns ingen omgång som du kan ångra: en redaktör ångrar sina egna importer.")
        return
    names = dict(zip(live.id, live.file_name, strict=True))
    batch = st.selectbox(
        "Omgång att ångra", list(names), key=f"undo_batch-{max(names)}", format_func=lambda b: f"Omgång {b}: {names[b]}"
    )
    st.caption(
        "Omgångens aktiviteter tas bort ur alla siffror och deras text skrivs över i databasfilen. Omgången "
        "finns kvar i historiken, markerad som ångrad."
    )
    if st.button("Ångra omgången", icon=":material/undo:", key="undo"):
        try:
            with st.spinner("Ångrar omgången och skriver över dess text i databasfilen …"):
                removed = ui.store().undo_batch(int(batch), user)
        except NotAllowed as exc:
            st.error(ui.plain(str(exc)))
            return
        st.session_state["undo_message"] = f"Omgång {batch} är ångrad: {format_number(removed)} aktiviteter borttagna."
        st.rerun()


ui.page_header(
    "Ladda upp",
    "Läs in aktivitetsloggar som CSV eller Excel. Filen kontrolleras rad för rad innan "
    "något skrivs, importeras helt eller inte alls och kan ångras.",
)
user = ui.require(Role.EDITOR)
_upload(user)
_history(user)
_templates()
