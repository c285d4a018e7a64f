"""Trafikkontroller: traffic controls and their results and rates, at risk places or not."""

from trygghet.web.explore_page import render

render("trafikkontroller")
