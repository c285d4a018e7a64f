"""`Store`, the one object pages and commands use: every part of the store composed on one database file.

Each part is a module of its own (one per aggregate): connection (the file, its uses and writes), schema
(migrations, reference data), activities (batches) with content_key and activity_days, agreements, targets,
meetings, areas, accounts and exploration. Every SQL statement outside the indicator compiler lives in them.
"""

from __future__ import annotations

from trygghet.store.accounts import Accounts
from trygghet.store.activities import (
    STAGED_ROWS,
    Activities,
    BatchCount,
    BatchInfo,
    BatchMatch,
    LiveBatch,
    ReportBatch,
    Stats,
)
from trygghet.store.activity_days import DAY_DIMENSIONS, DAY_MEASURES, without_dust
from trygghet.store.agreements import AgreementTables
from trygghet.store.areas import Areas
from trygghet.store.connection import StoreBusy, StoreError, keep_open
from trygghet.store.content_key import ACTIVITY_COLUMNS, TEXT_COLUMNS, content_key_sql, numbered_key_sql, with_text_key
from trygghet.store.exploration import Exploration
from trygghet.store.meetings import Comment, FollowUp, LockedFigures, Meeting, MeetingAuthors, Meetings, WrittenFollowUp
from trygghet.store.schema import Schema
from trygghet.store.targets import TargetRow, Targets

# The names callers import from here (the store's public face), whichever part defines them.
__all__ = [
    "ACTIVITY_COLUMNS",
    "DAY_DIMENSIONS",
    "DAY_MEASURES",
    "STAGED_ROWS",
    "TEXT_COLUMNS",
    "BatchCount",
    "BatchInfo",
    "BatchMatch",
    "Comment",
    "FollowUp",
    "LiveBatch",
    "LockedFigures",
    "Meeting",
    "MeetingAuthors",
    "ReportBatch",
    "Stats",
    "Store",
    "StoreBusy",
    "TargetRow",
    "WrittenFollowUp",
    "StoreError",
    "content_key_sql",
    "keep_open",
    "numbered_key_sql",
    "with_text_key",
    "without_dust",
]


class Store(Schema, Activities, AgreementTables, Targets, Meetings, Areas, Accounts, Exploration):
    """The database file at `path` (config.db_path() when None) with every part's reads and writes."""
