"""Pydantic's validation errors in Swedish, naming the field: one wording for every file and form."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def _explain(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    texts = {
        "missing": "saknas",
        "extra_forbidden": "är inget känt fält",
        "int_parsing": "måste vara ett heltal",
        "int_from_float": "måste vara ett heltal",
        "float_parsing": "måste vara ett tal",
        "bool_parsing": "måste vara true eller false",
        "date_parsing": "måste vara ett datum som 2024-03-12",
        "date_from_datetime_parsing": "måste vara ett datum som 2024-03-12",
        "date_type": "måste vara ett datum som 2024-03-12",
        "string_type": "måste vara en text",
        "list_type": "måste vara en lista",
        "tuple_type": "måste vara en lista",
        "literal_error": f"måste vara ett av: {ctx.get('expected', '')}",
        "enum": f"måste vara ett av: {ctx.get('expected', '')}",
        "greater_than_equal": f"måste vara minst {ctx.get('ge')}",
        "greater_than": f"måste vara större än {ctx.get('gt')}",
        "less_than_equal": f"får vara högst {ctx.get('le')}",
        "string_too_short": f"måste ha minst {ctx.get('min_length')} tecken",
    }
    if kind in texts:
        return texts[kind]
    # Our own validators raise ValueError with a Swedish message.
    return str(error["msg"]).removeprefix("Value error, ")


def swedish_problems(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    """'fältet value (antal): måste vara ett tal; …' for every error, the field named as in the file."""
    labels = labels or {}
    parts = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"])
        where = "hela posten" if not loc else f"fältet {loc}" + (f" ({labels[loc]})" if loc in labels else "")
        parts.append(f"{where}: {_explain(error)}")
    return "; ".join(parts)


# Names that label charts, menus and tables (areas, agreements, commitments, indicators): letters, digits,
# spaces and the punctuation of ordinary Swedish titles. Markup (< >), formulas (= + - @ first) and links
# have no place in a name, and a name that held them would reach every chart and file that shows it.
NAME_PUNCTUATION = ".,:;!?'’\"”“()/&%§–—-"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a name, in Swedish (without repeating it), or None."""
    odd = sorted({ch for ch in name if not (ch.isalnum() or ch == " " or ch in NAME_PUNCTUATION)})
    if odd:
        shown = " ".join(f"”{ch}”" if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}" for ch in odd)
        return (
            "får bara innehålla bokstäver, siffror, mellanslag och vanliga skiljetecken "
            f"({' '.join(NAME_PUNCTUATION)}), inte {shown}"
        )
    if name[:1] in "+-–—":
        return "får inte börja med ett tecken som ett kalkylprogram läser som en formel (+ eller -)"
    if "://" in name or "www." in name.lower():
        return "får inte innehålla en webbadress"
    return None
