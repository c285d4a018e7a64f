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
from trygghet.figures import default_agreement
from trygghet.formatting import format_date
from trygghet.periods import GRAIN_LABELS_SV, Grain, Period, period_containing, periods_between, today_stockholm
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
