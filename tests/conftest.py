"""Shared fixtures: a fresh, migrated store on a temporary DuckDB file for every test."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

from tests.factories import MEETINGS, PASSWORD, PATROLS, TESTER, add_rows, kept_open
from trygghet.auth import add_user
from trygghet.bootstrap import prepare_store
from trygghet.store.database import Store

# Every property runs a fixed number of examples with no per-example deadline (a loaded machine is no bug);
# HYPOTHESIS_PROFILE=thorough runs ten times as many. The README's test section states the counts.
settings.register_profile("make-test", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "make-test"))


@pytest.fixture(scope="session")
def prepared_file(tmp_path_factory):
    """A store file prepared once per test process: migrating and seeding one costs more than the test using it,
    and copying its file costs nothing."""
    path = tmp_path_factory.mktemp("prepared") / "prepared.duckdb"
    prepare_store(path)
    assert not path.with_name(path.name + ".wal").exists()  # every write checkpointed: the file is the store
    return path


@pytest.fixture
def tmp_store(tmp_path, monkeypatch, prepared_file, request):
    """An empty store (schema, reference data and example targets, no activities): a copy of the prepared file,
    brought up to date by prepare_store as every command does (here it finds nothing to do). Its file stays
    open for the test (`kept_open`) unless the test is marked `closes_after_use`."""
    path = tmp_path / "test.duckdb"
    shutil.copyfile(prepared_file, path)
    monkeypatch.setenv("TRYGGHET_DB", str(path))
    if request.node.get_closest_marker("closes_after_use"):
        yield prepare_store(path)
        return
    with kept_open(Store(path)):
        yield prepare_store(path)


@pytest.fixture
def council(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-11")
    for day in MEETINGS:
        tmp_store.save_meeting(None, day, "Rådet för trygghet och hälsa", None, user=TESTER)
    add_rows(tmp_store, PATROLS)
    return tmp_store


@pytest.fixture
def accounts(tmp_path):
    """An accounts file with one editor, anna, whose password is PASSWORD."""
    path = tmp_path / "users.toml"
    add_user(path, "anna", PASSWORD, "editor")
    return path
