"""`python -m trygghet.web.serve [streamlit options]`: `streamlit run dashboard.py`, without the pages/ fallback.

Streamlit still treats a `pages/` folder beside the main script as an old-style
multipage app until the main script first calls `st.navigation`. On a fresh
server, the first visitor who follows a link to a page (`/mal`) would get that
page run on its own, without dashboard.py's menu, titles and error guard. Every
page is listed with `st.navigation`, so the fallback is switched off up front.
"""

from __future__ import annotations

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from trygghet.config import PROJECT_ROOT
from trygghet.store.database import keep_open
from trygghet.store.erasure import in_background


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    keep_open(1.0)  # the database stays open a second after a use: a busy server reopens it less often
    in_background(True)  # an undo's click does not wait for deleted text to be overwritten in the file
    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "dashboard.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
