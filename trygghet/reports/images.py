"""Charts as PNG images, drawn by kaleido in Debian's Chromium from the pages' own plotly figures.

One browser session draws every chart of a report (starting Chromium is most of the cost),
MathJax is off so nothing is fetched from the internet, and a missing browser becomes a
Swedish message instead of kaleido's advice to download one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import kaleido
import plotly.graph_objects as go
from choreographer.errors import ChromeNotFoundError

from trygghet.reports.model import ReportError

WIDTH = 900  # layout pixels; the figure's own height is kept
SCALE = 2  # sharp in print at a page's width
MISSING_BROWSER = (
    "Diagrammen i rapporten ritas med webbläsaren Chromium, men den hittades inte. "
    "Installera Debians paket med: sudo apt-get install -y chromium "
    "(eller ange webbläsarens sökväg i miljövariabeln BROWSER_PATH)."
)


async def _render(figures: list[go.Figure]) -> list[bytes]:
    async with kaleido.Kaleido(n=1, mathjax=False) as browser:
        return [
            await browser.calc_fig(
                fig, opts={"format": "png", "width": WIDTH, "height": fig.layout.height, "scale": SCALE}
            )
            for fig in figures
        ]


def render_png(figures: list[go.Figure]) -> list[bytes]:
    """PNG bytes of each figure, in order. Runs its own event loop in a worker thread, so it works the same
    from the command line and from a Streamlit script thread."""
    if not figures:
        return []
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(asyncio.run, _render(figures)).result()
        except ChromeNotFoundError:
            raise ReportError(MISSING_BROWSER) from None
