"""Security attempts of issue 17 (items 4-6) on the core, without Streamlit: personal data in every free-text
field, deleted text left in the database file, markup and links from data in charts and names, formulas in the
files the app writes. Each test fails if an attempt gets through. The pages' side is in
tests/pages/test_security_privacy_pages.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib

import pytest
from openpyxl import load_workbook

from tests.factories import TESTER, activity, add_rows
from trygghet import demo, privacy
from trygghet.auth import Role, User
from trygghet.config import DATA_DIR
from trygghet.exploration.period_links import parse_period_query
from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.indicators import _rules as indicator_rules
from trygghet.figures.indicators import builtin
from trygghet.figures.periods import AgreementSpan
from trygghet.figures.progress import Status
from trygghet.figures.targets import TargetError, parse_target
from trygghet.importing.pipeline import import_file, preview
from trygghet.importing.templates import template_csv, template_xlsx
from trygghet.privacy import PersonalDataError, find_personal_data
from trygghet.reference.agreements import AgreementError, problems, revise
from trygghet.reference.areas import check_areas
from trygghet.reference.files import ReferenceDataError, load_reference
from trygghet.reports import charts
from trygghet.store import agreements as agreement_store

# --- the checker --------------------------------------------------------------------------------------

# 850101-1236 has a valid Luhn check digit (8·2=16→7, 5, 0, 1·2=2, 0, 1·2=2, 1, 2·2=4, 3: 7+5+0+2+0+2+1+4+3 = 24,
# so the check digit is 6); 850161-1234 is the 61st day, a samordningsnummer (1 January + 60), written with a dash.
FOUND = [
    ("Anna Andersson 19850101-1234 070-123 45 67", ("ett namn", "ett personnummer", "ett telefonnummer")),
    ("Samtal med 850101–1234 om skadegörelse", ("ett personnummer",)),  # en dash
    ("850101 - 1234", ("ett personnummer",)),
    ("Id 8501011236", ("ett personnummer",)),  # no dash: the checksum decides
    ("198501011236", ("ett personnummer",)),
    ("Tolk med 850161-1234", ("ett samordningsnummer",)),
    ("Ring 070-123 45 67", ("ett telefonnummer",)),
    ("Ring 070.123.45.67", ("ett telefonnummer",)),
    ("Ring (070) 123 45 67", ("ett telefonnummer",)),
    ("Ring +46 70 123 45 67", ("ett telefonnummer",)),
    ("Växeln 060-12 34 56", ("ett telefonnummer",)),
    ("Kontakt: anna.andersson@example.se", ("en e-postadress",)),
    ("Bil ABC 123 kontrollerad", ("ett registreringsnummer",)),
    ("Bil ABC 12D kontrollerad", ("ett registreringsnummer",)),
    ("Bråk vid Storgatan 12", ("en gatuadress",)),
    ("Köpmangatan 3B", ("en gatuadress",)),
    ("Anna Andersson, Storgatan 12", ("ett namn", "en gatuadress")),
]

# What the app's users really write: dates, times, counts, diarienummer and the texts of the demo and the source
# documents. None of it may be refused.
LEGITIMATE = [
    "2024-01-15",
    "20240115",
    "2024-01-15 18:30",
    "kl. 18–22",
    "Kl 22.00–02.00",
    "18:30",
    "Vecka 12",
    "KS 2024/123",
    "Dnr KS 2023/00123",
    "ärende 5000-K123456-24",
    "Protokoll 2024-05-14 § 45",
    "2019-04-01–2023-03-31",
    "Medborgarlöfte 2023–2024",
    "Tertial 1 2024",
    "2024-T2",
    "12 fordon kontrollerades, 3 utandningsprov",
    "1 234 567",
    "50 000 kr",
    "Andel 12,5 %",
    "0,5 per 1 000 prov",
    "Fotpatrull längs Storgatan",
    "Storgatan 18–22",
    "Storgatan 18.30",
    "Sörberge 12 personer",
    "SFS 2010:800",
    "Från 2024-01-01 till 2024-12-31",
    "Rådet för trygghet och hälsa 2024-03-12",
    "DEMO-foot_patrol-0000012",
    "Exempel: Medborgarlöfte 2025–2027 (påhittat)",
    "Beslutat av rådet 2025-02-11",
    "Informerade om Kvinnofridslinjen 020-50 50 50",
    "Polisen 114 14",  # services' numbers, not a person's
]


def _texts_of_the_app() -> list[str]:
    """Every text the demo and the source documents hold: comments, agreements, commitments, areas, example
    targets' decisions and the indicators' titles, descriptions and units."""
    ref = load_reference()
    texts = [c for c in demo.COMMENTS if c]
    for a in ref.agreements:
        texts += [a.title, a.source, *a.parties, *(t for s in a.signatories for t in (s.name, s.title))]
        texts += [t for c in a.commitments for t in (c.short_title, c.text)]
    texts += [f.title for f in ref.focus_areas] + [a.name for a in ref.areas]
    texts += [t["origin"] for t in tomllib.loads((DATA_DIR / "targets.toml").read_text("utf-8"))["target"]]
    texts += [t for ind in builtin().values() for t in (ind.title, ind.description, ind.unit, ind.phrase)]
    return [t for t in texts if t]


@pytest.mark.parametrize(("text", "kinds"), FOUND)
def test_personal_data_is_found_by_kind(text, kinds):
    assert find_personal_data(text) == kinds


def test_no_legitimate_text_is_taken_for_personal_data():
    texts = LEGITIMATE + _texts_of_the_app()
    assert len(texts) > 100  # the source documents' commitments are among them
    assert [(t, find_personal_data(t)) for t in texts if find_personal_data(t)] == []


def test_a_refusal_names_the_field_and_the_kind_never_the_number():
    with pytest.raises(PersonalDataError) as caught:
        privacy.check_text("Kommentar", "Ring 070-123 45 67 eller 850101–1234")
    message = str(caught.value)
    assert message.startswith("Fältet ”Kommentar” ser ut att innehålla ett personnummer och ett telefonnummer.")
    assert not re.search(r"\d", message)


def test_the_bulk_candidates_cover_every_finding():
    """The upload passes to the checker only the cells that match CANDIDATE (in DuckDB): a finding outside it
    would never be looked at."""
    for text, _ in FOUND:
        assert re.search(privacy.CANDIDATE, text), text
    assert not re.search(privacy.CANDIDATE, "P-123456")  # the usual id needs no look


# --- every field ----------------------------------------------------------------------------------------

HEADER = (
    "Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;"
    "Id i källsystemet;Kommentar"
)


@pytest.mark.parametrize(
    ("column", "cell", "kinds"),
    [
        ("Id i källsystemet", "850101–1234", "ett personnummer"),
        ("Kommentar", "Anmälaren nås på 070.123.45.67", "ett telefonnummer"),
        ("Kommentar", "Nås på (070) 123 45 67", "ett telefonnummer"),
        ("Plats", "Anna Andersson, Storgatan 12", "ett namn och en gatuadress"),
    ],
)
def test_an_upload_with_personal_data_in_any_text_column_is_refused(tmp_store, column, cell, kinds):
    cells = {"Plats": "Torget", "Id i källsystemet": "P-1", "Kommentar": "Lugnt", column: cell}
    data = (
        f"{HEADER}\n2024-04-02;19:00;2;Vivsta;{cells['Plats']};polisen;2;3;{cells['Id i källsystemet']};"
        f"{cells['Kommentar']}\n"
    ).encode()
    result = import_file(tmp_store, "fotpatrull.csv", data, imported_by="test")
    assert [str(p) for p in result.problems] == [
        f"Rad 2, kolumn {column}: ser ut att innehålla {kinds}; aktivitetsloggar får inte innehålla personuppgifter"
    ]
    assert result.batch_id is None and tmp_store.activity_count() == 0


def test_a_file_name_with_a_personnummer_is_refused_and_not_repeated(tmp_store):
    data = f"{HEADER}\n2024-04-02;19:00;2;Vivsta;Torget;polisen;2;3;P-1;Lugnt\n".encode()
    result = preview(tmp_store, "patrull 19850101-1234.csv", data)
    shown = " ".join([*result.summary(), *map(str, result.problems)])
    assert "Filnamnet ser ut att innehålla ett personnummer" in shown
    assert "1985" not in shown and not result.can_import
    assert import_file(tmp_store, "patrull 19850101-1234.csv", data, imported_by="test").batch_id is None
    assert tmp_store.batches().empty


PII = "Anna Andersson 19850101-1234 070-123 45 67"


def test_meeting_texts_with_personal_data_are_refused_and_nothing_is_stored(tmp_store):
    meeting = tmp_store.save_meeting(None, dt.date(2024, 6, 11), "Rådet för trygghet och hälsa", None, user=TESTER)
    attempts = [
        (lambda: tmp_store.add_comment(meeting, "ml23-fotpatrull", PII, TESTER), "Kommentar"),
        (lambda: tmp_store.add_follow_up(meeting, None, PII, "Polisen", TESTER), "Vad ska göras?"),
        (lambda: tmp_store.save_meeting(meeting, dt.date(2024, 6, 11), PII, None, user=TESTER), "Rubrik"),
        (lambda: tmp_store.save_meeting(None, dt.date(2024, 9, 3), "Rådet", PII, user=TESTER), "Anteckning"),
        (
            lambda: tmp_store.save_written_follow_up(
                "medborgarlofte-2023", 2024, dt.date(2025, 2, 1), "070-123 45 67", TESTER
            ),
            "Diarienummer",
        ),
    ]
    for attempt, field in attempts:
        with pytest.raises(PersonalDataError, match=f"^Fältet ”{re.escape(field)}” ser ut att innehålla"):
            attempt()
    assert tmp_store.comments([meeting]) == [] and tmp_store.follow_ups() == []
    assert [(m.title, m.note) for m in tmp_store.meeting_rows()] == [("Rådet för trygghet och hälsa", None)]
    assert tmp_store.written_follow_up("medborgarlofte-2023", 2024) is None


def test_a_target_with_personal_data_in_its_decision_or_correction_is_refused(tmp_store):
    with pytest.raises(
        TargetError, match="fältet origin \\(beslut\\): ser ut att innehålla ett namn och ett telefonnummer"
    ):
        parse_target(
            {
                "agreement": "medborgarlofte-2023",
                "indicator": "fotpatrull_antal_centrala",
                "grain": "year",
                "value": 40,
                "valid_from": dt.date(2024, 1, 1),
                "origin": "Beslut av Anna Andersson 070-123 45 67",
            }
        )
    row = tmp_store.target_rows()[0]
    before = len(tmp_store.target_changes())
    with pytest.raises(PersonalDataError, match="^Fältet ”Motivering till rättelsen”"):
        tmp_store.replace_target(
            row,
            User("admin", Role.ADMIN),
            None,
            "40",
            indicator_title="x",
            today=dt.date(2026, 1, 1),
            reason="Rättat efter samtal med 070-123 45 67",
        )
    assert len(tmp_store.target_changes()) == before


def test_an_agreement_with_personal_data_or_markup_is_refused(tmp_store):
    ref = load_reference()
    agreement = next(a for a in ref.agreements if a.id == "medborgarlofte-2023")
    focus = {f.id for f in ref.focus_areas}
    first = agreement.commitments[0]
    bad = agreement.model_copy(
        update={
            "title": '<span style="font-size:200px">Medborgarlöfte</span>',
            "commitments": (first.model_copy(update={"text": f"Ring {PII}"}), *agreement.commitments[1:]),
        }
    )
    found = problems(bad, ref.agreements, focus)
    assert found[0].startswith(
        "Titel (title): får bara innehålla bokstäver, siffror, mellanslag och vanliga skiljetecken"
    )
    assert (
        f"Löfte 1 ({first.id}), Löftestext (text): ser ut att innehålla ett namn, ett personnummer och ett "
        "telefonnummer. Personuppgifter får inte sparas här; skriv texten utan dem." in found
    )
    with pytest.raises(AgreementError, match="Skäl: ser ut att innehålla ett telefonnummer"):
        revise(
            agreement,
            agreement.model_copy(update={"title": "Medborgarlöftet 2023–2024"}),
            ref.agreements,
            focus,
            "Ändrat efter samtal, 070-123 45 67",
        )
    with pytest.raises(AgreementError, match="Fokusområde: titeln får bara innehålla"):
        agreement_store.add_focus_area(tmp_store, "<a href='http://x'>Trygghet</a>", TESTER)


def test_areas_and_indicators_with_personal_data_or_markup_are_refused():
    _, found = check_areas(
        [
            {"name": '<a href="http://x">x</a>'},
            {"name": '=HYPERLINK("http://x","Timrå")'},
            {"name": "Storgatan 12"},
            {"name": "Logga in på https://evil.example"},
            {"name": "Nya Sörberge"},
        ],
        set(),
    )
    assert [f.split(":")[0] for f in found] == ["Rad 1", "Rad 2", "Rad 3", "Rad 4"]
    assert "inte ”<” ”=” ”>”" in found[0] and "inte ”=”" in found[1]
    assert (
        found[2] == "Rad 3: namnet ser ut att innehålla en gatuadress. Personuppgifter får inte sparas här; "
        "skriv texten utan dem."
    )
    assert found[3] == "Rad 4: namnet får inte innehålla en webbadress"
    ind = builtin()["fotpatrull_antal"]
    bad = ind.model_copy(
        update={"id": "ny_indikator", "title": "<b>Fotpatruller</b>", "description": "Frågor till anna@example.se"}
    )
    messages = {p.field: p.message for p in indicator_rules.check(bad) if p.field in ("titel", "texter")}
    assert messages["titel"].startswith("titeln får bara innehålla")
    assert messages["texter"].startswith("beskrivningen ser ut att innehålla en e-postadress")


def test_an_area_file_with_markup_is_refused(tmp_path):
    for name in ("agreements.toml", "commitments.toml"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text("utf-8"), "utf-8")
    (tmp_path / "areas.csv").write_text('kod;namn;centrala_timra\nx;<a href="http://x">x</a>;ja\n', "utf-8")
    with pytest.raises(ReferenceDataError, match="areas.csv, rad 2: namnet får bara innehålla"):
        load_reference(tmp_path)


# --- deleted text leaves the file ----------------------------------------------------------------------------


def _file_holds(store, marker: str) -> bool:
    return marker.encode() in store.path.read_bytes()


def test_undo_leaves_no_text_of_the_rows_in_the_database_file(tmp_store):
    # The store closes its connection after each use, which checkpoints: the file is all there is.
    marker = "Zebrafinkar"  # short enough to be kept whole in a column's statistics as well
    batch = add_rows(tmp_store, [activity("foot_patrol", "2024-04-02", comment=marker, place=marker + "s bo")])
    assert _file_holds(tmp_store, marker)  # else this test could not fail
    tmp_store.undo_batch(batch, TESTER)
    assert not _file_holds(tmp_store, marker)
    assert tmp_store.batches().iloc[0].undone_at is not None  # the record of the batch stays


def test_deleting_a_draft_agreement_leaves_no_text_of_it(tmp_store):
    ref = load_reference()
    draft = next(a for a in ref.agreements if a.id == "medborgarlofte-2023").model_copy(
        update={
            "id": "utkast-kolibri",
            "title": "Kolibrilöftet",
            "status": "utkast",
            "replaces": None,
            "replaces_from": None,
            "commitments": (),
        }
    )
    agreement_store.save_draft(tmp_store, draft, TESTER, new=True)
    assert _file_holds(tmp_store, "Kolibrilöftet")
    agreement_store.delete_draft(tmp_store, "utkast-kolibri", TESTER)
    assert not _file_holds(tmp_store, "Kolibrilöftet")


# --- no markup or links from data ------------------------------------------------------------------------------

EVIL_AREAS = ['<a href="http://evil.example">Timrå</a>', '<span style="font-size:200px">Vivsta</span>']


def test_chart_labels_from_data_are_text_for_plotly():
    fig = charts.area_chart(
        "Aktiviteter per område",
        "aktiviteter",
        [(EVIL_AREAS[0], True, 3.0), (EVIL_AREAS[1], False, 2.0), ("Polisen & kommunen", False, 1.0)],
        "#0072B2",
    )
    labels = [*fig.data[0].y, *fig.data[1].y, *fig.layout.yaxis.categoryarray, *fig.data[0].customdata]
    assert '&lt;a href="http://evil.example"&gt;Timrå&lt;/a&gt; (centrala Timrå)' in labels
    assert "Polisen &amp; kommunen" in labels
    # plotly reads <a>, <span>, <b>, <br> wherever it draws text: none may come from data
    assert not re.search(r"<(a|span|b|br)\b", fig.to_json())
    figure = IndicatorFigure(
        id="x",
        title="<b>Fotpatruller</b>",
        unit="patruller",
        phrase="patruller",
        decimals=0,
        colour="#0072B2",
        is_ratio=False,
        actual=2,
        target=None,
        prorated=None,
        share=None,
        forecast=None,
        status=Status.NO_BASIS,
        target_text=None,
        example_target=False,
        last_data=None,
        previous_meeting=None,
        since_meeting=None,
        last_year=None,
        period_label="2024",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        monthly=((dt.date(2024, 1, 1), 2.0),),
        cumulative=((dt.date(2024, 1, 31), 2.0),),
        target_line=(),
    )
    fig = charts.progress_chart(figure)
    assert fig.layout.title.text == "&lt;b&gt;Fotpatruller&lt;/b&gt;, 2024"
    assert fig.data[0].hovertemplate == "%{customdata}<extra></extra>"  # the app's own markup stays


def test_a_url_parameter_is_quoted_as_text_in_its_notice():
    spans = [
        AgreementSpan("medborgarlofte-2023", "Medborgarlöfte 2023–2024", dt.date(2023, 1, 1), dt.date(2024, 12, 31))
    ]
    _, notices = parse_period_query({"overenskommelse": "Logga in på https://evil.example"}, spans, dt.date(2024, 6, 1))
    assert notices == [
        "Adressen anger överenskommelsen ”Logga in på https://evil.example”, som inte finns. "
        "Sidan visar Medborgarlöfte 2023–2024 i stället."
    ]  # shown through ui.plain (pages file)


# --- formulas in the files the app writes ----------------------------------------------------------------------

FORMULA_AREA = '=HYPERLINK("http://evil.example","Timrå")'


def test_templates_hold_no_live_formula_from_an_area_name():
    areas = [FORMULA_AREA, "Vivsta"]
    book = load_workbook(io.BytesIO(template_xlsx("foot_patrol", areas)))
    assert book["Aktiviteter"]["G2"].value == "'" + FORMULA_AREA
    assert book["Instruktioner"]["C14"].value == "'" + FORMULA_AREA + ", Vivsta"
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    rows = list(csv.reader(io.StringIO(template_csv("foot_patrol", areas).decode("utf-8-sig")), delimiter=";"))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'" + FORMULA_AREA in rows[1]


def test_a_source_document_named_after_a_person_is_refused(tmp_store):
    with pytest.raises(AgreementError, match="^Källdokument: filnamnet ser ut att innehålla ett personnummer"):
        agreement_store.attach_document(tmp_store, "medborgarlofte-2023", "yttrande 850101-1234.txt", b"text", TESTER)
    assert agreement_store.document(tmp_store, "medborgarlofte-2023") is None
