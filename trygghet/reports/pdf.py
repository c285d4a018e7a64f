"""The report model drawn as a PDF for the diarium (reportlab, A4 portrait).

Text is set in DejaVu Sans, embedded, because it has å, ä, ö and the status symbols (✔ → ▼);
every text from the model is escaped, since reportlab's paragraphs read a small markup.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from trygghet.reports import model
from trygghet.reports.model import Document, ReportError

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
MARGIN = 2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
INK, GREY, LINE, SHADE = (
    colors.HexColor("#16202A"),
    colors.HexColor("#4D5A66"),
    colors.HexColor("#C9D1D9"),
    colors.HexColor("#EEF2F5"),
)


@cache
def _fonts() -> None:
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]
    if missing:
        raise ReportError(
            f"Typsnittet DejaVu Sans saknas ({', '.join(missing)} i {FONT_DIR}). "
            "Installera Debians paket med: sudo apt-get install -y fonts-dejavu-core"
        )
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold")


def _styles(compact: bool) -> dict[str, ParagraphStyle]:
    size = 8 if compact else 10
    base = ParagraphStyle(
        "body", fontName="DejaVuSans", fontSize=size, leading=size * 1.3, textColor=INK, spaceAfter=size * 0.5
    )
    bold = dict(fontName="DejaVuSans-Bold", keepWithNext=1)
    return {
        "h0": ParagraphStyle(
            "h0",
            base,
            fontSize=15 if compact else 24,
            leading=19 if compact else 30,
            spaceAfter=6 if compact else 14,
            **bold,
        ),
        "h1": ParagraphStyle("h1", base, fontSize=16, leading=20, spaceBefore=14, spaceAfter=8, **bold),
        "h2": ParagraphStyle("h2", base, fontSize=13, leading=16, spaceBefore=12, spaceAfter=5, **bold),
        "h3": ParagraphStyle(
            "h3", base, fontSize=size + 1, leading=(size + 1) * 1.3, spaceBefore=size * 0.6, spaceAfter=3, **bold
        ),
        "body": base,
        "lead": ParagraphStyle("lead", base, fontSize=size + (1 if compact else 4), leading=(size + 4) * 1.3),
        "bullet": ParagraphStyle("bullet", base, spaceAfter=1),
        "quote": ParagraphStyle("quote", base, leftIndent=12, textColor=GREY),
        "note": ParagraphStyle("note", base, fontSize=size - 1, leading=(size - 1) * 1.3, textColor=GREY),
        "warning": ParagraphStyle(
            "warning",
            base,
            fontName="DejaVuSans-Bold",
            borderColor=INK,
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", base, fontSize=size - 1, leading=(size - 1) * 1.25, spaceAfter=0),
        "number": ParagraphStyle(
            "number", base, fontSize=size - 1, leading=(size - 1) * 1.25, spaceAfter=0, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", base, fontName="DejaVuSans-Bold", fontSize=size - 1, leading=(size - 1) * 1.25, spaceAfter=0
        ),
        "head-number": ParagraphStyle(
            "head-number",
            base,
            fontName="DejaVuSans-Bold",
            fontSize=size - 1,
            leading=(size - 1) * 1.25,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(block: model.Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    scale = TEXT_WIDTH / sum(block.widths)

    def row(cells: tuple[str, ...], head: bool) -> list[Paragraph]:
        return [
            _p(
                text,
                styles[
                    ("head" if head else "cell" if n not in block.numeric else "number")
                    + ("-number" if head and n in block.numeric else "")
                ],
            )
            for n, text in enumerate(cells)
        ]

    data = [row(block.header, True)]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for n, cells in enumerate(block.rows, start=1):
        if n - 1 in block.groups:
            data.append([_p(cells[0], styles["head"])] + [""] * (len(cells) - 1))
            commands += [("SPAN", (0, n), (-1, n)), ("BACKGROUND", (0, n), (-1, n), SHADE)]
        else:
            data.append(row(cells, False))
    table = PdfTable(data, colWidths=[w * scale for w in block.widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _chart(block: model.Chart, styles: dict[str, ParagraphStyle]) -> KeepTogether:
    assert block.png is not None  # a document is rendered with its charts' images (Document.with_images)
    width, height = ImageReader(BytesIO(block.png)).getSize()
    return KeepTogether(
        [
            Image(BytesIO(block.png), width=TEXT_WIDTH, height=TEXT_WIDTH * height / width),
            _p(block.description, styles["note"]),
        ]
    )


def _flowables(blocks: tuple[model.Block, ...], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        match block:
            case model.Group(blocks=kept):
                story.append(KeepTogether(_flowables(kept, styles)))
            case model.Heading(text=text, level=level):
                story.append(_p(text, styles[f"h{level}"]))
            case model.Text(text=text, style=style):
                story.append(_p(text, styles[style]))
            case model.Bullets(items=items):
                story.append(
                    ListFlowable(
                        [ListItem(_p(i, styles["bullet"]), leftIndent=12) for i in items],
                        bulletType="bullet",
                        start="•",
                        leftIndent=12,
                        bulletFontName="DejaVuSans",
                    )
                )
            case model.Table():
                story += [_table(block, styles), Spacer(1, 8)]
            case model.Chart():
                story.append(_chart(block, styles))
            case model.PageBreak():
                story.append(PageBreak())
    return story


def render(document: Document) -> bytes:
    """The document as PDF bytes; the footer names the document and the page on every page."""
    _fonts()
    styles = _styles(document.compact)
    out = BytesIO()

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("DejaVuSans", 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 1.1 * cm, document.footer)
        canvas.drawRightString(A4[0] - MARGIN, 1.1 * cm, f"Sida {doc.page}")
        canvas.restoreState()

    top = 1.2 * cm if document.compact else MARGIN
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top,
        bottomMargin=1.8 * cm,
        title=document.title,
        author="Trygghetsuppföljning Timrå",
        creator="Trygghetsuppföljning Timrå",
        lang="sv-SE",
    )
    pdf.build(_flowables(document.blocks, styles), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
