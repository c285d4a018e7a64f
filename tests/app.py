"""The dashboard run with AppTest as a browser opens it: one way for every page test."""

from __future__ import annotations

import functools

from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test

from trygghet.auth import User
from trygghet.config import PROJECT_ROOT

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")

# A served dashboard compiles each script once (one ScriptCache per server) and scans the installed packages for
# Streamlit components once at start-up. AppTest does both again at every run and every AppTest, which cost more
# CPU than most page runs themselves; the tests share one of each per process, as the server does.
_SCRIPTS = ScriptCache()
setattr(app_test, "ScriptCache", lambda: _SCRIPTS)  # noqa: B010 (a name app_test imports, not exports)
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def open_page(page: str | None = None, user: User | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The dashboard signed in as `user` (anonymous when None), on `page` (a file under pages/; the default
    page when None) with `query` in its URL, after one run of the default page (which fills an empty store
    with demo data). Like a browser's navigation, and unlike AppTest's, switching page drops the previous
    page's URL parameters. Fails on any exception."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    if user:
        at.session_state["user"] = user
    if page is not None:
        at.run()
        at.query_params.clear()
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def query_of(at: AppTest) -> dict[str, str]:
    """The page's URL parameters as the address bar shows them (one value each)."""
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
