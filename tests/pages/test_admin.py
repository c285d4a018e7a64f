"""Administration: areas edited as a whole, roles, demo removal; only for admins."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.factories import TESTER
from trygghet.auth import NotAllowed, Role, User, add_user, load_accounts, remove_user
from trygghet.demo import load_demo
from trygghet.reference.areas import area_code, check_areas


def test_area_codes_come_from_names():
    assert area_code("Timrå centrum") == "timra-centrum"
    assert area_code(" Östra Sörberge ") == "ostra-sorberge"


def test_areas_are_checked_as_a_whole():
    existing = {"vivsta", "soraker"}
    rows = [
        {"code": "vivsta", "name": "Vivsta", "is_central": True, "active": True},
        {"code": "soraker", "name": "Söråker", "is_central": False, "active": False},
        {"code": None, "name": "Östra Sörberge", "is_central": None, "active": None},
    ]
    checked, problems = check_areas(rows, existing)
    assert problems == []
    assert checked[2] == {"code": "ostra-sorberge", "name": "Östra Sörberge", "is_central": False, "active": True}
    _, problems = check_areas(
        [rows[0], {"code": None, "name": "vivsta ", "is_central": False, "active": True}], existing
    )
    assert problems == [
        "Rad 2: namnet ”vivsta” finns redan på rad 1.",
        "Områden kan inte tas bort, bara göras inaktiva: soraker.",
    ]


def _admin_page(user: User | None) -> AppTest:
    return open_page("pages/admin.py", user)


@pytest.mark.after_first_run  # starts with the page's run on the empty store
def test_a_viewer_or_editor_meets_a_sign_in_prompt_and_nothing_else(tmp_store):
    for user in (None, User("redaktor", Role.EDITOR)):
        at = _admin_page(user)
        assert any("kräver inloggning som administratör" in w.value for w in at.warning)
        assert not at.get("arrow_data_editor") and "Ta bort demodata" not in [b.label for b in at.button]


def test_an_admin_removes_the_demo_data(tmp_store):
    load_demo(tmp_store, seed=2, years=(2024, 2024))
    at = _admin_page(User("admin", Role.ADMIN))
    next(b for b in at.button if b.label == "Ta bort demodata").click()
    at.run()
    assert tmp_store.activity_count() == 0 and not tmp_store.has_demo_data()
    assert tmp_store.batches().undone_by.iloc[0] == "admin"


def test_making_an_area_central_changes_the_central_figures(tmp_store):
    import datetime as dt

    from tests.factories import activity, add_rows
    from trygghet.figures.indicators import registry

    add_rows(tmp_store, [activity("foot_patrol", "2024-03-05", area_code="sorberge", duration_min=60)])
    patrols = registry()["fotpatrull_antal_centrala"]
    year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    with tmp_store.connect() as con:
        assert patrols.compute(con, *year, "total").value() == 0
    sorberge = tmp_store.areas().set_index("code").loc["sorberge"]
    tmp_store.save_areas([{"code": "sorberge", "name": sorberge["name"], "is_central": True, "active": True}], TESTER)
    with tmp_store.connect() as con:
        assert patrols.compute(con, *year, "total").value() == 1


def test_an_admin_cannot_remove_their_own_account_on_the_page_or_past_it(tmp_store, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    monkeypatch.setenv("TRYGGHET_USERS", str(users))
    add_user(users, "chef", "ett långt lösenord", "admin")
    add_user(users, "anna", "ett långt lösenord", "editor")
    chef = User("chef", Role.ADMIN)
    at = _admin_page(chef)
    next(s for s in at.selectbox if s.label == "Konto").set_value("chef")
    next(b for b in at.button if b.label == "Ta bort kontot").click()
    at.run()
    assert [e.value for e in at.error] == ["Du kan inte ta bort ditt eget konto."]
    next(s for s in at.selectbox if s.label == "Konto").set_value("chef")
    next(s for s in at.selectbox if s.label == "Ny roll").set_value("editor")
    next(b for b in at.button if b.label == "Byt roll").click()
    at.run()
    assert [e.value for e in at.error] == ["Du kan inte sänka din egen roll; be en annan administratör."]
    # Past the page, the function the page calls refuses the same way.
    with pytest.raises(NotAllowed, match="^Du kan inte ta bort ditt eget konto.$"):
        remove_user(users, "chef", store=tmp_store, by=chef)
    assert {n: a.role for n, a in load_accounts(users).items()} == {"anna": "editor", "chef": "admin"}
    assert tmp_store.account_changes().empty  # nothing logged either


def test_demo_data_is_removed_only_by_an_admin_even_past_the_page(tmp_store):
    load_demo(tmp_store, seed=2, years=(2024, 2024))
    before = tmp_store.activity_count()
    with pytest.raises(NotAllowed, match="^Bara en administratör kan ta bort demodata.$"):
        tmp_store.remove_demo(User("redaktor", Role.EDITOR))
    assert tmp_store.has_demo_data() and tmp_store.activity_count() == before
