"""The written follow-up as plain blocks: one model that pdf.py and word.py both draw.

The builders turn the figures the pages show (a year's progress, a meeting's report) into
headings, text, tables and charts with every number already written the Swedish way, so the
PDF, the Word file and the screen cannot disagree. Charts are the pages' own plotly figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import plotly.graph_objects as go

from trygghet.figures.compute import IndicatorFigure, default_agreement, progress_for
from trygghet.figures.indicators import for_commitment, registry
from trygghet.figures.periods import as_date
from trygghet.figures.progress import STATUS_INFO, Thresholds
from trygghet.formatting import (
    MINUS,
    format_date,
    format_date_range,
    format_datetime,
    format_number,
    format_percent,
    lower_first,
)
from trygghet.meetings.report import RESPONSIBLE, MeetingReport, agreement_year, build_report
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.reports.charts import progress_chart
from trygghet.store.database import Comment, Store

PARTIES = "Polisen, lokalpolisområde Medelpad, och Timrå kommun"
RECIPIENTS = "Till kommunstyrelsen i Timrå kommun och Polismyndigheten"
DEMO_NOTICE = "Demodata: underlaget innehåller påhittade aktiviteter som visar hur programmet fungerar. Siffrorna gäller inte Timrå."


class ReportError(RuntimeError):
    """A report that cannot be made; the message is Swedish and says what to do."""


# --- the blocks a document is made of ---------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 the document's title, 1 a section or focus area, 2 a commitment, 3 a sub-heading


@dataclass(frozen=True)
class Text:
    text: str
    style: str = "body"  # body, lead, quote (the agreement's own words), note, warning


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    numeric: tuple[int, ...] = ()  # right-aligned columns
    groups: frozenset[int] = frozenset()  # rows that head a group: their first cell spans the table


@dataclass(frozen=True, eq=False)
class Chart:
    figure: go.Figure
    description: str  # alternative text, also printed under the image
    png: bytes | None = None


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Group:
    """Blocks kept on one page when they fit: a commitment's heading never parts from its figures and chart."""

    blocks: tuple[Block, ...]


Block = Heading | Text | Bullets | Table | Chart | PageBreak | Group


@dataclass(frozen=True)
class Document:
    title: str
    file_stem: str
    footer: str
    blocks: tuple[Block, ...]
    compact: bool = False  # the one-page handout: smaller type

    @property
    def charts(self) -> list[Chart]:
        return [b for b in _flat(self.blocks) if isinstance(b, Chart)]

    def with_images(self, pngs: list[bytes]) -> Document:
        """The same document with each chart's rendered image, in order."""
        images = iter(pngs)

        def fill(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
            return tuple(
                dataclasses.replace(b, png=next(images))
                if isinstance(b, Chart)
                else Group(fill(b.blocks))
                if isinstance(b, Group)
                else b
                for b in blocks
            )

        return dataclasses.replace(self, blocks=fill(self.blocks))


def _flat(blocks: tuple[Block, ...]) -> list[Block]:
    return [x for b in blocks for x in (_flat(b.blocks) if isinstance(b, Group) else [b])]


_GROUPED_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?![\d,])")  # '1 000', '12 345', not '2024 100'


def keep_numbers(text: str) -> str:
    """'per 1 000' with a no-break space between the digit groups, so a line never breaks inside a number."""
    return _GROUPED_NUMBER.sub(lambda m: m[0].replace(" ", "\u00a0"), text)


def _unbroken(document: Document) -> Document:
    """The document with keep_numbers applied to every text in it: indicator titles and units ('per 1 000
    prov') come from the registry with ordinary spaces."""
    k = keep_numbers

    def block(b: Block) -> Block:
        match b:
            case Group(blocks=kept):
                return Group(tuple(block(x) for x in kept))
            case Heading() | Text():
                return dataclasses.replace(b, text=k(b.text))
            case Bullets(items=items):
                return Bullets(tuple(k(i) for i in items))
            case Table(header=header, rows=rows):
                return dataclasses.replace(
                    b, header=tuple(map(k, header)), rows=tuple(tuple(map(k, row)) for row in rows)
                )
            case Chart(description=description):
                return dataclasses.replace(b, description=k(description))
        return b

    return dataclasses.replace(
        document, title=k(document.title), footer=k(document.footer), blocks=tuple(block(b) for b in document.blocks)
    )


# Words that keep their capital inside a sentence when a title starts with them.
# --- formatting shared by both documents ------------------------------------------------------


def status_text(fig: IndicatorFigure) -> str:
    """Symbol and word, never colour alone: '▼ efter'."""
    return f"{STATUS_INFO[fig.status].symbol} {fig.status_text}"


def measure(fig: IndicatorFigure) -> str:
    """'Fotpatruller i centrala Timrå (patruller)'; the unit only once when the title already ends with it."""
    return fig.title if fig.title.endswith(fig.unit) else f"{fig.title} ({fig.unit})"


def amount(fig: IndicatorFigure, value: float | None) -> str:
    return format_number(value, fig.decimals, empty="inget underlag" if fig.is_ratio else "–")


def target(fig: IndicatorFigure) -> str:
    return format_number(fig.target, fig.decimals)


def change(now: float | None, before: float | None) -> str:
    """'+17 %' against the year before; '–' when there is nothing to compare with."""
    if now is None or not before:
        return "–"
    share = now / before - 1
    text = format_percent(abs(share))
    return text if text.startswith("0\u00a0") else ("+" if share > 0 else MINUS) + text


# --- the annual report ------------------------------------------------------------------------


def annual(store: Store, year: int, today: dt.date, thresholds: Thresholds) -> Document:
    """Årlig uppföljning: the agreement's year as of its end (or today), with the year before beside it."""
    if today.year < year:
        raise ReportError(f"År {year} har inte börjat: det finns inget att följa upp än.")
    as_of = min(dt.date(year, 12, 31), today)
    agreements = _covering(store.agreements(), year)
    agreement = agreements.iloc[default_agreement(agreements, as_of)]
    span, period = agreement_year(agreement, as_of)
    if as_of < period.start:
        raise ReportError(
            f"Uppföljningen för {year} börjar {format_date(period.start)}: det finns inget att följa upp än."
        )
    commitments = list(store.commitments(agreement.id).itertuples())
    ids = list(dict.fromkeys(i.id for c in commitments for i in for_commitment(c.id)))  # the agreement's order
    figures = {
        p.indicator.id: IndicatorFigure.from_progress(p)
        for p in progress_for(store, ids, period, as_of, span, thresholds)
    }
    batches = store.report_batches(period.start, as_of)
    has_data = any(b.rows_in_period for b in batches)
    meeting_ids = [m.id for m in store.meeting_rows() if m.meeting_date.year == year]
    comments = store.comments(meeting_ids) if meeting_ids else []
    before = year - 1
    whole_year = as_of == period.end
    demo = store.has_demo_data()

    blocks: list[Block] = [
        Heading(f"Årlig uppföljning {year}", 0),
        Text(agreement.title, "lead"),
        Text(PARTIES),
        Text(RECIPIENTS),
        Text(
            f"Uppföljningsperiod: {format_date_range(period.start, period.end)}"
            + ("" if whole_year else f", siffror till och med {format_date(as_of)}")
        ),
        Text(f"Framtagen {format_date(today)} ur Trygghetsuppföljning Timrå.", "note"),
    ]
    if demo:
        blocks.append(Text(DEMO_NOTICE, "warning"))
    blocks += [
        PageBreak(),
        Heading("Sammanfattning", 1),
        Text(
            f"Varje löfte i {lower_first(agreement.title)} med de mått som följer upp det: utfall {period.label}, målet för "
            "året, andel av målet och status. Mått utan mål visas som sammanhang."
        ),
    ]
    if not has_data:
        blocks.append(
            Text(
                f"Inga aktiviteter är registrerade för {period.label}, så det finns inget utfall att "
                "redovisa. Tabellerna visar målen och att uppgifter saknas.",
                "warning",
            )
        )
    rows: list[tuple[str, ...]] = []
    groups: set[int] = set()
    for c in commitments:
        groups.add(len(rows))
        rows.append((c.short_title, "", "", "", ""))
        for i in for_commitment(c.id):
            fig = figures[i.id]
            rows.append(
                (measure(fig), amount(fig, fig.actual), target(fig), format_percent(fig.share), status_text(fig))
            )
    blocks.append(
        Table(
            ("Mått", f"Utfall {period.label}", "Mål", "Andel av mål", "Status"),
            tuple(rows),
            (7.0, 2.2, 2.0, 1.6, 3.4),
            numeric=(1, 2, 3),
            groups=frozenset(groups),
        )
    )
    if not whole_year:
        blocks.append(
            Text(
                f"Året är inte slut: målen gäller hela året, statusen jämför med målet fördelat "
                f"till och med {format_date(as_of)}.",
                "note",
            )
        )

    for focus, members in groupby(commitments, key=lambda c: c.focus_title):
        lead = [Heading(focus, 1)]  # kept with the area's first commitment
        for c in members:
            tracked = [figures[i.id] for i in for_commitment(c.id)]
            blocks += _commitment(c, tracked, comments, before, period.label, has_data, lead)
            lead = []

    blocks += [
        PageBreak(),
        Heading("Bilaga 1: Datakällor", 1),
        Text(
            f"Importerade filer med aktiviteter under {period.label}, i den ordning de lästes in. Ångrade "
            "importer räknas inte."
        ),
    ]
    if batches:
        blocks.append(
            Table(
                ("Nr", "Fil", "Inläst", "Avser", "Rader i filen", f"Rader {period.label}"),
                tuple(
                    (
                        str(b.id),
                        b.file_name,
                        format_datetime(b.imported_at),
                        format_date_range(b.first_day, b.last_day),
                        format_number(b.rows_added),
                        format_number(b.rows_in_period),
                    )
                    for b in batches
                ),
                (1.3, 4.6, 3.4, 4.0, 1.6, 1.6),
                numeric=(0, 4, 5),
            )
        )
    else:
        blocks.append(Text(f"Inga importerade aktiviteter avser {period.label}.", "note"))
    blocks += [
        Heading("Bilaga 2: Måttens definitioner", 1),
        Text("Så räknas varje mått. Ett mål som följer med programmet som exempel är inte beslutat av rådet."),
    ]
    blocks.append(
        Table(("Mått", "Definition"), tuple((figures[i].title, _definition(figures[i])) for i in ids), (5.0, 11.2))
    )
    return _unbroken(
        Document(
            title=f"Årlig uppföljning {year}",
            file_stem=f"arlig-uppfoljning-{year}",
            footer=f"Årlig uppföljning {year} · {agreement.title}" + (" · DEMODATA" if demo else ""),
            blocks=tuple(blocks),
        )
    )


def _covering(agreements: Any, year: int) -> Any:
    """The agreements in force some day of `year`; none is a ReportError naming the years there are."""
    covered = sorted(
        {y for a in agreements.itertuples() for y in range(as_date(a.valid_from).year, as_date(a.valid_to).year + 1)}
    )
    if year in covered:
        return agreements[
            [as_date(a.valid_from).year <= year <= as_date(a.valid_to).year for a in agreements.itertuples()]
        ]
    runs: list[list[int]] = []
    for y in covered:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    spans = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    years = " och ".join([", ".join(spans[:-1]), spans[-1]] if len(spans) > 1 else spans)
    raise ReportError(
        f"År {year} täcks inte av någon överenskommelse eller något medborgarlöfte. "
        + (
            f"Årlig uppföljning kan tas fram för {years}."
            if years
            else "Databasen har inga överenskommelser; kör: python -m trygghet init"
        )
    )


def _commitment(
    c: Any,
    tracked: list[IndicatorFigure],
    comments: list[Comment],
    before: int,
    label: str,
    has_data: bool,
    lead: list[Heading],
) -> list[Block]:
    kept: list[Block] = [
        *lead,
        Heading(c.short_title, 2),
        Text(f"Löftet: ”{c.text}”", "quote"),
        Text(f"Ansvar: {RESPONSIBLE[c.responsible]}", "note"),
        Table(
            ("Mått", f"Samma period {before}", label, "Ändring", "Mål", "Andel av mål", "Status"),
            tuple(
                (
                    measure(f),
                    amount(f, f.last_year),
                    amount(f, f.actual),
                    change(f.actual, f.last_year),
                    target(f),
                    format_percent(f.share),
                    status_text(f),
                )
                for f in tracked
            ),
            (5.2, 1.9, 1.7, 1.6, 1.6, 1.5, 2.9),
            numeric=(1, 2, 3, 4, 5),
        ),
    ]
    if has_data:
        main = next((f for f in tracked if f.target is not None), tracked[0])
        kept.append(
            Chart(
                progress_chart(main),
                (
                    f"Diagram: {lower_first(main.title)} per månad {label} och ackumulerat hittills"
                    + (" mot målet fördelat över året." if main.target is not None else ".")
                    + f" Utfall {main.text(main.actual)}"
                    + (f" av {main.text(main.target)}." if main.target is not None else ".")
                ),
            )
        )
    blocks: list[Block] = [Group(tuple(kept)), Heading("Rådets kommentarer", 3)]
    written = [x for x in comments if x.commitment_id == c.id]
    blocks += [Text(f"{format_date(x.meeting_date)}, {x.written_by}: {x.text}") for x in written] or [
        Text("Rådet skrev inga kommentarer om löftet under året.", "note")
    ]
    return blocks


def _definition(fig: IndicatorFigure) -> str:
    ind = registry()[fig.id]
    types = ", ".join(lower_first(ACTIVITY_TYPES[t].plural) for t in ind.activity_types)
    parts = [
        ind.description,
        f"Räknas som {ind.aggregation.label} ({ind.unit}) av {types}"
        + (f", {ind.filter_label}" if ind.filter_label else "")
        + ".",
    ]
    if fig.target_text:
        parts.append(f"Mål: {fig.target_text}" + (" (exempel, inte beslutat av rådet)." if fig.example_target else "."))
    else:
        parts.append("Inget mål: visas som sammanhang.")
    return " ".join(parts)


# --- the meeting handout ----------------------------------------------------------------------


def handout(store: Store, meeting_date: dt.date, today: dt.date, thresholds: Thresholds) -> Document:
    """One page for a meeting: the figures of the meeting view, the locked ones when the meeting is locked."""
    meeting = next((m for m in store.meeting_rows() if m.meeting_date == meeting_date), None)
    if meeting is None:
        raise ReportError(f"Det finns inget möte den {format_date(meeting_date)} i möteskalendern.")
    locked = store.snapshot(meeting.id)
    report = (
        MeetingReport.model_validate_json(locked.figures)
        if locked
        else build_report(store, meeting_date, meeting.title, today, thresholds)
    )
    demo = store.has_demo_data()
    since = (
        f"sedan förra mötet {format_date(report.previous_meeting)}"
        if report.previous_meeting
        else "inget tidigare möte"
    )
    blocks: list[Block] = [
        Heading(f"{report.title}, {format_date(report.meeting_date)}", 0),
        Text(f"{report.agreement_title} · {report.period_text} · {since}", "lead"),
        Text(
            f"Låsta siffror (låsta {format_datetime(locked.locked_at)} av {locked.locked_by})."
            if locked
            else f"Siffrorna är inte låsta: framtagna {format_date(today)} och kan ändras när nya uppgifter kommer in.",
            "note",
        ),
    ]
    if report.agreement_note:
        blocks.append(Text(report.agreement_note, "note"))
    if demo:
        blocks.append(Text(DEMO_NOTICE, "warning"))
    blocks.append(Heading("Att uppmärksamma", 3))
    blocks.append(
        Bullets(tuple(f"{STATUS_INFO[a.status].symbol} {a.text}" for a in report.attention))
        if report.attention
        else Text("Inga mått ligger efter och inget har bytt status sedan förra mötet.")
    )
    rows: list[tuple[str, ...]] = []
    groups: set[int] = set()
    for c in report.commitments:
        groups.add(len(rows))
        rows.append((c.short_title, "", "", "", "", ""))
        # One page: the measures with a target; the context measures are on the meeting page and in the report.
        rows += [
            (
                measure(f),
                amount(f, f.since_meeting) if report.previous_meeting else "–",
                amount(f, f.actual),
                target(f),
                format_percent(f.share),
                status_text(f),
            )
            for f in c.indicators
            if f.target is not None
        ]
    blocks += [
        Heading("Siffrorna per löfte", 3),
        Text(
            "Måtten med mål. Sammanhangsmåtten (utan mål) finns på mötessidan och i den årliga uppföljningen.", "note"
        ),
        Table(
            ("Mått", "Sedan förra mötet", "Utfall", "Årsmål", "Andel av mål", "Status"),
            tuple(rows),
            (7.6, 1.7, 1.6, 1.4, 1.4, 2.5),
            numeric=(1, 2, 3, 4),
            groups=frozenset(groups),
        ),
    ]
    return _unbroken(
        Document(
            title=f"Mötesunderlag {format_date(report.meeting_date)}",
            file_stem=f"motesunderlag-{report.meeting_date.isoformat()}",
            footer=f"Mötesunderlag · {report.title} {format_date(report.meeting_date)}"
            + (" · DEMODATA" if demo else ""),
            blocks=tuple(blocks),
            compact=True,
        )
    )
