"""The public page's plain words: is each promise kept, on the way, or not on track?

Only aggregate figures per commitment reach the public: no comments, no free text and no
place finer than an area.
"""

from __future__ import annotations

from dataclasses import dataclass

from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.progress import UNJUDGED_STATUSES, Status


@dataclass(frozen=True)
class Verdict:
    word: str
    icon: str  # Material icon, shown beside the word (never colour alone)


KEPT = Verdict("Löftet hålls", ":material/check_circle:")
ON_THE_WAY = Verdict("På väg", ":material/trending_up:")
NOT_ON_TRACK = Verdict("Inte i fas", ":material/trending_down:")
FOLLOWED = Verdict("Följs upp", ":material/visibility:")
# An ended promise is told in the past tense, by its final result.
WAS_KEPT = Verdict("Löftet hölls", ":material/check_circle:")
PARTLY_KEPT = Verdict("Löftet hölls delvis", ":material/rule:")
NOT_KEPT = Verdict("Löftet hölls inte", ":material/cancel:")


def verdict(figures: list[IndicatorFigure]) -> Verdict:
    """For a period that is over: kept when every target was reached, not kept when none was, else partly.
    While it runs: kept when every target is reached; not on track when any target is behind; otherwise on
    the way (too early to judge and missing data are not poor performance). A figure without a target for
    the period (outside its season) is not counted either way."""
    judged = [f for f in figures if f.target is not None and f.status not in UNJUDGED_STATUSES]
    statuses = [f.status for f in judged]
    if not statuses:
        return FOLLOWED
    if all(f.period_ended for f in judged):
        reached = statuses.count(Status.ACHIEVED)
        return WAS_KEPT if reached == len(statuses) else NOT_KEPT if reached == 0 else PARTLY_KEPT
    if all(s == Status.ACHIEVED for s in statuses):
        return KEPT
    if any(s in (Status.BEHIND, Status.SLIGHTLY_BEHIND, Status.NOT_ACHIEVED) for s in statuses):
        return NOT_ON_TRACK
    return ON_THE_WAY


def plain_sentence(figures: list[IndicatorFigure]) -> str:
    """'Hittills i år: 60 fotpatruller i centrala Timrå (mål för året: 130).' for each counted figure;
    'Slutresultat 2024: …' once the year is over."""
    parts = []
    for fig in figures:
        if fig.is_ratio or fig.actual is None:
            continue
        target = f" (mål för året: {fig.target_number})" if fig.target else ""
        parts.append(f"{fig.phrased(fig.actual)}{target}")
    if not parts:
        return "Inga uppgifter ännu i år." if figures and not figures[0].period_ended else "Inga uppgifter."
    return f"{figures[0].so_far()}: " + "; ".join(parts) + "."
