"""Who did it: meetings, areas and local accounts record who changed them and when, the admin page, the
meeting calendar, the import history and the follow-ups show it, and migration 005 keeps an existing database."""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import TESTER, activity, add_rows
from trygghet import cli
from trygghet.auth import AuthError, Role, User, add_user, load_accounts, set_role
from trygghet.config import LOCAL_OPERATOR
from trygghet.formatting import format_date
from trygghet.store import schema
from trygghet.store.database import MeetingAuthors, Store

D = dt.date
PASSWORD = "korrekt häst batteri"


def _open(page: str, user: User | None) -> AppTest:
    return open_page(page, user)


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


# --- migration 005 ------------------------------------------------------------------------------


def test_migration_005_keeps_an_existing_database_at_schema_4_and_can_run_again(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    every = schema._migrations()
    monkeypatch.setattr(schema, "_migrations", lambda: [m for m in every if m[0] <= 4])
    old = Store(path)
    old.migrate()
    assert old.schema_version() == 4
    with old.connect() as con:
        con.execute("INSERT INTO meetings (meeting_date, title, note) VALUES ('2024-06-11', 'Rådet', 'Sal 2')")
        con.execute(
            "INSERT INTO follow_ups (raised_at, text, responsible, written_by)"
            " SELECT id, 'Fler kvällspatruller', 'Polisen', 'anna' FROM meetings"
        )
    monkeypatch.setattr(schema, "_migrations", lambda: every)

    store = Store(path)
    applied = store.migrate()
    assert applied[:3] == ["005_audit.sql", "006_bulk_activity_ids.sql", "007_activities_without_id_index.sql"]
    assert applied == [name for version, name, _ in every if version > 4]
    assert store.schema_version() == every[-1][0]
    [meeting] = store.meeting_rows()
    assert (meeting.meeting_date, meeting.title, meeting.note) == (D(2024, 6, 11), "Rådet", "Sal 2")
    assert store.meeting_authors()[meeting.id] == MeetingAuthors(
        created_at=None, created_by=None, changed_at=None, changed_by=None
    )
    assert store.follow_ups()[0].text == "Fler kvällspatruller"

    sql = (resources.files("trygghet.store.migrations") / "005_audit.sql").read_text(encoding="utf-8")
    with store.connect() as con:
        con.execute(sql)  # idempotent: a second run changes nothing and fails nowhere
    assert store.migrate() == []
    store.save_meeting(
        meeting.id, meeting.meeting_date, "Rådet för trygghet och hälsa", "Sal 2", user=User("anna", Role.EDITOR)
    )
    assert store.meeting_authors()[meeting.id].changed_by == "anna"


# --- 1. meetings ------------------------------------------------------------------------------------


def test_a_meeting_records_who_added_and_who_changed_it(tmp_store):
    meeting = tmp_store.save_meeting(None, D(2024, 6, 11), "Rådet", None, user=User("anna", Role.EDITOR))
    authors = tmp_store.meeting_authors()[meeting]
    assert authors.created_by == "anna" and authors.created_at is not None
    assert authors.changed_by is None and authors.changed_at is None
    tmp_store.save_meeting(
        meeting, D(2024, 6, 11), "Rådet", None, user=User("bo", Role.EDITOR)
    )  # nothing differs: no change
    assert tmp_store.meeting_authors()[meeting].changed_by is None
    tmp_store.save_meeting(meeting, D(2024, 6, 12), "Rådet", "Flyttat", user=User("bo", Role.EDITOR))
    authors = tmp_store.meeting_authors()[meeting]
    assert (authors.created_by, authors.changed_by) == ("anna", "bo") and authors.changed_at is not None


def test_the_calendar_records_the_signed_in_editor_and_shows_it(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-11")
    add_rows(tmp_store, [activity("foot_patrol", "2024-03-05", duration_min=60)])  # data, so no demo is loaded
    with tmp_store.connect() as con:  # as from before authors were kept
        con.execute("INSERT INTO meetings (meeting_date, title) VALUES ('2024-04-09', 'Rådet')")
    at = _open("pages/mote.py", User("redaktor", Role.EDITOR))
    day = next(d for d in at.date_input if d.form_id == "new-meeting")
    day.set_value(D(2024, 9, 10))
    next(b for b in at.button if b.label == "Spara" and b.form_id == "new-meeting").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = next(r for r in tmp_store.meeting_rows() if r.meeting_date == D(2024, 9, 10))
    assert tmp_store.meeting_authors()[added.id].created_by == "redaktor"

    at = _open("pages/mote.py", User("sekreterare", Role.EDITOR))
    at.query_params["meeting"] = "2024-04-09"
    at.run()
    title = next(t for t in at.text_input if t.label == "Rubrik" and t.form_id == "edit-meeting")
    title.input("Rådet för trygghet och hälsa")
    next(b for b in at.button if b.label == "Spara" and b.form_id == "edit-meeting").click()
    at.run()
    april = next(r for r in tmp_store.meeting_rows() if r.meeting_date == D(2024, 4, 9))
    assert tmp_store.meeting_authors()[april.id].changed_by == "sekreterare"

    calendar = _table(at, "Tillagt").set_index("Datum")
    assert calendar.loc["10 september 2024", "Tillagt"].endswith(" av redaktor")
    assert calendar.loc["10 september 2024", "Senast ändrat"] == "–"
    assert calendar.loc["9 april 2024", "Tillagt"] == "–"  # not known, and not made up
    assert calendar.loc["9 april 2024", "Senast ändrat"].endswith(" av sekreterare")


# --- 2. areas -----------------------------------------------------------------------------------------


def test_saving_areas_logs_who_changed_what_and_only_what_changed(tmp_store):
    rows = tmp_store.areas()[["code", "name", "is_central", "active"]].to_dict("records")
    tmp_store.save_areas(rows, User("anna", Role.ADMIN))
    assert tmp_store.area_changes().empty  # nothing changed, nothing logged
    sorberge = next(r for r in rows if r["code"] == "sorberge")
    sorberge["is_central"] = True
    rows.append({"code": "nytt", "name": "Nytt område", "is_central": False, "active": True})
    tmp_store.save_areas(rows, User("anna", Role.ADMIN))
    changes = tmp_store.area_changes().set_index("code")
    assert set(changes.index) == {"sorberge", "nytt"} and set(changes.changed_by) == {"anna"}
    sorberge = changes.loc["sorberge"]
    assert (bool(sorberge["old_is_central"]), bool(sorberge["is_central"])) == (False, True)
    assert changes.isna().loc["nytt", "old_name"]  # a new area has no "before"


def test_the_admin_page_records_the_admin_who_saved_the_areas_and_shows_the_changes(tmp_store, monkeypatch):
    from trygghet.reference import areas

    real = areas.check_areas

    def renaming(rows, existing):  # the data editor cannot be typed into from AppTest: rename on the way
        checked, problems = real(rows, existing)
        return [dict(r, name="Sörberge by") if r["code"] == "sorberge" else r for r in checked], problems

    monkeypatch.setattr(areas, "check_areas", renaming)
    at = _open("pages/admin.py", User("chef", Role.ADMIN))
    next(b for b in at.button if b.label == "Spara områdena").click()
    at.run()
    assert not at.exception and not at.error
    [change] = tmp_store.area_changes().to_dict("records")
    assert (change["changed_by"], change["code"], change["name"]) == ("chef", "sorberge", "Sörberge by")
    shown = _table(at, "Område")
    assert list(shown["Av"]) == ["chef"] and "namn Sörberge → Sörberge by" in shown["Ändring"].iloc[0]
    assert "Senaste ändringar av områdena" in [m.value.replace("**", "") for m in at.markdown]


# --- 3. accounts ------------------------------------------------------------------------------------


def _account_log(store) -> list[tuple]:
    with store.connect() as con:
        return con.execute(
            "SELECT changed_by, account, action, old_role, new_role FROM account_changes"
            " ORDER BY changed_at DESC, id DESC"
        ).fetchall()


def _no_secrets_in(store) -> None:
    with store.connect() as con:
        cells = [str(v) for row in con.execute("SELECT * FROM account_changes").fetchall() for v in row]
    assert cells and not any(PASSWORD in c or "argon2" in c for c in cells)


def test_role_changes_and_removals_on_the_admin_page_are_logged_and_shown(tmp_store, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    monkeypatch.setenv("TRYGGHET_USERS", str(users))
    add_user(users, "anna", PASSWORD, "editor")
    at = _open("pages/admin.py", User("chef", Role.ADMIN))
    next(s for s in at.selectbox if s.label == "Konto").set_value("anna")
    next(s for s in at.selectbox if s.label == "Ny roll").set_value("admin")
    next(b for b in at.button if b.label == "Byt roll").click()
    at.run()
    assert load_accounts(users)["anna"].role == "admin"
    next(s for s in at.selectbox if s.label == "Konto").set_value("anna")
    next(b for b in at.button if b.label == "Ta bort kontot").click()
    at.run()
    assert not at.exception and load_accounts(users) == {}
    assert _account_log(tmp_store) == [
        ("chef", "anna", "removed", "admin", None),
        ("chef", "anna", "role", "editor", "admin"),
    ]
    _no_secrets_in(tmp_store)
    shown = _table(at, "Konto")
    assert list(shown["Ändring"]) == ["borttaget (var administratör)", "roll redaktör → administratör"]
    assert list(shown["Av"]) == ["chef", "chef"]


def test_the_command_line_logs_account_changes_as_the_local_operator(tmp_store, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    monkeypatch.setenv("TRYGGHET_USERS", str(users))
    db = ["--db", str(tmp_store.path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*db, "users", "add", "bo", "--password-stdin"]) == 0
    assert cli.main([*db, "users", "set-role", "bo", "--role", "admin"]) == 0
    assert cli.main([*db, "users", "set-role", "bo", "--role", "admin"]) == 0  # already admin: nothing to log
    assert cli.main([*db, "users", "remove", "bo"]) == 0
    assert cli.main([*db, "users", "remove", "bo"]) == 1  # refused: nothing to log
    assert _account_log(tmp_store) == [
        (LOCAL_OPERATOR, "bo", "removed", "admin", None),
        (LOCAL_OPERATOR, "bo", "role", "editor", "admin"),
        (LOCAL_OPERATOR, "bo", "added", None, "editor"),
    ]
    _no_secrets_in(tmp_store)


def test_an_account_change_and_its_log_row_happen_together_or_not_at_all(tmp_store, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    add_user(users, "anna", PASSWORD, "editor", store=tmp_store, by=User("chef", Role.ADMIN))
    with pytest.raises(ValueError):  # nobody to name: nothing is written
        set_role(users, "anna", "admin", store=tmp_store, by=None)
    assert load_accounts(users)["anna"].role == "editor"

    def full_disk(path, accounts):
        raise OSError("disken är full")

    monkeypatch.setattr("trygghet.auth._save", full_disk)
    with pytest.raises(OSError):  # the file cannot be saved: no log row
        set_role(users, "anna", "admin", store=tmp_store, by=User("chef", Role.ADMIN))
    assert load_accounts(users)["anna"].role == "editor"
    assert _account_log(tmp_store) == [("chef", "anna", "added", None, "editor")]


def test_a_local_account_is_never_given_the_viewer_role(tmp_path):
    users = tmp_path / "users.toml"
    with pytest.raises(AuthError, match="viewer .*behöver inget konto.*editor eller admin"):
        add_user(users, "anna", PASSWORD, "viewer")
    add_user(users, "anna", PASSWORD, "editor")
    with pytest.raises(AuthError, match="viewer .*behöver inget konto.*editor eller admin"):
        set_role(users, "anna", "viewer")
    assert load_accounts(users)["anna"].role == "editor"  # the file is untouched and still loads
    with pytest.raises(AuthError) as unknown:
        Role.parse("kung")
    assert "välj viewer" not in str(unknown.value)


# --- 4. who undid an import ---------------------------------------------------------------------------


def test_the_import_history_shows_who_undid_a_batch(tmp_store):
    batch = add_rows(tmp_store, [activity("foot_patrol", "2024-03-05", duration_min=60)], file_name="mars.csv")
    add_rows(tmp_store, [activity("foot_patrol", "2024-04-05", duration_min=60)], file_name="april.csv")
    tmp_store.undo_batch(batch, User("anna", Role.ADMIN))
    at = _open("pages/ladda_upp.py", User("chef", Role.ADMIN))
    history = _table(at, "Status").set_index("Fil")
    status = history.loc["mars.csv", "Status"]
    assert status.startswith("ångrad ") and status.endswith(" av anna")
    assert history.loc["april.csv", "Status"] == "aktiv"


# --- 5. who ticked a follow-up ------------------------------------------------------------------------


def test_a_follow_up_done_says_who_ticked_it(tmp_store, monkeypatch):
    monkeypatch.setenv("TRYGGHET_TODAY", "2024-06-11")
    april = tmp_store.save_meeting(None, D(2024, 4, 9), "Rådet", None, user=TESTER)
    june = tmp_store.save_meeting(None, D(2024, 6, 11), "Rådet", None, user=TESTER)
    tmp_store.add_follow_up(april, june, "Fler kvällspatruller i Vivsta", "Polisen", TESTER)
    tmp_store.set_follow_up_done(tmp_store.follow_ups()[0].id, True, User("anna", Role.EDITOR))
    at = _open("pages/mote.py", None)
    box = next(c for c in at.checkbox if c.label.startswith("Fler kvällspatruller i Vivsta"))
    done_on = tmp_store.follow_ups()[0].done_at.date()
    assert box.value and box.label.endswith(f"– klar {format_date(done_on)} \\(markerad av anna\\)"), box.label
