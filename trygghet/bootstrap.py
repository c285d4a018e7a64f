"""Bring a database file up to date: schema, reference data, default targets and, when empty, demo data."""

from __future__ import annotations

from pathlib import Path

from trygghet.config import DATA_DIR
from trygghet.demo import load_demo
from trygghet.reference import load_reference
from trygghet.storage import Store
from trygghet.targets import load_targets_file, to_row


def prepare_store(path: Path | str | None = None, *, demo_if_empty: bool = False,
                  data_dir: Path = DATA_DIR) -> Store:
    """Migrate, sync the reference files, seed example targets and optionally demo data into an empty store."""
    store = Store(path)
    store.migrate()
    store.sync_reference(load_reference(data_dir))
    store.seed_targets([to_row(t) for t in load_targets_file(data_dir / "targets.toml")])
    if demo_if_empty and store.activity_count() == 0 and store.batches().empty:
        load_demo(store)
    return store
