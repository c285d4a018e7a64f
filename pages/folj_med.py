"""Följ med i hur det går: the public, read-only page of aggregate progress per promise.

Reachable on its own URL and embeddable in the municipality's web site (`?embed=true`).
Nothing here comes from free text: no comments, no places finer than an area.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from indicators import for_commitment
from trygghet import ui
from trygghet.figures import IndicatorFigure, default_agreement, progress_for
from trygghet.formatting import format_date
from trygghet.meetings import agreement_year
from trygghet.public import plain_sentence, verdict
from trygghet.settings import settings


@st.cache_data(show_spinner="Hämtar siffrorna …", max_entries=8)
def _progress(version: int, path: str, today: dt.date):
    store = ui.store()
    agreements = store.agreements()
    agreement = agreements.iloc[default_agreement(agreements, today)]
    span, year = agreement_year(agreement, today)
    commitments = store.commitments(agreement.id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})
    figures = {p.indicator.id: IndicatorFigure.from_progress(p)
               for p in progress_for(store, ids, year, today, span, settings().thresholds)}
    return agreement.title, span[1], year, commitments, figures, store.last_update()


st.title("Följ med i hur det går")
title, ended, year, commitments, figures, updated = _progress(ui.data_version(), str(ui.store().path), ui.today())
if ui.today() > ended:
    st.info(f"{title} gällde till och med {format_date(ended)}. Siffrorna nedan gäller löftets sista år.",
            icon=":material/info:")
st.markdown(f"Polisen i Medelpad och Timrå kommun har lovat invånarna i Timrå att arbeta för ökad trygghet "
            f"({title}). Här ser du hur det går med varje löfte under {year.label}, till och med "
            f"{format_date(min(ui.today(), year.end))}.")
st.markdown(f"Siffrorna uppdaterades senast {format_date(updated)}." if updated else "Inga siffror är inlästa ännu.")
if ui.store().has_demo_data():
    st.warning("Demodata: siffrorna på sidan är påhittade och gäller inte Timrå.", icon=":material/warning:")

for _, group in commitments.groupby("focus_ordinal", sort=True):
    st.header(group.focus_title.iloc[0])
    for commitment in group.itertuples():
        tracked = [figures[i.id] for i in for_commitment(commitment.id)]
        judged = verdict(tracked)
        st.subheader(commitment.short_title)
        st.markdown(f"Löftet: ”{ui.plain(commitment.text)}”")
        st.markdown(f"{judged.icon} **{judged.word}.** {ui.plain(plain_sentence(tracked))}")
