"""The indicator registry: every module in this package that defines INDICATOR.

Adding an indicator means adding a file here (and, if it carries one, a target
in data/targets.toml); pages, reports and the CLI find it through this registry.
Modules whose names start with an underscore are infrastructure, not indicators.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from indicators._base import CENTRAL_AREAS, Count, Indicator, Point, Ratio, Series, Sum, compute_many

__all__ = ["CENTRAL_AREAS", "Count", "Indicator", "Point", "Ratio", "Series", "Sum", "compute_many", "for_commitment",
           "registry"]

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@cache
def registry() -> dict[str, Indicator]:
    """All indicators by id, in module-name order; ids must be unique ASCII and match the module name."""
    found: dict[str, Indicator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        indicator = getattr(module, "INDICATOR", None)
        if not isinstance(indicator, Indicator):
            raise TypeError(f"indicators/{info.name}.py defines no INDICATOR")
        if indicator.id != info.name or not _ID_PATTERN.match(indicator.id):
            raise ValueError(f"indicators/{info.name}.py: id '{indicator.id}' must equal the module name (ASCII)")
        found[indicator.id] = indicator
    return found


def for_commitment(commitment_id: str) -> list[Indicator]:
    """The indicators that track one commitment: the headline first, then those with targets."""
    tracking = [i for i in registry().values() if commitment_id in i.commitments]
    return sorted(tracking, key=lambda i: (not i.headline, not i.has_target))
