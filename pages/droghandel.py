"""Öppen droghandel: operations against open drug trade."""

from trygghet.web.explore_page import render

render("droghandel")
