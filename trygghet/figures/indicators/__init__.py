"""The indicator registry: every module in this package that defines INDICATOR, and the indicators defined in the app.

Both are declarations of one model (`indicators._base.Indicator`), checked by the same rules
(`indicators._rules`) and computed by the same compiler. A module's broken declaration stops the
program at load (a developer's error, caught by the tests); an app-defined one that breaks a rule
is left out and reported by `problems()`, so the other indicators still show.
Modules whose names start with an underscore are infrastructure, not indicators.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from trygghet.config import db_path
from trygghet.figures.indicators._base import (
    CENTRAL_AREAS,
    Count,
    Filters,
    Indicator,
    Point,
    Ratio,
    Series,
    Sum,
    compute_many,
)
from trygghet.figures.indicators._rules import Context, Problem, check

if TYPE_CHECKING:
    from trygghet.figures.indicators._stored import Loaded

__all__ = [
    "CENTRAL_AREAS",
    "Count",
    "Filters",
    "Indicator",
    "Point",
    "Problem",
    "Ratio",
    "Series",
    "Sum",
    "builtin",
    "compute_many",
    "for_commitment",
    "problems",
    "registry",
]


class IndicatorError(ValueError):
    """An indicator module whose declaration breaks a rule."""


@cache
def builtin() -> dict[str, Indicator]:
    """The indicators declared in modules, by id in module-name order; ids equal the module names."""
    found: dict[str, Indicator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        indicator = getattr(module, "INDICATOR", None)
        if not isinstance(indicator, Indicator):
            raise TypeError(f"trygghet/figures/indicators/{info.name}.py defines no INDICATOR")
        if indicator.id != info.name:
            raise IndicatorError(
                f"trygghet/figures/indicators/{info.name}.py: id '{indicator.id}' must equal the module name"
            )
        found[indicator.id] = indicator
    wrong = [p for ind in found.values() for p in check(ind, Context())]
    if wrong:
        raise IndicatorError("\n".join(map(str, wrong)))
    return found


_Signature = tuple[tuple[int, int] | None, ...]
_app_cache: dict[str, tuple[_Signature, str, Loaded]] = {}  # per file: its signature and token when read
_app_lock = threading.Lock()


def _signature(path: Path) -> _Signature | None:
    """Changes whenever the database file or its write-ahead log is written; None without a file."""
    stats: list[tuple[int, int] | None] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            st = os.stat(file)
            stats.append((st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stats.append(None)
    return None if stats[0] is None else tuple(stats)


def _app_defined(path: Path | None = None) -> Loaded:
    """The store's app-defined indicators, read again only after the store has been written.

    A stat of the file tells when it may have changed (cheap, so every call may ask); only then is
    the store opened, and the token of its last write (Store.data_stamp) says whether the indicators must be
    read again: a copy of a file read before, with the same token, holds the same ones."""
    from trygghet.figures.indicators import _stored
    from trygghet.store.connection import StoreHeld
    from trygghet.store.database import Store, StoreError

    path = Path(path or db_path())
    signature = _signature(path)
    if signature is None:
        return _stored.EMPTY
    key = str(path.resolve())
    with _app_lock:
        hit = _app_cache.get(key)
        if hit is not None and hit[0] == signature:
            return hit[2]
        store = Store(path)
        try:
            # While another process holds the file (a command line import), those read last: the dashboard shows
            # the figures cached before it meanwhile, and a page asks this many times a run.
            token = store.data_stamp(wait=hit is None)[1]
            known = [held for _, read, held in _app_cache.values() if read == token]
            loaded = known[0] if known else _stored.load(store, set(builtin()))
            if not known and not store.unchanged_since(token):  # perhaps written meanwhile: for this file only
                token = ""
        except StoreHeld:
            assert hit is not None  # without indicators read before, the read above waits
            return hit[2]
        except (StoreError, duckdb.Error) as exc:
            problem = Problem("–", "databas", f"indikatorerna som definierats i appen kunde inte läsas: {exc}")
            return _stored.Loaded(hit[2].indicators if hit else {}, (problem,))
        if len(_app_cache) > 16:
            _app_cache.clear()
        _app_cache[key] = (signature, token, loaded)
        return loaded


def registry(path: Path | None = None) -> dict[str, Indicator]:
    """Every indicator in use by id: the modules' first, then the valid app-defined ones of the store
    at `path` (the active store when not given)."""
    return {**builtin(), **_app_defined(path).indicators}


def problems(path: Path | None = None) -> list[Problem]:
    """Why app-defined indicators of the store were left out of the registry (empty when none was)."""
    return list(_app_defined(path).problems)


def for_commitment(commitment_id: str) -> list[Indicator]:
    """The indicators that track one commitment, the headline first, then those with targets: those whose
    declaration names it and those linked to it in the app (a copied agreement's new commitments)."""
    found = registry()
    declared = [i.id for i in found.values() if commitment_id in i.commitments]
    linked = [i for i in _app_defined().links.get(commitment_id, ()) if i in found and i not in declared]
    return sorted((found[i] for i in declared + linked), key=lambda i: (not i.headline, not i.has_target))
