"""Progress rules: pro-rating, share, status and forecast as plain functions of plain data.

These rules decide what the council reads ("i fas", "efter"), so they take no
database and no Streamlit and are tested against values worked out by hand.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

DAY = dt.timedelta(days=1)


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"

    @property
    def label(self) -> str:
        return {
            "at_least": "Minst (målet är att nå upp till värdet)",
            "at_most": "Högst (målet är att inte överskrida värdet)",
        }[self.value]


class Status(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    ON_TRACK = "on_track"
    SLIGHTLY_BEHIND = "slightly_behind"
    BEHIND = "behind"
    TOO_EARLY = "too_early"
    NOT_UPDATED = "not_updated"
    NO_BASIS = "no_basis"
    NO_TARGET = "no_target"
    NO_PERIOD_TARGET = "no_period_target"


@dataclass(frozen=True)
class StatusInfo:
    label: str
    symbol: str  # plain text symbol for the command line and reports
    icon: str  # Material icon, bundled with Streamlit (emoji fonts may be missing on a meeting-room PC)
    badge: Literal["red", "orange", "yellow", "blue", "green", "violet", "gray"]  # st.badge colour
    colour: str  # Okabe–Ito, safe for colour-blind readers; never the only cue


STATUS_INFO = {
    Status.ACHIEVED: StatusInfo("uppnått", "✔", ":material/check_circle:", "green", "#009E73"),
    Status.NOT_ACHIEVED: StatusInfo("inte uppnått", "✘", ":material/cancel:", "red", "#D55E00"),
    Status.ON_TRACK: StatusInfo("i fas", "→", ":material/trending_up:", "blue", "#0072B2"),
    Status.SLIGHTLY_BEHIND: StatusInfo("något efter", "!", ":material/warning:", "orange", "#E69F00"),
    Status.BEHIND: StatusInfo("efter", "▼", ":material/trending_down:", "red", "#D55E00"),
    Status.TOO_EARLY: StatusInfo("för tidigt att bedöma", "…", ":material/hourglass_empty:", "gray", "#6B7785"),
    Status.NOT_UPDATED: StatusInfo("ej uppdaterad", "?", ":material/update:", "gray", "#6B7785"),
    Status.NO_BASIS: StatusInfo("inget underlag", "–", ":material/block:", "gray", "#6B7785"),
    Status.NO_TARGET: StatusInfo("inget mål", "·", ":material/info:", "gray", "#6B7785"),
    Status.NO_PERIOD_TARGET: StatusInfo("inget mål för perioden", "·", ":material/info:", "gray", "#6B7785"),
}

# Statuses that carry no judgement of the work: left out of "Att uppmärksamma" and of the public counts.
UNJUDGED_STATUSES = (Status.NO_TARGET, Status.NO_PERIOD_TARGET, Status.NO_BASIS)


@dataclass(frozen=True)
class Thresholds:
    on_track: float = 1.0
    slightly_behind: float = 0.85
    min_prorated: float = 3.0
    stale_days: int = 45


def _weight(day: dt.date, season: dict[int, float] | None) -> float:
    """A day's weight: 1, or its month's seasonal weight spread evenly over the month's days."""
    if season is None:
        return 1.0
    return season.get(day.month, 0.0) / calendar.monthrange(day.year, day.month)[1]


def _weight_between(start: dt.date, end: dt.date, season: dict[int, float] | None) -> float:
    """Total weight of the days in [start, end], summed month by month."""
    if end < start:
        return 0.0
    if season is None:
        return float((end - start).days + 1)
    total, day = 0.0, start
    while day <= end:
        month_end = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        piece_end = min(end, month_end)
        total += _weight(day, season) * ((piece_end - day).days + 1)
        day = piece_end + DAY
    return total


def elapsed_fraction(start: dt.date, end: dt.date, day: dt.date, season: dict[int, float] | None = None) -> float:
    """Share of the period [start, end] that has passed by the end of `day`: by days, or by season weight.

    A period with no seasonal weight at all (a winter quarter of a summer target) is pro-rated by days.
    """
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    whole = _weight_between(start, end, season)
    if whole == 0:
        return elapsed_fraction(start, end, day, None)
    return _weight_between(start, day, season) / whole


def share_of_target(actual: float | None, target: float | None) -> float | None:
    """Actual as a share of the full target; None without a target or a figure."""
    if actual is None or not target:
        return None
    return actual / target


def forecast_at_end(actual: float | None, elapsed: float) -> float | None:
    """The figure at period end if the run rate so far (per day or per seasonal weight) holds."""
    if actual is None or elapsed <= 0:
        return None
    return actual / elapsed


def is_stale(
    last_data: dt.date | None, as_of: dt.date, stale_days: int, previous_meeting: dt.date | None = None
) -> bool:
    """No data for the indicator's activity types for `stale_days`, or none since the previous meeting."""
    if last_data is None:
        return True
    if previous_meeting is not None and last_data < previous_meeting:
        return True
    return (as_of - last_data).days > stale_days


def assess(
    actual: float | None,
    target: float | None,
    direction: Direction,
    prorated: float | None,
    *,
    period_ended: bool,
    stale: bool,
    thresholds: Thresholds,
) -> Status:
    """The status the council sees, decided in this order:

    1. no target, or a target of zero for the period (outside a season): no verdict at all;
    2. no figure (a ratio with nothing to divide by): "inget underlag";
    3. a period that is over: only "uppnått" or "inte uppnått", never a word of work in progress;
    4. a target already reached (at least) or already exceeded (at most);
    5. too little expected so far to judge (small numbers, the start of a season): "för tidigt att bedöma";
    6. no data although work was expected since the last data (`stale`, decided by the caller): "ej uppdaterad";
    7. the figure against the pro-rated target: "i fas", "något efter", "efter".
    Missing data is not poor performance, and nothing is judged against a target that is not there."""
    if target is None:
        return Status.NO_TARGET
    if target == 0 and direction == Direction.AT_LEAST:
        return Status.NO_PERIOD_TARGET
    if actual is None:
        return Status.NO_BASIS
    reached = actual >= target if direction == Direction.AT_LEAST else actual <= target
    if period_ended:
        return Status.ACHIEVED if reached else Status.NOT_ACHIEVED
    if direction == Direction.AT_LEAST and reached:
        return Status.ACHIEVED
    if direction == Direction.AT_MOST and not reached:
        return Status.BEHIND
    prorated = target if prorated is None else prorated
    if prorated < thresholds.min_prorated:
        return Status.TOO_EARLY
    if stale:
        return Status.NOT_UPDATED
    if direction == Direction.AT_LEAST:
        ratio = actual / prorated if prorated else float("inf")
    else:
        ratio = prorated / actual if actual else float("inf")
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.slightly_behind:
        return Status.SLIGHTLY_BEHIND
    return Status.BEHIND
