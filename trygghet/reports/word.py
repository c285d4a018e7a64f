"""The report model as a Word file (python-docx, A4) for officials to edit.

Word's own styles (Title, Heading 1–3, Quote, List Bullet, Caption) carry the structure, so
the file reads well in Word's navigation pane and to a screen reader; charts have alt text.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Row

from trygghet.reports import model
from trygghet.reports.model import Document

TEXT_WIDTH_CM = 17.0
GREY = RGBColor(0x4D, 0x5A, 0x66)


def _swedish(document: docx.document.Document) -> None:
    """Mark the text as Swedish, so spelling and hyphenation in Word and screen readers get it right."""
    for lang in document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), "sv-SE")
    document.core_properties.language = "sv-SE"


def _row_properties(row: _Row, header: bool) -> None:
    """A row never splits across pages; the header row repeats on every page the table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def _table(document: docx.document.Document, block: model.Table, size: Pt) -> None:
    table = document.add_table(rows=0, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = [Cm(TEXT_WIDTH_CM * w / sum(block.widths)) for w in block.widths]
    for n, cells in enumerate([block.header, *block.rows]):
        row = table.add_row()
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        group = n - 1 in block.groups
        _row_properties(row, header=n == 0)
        targets = [row.cells[0].merge(row.cells[-1])] if group else row.cells
        for column, (cell, text) in enumerate(zip(targets, cells, strict=False)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = size
            run.bold = n == 0 or group
            if column in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def render(document: Document) -> bytes:
    """The document as DOCX bytes, with the footer on every page."""
    out = docx.Document()
    _swedish(out)
    out.core_properties.title = document.title
    out.core_properties.author = "Trygghetsuppföljning Timrå"
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(1.5 if document.compact else 2.0)
    section.footer.paragraphs[0].text = document.footer

    _blocks(out, document.blocks, Pt(8 if document.compact else 9))
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _blocks(out: docx.document.Document, blocks: tuple[model.Block, ...], size: Pt) -> None:
    for block in blocks:
        match block:
            case model.Group(blocks=kept):
                _blocks(out, kept, size)
            case model.Heading(text=text, level=level):
                out.add_heading(text, level)
            case model.Text(text=text, style="quote"):
                out.add_paragraph(text, style="Quote")
            case model.Text(text=text, style=style):
                run = out.add_paragraph().add_run(text)
                run.bold = style == "warning"
                if style == "lead":
                    run.font.size = Pt(14)
                elif style == "note":
                    run.font.size, run.font.color.rgb = Pt(9), GREY
            case model.Bullets(items=items):
                for item in items:
                    out.add_paragraph(item, style="List Bullet")
            case model.Table():
                _table(out, block, size)
            case model.Chart(png=png, description=description):
                assert png is not None  # a document is rendered with its charts' images (Document.with_images)
                picture = out.add_picture(BytesIO(png), width=Cm(TEXT_WIDTH_CM))
                picture._inline.docPr.set("descr", description)
                out.add_paragraph(description, style="Caption")
            case model.PageBreak():
                out.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
