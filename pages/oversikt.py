"""Översikt: every commitment of the chosen agreement with its indicators' progress."""

from __future__ import annotations

import streamlit as st

from trygghet.figures.compute import IndicatorFigure, progress_for
from trygghet.figures.glance import section_anchor, summary_rows
from trygghet.figures.indicators import for_commitment
from trygghet.figures.periods import AgreementSpan, Period
from trygghet.formatting import format_date
from trygghet.settings import settings
from trygghet.web import ui
from trygghet.web.glance import indicator_cards, summary_table

RESPONSIBLE = {
    "polisen": "Ansvar: Polisen",
    "kommunen": "Ansvar: Timrå kommun",
    "bada": "Ansvar: Polisen och Timrå kommun",
}


@ui.per_data_version(shared=True, show_spinner="Räknar fram siffrorna …", max_entries=64)
def _progress(agreement: AgreementSpan, period: Period, as_of):
    store = ui.store()
    commitments = store.commitments(agreement.id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})
    by_id = {
        p.indicator.id: IndicatorFigure.from_progress(p)
        for p in progress_for(store, ids, period, as_of, agreement, settings().thresholds)
    }
    return commitments, by_id


ui.page_header("Översikt", "Hur det går med varje löfte: utfall, mål, status och prognos för vald period.")
choice = ui.period_picker()
for notice in choice.notices:  # a wrong or stale value in the link: the default is shown instead
    st.info(ui.plain(notice), icon=":material/info:")
if not choice.in_force and choice.note is not None:
    ui.no_agreement_notice(choice.note)
commitments, progress = _progress(choice.agreement, choice.period, choice.as_of)

if not any(p.actual for p in progress.values()):
    st.info(
        f"Inga aktiviteter är registrerade för {choice.period.label}. Välj en annan period i sidomenyn, "
        "eller ladda upp aktivitetsloggar på sidan Ladda upp."
    )
# "till och med" says that a running period runs on: no separate notice above the summary.
st.markdown(f"**{choice.agreement_title}** · {choice.period.label} · till och med {format_date(choice.as_of)}")
summary_table(
    summary_rows(
        (c.id, c.short_title, c.focus_title, [progress[i.id] for i in for_commitment(c.id)])
        for c in commitments.itertuples()
    )
)

word = ui.commitment_word(choice.agreement_id)  # "Löftet" or "Problembild", looked up once
for _, group in commitments.groupby("focus_ordinal", sort=True):
    st.header(group.focus_title.iloc[0])
    for commitment in group.itertuples():
        st.subheader(commitment.short_title, anchor=section_anchor(commitment.id))
        st.caption(f"{RESPONSIBLE[commitment.responsible]} · {word}: ”{ui.plain(commitment.text)}”")
        tracked = [progress[i.id] for i in for_commitment(commitment.id)]
        if not tracked:
            st.caption("Inget mått är kopplat till det här löftet ännu.")
            continue
        indicator_cards(tracked)
        main = tracked[0]
        if main.actual:
            ui.progress_chart(main, key=f"chart-{commitment.id}")
