"""Fotpatrull: foot patrols per period, area, weekday and hour, with the log behind them."""

from trygghet.web.explore_page import render

render("fotpatrull")
