"""Överenskommelser: the agreements with their focus areas and commitments, kept in the app.

Editors and admins see every agreement, drafts included, start a new one from an earlier one and edit
drafts; only an admin publishes or changes a published text (with a reason, kept as a version)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.auth import Role, may_change_agreement, may_publish_agreements
from trygghet.figures.indicators import registry
from trygghet.formatting import format_date, format_datetime
from trygghet.reference.agreements import (
    KIND_LABELS,
    KINDS,
    RESPONSIBLE_LABELS,
    AgreementError,
    Commitment,
    new_commitment_id,
    parse_signatories,
    put_commitment,
    remove_commitment,
    status_on,
)
from trygghet.store import agreements as agreement_store
from trygghet.web import ui

PICK, NEXT, MESSAGE = "agreement-pick", "agreement-next", "agreement-message"
NEW = "__ny__"
FIELD_NAMES = {
    "title": "titel",
    "kind": "slag",
    "parties": "parter",
    "signatories": "undertecknare",
    "valid_from": "gäller från",
    "valid_to": "gäller till",
    "source": "källdokumentets titel",
    "replaces": "ersätter",
    "replaces_from": "ersätter från",
    "is_example": "exempel",
    "short_title": "kort rubrik",
    "focus_area": "fokusområde",
    "responsible": "ansvarig",
    "text": "löftestext",
    "ordinal": "ordning",
    "indicators": "mått",
    "löfte": "nytt löfte",
}


def _done(message: str, pick: str | None = None) -> None:
    """Show `message` after the rerun that brings in what was saved."""
    st.session_state[MESSAGE] = message
    if pick:
        st.session_state[NEXT] = pick
    st.rerun()


def _refused(exc: AgreementError, what: str) -> None:
    st.error(f"{what}\n\n" + "\n\n".join(ui.plain(p) for p in exc.problems), icon=":material/error:")


ui.page_header(
    "Överenskommelser",
    "Samverkansöverenskommelser och medborgarlöften med fokusområden och löften. "
    "Utkast syns bara för redaktörer och administratörer; en administratör publicerar.",
)
user = ui.require(Role.EDITOR)
admin = bool(may_publish_agreements(user))
store = ui.store()
today = ui.today()
every = agreement_store.all_agreements(store)
areas = agreement_store.focus_areas(store)
indicators = registry()
declared = agreement_store.declared_indicators()

if message := st.session_state.pop(MESSAGE, None):
    st.success(message, icon=":material/check_circle:")

ui.table(
    pd.DataFrame(
        {
            "Slag": [KIND_LABELS[a.kind] for a in every],
            "Titel": [a.title + (" (exempel)" if a.is_example else "") for a in every],
            "Parter": [", ".join(a.parties) for a in every],
            "Undertecknare": ["; ".join(f"{s.name}, {s.title}" for s in a.signatories) for a in every],
            "Gäller": [f"{format_date(a.valid_from)}–{format_date(a.valid_to)}" for a in every],
            "Status": [status_on(a, today, every) for a in every],
        }
    )
)

with st.form("copy"):
    st.markdown("**Ny överenskommelse utifrån en tidigare**")
    st.caption(
        "Kopian blir ett utkast för tiden närmast efter den gamla, med alla löften och deras mått. "
        "Ändra det som är nytt och publicera när det är klart."
    )
    source = st.selectbox(
        "Utgå från",
        [a.id for a in every],
        index=len(every) - 1 if every else None,
        format_func=lambda i: next(a.title for a in every if a.id == i),
    )
    if st.form_submit_button("Skapa utkast", icon=":material/content_copy:") and source:
        draft = agreement_store.copy_agreement(store, source, user)
        _done(f"Utkastet {ui.plain(draft.title)} är skapat. Ändra det nedan och publicera när det är klart.", draft.id)

if not every:
    st.info("Det finns inga överenskommelser. Läs in en med python -m trygghet agreement import FIL.toml.")
    st.stop()
if NEXT in st.session_state:
    st.session_state[PICK] = st.session_state.pop(NEXT)
if st.session_state.get(PICK) not in {a.id for a in every}:
    st.session_state[PICK] = every[-1].id
st.divider()
picked = st.selectbox(
    "Överenskommelse",
    [a.id for a in every],
    key=PICK,
    format_func=lambda i: next(f"{a.title} ({status_on(a, today, every)})" for a in every if a.id == i),
)
a = next(x for x in every if x.id == picked)
others = [x for x in every if x.id != a.id]
editable = bool(may_change_agreement(user, a.published))

st.header(ui.plain(a.title))
facts = [
    f"**Slag:** {KIND_LABELS[a.kind]}",
    f"**Gäller:** {format_date(a.valid_from)}–{format_date(a.valid_to)} ({status_on(a, today, every)})",
    f"**Parter:** {ui.plain(', '.join(a.parties)) or '–'}",
    f"**Undertecknare:** {ui.plain('; '.join(f'{s.name}, {s.title}' for s in a.signatories)) or '–'}",
]
if a.replaces:
    facts.append(f"**Ersätter:** {ui.plain(a.replaces)} från {format_date(a.replaces_from)}")
if a.published:
    facts.append(
        f"**Publicerad:** {format_datetime(a.published_at)} av {ui.plain(a.published_by or 'okänd')}"
        if a.published_at
        else "**Publicerad:** från källdokumenten"
    )
else:
    facts.append(f"**Utkast** skapat av {ui.plain(a.created_by or 'okänd')}; syns inte på den publika sidan.")
if a.source:
    facts.append(f"**Källdokument:** {ui.plain(a.source)}")
st.markdown("  \n".join(facts))

document = agreement_store.document(store, a.id)
if document:
    st.download_button(
        f"Ladda ned källdokumentet ({document.file_name})",
        document.content,
        file_name=document.file_name,
        mime=document.mime_type,
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(f"Bifogat {format_datetime(document.attached_at)} av {ui.plain(document.attached_by)}.")
if editable:
    with st.form(f"document-{a.id}", clear_on_submit=True):
        upload = st.file_uploader("Bifoga källdokument (PDF eller text)", type=["pdf", "txt", "md"])
        if st.form_submit_button("Bifoga", icon=":material/attach_file:") and upload is not None:
            try:
                agreement_store.attach_document(store, a.id, upload.name, upload.getvalue(), user)
            except AgreementError as exc:
                _refused(exc, "Dokumentet bifogades inte.")
            else:
                _done(f"Källdokumentet {ui.plain(upload.name)} är bifogat.")

st.subheader("Fokusområden och löften")
tracked = agreement_store.indicators_of(a)
for fid in [f for f in areas if any(c.focus_area == f for c in a.commitments)]:
    st.markdown(f"**{ui.plain(areas[fid])}**")
    for c in (c for c in a.commitments if c.focus_area == fid):
        names = ", ".join(indicators[i].title if i in indicators else i for i in tracked[c.id]) or "inga"
        st.markdown(
            f"{c.ordinal}\\. **{ui.plain(c.short_title)}** ({RESPONSIBLE_LABELS[c.responsible]})  \n"
            f"{ui.plain(c.text)}  \n*Mått:* {ui.plain(names)}"
        )

if editable:
    reason_help = "Krävs: ändringen sparas som en version med vem, när och varför."
    st.subheader("Ändra" + (" (publicerad: ange skäl)" if a.published else " utkastet"))
    with st.form(f"fields-{a.id}"):
        kind = st.selectbox("Slag", KINDS, index=KINDS.index(a.kind), format_func=KIND_LABELS.__getitem__)
        title = st.text_input("Titel", a.title, max_chars=200)
        parties = st.text_area("Parter (en per rad)", "\n".join(a.parties))
        signatories = st.text_area(
            "Undertecknare (en per rad: Namn, titel)", "\n".join(f"{s.name}, {s.title}" for s in a.signatories)
        )
        left, right = st.columns(2)
        valid_from = left.date_input("Gäller från", a.valid_from, format="YYYY-MM-DD")
        valid_to = right.date_input("Gäller till", a.valid_to, format="YYYY-MM-DD")
        source_title = st.text_input("Källdokumentets titel", a.source, max_chars=300)
        choices = [None, *(o.id for o in others if o.kind == a.kind)]
        replaces = left.selectbox(
            "Ersätter",
            choices,
            index=choices.index(a.replaces) if a.replaces in choices else 0,
            format_func=lambda i: "ingen" if i is None else next(o.title for o in others if o.id == i),
        )
        replaces_from = right.date_input("Ersätter från", a.replaces_from, format="YYYY-MM-DD")
        is_example = st.checkbox("Påhittat exempel (visas som exempel på alla sidor)", a.is_example)
        reason = st.text_input("Skäl till ändringen", help=reason_help) if a.published else ""
        if st.form_submit_button("Spara uppgifterna", icon=":material/save:"):
            try:
                edited = a.model_copy(
                    update={
                        "kind": kind,
                        "title": title.strip(),
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "parties": tuple(p.strip() for p in parties.splitlines() if p.strip()),
                        "signatories": parse_signatories(signatories),
                        "source": source_title.strip(),
                        "replaces": replaces,
                        "replaces_from": replaces_from,
                        "is_example": is_example,
                    }
                )
                agreement_store.save(store, edited, user, reason)
            except AgreementError as exc:
                _refused(exc, "Uppgifterna sparades inte.")
            else:
                _done("Uppgifterna är sparade.")

    ids = [c.id for c in a.commitments]
    chosen = st.selectbox(
        "Löfte att ändra",
        [*ids, NEW],
        key=f"commitment-{a.id}",
        format_func=lambda i: (
            "Lägg till ett nytt löfte"
            if i == NEW
            else next(f"{c.ordinal}. {c.short_title}" for c in a.commitments if c.id == i)
        ),
    )
    current = next((c for c in a.commitments if c.id == chosen), None)
    with st.form(f"commitment-form-{a.id}-{chosen}"):
        short_title = st.text_input("Kort rubrik", current.short_title if current else "", max_chars=120)
        text = st.text_area("Löftestext (ordagrant ur överenskommelsen)", current.text if current else "")
        left, right = st.columns(2)
        focus = left.selectbox(
            "Fokusområde",
            list(areas),
            format_func=areas.__getitem__,
            index=list(areas).index(current.focus_area) if current else 0,
        )
        responsible = right.selectbox(
            "Ansvarig",
            list(RESPONSIBLE_LABELS),
            format_func=RESPONSIBLE_LABELS.__getitem__,
            index=list(RESPONSIBLE_LABELS).index(current.responsible) if current else 2,
        )
        position = st.number_input("Plats i ordningen", 1, len(ids) + 1, current.ordinal if current else len(ids) + 1)
        own = declared.get(chosen, [])
        if own:
            st.caption(
                "Följs redan av måtten "
                + ui.plain(", ".join(indicators[i].title for i in own if i in indicators))
                + "."
            )
        linked = st.multiselect(
            "Kopplade mått",
            [i for i in indicators if i not in own],
            placeholder="Välj mått",
            default=[i for i in (current.indicators if current else ()) if i in indicators],
            format_func=lambda i: indicators[i].title,
        )
        reason = (
            st.text_input("Skäl till ändringen", help=reason_help, key=f"reason-{a.id}-{chosen}") if a.published else ""
        )
        save, remove = st.columns(2)
        if save.form_submit_button("Spara löftet" if current else "Lägg till löftet", icon=":material/save:"):
            try:
                commitment = Commitment(
                    id=current.id if current else new_commitment_id(a, short_title, others),
                    short_title=short_title,
                    focus_area=focus,
                    responsible=responsible,
                    text=text,
                    ordinal=int(position),
                    indicators=tuple(linked),
                )
                agreement_store.save(store, put_commitment(a, commitment, int(position)), user, reason)
            except AgreementError as exc:
                _refused(exc, "Löftet sparades inte.")
            else:
                _done(f"Löftet {ui.plain(short_title.strip())} är sparat.")
        if current and not a.published and remove.form_submit_button("Ta bort löftet", icon=":material/delete:"):
            try:
                agreement_store.save(store, remove_commitment(a, current.id), user)
            except AgreementError as exc:
                _refused(exc, "Löftet togs inte bort.")
            else:
                _done(f"Löftet {ui.plain(current.short_title)} är borttaget ur utkastet.")

    with st.form(f"focus-{a.id}", clear_on_submit=True):
        focus_title = st.text_input(
            "Nytt fokusområde", max_chars=120, help="Finns inte fokusområdet i listan ovan kan det läggas till här."
        )
        if st.form_submit_button("Lägg till fokusområdet", icon=":material/add:"):
            try:
                agreement_store.add_focus_area(store, focus_title, user)
            except AgreementError as exc:
                _refused(exc, "Fokusområdet lades inte till.")
            else:
                _done(f"Fokusområdet {ui.plain(focus_title.strip())} är tillagt; välj det för ett löfte ovan.")

if not a.published:
    st.subheader("Publicera")
    if admin:
        st.caption(
            "När utkastet publiceras syns det för alla och på den publika sidan under sin tid. "
            "Vem som publicerade och när sparas."
        )
        left, right = st.columns(2)
        if left.button("Publicera", icon=":material/publish:", type="primary"):
            try:
                done = agreement_store.publish(store, a.id, user)
            except AgreementError as exc:
                _refused(exc, "Överenskommelsen publicerades inte.")
            else:
                _done(f"{ui.plain(done.title)} är publicerad.")
        if right.button("Ta bort utkastet", icon=":material/delete:"):
            agreement_store.delete_draft(store, a.id, user)
            st.session_state.pop(PICK, None)
            _done(f"Utkastet {ui.plain(a.title)} är borttaget.")
    else:
        st.caption("En administratör publicerar utkastet.")

versions = agreement_store.history(store, a.id)
if versions:
    st.subheader("Ändringshistorik")
    ui.table(
        pd.DataFrame(
            {
                "När": [format_datetime(v.changed_at) for v in versions],
                "Av": [v.changed_by for v in versions],
                "Skäl": [v.reason for v in versions],
                "Vad": [
                    (f"löfte {v.commitment_id}: " if v.commitment_id else "") + FIELD_NAMES.get(v.field, v.field)
                    for v in versions
                ],
                "Före": [v.old_value for v in versions],
                "Efter": [v.new_value for v in versions],
            }
        )
    )
