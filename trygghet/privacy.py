"""Personal data in free text: one checker for every field that a person types or uploads.

Nothing the app keeps may identify a person (PRODUCT.md), so every free-text field (upload cells and
file names, meeting notes, follow-up points, reasons for targets, written follow-ups, agreements,
indicator names) passes `check_text` before it is stored. Numbers are recognised by well-kept
libraries: python-stdnum's Swedish personnummer (date and Luhn checksum; a samordningsnummer is the
same with 60 added to the day) and Google's phonenumbers, which reads numbers as they are written in
Sweden. E-mail addresses, registration numbers and street addresses are patterns. A finding is
named by its kind only: the text found is never repeated in a message or a log.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

DASHES = "‐‑‒–—−-"  # the hyphen last, so that it stands for itself in a character class
# Ten or twelve digits, a date first, perhaps with a separator before the last four.
_ID_NUMBER = re.compile(
    rf"(?<![0-9])(?P<century>[0-9]{{2}})?(?P<date>[0-9]{{6}}) ?(?P<sep>[+{DASHES}])? ?"
    r"(?P<serial>[0-9]{4})(?![0-9])"
)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# ABC 123 or ABC 12D: letters that Swedish plates use (not I, Q, V, Å, Ä, Ö), upper case as written.
_REGISTRATION = re.compile(r"(?<![\w])[A-HJ-PR-UW-Z]{3} ?[0-9]{2}[A-HJ-PR-UW-Z0-9](?![\w])")
# A street name and a number: Storgatan 12, Köpmangatan 3B, Vivstavägen 7 A. A time span such as
# "Storgatan 18–22" or "Storgatan 18.30" is not an address.
_STREET = (
    "gatan|gata|vägen|väg|gränd|gränden|stigen|backen|allén|torget|platsen|leden|stråket|"
    "esplanaden|promenaden|kajen|slingan|svängen|liden|udden|byn"
)
_ADDRESS = re.compile(
    rf"(?<![\w])[A-ZÅÄÖa-zåäöé][a-zåäöé]+(?:{_STREET}) [0-9]{{1,4}}(?: ?[A-Za-z](?![\w]))?"
    rf"(?![0-9]|[:.,{DASHES}][0-9])"
)
# What a text must hold for any finding above: an @, ten digits as an identity number has them, a
# telephone number's start (0, +, 46) and at least five more digits between punctuation, three capitals
# and two digits, or a street word and a number. A cheap RE2 pattern (for DuckDB too) that lets the
# bulk check of an upload pass only the few cells that match it to `find_personal_data`.
CANDIDATE = "|".join(
    (
        "@",
        rf"[0-9]{{6}} ?[+{DASHES}]? ?[0-9]{{4}}",
        r"(?:\+|0|46)[^0-9A-Za-z]{0,3}[1-9](?:[^0-9A-Za-z]{0,3}[0-9]){4,}",
        r"[A-HJ-PR-UW-Z]{3} ?[0-9]{2}",
        rf"(?i:{_STREET}) [0-9]",
    )
)
_CANDIDATE = re.compile(CANDIDATE)
# Two capitalised words right before a finding: a name beside the number or address.
_NAME_BEFORE = re.compile(
    r"[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)? [A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?"
    r"[ ,:;(]*$"
)

# Numbers of services, not of persons: 020 (free, e.g. Kvinnofridslinjen 020-50 50 50), 0900, 077x and 010.
SERVICE_NUMBERS = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)
NAME = "ett namn"
KINDS = (
    NAME,
    "ett personnummer",
    "ett samordningsnummer",
    "ett telefonnummer",
    "en e-postadress",
    "ett registreringsnummer",
    "en gatuadress",
)


class PersonalDataError(ValueError):
    """A free-text field holds what looks like personal data; the message is Swedish and names the field."""


def _id_number_kind(match: re.Match[str]) -> str | None:
    """'ett personnummer' or 'ett samordningsnummer' when the digits are one: a real birth date (the day plus
    60 for a samordningsnummer) and either the Luhn checksum or the separator before the last four digits
    (a number written like one, e.g. 850101–1234, is personal data even when mistyped)."""
    century, date, serial = match["century"] or "", match["date"], match["serial"]
    day = int(date[4:])
    coordination = day > 60
    birth = century + date[:4] + f"{day - 60 if coordination else day:02d}"
    try:
        personnummer.get_birth_date(f"{birth}-{serial}")
    except (ValidationError, ValueError):
        return None
    if not (match["sep"] or luhn.is_valid(date + serial)):
        return None
    return "ett samordningsnummer" if coordination else "ett personnummer"


def find_personal_data(text: str | None) -> tuple[str, ...]:
    """The kinds of personal data `text` seems to hold, in the order of KINDS; empty when none."""
    if not text or not _CANDIDATE.search(text):
        return ()
    found: set[str] = set()
    spans: list[tuple[int, int]] = []
    for match in _ID_NUMBER.finditer(text):
        kind = _id_number_kind(match)
        if kind:
            found.add(kind)
            spans.append(match.span())
    # The identity numbers are blanked first: the matcher reads a run of digits next to one as a
    # single number and then finds no telephone number in it.
    blanked = text
    for start, end in spans:
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    for phone in phonenumbers.PhoneNumberMatcher(blanked, "SE"):
        if phonenumbers.number_type(phone.number) in SERVICE_NUMBERS:
            continue
        found.add("ett telefonnummer")
        spans.append((phone.start, phone.end))
    for kind, pattern in (
        ("en e-postadress", _EMAIL),
        ("ett registreringsnummer", _REGISTRATION),
        ("en gatuadress", _ADDRESS),
    ):
        for match in pattern.finditer(text):
            found.add(kind)
            spans.append(match.span())
    if any(_NAME_BEFORE.search(text, 0, start) for start, _ in spans):
        found.add(NAME)
    return tuple(k for k in KINDS if k in found)


def describe(kinds: tuple[str, ...]) -> str:
    """'ett namn, ett personnummer och ett telefonnummer'."""
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " och " + kinds[-1]


def problem(text: str | None) -> str | None:
    """'ser ut att innehålla …' naming what kind of personal data `text` holds (never the text), or None."""
    kinds = find_personal_data(text)
    if not kinds:
        return None
    return f"ser ut att innehålla {describe(kinds)}. Personuppgifter får inte sparas här; skriv texten utan dem."


def check_text(field: str, text: str | None) -> None:
    """Raise PersonalDataError naming `field` (as the user sees it) and what kind was found."""
    found = problem(text)
    if found:
        raise PersonalDataError(f"Fältet ”{field}” {found}")
