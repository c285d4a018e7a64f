"""Följ med i hur det går: the public, read-only page of aggregate progress per promise.

Reachable on its own URL and embeddable in the municipality's web site (`?embed=true`).
Nothing here comes from free text: no comments, no places finer than an area.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from trygghet.config import public_only
from trygghet.figures.compute import IndicatorFigure, agreement_standing, progress_for
from trygghet.figures.indicators import for_commitment
from trygghet.figures.public_words import plain_sentence, verdict
from trygghet.formatting import format_date
from trygghet.meetings.report import agreement_year, follow_up_record
from trygghet.settings import settings
from trygghet.web import ui


@ui.per_data_version(shared=True, show_spinner="Hämtar siffrorna …", max_entries=8)
def _progress(today: dt.date):
    store = ui.store()
    agreements = store.agreements()
    standing = agreement_standing(agreements, today)
    agreement = agreements.iloc[standing.index]
    span, year = agreement_year(agreement, today)
    commitments = store.commitments(agreement.id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})
    figures = {
        p.indicator.id: IndicatorFigure.from_progress(p)
        for p in progress_for(store, ids, year, today, span, settings().thresholds)
    }
    latest = max(store.last_activity_dates(min(today, year.end)).values(), default=None)
    record = follow_up_record(store, agreement.id, year.start.year, today)
    return agreement.title, standing, year, commitments, figures, store.last_update(), latest, record


st.title("Följ med i hur det går")
if not public_only():  # opened from the internal menu, which this stand-alone page does not show
    st.page_link("pages/oversikt.py", label="Tillbaka till Översikt", icon=":material/arrow_back:")
title, standing, year, commitments, figures, updated, latest, record = _progress(ui.today())
if ui.has_demo_data():
    st.warning("Demodata: siffrorna på sidan är påhittade och gäller inte Timrå.", icon=":material/warning:")
if standing.in_force:
    st.markdown(
        f"Polisen i Medelpad och Timrå kommun har lovat invånarna i Timrå att arbeta för ökad trygghet "
        f"({title}). Här ser du hur det går med varje löfte under {year.label}, till och med "
        f"{format_date(min(ui.today(), year.end))}."
    )
else:
    st.info(standing.note, icon=":material/event_busy:")
    if ui.today() > year.end:
        st.markdown(
            f"Polisen i Medelpad och Timrå kommun lovade invånarna i Timrå att arbeta för ökad trygghet "
            f"({title}). Här ser du slutresultatet för varje löfte under {year.label}."
        )
st.markdown(f"Senaste registrerade aktivitet: {format_date(latest)}." if latest else "Inga aktiviteter är inlästa.")
if updated:
    st.caption(f"Siffrorna uppdaterades senast {format_date(updated)}.")
st.markdown(f"{record.meetings_text} {record.written_text(with_number=False)}")

word = ui.commitment_word(commitments.agreement_id.iloc[0]) if len(commitments) else "Löftet"
for _, group in commitments.groupby("focus_ordinal", sort=True):
    st.header(group.focus_title.iloc[0])
    for commitment in group.itertuples():
        tracked = [figures[i.id] for i in for_commitment(commitment.id)]
        judged = verdict(tracked)
        st.subheader(commitment.short_title)
        st.markdown(f"{word}: ”{ui.plain(commitment.text)}”")
        st.markdown(f"{judged.icon} **{judged.word}.** {ui.plain(plain_sentence(tracked))}")
