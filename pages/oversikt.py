"""Översikt: every commitment of the chosen agreement with its indicators' progress."""

from __future__ import annotations

import streamlit as st

from indicators import for_commitment
from trygghet import ui
from trygghet.charts import progress_chart
from trygghet.figures import IndicatorProgress, progress_for
from trygghet.formatting import format_date, format_number, format_percent
from trygghet.periods import Period
from trygghet.progress import STATUS_INFO, Status
from trygghet.settings import settings

RESPONSIBLE = {"polisen": "Ansvar: Polisen", "kommunen": "Ansvar: Timrå kommun", "bada": "Ansvar: Polisen och Timrå kommun"}


@st.cache_data(show_spinner="Räknar fram siffrorna …", max_entries=64)
def _progress(version: int, path: str, agreement_id: str, period: Period, as_of, span):
    store = ui.store()
    commitments = store.commitments(agreement_id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})
    by_id = {p.indicator.id: p for p in progress_for(store, ids, period, as_of, span, settings().thresholds)}
    return commitments, by_id


def _figure(value: float | None, p: IndicatorProgress) -> str:
    return "inget underlag" if value is None else f"{format_number(value, p.indicator.decimals)} {p.indicator.unit}"


def _status_badge(p: IndicatorProgress) -> None:
    info = STATUS_INFO[p.status]
    text = info.label
    if p.status == Status.NOT_UPDATED and p.last_data:
        text = f"{info.label} sedan {format_date(p.last_data)}"
    st.badge(text, icon=info.icon, color=info.badge)


def _card(p: IndicatorProgress) -> None:
    with st.container(border=True):
        delta = None
        if p.actual is not None and p.last_year is not None and not p.indicator.is_ratio:
            # Streamlit reads the arrow from a leading ASCII "-" or "+".
            change = format_number(p.actual - p.last_year, p.indicator.decimals).replace("\u2212", "-")
            delta = f"{'+' if p.actual > p.last_year else ''}{change} mot samma period i fjol"
        st.metric(p.indicator.title, _figure(p.actual, p), delta=delta, delta_color="off" if p.target is None else "normal")
        if p.target is not None:
            st.progress(min(1.0, p.share or 0.0), text=f"{format_percent(p.share)} av målet")
            _status_badge(p)
            rule = p.target_rule.describe() if p.target_rule else ""
            example = " (exempelmål, inte beslutat av rådet)" if p.target_rule and p.target_rule.example else ""
            st.caption(
                f"Mål {format_number(p.target, 1 if p.target % 1 else 0)} {p.indicator.unit} ({rule}){example}. "
                f"Hittills borde {format_number(p.prorated, 1)} vara gjort. "
                f"Prognos vid periodens slut: {_figure(p.forecast, p)}."
            )
        else:
            st.caption(f"Sammanhangsmått, inget mål. Samma period i fjol: {_figure(p.last_year, p)}.")
        if p.previous_meeting:
            st.caption(f"Sedan rådets möte {format_date(p.previous_meeting)}: {_figure(p.since_meeting, p)}.")


ui.page_header("Översikt", "Hur det går med varje löfte: utfall, mål, status och prognos för vald period.")
choice = ui.period_picker()
if choice.note:
    st.info(choice.note)
commitments, progress = _progress(ui.data_version(), str(ui.store().path), choice.agreement_id, choice.period,
                                  choice.as_of, choice.agreement_span)

if not any(p.actual for p in progress.values()):
    st.info(f"Inga aktiviteter är registrerade för {choice.period.label}. Välj en annan period i sidomenyn, "
            "eller ladda upp aktivitetsloggar på sidan Ladda upp.")
st.markdown(f"**{choice.agreement_title}** · {choice.period.label} · till och med {format_date(choice.as_of)}")

for focus_title, group in commitments.groupby("focus_ordinal", sort=True):
    st.header(group.focus_title.iloc[0])
    for commitment in group.itertuples():
        st.subheader(commitment.short_title)
        st.caption(f"{RESPONSIBLE[commitment.responsible]} · Löftet: ”{ui.plain(commitment.text)}”")
        tracked = [progress[i.id] for i in for_commitment(commitment.id)]
        if not tracked:
            st.caption("Inget mått är kopplat till det här löftet ännu.")
            continue
        columns = st.columns(min(3, len(tracked)))
        for n, p in enumerate(tracked):
            with columns[n % len(columns)]:
                _card(p)
        main = tracked[0]
        if main.actual:
            st.plotly_chart(progress_chart(main), config={"displayModeBar": False, "locale": "sv"},
                            key=f"chart-{commitment.id}")
