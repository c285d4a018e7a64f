"""Shared fixtures: a fresh, migrated store on a temporary DuckDB file for every test."""

from __future__ import annotations

import pytest

from trygghet.bootstrap import prepare_store


@pytest.fixture
def tmp_store(tmp_path, monkeypatch):
    """An empty store (schema, reference data and example targets, no activities)."""
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv("TRYGGHET_DB", str(path))
    return prepare_store(path)
