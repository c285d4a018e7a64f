"""Aktiviteter: every logged activity, filtered, as a table and as downloads."""

from trygghet.web.explore_page import render

render("aktiviteter")
