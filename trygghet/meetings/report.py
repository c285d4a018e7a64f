"""The council meeting: what happened since the last meeting and where each promise stands.

`build_report` computes a `MeetingReport` from live data; a locked meeting keeps the
report shown at the table as JSON, and `differences` says what has changed in the live
figures since (a corrected file, an undone import). The sentence a chair reads aloud
and the "Att uppmärksamma" list are plain functions of the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from trygghet.figures.compute import IndicatorFigure, agreement_standing, progress_for
from trygghet.figures.glance import urgency
from trygghet.figures.indicators import for_commitment
from trygghet.figures.periods import AgreementSpan, Grain, Period, period_containing, previous_meeting
from trygghet.figures.progress import STATUS_INFO, UNJUDGED_STATUSES, Status, Thresholds
from trygghet.formatting import echo, format_date, format_percent
from trygghet.store.database import Store

ATTENTION_STATUSES = (Status.NOT_ACHIEVED, Status.BEHIND, Status.SLIGHTLY_BEHIND, Status.NOT_UPDATED)
ATTENTION_ORDER = {status: n for n, status in enumerate(ATTENTION_STATUSES)}  # behind first
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
    agreement_id: str | None = None  # None in snapshots locked before it was kept
    # Said plainly on the page and the handout when the agreement shown is not in force on the meeting day.
    agreement_note: str | None = None
    period_label: str
    commitments: tuple[CommitmentFigures, ...]
    attention: tuple[AttentionItem, ...]

    @property
    def _first_figure(self) -> IndicatorFigure | None:
        """Every figure of a report shares its period; the first one speaks for them all."""
        return next((f for c in self.commitments for f in c.indicators), None)

    @property
    def period_text(self) -> str:
        """'2026 till och med 8 december 2026', or 'slutresultat för 2024' once the year is over."""
        if self._first_figure is not None and self._first_figure.period_ended:
            return f"slutresultat för {self.period_label}"
        return f"{self.period_label} till och med {format_date(self.as_of)}"

    @property
    def year(self) -> int:
        """The calendar year the figures belong to."""
        return self._first_figure.period_start.year if self._first_figure is not None else self.as_of.year

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
    14 patruller, 56 timmar. Hittills i år 62 % av årsmålet – i fas.' Once the year is over it says
    'Slutresultat 2024', never 'i år'."""
    counted = [f for f in figures if not f.is_ratio][:3]
    if previous is None:
        first = "Inget tidigare möte att jämföra med."
    else:
        amounts = ", ".join(f.phrased(f.since_meeting) for f in counted) or "inga aktiviteter"
        first = f"Sedan förra mötet den {_when(previous, as_of)}: {amounts}."
    targeted = [f for f in figures if f.target is not None and f.status != Status.NO_PERIOD_TARGET]
    so_far = figures[0].so_far() if figures else "Hittills i år"
    if not targeted:
        return first if not counted else f"{first} {so_far}: {counted[0].phrased(counted[0].actual)}."
    if len(targeted) == 1:
        lead = f"{so_far}:" if targeted[0].period_ended else so_far
        return f"{first} {lead} {format_percent(targeted[0].share)} av årsmålet – {targeted[0].status_word}."
    # Every target is named, those behind first: one figure on track must not speak for one that lags.
    targeted.sort(key=lambda f: ATTENTION_ORDER.get(f.status, len(ATTENTION_ORDER)))
    shares = ", ".join(f"{f.phrase} {format_percent(f.share)} ({f.status_word})" for f in targeted)
    return f"{first} {so_far}, andel av årsmålet: {shares}."


LAGGING = (Status.NOT_ACHIEVED, Status.BEHIND, Status.SLIGHTLY_BEHIND)
# A change between two of these says something about the work; one from "inget mål" or "för tidigt att bedöma"
# only says that a target or enough days arrived.
VERDICTS = (
    Status.ACHIEVED,
    Status.NOT_ACHIEVED,
    Status.ON_TRACK,
    Status.SLIGHTLY_BEHIND,
    Status.BEHIND,
    Status.NOT_UPDATED,
)
ATTENTION_SHOWN = 5  # items shown at once; the rest behind "Visa alla"


def attention(figures: list[IndicatorFigure], before: dict[str, Status]) -> list[AttentionItem]:
    """What the council should look at, ranked: a missed or lagging target first (furthest behind first), then
    a status changed since the previous meeting (`before`: the statuses then, for the same period), then data
    not updated; each item with its one reason. Within the last two, the agreement's order."""
    ranked = []
    for order, fig in enumerate(figures):
        if fig.status in UNJUDGED_STATUSES:
            continue
        earlier = before.get(fig.id)
        changed = earlier if earlier in VERDICTS and fig.status in VERDICTS and earlier != fig.status else None
        if fig.status in LAGGING:
            where = f"{fig.text(fig.actual)} av {fig.target_figure}"
            if not fig.period_ended and fig.prorated is not None:
                where += f", borde vara {fig.text(fig.prorated)} hittills"
            group, reason = (0, *urgency(fig)), f"{fig.status_text} ({where})"
        elif changed is not None:
            group, reason = (1, 0, 0.0), f"{fig.status_word}, vid förra mötet {STATUS_INFO[changed].label}"
        elif fig.status == Status.NOT_UPDATED:
            group, reason = (2, 0, 0.0), fig.status_word
        else:
            continue
        ranked.append(
            (
                (group, order),
                AttentionItem(
                    indicator_id=fig.id,
                    title=fig.title,
                    status=fig.status,
                    previous_status=changed,
                    text=f"{fig.title}: {reason}.",
                ),
            )
        )
    return [item for _, item in sorted(ranked, key=lambda r: r[0])]


def agreement_year(agreement: Any, day: dt.date) -> tuple[AgreementSpan, Period]:
    """The agreement (a row of Store.agreements()) and the calendar year of `day` cut to its span (the 2019
    agreement's 2019 starts in April). A day after the agreement has ended gives its last year, a day before
    it its first: never a year the agreement does not cover, whose empty figures would read as promises broken."""
    span = AgreementSpan.of(agreement)
    inside = min(max(day, span.start), span.end)
    year = period_containing(Grain.YEAR, inside)
    return span, year.clip(*span.span) or year


def build_report(
    store: Store, meeting_date: dt.date, title: str, today: dt.date, thresholds: Thresholds
) -> MeetingReport:
    """The live figures for a meeting: the window since the previous meeting and the year to the meeting
    day (or to today, for a meeting still to come), for every commitment of the agreement then valid."""
    as_of = min(meeting_date, today)
    meetings = [m.meeting_date for m in store.meeting_rows()]
    previous = previous_meeting(meetings, meeting_date)
    agreements = store.agreements()
    standing = agreement_standing(agreements, as_of)
    agreement = agreements.iloc[standing.index]
    commitments = store.commitments(agreement.id)
    ids = sorted({i.id for c in commitments.id for i in for_commitment(c)})

    span, year = agreement_year(agreement, as_of)
    now = {
        p.indicator.id: IndicatorFigure.from_progress(p)
        for p in progress_for(store, ids, year, as_of, span, thresholds)
    }
    before: dict[str, Status] = {}
    # A status at the previous meeting compares only when it judged the same period: in February, December's
    # "uppnått" for last year is no news about this year.
    before_span, before_year = agreement_year(agreement, previous) if previous is not None else (None, None)
    if previous is not None and before_year == year:
        before = {
            p.indicator.id: p.status for p in progress_for(store, ids, before_year, previous, before_span, thresholds)
        }

    rows = []
    for c in commitments.itertuples():
        figures = [now[i.id] for i in for_commitment(c.id)]
        rows.append(
            CommitmentFigures(
                id=c.id,
                short_title=c.short_title,
                text=c.text,
                responsible=RESPONSIBLE[c.responsible],
                focus_area=c.focus_area,
                focus_title=c.focus_title,
                sentence=sentence(figures, previous, as_of),
                indicators=tuple(figures),
            )
        )
    unique = list({f.id: f for c in rows for f in c.indicators}.values())
    return MeetingReport(
        meeting_date=meeting_date,
        title=title,
        previous_meeting=previous,
        as_of=as_of,
        agreement_title=agreement.title,
        agreement_id=agreement.id,
        agreement_note=standing.note,
        period_label=year.label,
        commitments=tuple(rows),
        attention=tuple(attention(unique, before)),
    )


class FollowUpRecord(BaseModel):
    """Whether the promise to follow up was itself kept in a year: the council meetings held, at how many
    the figures were presented and locked for the minutes, and the year's written follow-up."""

    model_config = ConfigDict(frozen=True)

    year: int
    held: int
    presented: int
    written_on: dt.date | None = None
    diarienummer: str | None = None

    @property
    def meetings_text(self) -> str:
        """'Följs upp vid varje möte i rådet: 6 av 6 möten 2024.'"""
        if self.held == 0:
            return f"Inga möten i rådet är registrerade {self.year}."
        return f"Följs upp vid varje möte i rådet: {self.presented} av {self.held} möten {self.year}."

    def written_text(self, with_number: bool = True) -> str:
        """'Skriftlig uppföljning 2024: lämnad 12 februari 2025 (dnr KS 2025/17).' or that none is registered."""
        if self.written_on is None:
            return f"Skriftlig uppföljning {self.year}: inte registrerad ännu."
        number = f" (dnr {self.diarienummer})" if with_number and self.diarienummer else ""
        return f"Skriftlig uppföljning {self.year}: lämnad {format_date(self.written_on)}{number}."


def follow_up_record(store: Store, agreement_id: str, year: int, today: dt.date) -> FollowUpRecord:
    """The follow-up of `year` within the agreement's span, as it stands on `today`."""
    agreement = store.agreements().set_index("id").loc[agreement_id]
    span = (agreement.valid_from.date(), agreement.valid_to.date())
    first, last = max(span[0], dt.date(year, 1, 1)), min(span[1], dt.date(year, 12, 31), today)
    held = [m.id for m in store.meeting_rows() if first <= m.meeting_date <= last]
    locked = store.locked_meeting_ids()
    written = store.written_follow_up(agreement_id, year)
    return FollowUpRecord(
        year=year,
        held=len(held),
        presented=sum(1 for m in held if m in locked),
        written_on=written.produced_on if written else None,
        diarienummer=written.diarienummer if written else None,
    )


class FollowUpError(ValueError):
    """A written follow-up entry is wrong; the message is Swedish and names the field."""


def check_written_follow_up(year: int, produced_on: dt.date | None, diarienummer: str, today: dt.date) -> str:
    """The diarienummer to store, or a FollowUpError naming the field: a date not after today and not before
    the year it follows up, and a diarienummer of 1–40 characters."""
    number = diarienummer.strip()
    if produced_on is None:
        raise FollowUpError("Fältet ”Lämnad den” är tomt: ange datumet då uppföljningen lämnades.")
    if produced_on > today:
        raise FollowUpError(f"Fältet ”Lämnad den”: {format_date(produced_on)} har inte varit än.")
    if produced_on.year < year:
        raise FollowUpError(
            f"Fältet ”Lämnad den”: {format_date(produced_on)} ligger före året {year} som uppföljningen gäller."
        )
    if not number:
        raise FollowUpError("Fältet ”Diarienummer” är tomt.")
    if len(number) > 40:
        raise FollowUpError("Fältet ”Diarienummer” är längre än 40 tecken.")
    return number


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

_T = TypeVar("_T")


def parse_choice(text: str | None, choices: Mapping[str, _T], default: _T, label: str) -> tuple[_T, str | None]:
    """The choice named by `text` (a URL parameter); otherwise the default and a Swedish notice."""
    if text is None or text in choices:
        return (default if text is None else choices[text]), None
    return default, f"Länken pekade på {label} ”{echo(text)}”, som inte finns. Visar standardvalet i stället."


def parse_whole_number(text: str | None, low: int, high: int, default: _T, label: str) -> tuple[int | _T, str | None]:
    """A whole number in [low, high] from a URL parameter; otherwise the default and a Swedish notice."""
    if text is None:
        return default, None
    if text.strip().isdigit() and low <= int(text) <= high:
        return int(text), None
    return default, (
        f"Länken angav {label} ”{echo(text)}”, men det ska vara ett heltal från {low} till {high}. "
        "Visar standardvalet i stället."
    )
