"""The area group "centrala Timrå" among the exploration pages' area choices and in their links."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from trygghet.exploration.model import (
    FilterOptions,
    Window,
    area_choices,
    area_groups,
    area_groups_text,
    parse_query,
    selection,
    to_query,
)

AREAS = pd.DataFrame(
    {
        "code": ["timra-centrum", "vivsta", "sorberge", "akroken"],
        "name": ["Timrå centrum", "Vivsta", "Sörberge", "Åkroken"],
        "is_central": [True, True, False, True],
    }
)
PARAMS = ("period", "fran", "till", "omrade", "org")


def test_the_group_comes_first_and_says_which_areas_it_holds():
    assert list(area_choices(AREAS).items()) == [
        ("centrala", "Centrala Timrå"),
        ("timra-centrum", "Timrå centrum"),
        ("vivsta", "Vivsta"),
        ("sorberge", "Sörberge"),
        ("akroken", "Åkroken"),
    ]
    assert area_groups(AREAS) == {"centrala": ("timra-centrum", "vivsta", "akroken")}
    assert area_groups_text(AREAS) == "Centrala Timrå är Timrå centrum, Vivsta och Åkroken."


def test_a_link_names_the_group_and_the_store_reads_its_areas():
    filters, notices = parse_query(
        {"omrade": "centrala,sorberge,vivsta"}, FilterOptions(PARAMS, tuple(area_choices(AREAS)))
    )
    assert notices == [] and filters.areas == ("centrala", "sorberge", "vivsta")
    assert to_query(filters) == {"omrade": "centrala,sorberge,vivsta"}  # the link keeps the group
    window = Window(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "I år")
    # The group's three areas, then Sörberge; Vivsta, already in the group, once.
    assert selection(filters, window, ("foot_patrol",), area_groups(AREAS)).areas == (
        "timra-centrum",
        "vivsta",
        "akroken",
        "sorberge",
    )


def test_without_central_areas_there_is_no_group():
    none = AREAS.assign(is_central=False)
    assert "centrala" not in area_choices(none) and area_groups_text(none) == ""
    filters, notices = parse_query({"omrade": "centrala"}, FilterOptions(PARAMS, tuple(area_choices(none))))
    assert filters.areas == () and notices == [
        "Adressen anger området ”centrala”, som inte finns. Det är borttaget ur urvalet."
    ]
