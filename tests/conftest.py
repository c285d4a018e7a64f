"""Shared fixtures: a fresh, migrated store on a temporary DuckDB file for every test."""

from __future__ import annotations

import pytest

from tests.factories import MEETINGS, PATROLS, add_rows, TESTER
from trygghet.bootstrap import prepare_store


@pytest.fixture
def tmp_store(tmp_path, monkeypatch):
    """An empty store (schema, reference data and example targets, no activities)."""
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv("TRYGGHET_DB", str(path))
    return prepare_store(path)


@pytest.fixture
def council(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-11")
    for day in MEETINGS:
        tmp_store.save_meeting(None, day, "Rådet för trygghet och hälsa", None, user=TESTER)
    add_rows(tmp_store, PATROLS)
    return tmp_store
