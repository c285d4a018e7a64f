"""The dashboard run with AppTest as a browser opens it: one way for every page test."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test
from streamlit.util import calc_hash

from trygghet.auth import User
from trygghet.config import PROJECT_ROOT

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")

# A served dashboard compiles each script once (one ScriptCache per server) and scans the installed packages for
# Streamlit components once at start-up. AppTest does both again at every run and every AppTest, which cost more
# CPU than most page runs themselves; the tests share one of each per process, as the server does.
_SCRIPTS = ScriptCache()
setattr(app_test, "ScriptCache", lambda: _SCRIPTS)  # noqa: B010 (a name app_test imports, not exports)
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


@functools.cache
def _addresses() -> dict[str, str]:
    """Each page file's own address (the url_path dashboard.py gives its st.Page; the root's, `default=True`, left
    out), read from the script: AppTest finds a page by its address only after a first run of the dashboard."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(Path(DASHBOARD).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.Page":
            words = {k.arg: k.value for k in node.keywords}
            if not ("default" in words and ast.literal_eval(words["default"])):
                file = ast.literal_eval(node.args[0])
                assert file not in found, f"{file} has two addresses in dashboard.py"
                found[file] = ast.literal_eval(words["url_path"])
    return found


def open_page(page: str | None = None, user: User | None = None, query: dict[str, str] | None = None) -> AppTest:
    """The dashboard signed in as `user` (anonymous when None), opened at `page`'s address (a file under pages/;
    the root, the default page, when None) with `query` in its URL, as a browser opens a link: the one run is that
    page's (the first run of any page fills an empty store with demo data). Fails on any exception."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    if user:
        at.session_state["user"] = user
    if page is not None:
        # The page Streamlit runs for the address, as a browser's request names it (AppTest's switch_page finds it
        # only in the pages a first run registered). An address unknown to the navigation shows the root's page.
        at._page_hash = calc_hash(_addresses()[page])  # noqa: SLF001
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def query_of(at: AppTest) -> dict[str, str]:
    """The page's URL parameters as the address bar shows them (one value each)."""
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
