"""Informationsträffar: meetings by topic and audience, with participants."""

from trygghet.explore_page import render

render("informationstraffar")
