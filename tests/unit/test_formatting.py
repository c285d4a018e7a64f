"""Swedish formats as the council reads them: CLDR's sv_SE through Babel, checked against values written out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from trygghet.formatting import (
    MONTHS_SV_SHORT,
    WEEKDAYS_SV,
    format_count,
    format_date,
    format_date_range,
    format_datetime,
    format_number,
    format_percent,
    singular_sv,
)

NBSP, MINUS = "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1234.5, 1, f"1{NBSP}234,5"),  # non-breaking space between thousands, decimal comma
        (10_000_000, 0, f"10{NBSP}000{NBSP}000"),
        (-3.2, 1, f"{MINUS}3,2"),  # the typographic minus, not a hyphen
        (-0.04, 1, "0,0"),  # rounds to zero: no minus on a zero
        (2316.3, 0, f"2{NBSP}316"),
        (0.5, 2, "0,50"),
        (None, 0, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_numbers(value, decimals, shown):
    assert format_number(value, decimals) == shown


def test_percent_and_counts_in_singular_only_for_a_plain_one():
    assert format_percent(0.623) == f"62{NBSP}%"
    assert format_count(1, 0, "timmar") == "1 timme"
    assert format_count(1.0, 1, "timmar") == "1,0 timmar"  # CLDR: "one" needs no visible decimals
    assert format_count(2, 0, "träffar om alkohol och narkotika") == "2 träffar om alkohol och narkotika"
    assert format_count(1, 0, "träffar om alkohol och narkotika") == "1 träff om alkohol och narkotika"
    assert format_count(1234, 0, "fotpatruller") == f"1{NBSP}234 fotpatruller"
    assert singular_sv("kontrollerade fordon") == "kontrollerat fordon"


def test_dates_months_and_weekdays():
    assert format_date(dt.date(2024, 3, 12)) == "12 mars 2024"
    assert format_date(dt.date(2024, 3, 12), with_year=False) == "12 mars"
    assert format_date_range(dt.date(2024, 1, 1), dt.date(2024, 3, 31)) == "1 januari–31 mars 2024"
    assert format_date_range(dt.date(2024, 12, 1), dt.date(2025, 1, 31)) == "1 december 2024–31 januari 2025"
    assert MONTHS_SV_SHORT == ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
    assert WEEKDAYS_SV[0] == "måndag" and WEEKDAYS_SV[6] == "söndag"


def test_an_instant_is_shown_in_swedish_local_time():
    assert format_datetime(dt.datetime(2024, 3, 12, 13, 5, tzinfo=dt.UTC)) == "12 mars 2024 kl. 14.05"  # CET
    assert format_datetime(dt.datetime(2024, 7, 1, 22, 30, tzinfo=dt.UTC)) == "2 juli 2024 kl. 00.30"  # CEST
