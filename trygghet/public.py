"""The public page's plain words: is each promise kept, on the way, or not on track?

Only aggregate figures per commitment reach the public: no comments, no free text and no
place finer than an area.
"""

from __future__ import annotations

from dataclasses import dataclass

from trygghet.figures import IndicatorFigure
from trygghet.formatting import format_number
from trygghet.progress import Status


@dataclass(frozen=True)
class Verdict:
    word: str
    icon: str  # Material icon, shown beside the word (never colour alone)


KEPT = Verdict("Löftet hålls", ":material/check_circle:")
ON_THE_WAY = Verdict("På väg", ":material/trending_up:")
NOT_ON_TRACK = Verdict("Inte i fas", ":material/trending_down:")
FOLLOWED = Verdict("Följs upp", ":material/visibility:")


def verdict(figures: list[IndicatorFigure]) -> Verdict:
    """Kept when every target is reached; not on track when any target is behind; otherwise on the way
    (including too early to judge and missing data, which are not poor performance)."""
    statuses = [f.status for f in figures if f.target is not None]
    if not statuses:
        return FOLLOWED
    if all(s == Status.ACHIEVED for s in statuses):
        return KEPT
    if any(s in (Status.BEHIND, Status.SLIGHTLY_BEHIND) for s in statuses):
        return NOT_ON_TRACK
    return ON_THE_WAY


def plain_sentence(figures: list[IndicatorFigure]) -> str:
    """'Hittills i år: 60 fotpatruller i centrala Timrå (mål för året: 130).' for each counted figure."""
    parts = []
    for fig in figures:
        if fig.is_ratio or fig.actual is None:
            continue
        target = (f" (mål för året: {format_number(fig.target, 1 if fig.target % 1 else 0)})"
                  if fig.target is not None else "")
        parts.append(f"{fig.phrased(fig.actual)}{target}")
    return "Hittills i år: " + "; ".join(parts) + "." if parts else "Inga uppgifter ännu i år."
