"""Corrections, not duplicates (issue 16 item 6): free text is compared after NFKC and with blanks collapsed,
identical rows of one file are as many activities, and a corrected file replaces its batch in one step."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from tests.factories import command
from trygghet.auth import Role, User
from trygghet.config import PROJECT_ROOT
from trygghet.importing import pipeline as importer
from trygghet.store import schema
from trygghet.store.database import Store

HEADER = "Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Medborgarkontakter;Kommentar\n"
ROWS = [
    "2024-03-05;18:30;2;Vivsta;Torget;polisen;3;Lugnt vid torget.",
    "2024-03-06;19:00;1,5;Vivsta;Skolan;polisen;1;",
    "2024-03-07;20:00;2;Sörberge;;polisen;4;Många ute.",
]
ANNA = User("anna", Role.EDITOR)  # imports the batches of these tests and replaces them


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def _import(store, rows: list[str], name: str = "patrull.csv", **kwargs) -> importer.Preview:
    return importer.import_file(store, name, _csv(rows), imported_by="anna", replacer=ANNA, **kwargs)


def _keys(store) -> list[str]:
    with store.connect() as con:
        return [k for (k,) in con.execute("SELECT content_key FROM activities ORDER BY id").fetchall()]


def _snapshot(store) -> list[tuple]:
    """Every activity, day row and batch as stored: what a refused or interrupted write must leave alone."""
    with store.connect() as con:
        return [
            con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("activities", "activity_days", "import_batches")
        ]


# --- the normalised key --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "Lugnt  vid torget.",
        "Lugnt\tvid torget.",
        "Lugnt\u00a0vid\u2003torget.",
        " Lugnt vid  torget. ",
        "ＬＵＧＮＴ vid torget.",
    ],
)
def test_a_comment_respaced_or_recoded_is_the_same_activity(tmp_store, comment):
    """Double space, tab, no-break and em space, fullwidth letters: NFKC and one space make them the row
    already stored, so the corrected export adds nothing."""
    _import(tmp_store, ROWS)
    again = _import(tmp_store, [ROWS[0].replace("Lugnt vid torget.", comment)], name="igen.csv")
    assert (again.new, again.duplicates, tmp_store.activity_count()) == (0, 1, 3)


def test_a_letter_written_decomposed_is_the_same_letter(tmp_store):
    """'å' as a + combining ring (as some Mac exports write it) is the 'å' already stored."""
    _import(tmp_store, ROWS)
    again = _import(tmp_store, [ROWS[2].replace("Många", "Ma\u030anga")], name="mac.csv")
    assert (again.new, again.duplicates) == (0, 1)


def test_a_comment_changed_in_its_words_is_another_activity(tmp_store):
    _import(tmp_store, ROWS)
    again = _import(tmp_store, [ROWS[0].replace("Lugnt vid torget.", "Lugnt vid torget!")], name="igen.csv")
    assert (again.new, again.duplicates) == (1, 0)


def test_the_key_of_text_in_normal_form_is_as_before_and_others_key_their_normal_form(tmp_store):
    """Worked by hand: the key is the md5 of the row's values joined by '|', text lowered; a comment with a
    ligature and a double space is keyed as its NFKC form with one space."""

    def by_hand(comment: str) -> str:
        parts = [
            "foot_patrol",
            "2024-03-05",
            "2024-03-05",
            "1",
            "18:30:00",
            "120",
            "vivsta",
            "torget",
            "polisen",
            "",
            comment,
            "3",
        ] + [""] * 15
        return hashlib.md5("|".join(parts).encode()).hexdigest()

    _import(tmp_store, [ROWS[0], ROWS[0].replace("Lugnt vid torget.", "Fint  ﬁske")])
    assert _keys(tmp_store) == [by_hand("lugnt vid torget."), by_hand("fint fiske")]


def test_migration_013_rekeys_only_rows_whose_text_is_not_in_normal_form(tmp_path, monkeypatch):
    """Rows stored before 013 were keyed on lowered, trimmed text. A row whose text is in normal form keeps
    its key; one with a double space gets the key of its normal form; and two rows of one batch that are
    identical once normalised become the first (the one that had the key) and the second of them."""
    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 12])
    store = Store(tmp_path / "gammal.duckdb")
    store.migrate()
    old_key = (
        "md5(concat_ws('|', activity_type, date_from, date_to, activity_count, '', '', area_code, '',"
        " organisation, '', lower(trim(comment))" + ", ''" * 16 + "))"
    )  # contacts and 15 columns after
    with store.connect() as con:
        con.execute(
            "INSERT INTO import_batches (file_name, content_hash, activity_type, imported_by)"
            " VALUES ('gammal.csv', 'x', 'foot_patrol', 'test')"
        )
        con.execute(
            "INSERT INTO activities (id, batch_id, activity_type, date_from, date_to, area_code, organisation,"
            " comment, content_key) SELECT id, 1, 'foot_patrol', DATE '2024-01-01', DATE '2024-01-01', 'vivsta',"
            " 'polisen', comment, '' FROM (VALUES (1, 'Lugnt.'), (2, 'Lugnt  här.'), (3, 'Lugnt här.'))"
            " t(id, comment)"
        )
        con.execute(f"UPDATE activities SET content_key = {old_key}")
    before = _keys(store)
    monkeypatch.setattr(schema, "_migrations", lambda: every)
    assert store.migrate()[0] == "013_corrections.sql"
    base = before[2]  # 'lugnt här.' was in normal form: its key is the key of both once normalised
    assert _keys(store) == [before[0], hashlib.md5(f"{base}#2".encode()).hexdigest(), base]


# --- identical rows in one file -----------------------------------------------------------------


def test_identical_rows_are_as_many_activities_and_the_same_file_again_adds_none(tmp_store):
    first = _import(tmp_store, [ROWS[1]] * 3)
    assert (first.new, first.duplicates, tmp_store.activity_count()) == (3, 0, 3)
    assert first.notes[0].startswith("Raderna 2, 3 och 4 är likadana och importeras som 3 aktiviteter.")
    again = _import(tmp_store, [ROWS[1]] * 3 + [ROWS[2]], name="mars.csv")  # the next export, overlapping
    assert (again.new, again.duplicates, tmp_store.activity_count()) == (1, 3, 4)
    fourth = _import(tmp_store, [ROWS[1]] * 4, name="april.csv")  # one more of the same
    assert (fourth.new, fourth.duplicates, tmp_store.activity_count()) == (1, 3, 5)


def test_many_identical_rows_are_named_by_their_first_rows_and_counted(tmp_store):
    result = importer.preview(tmp_store, "x.csv", _csv([ROWS[1]] * 8))
    assert result.notes[0].startswith("Raderna 2, 3, 4, 5, 6, 7 … (8 rader) är likadana och importeras som 8")


# --- a corrected file replaces its batch --------------------------------------------------------

CORRECTED = [
    ROWS[0].replace("Lugnt vid torget.", "Lugnt  vid torget."),  # respaced only: unchanged
    ROWS[1].replace(";1;", ";2;"),  # contacts 1 -> 2: changed
    "2024-03-09;18:00;1;Vivsta;;polisen;0;",
]  # new; row 3 of before removed


def test_a_corrected_file_shows_what_is_added_changed_and_removed_and_writes_nothing(tmp_store):
    batch = _import(tmp_store, ROWS).batch_id
    before = _snapshot(tmp_store)
    result = importer.preview(tmp_store, "rättad.csv", _csv(CORRECTED), replaces=batch)
    changes = result.changes
    assert (changes.added, changes.changed, changes.removed, changes.unchanged) == (1, 1, 1, 1)
    assert changes.changed_rows.to_dict("records") == [{"Rad": 3, "Kolumn": "Medborgarkontakter", "Förut": 1, "Nu": 2}]
    assert list(changes.added_rows["Rad"]) == [4]
    assert list(changes.removed_rows["Datum"]) == ["2024-03-07"]
    # Areas and organisations by name, as in the preview, not by code ("vivsta", "polisen").
    assert (changes.added_rows.loc[0, "Område"], changes.added_rows.loc[0, "Organisation"]) == ("Vivsta", "Polisen")
    assert changes.removed_rows.loc[0, "Område"] == "Sörberge"
    assert (result.new, result.duplicates) == (3, 0)
    assert result.summary()[3:8] == [
        (f"Ersätter omgång {batch} (patrull.csv): den ångras och filen importeras i ett steg."),
        "Nya rader: 1",
        "Ändrade rader: 1",
        "Borttagna rader: 1",
        "Oförändrade rader: 1",
    ]
    assert _snapshot(tmp_store) == before


def test_a_corrected_file_replaces_its_batch_in_one_step(tmp_store):
    """3 rows before, 3 after: the batch is undone, the file's rows are the new batch, and the day table
    follows (contacts 3 + 1 + 4 = 8 before, 3 + 2 + 0 = 5 after)."""
    batch = _import(tmp_store, ROWS).batch_id
    done = _import(tmp_store, CORRECTED, name="rättad.csv", replaces=batch)
    batches = tmp_store.batches().set_index("id")
    assert batches.loc[batch, "undone_by"] == "anna" and batches.loc[done.batch_id, "replaces"] == batch
    assert batches.loc[done.batch_id, "rows_added"] == 3 and tmp_store.activity_count() == 3
    with tmp_store.connect() as con:
        assert con.execute("SELECT sum(citizen_contacts) FROM activity_days").fetchone()[0] == 5
        assert con.execute("SELECT DISTINCT batch_id FROM activities").fetchall() == [(done.batch_id,)]


def test_rows_of_other_batches_stay_duplicates_when_replacing(tmp_store):
    batch = _import(tmp_store, ROWS[:2]).batch_id
    _import(tmp_store, [ROWS[2]], name="annan.csv")
    result = importer.preview(tmp_store, "rättad.csv", _csv(ROWS), replaces=batch)
    assert (result.new, result.duplicates, result.changes.unchanged, result.changes.added) == (2, 1, 2, 0)


@pytest.mark.parametrize(
    "replaces, message",
    [
        (9, "Det finns ingen importomgång 9. Välj en annan omgång att ersätta."),
        (1, "Importomgång 1 är redan ångrad. Välj en annan omgång att ersätta."),
        (
            2,
            (
                "Importomgång 2 gäller a-traktorkontroll men filen fotpatrull; en fil kan bara ersätta en omgång av "
                "samma aktivitetstyp."
            ),
        ),
    ],
)
def test_a_batch_that_cannot_be_replaced_is_refused_and_nothing_changes(tmp_store, replaces, message):
    tmp_store.undo_batch(_import(tmp_store, ROWS).batch_id, ANNA)
    importer.import_file(
        tmp_store,
        "a.csv",
        "Datum;Område;Organisation;Kontrollerade fordon\n2024-05-01;Vivsta;polisen;4\n".encode(),
        "atractor_check",
        imported_by="anna",
    )
    before = _snapshot(tmp_store)
    result = _import(tmp_store, CORRECTED, name="rättad.csv", replaces=replaces)
    assert [str(p) for p in result.problems] == [message] and result.batch_id is None
    assert _snapshot(tmp_store) == before


def test_a_replacement_interrupted_after_the_undo_leaves_the_batch_as_it_was(tmp_store, monkeypatch):
    batch = _import(tmp_store, ROWS).batch_id
    before = _snapshot(tmp_store)

    def interrupted(con, info, rows):
        assert con.execute("SELECT count(*) FROM activities").fetchone()[0] == 0  # undone inside the transaction
        raise KeyboardInterrupt

    monkeypatch.setattr(tmp_store, "insert_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _import(tmp_store, CORRECTED, name="rättad.csv", replaces=batch)
    assert _snapshot(tmp_store) == before


KILLED = """
import sys, time
from trygghet.importing import pipeline as importer
from trygghet.auth import Role, User
from trygghet.store.database import Store
store = Store(sys.argv[1])
real = store.insert_batch
def slow(con, info, rows):
    batch = real(con, info, rows)
    print("inside", flush=True)
    time.sleep(60)
    return batch
store.insert_batch = slow
importer.import_file(store, "rättad.csv", open(sys.argv[2], "rb").read(), imported_by="anna", replaces=1,
                     replacer=User("anna", Role.EDITOR))
"""


@pytest.mark.closes_after_use  # another process opens the file
def test_a_replacement_killed_inside_its_transaction_leaves_the_batch_as_it_was(tmp_store, tmp_path):
    """kill -9 after the undo and the insert, before the commit: the file opens as it was."""
    batch = _import(tmp_store, ROWS).batch_id
    assert batch == 1
    before = _snapshot(tmp_store)
    corrected = tmp_path / "rättad.csv"
    corrected.write_bytes(_csv(CORRECTED))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(tmp_store.path), str(corrected)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "inside"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert _snapshot(Store(tmp_store.path)) == before


@pytest.mark.slow
def test_cli_replaces_a_batch_and_prints_the_changes(tmp_store, tmp_path):
    batch = _import(tmp_store, ROWS).batch_id
    corrected = tmp_path / "rättad.csv"
    corrected.write_bytes(_csv(CORRECTED))
    args = ["import", str(corrected), "--replaces", str(batch)]
    dry = command(*args, "--dry-run", db=tmp_store.path)
    assert dry.returncode == 0 and "Ändrade rader: 1" in dry.stdout and "Rad 3, Medborgarkontakter: 1 → 2" in dry.stdout
    assert tmp_store.activity_count() == 3 and len(tmp_store.batches()) == 1
    done = command(*args, db=tmp_store.path)
    assert done.returncode == 0, done.stderr
    assert f"Omgång {batch} är ersatt av omgång 2." in done.stdout
    assert list(tmp_store.batches().sort_values("id").undone_by.fillna("")) == ["lokal operatör (kommandoraden)", ""]
    corrected.write_bytes(_csv(CORRECTED[:2]))
    missing = command(*args[:-1], "7", db=tmp_store.path)
    assert missing.returncode == 1 and "Det finns ingen importomgång 7." in missing.stdout


def test_a_workbook_of_several_sheets_cannot_replace_one_batch_and_changes_nothing(tmp_store):
    """Mars (foot patrols) and April (traffic controls) are two batches' worth of types: replacing one batch with
    both would undo it for rows of another type, so the whole workbook is refused; one picked sheet may."""
    batch = _import(tmp_store, ROWS).batch_id
    assert batch is not None
    before = tmp_store.activity_count()
    workbook = (PROJECT_ROOT / "tests" / "data" / "blad_per_manad_libreoffice.xlsx").read_bytes()
    refused = importer.import_file(
        tmp_store,
        "blad.xlsx",
        workbook,
        imported_by="anna",
        replaces=batch,
        replacer=ANNA,
        allow_missing=frozenset({"duration_min"}),
    )
    assert [p.message for p in refused.problems] == [
        "En arbetsbok med flera blad kan inte ersätta en omgång. Välj ett blad (Blad på sidan, --sheet på "
        "kommandoraden)."
    ]
    assert refused.batch_id is None and tmp_store.activity_count() == before
    picked = importer.preview(tmp_store, "blad.xlsx", workbook, sheet="Mars", replaces=batch)
    assert picked.changes is not None and picked.changes.batch_id == batch
