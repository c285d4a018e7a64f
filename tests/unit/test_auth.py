"""Local accounts, sign-in limits and the OIDC role mapping."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from tests.factories import PASSWORD, Pauses, command
from trygghet.auth import (
    ALLOWED,
    MAX_FAILURES,
    AuthError,
    NotAllowed,
    Role,
    User,
    add_user,
    load_accounts,
    may_change_agreement,
    may_change_role,
    may_define_indicators,
    may_draft_agreements,
    may_edit_areas,
    may_edit_targets,
    may_lock_meeting,
    may_manage_accounts,
    may_publish_agreements,
    may_remove_account,
    may_remove_demo,
    may_replace,
    may_undo,
    may_write_meeting,
    remove_user,
    role_for,
    set_role,
    sign_in,
)
from trygghet.figures.indicators import _stored, registry

NOW = dt.datetime(2024, 6, 11, 12, 0, tzinfo=dt.UTC)


def test_accounts_store_argon2_hashes_never_passwords(accounts):
    text = accounts.read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert load_accounts(accounts)["anna"].role == "editor"
    set_role(accounts, "anna", "admin")
    assert load_accounts(accounts)["anna"].role == "admin"
    remove_user(accounts, "anna")
    assert load_accounts(accounts) == {}


@pytest.mark.parametrize(
    "name,password,role,message",
    [
        ("Anna Svensson", PASSWORD, "editor", "giltigt användarnamn"),
        ("bertil", "kort", "editor", "minst 12 tecken"),
        ("bertil", PASSWORD, "kung", "okänd roll"),
        ("anna", PASSWORD, "editor", "finns redan"),
    ],
)
def test_bad_accounts_are_refused(accounts, name, password, role, message):
    with pytest.raises(AuthError, match=message):
        add_user(accounts, name, password, role)


@pytest.mark.slow
def test_sign_in_gives_the_role_and_wrong_passwords_are_slowed_and_limited(tmp_store, accounts):
    pause = Pauses()
    user = sign_in(tmp_store, accounts, "anna", PASSWORD, now=NOW, pause=pause)
    assert (user.name, user.role, user.signed_in) == ("anna", Role.EDITOR, True)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthError, match="Fel användarnamn eller lösenord"):
            sign_in(tmp_store, accounts, "anna", "fel lösenord", now=NOW, pause=pause)
    assert pause.total == pytest.approx(0.5 + 1 + 2 + 4 + 4)  # doubling, at most 4 s
    with pytest.raises(AuthError, match="spärrat i 15 minuter"):
        sign_in(tmp_store, accounts, "anna", PASSWORD, now=NOW, pause=pause)  # even the right password
    later = NOW + dt.timedelta(minutes=16)
    assert sign_in(tmp_store, accounts, "anna", PASSWORD, now=later, pause=pause).role == Role.EDITOR


def test_an_unknown_account_fails_like_a_wrong_password(tmp_store, accounts):
    with pytest.raises(AuthError, match="Fel användarnamn eller lösenord"):
        sign_in(tmp_store, accounts, "okand", PASSWORD, now=NOW, pause=Pauses())


def test_oidc_roles_come_from_addresses_and_groups():
    mapping = {"admin": ["chef@timra.se"], "editor": ["group:trygghet-redaktorer", "analytiker@polisen.se"]}
    assert role_for("Chef@Timra.se", [], mapping) == Role.ADMIN
    assert role_for("x@timra.se", ["trygghet-redaktorer"], mapping) == Role.EDITOR
    assert role_for("analytiker@polisen.se", [], mapping) == Role.EDITOR
    assert role_for("x@timra.se", ["andra"], mapping) == Role.VIEWER
    assert role_for(None, [], {}) == Role.VIEWER


@pytest.mark.slow
def test_cli_manages_accounts(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    monkeypatch.setenv("TRYGGHET_USERS", str(path))
    run = functools.partial(command, db=tmp_path / "trygghet.duckdb")
    added = run("users", "add", "bertil", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert load_accounts(path)["bertil"].role == "admin"
    assert run("users", "list").stdout == "bertil\tadmin\n"
    refused = run("users", "add", "bertil", "--password-stdin", stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "finns redan" in refused.stderr


# --- who may do what (trygghet.auth's decisions, also asked by the store) ----------------------------

VIEWER, ANNA, BO, CHEF = (
    User("läsare", Role.VIEWER),
    User("anna", Role.EDITOR),
    User("bo", Role.EDITOR),
    User("chef", Role.ADMIN),
)


def test_an_editor_undoes_and_replaces_only_their_own_batches_an_admin_any():
    # (user, imported by) -> allowed: anna's batch is anna's to undo; bo's is not hers; chef may undo both;
    # a viewer none, not even a batch in their own name.
    cases = {
        (ANNA, "anna"): True,
        (ANNA, "bo"): False,
        (CHEF, "anna"): True,
        (CHEF, "chef"): True,
        (VIEWER, "anna"): False,
        (VIEWER, "läsare"): False,
    }
    for (user, owner), allowed in cases.items():
        assert bool(may_undo(user, owner)) is allowed, (user, owner)
        assert bool(may_replace(user, owner)) is allowed, (user, owner)
    assert may_undo(ANNA, "bo").reason == (
        "En redaktör kan bara ångra sina egna importomgångar; den här "
        "importerades av bo. En administratör kan ångra den."
    )
    assert may_replace(ANNA, "bo").reason.startswith("En redaktör kan bara ersätta sina egna importomgångar")
    assert may_undo(VIEWER, "anna").reason == "Bara en redaktör eller administratör kan ångra en importomgång."
    assert may_undo(ANNA, "anna") == ALLOWED and may_undo(ANNA, "anna").reason == ""


@pytest.mark.parametrize(
    "decision,lowest",
    [
        (may_write_meeting, Role.EDITOR),
        (may_draft_agreements, Role.EDITOR),
        (lambda user: may_change_agreement(user, published=False), Role.EDITOR),
        (lambda user: may_change_agreement(user, published=True), Role.ADMIN),
        (may_define_indicators, Role.ADMIN),
        (lambda user: may_lock_meeting(user, dt.date(2024, 6, 11), dt.date(2024, 6, 11)), Role.ADMIN),
        (may_edit_targets, Role.ADMIN),
        (may_remove_demo, Role.ADMIN),
        (may_publish_agreements, Role.ADMIN),
        (may_edit_areas, Role.ADMIN),
        (may_manage_accounts, Role.ADMIN),
    ],
)
def test_each_role_decision_allows_its_lowest_role_and_those_above(decision, lowest):
    """The meeting lock on its day, a draft and a published agreement are decided by role alone."""
    for role in Role:
        verdict = decision(User("x", role))
        assert bool(verdict) is (role >= lowest), (decision.__name__, role)
        assert (verdict.reason == "") is (role >= lowest)  # a refusal always says why, in Swedish
        assert verdict.reason == "" or verdict.reason.startswith("Bara en ")


def test_an_admin_cannot_remove_themselves_or_lower_their_own_role():
    assert may_remove_account(CHEF, "anna") and not may_remove_account(CHEF, "chef")
    assert may_remove_account(CHEF, "chef").reason == "Du kan inte ta bort ditt eget konto."
    assert not may_remove_account(ANNA, "bo") and not may_remove_account(ANNA, "anna")  # an editor: nobody's
    assert may_remove_account(ANNA, "anna").reason == "Bara en administratör kan ändra konton."
    assert may_change_role(CHEF, "anna", "admin") and may_change_role(CHEF, "anna", "editor")
    assert may_change_role(CHEF, "chef", "admin")  # the role they have: no harm
    assert (
        may_change_role(CHEF, "chef", "editor").reason == "Du kan inte sänka din egen roll; be en annan administratör."
    )
    assert not may_change_role(ANNA, "anna", "admin")  # an editor cannot raise themselves


def test_a_refusal_raises_with_its_reason_and_the_account_file_is_untouched(accounts):
    add_user(accounts, "chef", PASSWORD, "admin")
    with pytest.raises(NotAllowed, match="^Du kan inte ta bort ditt eget konto.$"):
        remove_user(accounts, "chef", by=CHEF)
    with pytest.raises(NotAllowed, match="^Du kan inte sänka din egen roll"):
        set_role(accounts, "chef", "editor", by=CHEF)
    with pytest.raises(NotAllowed, match="^Bara en administratör kan ändra konton.$"):
        remove_user(accounts, "chef", by=ANNA)
    with pytest.raises(NotAllowed):
        add_user(accounts, "bo", PASSWORD, "admin", by=ANNA)
    assert {n: a.role for n, a in load_accounts(accounts).items()} == {"anna": "editor", "chef": "admin"}
    remove_user(accounts, "anna", by=CHEF)  # another admin's account: allowed
    assert list(load_accounts(accounts)) == ["chef"]


def test_the_store_refuses_targets_areas_undos_and_publishing_the_role_does_not_allow(tmp_store):
    """A request that bypasses a page meets the same decision in the store, and nothing changes."""
    from tests.factories import activity, add_rows
    from trygghet.figures.targets import parse_target, set_target
    from trygghet.store import agreements

    target = parse_target(
        {
            "agreement": "medborgarlofte-2023",
            "indicator": "fotpatrull_antal_centrala",
            "grain": "year",
            "direction": "at_least",
            "origin": "Beslutat av rådet",
            "value": 40,
            "valid_from": dt.date(2024, 7, 1),
        }
    )
    batch = add_rows(tmp_store, [activity("foot_patrol", "2024-03-05", duration_min=60)], imported_by="bo")
    areas = tmp_store.areas()
    draft = agreements.copy_agreement(tmp_store, "medborgarlofte-2023", ANNA)  # an editor may draft
    published = agreements.get(tmp_store, "medborgarlofte-2023")
    new_indicator = registry()["fotpatrull_antal"].model_copy(update={"id": "egen_fotpatrull", "title": "Egen"})
    stored_before = (
        _stored.rows(tmp_store),
        agreements.all_agreements(tmp_store),
        agreements.document(tmp_store, published.id),
    )
    before = (tmp_store.target_rows(), tmp_store.data_version(), tmp_store.activity_count())
    refusals = [
        (lambda: set_target(tmp_store, target, ANNA, today=dt.date(2024, 6, 30)), "Bara en administratör kan föra in"),
        (
            lambda: tmp_store.save_written_follow_up(
                "medborgarlofte-2023", 2024, dt.date(2025, 2, 1), "KS 2025/17", ANNA
            ),
            "Bara en administratör kan föra in",
        ),
        (
            lambda: tmp_store.save_areas([{"code": "ny", "name": "Ny", "is_central": False, "active": True}], ANNA),
            "Bara en administratör kan ändra områdena.",
        ),
        (lambda: tmp_store.undo_batch(batch, ANNA), "En redaktör kan bara ångra sina egna"),
        (lambda: tmp_store.undo_batch(batch, VIEWER), "Bara en redaktör eller administratör kan ångra"),
        (lambda: agreements.publish(tmp_store, draft.id, ANNA), "Bara en administratör kan publicera"),
        (lambda: agreements.delete_draft(tmp_store, draft.id, ANNA), "Bara en administratör kan publicera"),
        (lambda: agreements.copy_agreement(tmp_store, "medborgarlofte-2023", VIEWER), "Bara en redaktör eller"),
        (lambda: agreements.save_draft(tmp_store, draft, VIEWER), "Bara en redaktör eller administratör kan skriva"),
        (lambda: agreements.add_focus_area(tmp_store, "Skolvägar", VIEWER), "Bara en redaktör eller"),
        (
            lambda: agreements.revise(tmp_store, published, ANNA, "Rådet beslutade"),
            "Bara en administratör kan ändra en publicerad",
        ),
        (
            lambda: agreements.attach_document(tmp_store, published.id, "ml.txt", b"Text", ANNA),
            "Bara en administratör kan ändra en publicerad",
        ),
        (lambda: agreements.attach_document(tmp_store, draft.id, "ml.txt", b"Text", VIEWER), "Bara en redaktör"),
        (lambda: _stored.save(tmp_store, new_indicator, ANNA, set(registry())), "Bara en administratör kan definiera"),
        (lambda: _stored.set_active(tmp_store, "fotpatrull_antal", False, ANNA), "Bara en administratör kan definiera"),
    ]
    for write, reason in refusals:
        with pytest.raises(NotAllowed) as refused:
            write()
        assert str(refused.value).startswith(reason)
    assert (tmp_store.target_rows(), tmp_store.data_version(), tmp_store.activity_count()) == before
    assert tmp_store.areas().equals(areas) and tmp_store.written_follow_up("medborgarlofte-2023", 2024) is None
    assert not agreements.get(tmp_store, draft.id).published  # still a draft, still there
    assert (
        _stored.rows(tmp_store),
        agreements.all_agreements(tmp_store),
        agreements.document(tmp_store, published.id),
    ) == stored_before
    assert tmp_store.undo_batch(batch, BO) == 1  # bo undoes his own batch
