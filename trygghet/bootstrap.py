"""Bring a database file up to date: schema, reference data, default targets and, when empty, demo data."""

from __future__ import annotations

from pathlib import Path

from trygghet.auth import AuthError
from trygghet.config import DATA_DIR, today
from trygghet.demo import load_living_demo
from trygghet.figures.targets import TargetError, load_targets_file, to_row
from trygghet.importing.read import clean_temporary
from trygghet.privacy import PersonalDataError
from trygghet.reference.agreements import AgreementError
from trygghet.reference.files import ReferenceDataError, load_reference
from trygghet.settings import SettingsError, settings
from trygghet.store.database import Store, StoreError

# Errors whose Swedish message tells the user what is wrong and where; anything else is a bug.
USER_ERRORS = (StoreError, ReferenceDataError, TargetError, SettingsError, AuthError, AgreementError, PersonalDataError)


def prepare_store(path: Path | str | None = None, *, demo_if_empty: bool = False, data_dir: Path = DATA_DIR) -> Store:
    """Migrate, seed the reference files once, seed example targets and optionally demo data into an empty store.

    Each step writes only when there is something to change, so preparing a store that is already up
    to date (every command does, even `stats`) leaves the data version, and the dashboard's caches, alone."""
    clean_temporary()  # what an import killed midway left behind
    settings()  # a malformed settings.toml stops every command and the dashboard here
    store = Store(path)
    store.migrate()
    if store.needs_reference():  # once: after that the agreements and areas are kept in the database
        store.sync_reference(load_reference(data_dir))
    store.seed_targets([to_row(t) for t in load_targets_file(data_dir / "targets.toml")])
    if demo_if_empty and store.activity_count() == 0 and store.batches().empty:
        load_living_demo(store, today())
    return store
