"""Plotly figures shared by the pages and the written reports, in Swedish formats.

Plotly's own date axis speaks English, so month ticks are given as Swedish text,
and every hover text is formatted here rather than by plotly.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from trygghet.figures import IndicatorFigure
from trygghet.formatting import format_date, format_number, month_label

TARGET_COLOUR = "#4D4D4D"
LAST_YEAR_COLOUR = "#A6A6A6"
FONT = dict(family="sans-serif", size=14, color="#16202A")


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, font=dict(size=16)),
        separators=", ",
        font=FONT,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=-0.3, x=0),
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        height=340,
        hovermode="x unified",
    )
    fig.update_yaxes(title=y_title, gridcolor="#E3E8EE", rangemode="tozero", tickformat=",~f")
    return fig


def _month_ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[str]]:
    ticks, day = [], start.replace(day=1)
    while day <= end:
        ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(ticks) // 12)
    ticks = ticks[::step]
    years = {d.year for d in ticks}
    labels = [month_label(d.month, short=True) + (f" {d.year}" if len(years) > 1 else "") for d in ticks]
    return ticks, labels


def progress_chart(fig_data: IndicatorFigure) -> go.Figure:
    """Monthly bars and the cumulative actual against the pro-rated target over the period."""
    unit, decimals, colour = fig_data.unit, fig_data.decimals, fig_data.colour
    fig = go.Figure()
    months = [m for m, _ in fig_data.monthly]
    values = [v or 0 for _, v in fig_data.monthly]
    fig.add_bar(
        x=[m + dt.timedelta(days=14) for m in months], y=values, name=f"Per månad ({unit})",
        marker_color=colour, opacity=0.45,
        customdata=[f"{month_label(m.month)} {m.year}: {format_number(v, decimals)} {unit}" for m, v in zip(months, values)],
        hovertemplate="%{customdata}<extra></extra>",
    )
    if fig_data.cumulative:
        fig.add_scatter(
            x=[d for d, _ in fig_data.cumulative], y=[v for _, v in fig_data.cumulative], mode="lines",
            name="Utfall hittills (ackumulerat)", line=dict(color=colour, width=3),
            customdata=[f"{format_date(d)}: {format_number(v, decimals)} {unit}" for d, v in fig_data.cumulative],
            hovertemplate="%{customdata}<extra></extra>",
        )
    if fig_data.target_line:
        fig.add_scatter(
            x=[d for d, _ in fig_data.target_line], y=[v for _, v in fig_data.target_line], mode="lines",
            name="Mål fördelat över perioden", line=dict(color=TARGET_COLOUR, width=2, dash="dash"),
            customdata=[f"Mål till {format_date(d)}: {format_number(v, 1)}" for d, v in fig_data.target_line],
            hovertemplate="%{customdata}<extra></extra>",
        )
    ticks, labels = _month_ticks(fig_data.period_start, fig_data.period_end)
    fig.update_xaxes(tickvals=ticks, ticktext=labels,
                     range=[fig_data.period_start, fig_data.period_end + dt.timedelta(days=1)])
    return _layout(fig, f"{fig_data.title}, {fig_data.period_label}", unit)
