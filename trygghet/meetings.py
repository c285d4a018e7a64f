"""The council meeting: what happened since the last meeting and where each promise stands.

`build_report` computes a `MeetingReport` from live data; a locked meeting keeps the
report shown at the table as JSON, and `differences` says what has changed in the live
figures since (a corrected file, an undone import). The sentence a chair reads aloud
and the "Att uppmärksamma" list are plain functions of the figures.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from indicators import for_commitment
from trygghet.figures import IndicatorFigure, default_agreement, progress_for
from trygghet.formatting import echo, format_date, format_percent
from trygghet.periods import Grain, period_containing, previous_meeting
from trygghet.progress import STATUS_INFO, Status, Thresholds
from trygghet.storage import Store

ATTENTION_STATUSES = (Status.BEHIND, Status.SLIGHTLY_BEHIND, Status.NOT_UPDATED)
ATTENTION_ORDER = {status: n for n, status in enumerate(ATTENTION_STATUSES)}   # behind first
RESPONSIBLE = {"polisen": "Polisen", "kommunen": "Timrå kommun", "bada": "Polisen och Timrå kommun"}


class CommitmentFigures(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    short_title: str
    text: str
    responsible: str
    focus_area: str
    focus_title: str
    sentence: str
    indicators: tuple[IndicatorFigure, ...]


class AttentionItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    indicator_id: str
    title: str
    status: Status
    previous_status: Status | None
    text: str


class MeetingReport(BaseModel):
    """Everything the meeting view shows, as plain data: computed live or read from a lock."""

    model_config = ConfigDict(frozen=True)

    meeting_date: dt.date
    title: str
    previous_meeting: dt.date | None
    as_of: dt.date
    agreement_title: str
    period_label: str
    commitments: tuple[CommitmentFigures, ...]
    attention: tuple[AttentionItem, ...]

    def figure(self, indicator_id: str) -> IndicatorFigure | None:
        return next((f for c in self.commitments for f in c.indicators if f.id == indicator_id), None)

    @property
    def focus_areas(self) -> list[tuple[str, list[CommitmentFigures]]]:
        """Commitments grouped by focus area, in the agreement's order."""
        groups: dict[str, list[CommitmentFigures]] = {}
        for commitment in self.commitments:
            groups.setdefault(commitment.focus_title, []).append(commitment)
        return list(groups.items())


def default_meeting(days: list[dt.date], today: dt.date) -> dt.date | None:
    """The next meeting (today's included), else the latest past one."""
    coming = [d for d in days if d >= today]
    return min(coming) if coming else max(days, default=None)


def _when(day: dt.date, as_of: dt.date) -> str:
    return format_date(day, with_year=day.year != as_of.year)


def sentence(figures: list[IndicatorFigure], previous: dt.date | None, as_of: dt.date) -> str:
    """One sentence per commitment for the chair to read aloud, e.g. 'Sedan förra mötet den 12 mars:
    14 patruller, 56 timmar. Hittills i år 62 % av årsmålet – i fas.'"""
    counted = [f for f in figures if not f.is_ratio][:3]
    if previous is None:
        first = "Inget tidigare möte att jämföra med."
    else:
        amounts = ", ".join(f.phrased(f.since_meeting) for f in counted) or "inga aktiviteter"
        first = f"Sedan förra mötet den {_when(previous, as_of)}: {amounts}."
    targeted = [f for f in figures if f.target is not None]
    if not targeted:
        return first if not counted else f"{first} Hittills i år: {counted[0].phrased(counted[0].actual)}."
    if len(targeted) == 1:
        return f"{first} Hittills i år {format_percent(targeted[0].share)} av årsmålet – {targeted[0].status_text}."
    # Every target is named, those behind first: one figure on track must not speak for one that lags.
    targeted.sort(key=lambda f: ATTENTION_ORDER.get(f.status, len(ATTENTION_ORDER)))
    shares = ", ".join(f"{f.phrase} {format_percent(f.share)} ({f.status_text})" for f in targeted)
    return f"{first} Hittills i år, andel av årsmålet: {shares}."


def attention(figures: list[IndicatorFigure], before: dict[str, Status]) -> list[AttentionItem]:
    """Indicators behind (or not updated), and those whose status changed since the previous meeting."""
    items = []
    for fig in figures:
        if fig.status == Status.NO_TARGET:
            continue
        earlier = before.get(fig.id)
        changed = earlier is not None and earlier != fig.status
        if fig.status in ATTENTION_STATUSES or changed:
            text = f"{fig.title}: {fig.status_text}"
            if changed:
                text += f" (vid förra mötet: {STATUS_INFO[earlier].label})"
            if fig.target is not None and fig.actual is not None:
                text += f". {fig.text(fig.actual)} av {fig.target_figure}, borde vara {fig.text(fig.prorated)} hittills"
            items.append(AttentionItem(indicator_id=fig.id, title=fig.title, status=fig.status,
                                       previous_status=earlier if changed else None, text=text + "."))
    # Behind first, then the rest in the order of the agreement.
    return sorted(items, key=lambda item: ATTENTION_ORDER.get(item.status, len(ATTENTION_ORDER)))


def agreement_year(agreement, day: dt.date):
    """The agreement's span and the calendar year of `day` cut to it (the 2019 agreement's 2019 starts in April).
    A day after the agreement has ended gives its last year, a day before it its first: never a year
    the agreement does not cover, whose empty figures would read as promises broken."""
    span = (agreement.valid_from.date(), agreement.valid_to.date())
    inside = min(max(day, span[0]), span[1])
    return span, period_containing(Grain.YEAR, inside).clip(*span)


def build_report(store: Store, meeting_date: dt.date, title: str, today: dt.date, thresholds: Thresholds) -> MeetingReport:
    """The live figures for a meeting: the window since the previous meeting and the year to the meeting
    day (or to today, for a meeting still to come), for every commitment of the agreement then valid."""
    as_of = min(meeting_date, today)
    meetings = [m["meeting_date"] for m in store.meeting_rows()]
    previous = previous_meeting(meetings, meeting_date)
    agreements = store.agreements()
    agreement = agreements.iloc[default_agreement(agreements, as_of)]
    commitments = store.commitments(agreement.id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})

    span, year = agreement_year(agreement, as_of)
    now = {p.indicator.id: IndicatorFigure.from_progress(p)
           for p in progress_for(store, ids, year, as_of, span, thresholds)}
    before: dict[str, Status] = {}
    if previous is not None:
        before_span, before_year = agreement_year(agreement, previous)
        before = {p.indicator.id: p.status for p in progress_for(store, ids, before_year, previous, before_span, thresholds)}

    rows = []
    for c in commitments.itertuples():
        figures = [now[i.id] for i in for_commitment(c.id)]
        rows.append(CommitmentFigures(
            id=c.id, short_title=c.short_title, text=c.text, responsible=RESPONSIBLE[c.responsible],
            focus_area=c.focus_area, focus_title=c.focus_title, sentence=sentence(figures, previous, as_of),
            indicators=tuple(figures)))
    unique = list({f.id: f for c in rows for f in c.indicators}.values())
    return MeetingReport(meeting_date=meeting_date, title=title, previous_meeting=previous, as_of=as_of,
                         agreement_title=agreement.title, period_label=year.label, commitments=tuple(rows),
                         attention=tuple(attention(unique, before)))


FIELDS = (("since_meeting", "sedan förra mötet"), ("actual", "hittills i år"), ("target", "mål"))


def differences(locked: MeetingReport, live: MeetingReport) -> list[tuple[str, str, str, str]]:
    """(indicator, which figure, as locked, as now) for every figure that reads differently today."""
    found = []
    seen = set()
    for commitment in locked.commitments:
        for fig in commitment.indicators:
            if fig.id in seen:
                continue
            seen.add(fig.id)
            current = live.figure(fig.id)
            for field, label in FIELDS:
                then = fig.text(getattr(fig, field))
                now = "saknas" if current is None else current.text(getattr(current, field))
                if then != now:
                    found.append((fig.title, label, then, now))
    return found


# --- view parameters in the URL: a wrong or stale value falls back with a notice -------------

def parse_choice(text: str | None, choices: dict, default, label: str):
    """The choice named by `text` (a URL parameter); otherwise the default and a Swedish notice."""
    if text is None or text in choices:
        return (default if text is None else choices[text]), None
    return default, f"Länken pekade på {label} ”{echo(text)}”, som inte finns. Visar standardvalet i stället."


def parse_whole_number(text: str | None, low: int, high: int, default, label: str):
    """A whole number in [low, high] from a URL parameter; otherwise the default and a Swedish notice."""
    if text is None:
        return default, None
    if text.strip().isdigit() and low <= int(text) <= high:
        return int(text), None
    return default, (f"Länken angav {label} ”{echo(text)}”, men det ska vara ett heltal från {low} till {high}. "
                     "Visar standardvalet i stället.")
