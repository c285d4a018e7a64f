"""The store: migrations, constraints, reference data, demo data and concurrent use."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.factories import TESTER, activity, add_rows, file_held_by_another_process
from trygghet.bootstrap import prepare_store
from trygghet.config import PROJECT_ROOT
from trygghet.demo import generate, load_demo
from trygghet.reference.files import ReferenceDataError, load_reference

SOURCES = PROJECT_ROOT / "docs" / "source-documents"


def test_migrations_apply_twice_without_harm(tmp_store):
    assert tmp_store.migrate() == []
    prepare_store(tmp_store.path)
    assert tmp_store.schema_version() >= 1
    assert tmp_store.stats().activities == 0


def test_migration_007_keeps_the_activity_log_as_it_was_but_for_the_id_index(tmp_path, monkeypatch):
    """The rebuilt table has every column, type, default and check of the old one, and its rows."""
    from trygghet.store import database, schema

    def shape(con):
        columns = con.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns()"
            " WHERE table_name = 'activities' ORDER BY column_index"
        ).fetchall()
        constraints = con.execute(
            "SELECT constraint_type, constraint_text FROM duckdb_constraints()"
            " WHERE table_name = 'activities' ORDER BY ALL"
        ).fetchall()
        return columns, constraints

    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 6])
    store = database.Store(tmp_path / "gammal.duckdb")
    store.migrate()
    with store.connect() as con:  # as the store of migration 006 wrote them (today's has more columns)
        con.execute("INSERT INTO import_batches (file_name, content_hash, imported_by) VALUES ('a.csv', 'x', 'test')")
        con.execute(
            "INSERT INTO activities (id, batch_id, activity_type, date_from, date_to, area_code, organisation,"
            " content_key, control_kind, risk_place) VALUES"
            " (1, 1, 'foot_patrol', DATE '2024-03-05', DATE '2024-03-05', 'vivsta', 'polisen', 'k1', NULL, NULL),"
            " (2, 1, 'traffic_control', DATE '2024-03-06', DATE '2024-03-06', 'vivsta', 'polisen', 'k2',"
            " 'kombinerad', TRUE)"
        )
        columns, constraints = shape(con)
        rows = con.execute("SELECT * FROM activities ORDER BY id").fetchall()
    assert ("PRIMARY KEY", "PRIMARY KEY(id)") in constraints

    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 7])
    assert store.migrate() == ["007_activities_without_id_index.sql"]
    with store.connect() as con:
        assert shape(con) == (columns, [c for c in constraints if c[0] != "PRIMARY KEY"])
        assert con.execute("SELECT * FROM activities ORDER BY id").fetchall() == rows


def test_reference_data_loads_both_agreements_and_every_commitment(tmp_store):
    agreements = tmp_store.agreements()
    assert list(agreements.id) == ["samverkan-2019", "medborgarlofte-2023"]
    assert agreements.valid_from.iloc[0].date() == dt.date(2019, 4, 1)
    assert agreements.valid_to.iloc[0].date() == dt.date(2023, 3, 31)
    assert len(tmp_store.commitments("medborgarlofte-2023")) == 8
    assert len(tmp_store.commitments("samverkan-2019")) == 7
    central = set(tmp_store.areas().query("is_central").name)
    assert central == {"Timrå centrum", "Vivsta", "Åkroken"}


def test_commitment_texts_are_verbatim_from_the_source_documents(tmp_store):
    ref = load_reference()
    documents = {
        "medborgarlofte-2023": (SOURCES / "medborgarlofte-timra-2023-2024.txt"),
        "samverkan-2019": (SOURCES / "samverkansoverenskommelse-timra-2019-2022.txt"),
    }
    for agreement in ref.agreements:
        for commitment in agreement.commitments:
            assert commitment.text in documents[agreement.id].read_text(encoding="utf-8"), commitment.id


def test_a_broken_reference_file_names_the_file_entry_and_field(tmp_path):
    for name in ("agreements.toml", "commitments.toml", "areas.csv", "targets.toml"):
        (tmp_path / name).write_bytes((PROJECT_ROOT / "data" / name).read_bytes())
    text = (tmp_path / "commitments.toml").read_text(encoding="utf-8")
    (tmp_path / "commitments.toml").write_text(
        text.replace('responsible = "polisen"', 'responsible = "alla"', 1), encoding="utf-8"
    )
    with pytest.raises(
        ReferenceDataError,
        match=r"commitments.toml, post 2 under \[\[commitment\]\] \(ml23-fotpatrull\): fältet responsible",
    ):
        load_reference(tmp_path)


@pytest.mark.parametrize(
    "bad",
    [
        {"activity_count": 0},  # a row stands for at least one activity
        {"date_to": dt.date(2024, 3, 1)},  # ends before it starts
        {"organisation": "okänd"},
        {"citizen_contacts": -1},
        {"breath_tests": 5},  # a traffic measure on a foot patrol
    ],
)
def test_constraints_refuse_bad_rows_and_change_nothing(tmp_store, bad):
    row = activity("foot_patrol", "2024-03-05", **bad)
    with pytest.raises(duckdb.ConstraintException):
        add_rows(tmp_store, [activity("foot_patrol", "2024-03-04"), row])
    assert tmp_store.stats().activities == 0
    assert tmp_store.batches().empty


def test_traffic_control_requires_its_own_fields(tmp_store):
    with pytest.raises(duckdb.ConstraintException):
        add_rows(tmp_store, [activity("traffic_control", "2024-03-05", control_kind=None)])


def test_illegal_vehicles_cannot_exceed_vehicles_checked(tmp_store):
    with pytest.raises(duckdb.ConstraintException):
        add_rows(tmp_store, [activity("atractor_check", "2024-05-05", vehicles_checked=2, illegal_vehicles=3)])


def test_demo_generator_is_deterministic_and_plausible():
    first, second = generate(seed=7), generate(seed=7)
    assert first.equals(second)
    assert not first.equals(generate(seed=8))
    patrols = first[first.activity_type == "foot_patrol"]
    central = patrols.area_code.isin(["timra-centrum", "vivsta", "akroken"]).mean()
    assert central > 0.6  # more patrols in central Timrå
    evening = (patrols.start_time.map(lambda t: t.hour) >= 16).mean()
    assert evening > 0.7  # mostly evenings
    tractors = first[first.activity_type == "atractor_check"]
    assert tractors.date_from.dt.month.between(4, 10).all()  # spring to autumn only
    meetings = first[first.activity_type == "info_meeting"]
    assert not meetings.date_from.dt.month.isin([7]).any()  # school terms
    assert set(first.activity_type) == {
        "foot_patrol",
        "traffic_control",
        "atractor_check",
        "info_meeting",
        "drug_operation",
        "staff_training",
        "awareness",
    }
    assert len(generate(seed=1, rows=5000)) == 5000


def test_demo_is_one_marked_batch_and_can_be_removed(tmp_store):
    load_demo(tmp_store, seed=3)
    batches = tmp_store.batches()
    assert len(batches) == 1 and bool(batches.is_demo.iloc[0])
    assert tmp_store.has_demo_data()
    assert tmp_store.meeting_dates()
    removed = tmp_store.remove_demo(TESTER)
    assert removed > 0
    assert tmp_store.stats().activities == 0
    assert not tmp_store.has_demo_data()
    assert tmp_store.batches().undone_at.notna().all()  # the record stays, marked as undone


def test_every_write_bumps_the_data_version(tmp_store):
    before = tmp_store.data_version()
    add_rows(tmp_store, [activity("foot_patrol", "2024-03-05")])
    assert tmp_store.data_version() == before + 1


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trygghet", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_cli_stats_json_reads_counts_from_the_file(tmp_store):
    add_rows(tmp_store, [activity("foot_patrol", "2024-03-05"), activity("drug_operation", "2024-03-06")])
    result = _cli(tmp_store.path, "stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["per_type"]["foot_patrol"] == 1 and stats["per_type"]["drug_operation"] == 1
    assert stats["batches"][0]["activities"] == 2


def test_cli_progress_in_swedish_words_with_units_target_and_forecast(tmp_store):
    add_rows(tmp_store, [activity("foot_patrol", "2024-06-01"), activity("foot_patrol", "2024-06-20")])
    result = _cli(tmp_store.path, "progress", "--date", "2024-06-30")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Medborgarlöfte 2023–2024, 2024, till och med 30 juni 2024"
    # Example target 130 a year, pro-rated 130 × 182 / 366 = 64,6; share 2 / 130 = 1,5 % ≈ 2 %;
    # forecast 2 / (64,6 / 130) = 4,0; 2 of 64,6 is behind.
    assert any(
        line.endswith(
            "Fotpatruller i centrala Timrå: 2 patruller av 130 patruller (2\u00a0%), prognos 4 patruller – efter"
        )
        for line in lines
    )
    assert any(line.endswith("Medborgarkontakter vid fotpatrull: 0 kontakter – inget mål") for line in lines)


def test_cli_answers_while_another_process_holds_connections_between_uses(tmp_store):
    """The dashboard opens a connection per use; a CLI run in between gets the file."""
    with tmp_store.connect() as con:
        con.execute("SELECT count(*) FROM activities").fetchall()
    result = _cli(tmp_store.path, "demo", "--seed", "2", "--years", "2024")
    assert result.returncode == 0, result.stderr
    assert tmp_store.activity_count() > 0


def test_cli_fails_clearly_when_the_file_stays_locked(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_LOCK_TIMEOUT", "0.5")
    with file_held_by_another_process(tmp_store.path):
        result = _cli(tmp_store.path, "stats")
        assert result.returncode == 1
        assert "används av ett annat program" in result.stderr


def test_cli_wrong_usage_exits_2(tmp_store):
    assert _cli(tmp_store.path, "demo", "--years", "2025-2024").returncode == 2


def test_cli_set_role_asks_for_exactly_the_roles_it_accepts(tmp_path, monkeypatch, capsys):
    """A local account is an editor or an admin (viewers need no account), and the message says so."""
    from trygghet import cli

    monkeypatch.setenv("TRYGGHET_USERS", str(tmp_path / "users.toml"))
    assert cli.main(["users", "set-role", "anna"]) == 2
    assert capsys.readouterr().err == "Fel: ange --role editor eller admin.\n"
    with pytest.raises(SystemExit) as refused:
        cli.main(["users", "set-role", "anna", "--role", "viewer"])
    assert refused.value.code == 2
    assert "'editor', 'admin'" in capsys.readouterr().err


def test_the_content_key_lowers_and_trims_exactly_the_text_columns(tmp_store):
    """database.TEXT_COLUMNS is kept by hand; a text column missing from it would change keys (and so what counts
    as a duplicate) without a word."""
    from trygghet.store.database import ACTIVITY_COLUMNS, TEXT_COLUMNS

    with tmp_store.connect() as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'activities'"
            ).fetchall()
        )
    assert TEXT_COLUMNS == {c for c in ACTIVITY_COLUMNS if types[c] == "VARCHAR"}


def test_insert_batch_reads_only_a_frame_or_the_staged_rows(tmp_store):
    """The importer hands insert_batch the staged rows by their one name (STAGED_ROWS); any other table name is
    refused before a row is read, and the refused write leaves no batch behind."""
    from trygghet.store.database import STAGED_ROWS, BatchInfo

    assert STAGED_ROWS == "import_new"
    with pytest.raises(ValueError, match="import_new"):
        with tmp_store.transaction() as con:
            con.execute("CREATE TEMP TABLE other_rows AS SELECT 1 AS row_no")
            tmp_store.insert_batch(con, BatchInfo("a.csv", "x", "test"), "other_rows")
    assert tmp_store.batches().empty and tmp_store.activity_count() == 0


def test_a_batch_spread_over_days_sums_only_the_columns_it_fills_and_stores_the_full_spread(tmp_store):
    """add_days leaves out the columns no row of a batch fills (a log of one type fills a few); what it
    stores is what the spread over every column (rebuild_days) stores."""
    from trygghet.store.activity_days import rebuild_days

    add_rows(
        tmp_store,
        [
            activity("foot_patrol", "2024-03-05", citizen_contacts=4, duration_min=90, staff_count=2),
            activity("foot_patrol", "2024-03-05/2024-03-06", duration_min=120),
        ],
    )
    add_rows(
        tmp_store,
        [activity("traffic_control", "2024-03-05", breath_tests=10), activity("info_meeting", "2024-03-07")],
    )
    every = "SELECT * FROM activity_days ORDER BY ALL"
    with tmp_store.connect() as con:
        added = con.execute(every).fetchall()
        patrols = con.execute(
            "SELECT day, sum(duration_min), sum(citizen_contacts), sum(staff_minutes) FROM activity_days"
            " WHERE activity_type = 'foot_patrol' GROUP BY day ORDER BY day"
        ).fetchall()
        with tmp_store.write(con):
            rebuild_days(con)
        assert con.execute(every).fetchall() == added
    # By hand: 90 min + half of 120 on the 5th, the other half on the 6th; 2 staff x 90 min.
    assert patrols == [(dt.date(2024, 3, 5), 150, 4, 180), (dt.date(2024, 3, 6), 60, None, None)]
    assert len(added) == 4  # two days of patrols, one traffic control, one meeting
