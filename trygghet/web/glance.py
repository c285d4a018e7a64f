"""Draws the view at a glance (trygghet.figures.glance) as one compact table: Översikt, Rådets möte and the first
slide of the presentation share it; and the indicator cards under each commitment of both pages. Every text is
escaped: commitment and indicator titles are data."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import streamlit as st

from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.glance import SummaryRow, headings
from trygghet.figures.progress import STATUS_INFO
from trygghet.formatting import format_date, format_number, format_percent
from trygghet.web.ui import card_target_caption, plain

# The summary's style, and the indicator cards' (trygghet.web.glance.indicator_cards): both pages with cards draw the
# summary above them, and one style element a page is less for the browser to apply than one a commitment. The
# cards look as Streamlit's bordered container, metric, progress bar, badge and captions did, in colours that
# reach WCAG AA on white; below 640 px they stack, as Streamlit's columns do.
CSS = """
<style>
.glance { border-collapse: collapse; width: 100%; font-size: 14px; line-height: 1.25; color: #16202A; }
.glance caption { text-align: left; font-weight: 600; padding: 0 0 4px 0; }
.glance th { text-align: left; font-weight: 600; font-size: 13px; color: #3D4752; border-bottom: 2px solid #C9D1DA;
             padding: 2px 8px; white-space: nowrap; }
.glance td { border-bottom: 1px solid #E3E8EE; padding: 3px 8px; vertical-align: middle; white-space: nowrap; }
.glance td:nth-child(2) { white-space: normal; width: 100%; }
.glance a { color: #0B4F8A; font-weight: 600; }
.glance .scope { color: #3D4752; font-size: 13px; }
.glance .verdict { white-space: nowrap; font-weight: 600; }
.glance .verdict span { display: inline-block; width: 1.2em; text-align: center; }
.glance .bar { display: inline-block; width: 70px; height: 10px; background: #E3E8EE; border-radius: 2px;
               vertical-align: middle; margin-right: 6px; position: relative; }
.glance .bar i { display: block; height: 100%; border-radius: 2px; }
.glance .pace { white-space: nowrap; }
.glance.large { font-size: 24px; line-height: 1.2; }
.glance.large caption { display: none; }
.glance.large th { font-size: 24px; white-space: normal; padding: 2px 6px; }
.glance.large td { padding: 3px 6px; }
.glance.large .bar { width: 100px; height: 16px; }
.cards { display: grid; gap: 16px; color: #16202A; line-height: 1.4; margin-bottom: 8px; }
.cards .card { border: 1px solid #D5DAE1; border-radius: 8px; padding: 16px; min-width: 0; }
.cards p { margin: 0; overflow-wrap: anywhere; }
.cards .label { font-size: 14px; }
.cards .value { font-size: 36px; line-height: 1.25; padding-bottom: 4px; }
.cards .delta { font-size: 14px; display: inline-block; border-radius: 999px; padding: 0 8px; margin-bottom: 8px; }
.cards .delta.up { color: #146C2E; background: #E6F4EA; }
.cards .delta.down { color: #A4161A; background: #FDECEA; }
.cards .delta.off { color: #3D4752; background: #EEF0F2; }
.cards .share { font-size: 14px; margin-top: 4px; }
.cards .bar { height: 8px; background: #EEF2F6; border-radius: 4px; margin: 4px 0 12px 0; }
.cards .bar i { display: block; height: 100%; border-radius: 4px; background: #005A9C; }
.cards .status { display: inline-block; font-size: 14px; font-weight: 600; border-radius: 6px; padding: 0 6px;
                 margin-bottom: 8px; }
.cards .status.green { color: #146C2E; background: #E6F4EA; }
.cards .status.red { color: #A4161A; background: #FDECEA; }
.cards .status.blue { color: #0B4F8A; background: #E7F0FA; }
.cards .status.orange { color: #7A4100; background: #FFF3E0; }
.cards .status.gray { color: #3D4752; background: #EEF0F2; }
.cards .note { font-size: 14px; color: #4A5561; margin-top: 4px; }
@media (max-width: 640px) { .cards { grid-template-columns: minmax(0, 1fr) !important; } }
</style>
"""


def summary_html(rows: list[SummaryRow], *, large: bool = False, links: bool = True) -> str:
    """The rows as an HTML table: verdict (symbol and word, never colour alone), the commitment (linking to its
    section), the headline figure, its pace against the pro-rated target as a small bar, and since last meeting."""
    body = []
    for row in rows:
        info = row.status
        title = escape(row.title)
        if links:
            title = f'<a href="#{escape(row.anchor)}" target="_self">{title}</a>'
        scope = f' <span class="scope">({escape(row.scope)})</span>' if row.scope and not large else ""
        share = row.pace
        bar = ""
        if share is not None:
            width = round(min(1.0, max(0.0, share)) * 100)
            bar = f'<span class="bar" aria-hidden="true"><i style="width:{width}%;background:{info.colour}"></i></span>'
        body.append(
            f'<tr><td class="verdict"><span style="color:{info.colour}" aria-hidden="true">{escape(info.symbol)}</span>'
            f"{escape(row.figure.status_word)}</td>"
            f'<td title="{escape(row.focus)}">{title}</td>'
            f"<td>{escape(row.headline)}{scope}</td>"
            f'<td class="pace">{bar}{escape(row.pace_text)}</td>'
            f"<td>{escape(row.since_text)}</td></tr>"
        )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in ("Status", "Löfte", "Utfall", *headings(rows)))
    return (
        f'{CSS}<table class="glance{" large" if large else ""}">'
        f"<caption>Alla löften i korthet, det som behöver uppmärksammas först</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def summary_table(rows: list[SummaryRow], *, large: bool = False, links: bool = True) -> None:
    if not rows:
        st.caption("Överenskommelsen har inga löften med mått ännu.")
        return
    st.html(summary_html(rows, large=large, links=links))


def _delta(fig: IndicatorFigure) -> str:
    """The change against the same period last year as a pill: an arrow and green or red for a targeted measure,
    grey for a context measure or no change (neither good nor bad news); nothing for a ratio."""
    if fig.actual is None or fig.last_year is None or fig.is_ratio:
        return ""
    change = format_number(fig.actual - fig.last_year, fig.decimals)
    sign, arrow, tone = ("+", "↑", "up") if fig.actual > fig.last_year else ("", "↓", "down")
    if fig.actual == fig.last_year:
        arrow = ""
    if fig.target is None or fig.actual == fig.last_year:
        tone = "off"
    shown = f'<span aria-hidden="true">{arrow}</span> ' if arrow else ""
    return f'<p class="delta {tone}">{shown}{escape(f"{sign}{change} mot samma period i fjol")}</p>'


def card_html(fig: IndicatorFigure) -> str:
    """One indicator as one block: the figure and its change against last year; against a target the share as
    text and bar, the verdict (symbol and word, never colour alone), the target, the pro-rated target and the
    forecast; and since the last meeting."""
    parts = [f'<p class="label">{escape(fig.title)}</p>', f'<p class="value">{escape(fig.text(fig.actual))}</p>']
    parts.append(_delta(fig))
    if fig.target is not None:
        info = STATUS_INFO[fig.status]
        width = round(min(1.0, max(0.0, fig.share or 0.0)) * 100)
        parts += [
            f'<p class="share">{escape(format_percent(fig.share))} av målet</p>',
            f'<div class="bar" aria-hidden="true"><i style="width:{width}%"></i></div>',
            f'<p class="status {info.badge}"><span aria-hidden="true">{escape(info.symbol)}</span> '
            f"{escape(fig.status_text)}</p>",
            f'<p class="note">{escape(card_target_caption(fig))}</p>',
        ]
    else:
        parts.append(
            f'<p class="note">Sammanhangsmått, inget mål. Samma period i fjol: {escape(fig.text(fig.last_year))}.</p>'
        )
    if fig.previous_meeting:
        parts.append(
            f'<p class="note">Sedan rådets möte {escape(format_date(fig.previous_meeting))}: '
            f"{escape(fig.text(fig.since_meeting))}.</p>"
        )
    return f'<div class="card" role="group" aria-label="{escape(fig.title)}">{"".join(parts)}</div>'


def indicator_cards(figures: Sequence[IndicatorFigure]) -> None:
    """A commitment's indicators side by side, at most three a row, as ONE element: a page's full load is
    mostly the messages Streamlit sends and lays out one by one, and a card of six elements made Rådets möte
    and Översikt take over twice a bare page's load (bench/browser.py)."""
    columns = min(3, len(figures))
    st.html(
        f'<div class="cards" style="grid-template-columns: repeat({columns}, minmax(0, 1fr))">'
        f"{''.join(card_html(f) for f in figures)}</div>"
    )


def attention_items(items) -> None:
    """Items of Att uppmärksamma (trygghet.meetings.report.attention), each with its status icon, as text."""
    for item in items:
        st.markdown(f"{STATUS_INFO[item.status].icon} {plain(item.text)}")
