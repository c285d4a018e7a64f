"""Small hand-made activity logs for tests whose figures are worked out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from trygghet.storage import BatchInfo, Store

DEFAULTS = {"activity_count": 1, "area_code": "timra-centrum", "organisation": "polisen"}
TYPE_DEFAULTS = {
    "traffic_control": {"control_kind": "kombinerad", "risk_place": True},
    "info_meeting": {"topics": ["alkohol"], "audiences": ["vårdnadshavare"]},
}


def activity(activity_type: str, day: str, **fields) -> dict:
    """One activity row; `day` is 'YYYY-MM-DD', or 'YYYY-MM-DD/YYYY-MM-DD' for a summary row."""
    first, _, last = day.partition("/")
    row = {"activity_type": activity_type, "date_from": dt.date.fromisoformat(first),
           "date_to": dt.date.fromisoformat(last or first), **DEFAULTS, **TYPE_DEFAULTS.get(activity_type, {})}
    row.update(fields)
    return row


def add_rows(store: Store, rows: list[dict], file_name: str = "test.csv", imported_by: str = "test") -> int:
    """Insert rows as one batch and return its id."""
    frame = pd.DataFrame(rows)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    with store.transaction() as con:
        return store.insert_batch(con, BatchInfo(file_name, digest, imported_by), frame)
