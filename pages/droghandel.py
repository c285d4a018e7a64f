"""Öppen droghandel: operations against open drug trade."""

from trygghet.explore_page import render

render("droghandel")
