"""Rådets möte: the standing agenda item, with comments, follow-up points, locked figures and a
presentation mode for the big screen (trygghet.web.presentation)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from trygghet.auth import NotAllowed, may_lock_meeting, may_write_meeting
from trygghet.figures.glance import section_anchor, summary_rows
from trygghet.formatting import format_date, format_datetime, lower_first
from trygghet.meetings.report import (
    ATTENTION_SHOWN,
    RESPONSIBLE,
    FollowUpRecord,
    MeetingReport,
    build_report,
    default_meeting,
    differences,
    follow_up_record,
    parse_choice,
)
from trygghet.meetings.rules import (
    MeetingError,
    check_comment,
    check_follow_up,
    check_meeting,
    figures_shown,
    follow_ups_of,
    later_meetings,
)
from trygghet.privacy import PersonalDataError
from trygghet.reports import ReportError, annual_report, meeting_handout
from trygghet.settings import settings
from trygghet.store.database import Comment, Meeting, MeetingAuthors, StoreError
from trygghet.web import ui
from trygghet.web.glance import attention_items, indicator_cards, summary_table
from trygghet.web.presentation import present


@ui.per_data_version(shared=True, show_spinner="Räknar fram mötets siffror …", max_entries=32)
def _live_report(meeting_date: dt.date, title: str, today: dt.date) -> MeetingReport:
    return build_report(ui.store(), meeting_date, title, today, settings().thresholds)


@ui.per_data_version(shared=True, max_entries=32)
def _follow_up_record(agreement_id: str, year: int, today: dt.date) -> FollowUpRecord:
    """Read from four tables on every run it took 0,1–0,3 s at 1 M rows, the most of the page's own run (bench/
    browser.py); every write it depends on (a meeting, a lock, a written follow-up) makes a new data version."""
    return follow_up_record(ui.store(), agreement_id, year, today)


def _meeting_label(row: Meeting) -> str:
    return f"{format_date(row.meeting_date)} – {row.title}"


def _choose_meeting(rows: list[Meeting]) -> tuple[Meeting, list[str]]:
    """The meeting from the URL, or the next (else the latest) one, with a notice for a bad parameter."""
    by_day = {r.meeting_date: r for r in rows}
    default = default_meeting(list(by_day), ui.today())
    assert default is not None  # the page chooses only among meetings there are
    day, notice = parse_choice(st.query_params.get("meeting"), {d.isoformat(): d for d in by_day}, default, "mötet")
    notices = [notice] if notice else []
    options = list(by_day)
    if not _presenting():
        day = ui.filter_sidebar().selectbox(
            "Möte", options, index=options.index(day), format_func=lambda d: _meeting_label(by_day[d])
        )
    st.query_params["meeting"] = day.isoformat()
    return by_day[day], notices


def _presenting() -> bool:
    return st.query_params.get("mode") == "present"


def _attention_box(report: MeetingReport) -> None:
    """The first items of the ranked list, the rest behind "Visa alla"."""
    with st.container(border=True):
        st.subheader("Att uppmärksamma")
        if not report.attention:
            st.markdown("Inga mått ligger efter och inget har bytt status sedan förra mötet.")
        attention_items(report.attention[:ATTENTION_SHOWN])
        if len(report.attention) > ATTENTION_SHOWN:
            with st.expander(f"Visa alla ({len(report.attention)})"):
                attention_items(report.attention[ATTENTION_SHOWN:])


def _comments_for(comments: list[Comment], commitment_id: str) -> None:
    for c in (c for c in comments if c.commitment_id == commitment_id):
        st.caption(f"Kommentar av {c.written_by}, {format_datetime(c.written_at)}:")
        st.text(c.text)


def _lock_section(meeting: Meeting, shown: MeetingReport, live: MeetingReport, locked) -> None:
    store = ui.store()
    if locked:
        st.success(
            f"Siffrorna är låsta sedan {format_datetime(locked.locked_at)} (av {locked.locked_by}). "
            "Mötet visar alltid de låsta siffrorna.",
            icon=":material/lock:",
        )
        changed = differences(shown, live)
        if changed:
            st.warning(
                "Uppgifterna har ändrats sedan siffrorna låstes (en rättad fil eller en ångrad import). Här är båda:",
                icon=":material/difference:",
            )
            ui.table(pd.DataFrame(changed, columns=["Mått", "Siffra", "Låst", "Nu"]))
        return
    st.caption("Siffrorna är inte låsta: de räknas om när nya uppgifter kommer in.")
    if not (verdict := may_lock_meeting(ui.current_user(), meeting.meeting_date, ui.today())):
        st.caption(verdict.reason)
        return
    if st.button(
        "Lås siffrorna",
        icon=":material/lock:",
        help="Sparar siffrorna som visas, så att protokollet behåller dem även om uppgifter rättas senare.",
    ):
        try:
            store.lock_meeting(meeting.id, live.model_dump_json(), ui.current_user(), ui.today())
        except (StoreError, NotAllowed) as exc:
            st.error(str(exc))
        else:
            st.rerun()


def _follow_ups(meeting: Meeting, rows: list[Meeting], editing: bool) -> None:
    store = ui.store()
    st.header("Uppföljningspunkter")
    st.caption("Åtgärder som rådet har kommit överens om, och till vilket möte de ska vara klara.")
    points = follow_ups_of(store.follow_ups(), meeting)
    if not points:
        st.markdown("Inga uppföljningspunkter för det här mötet.")
    for f in points:
        when = f"klar till {format_date(f.due_date)}" if f.due_date else "inget datum satt"
        state = (
            (f"klar {format_date(f.done_at.date())}" + (f" (markerad av {f.done_by})" if f.done_by else ""))
            if f.done_at
            else "öppen"
        )
        label = f"{f.text} ({f.responsible}; {when}; beslutad {format_date(f.raised_date)}) – {state}"
        done = st.checkbox(ui.plain(label), value=f.done_at is not None, key=f"follow-up-{f.id}", disabled=not editing)
        if editing and done != (f.done_at is not None):  # the role is checked here and by the store
            store.set_follow_up_done(f.id, done, ui.current_user())
            st.rerun()
    if not editing:
        return
    later = later_meetings(rows, meeting)
    with st.form("new-follow-up", clear_on_submit=True):
        st.markdown("**Ny uppföljningspunkt**")
        text = st.text_area("Vad ska göras?", max_chars=1000)
        left, right = st.columns(2)
        responsible = left.selectbox("Ansvarig", list(RESPONSIBLE.values()))
        due = right.selectbox(
            "Klar till mötet",
            [None] + [r.id for r in later],
            format_func=lambda i: "inget datum" if i is None else _meeting_label(next(r for r in later if r.id == i)),
        )
        if st.form_submit_button("Spara uppföljningspunkten"):
            try:
                store.add_follow_up(
                    meeting.id, due, check_follow_up(text, responsible, due, later), responsible, ui.current_user()
                )
            except (MeetingError, PersonalDataError, NotAllowed) as exc:
                st.error(f"Uppföljningspunkten sparades inte. {exc}")
            else:
                st.rerun()


def _calendar(rows: list[Meeting], meeting: Meeting | None) -> None:
    store = ui.store()
    with st.popover("Möteskalendern", icon=":material/calendar_month:", help="Lägg till eller ändra rådets möten."):
        authors = store.meeting_authors()

        def recorded(row: Meeting, at: str, by: str) -> str:
            """'12 mars 2024 kl. 14.05 av anna', or '–' where it is not known (meetings from before it was kept)."""
            done = authors.get(row.id, MeetingAuthors())
            if getattr(done, at) is None:
                return "–"
            return format_datetime(getattr(done, at)) + (f" av {getattr(done, by)}" if getattr(done, by) else "")

        ui.table(
            pd.DataFrame(
                {
                    "Datum": [format_date(r.meeting_date) for r in rows],
                    "Rubrik": [r.title for r in rows],
                    "Anteckning": [r.note or "" for r in rows],
                    "Demodata": ["ja" if r.is_demo else "nej" for r in rows],
                    "Tillagt": [recorded(r, "created_at", "created_by") for r in rows],
                    "Senast ändrat": [recorded(r, "changed_at", "changed_by") for r in rows],
                }
            )
        )
        forms = [("new-meeting", "Nytt möte", None)] + (
            [("edit-meeting", "Ändra valt möte", meeting)] if meeting else []
        )
        for key, heading, current in forms:
            with st.form(key, clear_on_submit=current is None):
                st.markdown(f"**{heading}**")
                day = st.date_input("Datum", value=current.meeting_date if current else ui.today(), format="YYYY-MM-DD")
                title = st.text_input(
                    "Rubrik", value=current.title if current else "Rådet för trygghet och hälsa", max_chars=200
                )
                note = st.text_input(
                    "Anteckning (valfri)", value=(current.note or "") if current else "", max_chars=500
                )
                if st.form_submit_button("Spara"):
                    try:
                        entry = check_meeting(day, title, note)
                        store.save_meeting(
                            current.id if current else None, entry.day, entry.title, entry.note, user=ui.current_user()
                        )
                    except (MeetingError, StoreError, PersonalDataError, NotAllowed) as exc:
                        st.error(f"Mötet sparades inte. {exc}")
                    else:
                        st.query_params["meeting"] = entry.day.isoformat()
                        st.rerun()


def _commitment(c, comments: list[Comment], meeting: Meeting, editing: bool, chart: bool) -> None:
    st.subheader(c.short_title, anchor=section_anchor(c.id))
    st.caption(f"Ansvar: {c.responsible} · {WORD}: ”{ui.plain(c.text)}”")
    st.markdown(f"**{ui.plain(c.sentence)}**")
    targeted = [f for f in c.indicators if f.target is not None] or list(c.indicators[:1])
    indicator_cards(c.indicators)
    if chart and targeted[0].monthly and targeted[0].actual:
        ui.progress_chart(targeted[0], key=f"chart-{c.id}")
    _comments_for(comments, c.id)
    if editing:
        with st.form(f"comment-{c.id}", clear_on_submit=True):
            text = st.text_area(
                f"Kommentar till mötet om {lower_first(c.short_title)}",
                max_chars=2000,
                placeholder="Vad har gjorts, varför ligger en siffra efter …",
            )
            if st.form_submit_button("Spara kommentaren"):
                try:
                    ui.store().add_comment(meeting.id, c.id, check_comment(text), ui.current_user())
                except (MeetingError, PersonalDataError, NotAllowed) as exc:
                    st.error(f"Kommentaren sparades inte. {exc}")
                else:
                    st.rerun()


def _documents(meeting: Meeting) -> None:
    """The handout of this meeting and the year's written follow-up, made on request (the annual report
    draws its charts in Chromium and takes a few seconds)."""
    with st.expander("Mötesunderlag och årlig uppföljning (PDF eller Word)"):
        fmt = st.radio(
            "Format",
            ["pdf", "docx"],
            horizontal=True,
            key="document-format",
            format_func=lambda f: {"pdf": "PDF (för diariet)", "docx": "Word (för att redigera)"}[f],
        )
        year = meeting.meeting_date.year
        handout, annual = st.columns(2)
        for column, label, make in (
            (
                handout,
                "Skapa mötesunderlag",
                lambda: meeting_handout(ui.store(), meeting.meeting_date, fmt, ui.today()),
            ),
            (annual, f"Skapa årlig uppföljning {year}", lambda: annual_report(ui.store(), year, fmt, ui.today())),
        ):
            if column.button(label, key=f"make-{label}"):
                try:
                    with st.spinner("Skapar dokumentet …"):
                        st.session_state["document"] = (meeting.id, make())
                except ReportError as exc:
                    st.error(str(exc))
        made = st.session_state.get("document")
        if made and made[0] == meeting.id:  # a document made for another meeting is not offered here
            name, content, mime = made[1]
            st.download_button(f"Ladda ner {name}", content, file_name=name, mime=mime, icon=":material/download:")


# --- the page ---------------------------------------------------------------------------------

# The summary goes on the wire as early as it can: the browser draws what has come while the rest is still
# arriving, so everything before it (lookups, captions) delays the first figure a chair sees (bench/browser.py).
store = ui.store()
if not _presenting():
    ui.page_header(
        "Rådets möte",
        "Den stående punkten på rådets möten: vad som hänt sedan förra mötet och var varje löfte står mot årets mål.",
    )
rows = store.meeting_rows()
if not rows:
    st.info("Inga möten är registrerade. En redaktör lägger till rådets möten i möteskalendern.")
    if may_write_meeting(ui.current_user()):
        _calendar(rows, None)
    st.stop()

meeting, notices = _choose_meeting(rows)
live = _live_report(meeting.meeting_date, meeting.title, ui.today())
locked = store.snapshot(meeting.id)
report = figures_shown(live, locked.figures if locked else None)

if _presenting():
    agreements = store.agreements().set_index("id")
    example = report.agreement_id in agreements.index and bool(agreements.loc[report.agreement_id, "is_example"])
    present(
        report,
        store.comments([meeting.id]),
        notices,
        len(differences(report, live)) if locked else None,
        demo=store.has_demo_data(),
        example=example,
    )
    st.stop()

for text in notices:
    st.info(ui.plain(text))
st.markdown(
    f"**{ui.plain(report.title)}, {format_date(report.meeting_date)}** · {report.agreement_title} · "
    f"{report.period_text}"
    + (f" · förra mötet {format_date(report.previous_meeting)}" if report.previous_meeting else "")
)
if report.agreement_note:
    ui.no_agreement_notice(report.agreement_note)
editing = bool(may_write_meeting(ui.current_user()))
with st.container(horizontal=True):
    if st.button("Visa i presentationsläge", icon=":material/slideshow:"):
        st.query_params.update({"mode": "present", "slide": "1"})
        st.rerun()
    if editing:
        _calendar(rows, meeting)
summary_table(summary_rows((c.id, c.short_title, c.focus_title, c.indicators) for c in report.commitments))
if report.agreement_id:
    record = _follow_up_record(report.agreement_id, report.year, ui.today())
    st.caption(ui.plain(f"{record.meetings_text} {record.written_text()}"))
if meeting.note:
    st.caption("Anteckning:")
    st.text(meeting.note)
_attention_box(report)
WORD = ui.commitment_word(report.agreement_id)  # "Löftet" or "Problembild", looked up once for _commitment
_documents(meeting)
_lock_section(meeting, report, live, locked)
comments = store.comments([meeting.id])
# The eight charts are most of what the browser draws on this page (bench/browser.py): they come when asked for,
# and stay for the session. The summary and the cards carry every figure; the presentation always has its charts.
charts = st.toggle(
    "Visa diagram för varje löfte",
    key="meeting-charts",
    help="Under varje löftes siffror: månad för månad och utfallet hittills mot målet. "
    "Presentationsläget visar alltid diagrammen.",
)
for focus, commitments in report.focus_areas:
    st.header(focus)
    for c in commitments:
        _commitment(c, comments, meeting, editing, charts)
_follow_ups(meeting, rows, editing)
