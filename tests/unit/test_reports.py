"""The written follow-up: the annual report and the meeting handout, as PDF and DOCX, on a hand-worked log.

The PDF is read back with Debian's pdftotext (poppler-utils), the DOCX with python-docx.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from io import BytesIO

import docx
import pytest

from tests.chromium import require_browser
from tests.factories import TESTER, activity, add_rows, kept_open
from trygghet import cli
from trygghet.auth import Role, User
from trygghet.bootstrap import prepare_store
from trygghet.formatting import lower_first
from trygghet.reports import ReportError, annual_report, meeting_handout
from trygghet.reports.model import annual, change
from trygghet.settings import settings

D = dt.date
TODAY = D(2025, 1, 15)
HOSTILE = "Bra jobbat <b>inte fet</b> & <font size=40>stor</font>"
PATROLS_2023 = [
    activity("foot_patrol", "2023-05-02", duration_min=120),
    activity("foot_patrol", "2023-09-14", duration_min=60, citizen_contacts=3),
]
PATROLS_2024 = [
    activity("foot_patrol", "2024-03-05", duration_min=120),
    activity("foot_patrol", "2024-04-09", duration_min=60),
    activity("foot_patrol", "2024-04-10", duration_min=90, citizen_contacts=4),
    activity("foot_patrol", "2024-05-20", area_code="vivsta", duration_min=150, citizen_contacts=6),
    activity("foot_patrol", "2024-06-11", duration_min=60, citizen_contacts=0),
    activity("foot_patrol", "2024-05-01", area_code="soraker", duration_min=60, citizen_contacts=5),  # not central
]
# Worked out by hand for 2024 as of 31 December (the agreement: medborgarlöfte 2023–2024):
#   patrols in central Timrå (Vivsta counts as central, Söråker not): 5 of the example target 130 = 3,8 % -> "4 %";
#   hours: (120 + 60 + 90 + 150 + 60) / 60 = 8,0 of 300,0 -> 2,7 % -> "3 %"; contacts in every area: 4 + 6 + 0 + 5 = 15.
#   2023: 2 patrols, 3,0 hours, 3 contacts, so +150 %, +167 % and +400 %.
#   The year is over, so each target is judged final: "✘ inte uppnått – 4 % av målet" and "… 3 % av målet"
#   (never "ej uppdaterad", however long ago the last patrol was).
MISSED_COUNT, MISSED_HOURS = "✘ inte uppnått – 4 % av målet", "✘ inte uppnått – 3 % av målet"
# The summary table as python-docx reads it, and the first line of each row as pdftotext -layout prints it
# (a long unit or status wraps within its cell).
SUMMARY_ROWS = [
    ("Fotpatruller i centrala Timrå (patruller)", "5", "130", "4 %", MISSED_COUNT),
    ("Fotpatrullering i centrala Timrå, timmar", "8,0", "300,0", "3 %", MISSED_HOURS),
    ("Medborgarkontakter vid fotpatrull (kontakter)", "15", "–", "–", "· inget mål"),
]
SUMMARY_LINES = [
    "Fotpatruller i centrala Timrå (patruller) 5 130 4 % ✘ inte uppnått – 4 %",
    "Fotpatrullering i centrala Timrå, timmar 8,0 300,0 3 % ✘ inte uppnått – 3 %",
    "Medborgarkontakter vid fotpatrull 15 – – · inget mål",
]
# The commitment's own table: the same period of 2023 beside 2024, and the change.
COMPARISON_LINES = [
    "Fotpatruller i centrala Timrå 2 5 +150 % 130 4 % ✘ inte uppnått –",
    "Fotpatrullering i centrala Timrå, 3,0 8,0 +167 % 300,0 3 % ✘ inte uppnått –",
    "Medborgarkontakter vid 3 15 +400 % – – · inget mål",
]
COMMITMENTS_2024 = [
    "Trygghetsskapande åtgärder",
    "Fotpatrullering i centrala Timrå",
    "Medvetenhet om våld i nära relation",
    "Kunskap hos medarbetare om våld i nära relation",
    "Insatser mot öppen droghandel",
    "Informationsträffar för vårdnadshavare",
    "Trafikkontroller vid riskplatser",
    "A-traktorer och buskörning",
]


def require_poppler() -> None:
    if shutil.which("pdftotext"):
        return
    message = "Debian's poppler-utils (pdftotext) is not installed (apt-get install poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true never skips report tests")
    pytest.skip(message)


def pdf_text(content: bytes, layout: bool = False) -> str:
    """The PDF's text as pdftotext reads it, with runs of white space (and non-breaking spaces) as one space."""
    require_poppler()
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()
    return re.sub(r"[ \u00a0]+", " ", text)


def pdf_pages(content: bytes) -> int:
    return pdf_text(content).count("\f")


def table_rows(document: docx.document.Document, first_header: str, second_header: str) -> list[tuple[str, ...]]:
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == [first_header, second_header])
    return [tuple(c.text.replace("\u00a0", " ") for c in row.cells) for row in table.rows[1:]]


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    store = prepare_store(tmp_path_factory.mktemp("reports") / "reports.duckdb")
    add_rows(store, PATROLS_2023, file_name="patruller-2023.csv")
    add_rows(store, PATROLS_2024, file_name="patruller-2024.csv")
    undone = add_rows(store, [activity("foot_patrol", "2024-08-01", duration_min=600)], file_name="fel-fil.csv")
    store.undo_batch(undone, TESTER)
    for day in (D(2023, 11, 14), D(2024, 4, 9), D(2024, 6, 11)):
        store.save_meeting(None, day, "Rådet för trygghet och hälsa", None, user=TESTER)
    meetings = {m.meeting_date: m.id for m in store.meeting_rows()}
    store.add_comment(
        meetings[D(2023, 11, 14)], "ml23-fotpatrull", "En kommentar från 2023", User("sekreterare", Role.EDITOR)
    )
    store.add_comment(meetings[D(2024, 6, 11)], "ml23-fotpatrull", HOSTILE, User("sekreterare", Role.EDITOR))
    with kept_open(store):
        yield store


@pytest.fixture(scope="module")
def annual_pdf(council):
    require_browser()
    return annual_report(council, 2024, "pdf", TODAY)


@pytest.fixture(scope="module")
def annual_docx(council):
    require_browser()
    return annual_report(council, 2024, "docx", TODAY)


def test_annual_pdf_holds_every_commitment_and_the_hand_worked_figures(annual_pdf):
    name, content, mime = annual_pdf
    assert (name, mime) == ("arlig-uppfoljning-2024.pdf", "application/pdf")
    text = pdf_text(content)
    for title in COMMITMENTS_2024:
        assert title in text
    assert "Medborgarlöfte 2023–2024" in text and "Framtagen 15 januari 2025" in text
    lines = pdf_text(content, layout=True).splitlines()
    for line in SUMMARY_LINES + COMPARISON_LINES:
        assert line in [x.strip() for x in lines]
    assert "ej uppdaterad" not in text


def test_annual_pdf_shows_this_years_comments_as_plain_text_and_its_data_sources(annual_pdf):
    lines = pdf_text(annual_pdf[1], layout=True)
    assert f"11 juni 2024, sekreterare: {HOSTILE}" in lines
    assert "En kommentar från 2023" not in lines
    assert re.search(r"\d+ patruller-2024\.csv .* 5 mars–11 juni 2024 6 6", lines)
    assert "patruller-2023.csv" not in lines and "fel-fil.csv" not in lines
    assert "Bilaga 2: Måttens definitioner" in lines
    assert "Timmar med fotpatrull i de områden som räknas till centrala Timrå." in lines


def test_annual_docx_holds_headings_summary_values_and_one_chart_per_commitment(annual_docx):
    name, content, mime = annual_docx
    assert name == "arlig-uppfoljning-2024.docx"
    assert mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    document = docx.Document(BytesIO(content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[:3] == [
        ("Title", "Årlig uppföljning 2024"),
        ("Heading 1", "Sammanfattning"),
        ("Heading 1", "Synlighet och trygghet"),
    ]
    assert [t for s, t in headings if s == "Heading 2"] == COMMITMENTS_2024
    assert ("Heading 1", "Bilaga 1: Datakällor") in headings
    rows = table_rows(document, "Mått", "Utfall 2024")
    for row in SUMMARY_ROWS:
        assert row in rows
    assert ("Fotpatrullering i centrala Timrå",) * 5 in rows  # the commitment heads its indicators
    assert len(document.inline_shapes) == len(COMMITMENTS_2024)
    assert (
        document.inline_shapes[1]
        ._inline.docPr.get("descr")
        .startswith("Diagram: fotpatruller i centrala Timrå per månad 2024")
    )
    assert any(p.text == f"11 juni 2024, sekreterare: {HOSTILE}" for p in document.paragraphs)


def test_a_year_without_data_says_so(council):
    name, content, _ = annual_report(council, 2022, "pdf", TODAY)  # no charts, so no browser needed
    text = pdf_text(content)
    assert "Samverkansöverenskommelse 2019–2023" in text
    assert "Inga aktiviteter är registrerade för 2022" in text
    assert "Inga importerade aktiviteter avser 2022." in text
    document = docx.Document(BytesIO(annual_report(council, 2022, "docx", TODAY)[1]))
    assert len(document.inline_shapes) == 0
    assert any(p.text.startswith("Inga aktiviteter är registrerade för 2022") for p in document.paragraphs)


def test_a_year_not_yet_begun_is_refused_with_a_message(council):
    with pytest.raises(ReportError, match="År 2026 har inte börjat"):
        annual_report(council, 2026, "pdf", TODAY)


@pytest.mark.parametrize("year,today", [(2018, TODAY), (2025, TODAY), (2027, D(2028, 2, 1))])
def test_a_year_no_agreement_covers_is_refused_naming_the_years_covered(council, year, today):
    # The agreements run 1 April 2019 – 31 March 2023 and 2023–2024: nothing before 2019 or after 2024.
    with pytest.raises(ReportError) as refused:
        annual_report(council, year, "pdf", today)
    message = str(refused.value)
    assert f"{year} täcks inte av någon överenskommelse" in message
    assert "2019–2024" in message


def _annual_texts(store, year: int) -> list[str]:
    """Every text of the annual report's model: headings, paragraphs, table cells, chart captions."""
    document = annual(store, year, TODAY, settings().thresholds)

    def texts(blocks) -> list[str]:
        out = []
        for block in blocks:
            if hasattr(block, "blocks"):
                out += texts(block.blocks)
            elif hasattr(block, "rows"):
                out += [*block.header, *(cell for row in block.rows for cell in row)]
            elif hasattr(block, "items"):
                out += list(block.items)
            else:
                out += [getattr(block, "text", "") or getattr(block, "description", "")]
        return out

    return [document.footer, *texts(document.blocks)]


@pytest.mark.parametrize(
    "title,expected",
    [
        ("Fotpatruller i centrala Timrå", "fotpatruller i centrala Timrå"),
        ("Insatser mot olagliga A-traktorer och buskörning", "insatser mot olagliga A-traktorer och buskörning"),
        ("A-traktorkontroller och insatser mot buskörning", "A-traktorkontroller och insatser mot buskörning"),
        ("EU-medel", "EU-medel"),
        ("IT-stöd", "IT-stöd"),
        ("SMS", "SMS"),
        ("Timrå kommun", "Timrå kommun"),
        ("Medborgarlöfte 2023–2024", "medborgarlöfte 2023–2024"),
        ("", ""),
    ],
)
def test_lower_first_keeps_proper_nouns_and_abbreviations(title, expected):
    assert lower_first(title) == expected


def test_chart_captions_and_definitions_keep_proper_nouns(council):
    texts = _annual_texts(council, 2024)
    captions = [t for t in texts if t.startswith("Diagram: ")]
    assert any(t.startswith("Diagram: fotpatruller i centrala Timrå per månad 2024") for t in captions)
    assert not any("timrå" in t or "a-traktor" in t for t in texts)
    assert any("av A-traktorkontroller och insatser mot buskörning" in t for t in texts)  # Bilaga 2


def test_per_1_000_never_breaks_between_its_digits(council):
    texts = _annual_texts(council, 2022)
    assert any("per 1\u00a0000 utandningsprov" in t for t in texts)
    assert not [t for t in texts if re.search(r"\d \d{3}(?!\d)", t)]  # every digit group held by a no-break space
    text = pdf_text(annual_report(council, 2022, "pdf", TODAY)[1])
    assert "per 1 000 utandningsprov" in text
    assert not re.search(r"\b1\n000\b", text)


def test_the_handout_is_one_page_with_the_meeting_views_figures(council):
    name, content, _ = meeting_handout(council, D(2024, 6, 11), "pdf", TODAY)
    assert name == "motesunderlag-2024-06-11.pdf"
    assert pdf_pages(content) == 1
    lines = pdf_text(content, layout=True)
    # As tests/test_meetings.py: since 9 April 3 central patrols, 5,0 hours, 15 contacts; 5 this year, behind.
    assert "Rådet för trygghet och hälsa, 11 juni 2024" in lines
    assert "Fotpatruller i centrala Timrå (patruller) 3 5 130 4 % ▼ efter" in lines
    assert "Fotpatrullering i centrala Timrå, timmar 5,0 8,0 300,0 3 % ▼ efter" in lines
    assert "Medborgarkontakter vid fotpatrull" not in lines  # a context measure: on the meeting page, not here
    assert "Siffrorna är inte låsta" in lines
    rows = table_rows(
        docx.Document(BytesIO(meeting_handout(council, D(2024, 6, 11), "docx", TODAY)[1])), "Mått", "Sedan förra mötet"
    )
    assert ("Fotpatruller i centrala Timrå (patruller)", "3", "5", "130", "4 %", "▼ efter") in rows


@pytest.mark.slow
def test_a_locked_meeting_hands_out_its_locked_figures(tmp_store):
    from trygghet.meetings.report import build_report
    from trygghet.settings import settings

    add_rows(tmp_store, PATROLS_2024)
    tmp_store.save_meeting(None, D(2024, 4, 9), "Rådet", None, user=TESTER)
    meeting = tmp_store.save_meeting(None, D(2024, 6, 11), "Rådet", None, user=TESTER)
    report = build_report(tmp_store, D(2024, 6, 11), "Rådet", D(2024, 6, 11), settings().thresholds)
    tmp_store.lock_meeting(meeting, report.model_dump_json(), User("ordförande", Role.ADMIN))
    add_rows(tmp_store, [activity("foot_patrol", "2024-06-01", duration_min=30)], file_name="rättelse.csv")
    lines = pdf_text(meeting_handout(tmp_store, D(2024, 6, 11), "pdf", TODAY)[1], layout=True)
    assert "Fotpatruller i centrala Timrå (patruller) 3 5 130" in lines  # live it is now 4 and 6
    assert "Låsta siffror (låsta " in lines and " av ordförande)" in lines


def test_a_meeting_not_in_the_calendar_is_refused(council):
    with pytest.raises(ReportError, match="Det finns inget möte den 12 juni 2024"):
        meeting_handout(council, D(2024, 6, 12), "pdf", TODAY)


@pytest.mark.parametrize(
    "now,before,expected",
    [(5, 2, "+150\u00a0%"), (2, 4, "\u221250\u00a0%"), (100, 100.2, "0\u00a0%"), (5, 0, "–"), (None, 3, "–")],
)
def test_change_against_the_year_before(now, before, expected):
    assert change(now, before) == expected


# --- the command --------------------------------------------------------------------------------


def test_the_command_writes_the_handout(council, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYGGHET_TODAY", TODAY.isoformat())
    out = tmp_path / "underlag.docx"
    code = cli.main(
        ["--db", str(council.path), "report", "--meeting", "2024-06-11", "--format", "docx", "--out", str(out)]
    )
    assert code == 0
    assert capsys.readouterr().out == f"Rapporten är sparad som {out}.\n"
    assert docx.Document(str(out)).paragraphs[0].text == "Rådet för trygghet och hälsa, 11 juni 2024"


def test_the_command_refuses_a_year_no_agreement_covers(council, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYGGHET_TODAY", TODAY.isoformat())
    out = tmp_path / "rapport.pdf"
    code = cli.main(["--db", str(council.path), "report", "--year", "2018", "--out", str(out)])
    assert code == 1
    message = capsys.readouterr().err
    assert message.startswith("Fel: År 2018 täcks inte av någon överenskommelse") and "2019–2024" in message
    assert not out.exists()


def test_the_command_says_what_is_missing_without_a_browser(council, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "ingen-chromium"))
    monkeypatch.setenv("TRYGGHET_TODAY", TODAY.isoformat())
    out = tmp_path / "rapport.pdf"
    code = cli.main(["--db", str(council.path), "report", "--year", "2024", "--out", str(out)])
    assert code == 1
    message = capsys.readouterr().err
    assert message.startswith("Fel: Diagrammen i rapporten ritas med webbläsaren Chromium, men den hittades inte.")
    assert "sudo apt-get install -y chromium" in message
    assert not out.exists()
