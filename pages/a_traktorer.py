"""A-traktorer och buskörning: operations over the season and the share of illegal vehicles."""

from trygghet.web.explore_page import render

render("a-traktorer")
