"""Administration: the areas of the municipality, the local accounts' roles, and the demo data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.auth import AuthError, Role, load_accounts, remove_user, set_role, users_file
from trygghet.formatting import format_datetime
from trygghet.reference.areas import check_areas
from trygghet.web import ui


def _yes_no(flag) -> str:
    return "ja" if flag else "nej"


def _area_change(row) -> str:
    """What one save did to an area, in words."""
    if pd.isna(row.old_name):
        return (
            f"nytt område ({'centrala Timrå' if row.is_central else 'utanför centrala Timrå'}, "
            f"{'aktivt' if row.active else 'inaktivt'})"
        )
    parts = []
    if row.old_name != row.name:
        parts.append(f"namn {row.old_name} → {row.name}")
    if bool(row.old_is_central) != bool(row.is_central):
        parts.append(f"centrala Timrå {_yes_no(row.old_is_central)} → {_yes_no(row.is_central)}")
    if bool(row.old_active) != bool(row.active):
        parts.append(f"aktivt {_yes_no(row.old_active)} → {_yes_no(row.active)}")
    return "; ".join(parts)


def _role_label(role) -> str:
    return Role.parse(role).label if isinstance(role, str) else "–"


def _account_change(row) -> str:
    if row.action == "added":
        return f"tillagt som {_role_label(row.new_role)}"
    if row.action == "removed":
        return f"borttaget (var {_role_label(row.old_role)})"
    return f"roll {_role_label(row.old_role)} → {_role_label(row.new_role)}"


def _who(name) -> str:
    return name if isinstance(name, str) else "okänd"


def _when(moments) -> list[str]:
    return [format_datetime(t.to_pydatetime()) for t in moments]


ui.page_header("Administration", "Områden, användarnas roller och demodata. Bara för administratörer.")
user = ui.require(Role.ADMIN)
store = ui.store()

st.header("Områden")
st.caption(
    "Områdena i Timrå kommun och vilka som räknas till centrala Timrå. Ett område som har använts kan "
    "göras inaktivt men inte tas bort; ett nytt område får sin kod av namnet."
)
areas = store.areas()
edited = st.data_editor(
    areas[["code", "name", "is_central", "active"]],
    num_rows="dynamic",
    key="areas",
    column_config={
        "code": st.column_config.TextColumn("Kod", disabled=True),
        "name": st.column_config.TextColumn("Namn", required=True, max_chars=80),
        "is_central": st.column_config.CheckboxColumn("Centrala Timrå", default=False),
        "active": st.column_config.CheckboxColumn("Aktivt", default=True),
    },
)
if st.button("Spara områdena", icon=":material/save:"):
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in edited.to_dict("records")]
    checked, problems = check_areas(rows, set(areas.code))
    if problems:
        st.error("Områdena sparades inte.\n\n" + "\n\n".join(ui.plain(p) for p in problems))
    else:
        store.save_areas(checked, user)
        st.success(f"Sparat: {len(checked)} områden.")
area_changes = store.area_changes()
if not area_changes.empty:
    st.markdown("**Senaste ändringar av områdena**")
    ui.table(
        pd.DataFrame(
            {
                "När": _when(area_changes.changed_at),
                "Av": [_who(n) for n in area_changes.changed_by],
                "Område": area_changes.name,
                "Ändring": [_area_change(r) for r in area_changes.itertuples()],
            }
        )
    )

st.header("Användare")
if ui.oidc_configured():
    st.caption("Inloggning sker via kommunens identitetstjänst; rollerna styrs av [roles] i secrets.toml.")
else:
    accounts = load_accounts(users_file())
    st.caption("Lokala konton. Nya konton och lösenord skapas med python -m trygghet users add NAMN.")
    if accounts:
        ui.table(
            pd.DataFrame({"Användare": list(accounts), "Roll": [Role.parse(a.role).label for a in accounts.values()]})
        )
        with st.form("role"):
            name = st.selectbox("Konto", list(accounts))
            role = st.selectbox("Ny roll", ["editor", "admin"], format_func=lambda r: Role.parse(r).label)
            change, remove = st.columns(2)
            st.caption("Ditt eget konto kan du varken ta bort eller ge en lägre roll; be en annan administratör.")
            try:
                if change.form_submit_button("Byt roll"):
                    set_role(users_file(), name, role, store=store, by=user)
                    st.success(f"{name} har nu rollen {Role.parse(role).label}.")
                if remove.form_submit_button("Ta bort kontot"):
                    remove_user(users_file(), name, store=store, by=user)
                    st.success(f"Kontot {name} är borttaget.")
            except AuthError as exc:
                st.error(str(exc))
account_changes = store.account_changes()
if not account_changes.empty:
    st.markdown("**Senaste ändringar av konton**")
    st.caption("Från den här sidan och från python -m trygghet users. Lösenord sparas aldrig här.")
    ui.table(
        pd.DataFrame(
            {
                "När": _when(account_changes.changed_at),
                "Av": account_changes.changed_by,
                "Konto": account_changes.account,
                "Ändring": [_account_change(r) for r in account_changes.itertuples()],
            }
        )
    )

st.header("Demodata")
if store.has_demo_data():
    st.caption("Demodatan är påhittade aktiviteter och möten. Ta bort den innan riktiga uppgifter används.")
    if st.button("Ta bort demodata", icon=":material/delete:"):
        removed = store.remove_demo(user)
        st.success(f"Demodata borttagen: {removed} aktiviteter. Omgången finns kvar i importhistoriken som ångrad.")
else:
    st.caption("Databasen innehåller ingen demodata.")
