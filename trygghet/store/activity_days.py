"""activity_days: every logged row spread over its days and summed per day and dimension.

The indicators and the exploration's sums read this table. Its columns are the one vocabulary they filter on
(DAY_DIMENSIONS) and sum (DAY_MEASURES); the share of a spread row leaves float dust, rounded away everywhere
with `without_dust`.
"""

from __future__ import annotations

import duckdb

# Spreading a summary row over its days leaves float dust (89.99999999999997); every sum is rounded to this many
# decimals, in SQL and in Python alike.
DUST_DIGITS = 9


def without_dust(value: float) -> float:
    """A sum of spread shares as the whole it is (see DUST_DIGITS)."""
    return round(value, DUST_DIGITS)


# The columns of activity_days: what an indicator may filter on, and the measures it may sum.
DAY_DIMENSIONS = (
    "activity_type",
    "area_code",
    "organisation",
    "control_kind",
    "risk_place",
    "topics",
    "audiences",
    "youth_focus",
)
DAY_MEASURES = (
    "activity_count",
    "duration_min",
    "citizen_contacts",
    "breath_tests",
    "drunk_driving_suspected",
    "drugged_driving_suspected",
    "speeding_offences",
    "vehicles_checked",
    "illegal_vehicles",
    "driving_bans",
    "reports_filed",
    "persons_checked",
    "seizures",
    "participants",
    "inappropriate_behaviour_reports",
    "unique_participants",
)


def activity_days_sql(dimensions: tuple[str, ...] = DAY_DIMENSIONS, measures: tuple[str, ...] = DAY_MEASURES) -> str:
    """Spread the rows of the batches in $batches over their days and sum them per day and dimension."""
    return f"""
INSERT INTO activity_days (batch_id, day, {", ".join(dimensions)}, {", ".join(measures)}, staff_minutes)
WITH src AS (
    SELECT *, date_to - date_from + 1 AS n_days FROM activities WHERE list_contains($batches, batch_id)
),
spread AS (
    SELECT *, date_from AS day FROM src WHERE n_days = 1
    UNION ALL
    SELECT *, CAST(unnest(generate_series(date_from, date_to, INTERVAL 1 DAY)) AS DATE) AS day FROM src WHERE n_days > 1
)
SELECT batch_id, day, {", ".join(dimensions)},
       {", ".join(f"sum(CAST({m} AS DOUBLE) / n_days)" for m in measures)},
       sum(CAST(staff_count * duration_min AS DOUBLE) / n_days)
FROM spread
GROUP BY ALL
"""


def rebuild_days(con: duckdb.DuckDBPyConnection) -> None:
    """Spread every batch over activity_days again (inside the caller's transaction), with the columns
    the table has: a store migrated part of the way, as in the tests of a migration, has fewer."""
    present = {
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'activity_days'"
        ).fetchall()
    }
    con.execute("DELETE FROM activity_days")
    con.execute(
        activity_days_sql(
            tuple(c for c in DAY_DIMENSIONS if c in present), tuple(c for c in DAY_MEASURES if c in present)
        ),
        {"batches": [r[0] for r in con.execute("SELECT id FROM import_batches").fetchall()]},
    )


def add_days(con: duckdb.DuckDBPyConnection, batch_ids: list[int]) -> None:
    """Add the batches' rows to activity_days (inside the caller's transaction). A column that no row of the
    batches fills is left out, which stores the same NULL: a log of one type fills a few of the columns,
    and grouping and summing the others cost twice the rest (0,16 of 0,24 CPU-s at a million rows)."""
    columns = (*DAY_DIMENSIONS, *DAY_MEASURES)
    [filled] = con.execute(
        f"SELECT {', '.join(f'count({c}) > 0' for c in columns)} FROM activities WHERE list_contains($batches, batch_id)",
        {"batches": batch_ids},
    ).fetchall()
    held = {c for c, any_value in zip(columns, filled, strict=True) if any_value}
    if "activity_count" not in held:  # never NULL in a row: the batches have no rows
        return
    con.execute(
        activity_days_sql(tuple(c for c in DAY_DIMENSIONS if c in held), tuple(c for c in DAY_MEASURES if c in held)),
        {"batches": batch_ids},
    )
