"""Start-up writes nothing when nothing changed, and a target never rewrites the past.

1. Every command prepares the store (migrations, reference files, example targets). A write
   bumps data_version, which empties the dashboard's caches, so a read-only command such as a
   scheduled `stats --json` must leave the version alone, while a changed reference file is
   still applied.
2. A new target takes effect no earlier than the target in force today began: months already
   reported keep the target valid then. The rule lives in trygghet.figures.targets and in the store, and
   the Mål page shows its Swedish refusal.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import TESTER, command
from trygghet.auth import Role, User
from trygghet.bootstrap import prepare_store
from trygghet.config import PROJECT_ROOT
from trygghet.figures.indicators import registry
from trygghet.figures.targets import (
    Target,
    TargetError,
    load_targets_file,
    parse_target,
    set_target,
    stored_targets,
    to_row,
)
from trygghet.reference.files import load_reference
from trygghet.store.database import StoreError

D = dt.date
INDICATOR = "atraktor_insatser"  # its shipped example target is valid from 2019-04-01


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    return data


def _target(**fields) -> Target:
    return parse_target(
        {
            "agreement": "medborgarlofte-2023",
            "indicator": INDICATOR,
            "grain": "year",
            "direction": "at_least",
            "origin": "Beslutat av rådet",
            **fields,
        }
    )


def _target_state(store) -> tuple:
    changes = store.target_changes()
    return store.target_rows(), changes.drop(columns="changed_at").to_dict("records"), store.data_version()


# --- 1. quiet start-up --------------------------------------------------------------------


def test_preparing_a_prepared_store_writes_nothing(tmp_store):
    version = tmp_store.data_version()
    prepare_store(tmp_store.path)
    prepare_store(tmp_store.path)
    assert tmp_store.data_version() == version


def test_the_start_up_steps_report_that_they_wrote_nothing(tmp_store):
    version = tmp_store.data_version()
    assert tmp_store.sync_reference(load_reference()) is False
    assert tmp_store.seed_targets([to_row(t) for t in load_targets_file()]) is False
    assert tmp_store.data_version() == version


@pytest.mark.slow
def test_read_only_commands_leave_the_data_version_alone(tmp_path):
    db = tmp_path / "cli.duckdb"
    first = command("stats", "--json", db=db)  # creates and prepares the file
    assert first.returncode == 0, first.stderr
    version = prepare_store(db).data_version()
    for args in (("stats", "--json"), ("progress", "--date", "2024-06-30", "--json"), ("stats", "--json")):
        result = command(*args, db=db)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
        assert prepare_store(db).data_version() == version, args


def test_the_files_seed_the_agreements_once_and_are_never_synced_over_the_database(tmp_path):
    """Issue 14: the database is the master. A commitment text or a date changed in the files, or a
    commitment deleted from the database, is left alone at the next start, and nothing is written."""
    data = _copy_data(tmp_path)
    store = prepare_store(tmp_path / "ref.duckdb", data_dir=data)
    commitments = data / "commitments.toml"
    old = "ska jobba aktivt med trygghetsskapande åtgärder"
    text = commitments.read_text(encoding="utf-8")
    assert old in text
    commitments.write_text(
        text.replace(old, "ska jobba mycket aktivt med trygghetsskapande åtgärder"), encoding="utf-8"
    )
    agreements = data / "agreements.toml"
    agreements.write_text(
        agreements.read_text(encoding="utf-8").replace("2023-03-31", "2023-04-30", 1)
        + "\n[[agreement]]\nid = 'trasig'\n",
        encoding="utf-8",
    )  # not even read any more
    with store.connect() as con:
        con.execute("DELETE FROM commitments WHERE id = 'ml23-fotpatrull'")
    version = store.data_version()

    prepare_store(store.path, data_dir=data)
    assert store.data_version() == version
    row = store.commitments("medborgarlofte-2023").set_index("id").loc["ml23-trygghetsskapande"]
    assert old in row.text
    assert D(2023, 3, 31) in {d.date() for d in store.agreements().valid_to}
    assert len(store.commitments("medborgarlofte-2023")) == 7


def test_areas_edited_in_the_app_are_kept_and_cause_no_write(tmp_store):
    areas = tmp_store.areas().to_dict("records")
    areas[0]["name"] = "Nytt namn"
    tmp_store.save_areas(areas, TESTER)
    version = tmp_store.data_version()
    prepare_store(tmp_store.path)
    assert tmp_store.data_version() == version
    assert "Nytt namn" in set(tmp_store.areas().name)


def test_targets_are_seeded_once_and_a_council_target_is_not_reseeded(tmp_store):
    set_target(tmp_store, _target(value=50, valid_from=D(2024, 7, 1)), TESTER, today=D(2024, 6, 30))
    rows = tmp_store.target_rows()
    version = tmp_store.data_version()
    prepare_store(tmp_store.path)
    assert tmp_store.target_rows() == rows
    assert tmp_store.data_version() == version


def test_an_empty_store_is_still_seeded(tmp_path):
    store = prepare_store(tmp_path / "new.duckdb")
    assert len(store.target_rows()) == len(load_targets_file())
    assert not store.areas().empty


# --- 2. a target never silently rewrites the past ------------------------------------------


def test_set_target_refuses_a_back_dated_target_and_changes_nothing(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")  # today comes from trygghet.config.today()
    set_target(tmp_store, _target(value=40, valid_from=D(2024, 7, 1)), TESTER)
    before = _target_state(tmp_store)
    with pytest.raises(StoreError, match=r"Gäller från.*2024-03-01.*före i dag \(2024-06-30\)") as refused:
        set_target(tmp_store, _target(value=50, valid_from=D(2024, 3, 1)), TESTER)
    assert registry()[INDICATOR].title in str(refused.value) and "Rättelse" in str(refused.value)
    assert _target_state(tmp_store) == before


def test_the_store_refuses_a_back_dated_target_even_when_called_directly(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    before = _target_state(tmp_store)
    for day in (D(2023, 1, 1), D(2024, 6, 29)):
        with pytest.raises(StoreError, match=r"Gäller från"):
            tmp_store.replace_target(
                to_row(_target(value=50, valid_from=day)), TESTER, None, "bakåt", indicator_title="Mått"
            )
    assert _target_state(tmp_store) == before
    with pytest.raises(StoreError, match="2024-06-30"):  # an explicit today is honoured as well
        tmp_store.replace_target(
            to_row(_target(value=50, valid_from=D(2024, 2, 1))),
            TESTER,
            None,
            "bakåt",
            indicator_title="Mått",
            today=D(2024, 6, 30),
        )


def test_a_correction_with_a_reason_rewrites_past_days_and_keeps_earlier_targets(tmp_store):
    today = D(2024, 6, 30)
    set_target(
        tmp_store,
        _target(value=40, valid_from=D(2024, 3, 1)),
        TESTER,
        today=today,
        correction="Rådets beslut 2024-02-20 fördes in för sent",
    )
    set_target(tmp_store, _target(value=50, valid_from=D(2024, 7, 1)), TESTER, today=today)
    own = sorted(
        (t for t in stored_targets(tmp_store) if t.indicator == INDICATOR and t.agreement == "medborgarlofte-2023"),
        key=lambda t: t.valid_from,
    )
    assert [(t.valid_from, t.valid_to, t.value) for t in own] == [
        (D(2023, 1, 1), D(2024, 2, 29), 35),
        (D(2024, 3, 1), D(2024, 6, 30), 40),
        (D(2024, 7, 1), None, 50),
    ]
    history = tmp_store.target_changes()
    assert list(history.reason.fillna("")) == ["", "Rådets beslut 2024-02-20 fördes in för sent"]
    # The samverkansöverenskommelse's own target for the indicator is untouched.
    assert [
        (t.valid_from, t.value)
        for t in stored_targets(tmp_store)
        if t.indicator == INDICATOR and t.agreement == "samverkan-2019"
    ] == [(D(2019, 4, 1), 35)]


def test_a_correction_needs_a_reason_and_a_target_stays_inside_its_agreement(tmp_store):
    before = _target_state(tmp_store)
    with pytest.raises(TargetError, match="Motivering"):
        set_target(
            tmp_store, _target(value=40, valid_from=D(2024, 3, 1)), TESTER, today=D(2024, 6, 30), correction="  "
        )
    with pytest.raises(TargetError, match=r"Gäller från.*2025-01-01 ligger utanför Medborgarlöfte 2023–2024"):
        set_target(tmp_store, _target(value=40, valid_from=D(2025, 1, 1)), TESTER, today=D(2024, 6, 30))
    with pytest.raises(TargetError, match="Överenskommelse.*finns-inte"):
        set_target(
            tmp_store, _target(value=40, valid_from=D(2024, 7, 1), agreement="finns-inte"), TESTER, today=D(2024, 6, 30)
        )
    assert _target_state(tmp_store) == before


# --- the Mål page ------------------------------------------------------------------------


def _mal_page(user: User | None = None) -> AppTest:
    return open_page("pages/mal.py", user)


def test_the_target_form_defaults_to_today(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    at = _mal_page(User("admin", Role.ADMIN))
    [valid_from] = [d for d in at.date_input if d.label == "Gäller från"]
    assert valid_from.value == D(2024, 6, 30)


def test_the_target_form_refuses_a_back_dated_target_with_a_swedish_message(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-30")
    set_target(
        tmp_store,
        _target(value=40, valid_from=D(2024, 3, 1), origin="Beslutat av rådet 2024-02-20"),
        TESTER,
        correction="Infört i efterhand",
    )
    at = _mal_page(User("admin", Role.ADMIN))  # the first run may load demo data into the empty store
    before = _target_state(tmp_store)
    next(s for s in at.selectbox if s.label == "Mått").select(INDICATOR).run()
    next(n for n in at.number_input if n.label.startswith("Antal")).set_value(50.0)
    next(r for r in at.radio if r.label == "Typ av mål").set_value("Ett antal")
    next(d for d in at.date_input if d.label == "Gäller från").set_value(D(2024, 1, 1))
    next(t for t in at.text_input if t.label == "Beslut").input("Beslutat av rådet 2024-06-11")
    next(b for b in at.button if b.label == "Spara målet").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(e.startswith("Målet sparades inte.") and "Gäller från" in e and "2024-06-30" in e for e in errors), (
        errors
    )
    assert not at.success
    assert _target_state(tmp_store) == before
    history = at.dataframe[-1].value
    assert list(history["Nytt mål"]) == ["minst 40 per år, från 2024-03-01 (Beslutat av rådet 2024-02-20)"]
    assert list(history["Rättelse, motivering"]) == ["Infört i efterhand"]
