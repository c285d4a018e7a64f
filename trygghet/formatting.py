"""Swedish presentation of numbers, dates and times.

Every figure the council sees goes through here, so that "1 234,5" and
"12 mars 2024" look the same on every page, in every report and download.
Month and weekday names, number symbols and plural rules come from Babel's CLDR data for sv_SE.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from babel import Locale
from babel.dates import format_date as cldr_date
from babel.dates import get_day_names, get_month_names
from babel.numbers import format_decimal

STOCKHOLM = ZoneInfo("Europe/Stockholm")

SWEDISH = Locale.parse("sv_SE")
MONTHS_SV: tuple[str, ...] = tuple(get_month_names("wide", locale=SWEDISH)[m] for m in range(1, 13))
# Three letters fit a chart tick and a period label ("jan–mar 2024"); CLDR's abbreviations carry a dot.
MONTHS_SV_SHORT = tuple(name[:3] for name in MONTHS_SV)
WEEKDAYS_SV = tuple(get_day_names("wide", locale=SWEDISH)[d] for d in range(7))

# CLDR's sv grouping is U+00A0, which keeps "1 234" on one line; U+2212 is the typographic minus sign, which
# Babel leaves as a hyphen.
MINUS = "\u2212"


def is_missing(value: object) -> bool:
    """None, NaN or NA (pandas gives a NULL list back as NA), without asking pandas about a list,
    which it would answer element-wise."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, decimals: int = 0, empty: str = "–") -> str:
    """1234.5 -> '1 234,5' (non-breaking space, decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    text = format_decimal(abs(value), format="#,##0" + ("." + "0" * decimals if decimals > 0 else ""), locale=SWEDISH)
    if text.strip("0,\u00a0") and value < 0:
        return MINUS + text
    return text


def format_percent(share: float | None, decimals: int = 0, empty: str = "–") -> str:
    """0.623 -> '62 %'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return empty
    return f"{format_number(share * 100, decimals)}\u00a0%"


def format_date(day: dt.date | None, with_year: bool = True, empty: str = "–") -> str:
    """2024-03-12 -> '12 mars 2024'."""
    if day is None:
        return empty
    return cldr_date(day, "d MMMM y" if with_year else "d MMMM", locale=SWEDISH)


def format_date_range(start: dt.date, end: dt.date) -> str:
    """'1 jan–31 mar 2024' style range, repeating the year only when it changes."""
    if start.year == end.year:
        return f"{format_date(start, with_year=False)}–{format_date(end)}"
    return f"{format_date(start)}–{format_date(end)}"


def format_datetime(moment: dt.datetime | None, empty: str = "–") -> str:
    """A stored instant shown in Swedish local time: '12 mars 2024 kl. 14.05'."""
    if moment is None:
        return empty
    if moment.tzinfo is not None:
        moment = moment.astimezone(STOCKHOLM)
    return f"{format_date(moment.date())} kl. {moment:%H.%M}"


def month_label(month: int, short: bool = False) -> str:
    return (MONTHS_SV_SHORT if short else MONTHS_SV)[month - 1]


MAX_ECHO = 40  # characters of a bad value repeated in a notice


def echo(value: object) -> str:
    """A bad value from a link or form, cut so that a runaway value cannot flood the notice that quotes it."""
    text = str(value)
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"


# Singular of the plural words the indicators count in (unit and phrase in indicators/*.py), for a figure of
# exactly 1: "1 tillfälle", not "1 tillfällen". A participle agrees with its noun ("kontrollerat fordon",
# "nådd person"). Words alike in both numbers (deltagare, medarbetare, fordon, prov) need no entry.
SINGULAR_SV = {
    "aktiviteter": "aktivitet",
    "fotpatruller": "fotpatrull",
    "hastighetskontroller": "hastighetskontroll",
    "informationsinsatser": "informationsinsats",
    "informationsträffar": "informationsträff",
    "insatser": "insats",
    "kontakter": "kontakt",
    "kontroller": "kontroll",
    "kontrollerade": "kontrollerat",
    "medborgarkontakter": "medborgarkontakt",
    "nådda": "nådd",
    "patruller": "patrull",
    "personer": "person",
    "timmar": "timme",
    "tillfällen": "tillfälle",
    "trafikkontroller": "trafikkontroll",
    "träffar": "träff",
    "utbildade": "utbildad",
    "utbildningstillfällen": "utbildningstillfälle",
    "deltagartillfällen": "deltagartillfälle",
}


def singular_sv(plural: str) -> str:
    """'träffar om alkohol och narkotika' -> 'träff om alkohol och narkotika': the leading words of a counted
    phrase in singular, up to the first word that has none here (a preposition, a word alike in both)."""
    words = plural.split(" ")
    for n, word in enumerate(words):
        if word not in SINGULAR_SV:
            break
        words[n] = SINGULAR_SV[word]
    return " ".join(words)


def format_count(value: float | int | None, decimals: int, plural: str, empty: str = "–") -> str:
    """'1 tillfälle', '2 tillfällen', '1,5 timmar': the figure with its unit, in singular only when it reads 1."""
    number = format_number(value, decimals, empty)
    shown = number.replace("\u00a0", "").replace(",", ".").replace(MINUS, "-")
    one = number != empty and SWEDISH.plural_form(Decimal(shown)) == "one"  # CLDR: "1", not "1,0"
    return f"{number} {singular_sv(plural) if one else plural}"


# --- names inside sentences -----------------------------------------------------------------------

PROPER_NOUNS = frozenset({"Timrå", "Medelpad", "Sundsvall", "Polismyndigheten", "Sverige"})


def lower_first(title: str) -> str:
    """A title as it reads inside a sentence: 'Fotpatruller i centrala Timrå' -> 'fotpatruller i centrala
    Timrå'. Only the first letter changes, and not at all when the title starts with an abbreviation
    ('A-traktorer', 'EU-medel', 'SMS') or a name ('Timrå kommun')."""
    words = title.split(maxsplit=1)
    if not words:
        return title
    first = words[0]
    if (
        any(ch.isupper() for ch in first[1:])
        or ("-" in first and first.split("-")[0].isupper())
        or first.rstrip(",.:;") in PROPER_NOUNS
    ):
        return title
    return title[0].lower() + title[1:]


def upper_first(text: str) -> str:
    """'insatser mot A-traktorer' -> 'Insatser mot A-traktorer' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]
