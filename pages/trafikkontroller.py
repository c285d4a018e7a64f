"""Trafikkontroller: traffic controls and their results and rates, at risk places or not."""

from trygghet.explore_page import render

render("trafikkontroller")
