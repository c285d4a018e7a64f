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


# A file of the first half of 2025 as the police export it: eight foot patrols, three of them in Sörberge (2 h,
# 1,5 h and 3 h: 6,5 hours), five in central Timrå (Timrå centrum, Vivsta, Åkroken: 9 hours).
FOOT_PATROLS_2025 = """Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;Kommentar
2025-01-14;18:30;2;Timrå centrum;Torget;polisen;2;4;
2025-02-11;19:00;1,5;Vivsta;Skolan;polisen;2;1;
2025-02-20;20:00;2;Sörberge;Idrottsplatsen;polisen;2;3;
2025-03-18;18:00;1;Timrå centrum;Köpcentrum;samverkan;3;6;
2025-04-08;21:00;1,5;Sörberge;Hamnen;polisen;2;0;
2025-05-06;19:30;2,5;Åkroken;;polisen;2;2;
2025-06-03;18:00;3;Sörberge;Centrum;samverkan;4;5;
2025-06-17;20:00;2;Timrå centrum;Torget;polisen;2;1;
"""
