"""Mål: the council's targets per indicator, editable, with a history of every change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trygghet.auth import NotAllowed, may_edit_targets
from trygghet.config import today
from trygghet.figures.compute import agreement_standing, target_suggestions
from trygghet.figures.indicators import registry
from trygghet.figures.periods import AgreementSpan
from trygghet.figures.progress import Direction
from trygghet.figures.targets import (
    TARGET_GRAIN_LABELS,
    Suggestion,
    TargetError,
    parse_target,
    set_target,
    stored_targets,
    suggested_targets,
)
from trygghet.formatting import format_date, format_datetime, format_number, month_label
from trygghet.meetings.report import FollowUpError, check_written_follow_up, follow_up_record
from trygghet.privacy import PersonalDataError
from trygghet.store.database import StoreError
from trygghet.web import ui

SAVED = "target-saved"  # the message of a save, shown after the rerun that brings the saved targets in


def _suggestion_text(suggestion: Suggestion) -> str:
    """'minst 132 (2024 + 10 %)', or a plain word where the baseline year holds no data."""
    if suggestion.value is None:
        return "inget förslag (inga uppgifter året före)"
    word = "minst" if suggestion.direction == Direction.AT_LEAST else "högst"
    change = f" ({suggestion.baseline_year} {'+' if suggestion.increase_pct >= 0 else '−'} "
    change += f"{format_number(abs(suggestion.increase_pct), 0)} %)" if suggestion.relative else ""
    return f"{word} {format_number(suggestion.value, 0)} per år" + (change if suggestion.relative else "")


@ui.per_data_version(shared=True, show_spinner=False, max_entries=16)
def _suggestions(agreement: AgreementSpan) -> dict[str, Suggestion]:
    """The suggested targets read the year before the agreement from every activity: once per data version."""
    return target_suggestions(ui.store(), agreement)


ui.page_header("Mål", "Målen som rådet för trygghet och hälsa har satt för varje mått, och historiken över ändringar.")
store = ui.store()
indicators = registry()
agreements = store.agreements().reset_index(drop=True)
standing = agreement_standing(agreements, today())
titles = dict(zip(agreements.id, agreements.title, strict=True))
chosen = st.selectbox(
    "Överenskommelse",
    list(titles),
    index=standing.index,
    format_func=titles.__getitem__,
    help="Ett mål gäller bara inom den överenskommelse det är satt för.",
)
agreement = AgreementSpan.of(agreements[agreements.id == chosen].iloc[0])
if standing.note and chosen == agreements.id[standing.index]:
    ui.no_agreement_notice(standing.note)
targets = [t for t in stored_targets(store) if t.agreement == agreement.id]

if any(t.example for t in targets if t.valid_to is None):
    st.info(
        "Några mål är **exempel** som följer med programmet och inte beslutade av rådet. "
        "Löftena anger inga siffror; rådet sätter sina egna mål här."
    )

st.header(f"Mål i {ui.plain(agreement.title)}")
table = pd.DataFrame(
    [
        {
            "Mått": indicators[t.indicator].title if t.indicator in indicators else t.indicator,
            "Mål": t.describe(),
            "Gäller från": format_date(t.valid_from),
            "Gäller till": format_date(t.valid_to, empty="tills vidare"),
            "Säsong": ", ".join(month_label(m, short=True) for m in (t.season_map or {})) or "hela året",
            "Ursprung": t.origin,
            "Exempel": "ja" if t.example else "nej",
        }
        for t in targets
    ]
)
if table.empty:
    st.info(f"Inga mål är satta för {ui.plain(agreement.title)} ännu. Sätt ett mål per mått med formuläret nedan.")
else:
    # A plain table, not a data grid: every word shows (a grid cuts long decisions), a screen reader reads it as
    # a table, and the browser draws it at once rather than after loading the grid's scripts (bench/browser.py).
    # Its cells are read as markdown: plain keeps stored text text.
    st.table(table.map(ui.plain), hide_index=True, border="horizontal")
suggestions = _suggestions(agreement)

baseline_year = agreement.start.year - 1
missing = [i for i in suggestions if not any(t.indicator == i for t in targets)]
if missing:
    st.subheader("Mått som saknar mål")
    st.caption(
        f"Mått med mål som hör till löftena i {ui.plain(agreement.title)} men ännu inget mål. Förslaget utgår från "
        f"utfallet {baseline_year}, året före överenskommelsen: +10 % där löftet säger ”öka”, −10 % där "
        "det säger ”minska”."
    )
    ui.table(
        pd.DataFrame(
            [
                {
                    "Mått": indicators[i].title,
                    f"Utfall {baseline_year}": "inga uppgifter"
                    if suggestions[i].baseline is None
                    else format_number(suggestions[i].baseline, indicators[i].decimals),
                    "Förslag": _suggestion_text(suggestions[i]),
                }
                for i in missing
            ]
        ),
        width="stretch",
    )
first_day = min(max(today(), agreement.start), agreement.end)
if message := st.session_state.pop(SAVED, None):
    st.success(message)


def _suggested_form() -> None:
    """One decision sets the suggestion of every measure that lacks a target; the rest are left to the form."""
    ready = [i for i in missing if suggestions[i].value is not None]
    if not ready:
        return
    with st.form("suggested-targets"):
        rest = [indicators[i].title for i in missing if i not in ready]
        st.caption(
            f"Har rådet beslutat målen som föreslås ovan? Då sätts de för alla {len(ready)} mått på en gång, "
            f"per år från {format_date(first_day)}."
            + (f" Utan förslag (sätts med formuläret nedan): {ui.plain(', '.join(rest))}." if rest else "")
        )
        origin = st.text_input(
            "Beslut om de föreslagna målen", placeholder="t.ex. Beslutat av rådet 2025-02-11", max_chars=200
        )
        if not st.form_submit_button(f"Sätt de föreslagna målen ({len(ready)} mått)", icon=":material/done_all:"):
            return
    try:
        chosen = suggested_targets(agreement.id, {i: suggestions[i] for i in ready}, first_day, origin)
        for target in chosen:
            set_target(store, target, ui.current_user(), today=today())
    except (TargetError, StoreError, NotAllowed) as exc:
        st.error(f"Målen sparades inte. {exc}")
    else:
        st.session_state[SAVED] = f"Sparat: de föreslagna målen för {len(chosen)} mått från {format_date(first_day)}."
        st.rerun()


editing = bool(may_edit_targets(ui.current_user()))
if missing and editing:
    _suggested_form()


def _target_form() -> None:
    """Admins enter the council's decisions; a bad entry is refused with the field named and changes nothing."""
    st.caption(
        "Ett nytt mål gäller från det datum du anger, i dag eller senare, och bara inom överenskommelsen. "
        "Att ändra mål för dagar som redan passerat är en rättelse som kräver en motivering."
    )
    with_target = sorted(suggestions, key=lambda i: (i not in missing, indicators[i].title))
    if not with_target:
        st.caption("Inga mått med mål är kopplade till löftena i överenskommelsen.")
        return
    indicator = indicators[st.selectbox("Mått", with_target, format_func=lambda i: indicators[i].title)]
    suggestion = suggestions[indicator.id]
    if suggestion.baseline is not None:
        st.caption(
            f"Utfall {baseline_year}: {format_number(suggestion.baseline, indicator.decimals)} {indicator.unit}. "
            f"Förslag: {_suggestion_text(suggestion)}."
        )
    with st.form("new-target", clear_on_submit=False):
        left, right = st.columns(2)
        grain = left.selectbox(
            "Målet gäller", list(TARGET_GRAIN_LABELS), format_func=TARGET_GRAIN_LABELS.__getitem__, index=3
        )
        directions = list(Direction)
        direction = right.selectbox(
            "Riktning", directions, index=directions.index(suggestion.direction), format_func=lambda d: d.label
        )
        kinds = ["Ett antal", "Förändring jämfört med ett tidigare år"]
        kind = st.radio("Typ av mål", kinds, index=1 if suggestion.relative else 0, horizontal=True)
        left, right = st.columns(2)
        value = left.number_input("Antal (för typen ”ett antal”)", min_value=0.0, step=1.0, value=suggestion.value)
        base_year = right.number_input(
            "Jämförelseår (för typen ”förändring”)", min_value=2015, max_value=2100, step=1, value=baseline_year
        )
        increase = right.number_input(
            "Förändring i procent (minus för en minskning)", step=1.0, value=suggestion.increase_pct or 10.0
        )
        season = st.multiselect(
            "Säsong (lämna tomt för hela året)", list(range(1, 13)), format_func=month_label, placeholder="Välj månader"
        )
        valid_from = st.date_input(
            "Gäller från", value=first_day, min_value=agreement.start, max_value=agreement.end, format="YYYY-MM-DD"
        )
        origin = st.text_input("Beslut", placeholder="t.ex. Beslutat av rådet 2025-02-11", max_chars=200)
        correcting = st.checkbox("Rättelse: målet ändras också för dagar som redan har passerat")
        reason = st.text_input("Motivering till rättelsen", max_chars=300)
        submitted = st.form_submit_button("Spara målet")
    if not submitted:
        return
    entry = {
        "agreement": agreement.id,
        "indicator": indicator.id,
        "grain": grain,
        "direction": direction.value,
        "valid_from": valid_from,
        "origin": origin.strip(),
        "season": season or None,
        **({"value": value} if kind == kinds[0] else {"baseline_year": base_year, "increase_pct": increase}),
    }
    try:
        target = parse_target(entry)
        set_target(store, target, ui.current_user(), today=today(), correction=reason if correcting else None)
    except (TargetError, StoreError, PersonalDataError, NotAllowed) as exc:
        st.error(f"Målet sparades inte. {exc}")
    else:
        # Rerun so that the measures without a target and the choice of measure are current at once.
        st.session_state[SAVED] = (
            f"Sparat: {indicator.title}, {target.describe()} från {format_date(target.valid_from)}."
        )
        st.rerun()


st.header("Sätt ett nytt mål")
if editing:
    _target_form()
else:
    st.caption("Rådet beslutar om målen; en administratör för in dem här.")
    with st.expander("Logga in som administratör"):
        ui.sign_in_form("targets-sign-in")

st.header("Uppföljningen av löftet")
year = min(max(today(), agreement.start), agreement.end).year
record = follow_up_record(store, agreement.id, year, today())
st.markdown(f"{ui.plain(agreement.title)}: {record.meetings_text} {ui.plain(record.written_text())}")
if st.session_state.pop("follow-up-saved", False):
    st.success(f"Sparat: skriftlig uppföljning {year}.")
if editing:
    with st.form("written-follow-up"):
        st.caption(f"Registrera den skriftliga uppföljningen {year} till kommunstyrelsen och polismyndigheten.")
        produced_on = st.date_input("Lämnad den", value=None, format="YYYY-MM-DD")
        number = st.text_input("Diarienummer", max_chars=40, placeholder="t.ex. KS 2025/17")
        if st.form_submit_button("Spara uppföljningen"):
            try:
                checked = check_written_follow_up(year, produced_on, number, today())
                assert produced_on is not None  # the check refuses an empty date
                store.save_written_follow_up(agreement.id, year, produced_on, checked, ui.current_user())
            except (FollowUpError, StoreError, PersonalDataError, NotAllowed) as exc:
                st.error(f"Uppföljningen sparades inte. {exc}")
            else:
                st.session_state["follow-up-saved"] = True
                st.rerun()

st.header("Historik")
changes = store.target_changes()
changes = changes[changes.agreement_id.isna() | (changes.agreement_id == agreement.id)]
if changes.empty:
    st.caption("Inga ändringar har gjorts sedan programmet installerades.")
else:
    ui.table(
        pd.DataFrame(
            {
                "När": [format_datetime(t.to_pydatetime()) for t in changes.changed_at],
                "Vem": changes.changed_by,
                "Mått": [indicators[i].title if i in indicators else i for i in changes.indicator_id],
                "Tidigare mål": changes.old_target.fillna("–"),
                "Nytt mål": changes.new_target,
                "Rättelse, motivering": changes.reason.fillna(""),
            }
        ),
        width="stretch",
    )
