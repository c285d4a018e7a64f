"""A-traktorer och buskörning: operations over the season and the share of illegal vehicles."""

from trygghet.explore_page import render

render("a-traktorer")
