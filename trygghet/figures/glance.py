"""The view at a glance: every commitment as one row, ordered by what needs attention.

Översikt and Rådets möte both open with it, so a chair sees what is behind without
scrolling. The rows are plain data built from the figures both pages already have
(`IndicatorFigure`); the pages only draw them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.progress import STATUS_INFO, UNJUDGED_STATUSES, Status, StatusInfo
from trygghet.formatting import format_date, format_number, format_percent

# What needs attention first: a missed or lagging target, then missing data, then work in progress (on track
# before too early to judge: it says more), then a target reached, and last what carries no judgement at all.
URGENCY = (
    Status.NOT_ACHIEVED,
    Status.BEHIND,
    Status.SLIGHTLY_BEHIND,
    Status.NOT_UPDATED,
    Status.ON_TRACK,
    Status.TOO_EARLY,
    Status.ACHIEVED,
    Status.NO_BASIS,
    Status.NO_PERIOD_TARGET,
    Status.NO_TARGET,
)


def section_anchor(commitment_id: str) -> str:
    """The id of a commitment's section on the page, which its summary row links to."""
    return f"lofte-{commitment_id}"


def pace(fig: IndicatorFigure) -> float | None:
    """The figure as a share of the target pro-rated to the day (1,0: exactly on pace); the full target once
    the period is over. None without a target, a figure or anything expected yet."""
    expected = fig.target if fig.period_ended else fig.prorated
    if fig.target is None or fig.actual is None or not expected:
        return None
    return fig.actual / expected


def urgency(fig: IndicatorFigure) -> tuple[int, float]:
    """Status first; within a status the one furthest behind its pace first."""
    share = pace(fig)
    return URGENCY.index(fig.status), share if share is not None else float("inf")


@dataclass(frozen=True)
class SummaryRow:
    """One commitment at a glance, told by its headline figure: the targeted indicator that needs attention
    most (one on track must not speak for one that lags), else its first indicator."""

    commitment_id: str
    title: str
    focus: str
    figure: IndicatorFigure
    judged: int  # the commitment's indicators with a target judged for the period

    @property
    def anchor(self) -> str:
        return section_anchor(self.commitment_id)

    @property
    def status(self) -> StatusInfo:
        return STATUS_INFO[self.figure.status]

    @property
    def headline(self) -> str:
        """'60 av 130 patruller', or the figure alone without a target."""
        fig = self.figure
        if fig.target is None or fig.actual is None:
            return fig.text(fig.actual)
        return f"{format_number(fig.actual, fig.decimals)} av {fig.target_figure}"

    @property
    def pace(self) -> float | None:
        return pace(self.figure)

    @property
    def pace_text(self) -> str:
        """'92 %' of the target so far (see `headings`), '' without a target."""
        return "" if self.pace is None else format_percent(self.pace)

    @property
    def since_text(self) -> str:
        """'+14 patruller' since the previous meeting (see `headings`), '' without one in the period."""
        fig = self.figure
        if fig.previous_meeting is None or fig.since_meeting is None:
            return ""
        return f"{'' if fig.is_ratio else '+'}{fig.text(fig.since_meeting)}"

    @property
    def scope(self) -> str:
        """Which of the commitment's measures the row shows when it has several: 'sämst av 3 mått'."""
        return f"sämst av {self.judged} mått" if self.judged > 1 else ""


def headings(rows: list[SummaryRow]) -> tuple[str, str]:
    """The headings of the pace and the since-meeting columns, which name what every row shares: 'Mot målet
    hittills' (or 'Mot målet' once the period is over) and 'Sedan förra mötet 9 april'."""
    figures = [r.figure for r in rows]
    ended = bool(figures) and all(f.period_ended for f in figures)
    previous = max((f.previous_meeting for f in figures if f.previous_meeting), default=None)
    as_of = max((f.as_of for f in figures if f.as_of), default=None)
    since = "Sedan förra mötet"
    if previous is not None:
        since += f" {format_date(previous, with_year=as_of is None or previous.year != as_of.year)}"
    return ("Mot målet" if ended else "Mot målet hittills"), since


def summary_rows(commitments: Iterable[tuple[str, str, str, Sequence[IndicatorFigure]]]) -> list[SummaryRow]:
    """One row per (id, short title, focus title, figures) commitment that has figures, those needing
    attention first; the agreement's order among equals."""
    rows = []
    for order, (commitment_id, title, focus, figures) in enumerate(commitments):
        if not figures:
            continue
        judged = [f for f in figures if f.target is not None and f.status not in UNJUDGED_STATUSES]
        headline = min(judged, key=urgency) if judged else figures[0]
        rows.append((urgency(headline), order, SummaryRow(commitment_id, title, focus, headline, len(judged))))
    return [row for *_, row in sorted(rows, key=lambda r: (r[0], r[1]))]
