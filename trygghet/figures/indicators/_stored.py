"""Indicators defined in the app: their declarations in the store's table app_indicators.

The same model and rules as the modules': `save` refuses a declaration with any problem and
changes nothing; `load` skips an invalid one and reports it, so one broken indicator never
takes down the others and is never shown as a silent 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from trygghet.auth import User, may_define_indicators
from trygghet.figures.indicators._base import Indicator
from trygghet.figures.indicators._rules import Context, Problem, check, read
from trygghet.store.database import Store


@dataclass(frozen=True)
class Loaded:
    indicators: dict[str, Indicator]
    problems: tuple[Problem, ...]
    # Commitment id -> indicators linked to it in the app (table commitment_indicators), in their order.
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)


EMPTY = Loaded({}, ())


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return (
        con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name = 'app_indicators'").fetchone() is not None
    )


def context(store: Store, taken_ids: set[str]) -> Context:
    """The rules' context from the store: its commitments and areas."""
    with store.connect() as con:
        commitments = frozenset(r[0] for r in con.execute("SELECT id FROM commitments").fetchall())
        areas = frozenset(r[0] for r in con.execute("SELECT code FROM areas").fetchall())
    return Context(frozenset(taken_ids), commitments, areas)


def load(store: Store, builtin_ids: set[str]) -> Loaded:
    """The active app-defined indicators that keep every rule, and the problems of those that do not."""
    with store.connect() as con:
        if not _has_table(con):
            return EMPTY
        rows = con.execute("SELECT id, declaration FROM app_indicators WHERE active ORDER BY id").fetchall()
        ctx = context(store, builtin_ids)
        links: dict[str, tuple[str, ...]] = {}
        for commitment_id, indicator_id in con.execute(
            "SELECT commitment_id, indicator_id FROM commitment_indicators ORDER BY commitment_id, ordinal "
        ).fetchall():
            links[commitment_id] = (*links.get(commitment_id, ()), indicator_id)
    found: dict[str, Indicator] = {}
    problems: list[Problem] = []
    for indicator_id, declaration in rows:
        ind, unreadable = read(declaration, indicator_id)
        if ind is None:
            problems += unreadable
            continue
        own = check(ind, Context(ctx.taken_ids | frozenset(found), ctx.commitments, ctx.areas))
        if ind.id != indicator_id:
            own.append(Problem(indicator_id, "id", f"deklarationen har ett annat id (”{ind.id}”)"))
        if own:
            problems += own
        else:
            found[ind.id] = ind
    return Loaded(found, tuple(problems), links)


def rows(store: Store) -> list[dict[str, Any]]:
    """Every app-defined indicator, inactive ones too, with who made and changed it."""
    with store.connect() as con:
        if not _has_table(con):
            return []
        cursor = con.execute(
            "SELECT id, declaration, active, created_at, created_by, changed_at, changed_by"
            " FROM app_indicators ORDER BY id"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def save(store: Store, ind: Indicator, user: User, taken_ids: set[str]) -> list[Problem]:
    """Store a new app-defined indicator; with any problem, nothing is stored and the problems are returned.

    `taken_ids` are the ids of every other indicator (built-in and app-defined, active or not)."""
    may_define_indicators(user).check()
    stored = {r["id"] for r in rows(store)}
    problems = check(ind, context(store, taken_ids | stored))
    if problems:
        return problems
    with store.transaction() as con:
        con.execute(
            "INSERT INTO app_indicators (id, declaration, created_by, changed_by) VALUES (?, ?, ?, ?)",
            [ind.id, ind.model_dump_json(), user.name, user.name],
        )
    return []


def update(store: Store, ind: Indicator, user: User, taken_ids: set[str]) -> list[Problem]:
    """Replace the declaration of a stored app-defined indicator (its id stays: targets and snapshots use it);
    with any problem, nothing is changed and the problems are returned."""
    may_define_indicators(user).check()
    if ind.id not in {r["id"] for r in rows(store)}:
        return [Problem(ind.id, "id", "det finns ingen indikator med detta id som definierats i appen")]
    problems = check(ind, context(store, taken_ids - {ind.id}))
    if problems:
        return problems
    with store.transaction() as con:
        con.execute(
            "UPDATE app_indicators SET declaration = ?, changed_at = current_timestamp, changed_by = ? WHERE id = ?",
            [ind.model_dump_json(), user.name, ind.id],
        )
    return []


def set_active(store: Store, indicator_id: str, active: bool, user: User) -> None:
    """Take an app-defined indicator out of use (or back): it stays stored, so its id stays taken."""
    may_define_indicators(user).check()
    with store.transaction() as con:
        con.execute(
            "UPDATE app_indicators SET active = ?, changed_at = current_timestamp, changed_by = ? WHERE id = ?",
            [active, user.name, indicator_id],
        )
