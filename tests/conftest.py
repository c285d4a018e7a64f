"""Shared fixtures: a fresh, migrated store on a temporary DuckDB file for every test."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.factories import MEETINGS, PASSWORD, PATROLS, TESTER, add_rows, first_run, kept_open
from trygghet.auth import add_user
from trygghet.bootstrap import prepare_store
from trygghet.config import today
from trygghet.store.database import Store

# Every property runs a fixed number of examples with no per-example deadline (a loaded machine is no bug);
# HYPOTHESIS_PROFILE=thorough runs ten times as many. The README's test section states the counts.
settings.register_profile("make-test", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "make-test"))

Build = Callable[[Store], object]  # writes a fixture's data into a store (see built_files)


@pytest.fixture(scope="session")
def prepared_file(tmp_path_factory):
    """A store file prepared once per test process: migrating and seeding one costs more than the test using it,
    and copying its file costs nothing."""
    path = tmp_path_factory.mktemp("prepared") / "prepared.duckdb"
    prepare_store(path)
    assert not path.with_name(path.name + ".wal").exists()  # every write checkpointed: the file is the store
    return path


@pytest.fixture(scope="session")
def built_files(tmp_path_factory, prepared_file) -> Callable[[Build | None], Path]:
    """The file of a store with a fixture's data (`build`, a function of the store, writes it), made once per test
    process from the prepared file. Every test of the fixture gets a copy: writing the data costs more than most
    tests, and copies of one file share its last write's token (Store.data_stamp), so the figures cached for one
    serve all of them until a test writes its own copy."""
    made: dict[tuple[Build, dt.date], Path] = {}

    def file_of(build: Build | None) -> Path:
        if build is None:
            return prepared_file
        key = (build, today())  # a build may read the day (the demo's does)
        if key not in made:
            path = tmp_path_factory.mktemp("built") / "built.duckdb"
            shutil.copyfile(prepared_file, path)
            with pytest.MonkeyPatch.context() as env:
                env.setenv("TRYGGHET_DB", str(path))
                build(prepare_store(path))
            assert not path.with_name(path.name + ".wal").exists()  # closed after its last use: checkpointed
            made[key] = path
        return made[key]

    return file_of


@pytest.fixture
def store_with(tmp_path, monkeypatch, built_files, request) -> Iterator[Callable[[Build | None], Store]]:
    """`store_with(build)`: the test's store, a copy of the file `build` wrote once per process (the prepared
    store itself when None), so already up to date: prepare_store would find nothing to do (and the dashboard's
    first run, or a command, runs it as ever). Its file stays open for the test (`kept_open`) unless the test is
    marked `closes_after_use`."""
    with contextlib.ExitStack() as held:

        def make(build: Build | None = None) -> Store:
            path = tmp_path / "test.duckdb"
            assert not path.exists(), "one store a test"
            shutil.copyfile(built_files(build), path)
            monkeypatch.setenv("TRYGGHET_DB", str(path))
            if not request.node.get_closest_marker("closes_after_use"):
                held.enter_context(kept_open(Store(path)))
            return Store(path)

        yield make


@pytest.fixture
def tmp_store(store_with, request):
    """An empty store (schema, reference data and example targets, no activities); for a test marked
    `after_first_run`, as the dashboard's first run leaves it, with today's demo data (written once per process)."""
    return store_with(first_run if request.node.get_closest_marker("after_first_run") else None)


def _council(store: Store) -> None:
    for day in MEETINGS:
        store.save_meeting(None, day, "Rådet för trygghet och hälsa", None, user=TESTER)
    add_rows(store, PATROLS)


@pytest.fixture
def council(store_with, monkeypatch):
    """The council's meetings and patrols (tests/factories.py, MEETINGS and PATROLS) on 11 June 2024."""
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-11")
    return store_with(_council)


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory) -> Path:
    """The accounts file of `accounts`, made once per test process: hashing the password costs 0,16 s of CPU."""
    path = tmp_path_factory.mktemp("accounts") / "users.toml"
    add_user(path, "anna", PASSWORD, "editor")
    return path


@pytest.fixture
def accounts(tmp_path, accounts_file):
    """An accounts file with one editor, anna, whose password is PASSWORD (a copy, the test's own)."""
    path = tmp_path / "users.toml"
    shutil.copyfile(accounts_file, path)
    return path
