"""Downloads for Swedish Excel: the bytes as Excel reads them, re-read and compared with the filtered rows."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from tests.factories import activity, add_rows
from trygghet.exploration.downloads import XLSX_MAX_ROWS, neutralise, to_csv, to_xlsx
from trygghet.exploration.model import Selection
from trygghet.web.explore_page import download_frame

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+46 lugnt", "'+46 lugnt"),
        ("-3 grader", "'-3 grader"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Lugnt i området.", "Lugnt i området."),
        ("a=b", "a=b"),
        ("", ""),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_neutralise_only_text_that_starts_like_a_formula(value, expected):
    assert neutralise(value) == expected


FRAME = pd.DataFrame(
    {
        "Datum": [dt.date(2024, 5, 1), dt.date(2024, 6, 2)],
        "Antal": pd.array([4, None], dtype="Int32"),
        "Timmar": [1.5, 0.25],
        "Förändring": [-2.5, 3.0],
        "Kommentar": ["=1+1", "Söråker; ”citat”"],
    }
)


def test_csv_is_semicolon_separated_with_decimal_comma_and_a_bom():
    assert to_csv(FRAME) == (
        "\ufeffDatum;Antal;Timmar;Förändring;Kommentar\r\n"
        "2024-05-01;4;1,5;-2,5;'=1+1\r\n"
        '2024-06-02;;0,25;3,0;"Söråker; ”citat”"\r\n'
    ).encode("utf-8")


def test_xlsx_keeps_numbers_and_dates_and_neutralises_text():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(FRAME))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("Datum", "Antal", "Timmar", "Förändring", "Kommentar"),
        (dt.datetime(2024, 5, 1), 4, 1.5, -2.5, "'=1+1"),
        (dt.datetime(2024, 6, 2), None, 0.25, 3, "Söråker; ”citat”"),
    ]
    assert sheet["D2"].data_type == "n"  # a negative number stays a number
    assert sheet["E2"].data_type == "s"  # never a formula
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.bold


def test_xlsx_refuses_more_rows_than_a_sheet_holds():
    with pytest.raises(ValueError):
        to_xlsx(pd.DataFrame({"a": range(XLSX_MAX_ROWS + 1)}))


@pytest.fixture
def hostile(tmp_store):
    add_rows(
        tmp_store,
        [
            activity(
                "traffic_control",
                "2024-05-01/2024-05-31",
                activity_count=4,
                control_kind="nykterhet",
                breath_tests=100,
                drunk_driving_suspected=1,
                comment='=HYPERLINK("http://evil";"klicka")',
            ),
            activity(
                "traffic_control",
                "2024-06-01",
                risk_place=False,
                breath_tests=50,
                duration_min=90,
                place="@Bergeforsen",
                area_code="bergeforsen",
            ),
            activity(
                "traffic_control",
                "2024-08-20",
                control_kind="hastighet",
                speeding_offences=3,
                duration_min=45,
                start_time=dt.time(7, 30),
                comment="-3 grader, halt",
                area_code="soraker",
            ),
            activity("foot_patrol", "2024-08-21", comment="+ inte med i urvalet"),
        ],
        file_name="polisen-2024.xlsx",
    )
    return tmp_store


EXPECTED = [  # traffic controls in 2024, newest first, as the download should hold them
    {
        "Datum": "2024-08-20",
        "Till och med": "2024-08-20",
        "Antal aktiviteter": 1,
        "Starttid": "07:30",
        "Varaktighet (timmar)": 0.75,
        "Område": "Söråker",
        "Typ av kontroll": "hastighet",
        "Identifierad riskplats": "ja",
        "Utandningsprov": None,
        "Hastighetsöverträdelser": 3,
        "Plats": None,
        "Kommentar": "'-3 grader, halt",
        "Fil": "polisen-2024.xlsx",
    },
    {
        "Datum": "2024-06-01",
        "Till och med": "2024-06-01",
        "Antal aktiviteter": 1,
        "Starttid": None,
        "Varaktighet (timmar)": 1.5,
        "Område": "Bergeforsen",
        "Typ av kontroll": "kombinerad",
        "Identifierad riskplats": "nej",
        "Utandningsprov": 50,
        "Hastighetsöverträdelser": None,
        "Plats": "'@Bergeforsen",
        "Kommentar": None,
        "Fil": "polisen-2024.xlsx",
    },
    {
        "Datum": "2024-05-01",
        "Till och med": "2024-05-31",
        "Antal aktiviteter": 4,
        "Starttid": None,
        "Varaktighet (timmar)": None,
        "Område": "Timrå centrum",
        "Typ av kontroll": "nykterhet",
        "Identifierad riskplats": "ja",
        "Utandningsprov": 100,
        "Hastighetsöverträdelser": None,
        "Plats": None,
        "Kommentar": '\'=HYPERLINK("http://evil";"klicka")',
        "Fil": "polisen-2024.xlsx",
    },
]


def _frame(store, sel):
    areas = store.areas()
    return download_frame(store, sel, dict(zip(areas.code, areas.name, strict=True)))


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


def test_csv_download_re_read_matches_the_filtered_rows(hostile):
    data = to_csv(_frame(hostile, Selection(("traffic_control",), *YEAR)))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns[:4]) == ["Id", "Typ", "Datum", "Till och med"]
    for row, expected in zip(back.to_dict("records"), EXPECTED, strict=True):
        got = {k: row[k] for k in expected}
        want = {
            k: "" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else str(v))
            for k, v in expected.items()
        }
        assert got == want


def test_xlsx_download_re_read_matches_the_filtered_rows(hostile):
    data = to_xlsx(_frame(hostile, Selection(("traffic_control",), *YEAR)))
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    heading, body = rows[0], rows[1:]
    records = [dict(zip(heading, map(_plain, row), strict=True)) for row in body]
    assert [{k: r[k] for k in e} for r, e in zip(records, EXPECTED, strict=True)] == EXPECTED


def test_download_follows_the_filters(hostile):
    sel = Selection(("traffic_control",), *YEAR, risk_place=True, areas=("soraker",))
    frame = _frame(hostile, sel)
    assert list(frame["Datum"]) == [dt.date(2024, 8, 20)]
    back = pd.read_csv(io.BytesIO(to_csv(frame)), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Varaktighet (timmar)"].tolist() == [0.75]
