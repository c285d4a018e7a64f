"""Presentation mode of Rådets möte for the meeting room's big screen
(`?mode=present&meeting=YYYY-MM-DD&slide=N[&auto=S]`).

Slide 1 is every commitment at a glance, slide 2 what needs attention, then one slide per commitment: its
headline chart beside its figures, readable from the back of the room (lines of 3 px and more, no text below
24 px). A presenter's clicker sends ←/→, PageUp/PageDown, Space, Home and End: each is a button's keyboard
shortcut (Streamlit's own `shortcut=`), the visible ◀/▶ buttons and hidden ones for the other keys.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.glance import SummaryRow, headings, summary_rows
from trygghet.figures.progress import STATUS_INFO, UNJUDGED_STATUSES
from trygghet.formatting import format_date, format_number, month_label
from trygghet.meetings.report import ATTENTION_SHOWN, MeetingReport, parse_whole_number
from trygghet.store.database import Comment
from trygghet.web import ui
from trygghet.web.glance import attention_items, summary_table

AUTO_RANGE = (5, 600)  # seconds between slides in auto-advance
FIXED_SLIDES = 2  # the summary and Att uppmärksamma, before one slide per commitment
TARGET_COLOUR = "#4D4D4D"
# The chart's share of the screen's height: 460 px at 1280×720 (with the title, the navigation and the marks,
# a slide still fits), 690 px on a room's 1920×1080 screen, where a chart of fixed size would look small.
CHART_SCREEN_SHARE = 64  # vh
SLIDE_FONT = 24  # px, the least size of any text on a slide

CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 1rem 2.5rem 0.5rem 2.5rem; max-width: 100%; }}
[data-testid="stApp"] {{ background: #FFFFFF; color: #0B1620; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] span, [data-testid="stMain"] pre,
[data-testid="stMain"] button p, [data-testid="stMain"] [data-testid="stMetricLabel"] * {{
  font-size: {SLIDE_FONT}px !important; line-height: 1.3; }}
[data-testid="stMain"] h1, [data-testid="stMain"] h1 span {{ font-size: 44px !important; padding: 0; }}
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * {{ font-size: 60px !important; line-height: 1.1;
                                                           font-weight: 700; }}
/* On a room's 1920×1080 screen the words grow with it (the chart keeps its size). */
@media (min-width: 1900px) and (min-height: 1000px) {{
  [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] span, [data-testid="stMain"] pre,
  [data-testid="stMain"] button p, .glance.large, .glance.large th {{ font-size: 32px !important; }}
  [data-testid="stMain"] h1, [data-testid="stMain"] h1 span {{ font-size: 56px !important; }}
  [data-testid="stMain"] [data-testid="stMetricValue"],
  [data-testid="stMain"] [data-testid="stMetricValue"] * {{ font-size: 80px !important; }}
}}
.st-key-slide-chart {{ flex: 0 0 {CHART_SCREEN_SHARE}vh !important; height: {CHART_SCREEN_SHARE}vh !important; }}
.st-key-slide-chart > [data-testid="stElementContainer"] {{ height: 100% !important; flex: 1 1 auto; }}
.st-key-slide-keys {{ display: none !important; }}
/* Streamlit names a button's shortcut in English ("Shortcut →") for screen readers: the hint stays out. */
[data-testid="stMain"] button kbd {{ display: none !important; }}
</style>
"""

# (key, label, what it does, the key a clicker sends). The first three are shown; the others are hidden.
PREVIOUS, NEXT, FIRST, LAST = "previous", "next", "first", "last"
KEYS = (
    ("slide-previous", "◀ Föregående", PREVIOUS, "Left"),
    ("slide-next", "Nästa ▶", NEXT, "Right"),
    ("slide-page-up", "Föregående bild", PREVIOUS, "PageUp"),
    ("slide-page-down", "Nästa bild", NEXT, "PageDown"),
    ("slide-space", "Nästa bild (mellanslag)", NEXT, "Space"),
    ("slide-home", "Första bilden", FIRST, "Home"),
    ("slide-end", "Sista bilden", LAST, "End"),
)


def target_slide(action: str, slide: int, count: int) -> int:
    """The slide a key leads to from `slide` of `count`; past either end it stays."""
    return {PREVIOUS: max(1, slide - 1), NEXT: min(count, slide + 1), FIRST: 1, LAST: count}[action]


def _quarter_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[str]]:
    """Every third month from the start: four or five labels of 24 px fit any slide's chart."""
    ticks, day = [], start.replace(day=1)
    while day <= end:
        ticks.append(day)
        month = day.month + 2
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
    years = {d.year for d in ticks}
    return ticks, [month_label(d.month, short=True) + (f" {d.year}" if len(years) > 1 else "") for d in ticks]


def slide_chart(fig: IndicatorFigure) -> go.Figure:
    """The figure so far against the target pro-rated over the period, drawn for the back of the room: two lines
    (5 and 4 px), told apart by dash and name as well as colour, and every label at 24 px."""
    chart = go.Figure()
    chart.add_scatter(
        x=[d for d, _ in fig.cumulative],
        y=[v for _, v in fig.cumulative],
        mode="lines",
        name="Utfall hittills",
        line={"color": fig.colour, "width": 5},
        hoverinfo="skip",
    )
    if fig.target_line:
        chart.add_scatter(
            x=[d for d, _ in fig.target_line],
            y=[v for _, v in fig.target_line],
            mode="lines",
            name="Mål fördelat över perioden",
            line={"color": TARGET_COLOUR, "width": 4, "dash": "dash"},
            hoverinfo="skip",
        )
    ticks, labels = _quarter_ticks(fig.period_start, fig.period_end)
    name = fig.title if fig.title.lower().endswith(fig.unit.lower()) else f"{fig.title}, {fig.unit}"  # the unit once
    font = {"family": "sans-serif", "size": SLIDE_FONT, "color": "#0B1620"}
    chart.update_layout(
        title={"text": name, "font": font, "x": 0, "xanchor": "left"},
        font=font,
        separators=", ",
        margin={"l": 10, "r": 20, "t": 50, "b": 10},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        showlegend=True,
        hovermode=False,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": font},
    )
    chart.update_xaxes(
        tickvals=ticks,
        ticktext=labels,
        tickfont=font,
        automargin=True,
        range=[fig.period_start, fig.period_end + dt.timedelta(days=1)],
    )
    chart.update_yaxes(tickfont=font, gridcolor="#D5DCE3", rangemode="tozero", tickformat=",~f", automargin=True)
    return chart


def _marks(demo: bool, example: bool) -> None:
    """On every slide: that the figures are invented and that the agreement is an example, where they are."""
    marks = []
    if example:
        marks.append("Exempel: överenskommelsen är påhittad.")
    if demo:
        marks.append("Demodata: påhittade aktiviteter, siffrorna gäller inte Timrå.")
    if marks:
        st.markdown(f":orange-badge[:material/warning: {' '.join(marks)}]")


def _summary_slide(report: MeetingReport, rows: list[SummaryRow], changed: int | None) -> None:
    st.title(f"{ui.plain(report.title)}, {format_date(report.meeting_date)}")
    st.markdown(
        f"{ui.plain(report.agreement_title)} · {report.period_text}"
        + (f" · sedan förra mötet den {format_date(report.previous_meeting)}" if report.previous_meeting else "")
    )
    if report.agreement_note:
        st.markdown(f"**{ui.plain(report.agreement_note)}**")
    if changed:
        st.warning(
            f"Siffrorna är låsta för mötet, och {changed} av dem har ändrats sedan. "
            "Mötessidan visar både de låsta och dagens siffror.",
            icon=":material/lock:",
        )
    summary_table(rows, large=True, links=False)


def _attention_slide(report: MeetingReport) -> None:
    st.title("Att uppmärksamma")
    if not report.attention:
        st.markdown("Inga mått ligger efter och inget har bytt status sedan förra mötet.")
    attention_items(report.attention[:ATTENTION_SHOWN])
    rest = len(report.attention) - ATTENTION_SHOWN
    if rest > 0:
        st.markdown(f"… och {rest} till på mötessidan.")


def _commitment_slide(row: SummaryRow, report: MeetingReport, comments: list[Comment]) -> None:
    commitment = next(c for c in report.commitments if c.id == row.commitment_id)
    st.title(f"{ui.plain(row.title)}")
    fig = row.figure
    chart, figures = st.columns([3, 2], gap="large")
    with chart:
        if fig.cumulative:
            with st.container(key="slide-chart"):  # its height follows the screen's (CSS above)
                st.plotly_chart(
                    slide_chart(fig),
                    config={"displayModeBar": False, "staticPlot": True},
                    theme=None,
                    height="stretch",
                    key=f"slide-chart-{row.commitment_id}",
                )
        else:
            st.markdown(ui.plain(f"{fig.title}: {fig.text(fig.actual)} (ett förhållandetal, utan kurva)."))
    with figures:
        # The chart's title names the figure; a label here would be cut in a column this narrow.
        st.metric(fig.title, fig.text(fig.actual), label_visibility="collapsed")
        if fig.target is not None:
            line = f"av {fig.target_figure}"
            if not fig.period_ended:
                line += f" · mål hittills {fig.text(fig.prorated)} · prognos {fig.text(fig.forecast)}"
            st.markdown(line)
            ui.status_badge(fig)
        if row.since_text:
            st.markdown(ui.plain(f"{headings([row])[1]}: {row.since_text}"))
        others = [
            f
            for f in commitment.indicators
            if f.id != fig.id and f.target is not None and f.status not in UNJUDGED_STATUSES
        ][:2]
        for other in others:
            st.markdown(
                f"{STATUS_INFO[other.status].icon} "
                + ui.plain(
                    f"{other.title}: {format_number(other.actual, other.decimals)} av {other.target_figure} "
                    f"({other.status_text})"
                )
            )
        for comment in (x for x in comments if x.commitment_id == row.commitment_id):
            st.text(f"Kommentar: {comment.text}")


def _navigation(slide: int, count: int, changed: int | None) -> None:
    """The visible buttons and, hidden, the other keys a clicker sends; every one a keyboard shortcut."""

    def go_to(action: str) -> None:
        st.query_params["slide"] = str(target_slide(action, slide, count))
        st.rerun()

    def disabled(action: str) -> bool:
        return target_slide(action, slide, count) == slide

    back, where, forward, leave = st.columns([1, 1, 1, 1], vertical_alignment="center")
    for column, (key, label, action, shortcut) in zip((back, forward), KEYS[:2], strict=True):
        if column.button(label, key=key, shortcut=shortcut, disabled=disabled(action), width="stretch"):
            go_to(action)
    where.markdown(f"Bild {slide} av {count}" + ("" if changed is None else " · låsta siffror"))
    if leave.button("Avsluta", width="stretch"):
        for key in ("mode", "slide", "auto"):
            st.query_params.pop(key, None)
        st.rerun()
    with st.container(key="slide-keys"):
        for key, label, action, shortcut in KEYS[2:]:
            if st.button(label, key=key, shortcut=shortcut, disabled=disabled(action)):
                go_to(action)


def present(
    report: MeetingReport,
    comments: list[Comment],
    notices: list[str],
    changed: int | None,
    *,
    demo: bool,
    example: bool,
) -> None:
    """The slides of a meeting. `changed` is None for live figures, else how many locked figures now differ."""
    st.html(CSS)
    rows = summary_rows((c.id, c.short_title, c.focus_title, c.indicators) for c in report.commitments)
    by_id = {r.commitment_id: r for r in rows}
    ordered = [by_id[c.id] for c in report.commitments if c.id in by_id]  # the agreement's order, as the page
    count = FIXED_SLIDES + len(ordered)
    slide, notice = parse_whole_number(st.query_params.get("slide"), 1, count, 1, "bilden")
    auto, auto_notice = parse_whole_number(st.query_params.get("auto"), *AUTO_RANGE, None, "automatisk bläddring")
    for text in [*notices, notice, auto_notice]:
        if text:
            st.info(ui.plain(text))
    st.query_params["slide"] = str(slide)

    if slide == 1:
        _summary_slide(report, rows, changed)
    elif slide == 2:
        _attention_slide(report)
    else:
        _commitment_slide(ordered[slide - FIXED_SLIDES - 1], report, comments)
    _marks(demo, example)
    _navigation(slide, count, changed)
    if auto:
        _auto_advance(slide, count, auto)


def _auto_advance(slide: int, count: int, seconds: int) -> None:
    @st.fragment(run_every=seconds)
    def tick():
        # The first run comes with the page; each later one moves on (from the last slide back to the first).
        if st.session_state.get("auto-slide") == slide:
            st.query_params["slide"] = str(slide % count + 1)
            st.rerun(scope="app")
        st.session_state["auto-slide"] = slide

    tick()
