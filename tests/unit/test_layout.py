"""The layout is a contract: packages import downwards only and only trygghet.web imports Streamlit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from trygghet.config import PROJECT_ROOT


def test_the_import_contracts_in_pyproject_hold():
    """import-linter reads the layers and the Streamlit ban from pyproject.toml (README: Layout of the code)."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout


def test_no_test_file_imports_another():
    """Shared logs and fixtures live in tests/factories.py and conftest.py, so each test file stands alone."""
    other_test = re.compile(r"^\s*(from|import) (tests\.((unit|pages|browser)\.)?)?test_", re.M)
    offenders = [
        str(p.relative_to(PROJECT_ROOT))
        for p in (PROJECT_ROOT / "tests").rglob("test_*.py")
        if other_test.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
