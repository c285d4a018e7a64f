"""Streamlit helpers shared by the pages: the store, the period choice, banners and formats.

Pages stay thin: they pick inputs here, get figures from the core and draw.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from trygghet.bootstrap import prepare_store
from trygghet.config import db_path
from trygghet.figures import IndicatorFigure, default_agreement
from trygghet.formatting import format_date, format_number, format_percent
from trygghet.periods import GRAIN_LABELS_SV, Grain, Period, period_containing, periods_between, today_stockholm
from trygghet.progress import STATUS_INFO
from trygghet.storage import Store

PICKER_GRAINS = (Grain.YEAR, Grain.TERTIAL, Grain.QUARTER, Grain.MONTH, Grain.AGREEMENT)


@st.cache_resource(show_spinner="Förbereder databasen …")
def _prepared_store(path: str) -> Store:
    return prepare_store(path, demo_if_empty=True)


def store() -> Store:
    """The store of this process: migrated and, when empty, filled with marked demo data once."""
    return _prepared_store(str(db_path()))


def data_version() -> int:
    """Part of every cache key, so that a new import shows at the next rerun."""
    return store().data_version()


def today() -> dt.date:
    """Today in Stockholm; TRYGGHET_TODAY (YYYY-MM-DD) pins it for tests and demonstrations."""
    pinned = os.environ.get("TRYGGHET_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else today_stockholm()


def plain(text: str) -> str:
    """Escape markdown so stored text is shown as text, never as formatting or HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def page_header(title: str, explanation: str) -> None:
    st.title(title)
    st.caption(explanation)
    if store().has_demo_data():
        st.warning(
            "**Demodata:** databasen innehåller påhittade aktiviteter som följer med programmet för att visa hur "
            "det fungerar. Siffrorna gäller inte Timrå. En administratör tar bort dem med "
            "`python -m trygghet demo --remove`.",
            icon=":material/warning:",
        )


def status_badge(fig: IndicatorFigure) -> None:
    """The status as icon and word (never colour alone)."""
    info = STATUS_INFO[fig.status]
    st.badge(fig.status_text, icon=info.icon, color=info.badge)


def indicator_card(fig: IndicatorFigure) -> None:
    """One indicator: the figure, the change against last year, and against its target a progress bar,
    the status, the pro-rated target and the forecast; shared by the overview and the meeting view."""
    with st.container(border=True):
        delta = None
        if fig.actual is not None and fig.last_year is not None and not fig.is_ratio:
            # Streamlit reads the arrow from a leading ASCII "-" or "+".
            change = format_number(fig.actual - fig.last_year, fig.decimals).replace("\u2212", "-")
            delta = f"{'+' if fig.actual > fig.last_year else ''}{change} mot samma period i fjol"
        st.metric(fig.title, fig.text(fig.actual), delta=delta, delta_color="off" if fig.target is None else "normal")
        if fig.target is not None:
            st.progress(min(1.0, fig.share or 0.0), text=f"{format_percent(fig.share)} av målet")
            status_badge(fig)
            example = " (exempelmål, inte beslutat av rådet)" if fig.example_target else ""
            st.caption(
                f"Mål {format_number(fig.target, 1 if fig.target % 1 else 0)} {fig.unit} ({fig.target_text}){example}. "
                f"Hittills borde {format_number(fig.prorated, 1)} vara gjort. "
                f"Prognos vid periodens slut: {fig.text(fig.forecast)}."
            )
        else:
            st.caption(f"Sammanhangsmått, inget mål. Samma period i fjol: {fig.text(fig.last_year)}.")
        if fig.previous_meeting:
            st.caption(f"Sedan rådets möte {format_date(fig.previous_meeting)}: {fig.text(fig.since_meeting)}.")


@dataclass(frozen=True)
class PeriodChoice:
    agreement_id: str
    agreement_title: str
    agreement_span: tuple[dt.date, dt.date]
    period: Period
    as_of: dt.date
    note: str | None


@st.cache_data(show_spinner=False)
def _agreements(version: int, path: str) -> pd.DataFrame:
    return store().agreements()


def period_picker() -> PeriodChoice:
    """Agreement, period grain and period in the sidebar; this year by default when the agreement runs."""
    agreements = _agreements(data_version(), str(db_path())).reset_index(drop=True)
    day = today()
    with st.sidebar:
        st.subheader("Period")
        index = st.selectbox(
            "Överenskommelse", agreements.index, index=default_agreement(agreements, day),
            format_func=lambda i: agreements.title[i], key="agreement",
        )
        row = agreements.loc[index]
        span = (row.valid_from.date(), row.valid_to.date())
        grain = st.selectbox("Indelning", PICKER_GRAINS, format_func=lambda g: GRAIN_LABELS_SV[g].capitalize(),
                             key="grain")
        last_day = min(span[1], day)
        if grain == Grain.AGREEMENT:
            options = [period_containing(Grain.AGREEMENT, span[0], span=span, span_label=row.title)]
        else:
            options = [p.clip(*span) for p in periods_between(grain, span[0], max(span[0], last_day))][::-1]
        period = st.selectbox("Period", options, format_func=lambda p: p.label, key=f"period-{index}-{grain}")
    as_of = min(day, period.end)
    note = None
    if day > span[1]:
        note = (f"{row.title} gällde till {format_date(span[1])}. Ingen senare överenskommelse finns registrerad, "
                f"så sidan visar {row.title.lower()}.")
    elif day < period.end:
        note = f"Perioden pågår: siffrorna gäller till och med {format_date(as_of)}."
    return PeriodChoice(row.id, row.title, span, period, as_of, note)
