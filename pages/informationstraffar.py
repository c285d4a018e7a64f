"""Informationsträffar: meetings by topic and audience, with participants."""

from trygghet.web.explore_page import render

render("informationstraffar")
