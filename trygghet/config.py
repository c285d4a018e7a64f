"""Where things live, read from the environment so the same code serves a laptop and a server."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from trygghet.formatting import STOCKHOLM

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "trygghet.duckdb"

# The command-line tools act as the local operator and say so in the records.
LOCAL_OPERATOR = "lokal operatör (kommandoraden)"


def today() -> dt.date:
    """Today in Stockholm; TRYGGHET_TODAY (YYYY-MM-DD) pins it for tests and demonstrations."""
    pinned = os.environ.get("TRYGGHET_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else today_stockholm()


def db_path() -> Path:
    """The DuckDB file: $TRYGGHET_DB when set, else data/trygghet.duckdb."""
    return Path(os.environ.get("TRYGGHET_DB") or DEFAULT_DB)


def lock_timeout_seconds() -> float:
    """How long a writer waits for another process to release the file."""
    return float(os.environ.get("TRYGGHET_LOCK_TIMEOUT", "10"))


def public_only() -> bool:
    """TRYGGHET_PUBLIC_ONLY=1: a deployment for the public that serves only the page "Följ med i hur det går"."""
    return os.environ.get("TRYGGHET_PUBLIC_ONLY", "").strip().lower() in ("1", "true", "ja", "yes")


def today_stockholm(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Sweden, whatever the server's time zone (an instant without zone is taken as UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(STOCKHOLM).date()
