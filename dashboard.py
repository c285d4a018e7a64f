"""Entry point: `streamlit run dashboard.py`. Builds the navigation over pages/ and guards every page."""

from __future__ import annotations

import logging

import streamlit as st

from trygghet.bootstrap import USER_ERRORS
from trygghet.storage import StoreBusy

st.set_page_config(page_title="Trygghetsuppföljning Timrå", page_icon=":material/shield:", layout="wide")

PAGES = [
    st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt", default=True),
    st.Page("pages/mote.py", title="Rådets möte", icon=":material/groups:", url_path="mote"),
    st.Page("pages/mal.py", title="Mål", icon=":material/flag:", url_path="mal"),
]

navigation = st.navigation(PAGES)
st.sidebar.caption("Trygghetsuppföljning Timrå: polisen (lokalpolisområde Medelpad) och Timrå kommun.")
try:
    navigation.run()
except StoreBusy as exc:
    st.error(f"Databasen är upptagen just nu. {exc}")
except USER_ERRORS as exc:
    st.error(str(exc))
except Exception:  # never show a traceback to a user
    logging.getLogger("trygghet").exception("page failed")
    st.error("Något gick fel när sidan skulle visas. Felet är loggat; försök igen eller kontakta en administratör.")
