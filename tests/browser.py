"""Browser-test support: a real `streamlit run` on a free port and Debian's Chromium driven by Playwright.

Playwright never downloads a browser here; it drives /usr/bin/chromium. Without it the
browser tests are skipped on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from trygghet.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI=true never skips browser tests")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    db: Path

    def stop(self) -> None:
        """Kill only the process group this fixture started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_streamlit(db: Path, log: Path, today: str = "2024-06-30") -> Server:
    port = _free_port()
    env = {**os.environ, "TRYGGHET_DB": str(db), "TRYGGHET_TODAY": today}
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "trygghet.serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not answer /_stcore/health within 60 s:\n{log.read_text()}")


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished; callers then wait for the element they expect."""
    page.wait_for_selector(APP_IDLE, timeout=timeout)
