"""Agreements, focus areas, commitments, their source documents and versions in the store.

The rules live in trygghet.reference.agreements; every write here reads what is stored, checks the rules and
writes inside one transaction, so a refusal (AgreementError, Swedish) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from trygghet import privacy
from trygghet.auth import User, may_change_agreement, may_draft_agreements, may_publish_agreements
from trygghet.reference import agreements as rules
from trygghet.reference.agreements import Agreement, AgreementError, Change, Commitment
from trygghet.reference.areas import area_code
from trygghet.store.connection import Connections, Params, _scalar
from trygghet.validation import name_problem

if TYPE_CHECKING:
    from trygghet.reference.files import ReferenceData
    from trygghet.store.database import Store

SEED = "agreements"
DOCUMENT_TYPES = {"pdf": "application/pdf", "txt": "text/plain", "md": "text/markdown"}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

_AGREEMENT_COLUMNS = (
    "id",
    "title",
    "kind",
    "valid_from",
    "valid_to",
    "source",
    "parties",
    "signatories",
    "status",
    "published_by",
    "published_at",
    "replaces",
    "replaces_from",
    "is_example",
    "created_by",
    "created_at",
)
_COMMITMENT_COLUMNS = ("id", "agreement_id", "ordinal", "short_title", "focus_area", "responsible", "text")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AgreementTables(Connections):
    """The agreements and commitments as tables, for the pages that draw or compute on them."""

    def agreements(self, drafts: bool = False) -> pd.DataFrame:
        """The published agreements (with `drafts`, the drafts too: only for editors and admins)."""
        where = "" if drafts else " WHERE status = 'publicerad'"
        return self._frame(f"SELECT * FROM agreements{where} ORDER BY valid_from")

    def commitments(self, agreement_id: str) -> pd.DataFrame:
        return self._frame(
            "SELECT c.*, f.title AS focus_title, f.ordinal AS focus_ordinal FROM commitments c"
            " JOIN focus_areas f ON f.id = c.focus_area WHERE c.agreement_id = ? ORDER BY f.ordinal, c.ordinal",
            [agreement_id],
        )


# --- seeding from the reference files ------------------------------------------------------------


def is_seeded(con: duckdb.DuckDBPyConnection) -> bool:
    return int(_scalar(con, "SELECT count(*) FROM reference_seeds WHERE name = ?", [SEED])) > 0


def seed(con: duckdb.DuckDBPyConnection, ref: ReferenceData) -> None:
    """Write the source agreements, their commitments and the focus areas once, inside the caller's
    transaction (ids kept: meeting snapshots, comments and targets point at them). A database that
    followed the files before has the same wording already; this adds the parties and signatories."""
    for f in ref.focus_areas:
        con.execute(
            "INSERT INTO focus_areas (id, title, ordinal) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE"
            " SET title = excluded.title, ordinal = excluded.ordinal",
            [f.id, f.title, f.ordinal],
        )
    for agreement in ref.agreements:
        _write(con, agreement)
    con.execute("INSERT INTO reference_seeds (name) VALUES (?)", [SEED])


# --- reads ------------------------------------------------------------------------------------


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Params = None) -> list[dict[str, Any]]:
    """Rows as dicts by column name, for the pydantic models to validate."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _read(con: duckdb.DuckDBPyConnection, drafts: bool = True) -> list[Agreement]:
    links: dict[str, list[str]] = {}
    for cid, iid in con.execute(
        "SELECT commitment_id, indicator_id FROM commitment_indicators ORDER BY commitment_id, ordinal"
    ).fetchall():
        links.setdefault(cid, []).append(iid)
    commitments: dict[str, list[Commitment]] = {}
    for row in _rows(con, f"SELECT {', '.join(_COMMITMENT_COLUMNS)} FROM commitments ORDER BY agreement_id, ordinal"):
        commitments.setdefault(row.pop("agreement_id"), []).append(
            Commitment.model_validate({**row, "indicators": links.get(row["id"], [])})
        )
    where = "" if drafts else " WHERE status = 'publicerad'"
    return [
        Agreement.model_validate({**row, "commitments": commitments.get(row["id"], [])})
        for row in _rows(con, f"SELECT {', '.join(_AGREEMENT_COLUMNS)} FROM agreements{where} ORDER BY valid_from, id")
    ]


def all_agreements(store: Store, *, drafts: bool = True) -> list[Agreement]:
    """Every agreement with its commitments, oldest first; without drafts for anyone but editors."""
    with store.connect() as con:
        return _read(con, drafts)


def _find(found: Iterable[Agreement], agreement_id: str) -> Agreement:
    for a in found:
        if a.id == agreement_id:
            return a
    raise AgreementError([f"Det finns ingen överenskommelse med id ”{agreement_id}”."])


def get(store: Store, agreement_id: str) -> Agreement:
    return _find(all_agreements(store), agreement_id)


def in_force_on(store: Store, day: dt.date) -> dict[str, Agreement]:
    """The published agreement of each kind in force on the day (see agreements.in_force)."""
    return rules.in_force(all_agreements(store, drafts=False), day)


def focus_areas(store: Store) -> dict[str, str]:
    """Every focus area's title by id, in order."""
    with store.connect() as con:
        return dict(con.execute("SELECT id, title FROM focus_areas ORDER BY ordinal, id").fetchall())


def declared_indicators() -> dict[str, list[str]]:
    """Commitment id -> the indicators whose declaration names it."""
    from trygghet.figures.indicators import registry

    found: dict[str, list[str]] = {}
    for indicator in registry().values():
        for cid in indicator.commitments:
            found.setdefault(cid, []).append(indicator.id)
    return found


def indicators_of(agreement: Agreement) -> dict[str, list[str]]:
    """Commitment id -> every indicator that tracks it: declared ones first, then the linked ones."""
    declared = declared_indicators()
    return {c.id: list(dict.fromkeys([*declared.get(c.id, []), *c.indicators])) for c in agreement.commitments}


def _known_indicators() -> set[str]:
    from trygghet.figures.indicators import registry

    return set(registry())


# --- writes -----------------------------------------------------------------------------------


def _write(con: duckdb.DuckDBPyConnection, a: Agreement) -> None:
    """Replace the agreement's row, commitments and indicator links (inside the caller's transaction)."""
    old = [r[0] for r in con.execute("SELECT id FROM commitments WHERE agreement_id = ?", [a.id]).fetchall()]
    con.execute(
        "DELETE FROM commitment_indicators WHERE list_contains(?, commitment_id)", [old + [c.id for c in a.commitments]]
    )
    con.execute("DELETE FROM commitments WHERE agreement_id = ?", [a.id])
    con.execute("DELETE FROM agreements WHERE id = ?", [a.id])
    values = a.model_dump(include=set(_AGREEMENT_COLUMNS))
    values["parties"] = list(a.parties)
    values["signatories"] = [s.model_dump() for s in a.signatories]
    con.execute(
        f"INSERT INTO agreements ({', '.join(_AGREEMENT_COLUMNS)}) VALUES ({', '.join('?' * len(_AGREEMENT_COLUMNS))})",
        [values[c] for c in _AGREEMENT_COLUMNS],
    )
    for c in a.commitments:
        con.execute(
            f"INSERT INTO commitments ({', '.join(_COMMITMENT_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(_COMMITMENT_COLUMNS))})",
            [c.id, a.id, c.ordinal, c.short_title, c.focus_area, c.responsible, c.text],
        )
        for ordinal, indicator in enumerate(c.indicators, start=1):
            con.execute("INSERT INTO commitment_indicators VALUES (?, ?, ?)", [c.id, indicator, ordinal])


def _numbered(a: Agreement) -> Agreement:
    """Commitments numbered 1, 2, … in the order given (the page and files may leave gaps)."""
    return a.model_copy(
        update={"commitments": tuple(c.model_copy(update={"ordinal": n}) for n, c in enumerate(a.commitments, start=1))}
    )


def _add_focus_areas(con: duckdb.DuckDBPyConnection, new: Mapping[str, str]) -> dict[str, str]:
    """Add the focus areas not stored yet (id -> title); refuse one stored under another title."""
    stored = dict(con.execute("SELECT id, title FROM focus_areas").fetchall())
    clashes = [
        f"Fokusområde ”{fid}”: finns redan med titeln ”{stored[fid]}”, inte ”{title}”."
        for fid, title in new.items()
        if fid in stored and stored[fid] != title
    ]
    if clashes:
        raise AgreementError(clashes)
    last = int(_scalar(con, "SELECT coalesce(max(ordinal), 0) FROM focus_areas"))
    for fid, title in new.items():
        if fid not in stored:
            last += 1
            con.execute("INSERT INTO focus_areas (id, title, ordinal) VALUES (?, ?, ?)", [fid, title, last])
            stored[fid] = title
    return stored


def add_focus_area(store: Store, title: str, user: User) -> str:
    """A new focus area (its id made from the title), last in order; returns its id."""
    may_draft_agreements(user).check()
    title = title.strip()
    fid = area_code(title).replace("-", "_")
    if not fid:
        raise AgreementError(["Fokusområde: ange en titel."])
    if problem := name_problem(title) or privacy.problem(title):
        raise AgreementError([f"Fokusområde: titeln {problem}"])
    with store.transaction() as con:
        if _scalar(con, "SELECT count(*) FROM focus_areas WHERE id = ? OR lower(title) = lower(?)", [fid, title]):
            raise AgreementError([f"Fokusområde: ”{title}” finns redan."])
        _add_focus_areas(con, {fid: title})
    return fid


def _check_indicators(a: Agreement) -> None:
    known = _known_indicators()
    found = [
        f"Löfte {n} ({c.id}), " + rules.field("indicators", f"okänt mått ”{i}”")
        for n, c in enumerate(a.commitments, start=1)
        for i in c.indicators
        if i not in known
    ]
    if found:
        raise AgreementError(found)


def save_draft(
    store: Store,
    agreement: Agreement,
    user: User,
    *,
    new_focus_areas: Mapping[str, str] | None = None,
    new: bool = False,
) -> Agreement:
    """Create a draft (`new`) or replace a stored draft's fields and commitments; checked first."""
    may_draft_agreements(user).check()
    if agreement.published:
        raise AgreementError([f"{agreement.title}: en publicerad överenskommelse ändras med ett skäl (se revise)."])
    agreement = _numbered(agreement)
    _check_indicators(agreement)
    with store.transaction() as con:
        stored = _read(con)
        if not new:
            old = _find(stored, agreement.id)
            if old.published:
                raise AgreementError([f"{old.title} är publicerad; ändringar kräver ett skäl."])
            agreement = agreement.model_copy(update={"created_by": old.created_by, "created_at": old.created_at})
        else:
            agreement = agreement.model_copy(update={"created_by": user.name, "created_at": now()})
        areas = _add_focus_areas(con, new_focus_areas or {})
        rules.check(agreement, stored, areas, new=new)
        _write(con, agreement)
    return agreement


def copy_agreement(store: Store, source_id: str, user: User) -> Agreement:
    """ "Ny överenskommelse utifrån …": store a draft copied from `source_id` and return it."""
    may_draft_agreements(user).check()
    source = get(store, source_id)
    draft = rules.copy_from(source, all_agreements(store), indicators_of(source), user.name, now())
    return save_draft(store, draft, user, new=True)


def delete_agreements(con: duckdb.DuckDBPyConnection, agreement_ids: list[str]) -> None:
    """Remove agreements with their commitments, links, documents and versions (inside a transaction)."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM commitments WHERE list_contains(?, agreement_id)", [agreement_ids]
        ).fetchall()
    ]
    con.execute("DELETE FROM commitment_indicators WHERE list_contains(?, commitment_id)", [ids])
    for table, column in (
        ("commitments", "agreement_id"),
        ("agreement_documents", "agreement_id"),
        ("agreement_versions", "agreement_id"),
        ("targets", "agreement_id"),
        ("target_changes", "agreement_id"),
        ("written_follow_ups", "agreement_id"),
        ("agreements", "id"),
    ):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, {column})", [agreement_ids])


def delete_draft(store: Store, agreement_id: str, user: User) -> None:
    may_publish_agreements(user).check()
    with store.transaction() as con:
        if _find(_read(con), agreement_id).published:
            raise AgreementError(["En publicerad överenskommelse kan inte tas bort."])
        delete_agreements(con, [agreement_id])
    store.erase_deleted()


def publish(store: Store, agreement_id: str, user: User) -> Agreement:
    """Publish a draft, recording who and when; refused with the reasons when it is invalid or overlaps, and
    unless auth.may_publish_agreements allows `user` to."""
    may_publish_agreements(user).check()
    by = user.name
    with store.transaction() as con:
        stored = _read(con)
        areas = dict(con.execute("SELECT id, title FROM focus_areas").fetchall())
        done = rules.publish(_find(stored, agreement_id), stored, areas, by, now())
        _write(con, done)
    return done


def revise(store: Store, agreement: Agreement, user: User, reason: str) -> list[Change]:
    """Change a published agreement; every changed value is kept as a version with who, when and why."""
    may_change_agreement(user, published=True).check()
    agreement = _numbered(agreement)
    _check_indicators(agreement)
    with store.transaction() as con:
        stored = _read(con)
        old = _find(stored, agreement.id)
        if not old.published:
            raise AgreementError([f"{old.title} är ett utkast; spara ändringarna utan skäl."])
        areas = dict(con.execute("SELECT id, title FROM focus_areas").fetchall())
        found = rules.revise(old, agreement, stored, areas, reason)
        _write(
            con,
            agreement.model_copy(
                update={
                    k: getattr(old, k) for k in ("status", "published_by", "published_at", "created_by", "created_at")
                }
            ),
        )
        for change in found:
            con.execute(
                "INSERT INTO agreement_versions (agreement_id, commitment_id, field, old_value, new_value,"
                " changed_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [old.id, change.commitment_id, change.field, change.old, change.new, user.name, reason.strip()],
            )
    return found


def save(store: Store, agreement: Agreement, user: User, reason: str = "") -> None:
    """Save an edit from the page: a draft as it is, a published agreement as versions with the reason."""
    if get(store, agreement.id).published:
        revise(store, agreement, user, reason)
    else:
        save_draft(store, agreement, user)


@dataclass(frozen=True)
class Version:
    """One changed value of a published agreement (commitment_id None: the agreement's own field), with why."""

    changed_at: dt.datetime
    changed_by: str
    reason: str
    commitment_id: str | None
    field: str
    old_value: str | None
    new_value: str | None


def history(store: Store, agreement_id: str) -> list[Version]:
    """The versions of a published agreement, newest first."""
    return store._records(
        Version,
        "SELECT changed_at, changed_by, reason, commitment_id, field, old_value, new_value"
        " FROM agreement_versions WHERE agreement_id = ? ORDER BY changed_at DESC, id DESC",
        [agreement_id],
    )


# --- TOML ---------------------------------------------------------------------------------------


def export_toml(store: Store, agreement_id: str) -> str:
    return rules.to_toml(get(store, agreement_id), focus_areas(store))


def import_toml(store: Store, text: str, file_name: str, user: User) -> Agreement:
    """Store the agreement of an exchange file as a draft (a new one, or replacing a draft with its id);
    refused, changing nothing, when the file or the agreement is wrong or the id is published."""
    agreement, areas = rules.from_toml(text, file_name)
    existing = {a.id: a for a in all_agreements(store)}
    if agreement.id in existing and existing[agreement.id].published:
        raise AgreementError(
            [
                f"{file_name}, [agreement]: "
                + rules.field(
                    "id",
                    f"”{agreement.id}” är redan publicerad; en publicerad överenskommelse ändras med ett skäl på "
                    "sidan Överenskommelser",
                )
            ]
        )
    try:
        return save_draft(store, agreement, user, new_focus_areas=areas, new=agreement.id not in existing)
    except AgreementError as exc:
        raise AgreementError([f"{file_name}: {p}" for p in exc.problems]) from exc


# --- source documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    file_name: str
    mime_type: str
    content: bytes
    attached_by: str
    attached_at: dt.datetime


def document_type(file_name: str) -> str:
    """The stored MIME type of a source document by its ending; refused unless PDF or text."""
    ending = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ending not in DOCUMENT_TYPES:
        raise AgreementError([f"Källdokument: ”{file_name}” är varken PDF eller text (.pdf, .txt, .md)."])
    return DOCUMENT_TYPES[ending]


def attach_document(store: Store, agreement_id: str, file_name: str, content: bytes, user: User) -> None:
    """Keep the source document of an agreement (replacing an earlier one): by whoever may change it."""
    if problem := privacy.problem(file_name):  # the name is not repeated
        raise AgreementError([f"Källdokument: filnamnet {problem}"])
    mime = document_type(file_name)
    if not content:
        raise AgreementError([f"Källdokument: ”{file_name}” är tom."])
    if len(content) > MAX_DOCUMENT_BYTES:
        raise AgreementError([f"Källdokument: ”{file_name}” är större än 20 MB."])
    if mime == "application/pdf" and not content.startswith(b"%PDF"):
        raise AgreementError([f"Källdokument: ”{file_name}” är ingen PDF-fil."])
    with store.transaction() as con:
        may_change_agreement(user, _find(_read(con), agreement_id).published).check()
        con.execute("DELETE FROM agreement_documents WHERE agreement_id = ?", [agreement_id])
        con.execute(
            "INSERT INTO agreement_documents (agreement_id, file_name, mime_type, content, attached_by)"
            " VALUES (?, ?, ?, ?, ?)",
            [agreement_id, file_name, mime, content, user.name],
        )


def document(store: Store, agreement_id: str) -> Document | None:
    with store.connect() as con:
        row = con.execute(
            "SELECT file_name, mime_type, content, attached_by, attached_at FROM agreement_documents"
            " WHERE agreement_id = ?",
            [agreement_id],
        ).fetchone()
    return None if row is None else Document(row[0], row[1], bytes(row[2]), row[3], row[4])
