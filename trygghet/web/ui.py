"""Streamlit helpers shared by the pages: the store, the period choice, banners and formats.

Pages stay thin: they pick inputs here, get figures from the core and draw.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import pickle
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from trygghet.auth import ANONYMOUS, AuthError, Role, User, role_for, sign_in, users_file
from trygghet.bootstrap import prepare_store
from trygghet.config import db_path
from trygghet.config import today as config_today
from trygghet.exploration.period_links import PeriodView, parse_period_query, period_options, period_query
from trygghet.figures.compute import IndicatorFigure, agreement_standing
from trygghet.figures.periods import GRAIN_LABELS_SV, PICKER_GRAINS, AgreementSpan, Grain, Period
from trygghet.figures.progress import STATUS_INFO
from trygghet.formatting import format_date, format_number, format_percent
from trygghet.reference.agreements import COMMITMENT_WORDS
from trygghet.reports import charts
from trygghet.store import connection
from trygghet.store.connection import StoreHeld
from trygghet.store.database import Store

# Streamlit's own widgets write some texts in English with no setting for them (the file uploader's "Upload" and
# "200MB per file", the multiselect's "Select all", the calendar's month names, "Page not found"): a small
# component of our own, served from this folder, puts Swedish words in their place in the browser.
_SWEDISH_WIDGETS = st.components.v2.component(
    "trygghet_swedish_widgets",
    js=(Path(__file__).parent / "swedish.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def swedish_widgets() -> None:
    """Mount the component once per page (dashboard.py does, before the page runs); it takes no room."""
    st.html("<style>.st-key-swedish-widgets { display: none; }</style>")
    _SWEDISH_WIDGETS(key="swedish-widgets")


@st.cache_resource(show_spinner="Förbereder databasen …")
def _prepared_store(path: str) -> Store:
    return prepare_store(path, demo_if_empty=True)


def store() -> Store:
    """The store of this process: migrated and, when empty, filled with marked demo data once."""
    return _prepared_store(str(db_path()))


@dataclass(frozen=True)
class DataKey:
    """The one cache key of everything drawn from the database: its file and its data version, which every
    write bumps (an import, an undo, a target edit, from this process or the command line), and the token of
    that write (Store.data_stamp), which copies of the file share until one of them is written."""

    path: str
    version: int
    token: str


@dataclass
class _Run:
    """The data one script run shows, read once per run: a page asks for it about ten times a run, and reading
    the version costs a use of the file each time."""

    key: DataKey
    writes: int  # connection.writes() when read: a write of this process since makes it stale
    held: bool  # another process held the file: `key` is the last one read, not the file's
    noted: bool = False  # the note that the page shows older figures has been drawn in this run


_RUNS: weakref.WeakKeyDictionary[object, _Run] = weakref.WeakKeyDictionary()
_RUNS_LOCK = threading.Lock()
_computing = threading.local()  # depth: how many cached functions this thread is computing, one within another
_LAST: dict[str, DataKey] = {}  # per file, the last key read: what is shown while another process holds the file
# session_state: the data version this visitor's own latest write made; their pages never show older figures.
_OWN_WRITE = "trygghet:own-write"


def _run_token() -> object | None:
    """What tells this script run from the session's next one: Streamlit makes a new coordinator at the start of
    every run (ScriptRunContext.reset). None outside a run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.parallel_coordinator


def _read_key(run: _Run | None, *, wait: bool) -> _Run:
    """The file's key now; when not to `wait` and another process holds the file, the last key read (held)."""
    writes = connection.writes()
    current = store()
    path = str(current.path)
    last = _LAST.get(path)
    try:
        key = DataKey(path, *current.data_stamp(wait=wait or last is None))
    except StoreHeld:
        assert last is not None  # without a key read before, the read above waits
        return _Run(last, writes, held=True, noted=run.noted if run else False)
    _LAST[path] = key
    return _Run(key, writes, held=False, noted=run.noted if run else False)


def _this_run(*, wait: bool = False) -> _Run:
    token = _run_token()
    with _RUNS_LOCK:
        run = _RUNS.get(token) if token is not None else None
    if run is not None and run.writes == connection.writes() and not (wait and run.held):
        return run
    run = _read_key(run, wait=wait)
    if token is not None:
        with _RUNS_LOCK:
            _RUNS[token] = run
    return run


def data_key() -> DataKey:
    """The key of the data this run shows: read once per run, so a new import shows at the next rerun, and read
    again after a write of this process. While another process holds the file, the last key read."""
    return _this_run().key


@contextlib.contextmanager
def reads() -> Iterator[None]:
    """One connection for all the reads of a page's run (each use of the file costs one), taken only if the file
    is free: while another process holds it, the run goes on without, and its cached figures need none."""
    with contextlib.ExitStack() as stack:
        with contextlib.suppress(StoreHeld):
            stack.enter_context(store().connect(wait=False))
        yield


def _remember_own_write(version: int) -> None:
    if get_script_run_ctx(suppress_warning=True) is not None:
        st.session_state[_OWN_WRITE] = max(version, st.session_state.get(_OWN_WRITE, 0))


connection.after_write(_remember_own_write)


def _older_figures_note(run: _Run) -> None:
    """Said once in a run that shows cached figures of an earlier data version than the file's, or of the last
    version read while another process holds the file (which may be changing it)."""
    if run.noted or get_script_run_ctx(suppress_warning=True) is None:
        return
    run.noted = True
    if run.held:
        st.caption(
            ":material/update: Ett annat program använder databasen just nu. Sidan visar siffrorna från innan det "
            "började; uppdatera sidan om en stund för att se eventuella nya."
        )
    else:
        st.caption(
            ":material/update: Siffrorna räknas om efter den senaste ändringen av data. Sidan visar tills vidare "
            "siffror från före ändringen; uppdatera sidan om en stund för att se de nya."
        )


class _Entry:
    """One function's result for one file and its arguments: of the latest data version computed."""

    __slots__ = ("computing", "token", "value", "version")

    def __init__(self) -> None:
        self.version = -1  # nothing computed yet
        self.token = ""  # the token of that version (DataKey.token)
        self.value: Any = None  # the result (shared) or its pickle (each caller gets a copy)
        self.computing: threading.Event | None = None  # set when the computation under way ends


class _Results:
    """The results of one cached function, the least recently used dropped beyond `max_entries`."""

    def __init__(self, max_entries: int | None):
        self.entries: OrderedDict[tuple[str, Any], _Entry] = OrderedDict()
        # (token, arguments) -> the entry holding that token's result: another copy of the file with the same token
        # takes it instead of computing it again (tests copy one prepared file). Points only at live entries.
        self.by_token: dict[tuple[str, Any], _Entry] = {}
        self.max_entries = max_entries
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _all_results() -> dict[str, _Results]:
    """Every cached function's results, by name; st.cache_resource.clear() empties them with Streamlit's own."""
    return {}


def _arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    key = (args, tuple(sorted(kwargs.items())))
    try:
        hash(key)
    except TypeError:
        return pickle.dumps(key)
    return key


P = ParamSpec("P")
R = TypeVar("R")


def per_data_version(
    *, shared: bool = False, show_spinner: bool | str = False, max_entries: int | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a function's result across sessions under the one cache key (`data_key`) and its arguments:
    computed once per data version, by whichever session asks first. `shared=True` hands every session the same
    object (for results the pages only read: frozen figures, frames they never change, plotly figures, which are
    slow to copy); else each gets its own copy. `show_spinner` is the text shown while it computes.

    When the data changes, the first session to ask computes the new figures; sessions asking meanwhile get the
    previous version's at once, as they do while another process holds the file (a command line import), with a
    note that newer figures are on their way. A visitor whose own write made the new version waits for it."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        # Two pages' `_progress` both run as __main__, so the file joins the name.
        name = f"{func.__module__}.{func.__qualname__} in {func.__code__.co_filename}"

        def compute(results: _Results, entry: _Entry, key: DataKey, ident: Any, args: Any, kwargs: Any) -> Any:
            _computing.depth = getattr(_computing, "depth", 0) + 1
            try:
                if isinstance(show_spinner, str) and get_script_run_ctx(suppress_warning=True) is not None:
                    with st.spinner(show_spinner):
                        value = func(*args, **kwargs)
                else:
                    value = func(*args, **kwargs)
                stored = value if shared else pickle.dumps(value)
                # Offered to other copies only if no write came between the key and the result.
                unchanged = Store(key.path).unchanged_since(key.token)
                with results.lock:
                    if entry.version < key.version:
                        if results.by_token.get((entry.token, ident[1])) is entry:
                            del results.by_token[(entry.token, ident[1])]
                        entry.version, entry.token, entry.value = key.version, key.token, stored
                        if unchanged:
                            results.by_token[(key.token, ident[1])] = entry
            finally:
                _computing.depth -= 1
                with results.lock:
                    assert entry.computing is not None  # set by the caller that chose to compute
                    entry.computing.set()
                    entry.computing = None
            return value

        @functools.wraps(func)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            every = _all_results()
            results = every.get(name) or every.setdefault(name, _Results(max_entries))
            run = _this_run()
            ident = (run.key.path, _arguments(args, kwargs))
            floor = st.session_state.get(_OWN_WRITE, 0) if get_script_run_ctx(suppress_warning=True) else 0
            # A result computed for a version is made of that version's parts only: within a computation, an
            # earlier version's result of another function is never taken.
            inside = getattr(_computing, "depth", 0) > 0
            while True:
                with results.lock:
                    entry = results.entries.get(ident)
                    if entry is None:
                        entry = results.entries[ident] = _Entry()
                        while max_entries and len(results.entries) > max_entries:
                            (_, dropped_args), dropped = results.entries.popitem(last=False)
                            if results.by_token.get((dropped.token, dropped_args)) is dropped:
                                del results.by_token[(dropped.token, dropped_args)]
                    results.entries.move_to_end(ident)
                    copy = results.by_token.get((run.key.token, ident[1]))
                    if entry.version < run.key.version and copy is not None and copy.token == run.key.token:
                        entry.version, entry.token, entry.value = copy.version, copy.token, copy.value
                    stored, fresh = entry.value, entry.version >= run.key.version
                    # An earlier version's result, while another session computes this one or another process
                    # holds the file; never older than the visitor's own latest write.
                    older = (
                        not fresh
                        and not inside
                        and entry.version >= max(0, floor)
                        and (run.held or entry.computing is not None)
                    )
                    waiting = entry.computing
                    if not (fresh or older or waiting or run.held):
                        entry.computing = threading.Event()
                        break
                if fresh or older:
                    if older or run.held:
                        _older_figures_note(run)
                    return stored if shared else pickle.loads(stored)  # type: ignore[no-any-return]
                if run.held:  # nothing of this to show from before: it needs the file, and the file's key
                    run = _this_run(wait=True)
                elif waiting is not None:
                    waiting.wait()
            return compute(results, entry, run.key, ident, args, kwargs)  # type: ignore[no-any-return]

        return call

    return decorate


@per_data_version()
def has_demo_data() -> bool:
    """Whether the demo is in the database (the pages say so on every run)."""
    return store().has_demo_data()


class SharedFigure(go.Figure):  # type: ignore[misc]  # plotly is untyped: go.Figure is Any to mypy
    """A figure that any number of sessions draw as it is. st.plotly_chart asks for its dict on every run,
    which plotly makes by deep-copying the whole figure; this one makes it once and hands out fresh copies
    of it (unpickling is about a tenth of the cost)."""

    def __init__(self, fig: go.Figure):
        super().__init__(fig)
        self._as_dict = pickle.dumps(super().to_dict())

    def to_dict(self) -> dict[str, Any]:
        as_dict: dict[str, Any] = pickle.loads(self._as_dict)
        return as_dict


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={IndicatorFigure: hash})
def _progress_figure(fig: IndicatorFigure) -> go.Figure:
    return SharedFigure(charts.progress_chart(fig))


def progress_chart(fig: IndicatorFigure, key: str) -> None:
    """An indicator's progress chart. The figure is built once for its figures (live or locked) and shared by
    every session: building a plotly figure costs more than all the rest of a page's run."""
    st.plotly_chart(_progress_figure(fig), config=charts.CONFIG, key=key)


FILTER_SLOT = "sidebar-filters"


def filter_sidebar():
    """Where a page's filters go: the top of the sidebar, above the menu (dashboard.py keeps the place), so
    that they are above the fold at 1366×768; the sidebar itself when the page runs without the menu."""
    return st.session_state.get(FILTER_SLOT) or st.sidebar


def today() -> dt.date:
    return config_today()


# Where Streamlit's markdown would make a link of plain text (https://…, www.…, name@host): a word joiner
# (U+2060, invisible) after the scheme's colon, between www and its dot and after the @ keeps it text.
_AUTOLINK = re.compile(r"(?i)(?<=\bhttps:)|(?<=\bhttp:)|(?<=\bwww)(?=\.)|(?<=@)")


def plain(text: str) -> str:
    """Escape markdown so stored text is shown as text, never as formatting, HTML or a link."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", _AUTOLINK.sub("\u2060", text))


def table(frame: pd.DataFrame, **options) -> None:
    """A read-only table without the index, where a missing value is an empty cell rather than
    Streamlit's English "None"."""
    st.dataframe(frame, hide_index=True, placeholder="", **options)


def page_header(title: str, explanation: str) -> None:
    st.title(title)
    st.caption(explanation)
    if has_demo_data():
        st.warning(
            "**Demodata:** databasen innehåller påhittade aktiviteter som följer med programmet för att visa hur "
            "det fungerar. Siffrorna gäller inte Timrå. En administratör tar bort dem med "
            "`python -m trygghet demo --remove`.",
            icon=":material/warning:",
        )


# --- who is using the app -------------------------------------------------------------------


def oidc_configured() -> bool:
    """Sign-in through the municipality's identity provider when [auth] is in secrets.toml."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def current_user() -> User:
    """The signed-in user, or an anonymous viewer (an official on the intranet needs no sign-in)."""
    if oidc_configured():
        if not st.user.is_logged_in:
            return ANONYMOUS
        email = st.user.get("email")
        email = email if isinstance(email, str) else None
        claimed = st.user.get("groups")  # a list of names; a provider that sends one name sends it as text
        groups = (
            [str(g) for g in claimed] if isinstance(claimed, list) else [claimed] if isinstance(claimed, str) else []
        )
        roles = st.secrets.get("roles", {})
        name = st.user.get("name")
        return User(email or (name if isinstance(name, str) else "") or "okänd", role_for(email, groups, roles))
    user: User = st.session_state.get("user", ANONYMOUS)
    return user


def user_name() -> str:
    """Who did it, for the records of every write."""
    return current_user().name


def sign_in_form(key: str) -> None:
    """Sign in with the identity provider, or with a local account (slowed and limited on failures)."""
    if oidc_configured():
        if st.button("Logga in", key=f"{key}-login", icon=":material/login:"):
            st.login()
        return
    with st.form(key):
        name = st.text_input("Användarnamn", max_chars=64)
        password = st.text_input("Lösenord", type="password", max_chars=256)
        if st.form_submit_button("Logga in"):
            try:
                st.session_state["user"] = sign_in(store(), users_file(), name.strip().lower(), password)
            except AuthError as exc:
                st.error(str(exc))
            else:
                st.rerun()


def sign_in_panel() -> None:
    """The sidebar's account box: who is signed in, or a way to sign in."""
    user = current_user()
    with st.sidebar:
        # Signed in through the identity provider without a mapped role still needs a way to sign out.
        if user.signed_in or (oidc_configured() and st.user.is_logged_in):
            st.caption(f"Inloggad som {user.name} ({user.role.label}).")
            if st.button("Logga ut", icon=":material/logout:"):
                if oidc_configured():
                    st.logout()
                st.session_state.pop("user", None)
                st.rerun()
        else:
            with st.expander("Logga in (redaktörer och administratörer)"):
                sign_in_form("sidebar-sign-in")


def require(role: Role) -> User:
    """Checked by the page itself on every run, not only by hiding its link: without the role the page
    shows a sign-in prompt and stops."""
    user = current_user()
    if user.role >= role:
        return user
    st.warning(f"Den här sidan kräver inloggning som {role.label} eller högre.", icon=":material/lock:")
    sign_in_form("page-sign-in")
    st.stop()


def status_badge(fig: IndicatorFigure) -> None:
    """The status as icon and word (never colour alone)."""
    info = STATUS_INFO[fig.status]
    st.badge(fig.status_text, icon=info.icon, color=info.badge)


def card_target_caption(fig: IndicatorFigure) -> str:
    """'Mål 130 patruller (130 per år). Mål hittills: 58 patruller. Prognos vid periodens slut: 60 patruller.'

    The pro-rated target is shown with the indicator's own decimals and unit, as every other figure."""
    example = " (exempelmål, inte beslutat av rådet)" if fig.example_target else ""
    text = f"Mål {fig.target_figure} ({fig.target_text}){example}."
    if fig.period_ended:
        return text
    text += " "
    if fig.prorated is not None:
        text += f"Mål hittills: {fig.text(fig.prorated)}. "
    return text + f"Prognos vid periodens slut: {fig.text(fig.forecast)}."


def indicator_card(fig: IndicatorFigure) -> None:
    """One indicator: the figure, the change against last year, and against its target a progress bar,
    the status, the pro-rated target and the forecast; shared by the overview and the meeting view."""
    with st.container(border=True):
        delta = None
        if fig.actual is not None and fig.last_year is not None and not fig.is_ratio:
            # Streamlit reads the arrow from a leading ASCII "-" or "+".
            change = format_number(fig.actual - fig.last_year, fig.decimals).replace("\u2212", "-")
            delta = f"{'+' if fig.actual > fig.last_year else ''}{change} mot samma period i fjol"
        # No change is neither good nor bad news: grey, like a figure without a target.
        neutral = fig.target is None or fig.actual == fig.last_year
        st.metric(fig.title, fig.text(fig.actual), delta=delta, delta_color="off" if neutral else "normal")
        if fig.target is not None:
            st.progress(min(1.0, fig.share or 0.0), text=f"{format_percent(fig.share)} av målet")
            status_badge(fig)
            st.caption(card_target_caption(fig))
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
    notices: tuple[str, ...] = ()
    in_force: bool = True  # False: the agreement shown is not in force today, and `note` says so

    @property
    def agreement(self) -> AgreementSpan:
        return AgreementSpan(self.agreement_id, self.agreement_title, *self.agreement_span)


@per_data_version(show_spinner=False)
def _agreements() -> pd.DataFrame:
    return store().agreements()


def commitment_word(agreement_id: str | None) -> str:
    """'Löftet' before a citizen promise's text, 'Problembild' before a cooperation agreement's."""
    frame = _agreements()
    kinds = dict(zip(frame.id, frame.kind, strict=True))
    return COMMITMENT_WORDS.get(kinds.get(agreement_id, ""), "Löftet")


PICKER_STATE = "period-picker"


def _picker_key(name: str) -> str:
    return f"{PICKER_STATE}:{name}"


def period_picker() -> PeriodChoice:
    """Agreement, period grain and period in the sidebar; this year by default when the agreement runs.

    The choice lives in the URL (?overenskommelse=…&indelning=…&period=…): the widgets are seeded from it when
    it changes (a new visit, a pasted link) and it is rewritten from the widgets on every run."""
    frame = _agreements().reset_index(drop=True)
    agreements = [
        AgreementSpan(r.id, r.title, pd.Timestamp(r.valid_from).date(), pd.Timestamp(r.valid_to).date())
        for r in frame.itertuples()
    ]
    by_id = {a.id: a for a in agreements}
    day = today()
    state = st.session_state
    url = {key: st.query_params[key] for key in st.query_params}
    notices: list[str] = []
    if state.get(_picker_key("url")) != url or state.get(_picker_key("agreement")) not in by_id:
        view, notices = parse_period_query(url, agreements, day)
        state[_picker_key("agreement")] = view.agreement_id
        state[_picker_key("grain")] = view.grain.value
        state[_picker_key(f"period:{view.agreement_id}:{view.grain}")] = view.period
    with filter_sidebar():
        st.subheader("Period")
        agreement = by_id[
            st.selectbox(
                "Överenskommelse", list(by_id), format_func=lambda i: by_id[i].title, key=_picker_key("agreement")
            )
        ]
        grain = Grain(
            st.selectbox(
                "Indelning",
                [g.value for g in PICKER_GRAINS],
                format_func=lambda g: GRAIN_LABELS_SV[Grain(g)].capitalize(),
                key=_picker_key("grain"),
            )
        )
        options = period_options(grain, agreement, day)
        period_state = _picker_key(f"period:{agreement.id}:{grain}")
        if state.get(period_state, next(iter(options))) not in options:  # a period no longer offered
            del state[period_state]
        key = st.selectbox("Period", list(options), format_func=lambda k: options[k].label, key=period_state)
        st.caption("Valet står i adressfältet: spara sidan som bokmärke eller skicka länken för att dela vyn.")
    canonical = period_query(PeriodView(agreement.id, grain, key))
    if canonical != url:
        st.query_params.from_dict(canonical)
    state[_picker_key("url")] = canonical
    period = options[key]
    span = (agreement.start, agreement.end)
    as_of = min(day, period.end)
    standing = agreement_standing(frame, day)
    note = None
    out_of_force = not standing.in_force and frame.id.iloc[standing.index] == agreement.id
    if out_of_force:
        note = (standing.note or "") + (" Sidan visar dess slutresultat." if day > span[1] else "")
    elif day < period.end:
        note = f"Perioden pågår: siffrorna gäller till och med {format_date(as_of)}."
    return PeriodChoice(agreement.id, agreement.title, span, period, as_of, note, tuple(notices), not out_of_force)


def no_agreement_notice(note: str) -> None:
    """That no agreement is in force, said plainly; an admin also gets the way to enter the next one."""
    st.info(plain(note), icon=":material/event_busy:")
    if current_user().role >= Role.ADMIN:
        st.page_link("pages/overenskommelser.py", label="Lägg in nästa överenskommelse", icon=":material/add:")
