"""The written follow-up: the annual report to kommunstyrelsen and the police authority, and the
one-page handout for a council meeting, as PDF (for the diarium) or Word (for officials to edit).

`model` builds one plain document from the same figures the pages show; `pdf` and `word` draw it;
`images` renders its charts with kaleido. Both entry points return (file name, bytes, MIME type),
ready for a download button or for writing to a file.
"""

from __future__ import annotations

import datetime as dt

from trygghet.reports import images, model, pdf, word
from trygghet.reports.model import Document, ReportError
from trygghet.settings import settings
from trygghet.store.database import Store

__all__ = ["FORMATS", "ReportError", "annual_report", "meeting_handout"]

FORMATS = {
    "pdf": ("application/pdf", pdf.render),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", word.render),
}


def _produce(document: Document, fmt: str) -> tuple[str, bytes, str]:
    if fmt not in FORMATS:
        raise ReportError(f"Formatet ”{fmt}” finns inte; välj pdf eller docx.")
    mime, render = FORMATS[fmt]
    document = document.with_images(images.render_png([c.figure for c in document.charts]))
    return f"{document.file_stem}.{fmt}", render(document), mime


def annual_report(store: Store, year: int, fmt: str, today: dt.date) -> tuple[str, bytes, str]:
    """Årlig uppföljning for the agreement year `year`, as of its end or `today` if earlier."""
    return _produce(model.annual(store, year, today, settings().thresholds), fmt)


def meeting_handout(store: Store, meeting_date: dt.date, fmt: str, today: dt.date) -> tuple[str, bytes, str]:
    """The one-page handout of the meeting on `meeting_date`: its locked figures, or the live ones."""
    return _produce(model.handout(store, meeting_date, today, settings().thresholds), fmt)
