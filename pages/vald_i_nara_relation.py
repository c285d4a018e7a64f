"""Våld i nära relation: staff training and awareness activities, with the people reached."""

from trygghet.web.explore_page import render

render("vald-i-nara-relation")
