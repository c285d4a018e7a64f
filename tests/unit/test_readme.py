"""The README documents every indicator id: adding an indicator means documenting it."""

from __future__ import annotations

from trygghet.config import PROJECT_ROOT
from trygghet.figures.indicators import builtin


def test_readme_lists_every_indicator_id():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [i for i in builtin() if f"| `{i}` |" not in readme]
    assert not missing, f"add these indicators to the table in README.md: {missing}"
