"""Indikatorer: every indicator in use, and a form to define a new one without code (admin only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.auth import Role
from trygghet.figures.indicators import _stored, builtin, problems, registry
from trygghet.figures.indicators._base import AREA_GROUPS, HOUR_FIELDS, field_label
from trygghet.figures.indicators._form import (
    FORM_KEYS,
    GROUP,
    declaration,
    form_state,
    preview,
    save,
    shared_dimensions,
    shared_measures,
    suggested_id,
)
from trygghet.figures.indicators._rules import read
from trygghet.figures.indicators._text import aggregation_text, filters_text
from trygghet.formatting import format_datetime, format_number, month_label
from trygghet.reference.activity_types import ACTIVITY_TYPES, AUDIENCES, CONTROL_KINDS, ORGANISATIONS, TOPICS
from trygghet.web import ui

ui.page_header(
    "Indikatorer",
    "Måtten som följer upp löftena: de inbyggda och de som definierats här i appen. Bara för administratörer.",
)
user = ui.require(Role.ADMIN)
store = ui.store()
areas = store.areas()
area_names = dict(zip(areas.code, areas.name, strict=True))
in_use = registry(store.path)

st.header("Indikatorer i bruk")
ui.table(
    pd.DataFrame(
        {
            "Id": list(in_use),
            "Titel": [i.title for i in in_use.values()],
            "Källa": ["inbyggd" if i in builtin() else "definierad i appen" for i in in_use],
            "Aktivitetstyper": [", ".join(ACTIVITY_TYPES[t].plural for t in i.activity_types) for i in in_use.values()],
            "Filter": [filters_text(i.filters, area_names) for i in in_use.values()],
            "Beräkning": [aggregation_text(i) for i in in_use.values()],
            "Enhet": [i.unit for i in in_use.values()],
            "Mål": ["ja" if i.has_target else "nej" for i in in_use.values()],
            "Löften": [", ".join(i.commitments) for i in in_use.values()],
        }
    ),
    width="stretch",
)
for problem in problems(store.path):
    st.warning(f"Används inte: {ui.plain(str(problem))}", icon=":material/error:")


def _edit(stored_declaration: str) -> None:
    """Fill the form with a stored declaration (a callback: it runs before the widgets are drawn)."""
    ind, _ = read(stored_declaration, "")
    assert ind is not None  # the button is offered only for a declaration that reads
    st.session_state.update(form_state(ind), editing=ind.id)


def _stop_editing() -> None:
    for key in (*FORM_KEYS, "editing"):
        st.session_state.pop(key, None)


editing = st.session_state.get("editing")
st.header(f"Redigera indikatorn {editing}" if editing else "Definiera en ny indikator")
st.caption(
    "Välj aktivitetstyper, vilka aktiviteter som räknas och hur. Förhandsgranskningen visar måttet per "
    "månad för de senaste tolv månaderna med data innan du sparar."
)
if editing:
    st.button("Avbryt redigeringen", on_click=_stop_editing, help="Formuläret töms; inget ändras.")
title = st.text_input("Titel", max_chars=120, key="title")
indicator_id = st.text_input(
    "Id",
    max_chars=60,
    key="id",
    placeholder=suggested_id(title) or "till_exempel_mitt_matt",
    disabled=bool(editing),
    help="Bara a–z, 0–9 och _. Lämna tomt för att skapa id:t från "
    "titeln. Id:t kan inte ändras när indikatorn är sparad.",
)
description = st.text_area("Beskrivning", key="description")
types = st.multiselect(
    "Aktivitetstyper",
    list(ACTIVITY_TYPES),
    format_func=lambda t: ACTIVITY_TYPES[t].plural,
    key="types",
    placeholder="Välj aktivitetstyper",
)
dimensions = shared_dimensions(types)

filters: dict[str, object] = {}
if types:
    st.subheader("Vilka aktiviteter räknas")
    chosen = st.multiselect(
        "Område",
        [*(GROUP + g for g in AREA_GROUPS), *areas.code],
        format_func=lambda a: AREA_GROUPS[a.removeprefix(GROUP)][0] if a.startswith(GROUP) else area_names[a],
        key="areas",
        help="Tomt: alla områden.",
        placeholder="Alla områden",
    )
    filters["area_groups"] = [a.removeprefix(GROUP) for a in chosen if a.startswith(GROUP)]
    filters["areas"] = [a for a in chosen if not a.startswith(GROUP)]
    filters["organisations"] = st.multiselect(
        "Organisation",
        list(ORGANISATIONS),
        key="organisations",
        help="Tomt: alla.",
        placeholder="Alla organisationer",
        format_func=lambda o: "i samverkan" if o == "samverkan" else ORGANISATIONS[o],
    )
    for column, label, values in (("topics", "Ämne", TOPICS), ("audiences", "Målgrupp", AUDIENCES)):
        if column in dimensions:
            filters[column] = st.multiselect(
                f"{label} (något av)", values, key=column, help="Tomt: alla.", placeholder="Alla"
            )
            filters[f"{column}_or_none"] = st.checkbox(
                f"Räkna också aktiviteter utan angivet {label.lower()}", key=f"{column}_or_none"
            )
    if "risk_place" in dimensions:
        risk = st.radio("Identifierad riskplats", ["alla", "ja", "nej"], horizontal=True, key="risk_place")
        filters["risk_place"] = None if risk == "alla" else risk == "ja"
    if "control_kind" in dimensions:
        filters["control_kinds"] = st.multiselect(
            "Typ av kontroll (något av)",
            CONTROL_KINDS,
            key="control_kinds",
            placeholder="Alla typer av kontroll",
            help="Tomt: alla.",
        )
    if "youth_focus" in dimensions:
        youth = st.radio("Fokus på unga", ["alla", "ja", "nej"], horizontal=True, key="youth_focus")
        filters["youth_focus"] = None if youth == "alla" else youth == "ja"

st.subheader("Hur måttet räknas")
kinds = {"count": "Antal aktiviteter", "sum": "Summa av ett fält", "ratio": "Kvot mellan två summor"}
kind = st.radio("Beräkning", list(kinds), format_func=kinds.__getitem__, horizontal=True, key="kind")
measures = [m for m in shared_measures(types) if m != "activity_count"]
hours = {m: f"{label} (timmar)" for m, label in HOUR_FIELDS.items()}
aggregation: dict[str, object] = {"kind": kind}
if kind == "sum":
    field = st.selectbox(
        "Fält att summera",
        measures,
        format_func=lambda m: hours.get(m, field_label(m)),
        key="field",
        index=None,
        placeholder="Välj ett fält",
    )
    aggregation |= {"field": field or "", "scale": 1 / 60 if field in HOUR_FIELDS else 1.0}
elif kind == "ratio":
    numerator = st.selectbox(
        "Täljare", measures, format_func=field_label, key="numerator", index=None, placeholder="Välj ett fält"
    )
    denominator = st.selectbox(
        "Nämnare",
        ["activity_count", *measures],
        format_func=field_label,
        key="denominator",
        index=None,
        placeholder="Välj ett fält",
    )
    st.session_state.setdefault("scale", 1000.0)
    scale = st.number_input(
        "Gånger", step=1.0, key="scale", help="Till exempel 100 för procent eller 1 000 för ”per 1 000”."
    )
    aggregation |= {"numerator": numerator or "", "denominator": denominator or "", "scale": scale}

st.subheader("Hur måttet visas")
unit = st.text_input("Enhet", max_chars=40, key="unit", help="Till exempel ”prov”, ”timmar” eller ”per 1 000 prov”.")
phrase = st.text_input(
    "Fras i den upplästa meningen",
    max_chars=80,
    key="phrase",
    help="Till exempel ”utandningsprov vid riskplatser” i ”Sedan förra mötet: 112 utandningsprov "
    "vid riskplatser”. Tomt: enheten.",
)
st.session_state.setdefault("decimals", 0)
decimals = st.number_input("Decimaler", min_value=0, max_value=3, step=1, key="decimals")
headline = st.checkbox("Huvudmått för löftet (visas först och i diagrammet)", key="headline")
has_target = st.checkbox("Har mål (målet sätts på sidan Mål)", key="has_target")
agreements = store.agreements()
commitment_titles = {
    c.id: f"{a.title}: {c.short_title}" for a in agreements.itertuples() for c in store.commitments(a.id).itertuples()
}
commitments = st.multiselect(
    "Löften som indikatorn följer upp",
    list(commitment_titles),
    format_func=commitment_titles.__getitem__,
    key="commitments",
    placeholder="Välj löften",
)

answers = {
    "id": indicator_id.strip(),
    "title": title.strip(),
    "description": description.strip(),
    "activity_types": types,
    "filters": filters,
    "aggregation": aggregation,
    "unit": unit.strip(),
    "phrase": phrase.strip(),
    "decimals": int(decimals),
    "headline": headline,
    "has_target": has_target,
    "commitments": commitments,
}

declared, found = declaration(answers, store, editing)
st.subheader("Förhandsgranskning")
if declared is None or found:
    st.info(
        "Förhandsgranskningen visas när formuläret är ifyllt utan fel."
        + ("\n\nAtt rätta:\n" + "\n".join(f"- {ui.plain(str(p))}" for p in found) if title.strip() else "")
    )
else:
    months = preview(store, declared, ui.today())
    if not months:
        st.info("Det finns inga aktiviteter av de valda typerna ännu.")
    else:
        shown = pd.DataFrame(
            {
                "Månad": [f"{month_label(m.month)} {m.year}" for m, _ in months],
                declared.unit: [format_number(v, declared.decimals, empty="inget underlag") for _, v in months],
            }
        )
        ui.table(shown)
        st.bar_chart(
            pd.DataFrame({"Månad": [m for m, _ in months], declared.unit: [v for _, v in months]}),
            x="Månad",
            y=declared.unit,
        )

if st.button("Spara indikatorn", type="primary", icon=":material/save:"):
    saved, refused = save(store, answers, user, editing)
    if refused or saved is None:
        st.error("Indikatorn sparades inte.\n\n" + "\n\n".join(ui.plain(str(p)) for p in refused))
    elif editing:
        st.success(f"Ändringen av indikatorn ”{ui.plain(saved.title)}” är sparad.")
    else:
        st.success(
            f"Indikatorn ”{ui.plain(saved.title)}” är sparad med id {saved.id} och visas nu överallt där "
            "de inbyggda visas."
        )

stored = _stored.rows(store)
if stored:
    st.header("Indikatorer definierade i appen")
    st.caption("En indikator som tas ur bruk finns kvar i databasen med sitt id, men visas inte längre någonstans.")
    ui.table(
        pd.DataFrame(
            {
                "Id": [r["id"] for r in stored],
                "I bruk": ["ja" if r["active"] else "nej" for r in stored],
                "Skapad": [f"{format_datetime(r['created_at'])} av {r['created_by']}" for r in stored],
                "Ändrad": [f"{format_datetime(r['changed_at'])} av {r['changed_by']}" for r in stored],
            }
        )
    )
    chosen = st.selectbox("Indikator", [r["id"] for r in stored], key="stored")
    active = next(r["active"] for r in stored if r["id"] == chosen)
    toggle, edit = st.columns(2)
    if toggle.button("Ta ur bruk" if active else "Ta i bruk igen", key="toggle"):
        _stored.set_active(store, chosen, not active, user)
        st.rerun()
    declared_json = next(r["declaration"] for r in stored if r["id"] == chosen)
    if read(declared_json, chosen)[0] is not None:
        edit.button("Redigera i formuläret", key="edit", on_click=_edit, args=(declared_json,))
