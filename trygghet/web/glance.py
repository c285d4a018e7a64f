"""Draws the view at a glance (trygghet.figures.glance) as one compact table: Översikt, Rådets möte and the first
slide of the presentation share it. Every text is escaped: commitment titles are data."""

from __future__ import annotations

from html import escape

import streamlit as st

from trygghet.figures.glance import SummaryRow, headings
from trygghet.figures.progress import STATUS_INFO
from trygghet.web.ui import plain

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


def attention_items(items) -> None:
    """Items of Att uppmärksamma (trygghet.meetings.report.attention), each with its status icon, as text."""
    for item in items:
        st.markdown(f"{STATUS_INFO[item.status].icon} {plain(item.text)}")
