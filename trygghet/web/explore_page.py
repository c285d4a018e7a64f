"""The one page builder behind every exploration page: filters in the URL, figures, charts, table, downloads.

A page file names its view (`render("fotpatrull")`); what differs between the pages is
declared in trygghet.exploration.model.VIEWS. The filters live in st.query_params, so a view can
be bookmarked and sent as a link: the widgets are seeded from the URL when it changes
(a new visit, a pasted link) and the URL is rewritten from the widgets on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TypeAlias

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trygghet.exploration.downloads import CSV_MIME, XLSX_MAX_ROWS, XLSX_MIME, to_csv, to_xlsx
from trygghet.exploration.figures import explore_sums, view_figures
from trygghet.exploration.model import (
    COUNT,
    EARLIEST,
    HOURS,
    LATEST,
    PRESET_LABELS,
    SLUG_TYPES,
    SPEEDING_PER_1000,
    VIEWS,
    FilterOptions,
    Filters,
    Preset,
    Selection,
    View,
    Window,
    activity_table,
    area_choices,
    area_groups,
    area_groups_text,
    bucket_label,
    buckets,
    figure_text,
    parse_query,
    per_bucket,
    ratio_per_bucket,
    resolve_period,
    selection,
    table_columns,
    to_query,
    weekday_hour_matrix,
)
from trygghet.figures.compute import default_agreement
from trygghet.figures.indicators import Indicator, builtin
from trygghet.formatting import format_number, upper_first
from trygghet.reference.activity_types import (
    ACTIVITY_TYPES,
    AUDIENCES,
    CONTROL_KINDS,
    ORGANISATIONS,
    TOPICS,
    TYPE_COLOURS,
)
from trygghet.reports import charts
from trygghet.web import ui

TABLE_LIMIT = 1_000  # rows shown on the page; the downloads hold every row
RISK_LABELS = {None: "Alla platser", True: "Endast identifierade riskplatser", False: "Inte riskplatser"}
# The choice's keys: a selectbox shows None as "nothing chosen" (an empty field), not as "Alla platser".
RISK_CHOICES = {"alla": None, "ja": True, "nej": False}
NEUTRAL = "#4D4D4D"


@dataclass(frozen=True)
class Reference:
    areas: pd.DataFrame
    meetings: tuple[dt.date, ...]
    agreement: tuple[str, dt.date, dt.date]
    last_data: dict[str, dt.date]  # the latest logged day per activity type, up to today
    first_data: dt.date | None  # the first logged day: before it "last year" has no data, not zero

    def latest(self, types: tuple[str, ...]) -> dt.date | None:
        return max((self.last_data[t] for t in types if t in self.last_data), default=None)

    @property
    def names(self) -> dict[str, str]:
        return dict(zip(self.areas.code, self.areas.name, strict=True))

    @property
    def choices(self) -> dict[str, str]:
        """The area filter's choices, groups ("centrala Timrå") first."""
        return area_choices(self.areas)


@ui.per_data_version(show_spinner=False, max_entries=8)
def _reference(today: dt.date) -> Reference:
    store = ui.store()
    with store.connect():
        areas = store.areas()
        meetings = tuple(store.meeting_dates())
        agreements = store.agreements().reset_index(drop=True)
        last_data = store.last_activity_dates(today)
        first_data = store.first_logged_day()
    row = agreements.loc[default_agreement(agreements, today)]
    return Reference(
        areas,
        meetings,
        (row.title, pd.Timestamp(row.valid_from).date(), pd.Timestamp(row.valid_to).date()),
        last_data,
        first_data,
    )


# --- filters ---------------------------------------------------------------------------------------


def _key(view: View, name: str) -> str:
    return f"explore:{view.slug}:{name}"


def _seed(view: View, filters: Filters, window: Window) -> None:
    state = st.session_state
    state[_key(view, "preset")] = filters.preset
    state[_key(view, "start")], state[_key(view, "end")] = window.start, window.end
    for name in ("areas", "organisations", "types", "control_kinds", "topics", "audiences"):
        state[_key(view, name)] = list(getattr(filters, name))
    state[_key(view, "risk_place")] = next(k for k, v in RISK_CHOICES.items() if v is filters.risk_place)


def filter_panel(view: View, ref: Reference, today: dt.date) -> tuple[Filters, list[str]]:
    """The view's filters in the sidebar, read from and written back to the URL; notices for what was unreadable."""
    state = st.session_state
    url = {key: st.query_params[key] for key in st.query_params}
    notices: list[str] = []
    if state.get(_key(view, "url")) != url or _key(view, "preset") not in state:
        filters, notices = parse_query(url, FilterOptions(view.options_params, tuple(ref.choices)))
        _seed(
            view, filters, resolve_period(filters, today, list(ref.meetings), ref.agreement, ref.latest(view.types))[0]
        )
    choices = ref.choices
    with ui.filter_sidebar():
        st.subheader("Urval")
        preset = st.selectbox("Period", list(Preset), format_func=PRESET_LABELS.__getitem__, key=_key(view, "preset"))
        start = end = None
        if preset == Preset.CUSTOM:
            if _key(view, "start") not in state:  # the date fields were hidden: start from this year
                state[_key(view, "start")], state[_key(view, "end")] = today.replace(month=1, day=1), today
            # One under the other: side by side the sidebar cut them to "2024 - 01 - 0".
            start = st.date_input(
                "Från och med", key=_key(view, "start"), format="YYYY-MM-DD", min_value=EARLIEST, max_value=LATEST
            )
            end = st.date_input(
                "Till och med", key=_key(view, "end"), format="YYYY-MM-DD", min_value=EARLIEST, max_value=LATEST
            )
            if end < start:
                notices.append("Till och med var före från och med, så datumen används i omvänd ordning.")
                start, end = end, start
        chosen: dict[str, list[str] | bool | None] = {
            "areas": st.multiselect(
                "Områden",
                list(choices),
                format_func=choices.__getitem__,
                key=_key(view, "areas"),
                help=area_groups_text(ref.areas) or None,
                placeholder="Alla områden",
            ),
            "organisations": st.multiselect(
                "Organisation",
                list(ORGANISATIONS),
                format_func=ORGANISATIONS.__getitem__,
                key=_key(view, "organisations"),
                placeholder="Alla organisationer",
            ),
        }
        if "typ" in view.params:
            chosen["types"] = st.multiselect(
                "Aktivitetstyp",
                list(SLUG_TYPES),
                format_func=lambda s: ACTIVITY_TYPES[SLUG_TYPES[s]].label,
                key=_key(view, "types"),
                placeholder="Alla typer",
            )
        if "riskplats" in view.params:
            chosen["risk_place"] = RISK_CHOICES[
                st.selectbox(
                    "Identifierad riskplats",
                    list(RISK_CHOICES),
                    format_func=lambda k: RISK_LABELS[RISK_CHOICES[k]],
                    key=_key(view, "risk_place"),
                )
            ]
        if "kontroll" in view.params:
            chosen["control_kinds"] = st.multiselect(
                "Typ av kontroll",
                list(CONTROL_KINDS),
                key=_key(view, "control_kinds"),
                format_func=str.capitalize,
                placeholder="Alla typer av kontroll",
            )
        if "amne" in view.params:
            chosen["topics"] = st.multiselect(
                "Ämne", list(TOPICS), format_func=str.capitalize, key=_key(view, "topics"), placeholder="Alla ämnen"
            )
        if "malgrupp" in view.params:
            chosen["audiences"] = st.multiselect(
                "Målgrupp",
                list(AUDIENCES),
                format_func=str.capitalize,
                key=_key(view, "audiences"),
                placeholder="Alla målgrupper",
            )
        st.caption("Urvalet står i adressfältet: spara sidan som bokmärke eller skicka länken för att dela vyn.")
    filters = Filters(
        preset=preset, start=start, end=end, **{k: tuple(v) if isinstance(v, list) else v for k, v in chosen.items()}
    )
    canonical = to_query(filters)
    if canonical != url:
        st.query_params.from_dict(canonical)
    state[_key(view, "url")] = canonical
    return filters, notices


# --- data --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageData:
    rows: int
    series: pd.DataFrame  # sums per bucket and activity type, this period
    last_series: pd.DataFrame  # the same, the comparison period a year back
    extra: dict[str, pd.DataFrame]
    table: pd.DataFrame  # the latest rows (TABLE_LIMIT): raw from load_page_data, as shown from page_data
    metrics: tuple[float | None, ...]  # the view's headline figures, this period
    last_metrics: tuple[float | None, ...]  # the same, the comparison period


EXTRA_GROUPS = {"area": ("area_code",), "topic": ("topic",), "audience": ("audience",)}


def load_page_data(store, slug: str, sel: Selection, last: Selection, grain: str) -> PageData:
    """Everything a view draws, read in one connection."""
    charts_wanted = VIEWS[slug].charts
    with store.connect():
        rows = store.explore_row_count(sel)
        extra = {
            chart: explore_sums(store, sel, group) for chart, group in EXTRA_GROUPS.items() if chart in charts_wanted
        }
        if "weekday_hour" in charts_wanted:
            extra["weekday_hour"] = store.explore_weekday_hours(sel)
        now, before = (view_figures(store, VIEWS[slug].metrics, s, grain) for s in (sel, last))
        return PageData(
            rows,
            now.sums,
            before.sums,
            extra,
            store.explore_activities(sel, TABLE_LIMIT, table_columns(sel.types)),
            now.metrics,
            before.metrics,
        )


@ui.per_data_version(shared=True, show_spinner="Hämtar aktiviteterna …", max_entries=128)
def page_data(slug: str, sel: Selection, last: Selection, grain: str, today: dt.date) -> PageData:
    """load_page_data with the table as it is shown, cached per data version and selection: a new import shows
    at the next rerun."""
    data = load_page_data(ui.store(), slug, sel, last, grain)
    table = activity_table(data.table, sel.types, _reference(today).names)
    text = [
        c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c]) and c not in ("Datum", "Till och med")
    ]
    table[text] = table[text].fillna("")  # an empty cell, not the word None
    return replace(data, table=table)


# --- drawing -----------------------------------------------------------------------------------------


def _metrics(metrics: tuple[Indicator, ...], data: PageData) -> None:
    columns = st.columns(min(4, len(metrics)))
    for n, metric in enumerate(metrics):
        value, before = data.metrics[n], data.last_metrics[n]
        with columns[n % len(columns)]:
            if metric.is_ratio:
                st.metric(
                    metric.title,
                    figure_text(value, metric.decimals),
                    help=f"Samma period i fjol: {figure_text(before, metric.decimals)}.",
                )
            else:
                assert value is not None and before is not None  # only a ratio over nothing is None
                change = value - before
                sign = "+" if change > 0 else "-" if change < 0 else "±"
                st.metric(
                    metric.title,
                    figure_text(value, metric.decimals),
                    delta_color="off",
                    delta=f"{sign}{figure_text(abs(change), metric.decimals)} mot samma period i fjol",
                )


# What the chart section draws, in order: a figure, or a sentence where a chart would have nothing in it.
Item: TypeAlias = "go.Figure | str"


def _axis(window: Window) -> tuple[str, list[dt.date], list[str]]:
    """The window's grain, its buckets and their Swedish labels (with years when it spans several)."""
    grain, axis = window.grain, buckets(window)
    return grain, axis, [bucket_label(b, grain, len({b.year for b in axis}) > 1) for b in axis]


# The charts per week or month with last year's line: chart name -> (measure, unit, decimals).
PERIOD_CHARTS = {"count": (COUNT, "aktiviteter", 1), "hours": (HOURS, "timmar", 1)}


def _period_chart(
    view: View, window: Window, sel: Selection, data: PageData, chart: str, ref: Reference
) -> Iterator[Item]:
    """Activities or hours per week or month (the window's grain), stacked by type in the type's colour,
    with the same period last year as a line; a sentence instead of a chart with nothing in it."""
    measure, unit, decimals = PERIOD_CHARTS[chart]
    grain, axis, labels = _axis(window)
    per = "vecka" if grain == "week" else "månad"
    present = set(data.series.activity_type)
    bars = [
        (
            ACTIVITY_TYPES[code].plural,
            TYPE_COLOURS[code],
            per_bucket(data.series[data.series.activity_type == code], grain, axis, measure),
        )
        for code in sel.types
        if code in present
    ]
    drawn = [bar for bar in bars if any(bar[2])]
    if not drawn:
        yield (
            f"Ingen av aktiviteterna i urvalet har en angiven varaktighet, så timmar per {per} kan inte visas."
            if measure == HOURS
            else f"Inga {unit} att visa per {per} för urvalet."
        )
        return
    last_year = per_bucket(data.last_series, grain, axis, measure, shift=True, logged_from=ref.first_data)
    what = {COUNT: upper_first(view.noun), HOURS: f"Timmar med {view.noun}"}[measure]
    yield charts.period_chart(
        f"{what} per {per}, {window.label}, och samma period i fjol", unit, labels, drawn, last_year, decimals
    )
    if measure == HOURS and len(drawn) < len(bars):
        without = ", ".join(name for name, _, values in bars if not any(values))
        yield f"Utan angiven varaktighet i urvalet, och därför inte med i timmarna: {without}."


def _area_chart(view: View, window: Window, sel: Selection, data: PageData, ref: Reference) -> Iterator[Item]:
    sums = data.extra["area"]
    sums = sums[sums.activity_count > 0]
    central = dict(zip(ref.areas.code, ref.areas.is_central, strict=True))
    rows = [
        (ref.names.get(code, code), bool(central.get(code)), value)
        for code, value in zip(sums.area_code, sums.activity_count, strict=True)
    ]
    if not rows:
        yield "Inga aktiviteter per område att visa för urvalet."
        return
    title = f"{upper_first(view.noun)} per område, {window.label}"
    yield charts.area_chart(title, "aktiviteter", rows, _colour(sel))


def _colour(sel: Selection) -> str:
    return TYPE_COLOURS[sel.types[0]] if len(sel.types) == 1 else NEUTRAL


def _weekday_hour(view: View, window: Window, sel: Selection, data: PageData) -> Iterator[Item]:
    matrix, without_time = weekday_hour_matrix(data.extra["weekday_hour"])
    if not any(any(row) for row in matrix):
        yield "Ingen av aktiviteterna i urvalet har en starttid, så veckodag och klockslag kan inte visas."
        return
    yield charts.weekday_hour_chart(
        f"{upper_first(view.noun)} per veckodag och starttimme, {window.label}", matrix, _colour(sel)
    )
    if without_time:
        yield (
            f"{figure_text(without_time, 1)} aktiviteter utan starttid (t.ex. sammanställningar) "
            "ingår inte i diagrammet."
        )


def _category(window: Window, sel: Selection, data: PageData, chart: str) -> Iterator[Item]:
    sums = data.extra[chart]
    sums = sums[sums.activity_count > 0]
    what = {"topic": "ämne", "audience": "målgrupp"}[chart]
    if sums.empty:
        yield f"Inga aktiviteter i urvalet har angett {what}."
        return
    column = {"topic": "topics", "audience": "audiences"}[chart]
    carriers = [code for code in sel.types if column in ACTIVITY_TYPES[code].columns]
    one = ACTIVITY_TYPES[carriers[0]] if len(carriers) == 1 else None  # e.g. only awareness work has audiences
    reached = next(f.label for f in one.fields if f.column == "participants").lower() if one else "deltagare"
    rows = list(zip(sums[chart], sums.activity_count, sums.participants, strict=True))
    title = f"{one.plural if one else 'Aktiviteter'} och {reached} per {what}, {window.label}"
    yield charts.category_chart(title, rows, TYPE_COLOURS[one.code] if one else NEUTRAL, "antal", reached)
    yield f"En aktivitet med flera {'ämnen' if chart == 'topic' else 'målgrupper'} räknas under var och en."


# One chart per unit: (title, unit of its axis, lines (name, ratio indicator)).
RATE_LINES = {
    "traffic_rates": (
        (
            "Misstänkt rattfylleri och drograttfylleri per 1 000 utandningsprov, per {grain}",
            "per 1 000 utandningsprov",
            (
                ("Misstänkt rattfylleri", builtin()["trafik_rattfylleri_per_1000"]),
                ("Misstänkt drograttfylleri", builtin()["trafik_drograttfylleri_per_1000"]),
            ),
        ),
        (
            "Hastighetsöverträdelser per 1 000 kontrollerade fordon, per {grain}",
            "per 1 000 kontrollerade fordon",
            (("Hastighetsöverträdelser", SPEEDING_PER_1000),),
        ),
    ),
    "illegal_share": (
        (
            "Andel kontrollerade fordon som var olagliga eller ombyggda, procent, per {grain}",
            "procent",
            (("Olagliga eller ombyggda fordon, % av kontrollerade", builtin()["atraktor_andel_olagliga"]),),
        ),
    ),
}


def _rates(window: Window, sel: Selection, data: PageData, chart: str) -> Iterator[Item]:
    grain, axis, labels = _axis(window)
    grain_word = "vecka" if grain == "week" else "månad"
    for title, unit, lines in RATE_LINES[chart]:
        values = [(name, ratio_per_bucket(data.series, grain, axis, rate)) for name, rate in lines]
        if all(v is None for _, series in values for v in series):
            yield (
                f"Inget underlag för {title.split(',')[0].lower()}: urvalet har inga kontrollerade fordon "
                "eller utandningsprov."
            )
            continue
        yield charts.rate_chart(f"{title.format(grain=grain_word)}, {window.label}", unit, labels, values, _colour(sel))


@ui.per_data_version(shared=True, show_spinner=False, max_entries=64)
def chart_items(slug: str, window: Window, sel: Selection, today: dt.date) -> tuple[Item, ...]:
    """The view's charts and sentences, built once per data version and selection and shared by every session
    (a plotly figure costs more to build than the rest of the page's run)."""
    view, ref = VIEWS[slug], _reference(today)
    data = page_data(slug, sel, sel.over(window.last_year()), window.grain, today)
    items: list[Item] = []
    for chart in view.charts:
        if chart in PERIOD_CHARTS:
            items += _period_chart(view, window, sel, data, chart, ref)
        elif chart == "area":
            items += _area_chart(view, window, sel, data, ref)
        elif chart == "weekday_hour":
            items += _weekday_hour(view, window, sel, data)
        elif chart in ("topic", "audience"):
            items += _category(window, sel, data, chart)
        elif chart in RATE_LINES:
            items += _rates(window, sel, data, chart)
    return tuple(item if isinstance(item, str) else ui.SharedFigure(item) for item in items)


def _table(data: PageData) -> None:
    st.subheader("Aktiviteterna bakom siffrorna")
    table = data.table
    shown = f"de {format_number(len(table))} senaste av " if data.rows > len(table) else ""
    st.caption(
        f"Tabellen visar {shown}{format_number(data.rows)} loggade rader. En sammanställning som bara delvis "
        "ligger i perioden visas hel med sitt antal och sina datum; i siffrorna ovan räknas bara den del som "
        "ligger i perioden. Klicka på en rubrik för att sortera."
    )
    config = {
        c: st.column_config.NumberColumn(c, format="localized")
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and c not in ("Id", "Importomgång")
    }
    config |= {c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in ("Datum", "Till och med")}
    ui.table(table, width="stretch", column_config=config)


def download_frame(store, sel: Selection, names: dict[str, str]) -> pd.DataFrame:
    """Every row of the selection as the table shows it: what both downloads hold."""
    return activity_table(store.explore_activities(sel, columns=table_columns(sel.types)), sel.types, names)


def _downloads(view: View, window: Window, sel: Selection, data: PageData, ref: Reference) -> None:
    store, names = ui.store(), ref.names
    stem = f"{view.slug}_{window.start.isoformat()}_{window.end.isoformat()}"
    left, right = st.columns(2)
    left.download_button(
        "Ladda ner CSV för Excel",
        data=lambda: to_csv(download_frame(store, sel, names)),
        file_name=f"{stem}.csv",
        mime=CSV_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=f"csv-{view.slug}",
    )
    too_many = data.rows > XLSX_MAX_ROWS
    right.download_button(
        "Ladda ner Excel (xlsx)",
        data=lambda: to_xlsx(download_frame(store, sel, names)),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=f"xlsx-{view.slug}",
        disabled=too_many,
    )
    st.caption(
        "Nedladdningarna innehåller alla rader i urvalet. CSV-filen har semikolon och decimalkomma som "
        "svenska Excel väntar sig." + (" Urvalet är för stort för ett Excelblad; välj CSV." if too_many else "")
    )


def _summary(view: View, filters: Filters, window: Window, ref: Reference) -> str:
    parts = [f"{window.name}: {window.label}"]
    if filters.areas:
        parts.append("områden: " + ", ".join(ref.choices[a] for a in filters.areas))
    if filters.organisations:
        parts.append("organisation: " + ", ".join(ORGANISATIONS[o] for o in filters.organisations))
    if filters.types:
        parts.append("typ: " + ", ".join(ACTIVITY_TYPES[SLUG_TYPES[t]].label for t in filters.types))
    if filters.risk_place is not None:
        parts.append(RISK_LABELS[filters.risk_place].lower())
    for name, word in (("control_kinds", "kontroll"), ("topics", "ämne"), ("audiences", "målgrupp")):
        if getattr(filters, name):
            parts.append(f"{word}: " + ", ".join(getattr(filters, name)))
    return " · ".join(parts)


def render(slug: str) -> None:
    """Draw the exploration page of one view, every read of the run on one connection."""
    with ui.reads():
        _render(VIEWS[slug])


def _render(view: View) -> None:
    ui.page_header(view.title, view.explanation)
    today = ui.today()
    ref = _reference(today)
    filters, notices = filter_panel(view, ref, today)
    window, note = resolve_period(filters, today, list(ref.meetings), ref.agreement, ref.latest(view.types))
    for notice in notices + ([note] if note else []):
        st.info(ui.plain(notice), icon=":material/info:")
    sel = selection(filters, window, view.types, area_groups(ref.areas))
    st.markdown(ui.plain(_summary(view, filters, window, ref)))
    data = page_data(view.slug, sel, sel.over(window.last_year()), window.grain, today)
    if data.rows == 0:
        st.info(
            f"Inga {view.noun} finns i loggen för urvalet ({window.label}). Välj en längre period i sidomenyn, "
            "fler områden eller organisationer, eller ta bort filter.",
            icon=":material/search_off:",
        )
        return
    _metrics(view.metrics, data)
    st.caption(
        "Samma period i fjol: samma datum ett år tidigare (samma veckodagar när perioden visas per vecka). "
        "En sammanställning över flera dagar räknas med den del som ligger i perioden."
    )
    for item in chart_items(view.slug, window, sel, today):
        if isinstance(item, str):
            st.caption(item)
        else:
            st.plotly_chart(item, config=charts.CONFIG)
    _table(data)
    _downloads(view, window, sel, data, ref)
