"""Entry point: `streamlit run dashboard.py`. Builds the navigation over pages/ and guards every page."""

from __future__ import annotations

import logging

import duckdb
import streamlit as st

from trygghet.auth import ACCOUNTS_FILE_NOTICE, AccountsFileError, Role
from trygghet.bootstrap import USER_ERRORS
from trygghet.config import public_only
from trygghet.store.database import StoreBusy
from trygghet.web import ui

st.set_page_config(page_title="Trygghetsuppföljning Timrå", page_icon=":material/shield:", layout="wide")

V, E, A = Role.VIEWER, Role.EDITOR, Role.ADMIN
PUBLIC_PAGE = st.Page(
    "pages/folj_med.py", title="Följ med i hur det går", icon=":material/public:", url_path="folj-med"
)
# Menu sections: (heading, [(page, the least role that sees its link)]). Every page is routable for everyone
# and checks the role itself, so a viewer who follows a link to an editor's page meets a sign-in prompt.
MENU = [
    (
        "Uppföljning",
        [
            (st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt"), V),
            (st.Page("pages/mote.py", title="Rådets möte", icon=":material/groups:", url_path="mote"), V),
            (st.Page("pages/mal.py", title="Mål", icon=":material/flag:", url_path="mal"), V),
            (PUBLIC_PAGE, V),
        ],
    ),
    (
        "Utforska",
        [
            (
                st.Page(
                    "pages/fotpatrull.py", title="Fotpatrull", icon=":material/directions_walk:", url_path="fotpatrull"
                ),
                V,
            ),
            (
                st.Page(
                    "pages/trafikkontroller.py",
                    title="Trafikkontroller",
                    icon=":material/traffic:",
                    url_path="trafikkontroller",
                ),
                V,
            ),
            (
                st.Page(
                    "pages/a_traktorer.py",
                    title="A-traktorer och buskörning",
                    icon=":material/agriculture:",
                    url_path="a-traktorer",
                ),
                V,
            ),
            (
                st.Page(
                    "pages/informationstraffar.py",
                    title="Informationsträffar",
                    icon=":material/groups_2:",
                    url_path="informationstraffar",
                ),
                V,
            ),
            (
                st.Page(
                    "pages/droghandel.py",
                    title="Öppen droghandel",
                    icon=":material/local_police:",
                    url_path="droghandel",
                ),
                V,
            ),
            (
                st.Page(
                    "pages/vald_i_nara_relation.py",
                    title="Våld i nära relation",
                    icon=":material/diversity_1:",
                    url_path="vald-i-nara-relation",
                ),
                V,
            ),
            (
                st.Page(
                    "pages/aktiviteter.py", title="Aktiviteter", icon=":material/table_rows:", url_path="aktiviteter"
                ),
                V,
            ),
        ],
    ),
    (
        "Data",
        [
            (st.Page("pages/ladda_upp.py", title="Ladda upp", icon=":material/upload_file:", url_path="ladda-upp"), E),
            (
                st.Page(
                    "pages/overenskommelser.py",
                    title="Överenskommelser",
                    icon=":material/handshake:",
                    url_path="overenskommelser",
                ),
                E,
            ),
            (
                st.Page(
                    "pages/indikatorer.py", title="Indikatorer", icon=":material/query_stats:", url_path="indikatorer"
                ),
                A,
            ),
            (
                st.Page(
                    "pages/admin.py", title="Administration", icon=":material/admin_panel_settings:", url_path="admin"
                ),
                A,
            ),
        ],
    ),
]

# Captions in Streamlit's default faded grey fall short of WCAG AA contrast (4,5:1) on our backgrounds.
st.html(
    "<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
    "{ color: #3D4752 !important; opacity: 1 !important; }</style>"
)
# The public page stands alone (it is embedded in the municipality's web site): no menu into the internal
# pages and no sign-in. A public deployment (TRYGGHET_PUBLIC_ONLY=1) cannot route to anything else at all.
if public_only():
    # The default page is served at the root only: a public page that were the default would answer its own
    # address, /folj-med (the one the municipality embeds), with Streamlit's English "Page not found". So the
    # root gets a page of its own that runs the same script.
    routable = [
        st.Page("pages/folj_med.py", title=PUBLIC_PAGE.title, url_path="folj-med-start", default=True),
        PUBLIC_PAGE,
    ]
else:
    # The root shows Översikt as well; to Streamlit it is a page of its own (served at "/", out of the menu), so
    # that /oversikt stays a real address like every other page's slug rather than Streamlit's "Page not found".
    home = st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="start", default=True)
    routable = [home] + [page for _, pages in MENU for page, _ in pages]
navigation = st.navigation(routable, position="hidden")
log = logging.getLogger("trygghet")
# Everything that reads the database runs inside the guard, the sign-in in the sidebar included: a visitor
# sees a Swedish sentence, the operator a log line, never Streamlit's English error or a traceback.
try:
    if not public_only() and navigation.url_path != PUBLIC_PAGE.url_path:
        role = ui.current_user().role
        # The page's filters go above the menu (ui.filter_sidebar), so they are above the fold at 1366×768.
        st.session_state[ui.FILTER_SLOT] = st.sidebar.container()
        with st.sidebar:
            for heading, pages in MENU:
                shown = [page for page, least in pages if role >= least]
                if shown:
                    st.caption(heading)
                    for page in shown:
                        st.page_link(page)
        ui.sign_in_panel()
        st.sidebar.caption("Trygghetsuppföljning Timrå: polisen (lokalpolisområde Medelpad) och Timrå kommun.")
    else:
        st.session_state.pop(ui.FILTER_SLOT, None)  # no place from an earlier page's run
    ui.swedish_widgets()
    navigation.run()
except StoreBusy as exc:  # its text names the file: for the log only
    log.warning("page %s: %s", navigation.url_path, exc)
    st.error("Databasen är upptagen just nu: ett annat program skriver till den. Försök igen om en stund.")
except AccountsFileError as exc:  # its text names accounts and fields: for the log only
    log.error("page %s: %s", navigation.url_path, exc)
    st.error(ACCOUNTS_FILE_NOTICE)
except USER_ERRORS as exc:  # a Swedish message meant for the user, and a line for the operator
    log.warning("page %s: %s", navigation.url_path, exc)
    st.error(str(exc))
except duckdb.Error:
    log.exception("page %s: database error", navigation.url_path)
    st.error(
        "Databasen kunde inte läsas när sidan skulle visas. Felet är loggat; försök igen om en stund "
        "eller kontakta en administratör."
    )
except Exception:  # never show a traceback to a user
    log.exception("page %s failed", navigation.url_path)
    st.error("Något gick fel när sidan skulle visas. Felet är loggat; försök igen eller kontakta en administratör.")
