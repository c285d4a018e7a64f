"""Small hand-made activity logs for tests whose figures are worked out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import strategies as st

from trygghet import cli
from trygghet.auth import Role, User
from trygghet.config import PROJECT_ROOT
from trygghet.figures.compute import IndicatorFigure
from trygghet.figures.progress import Status
from trygghet.importing.cell_rules import all_fields
from trygghet.reference.activity_types import ACTIVITY_TYPES
from trygghet.store.database import BatchInfo, Store

D = dt.date

DEFAULTS = {"activity_count": 1, "area_code": "timra-centrum", "organisation": "polisen"}
TYPE_DEFAULTS: dict[str, dict[str, object]] = {
    "traffic_control": {"control_kind": "kombinerad", "risk_place": True},
    "info_meeting": {"topics": ["alkohol"], "audiences": ["vårdnadshavare"]},
}


def activity(activity_type: str, day: str, **fields) -> dict:
    """One activity row; `day` is 'YYYY-MM-DD', or 'YYYY-MM-DD/YYYY-MM-DD' for a summary row."""
    first, _, last = day.partition("/")
    row = {
        "activity_type": activity_type,
        "date_from": dt.date.fromisoformat(first),
        "date_to": dt.date.fromisoformat(last or first),
        **DEFAULTS,
        **TYPE_DEFAULTS.get(activity_type, {}),
    }
    row.update(fields)
    return row


# Who acts in a test that is not about roles: an admin, as the store's writes ask for a user with the right role.
TESTER = User("test", Role.ADMIN)


def add_rows(store: Store, rows: list[dict], file_name: str = "test.csv", imported_by: str = "test") -> int:
    """Insert rows as one batch and return its id."""
    frame = pd.DataFrame(rows)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    with store.transaction() as con:
        return store.insert_batch(con, BatchInfo(file_name, digest, imported_by), frame)


# A file of the first half of 2025 as the police export it: eight foot patrols, three of them in Sörberge (2 h,
# 1,5 h and 3 h: 6,5 hours), five in central Timrå (Timrå centrum, Vivsta, Åkroken: 9 hours).
FOOT_PATROLS_2025 = """Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;Kommentar
2025-01-14;18:30;2;Timrå centrum;Torget;polisen;2;4;
2025-02-11;19:00;1,5;Vivsta;Skolan;polisen;2;1;
2025-02-20;20:00;2;Sörberge;Idrottsplatsen;polisen;2;3;
2025-03-18;18:00;1;Timrå centrum;Köpcentrum;samverkan;3;6;
2025-04-08;21:00;1,5;Sörberge;Hamnen;polisen;2;0;
2025-05-06;19:30;2,5;Åkroken;;polisen;2;2;
2025-06-03;18:00;3;Sörberge;Centrum;samverkan;4;5;
2025-06-17;20:00;2;Timrå centrum;Torget;polisen;2;1;
"""


# A small log whose figures for 2024 are worked out by hand in tests/unit/test_indicators.py.
LOG = [
    activity("foot_patrol", "2024-03-05", duration_min=120, citizen_contacts=5),
    activity(
        "foot_patrol", "2024-03-06", area_code="vivsta", duration_min=90, citizen_contacts=3, organisation="samverkan"
    ),
    activity("foot_patrol", "2024-03-07", area_code="soraker", duration_min=60, citizen_contacts=4),
    activity("foot_patrol", "2023-12-31", duration_min=600, citizen_contacts=50),  # outside 2024
    activity(
        "traffic_control",
        "2024-04-01",
        control_kind="hastighet",
        vehicles_checked=40,
        breath_tests=0,
        speeding_offences=5,
    ),
    # A monthly total from the police system: 4 controls in May.
    activity(
        "traffic_control",
        "2024-05-01/2024-05-31",
        activity_count=4,
        control_kind="nykterhet",
        vehicles_checked=100,
        breath_tests=100,
        drunk_driving_suspected=1,
        drugged_driving_suspected=1,
    ),
    activity(
        "traffic_control",
        "2024-06-01",
        risk_place=False,
        control_kind="kombinerad",
        vehicles_checked=50,
        breath_tests=50,
        drunk_driving_suspected=1,
        drugged_driving_suspected=0,
        speeding_offences=2,
        organisation="samverkan",
    ),
    # 2 controls over 20 days, 12 of them in 2024: 2024 takes 12/20 of it.
    activity(
        "traffic_control",
        "2024-12-20/2025-01-08",
        activity_count=2,
        control_kind="kombinerad",
        breath_tests=20,
        drunk_driving_suspected=0,
    ),
    activity("atractor_check", "2024-05-10", vehicles_checked=10, illegal_vehicles=3, driving_bans=2, reports_filed=1),
    activity("atractor_check", "2024-09-10", vehicles_checked=5, illegal_vehicles=0),
    activity("info_meeting", "2024-02-01", topics=["alkohol"], audiences=["vårdnadshavare"], participants=20),
    activity("info_meeting", "2024-03-01", topics=["trafik"], audiences=["unga"], participants=50),
    activity(
        "info_meeting",
        "2024-10-01",
        topics=["narkotika", "våld i nära relation"],
        audiences=["andra viktiga vuxna", "skolpersonal"],
        participants=15,
        organisation="samverkan",
    ),
    activity("drug_operation", "2024-06-15", organisation="samverkan", persons_checked=5),
    activity("drug_operation", "2024-08-15", organisation="samverkan"),
    activity("staff_training", "2024-09-01", topics=["våld i nära relation"], participants=25, organisation="kommunen"),
    activity("staff_training", "2024-10-01", topics=["alkohol"], participants=10),
    activity("staff_training", "2024-11-01", participants=12),  # no topic given: counted
    activity("awareness", "2024-11-25", participants=200, organisation="samverkan"),
    activity("awareness", "2024-11-26", participants=100, organisation="kommunen"),
]


# The upload corpus: files that import in full.
DATA = PROJECT_ROOT / "tests" / "data"

# file -> (type, description, rows, problems); a file without problems imports every row.
GOOD = {
    "fotpatrull_utf8_bom.csv": ("foot_patrol", "CSV, UTF-8, semikolon", 4),
    "atraktor_komma_engelska_rubriker.csv": ("atractor_check", "CSV, UTF-8, komma", 3),
    "informationstraff_tabb_typkolumn.txt": ("info_meeting", "CSV, UTF-8, tabb", 2),
    "fotpatrull_tomma_rader_och_kolumner.csv": ("foot_patrol", "CSV, UTF-8, semikolon", 2),
    "droghandel_typkolumn.csv": ("drug_operation", "CSV, UTF-8, semikolon", 2),
    "fotpatrull_excel_serienummer.xlsx": ("foot_patrol", "Excel, bladet Export", 3),
    "trafikkontroll_cp1252_libreoffice.csv": ("traffic_control", "CSV, Windows-1252, semikolon", 3),
    "trafikkontroll_manadssummor_libreoffice.xlsx": ("traffic_control", "Excel, bladet trafikkontroll_manadssummor", 3),
}


RESAVE = "Öppna filen i Excel eller LibreOffice och spara den igen."
REMOVE = "eller ta bort kolumnen om uppgifterna inte ska läsas in."

# The reading rules (tests/unit/test_import_reading.py): file -> every problem, exactly; nothing written.
READING_REFUSED = {
    "fel_formel_utan_varde.xlsx": [f"Cellen F12 innehåller en formel utan sparat värde. {RESAVE}"],
    "fel_sammanfogad_rubrik_libreoffice.xlsx": [
        "Kolumn C: rubriken är sammanfogad över B1–C1, så kolumnen har ingen egen rubrik, men den innehåller data "
        f"(rad 2 och 3). Ge kolumnen en egen rubrik, {REMOVE}"
    ],
    "fel_tom_rubrik.csv": [
        "Kolumn C: kolumnen har ingen rubrik, men den innehåller data (rad 2, 4 och 5 med flera). Ge kolumnen en "
        f"egen rubrik, {REMOVE}"
    ],
    "fel_enhet_okand.csv": [
        "Kolumn Varaktighet (dagar): enheten dagar känns inte igen för varaktighet; ange "
        "timmar eller minuter, t.ex. Varaktighet (timmar)."
    ],
    "fel_enhet_saknas.csv": [
        "Kolumn Varaktighet: rubriken säger inte om varaktigheten är i timmar eller minuter; "
        "skriv Varaktighet (timmar) eller Varaktighet (minuter)."
    ],
    "fel_bara_rubriker.csv": ["Filen har rubriker men inga rader."],
}

# Every file of tests/data/ tests/unit/test_import_reading.py reads (the corpus test checks none is untested).
READING_FILES = {
    *READING_REFUSED,
    "blad_per_manad_libreoffice.xlsx",
    "formel_med_sparat_varde_libreoffice.xlsx",
    "fotpatrull_duration_min_libreoffice.xlsx",
    "fotpatrull_varaktighet_minuter.csv",
    "fotpatrull_utan_varaktighet.csv",
    "fel_for_lang_rad.csv",
    "deklarerad_dimension_hela_bladet.xlsx",
}


# Meetings and patrols of the council whose figures tests/pages/test_meetings.py works out by hand.
MEETINGS = [D(2024, 2, 13), D(2024, 4, 9), D(2024, 6, 11)]
PATROLS = [
    activity("foot_patrol", "2024-03-05", duration_min=120),
    activity("foot_patrol", "2024-04-09", duration_min=60),  # the day of the previous meeting
    activity("foot_patrol", "2024-04-10", duration_min=90, citizen_contacts=4),
    activity("foot_patrol", "2024-05-20", area_code="vivsta", duration_min=150, citizen_contacts=6),
    activity("foot_patrol", "2024-06-11", duration_min=60, citizen_contacts=0),
    activity("foot_patrol", "2024-05-01", area_code="soraker", duration_min=60, citizen_contacts=5),  # not central
]
# Worked out by hand for the meeting of 11 June 2024 (previous meeting 9 April):
# since the meeting (10 April–11 June), central: 10 April, 20 May, 11 June = 3 patrols, (90 + 150 + 60) / 60 = 5,0 h;
# citizen contacts count every area: 4 + 6 + 0 + 5 = 15. Year to date, central: 5 patrols of the example target
# 130 a year = 4 %; pro-rated to 11 June: 130 × 163 / 366 = 57,9, so 5 is behind. Hours, central, year to date:
# (120 + 60 + 90 + 150 + 60) / 60 = 8 of the example target 300 = 2,7 % ≈ 3 %, pro-rated 133,6: behind too.


def figure(
    name: str,
    status: Status,
    actual: float | None = 5,
    target: float | None = 10,
    prorated: float | None = 4,
    as_of: dt.date | None = MEETINGS[-1],
    last_data: dt.date | None = None,
    since: float | None = 1,
    previous: dt.date | None = MEETINGS[-2],
    **fields,
) -> IndicatorFigure:
    """A figure of the year 2024 as seen at the meeting of 11 June (previous 9 April); `fields` set the rest."""
    share = None if target is None or actual is None else actual / target
    return IndicatorFigure(
        **{
            "id": name,
            "title": name.upper(),
            "unit": "insatser",
            "phrase": "insatser",
            "decimals": 0,
            "colour": "#000000",
            "is_ratio": False,
            "actual": actual,
            "target": target,
            "prorated": prorated,
            "share": share,
            "forecast": None,
            "status": status,
            "target_text": None,
            "example_target": False,
            "last_data": last_data,
            "previous_meeting": previous,
            "since_meeting": since,
            "last_year": None,
            "period_label": "2024",
            "period_start": D(2024, 1, 1),
            "period_end": D(2024, 12, 31),
            "as_of": as_of,
            "monthly": (),
            "cumulative": (),
            "target_line": (),
            **fields,
        }
    )


def meeting_figure(name: str, status: Status) -> IndicatorFigure:
    """A figure of 5 against a target of 10 (pro-rated 4), for rules that read only its status."""
    return figure(
        name,
        status,
        target=None if status == Status.NO_TARGET else 10,
        as_of=None,
        previous=None,
        unit="st",
        phrase="st",
        share=0.5,
        forecast=10,
    )


# Local accounts (tests/unit/test_auth.py, tests/unit/test_security.py): one password long enough to be accepted.
PASSWORD = "korrekt häst batteri"


class Pauses:
    """Stands in for sign-in's sleep between wrong passwords: adds up the seconds it was asked to wait."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, seconds: float) -> None:
        self.total += seconds


# --- generated workbooks (tests/unit/test_import_fuzz.py, also in a fresh process there) ------------------------

VALUE = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "Vivsta",
            "Timrå centrum",
            "polisen",
            "kommunen",
            "nykterhet",
            "ja",
            "nej",
            "alkohol",
            " ",
            "",
            "=1+1",
            "=A2*2",
            "=SUM(B2:B9)",
            "#DIV/0!",
            "Mordor",
        ]
    ),
    st.integers(min_value=-5, max_value=5000),
    st.floats(min_value=-1, max_value=100, allow_nan=False),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 11, 30)),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),  # what a worksheet can hold
)
HEADER = st.sampled_from(
    sorted(
        {f.label for t in ACTIVITY_TYPES.values() for f in all_fields(t)}
        | {
            "Aktivitetstyp",
            "Okänd",
            "",
            "Varaktighet (minuter)",
            "duration_min",
            "Varaktighet (dagar)",
            "Instruktioner",
        }
    )
)
DIMENSION = st.sampled_from(["A1:XFD1048576", "A1", "A1:A1", "B2:Z9999", "A1:XFD1", "A1:A1048576", "ZZ"])
CELL_REF = st.tuples(st.integers(1, 8), st.integers(1, 12))


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


@st.composite
def workbooks(draw) -> bytes:
    """An XLSX of 1–3 sheets: a header row somewhere near the top, rows of mixed cells and formulas,
    merged ranges, and each sheet's declared dimension replaced by a random one; formulas keep no
    saved value unless the draw says they were saved."""
    from openpyxl import Workbook

    book = Workbook()
    del book["Sheet"]
    titles = draw(
        st.lists(
            st.sampled_from(["Mars", "April", "Försättsblad", "Instruktioner", "Blad 1", "Tomt"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    for title in titles:
        sheet = book.create_sheet(title)
        top = draw(st.integers(1, 3))
        headers = draw(st.lists(HEADER, max_size=8))
        for column, header in enumerate(headers, start=1):
            sheet.cell(top, column, header or None)
        for row in range(top + 1, top + 1 + draw(st.integers(0, 6))):
            for column, value in enumerate(draw(st.lists(VALUE, max_size=10)), start=1):
                sheet.cell(row, column, value)
        for (c1, r1), (c2, r2) in draw(st.lists(st.tuples(CELL_REF, CELL_REF), max_size=3)):
            low, high = (min(c1, c2), min(r1, r2)), (max(c1, c2), max(r1, r2))
            ref = f"{_letter(low[0])}{low[1]}:{_letter(high[0])}{high[1]}"
            if low != high and not any(ref_overlaps(ref, str(m)) for m in sheet.merged_cells.ranges):
                sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    saved = draw(st.booleans())
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as patched:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="' + draw(DIMENSION).encode() + b'"/>', data
                )
                if saved:
                    data = data.replace(b"<v></v>", b"<v>2</v>")
            patched.writestr(item, data)
    return out.getvalue()


def ref_overlaps(a: str, b: str) -> bool:
    from openpyxl.worksheet.cell_range import CellRange

    return not CellRange(a).isdisjoint(CellRange(b))


@contextmanager
def file_held_by_another_process(path: Path) -> Iterator[None]:
    """Another process (a second dashboard, a command) holds the DuckDB file until the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys; c=duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.readline()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate("\n", timeout=30)


@contextmanager
def kept_open(store: Store) -> Iterator[None]:
    """The store's file open for the whole block, as a busy dashboard keeps it: one use under way in a thread
    of its own, so every other use takes a cursor of the open connection instead of opening the file (DuckDB
    spends 15-20 ms of CPU starting up at each open, more than most tests' own work)."""
    opened, done = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def hold() -> None:
        try:
            with store.connect():
                opened.set()
                done.wait()
        except BaseException as exc:
            failed.append(exc)
        finally:
            opened.set()

    holder = threading.Thread(target=hold, name="kept-open", daemon=True)
    holder.start()
    opened.wait()
    try:
        if failed:
            raise failed[0]
        yield
    finally:
        done.set()
        holder.join()


def command(*args: str, db: Path, today: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m trygghet --db DB ARGS` (with TRYGGHET_TODAY=today when given, `stdin` as its standard in) run
    in this process: the same `cli.main` a process runs (trygghet/__main__.py calls nothing else), with its exit
    code and what it printed, without starting Python, pandas and DuckDB again (about 1 s of CPU). A usage error
    is argparse's exit 2. Tests about the process itself (exit codes, another process holding the file) start one."""
    argv = ["--db", str(db), *args]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as env, redirect_stdout(out), redirect_stderr(err):
        if today is not None:
            env.setenv("TRYGGHET_TODAY", today)
        env.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = cli.main(argv)
        except SystemExit as stopped:  # as the interpreter reads it: None is 0, a message is 1
            code = 0 if stopped.code is None else stopped.code if isinstance(stopped.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def own_token(store: Store) -> Store:
    """The store with a data token of its own (an empty write), so that no figures computed for another copy of its
    file serve it: for a test that counts what the first visit computes."""
    with store.transaction():
        pass
    return store


def first_run(store: Store) -> None:
    """What the dashboard's first run does to a store (a `store_with` build): prepares it, filling it with today's
    demo data when it is empty."""
    from trygghet.bootstrap import prepare_store

    prepare_store(store.path, demo_if_empty=True)
