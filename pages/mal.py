"""Mål: the council's targets per indicator, editable, with a history of every change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import registry
from trygghet import ui
from trygghet.auth import Role
from trygghet.config import today
from trygghet.figures import agreement_standing
from trygghet.meetings import FollowUpError, check_written_follow_up, follow_up_record
from trygghet.formatting import format_date, format_datetime, month_label
from trygghet.progress import Direction
from trygghet.storage import StoreError
from trygghet.targets import TARGET_GRAIN_LABELS, TargetError, parse_target, set_target, stored_targets

ui.page_header("Mål", "Målen som rådet för trygghet och hälsa har satt för varje mått, och historiken över ändringar.")
store = ui.store()
targets = stored_targets(store)
indicators = registry()

if any(t.example for t in targets if t.valid_to is None):
    st.info("Några mål är **exempel** som följer med programmet och inte beslutade av rådet. "
            "Löftena anger inga siffror; rådet sätter sina egna mål här.")

st.header("Gällande och tidigare mål")
table = pd.DataFrame([{
    "Mått": indicators[t.indicator].title,
    "Mål": t.describe(),
    "Gäller från": format_date(t.valid_from),
    "Gäller till": format_date(t.valid_to, empty="tills vidare"),
    "Säsong": ", ".join(month_label(m, short=True) for m in (t.season_map or {})) or "hela året",
    "Ursprung": t.origin,
    "Exempel": "ja" if t.example else "nej",
} for t in targets])
if table.empty:
    st.info("Inga mål är satta ännu. Sätt ett mål med formuläret nedan.")
else:
    ui.table(table, width="stretch")

def _target_form() -> None:
    """Admins enter the council's decisions; a bad entry is refused with the field named and changes nothing."""
    st.caption("Ett nytt mål gäller från det datum du anger, tidigast från den dag då målet som gäller nu "
               "började gälla. Tidigare perioder behåller målet som gällde då.")
    with st.form("new-target", clear_on_submit=False):
        with_target = [i for i in indicators.values() if i.has_target]
        indicator = st.selectbox("Mått", with_target, format_func=lambda i: i.title)
        left, right = st.columns(2)
        grain = left.selectbox("Målet gäller", list(TARGET_GRAIN_LABELS), format_func=TARGET_GRAIN_LABELS.get, index=3)
        direction = right.selectbox("Riktning", list(Direction), format_func=lambda d: d.label)
        kind = st.radio("Typ av mål", ["Ett antal", "Ökning jämfört med ett tidigare år"], horizontal=True)
        left, right = st.columns(2)
        value = left.number_input("Antal (för typen ”ett antal”)", min_value=0.0, step=1.0, value=None)
        baseline_year = right.number_input("Jämförelseår (för typen ”ökning”)", min_value=2015, max_value=2100,
                                           step=1, value=None)
        increase = right.number_input("Ökning i procent", step=1.0, value=None)
        season = st.multiselect("Säsong (lämna tomt för hela året)", list(range(1, 13)),
                                format_func=month_label, placeholder="Välj månader")
        valid_from = st.date_input("Gäller från", value=today(), format="YYYY-MM-DD")
        origin = st.text_input("Beslut", placeholder="t.ex. Beslutat av rådet 2024-03-12", max_chars=200)
        submitted = st.form_submit_button("Spara målet")
    if not submitted:
        return
    entry = {
        "indicator": indicator.id, "grain": grain, "direction": direction.value, "valid_from": valid_from,
        "origin": origin.strip(), "season": season or None,
        **({"value": value} if kind == "Ett antal" else {"baseline_year": baseline_year, "increase_pct": increase}),
    }
    try:
        target = parse_target(entry)
        set_target(store, target, ui.user_name(), today=today())
    except (TargetError, StoreError) as exc:
        st.error(f"Målet sparades inte. {exc}")
    else:
        st.success(f"Sparat: {indicator.title}, {target.describe()} från {format_date(target.valid_from)}.")


st.header("Sätt ett nytt mål")
if ui.current_user().role >= Role.ADMIN:
    _target_form()
else:
    st.caption("Rådet beslutar om målen; en administratör för in dem här.")
    with st.expander("Logga in som administratör"):
        ui.sign_in_form("targets-sign-in")

st.header("Uppföljningen av löftet")
agreements = store.agreements()
agreement = agreements.iloc[agreement_standing(agreements, today()).index]
year = min(today(), agreement.valid_to.date()).year
record = follow_up_record(store, agreement.id, year, today())
st.markdown(f"{ui.plain(agreement.title)}: {record.meetings_text} {ui.plain(record.written_text())}")
if st.session_state.pop("follow-up-saved", False):
    st.success(f"Sparat: skriftlig uppföljning {year}.")
if ui.current_user().role >= Role.ADMIN:
    with st.form("written-follow-up"):
        st.caption(f"Registrera den skriftliga uppföljningen {year} till kommunstyrelsen och polismyndigheten.")
        produced_on = st.date_input("Lämnad den", value=None, format="YYYY-MM-DD")
        number = st.text_input("Diarienummer", max_chars=40, placeholder="t.ex. KS 2025/17")
        if st.form_submit_button("Spara uppföljningen"):
            try:
                store.save_written_follow_up(agreement.id, year, produced_on,
                                             check_written_follow_up(year, produced_on, number, today()), ui.user_name())
            except (FollowUpError, StoreError) as exc:
                st.error(f"Uppföljningen sparades inte. {exc}")
            else:
                st.session_state["follow-up-saved"] = True
                st.rerun()

st.header("Historik")
changes = store.target_changes()
if changes.empty:
    st.caption("Inga ändringar har gjorts sedan programmet installerades.")
else:
    ui.table(pd.DataFrame({
        "När": [format_datetime(t.to_pydatetime()) for t in changes.changed_at],
        "Vem": changes.changed_by,
        "Mått": [indicators[i].title if i in indicators else i for i in changes.indicator_id],
        "Tidigare mål": changes.old_target.fillna("–"),
        "Nytt mål": changes.new_target,
    }), width="stretch")
