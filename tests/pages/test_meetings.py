"""The council meeting view: window figures, the sentence read aloud, comments, follow-ups and locks."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.app import open_page
from tests.cards import figures
from tests.factories import MEETINGS, TESTER, activity, add_rows, meeting_figure
from trygghet.auth import Role, User
from trygghet.figures.progress import Status, Thresholds
from trygghet.meetings.report import (
    MeetingReport,
    attention,
    build_report,
    default_meeting,
    differences,
    parse_choice,
    parse_whole_number,
    sentence,
)

D = dt.date
NBSP = "\u00a0"
SENTENCE = (
    f"Sedan förra mötet den 9 april: 3 fotpatruller i centrala Timrå, 5,0 timmar, 15 medborgarkontakter. "
    f"Hittills i år, andel av årsmålet: fotpatruller i centrala Timrå 4{NBSP}% (efter), "
    f"timmar 3{NBSP}% (efter)."
)


def _report(store) -> MeetingReport:
    return build_report(store, D(2024, 6, 11), "Rådet", D(2024, 6, 11), Thresholds())


def test_window_figures_and_sentence_worked_out_by_hand(council):
    report = _report(council)
    assert report.previous_meeting == D(2024, 4, 9)
    patrols = next(c for c in report.commitments if c.id == "ml23-fotpatrull")
    assert patrols.sentence == SENTENCE
    count = report.figure("fotpatrull_antal_centrala")
    assert (count.since_meeting, count.actual, count.target) == (3, 5, 130)
    assert count.prorated == pytest.approx(130 * 163 / 366)
    assert report.figure("fotpatrull_timmar_centrala").since_meeting == pytest.approx(5.0)
    assert report.figure("fotpatrull_medborgarkontakter").since_meeting == 15


def test_attention_lists_behind_first_and_status_changes():
    report_figures = [
        meeting_figure("a", Status.ON_TRACK),
        meeting_figure("b", Status.SLIGHTLY_BEHIND),
        meeting_figure("c", Status.BEHIND),
        meeting_figure("d", Status.ON_TRACK),
        meeting_figure("e", Status.NO_TARGET),
    ]
    items = attention(report_figures, {"a": Status.BEHIND, "d": Status.ON_TRACK})
    assert [i.indicator_id for i in items] == ["c", "b", "a"]
    assert items[2].previous_status == Status.BEHIND
    assert items[2].text == "A: i fas, vid förra mötet efter."


def test_a_target_reached_never_speaks_for_one_behind():
    """Speed checks past their target must not hide risk-place controls that lag: every target is named,
    the one behind first."""
    reached, behind = meeting_figure("a", Status.ACHIEVED), meeting_figure("b", Status.BEHIND)
    assert sentence([reached, behind], None, D(2024, 6, 11)) == (
        f"Inget tidigare möte att jämföra med. Hittills i år, andel av årsmålet: st 50{NBSP}% (efter), "
        f"st 50{NBSP}% (uppnått)."
    )


def test_risk_place_controls_lead_the_traffic_commitment():
    from trygghet.figures.indicators import for_commitment

    assert [i.id for i in for_commitment("ml23-trafikkontroller")][0] == "trafikkontroller_riskplatser"


def test_default_meeting_is_the_next_or_else_the_latest():
    assert default_meeting(MEETINGS, D(2024, 4, 9)) == D(2024, 4, 9)
    assert default_meeting(MEETINGS, D(2024, 4, 10)) == D(2024, 6, 11)
    assert default_meeting(MEETINGS, D(2024, 12, 1)) == D(2024, 6, 11)
    assert default_meeting([], D(2024, 12, 1)) is None


@pytest.mark.parametrize(
    "text,expected,noticed",
    [(None, 1, False), ("3", 3, False), ("0", 1, True), ("9", 1, True), ("två", 1, True), ("2; DROP TABLE", 1, True)],
)
def test_slide_parameter_falls_back_with_a_notice(text, expected, noticed):
    value, notice = parse_whole_number(text, 1, 5, 1, "bilden")
    assert value == expected and bool(notice) == noticed


def test_meeting_parameter_falls_back_with_a_notice():
    choices = {d.isoformat(): d for d in MEETINGS}
    assert parse_choice("2024-04-09", choices, MEETINGS[2], "mötet") == (D(2024, 4, 9), None)
    day, notice = parse_choice("2024-13-01", choices, MEETINGS[2], "mötet")
    assert day == MEETINGS[2] and "”2024-13-01”" in notice


def test_a_lock_holds_when_data_change_and_the_differences_are_listed(council):
    report = _report(council)
    meeting_id = council.meeting_rows()[2].id
    council.lock_meeting(meeting_id, report.model_dump_json(), TESTER)
    batch = add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=30)], file_name="rättelse.csv")
    locked = MeetingReport.model_validate_json(council.snapshot(meeting_id).figures)
    assert locked == report
    changed = differences(locked, _report(council))
    assert ("Fotpatruller i centrala Timrå", "sedan förra mötet", "3 patruller", "4 patruller") in changed
    assert ("Fotpatruller i centrala Timrå", "hittills i år", "5 patruller", "6 patruller") in changed
    assert ("Fotpatrullering i centrala Timrå, timmar", "sedan förra mötet", "5,0 timmar", "5,5 timmar") in changed
    council.undo_batch(batch, TESTER)
    assert differences(locked, _report(council)) == []


# --- the page ---------------------------------------------------------------------------------

_EDITOR = User("redaktor", Role.EDITOR)


def _page(user: User | None = _EDITOR, **params) -> AppTest:
    return open_page("pages/mote.py", user, params)


def _markdown(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown]


def test_meeting_page_shows_the_window_and_the_sentence(council):
    at = _page()
    assert at.title[0].value == "Rådets möte"
    assert f"**{SENTENCE}**" in _markdown(at)
    assert at.query_params["meeting"] == "2024-06-11"
    assert at.sidebar.selectbox[0].value == D(2024, 6, 11)


def test_the_follow_up_record_counts_a_meeting_locked_on_the_page(council):
    # The page keeps the record per data version: the lock is a write, so the next run counts it. The three
    # meetings of 2024 up to 11 June (13 February, 9 April, 11 June) were held; none locked, then 11 June locked.
    def record(at: AppTest) -> list[str]:
        return [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Följs upp")]

    at = _page(User("admin", Role.ADMIN))
    written = "Skriftlig uppföljning 2024: inte registrerad ännu."
    assert record(at) == [f"Följs upp vid varje möte i rådet: 0 av 3 möten 2024. {written}"]
    next(b for b in at.button if b.label == "Lås siffrorna").click()
    at.run()
    assert record(at) == [f"Följs upp vid varje möte i rådet: 1 av 3 möten 2024. {written}"]


@pytest.mark.slow
def test_lock_on_the_page_then_a_correction_shows_both_figures(council):
    at = _page(User("admin", Role.ADMIN))
    next(b for b in at.button if b.label == "Lås siffrorna").click()
    at.run()
    add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=30)], file_name="rättelse.csv")
    at.run()
    assert any("Siffrorna är låsta sedan" in s.value for s in at.success)
    assert figures(at)["Fotpatruller i centrala Timrå"] == "5 patruller"  # the locked figure holds
    assert any("har ändrats sedan siffrorna låstes" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "Mått" in d.value.columns)  # the calendar's table is above it
    row = table[(table["Mått"] == "Fotpatruller i centrala Timrå") & (table["Siffra"] == "hittills i år")]
    assert (row["Låst"].iloc[0], row["Nu"].iloc[0]) == ("5 patruller", "6 patruller")


@pytest.mark.slow
def test_comments_are_stored_with_author_and_shown_as_text(council):
    at = _page()
    hostile = "<script>alert('x')</script> **inte fet** [länk](http://example.com)"
    # Names keep their capitals inside the sentence: "Timrå", "A-traktorer".
    labels = [t.label for t in at.text_area]
    assert "Kommentar till mötet om A-traktorer och buskörning" in labels
    area = next(t for t in at.text_area if t.label == "Kommentar till mötet om fotpatrullering i centrala Timrå")
    area.input(hostile)
    form_button = next(b for b in at.button if b.label == "Spara kommentaren" and "ml23-fotpatrull" in str(b.id))
    form_button.click()
    at.run()
    assert hostile in [t.value for t in at.text]
    stored = council.comments([council.meeting_rows()[2].id])
    assert [(c.commitment_id, c.text, c.written_by) for c in stored] == [("ml23-fotpatrull", hostile, "redaktor")]


@pytest.mark.slow
def test_a_follow_up_agreed_at_one_meeting_shows_as_open_at_the_next(council):
    april, june = council.meeting_rows()[1:]
    council.add_follow_up(april.id, june.id, "Fler kvällspatruller i Vivsta", "Polisen", TESTER)
    at = _page()
    box = next(c for c in at.checkbox if c.label.startswith("Fler kvällspatruller i Vivsta"))
    assert "klar till 11 juni 2024" in box.label and box.label.endswith("– öppen") and not box.value
    box.check()
    at.run()
    assert council.follow_ups()[0].done_by == "redaktor"


@pytest.mark.slow
def test_bad_url_parameters_fall_back_with_a_notice(council):
    at = _page(meeting="1999-01-01")
    assert any("”1999-01-01”" in i.value.replace("\\", "") for i in at.info)
    assert at.query_params["meeting"] == "2024-06-11"
    at = _page(meeting="2024-04-09", mode="present", slide="42")
    assert any("”42”" in i.value.replace("\\", "") for i in at.info)
    assert at.query_params["slide"] == "1"
    assert at.title[0].value == "Rådet för trygghet och hälsa, 9 april 2024"


@pytest.mark.slow
def test_hostile_link_parameters_are_quoted_as_text_cut_short_and_change_nothing(council):
    link = "[Klicka här](https://evil.example) <script>x</script> ' OR 1=1; DROP TABLE meetings; --" * 3
    for params in ({"meeting": link}, {"mode": "present", "slide": link}, {"mode": "present", "auto": link}):
        at = _page(**params)
        notice = next(i.value for i in at.info if "Visar standardvalet" in i.value)
        assert "](" not in notice and "<script>" not in notice  # escaped: no link, no tag
        assert "\\[Klicka här\\]" in notice  # quoted as text
        assert len(notice) < 200  # the value is cut, not repeated
    assert len(council.meeting_rows()) == 3


def test_follow_ups_and_meeting_titles_are_shown_as_text(council):
    april, june = council.meeting_rows()[1:]
    council.save_meeting(june.id, june.meeting_date, "**Rådet** [möte](http://x.example)", None, user=TESTER)
    council.add_follow_up(april.id, june.id, "![bild](http://x.example/a.png) <b>fet</b>", "Polisen", TESTER)
    at = _page()
    box = next(c for c in at.checkbox if "bild" in c.label)
    assert box.label.startswith("\\!\\[bild\\]\\(http") and "\\<b\\>" in box.label
    heading = next(m.value for m in at.markdown if "Rådet" in m.value and "juni 2024" in m.value)
    assert heading.startswith("**\\*\\*Rådet\\*\\* \\[möte\\]")


def test_a_viewer_cannot_tick_a_follow_up_even_past_the_disabled_box(council):
    april, june = council.meeting_rows()[1:]
    council.add_follow_up(april.id, june.id, "Fler kvällspatruller i Vivsta", "Polisen", TESTER)
    at = _page(user=None)
    box = next(c for c in at.checkbox if "kvällspatruller" in c.label)
    assert box.disabled
    at.session_state[box.key] = True  # a forged widget value, as a crafted request could send
    at.run()
    assert council.follow_ups()[0].done_at is None


@pytest.mark.slow
def test_presentation_of_a_locked_meeting_says_its_figures_changed_and_shows_target_and_forecast(council):
    at = _page(User("admin", Role.ADMIN))
    next(b for b in at.button if b.label == "Lås siffrorna").click()
    at.run()
    add_rows(council, [activity("foot_patrol", "2024-06-01", duration_min=30)], file_name="rättelse.csv")
    at = _page(User("admin", Role.ADMIN), mode="present", slide="1")
    # A central patrol of 30 min on 1 June changes four figures: patrols and hours, since the meeting and this year.
    assert any("4 av dem har ändrats sedan" in w.value for w in at.warning), [w.value for w in at.warning]
    # Slide 4: the second commitment, foot patrols in central Timrå. Its headline is the measure furthest behind:
    # hours 8 of 133,6 due (6 %) before patrols 5 of 57,9 due (9 %).
    at = _page(mode="present", slide="4")
    texts = _markdown(at)
    assert at.title[0].value == "Fotpatrullering i centrala Timrå"
    assert {m.label: m.value for m in at.metric} == {"Fotpatrullering i centrala Timrå, timmar": "8,0 timmar"}
    # The locked figures: 8 hours of 300, 133,6 due; the forecast is the pace carried to 31 December.
    assert any(t.startswith("av 300 timmar · mål hittills 133,6 timmar · prognos ") for t in texts), texts
    assert ":material/trending_down: Fotpatruller i centrala Timrå: 5 av 130 patruller (efter)" in texts
    assert any(t.endswith("· låsta siffror") for t in texts)


@pytest.mark.slow
def test_presentation_mode_shows_the_summary_what_needs_attention_then_one_commitment_per_slide(council):
    at = _page(mode="present", slide="1")
    slides = [at.title[0].value.replace("\\", "")]
    while not next(b for b in at.button if b.label == "Nästa ▶").disabled:
        next(b for b in at.button if b.label == "Nästa ▶").click()
        at.run()
        slides.append(at.title[0].value.replace("\\", ""))
    commitments = [c.short_title for c in _report(council).commitments]
    assert slides == ["Rådet för trygghet och hälsa, 11 juni 2024", "Att uppmärksamma", *commitments]
    assert len(commitments) == 8 and at.query_params["slide"] == "10"
    # The keys a clicker sends are buttons' shortcuts: the hidden ones lead to the first and the last slide.
    next(b for b in at.button if b.label == "Första bilden").click()
    at.run()
    assert at.query_params["slide"] == "1" and at.title[0].value.replace("\\", "") == slides[0]


def test_a_viewer_sees_the_figures_but_cannot_write_or_lock(council):
    at = _page(user=None)
    assert f"**{SENTENCE}**" in _markdown(at)
    labels = [b.label for b in at.button]
    assert "Lås siffrorna" not in labels and "Spara kommentaren" not in labels
    assert not at.text_area
    assert all(c.disabled for c in at.checkbox)


def test_an_editor_may_comment_but_only_an_admin_may_lock(council):
    at = _page()
    assert "Spara kommentaren" in [b.label for b in at.button]
    assert "Lås siffrorna" not in [b.label for b in at.button]
    assert any("Bara en administratör kan låsa ett mötes siffror" in c.value for c in at.caption)


def test_the_meeting_handout_is_made_on_the_page(council):
    at = _page()
    next(b for b in at.button if b.label == "Skapa mötesunderlag").click()
    at.run()
    assert not at.exception and not at.error
    meeting_id, (name, content, mime) = at.session_state["document"]
    assert meeting_id == council.meeting_rows()[2].id
    assert name == "motesunderlag-2024-06-11.pdf" and content.startswith(b"%PDF") and mime == "application/pdf"
    assert "Ladda ner motesunderlag-2024-06-11.pdf" in [b.label for b in at.get("download_button")]


def test_an_empty_comment_or_follow_up_point_is_refused_with_the_field_named(council):
    at = _page()
    area = next(t for t in at.text_area if t.label == "Kommentar till mötet om fotpatrullering i centrala Timrå")
    area.input("   ")
    next(b for b in at.button if b.label == "Spara kommentaren" and "ml23-fotpatrull" in str(b.id)).click()
    at.run()
    assert [e.value for e in at.error] == [
        "Kommentaren sparades inte. Fältet för kommentaren är tomt: skriv en kommentar."
    ]
    next(t for t in at.text_area if t.label == "Vad ska göras?").input(" \n ")
    next(b for b in at.button if b.label == "Spara uppföljningspunkten").click()
    at.run()
    assert [e.value for e in at.error] == [
        "Uppföljningspunkten sparades inte. Fältet ”Vad ska göras?” är tomt: skriv vad som ska göras."
    ]
    assert council.comments([council.meeting_rows()[2].id]) == [] and council.follow_ups() == []
