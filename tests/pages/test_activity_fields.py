"""The fields of migration 010 (issue 15: promises measured as they are worded): reports of inappropriate
behaviour on a traffic control, a drug-trade operation's focus on young people, and the distinct participants
of a staff training. Import, validation, content key, activity_days, undo, demo, and the migration itself."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pandas as pd
import pytest

from tests.factories import TESTER, activity, add_rows
from trygghet.demo import generate
from trygghet.exploration.model import activity_table, table_columns
from trygghet.importing import pipeline
from trygghet.store import activity_days, database, schema

TRAFFIC = (
    "Datum;Till och med;Antal aktiviteter;Varaktighet (timmar);Område;Organisation;Antal personal;"
    "Typ av kontroll;Identifierad riskplats;Kontrollerade fordon;Utandningsprov;Misstänkt rattfylleri\n"
    "2024-03-05;2024-03-06;2;2;Vivsta;polisen;2;nykterhet;ja;40;30;1\n"
)
TRAINING = (
    "Datum;Område;Organisation;Ämnen;Deltagare;Kommentar\n"
    "2024-03-07;Hela kommunen;kommunen;våld i nära relation;12;Grundutbildning\n"
)
DRUGS = "Datum;Område;Organisation;Kontrollerade personer;Beslag;Anmälningar\n2024-03-08;Vivsta;samverkan;9;2;1\n"
NEW_COLUMNS = ("inappropriate_behaviour_reports", "youth_focus", "unique_participants")


def _import(store, name: str, text: str, activity_type: str | None = None) -> pipeline.Preview:
    """As a user who confirmed that a new field a target reads may be missing (README: Reading a file)."""
    return pipeline.import_file(
        store, name, text.encode(), activity_type, imported_by="test", allow_missing=frozenset(NEW_COLUMNS)
    )


def _one(store, sql: str, params: list | None = None):
    with store.connect() as con:
        return con.execute(sql, params or []).fetchall()


def test_the_new_fields_are_read_from_their_swedish_headers(tmp_store):
    traffic = TRAFFIC.replace(";Misstänkt rattfylleri\n", ";Misstänkt rattfylleri;Olämpligt beteende i trafiken\n")
    traffic = traffic.replace(";30;1\n", ";30;1;4\n")
    drugs = DRUGS.replace(";Anmälningar\n", ";Anmälningar;Fokus på unga / nyrekrytering\n")
    drugs = drugs.replace(";9;2;1\n", ";9;2;1;Ja\n") + "2024-03-09;Vivsta;samverkan;3;0;0;nej\n"
    training = TRAINING.replace(";Deltagare;", ";Deltagare;Unika deltagare;").replace(";12;", ";12;9;")
    for name, text in (("t.csv", traffic), ("d.csv", drugs), ("u.csv", training)):
        result = _import(tmp_store, name, text)
        assert (result.problems, result.notes) == ([], []), name
    assert _one(tmp_store, f"SELECT activity_type, {', '.join(NEW_COLUMNS)} FROM activities ORDER BY id") == [
        ("traffic_control", 4, None, None),
        ("drug_operation", None, True, None),
        ("drug_operation", None, False, None),
        ("staff_training", None, None, 9),
    ]


def test_the_preview_shows_the_new_fields_in_swedish(tmp_store):
    drugs = DRUGS.replace(";Anmälningar\n", ";Anmälningar;Fokus på unga\n").replace(";9;2;1\n", ";9;2;1;ja\n")
    shown = pipeline.preview(tmp_store, "d.csv", drugs.encode()).new_rows
    assert shown["Fokus på unga"].tolist() == ["ja"]
    raw = pd.DataFrame({c: [None, None] for c in table_columns(("drug_operation",))})
    raw["activity_type"], raw["youth_focus"] = "drug_operation", pd.array([True, pd.NA], dtype="boolean")
    table = activity_table(raw, ("drug_operation",), {})
    assert table["Fokus på unga"].iloc[0] == "ja" and pd.isna(table["Fokus på unga"].iloc[1])


@pytest.mark.parametrize(
    "text, activity_type, message",
    [
        (
            TRAINING.replace(";Deltagare;", ";Deltagare;Unika deltagare;").replace(";12;", ";12;15;"),
            "staff_training",
            "Rad 2, kolumn Unika deltagare: 15 är fler än antalet deltagare (12)",
        ),
        (
            TRAINING.replace(";Deltagare;", ";Deltagare;Unika deltagare;").replace(";12;", ";12;-1;"),
            "staff_training",
            "Rad 2, kolumn Unika deltagare: -1 får inte vara negativt",
        ),
        (
            TRAFFIC.replace("rattfylleri\n", "rattfylleri;Olämpligt beteende i trafiken\n").replace(
                ";1\n", ";1;några\n"
            ),
            "traffic_control",
            "Rad 2, kolumn Olämpligt beteende i trafiken: några är inget heltal",
        ),
        (
            DRUGS.replace(";Anmälningar\n", ";Anmälningar;Fokus på unga\n").replace(";1\n", ";1;kanske\n"),
            "drug_operation",
            "Rad 2, kolumn Fokus på unga: kanske ska vara ja eller nej",
        ),
    ],
)
def test_a_bad_new_field_names_row_and_column_and_changes_nothing(tmp_store, text, activity_type, message):
    result = _import(tmp_store, "fel.csv", text)
    assert result.activity_type == activity_type
    assert [str(p) for p in result.problems] == [message]
    assert tmp_store.activity_count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"activity_type": "foot_patrol", "youth_focus": True},  # only on a drug-trade operation
        {"activity_type": "foot_patrol", "inappropriate_behaviour_reports": 1},  # only on a traffic control
        {"activity_type": "awareness", "participants": 5, "unique_participants": 2},  # only on a staff training
        {"activity_type": "staff_training", "participants": 5, "unique_participants": 6},
        {"activity_type": "traffic_control", "inappropriate_behaviour_reports": -1},
    ],
)
def test_the_store_refuses_a_new_field_where_it_does_not_belong(tmp_store, fields):
    with pytest.raises(duckdb.ConstraintException):
        add_rows(tmp_store, [activity(fields.pop("activity_type"), "2024-03-05", **fields)])
    assert tmp_store.activity_count() == 0


def test_a_new_field_joins_the_content_key_only_when_it_holds_a_value(tmp_store):
    """The key of a row without the new fields is the md5 of its 27 parts, as before migration 010
    (_old_key below); a value in a new field adds '|column=value' at the end."""
    parts = "|".join(
        ["drug_operation", "2024-03-08", "2024-03-08", "1", "", "", "vivsta", "", "samverkan", "", ""]
        + [""] * 10
        + ["1", "9", "2", "", "", ""]
    )
    without = hashlib.md5(parts.encode()).hexdigest()
    assert without == _old_key(OLD_ROWS[2])
    with_focus = hashlib.md5((parts + "|youth_focus=true").encode()).hexdigest()
    _import(tmp_store, "d.csv", DRUGS)
    _import(
        tmp_store,
        "d2.csv",
        DRUGS.replace(";Anmälningar\n", ";Anmälningar;Fokus på unga\n").replace(";9;2;1\n", ";9;2;1;ja\n"),
    )
    assert [k for (k,) in _one(tmp_store, "SELECT content_key FROM activities ORDER BY id")] == [without, with_focus]


def test_a_file_with_the_new_fields_uploaded_again_adds_nothing(tmp_store):
    training = TRAINING.replace(";Deltagare;", ";Deltagare;Unika deltagare;").replace(";12;", ";12;9;")
    assert _import(tmp_store, "u.csv", training).new == 1
    again = _import(tmp_store, "u-igen.csv", training.replace("\n", "\r\n"))  # other bytes, same rows
    assert (again.new, again.duplicates) == (0, 1)


def test_activity_days_spread_the_new_measures_and_undo_takes_them_out(tmp_store):
    """A summary row over 5 and 6 March with 4 reports adds 2 to each day; the explore sums see them."""
    traffic = TRAFFIC.replace("rattfylleri\n", "rattfylleri;Olämpligt beteende i trafiken\n").replace(";1\n", ";1;4\n")
    batch = _import(tmp_store, "t.csv", traffic).batch_id
    training = TRAINING.replace(";Deltagare;", ";Deltagare;Unika deltagare;").replace(";12;", ";12;9;")
    _import(tmp_store, "u.csv", training)
    assert _one(
        tmp_store, "SELECT day, inappropriate_behaviour_reports, unique_participants FROM activity_days ORDER BY day"
    ) == [(dt.date(2024, 3, 5), 2.0, None), (dt.date(2024, 3, 6), 2.0, None), (dt.date(2024, 3, 7), None, 9.0)]
    sums = _one(
        tmp_store,
        "SELECT sum(inappropriate_behaviour_reports), sum(unique_participants), sum(participants) FROM activity_days",
    )
    assert sums == [(4.0, 9.0, 12.0)]
    tmp_store.undo_batch(batch, TESTER)
    assert _one(tmp_store, "SELECT count(*), sum(inappropriate_behaviour_reports) FROM activity_days") == [(1, None)]


def test_the_explore_sums_include_the_new_measures(tmp_store):
    from trygghet.exploration.figures import explore_sums
    from trygghet.exploration.model import Selection

    traffic = TRAFFIC.replace("rattfylleri\n", "rattfylleri;Olämpligt beteende i trafiken\n").replace(";1\n", ";1;4\n")
    _import(tmp_store, "t.csv", traffic)
    sel = Selection(types=("traffic_control",), start=dt.date(2024, 3, 6), end=dt.date(2024, 3, 31))
    sums = explore_sums(tmp_store, sel)
    assert sums.inappropriate_behaviour_reports.iloc[0] == 2  # half of the summary row's 4 falls on 6 March


def test_the_demo_fills_the_new_fields_on_their_types_only():
    frame = generate(seed=1)
    kinds = {c: set(frame.loc[frame[c].notna(), "activity_type"]) for c in NEW_COLUMNS}
    assert kinds == {
        "inappropriate_behaviour_reports": {"traffic_control"},
        "youth_focus": {"drug_operation"},
        "unique_participants": {"staff_training"},
    }
    traffic = frame[frame.activity_type == "traffic_control"]
    assert (traffic.inappropriate_behaviour_reports <= traffic.vehicles_checked).all()
    assert 0 < traffic.inappropriate_behaviour_reports.sum() < 0.1 * traffic.vehicles_checked.sum()
    drugs = frame[frame.activity_type == "drug_operation"]
    assert 0 < drugs.youth_focus.sum() < len(drugs)  # some operations aim at young people
    training = frame[frame.activity_type == "staff_training"]
    given = training[training.unique_participants.notna()]
    assert 0 < len(given) < len(training)  # some rows say, some do not
    assert (given.unique_participants <= given.participants).all()


def test_demo_data_with_the_new_fields_loads_into_the_store(tmp_store):
    from trygghet.demo import load_demo

    load_demo(tmp_store, seed=1)
    assert (
        _one(
            tmp_store,
            "SELECT activity_type, count(*) FROM activities WHERE inappropriate_behaviour_reports"
            " IS NOT NULL OR youth_focus IS NOT NULL OR unique_participants IS NOT NULL"
            " GROUP BY 1 ORDER BY 1",
        )[0][0]
        == "drug_operation"
    )


# --- migration 010 on a store with data ------------------------------------------------------------

OLD_KEY_COLUMNS = (
    "activity_type",
    "date_from",
    "date_to",
    "activity_count",
    "start_time",
    "duration_min",
    "area_code",
    "place",
    "organisation",
    "staff_count",
    "comment",
    "citizen_contacts",
    "control_kind",
    "risk_place",
    "breath_tests",
    "drunk_driving_suspected",
    "drugged_driving_suspected",
    "speeding_offences",
    "vehicles_checked",
    "illegal_vehicles",
    "driving_bans",
    "reports_filed",
    "persons_checked",
    "seizures",
    "topics",
    "audiences",
    "participants",
)
OLD_ROWS = [  # the rows of TRAFFIC, TRAINING and DRUGS, as an earlier version stored them
    {
        "activity_type": "traffic_control",
        "date_from": dt.date(2024, 3, 5),
        "date_to": dt.date(2024, 3, 6),
        "activity_count": 2,
        "duration_min": 120,
        "area_code": "vivsta",
        "organisation": "polisen",
        "staff_count": 2,
        "control_kind": "nykterhet",
        "risk_place": True,
        "vehicles_checked": 40,
        "breath_tests": 30,
        "drunk_driving_suspected": 1,
    },
    {
        "activity_type": "staff_training",
        "date_from": dt.date(2024, 3, 7),
        "date_to": dt.date(2024, 3, 7),
        "activity_count": 1,
        "area_code": "hela-kommunen",
        "organisation": "kommunen",
        "comment": "Grundutbildning",
        "topics": ["våld i nära relation"],
        "participants": 12,
    },
    {
        "activity_type": "drug_operation",
        "date_from": dt.date(2024, 3, 8),
        "date_to": dt.date(2024, 3, 8),
        "activity_count": 1,
        "area_code": "vivsta",
        "organisation": "samverkan",
        "persons_checked": 9,
        "seizures": 2,
        "reports_filed": 1,
    },
]


def _old_key(row: dict) -> str:
    """The content key as every version before migration 010 computed it, written out in Python."""

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ",".join(sorted(value))
        if isinstance(value, str):
            return value.strip().lower()
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return hashlib.md5("|".join(text(row.get(c)) for c in OLD_KEY_COLUMNS).encode()).hexdigest()


def test_migration_010_keeps_every_row_its_key_and_every_figure(tmp_path, monkeypatch):
    """A store as migrations 001–009 left it, with three rows: after 010 the rows, ids, keys and
    activity_days are as they were, the new columns are empty, and the same rows uploaded again
    (in files without the new columns) are recognised as already there."""
    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] < 10])
    store = database.Store(tmp_path / "gammal.duckdb")
    store.migrate()
    from trygghet.reference.files import load_reference

    store.sync_reference(load_reference())
    with store.transaction() as con:
        con.execute("INSERT INTO import_batches (file_name, content_hash, imported_by) VALUES ('gammal.csv', 'x', 't')")
        for number, row in enumerate(OLD_ROWS, start=1):
            columns = ["id", "batch_id", "content_key", *row]
            con.execute(
                f"INSERT INTO activities ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [number, 1, _old_key(row), *row.values()],
            )
        con.execute("UPDATE activity_id_counter SET last_id = 3")
        activity_days.rebuild_days(con)
    old_columns = ", ".join(c for c in database.ACTIVITY_COLUMNS if c not in NEW_COLUMNS)
    day_columns = (
        "batch_id, day, "
        + ", ".join(c for c in (*database.DAY_DIMENSIONS, *database.DAY_MEASURES) if c not in NEW_COLUMNS)
        + ", staff_minutes"
    )
    rows_before = _one(store, f"SELECT id, content_key, {old_columns} FROM activities ORDER BY id")
    days_before = _one(store, f"SELECT {day_columns} FROM activity_days ORDER BY ALL")
    assert len(days_before) == 4 and [r[1] for r in rows_before] == [_old_key(r) for r in OLD_ROWS]

    monkeypatch.setattr(schema, "_migrations", lambda: every)
    assert store.migrate()[0] == "010_activity_fields_for_issue_15.sql"
    assert _one(store, f"SELECT id, content_key, {old_columns} FROM activities ORDER BY id") == rows_before
    assert _one(store, f"SELECT {day_columns} FROM activity_days ORDER BY ALL") == days_before
    assert _one(store, f"SELECT count(*) FROM activities WHERE coalesce({', '.join(NEW_COLUMNS)}) IS NOT NULL") == [
        (0,)
    ]
    for name, text in (("trafik.csv", TRAFFIC), ("utbildning.csv", TRAINING), ("droghandel.csv", DRUGS)):
        again = _import(store, name, text, "staff_training" if text == TRAINING else None)
        assert (again.problems, again.new, again.duplicates) == ([], 0, 1), name
    assert store.activity_count() == 3


def test_the_traffic_page_shows_the_reports_of_inappropriate_behaviour(tmp_store, monkeypatch):
    from tests.app import open_page

    monkeypatch.setenv("TRYGGHET_TODAY", "2024-12-31")
    traffic = TRAFFIC.replace("rattfylleri\n", "rattfylleri;Olämpligt beteende i trafiken\n").replace(";1\n", ";1;4\n")
    _import(tmp_store, "t.csv", traffic)
    at = open_page("pages/trafikkontroller.py")
    assert not at.error
    assert {m.label: m.value for m in at.metric}["Olämpligt beteende i trafiken"] == "4"
