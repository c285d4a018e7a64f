"""Agreements and their commitments as data: the models at the edges and the rules, without a database.

An agreement is a samverkansöverenskommelse or a medborgarlöfte between the police and the municipality,
valid over a span of days. It starts as a draft (utkast), which only editors and admins see; publishing
it records who and when. Two published agreements of the same kind may not be in force on the same day
unless one replaces the other from a date. Every rule here returns or raises Swedish messages that name
the field, so a form, a TOML file and the command line all explain a refusal the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from trygghet import privacy
from trygghet.reference.areas import area_code
from trygghet.validation import name_problem, swedish_problems

KINDS = ("samverkansöverenskommelse", "medborgarlöfte")
KIND_LABELS = {"samverkansöverenskommelse": "Samverkansöverenskommelse", "medborgarlöfte": "Medborgarlöfte"}
# What a commitment's text is, by the kind of agreement: a cooperation agreement lists the local problem
# pictures it prioritises ("Lokala problembilder i Timrå kommun", 2019), a citizen promise makes promises.
COMMITMENT_WORDS = {"samverkansöverenskommelse": "Problembild", "medborgarlöfte": "Löftet"}
RESPONSIBLE_LABELS = {"polisen": "Polisen", "kommunen": "Kommunen", "bada": "Polisen och kommunen"}
DRAFT: Final = "utkast"
PUBLISHED: Final = "publicerad"

# The name each field has on the page, beside its name in a TOML file, so a message fits both.
FIELD_LABELS = {
    "id": "Id",
    "kind": "Slag",
    "title": "Titel",
    "parties": "Parter",
    "signatories": "Undertecknare",
    "valid_from": "Gäller från",
    "valid_to": "Gäller till",
    "source": "Källdokumentets titel",
    "replaces": "Ersätter",
    "replaces_from": "Ersätter från",
    "is_example": "Exempel",
    "short_title": "Kort rubrik",
    "focus_area": "Fokusområde",
    "responsible": "Ansvarig",
    "text": "Löftestext",
    "ordinal": "Ordning",
    "indicators": "Mått",
}


class AgreementError(ValueError):
    """A refusal: every problem is a Swedish sentence naming the field; nothing was changed."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def field(name: str, what: str) -> str:
    """'Gäller till (valid_to): what' – the page's label and the file's key of one field."""
    return f"{FIELD_LABELS[name]} ({name}): {what}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Signatory(_Strict):
    name: str
    title: str


class Commitment(_Strict):
    id: str
    short_title: str
    focus_area: str
    responsible: Literal["polisen", "kommunen", "bada"]
    text: str
    ordinal: int
    indicators: tuple[str, ...] = ()  # extra links to existing indicators (commitment_indicators)


class Agreement(_Strict):
    id: str
    kind: Literal["samverkansöverenskommelse", "medborgarlöfte"]
    title: str
    parties: tuple[str, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    valid_from: dt.date
    valid_to: dt.date
    source: str = ""
    replaces: str | None = None
    replaces_from: dt.date | None = None
    is_example: bool = False
    commitments: tuple[Commitment, ...] = ()
    # Kept by the app, never read from an exchange file.
    status: Literal["utkast", "publicerad"] = DRAFT
    published_by: str | None = None
    published_at: dt.datetime | None = None
    created_by: str | None = None
    created_at: dt.datetime | None = None

    @field_validator("replaces", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED


# --- the rules ------------------------------------------------------------------------------


def _span(a: Agreement) -> str:
    return f"{a.valid_from.isoformat()}–{a.valid_to.isoformat()}"


def _name(a: Agreement) -> str:
    return f"{a.title} ({a.id})"


def effective_span(agreement: Agreement, agreements: Iterable[Agreement]) -> tuple[dt.date, dt.date] | None:
    """The days an agreement is in force: its span, starting at its replaces_from and ending the day before a
    published agreement that replaces it takes over. None when nothing of it is left."""
    start = max(agreement.valid_from, agreement.replaces_from or agreement.valid_from)
    end = agreement.valid_to
    for other in agreements:
        if other.published and other.id != agreement.id and other.replaces == agreement.id and other.replaces_from:
            end = min(end, other.replaces_from - dt.timedelta(days=1))
    return (start, end) if start <= end else None


def problems(
    agreement: Agreement,
    others: Iterable[Agreement],
    focus_areas: Iterable[str],
    *,
    new: bool = False,
    check_overlap: bool | None = None,
) -> list[str]:
    """Every problem of an agreement among the `others` stored (itself excluded), in Swedish.

    `new`: its id must not be taken. Overlap with the published agreements of the same kind is checked
    for a published agreement (or when `check_overlap` says so, as at publishing): a draft may overlap
    while it is being written."""
    others = [o for o in others if o.id != agreement.id or new]
    by_id = {o.id: o for o in others}
    found: list[str] = []
    if not agreement.id or area_code(agreement.id) != agreement.id:
        found.append(field("id", f"”{agreement.id}” får bara innehålla små bokstäver a–z, siffror och bindestreck"))
    elif new and agreement.id in by_id:
        found.append(field("id", f"det finns redan en överenskommelse med id ”{agreement.id}”"))
    if not agreement.title:
        found.append(field("title", "får inte vara tom"))
    found += _text_problems(agreement)
    if agreement.valid_to < agreement.valid_from:
        found.append(
            field(
                "valid_to",
                f"slutdatumet {agreement.valid_to.isoformat()} är före startdatumet {agreement.valid_from.isoformat()}",
            )
        )
    if any(not p for p in agreement.parties):
        found.append(field("parties", "en part saknar namn"))
    if any(not s.name or not s.title for s in agreement.signatories):
        found.append(field("signatories", "varje undertecknare behöver både namn och titel"))
    found += _replacement_problems(agreement, by_id)
    found += _commitment_problems(agreement, others, set(focus_areas))
    if check_overlap if check_overlap is not None else agreement.published:
        found += overlap_problems(agreement, others)
    return found


def _text_problems(agreement: Agreement) -> list[str]:
    """The agreement's names (its title, its commitments' short titles) are plain names, and none of its texts
    holds personal data (a signatory's name is public, but not beside a number)."""
    found = []
    names = [
        ("title", agreement.title, ""),
        *(
            ("short_title", c.short_title, f"Löfte {n} ({c.id}), ")
            for n, c in enumerate(agreement.commitments, start=1)
        ),
    ]
    found += [where + field(name, problem) for name, text, where in names if text and (problem := name_problem(text))]
    texts = [
        ("title", agreement.title, ""),
        ("source", agreement.source, ""),
        *(("parties", p, "") for p in agreement.parties),
        *(("signatories", s, "") for signatory in agreement.signatories for s in (signatory.name, signatory.title)),
        *(
            (key, text, f"Löfte {n} ({c.id}), ")
            for n, c in enumerate(agreement.commitments, start=1)
            for key, text in (("short_title", c.short_title), ("text", c.text))
        ),
    ]
    found += [where + field(name, problem) for name, text, where in texts if (problem := privacy.problem(text))]
    return found


def _replacement_problems(agreement: Agreement, by_id: Mapping[str, Agreement]) -> list[str]:
    if agreement.replaces is None and agreement.replaces_from is None:
        return []
    if agreement.replaces is None or agreement.replaces_from is None:
        return [field("replaces_from", "Ersätter och Ersätter från fylls i tillsammans, eller ingen av dem")]
    old = by_id.get(agreement.replaces)
    if old is None or old.id == agreement.id:
        return [field("replaces", f"det finns ingen annan överenskommelse med id ”{agreement.replaces}”")]
    found = []
    if old.kind != agreement.kind:
        found.append(field("replaces", f"{_name(old)} är en {old.kind}, inte en {agreement.kind}"))
    if not agreement.valid_from <= agreement.replaces_from <= agreement.valid_to:
        found.append(
            field(
                "replaces_from",
                f"{agreement.replaces_from.isoformat()} ligger utanför den här "
                f"överenskommelsens tid {_span(agreement)}",
            )
        )
    if agreement.replaces_from <= old.valid_from:
        found.append(
            field(
                "replaces_from",
                f"{agreement.replaces_from.isoformat()} är inte efter starten "
                f"{old.valid_from.isoformat()} av {_name(old)}",
            )
        )
    return found


def _commitment_problems(agreement: Agreement, others: Iterable[Agreement], focus_areas: set[str]) -> list[str]:
    found = []
    taken = {c.id: o for o in others for c in o.commitments}
    seen: set[str] = set()
    for number, c in enumerate(agreement.commitments, start=1):
        where = f"Löfte {number} ({c.id or 'utan id'}), "
        if not c.id or area_code(c.id) != c.id.replace("_", "-"):
            found.append(where + field("id", "får bara innehålla små bokstäver a–z, siffror, - och _"))
        elif c.id in seen:
            found.append(where + field("id", f"id ”{c.id}” finns redan på ett annat löfte i överenskommelsen"))
        elif c.id in taken:
            found.append(where + field("id", f"id ”{c.id}” används redan i {_name(taken[c.id])}"))
        seen.add(c.id)
        if not c.text:
            found.append(where + field("text", "får inte vara tom"))
        if not c.short_title:
            found.append(where + field("short_title", "får inte vara tom"))
        if c.focus_area not in focus_areas:
            found.append(where + field("focus_area", f"okänt fokusområde ”{c.focus_area}”"))
        if len(set(c.indicators)) != len(c.indicators):
            found.append(where + field("indicators", "samma mått är kopplat två gånger"))
    return found


def overlap_problems(agreement: Agreement, others: Iterable[Agreement]) -> list[str]:
    """Published agreements of the same kind in force on a day when this one would be, with replacements
    taken into account as if this one were published."""
    others = [o for o in others if o.id != agreement.id]
    candidate = agreement.model_copy(update={"status": PUBLISHED})
    everyone = [*others, candidate]
    mine = effective_span(candidate, everyone)
    if mine is None:
        return []
    found = []
    for other in others:
        if not other.published or other.kind != agreement.kind:
            continue
        theirs = effective_span(other, everyone)
        if theirs and theirs[0] <= mine[1] and mine[0] <= theirs[1]:
            found.append(
                field(
                    "valid_from",
                    f"tiden {_span(agreement)} överlappar {_name(other)}, som gäller "
                    f"{theirs[0].isoformat()}–{theirs[1].isoformat()}. Två "
                    f"överenskommelser av samma slag får inte gälla samtidigt, om inte "
                    f"den ena ersätter den andra från ett datum (Ersätter och Ersätter "
                    f"från)",
                )
            )
    return found


def check(
    agreement: Agreement,
    others: Iterable[Agreement],
    focus_areas: Iterable[str],
    *,
    new: bool = False,
    check_overlap: bool | None = None,
) -> None:
    """Raise AgreementError with every problem (see `problems`)."""
    found = problems(agreement, others, focus_areas, new=new, check_overlap=check_overlap)
    if found:
        raise AgreementError(found)


def in_force(agreements: Iterable[Agreement], day: dt.date) -> dict[str, Agreement]:
    """The published agreement of each kind whose span (after replacements) holds the day, by kind."""
    agreements = list(agreements)
    found = {}
    for a in agreements:
        span = effective_span(a, agreements) if a.published else None
        if span and span[0] <= day <= span[1]:
            found[a.kind] = a
    return {kind: found[kind] for kind in KINDS if kind in found}


def status_on(agreement: Agreement, day: dt.date, agreements: Iterable[Agreement] = ()) -> str:
    """utkast, kommande, gällande or avslutad on the day (an agreement replaced earlier ends earlier)."""
    if not agreement.published:
        return "utkast"
    span = effective_span(agreement, [*agreements, agreement])
    if span is None or day > span[1]:
        return "avslutad"
    return "kommande" if day < span[0] else "gällande"


# --- what can be done to an agreement ---------------------------------------------------------


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _same_length(first: dt.date, last: dt.date, start: dt.date) -> dt.date:
    """The end of a span from `start` as long as first–last: as many whole months when that one is
    whole months (2023-01-01–2024-12-31 from 2025-01-01 ends 2026-12-31), else as many days."""
    if first.day == 1 and last == _month_end(last.year, last.month) and start.day == 1:
        months = (last.year - first.year) * 12 + last.month - first.month
        total = start.month - 1 + months
        return _month_end(start.year + total // 12, total % 12 + 1)
    return start + (last - first)


def copy_from(
    source: Agreement, others: Iterable[Agreement], indicators_of: Mapping[str, Iterable[str]], by: str, at: dt.datetime
) -> Agreement:
    """ "Ny överenskommelse utifrån …": a draft for the span right after the source's and as long, with new
    ids and every commitment copied with the indicators that track the one it came from
    (`indicators_of`: commitment id -> indicator ids, built-in and linked)."""
    others = list(others)
    start = source.valid_to + dt.timedelta(days=1)
    end = _same_length(source.valid_from, source.valid_to, start)
    taken_agreements = {o.id for o in others}
    new_id = _free_id(area_code(f"{source.kind}-{start.year}"), taken_agreements)
    taken = {c.id for o in others for c in o.commitments}
    commitments = []
    for c in source.commitments:
        suffix = c.id.split("-", 1)[1] if "-" in c.id else c.id
        cid = _free_id(f"{new_id}-{suffix}", taken)
        taken.add(cid)
        commitments.append(
            c.model_copy(update={"id": cid, "indicators": tuple(dict.fromkeys(indicators_of.get(c.id, ())))})
        )
    years = f"{start.year}–{end.year}" if end.year != start.year else str(start.year)
    return source.model_copy(
        update={
            "id": new_id,
            "title": f"{KIND_LABELS[source.kind]} {years}",
            "valid_from": start,
            "valid_to": end,
            "replaces": None,
            "replaces_from": None,
            "is_example": False,
            "commitments": tuple(commitments),
            "status": DRAFT,
            "published_by": None,
            "published_at": None,
            "created_by": by,
            "created_at": at,
            "source": "",
        }
    )


def publish(
    agreement: Agreement, others: Iterable[Agreement], focus_areas: Iterable[str], by: str, at: dt.datetime
) -> Agreement:
    """The agreement published by `by` at `at`; refused (AgreementError) when it is invalid, already
    published, or in force on a day when another of its kind is."""
    if agreement.published:
        raise AgreementError([f"{_name(agreement)} är redan publicerad."])
    if not agreement.commitments:
        raise AgreementError([f"{_name(agreement)} har inga löften; lägg till minst ett innan den publiceras."])
    check(agreement, others, focus_areas, check_overlap=True)
    return agreement.model_copy(update={"status": PUBLISHED, "published_by": by, "published_at": at})


def parse_signatories(text: str) -> tuple[Signatory, ...]:
    """One signatory a line, 'Namn, titel' (the title may itself hold commas), as typed on the page."""
    found, wrong = [], []
    for number, line in enumerate((raw.strip() for raw in text.splitlines()), start=1):
        if not line:
            continue
        name, _, title = line.partition(",")
        if not name.strip() or not title.strip():
            wrong.append(field("signatories", f"rad {number} ”{line}” behöver både namn och titel: Namn, titel"))
        else:
            found.append(Signatory(name=name, title=title))
    if wrong:
        raise AgreementError(wrong)
    return tuple(found)


def new_commitment_id(agreement: Agreement, short_title: str, others: Iterable[Agreement]) -> str:
    """An id for a commitment added on the page: the agreement's id and the short title."""
    taken = {c.id for o in [agreement, *others] for c in o.commitments}
    return _free_id(area_code(f"{agreement.id}-{short_title}")[:80].strip("-") or f"{agreement.id}-lofte", taken)


def put_commitment(agreement: Agreement, commitment: Commitment, position: int) -> Agreement:
    """The agreement with `commitment` (a new one, or one with its id replaced) at `position` (1 = first);
    the commitments are numbered in their new order."""
    rest = [c for c in agreement.commitments if c.id != commitment.id]
    position = min(max(position, 1), len(rest) + 1)
    order = [*rest[: position - 1], commitment, *rest[position - 1 :]]
    return agreement.model_copy(
        update={"commitments": tuple(c.model_copy(update={"ordinal": n}) for n, c in enumerate(order, start=1))}
    )


def remove_commitment(agreement: Agreement, commitment_id: str) -> Agreement:
    order = [c for c in agreement.commitments if c.id != commitment_id]
    return agreement.model_copy(
        update={"commitments": tuple(c.model_copy(update={"ordinal": n}) for n, c in enumerate(order, start=1))}
    )


@dataclass(frozen=True)
class Change:
    """One changed value of a published agreement: a field of its own (commitment_id None) or of a commitment."""

    commitment_id: str | None
    field: str
    old: str | None
    new: str | None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return "; ".join(f"{v.name}, {v.title}" if isinstance(v, Signatory) else str(v) for v in value)
    return str(value)


AGREEMENT_FIELDS = (
    "kind",
    "title",
    "parties",
    "signatories",
    "valid_from",
    "valid_to",
    "source",
    "replaces",
    "replaces_from",
    "is_example",
)
COMMITMENT_FIELDS = ("short_title", "focus_area", "responsible", "text", "ordinal", "indicators")


def changes(old: Agreement, new: Agreement) -> list[Change]:
    """What an edit changes, field by field; a commitment added is one change with field 'löfte'."""
    found = [
        Change(None, f, _text(getattr(old, f)), _text(getattr(new, f)))
        for f in AGREEMENT_FIELDS
        if getattr(old, f) != getattr(new, f)
    ]
    before = {c.id: c for c in old.commitments}
    for c in new.commitments:
        if c.id not in before:
            found.append(Change(c.id, "löfte", None, c.text))
            continue
        found += [
            Change(c.id, f, _text(getattr(before[c.id], f)), _text(getattr(c, f)))
            for f in COMMITMENT_FIELDS
            if getattr(before[c.id], f) != getattr(c, f)
        ]
    return found


def revise(
    old: Agreement, new: Agreement, others: Iterable[Agreement], focus_areas: Iterable[str], reason: str
) -> list[Change]:
    """The changes of an edit to a published agreement, refused unless a reason is given, nothing is
    removed and the result is valid (and overlaps no other)."""
    found = []
    if not reason.strip():
        found.append(
            "Skäl: ange varför en publicerad överenskommelse ändras; ändringen sparas som en version "
            "med vem, när och varför."
        )
    elif problem := privacy.problem(reason):
        found.append(f"Skäl: {problem}")
    if new.id != old.id:
        found.append(field("id", "en publicerad överenskommelse behåller sitt id"))
    removed = [c.id for c in old.commitments if c.id not in {n.id for n in new.commitments}]
    if removed:
        found.append(
            f"Löften: {', '.join(removed)} kan inte tas bort ur en publicerad överenskommelse "
            "(möten, kommentarer och mål pekar på dem)."
        )
    new = new.model_copy(
        update={k: getattr(old, k) for k in ("status", "published_by", "published_at", "created_by", "created_at")}
    )
    found += problems(new, others, focus_areas)
    if not found and not changes(old, new):
        found.append("Inget är ändrat.")
    if found:
        raise AgreementError(found)
    return changes(old, new)


# --- TOML, the exchange format ---------------------------------------------------------------

_Model = TypeVar("_Model", bound=BaseModel)


def _parse(model: type[_Model], entry: dict[str, Any], where: str) -> _Model:
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        raise AgreementError([f"{where}: {swedish_problems(exc)}"]) from exc


def from_toml(text: str, file_name: str) -> tuple[Agreement, dict[str, str]]:
    """The agreement in an exchange file and the focus areas it names (id -> title); always a draft.

    The file has one [agreement] table, [[focus_area]] entries and [[commitment]] entries, as written
    by `to_toml`."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise AgreementError(
            [f"{file_name}: är ingen giltig TOML-fil" + (f" (fel på rad {line[1]})" if line else "")]
        ) from exc
    unknown = sorted(set(raw) - {"agreement", "focus_area", "commitment"})
    if unknown:
        raise AgreementError(
            [f"{file_name}: okänd del {', '.join(unknown)}; filen har [agreement], [[focus_area]] och [[commitment]]"]
        )
    head = raw.get("agreement")
    if not isinstance(head, dict):
        raise AgreementError([f"{file_name}: tabellen [agreement] saknas"])
    if set(head) & {"status", "published_by", "published_at", "created_by", "created_at", "commitments"}:
        raise AgreementError(
            [
                f"{file_name}, [agreement]: status och publicering sätts i appen, inte i filen "
                "(en importerad överenskommelse är ett utkast)"
            ]
        )
    focus = {}
    for number, entry in enumerate(raw.get("focus_area", []), start=1):
        where = f"{file_name}, post {number} under [[focus_area]] ({entry.get('id', '?')})"
        if (
            set(entry) - {"id", "title", "ordinal"}
            or not isinstance(entry.get("id"), str)
            or not isinstance(entry.get("title"), str)
            or not entry["title"].strip()
        ):
            raise AgreementError([f"{where}: ett fokusområde har id och title (text) och eventuellt ordinal"])
        focus[entry["id"]] = entry["title"].strip()
    commitments = []
    for number, entry in enumerate(raw.get("commitment", []), start=1):
        where = f"{file_name}, post {number} under [[commitment]] ({entry.get('id', '?')})"
        entry = dict(entry)
        if entry.pop("agreement", head.get("id")) != head.get("id"):
            raise AgreementError([f"{where}: fältet agreement: måste vara filens överenskommelse ”{head.get('id')}”"])
        commitments.append(_parse(Commitment, entry, where))
    return _parse(Agreement, {**head, "commitments": commitments}, f"{file_name}, [agreement]"), focus


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # A JSON string is a TOML basic string once DEL, which JSON leaves as it is, is escaped too.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(agreement: Agreement, focus_areas: Mapping[str, str]) -> str:
    """The exchange file of an agreement with the focus areas its commitments use (`focus_areas`: id ->
    title, in order); from_toml reads it back to the same agreement as a draft."""
    lines = [
        "# En överenskommelse för Trygghetsuppföljning Timrå.",
        "# Läs in med: python -m trygghet agreement import FIL.toml",
        "",
        "[agreement]",
    ]
    for name in (
        "id",
        "kind",
        "title",
        "parties",
        "valid_from",
        "valid_to",
        "source",
        "replaces",
        "replaces_from",
        "is_example",
    ):
        value = getattr(agreement, name)
        if value is not None:
            lines.append(f"{name} = {_value(value)}")
    for s in agreement.signatories:
        lines += ["", "[[agreement.signatories]]", f"name = {_value(s.name)}", f"title = {_value(s.title)}"]
    used = {c.focus_area for c in agreement.commitments}
    for ordinal, (fid, title) in enumerate(focus_areas.items(), start=1):
        if fid in used:
            lines += ["", "[[focus_area]]", f"id = {_value(fid)}", f"title = {_value(title)}", f"ordinal = {ordinal}"]
    for c in agreement.commitments:
        lines += ["", "[[commitment]]"] + [
            f"{name} = {_value(getattr(c, name))}"
            for name in ("id", "ordinal", "short_title", "focus_area", "responsible", "text", "indicators")
        ]
    return "\n".join(lines) + "\n"
