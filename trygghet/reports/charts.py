"""Plotly figures shared by the pages and the written reports, in Swedish formats.

Plotly's own date axis speaks English, so month ticks are given as Swedish text,
and every hover text is formatted here rather than by plotly.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import plotly.graph_objects as go

from trygghet.figures.compute import IndicatorFigure
from trygghet.formatting import format_date, format_number, month_label, upper_first

TARGET_COLOUR = "#4D4D4D"
LAST_YEAR_COLOUR = "#A6A6A6"
FONT = dict(family="sans-serif", size=14, color="#16202A")
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _plain(value: Any) -> Any:
    """Text for plotly, which reads a subset of HTML in every label, hover and tick text (a link, a styled
    span): <, > and & from data become entities, which plotly shows as the characters themselves."""
    if isinstance(value, str):
        # The line breaks the chart functions put in titles and ticks stay line breaks.
        return html.escape(value, quote=False).replace("&lt;br&gt;", "<br>")
    if hasattr(value, "tolist"):  # numpy arrays
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def plain_labels(make: Callable[_P, go.Figure]) -> Callable[_P, go.Figure]:
    """Every text a chart shows (names of areas, indicators and agreements among them) as plain text: the
    chart functions are wrapped by this one seam rather than each escaping its own labels."""

    @functools.wraps(make)
    def made(*args: _P.args, **kwargs: _P.kwargs) -> go.Figure:
        fig = make(*args, **kwargs)
        for trace in fig.data:
            for prop in ("name", "text", "customdata", "x", "y"):
                if prop in trace and trace[prop] is not None:
                    trace[prop] = _plain(trace[prop])
            if trace.hovertemplate:
                trace.hovertemplate = _plain(trace.hovertemplate).replace(
                    "&lt;extra&gt;&lt;/extra&gt;", "<extra></extra>"
                )
        layout = fig.layout
        layout.title.text = _plain(layout.title.text)
        for axis in (layout.xaxis, layout.yaxis):
            axis.title.text = _plain(axis.title.text)
            for prop in ("ticktext", "categoryarray"):
                if axis[prop] is not None:
                    axis[prop] = _plain(axis[prop])
        return fig

    return made


TITLE_WIDTH = 42  # characters per title line: a title fits a phone's 390 px (plotly does not wrap text)
MAX_TICKS = 8  # labels on a time axis: "jan / 2024" side by side fit a phone, and 24 months never overlap


def wrap(title: str, width: int = TITLE_WIDTH) -> str:
    """The title in lines of at most `width` characters, broken after a comma where it can be ("1 januari
    2023–30 juni 2024" stays whole), else between words."""
    lines: list[str] = []
    for part in title.replace(", ", ",\n").split("\n"):
        if lines and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += " " + part
            continue
        lines.append("")
        for word in part.split(" "):
            if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return "<br>".join(lines)


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    wrapped = wrap(title)
    fig.update_layout(
        title=dict(text=wrapped, font=dict(size=16)),
        separators=", ",
        font=FONT,
        margin=dict(l=10, r=10, t=30 + 22 * (wrapped.count("<br>") + 1), b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.22, x=0),
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        height=340 + 22 * wrapped.count("<br>"),
        hovermode="x unified",
    )
    # Axes make room for their labels, on screen and in the printed reports alike.
    fig.update_yaxes(title=y_title, gridcolor="#E3E8EE", rangemode="tozero", tickformat=",~f", automargin=True)
    fig.update_xaxes(automargin=True, tickangle=0)
    return fig


def thinned(ticks: list[_T], labels: list[str]) -> tuple[list[_T], list[str]]:
    """At most MAX_TICKS evenly spaced ticks of a time axis, each label's year on a line of its own."""
    step = -(-len(ticks) // MAX_TICKS)
    return ticks[::step], [re.sub(r" (\d{4})$", r"<br>\1", label) for label in labels[::step]]


def _month_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[str]]:
    ticks, day = [], start.replace(day=1)
    while day <= end:
        ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    years = {d.year for d in ticks}
    return thinned(ticks, [month_label(d.month, short=True) + (f" {d.year}" if len(years) > 1 else "") for d in ticks])


def chart_title(title: str, unit: str, period: str) -> str:
    """'Fotpatruller i centrala Timrå, 2024': the unit is named unless the title already says it."""
    return f"{title}, {period}" if unit.lower() in title.lower() else f"{title}, {unit}, {period}"


@plain_labels
def progress_chart(fig_data: IndicatorFigure) -> go.Figure:
    """Monthly bars and the cumulative actual against the pro-rated target over the period."""
    unit, decimals, colour = fig_data.unit, fig_data.decimals, fig_data.colour
    fig = go.Figure()
    months = [m for m, _ in fig_data.monthly]
    values = [v or 0 for _, v in fig_data.monthly]
    fig.add_bar(
        x=[m + dt.timedelta(days=14) for m in months],
        y=values,
        name=f"Per månad ({unit})",
        marker_color=colour,
        opacity=0.45,
        customdata=[
            f"{month_label(m.month)} {m.year}: {format_number(v, decimals)} {unit}"
            for m, v in zip(months, values, strict=True)
        ],
        hovertemplate="%{customdata}<extra></extra>",
    )
    if fig_data.cumulative:
        fig.add_scatter(
            x=[d for d, _ in fig_data.cumulative],
            y=[v for _, v in fig_data.cumulative],
            mode="lines",
            name="Utfall hittills (ackumulerat)",
            line=dict(color=colour, width=3),
            customdata=[f"{format_date(d)}: {format_number(v, decimals)} {unit}" for d, v in fig_data.cumulative],
            hovertemplate="%{customdata}<extra></extra>",
        )
    if fig_data.target_line:
        fig.add_scatter(
            x=[d for d, _ in fig_data.target_line],
            y=[v for _, v in fig_data.target_line],
            mode="lines",
            name="Mål fördelat över perioden",
            line=dict(color=TARGET_COLOUR, width=2, dash="dash"),
            customdata=[
                f"Mål till {format_date(d)}: {format_number(v, decimals)} {unit}" for d, v in fig_data.target_line
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    ticks, labels = _month_ticks(fig_data.period_start, fig_data.period_end)
    fig.update_xaxes(
        tickvals=ticks, ticktext=labels, range=[fig_data.period_start, fig_data.period_end + dt.timedelta(days=1)]
    )
    return _layout(fig, chart_title(fig_data.title, unit, fig_data.period_label), unit)


# --- exploration pages ---------------------------------------------------------------------------

from trygghet.exploration.model import figure_text as _value_text  # noqa: E402  (kept with the functions that use it)
from trygghet.formatting import WEEKDAYS_SV  # noqa: E402

CONFIG = {"displayModeBar": False, "locale": "sv"}
LIGHT = 0.45  # opacity of bars that are not highlighted


@plain_labels
def period_chart(
    title: str,
    unit: str,
    labels: list[str],
    bars: list[tuple[str, str, list[float | None]]],
    last_year: list[float | None] | None,
    decimals: int = 0,
) -> go.Figure:
    """Bars per week or month (stacked by activity type, each in its colour) and last year as a dashed line,
    broken where last year has no data (None) rather than drawn at zero."""
    fig = go.Figure()
    for name, colour, values in bars:
        fig.add_bar(
            x=labels,
            y=values,
            name=name,
            marker_color=colour,
            customdata=[f"{x}: {_value_text(v, decimals)} {unit}" for x, v in zip(labels, values, strict=True)],
            hovertemplate=f"{name}, %{{customdata}}<extra></extra>",
        )
    if last_year is not None:
        fig.add_scatter(
            x=labels,
            y=last_year,
            name="Samma period i fjol",
            mode="lines+markers",
            connectgaps=False,
            line=dict(color=TARGET_COLOUR, width=2, dash="dash"),
            marker=dict(symbol="diamond", size=8),
            customdata=[
                f"{x} i fjol: {_value_text(v, decimals)}" + ("" if v is None else f" {unit}")
                for x, v in zip(labels, last_year, strict=True)
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    ticks, texts = thinned(labels, labels)
    fig.update_xaxes(type="category", tickvals=ticks, ticktext=texts)
    return _layout(fig, title, unit)


@plain_labels
def area_chart(
    title: str, unit: str, areas: list[tuple[str, bool, float]], colour: str, decimals: int = 0
) -> go.Figure:
    """Horizontal bars per area, largest first; central Timrå in full colour, hatched and named as such."""
    ordered = sorted(areas, key=lambda a: a[2])
    fig = go.Figure()
    for central, name in ((True, "Centrala Timrå"), (False, "Övriga områden")):
        rows = [a for a in ordered if a[1] == central]
        if not rows:
            continue
        texts = [_value_text(v, decimals) for _, _, v in rows]
        fig.add_bar(
            y=[f"{a} (centrala Timrå)" if central else a for a, _, _ in rows],
            x=[v for _, _, v in rows],
            orientation="h",
            name=name,
            marker_color=colour,
            opacity=1 if central else LIGHT,
            marker_pattern_shape="/" if central else "",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=[f"{a}: {t} {unit}" for (a, _, _), t in zip(rows, texts, strict=True)],
            hovertemplate="%{customdata}<extra></extra>",
        )
    fig = _layout(fig, title, "")
    fig.update_yaxes(
        title=None,
        categoryorder="array",
        categoryarray=[f"{a} (centrala Timrå)" if c else a for a, c, _ in ordered],
        rangemode=None,
        tickformat=None,
    )
    fig.update_xaxes(title=unit, rangemode="tozero", tickformat=",~f", gridcolor="#E3E8EE")
    fig.update_layout(hovermode="closest", height=max(260, 60 + 34 * len(areas)))
    return fig


@plain_labels
def weekday_hour_chart(title: str, matrix: list[list[float]], colour: str) -> go.Figure:
    """Activities per weekday and starting hour, with the number written in each cell (never colour alone)."""
    hours = [f"{h:02d}" for h in range(24)]
    days = [d.capitalize() for d in WEEKDAYS_SV]
    text = [[_value_text(v, 1) if v else "" for v in row] for row in matrix]
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=hours,
            y=days,
            colorscale=[[0, "#FFFFFF"], [1, colour]],
            showscale=False,
            xgap=1,
            ygap=1,
            text=text,
            texttemplate="%{text}",
            customdata=[
                [f"{d} kl. {h}: {_value_text(v, 1)} aktiviteter" for h, v in zip(hours, row, strict=True)]
                for d, row in zip(days, matrix, strict=True)
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig = _layout(fig, title, "")
    fig.update_yaxes(autorange="reversed", rangemode=None, tickformat=None, title=None)
    fig.update_xaxes(title="Starttimme", type="category")
    fig.update_layout(hovermode="closest", height=360)
    return fig


@plain_labels
def category_chart(
    title: str, rows: list[tuple[str, float, float]], colour: str, noun: str, participants: str = "deltagare"
) -> go.Figure:
    """Horizontal bars of activities per topic or audience, each labelled with its count and participants."""
    ordered = sorted(rows, key=lambda r: r[1])
    texts = [f"{upper_first(noun)}: {_value_text(n, 1)} · {participants}: {_value_text(p, 0)}" for _, n, p in ordered]
    fig = go.Figure(
        go.Bar(
            y=[upper_first(r[0]) for r in ordered],
            x=[r[1] for r in ordered],
            orientation="h",
            marker_color=colour,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            name=upper_first(noun),
            customdata=[f"{upper_first(r[0])}: {t}" for r, t in zip(ordered, texts, strict=True)],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig = _layout(fig, title, "")
    fig.update_yaxes(title=None, rangemode=None, tickformat=None)
    fig.update_xaxes(title=noun, rangemode="tozero", tickformat=",~f", gridcolor="#E3E8EE")
    fig.update_layout(
        hovermode="closest",
        showlegend=False,
        height=max(260, 60 + 40 * len(rows)),
        margin=dict(l=10, r=160, t=50, b=10),
    )
    return fig


LINE_STYLES = (("solid", "circle"), ("dash", "square"), ("dot", "triangle-up"))


@plain_labels
def rate_chart(
    title: str,
    unit: str,
    labels: list[str],
    lines: list[tuple[str, list[float | None]]],
    colour: str,
    decimals: int = 1,
) -> go.Figure:
    """Rates per week or month as lines told apart by dash and marker, with gaps where nothing was measured."""
    fig = go.Figure()
    for (name, values), (dash, symbol) in zip(lines, LINE_STYLES, strict=False):
        fig.add_scatter(
            x=labels,
            y=values,
            name=name,
            mode="lines+markers",
            connectgaps=False,
            line=dict(color=colour, width=2, dash=dash),
            marker=dict(symbol=symbol, size=8),
            customdata=[f"{x}: {_value_text(v, decimals)}" for x, v in zip(labels, values, strict=True)],
            hovertemplate=f"{name}, %{{customdata}}<extra></extra>",
        )
    ticks, texts = thinned(labels, labels)
    fig.update_xaxes(type="category", tickvals=ticks, ticktext=texts)
    fig = _layout(fig, title, unit)
    fig.update_layout(height=fig.layout.height + 60, margin=dict(b=40))
    return fig
