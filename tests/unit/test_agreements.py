"""The rules of agreements and commitments (trygghet.reference.agreements), worked out by hand without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from trygghet.reference.agreements import (
    Agreement,
    AgreementError,
    Change,
    Commitment,
    changes,
    copy_from,
    from_toml,
    in_force,
    problems,
    publish,
    revise,
    status_on,
    to_toml,
)

D = dt.date
AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
FOCUS = {"synlighet": "Synlighet och trygghet", "trafik": "Trafik"}


def commitment(cid: str, n: int = 1, **fields) -> Commitment:
    return Commitment(
        **{
            "id": cid,
            "short_title": f"Löfte {n}",
            "focus_area": "synlighet",
            "responsible": "polisen",
            "text": f"Polisen ska göra {n}.",
            "ordinal": n,
            **fields,
        }
    )


def agreement(
    aid: str, start: D, end: D, *commitments: Commitment, kind="medborgarlöfte", published=True, **fields
) -> Agreement:
    return Agreement(
        **{
            "id": aid,
            "kind": kind,
            "title": f"Titel {aid}",
            "parties": ("Polisen", "Timrå kommun"),
            "signatories": [{"name": "Anna Andersson", "title": "Chef för lokalpolisområdet"}],
            "valid_from": start,
            "valid_to": end,
            "commitments": commitments or (commitment(f"{aid}-a"),),
            "status": "publicerad" if published else "utkast",
            **fields,
        }
    )


ML23 = agreement("ml-2023", D(2023, 1, 1), D(2024, 12, 31), commitment("ml23-fot", 1), commitment("ml23-trafik", 2))
SAMVERKAN = agreement("sv-2019", D(2019, 4, 1), D(2023, 3, 31), kind="samverkansöverenskommelse")


def test_a_valid_agreement_has_no_problems():
    assert problems(ML23, [SAMVERKAN], FOCUS) == []


def test_end_before_start_names_the_field():
    bad = agreement("ml-2025", D(2025, 1, 1), D(2024, 12, 31), published=False)
    assert problems(bad, [ML23], FOCUS) == [
        "Gäller till (valid_to): slutdatumet 2024-12-31 är före startdatumet 2025-01-01"
    ]


def test_an_empty_commitment_text_or_short_title_names_the_commitment_and_field():
    bad = agreement(
        "ml-2025",
        D(2025, 1, 1),
        D(2026, 12, 31),
        commitment("ny-a"),
        commitment("ny-b", 2, text=" ", short_title=""),
        published=False,
    )
    assert problems(bad, [ML23], FOCUS) == [
        "Löfte 2 (ny-b), Löftestext (text): får inte vara tom",
        "Löfte 2 (ny-b), Kort rubrik (short_title): får inte vara tom",
    ]


def test_duplicate_ids_of_agreements_and_commitments_are_refused():
    again = agreement("ml-2023", D(2025, 1, 1), D(2026, 12, 31), commitment("ny-a"), published=False)
    assert problems(again, [ML23], FOCUS, new=True) == ["Id (id): det finns redan en överenskommelse med id ”ml-2023”"]
    twice = agreement(
        "ml-2025",
        D(2025, 1, 1),
        D(2026, 12, 31),
        commitment("ny-a"),
        commitment("ny-a", 2),
        commitment("ml23-fot", 3),
        published=False,
    )
    assert problems(twice, [ML23], FOCUS, new=True) == [
        "Löfte 2 (ny-a), Id (id): id ”ny-a” finns redan på ett annat löfte i överenskommelsen",
        "Löfte 3 (ml23-fot), Id (id): id ”ml23-fot” används redan i Titel ml-2023 (ml-2023)",
    ]


def test_ids_unknown_focus_areas_and_empty_parties_are_refused():
    bad = agreement(
        "ML 2025",
        D(2025, 1, 1),
        D(2026, 12, 31),
        commitment("ny-a", focus_area="okänt"),
        published=False,
        parties=("Polisen", ""),
    )
    assert problems(bad, [], FOCUS) == [
        "Id (id): ”ML 2025” får bara innehålla små bokstäver a–z, siffror och bindestreck",
        "Parter (parties): en part saknar namn",
        "Löfte 1 (ny-a), Fokusområde (focus_area): okänt fokusområde ”okänt”",
    ]


def test_two_published_agreements_of_a_kind_may_not_overlap_unless_one_replaces_the_other():
    # 2024-07-01–2026-06-30 shares 2024-07-01–2024-12-31 with ml-2023.
    new = agreement("ml-2024", D(2024, 7, 1), D(2026, 6, 30), published=False)
    assert problems(new, [ML23, SAMVERKAN], FOCUS) == []  # a draft may overlap while it is written
    [message] = problems(new, [ML23, SAMVERKAN], FOCUS, check_overlap=True)
    assert message.startswith(
        "Gäller från (valid_from): tiden 2024-07-01–2026-06-30 överlappar Titel ml-2023 "
        "(ml-2023), som gäller 2023-01-01–2024-12-31."
    )
    # Another kind in the same time is no overlap.
    other_kind = new.model_copy(update={"kind": "samverkansöverenskommelse"})
    assert problems(other_kind, [ML23], FOCUS, check_overlap=True) == []
    # Replacing ml-2023 from 2024-07-01 ends it on 2024-06-30: no day is shared.
    replacing = new.model_copy(update={"replaces": "ml-2023", "replaces_from": D(2024, 7, 1)})
    assert problems(replacing, [ML23, SAMVERKAN], FOCUS, check_overlap=True) == []


def test_a_replacement_must_name_an_agreement_of_its_kind_and_a_date_inside_both():
    base = agreement("ml-2024", D(2024, 7, 1), D(2026, 6, 30), published=False)
    assert problems(base.model_copy(update={"replaces": "ml-2023"}), [ML23], FOCUS) == [
        "Ersätter från (replaces_from): Ersätter och Ersätter från fylls i tillsammans, eller ingen av dem"
    ]
    assert problems(
        base.model_copy(update={"replaces": "sv-2019", "replaces_from": D(2027, 1, 1)}), [SAMVERKAN], FOCUS
    ) == [
        "Ersätter (replaces): Titel sv-2019 (sv-2019) är en samverkansöverenskommelse, inte en medborgarlöfte",
        "Ersätter från (replaces_from): 2027-01-01 ligger utanför den här överenskommelsens tid 2024-07-01–2026-06-30",
    ]
    assert problems(
        base.model_copy(update={"replaces": "finns-ej", "replaces_from": D(2024, 7, 1)}), [ML23], FOCUS
    ) == ["Ersätter (replaces): det finns ingen annan överenskommelse med id ”finns-ej”"]


def test_in_force_and_status_on_follow_the_spans_and_replacements():
    new = agreement("ml-2024", D(2024, 7, 1), D(2026, 6, 30), replaces="ml-2023", replaces_from=D(2024, 7, 1))
    draft = agreement("ml-2027", D(2026, 7, 1), D(2028, 6, 30), published=False)
    everyone = [SAMVERKAN, ML23, new, draft]
    assert in_force(everyone, D(2023, 2, 1)) == {"samverkansöverenskommelse": SAMVERKAN, "medborgarlöfte": ML23}
    assert in_force(everyone, D(2024, 6, 30)) == {"medborgarlöfte": ML23}
    assert in_force(everyone, D(2024, 7, 1)) == {"medborgarlöfte": new}
    assert in_force(everyone, D(2026, 11, 30)) == {}  # the draft is never in force
    assert status_on(ML23, D(2024, 6, 30), everyone) == "gällande"
    assert status_on(ML23, D(2024, 7, 1), everyone) == "avslutad"  # replaced half a year early
    assert status_on(ML23, D(2024, 7, 1)) == "gällande"  # on its own it ran to 2024-12-31
    assert status_on(ML23, D(2022, 12, 31)) == "kommande"
    assert status_on(draft, D(2027, 1, 1), everyone) == "utkast"


def test_copy_from_makes_a_draft_for_the_next_span_with_new_ids_and_the_same_indicators():
    source = ML23.model_copy(
        update={"commitments": (commitment("ml23-fot", 1, indicators=("extra",)), commitment("ml23-trafik", 2))}
    )
    indicators = {"ml23-fot": ["fot_antal", "extra"], "ml23-trafik": ["trafik_kontroller"]}
    taken = agreement("medborgarlofte-2025", D(2030, 1, 1), D(2030, 12, 31), commitment("x-1"))
    draft = copy_from(source, [source, taken], indicators, "anna", AT)
    # 2023-01-01–2024-12-31 is 24 whole months, so the copy runs 2025-01-01–2026-12-31.
    assert (draft.valid_from, draft.valid_to) == (D(2025, 1, 1), D(2026, 12, 31))
    assert (draft.id, draft.title, draft.status) == ("medborgarlofte-2025-2", "Medborgarlöfte 2025–2026", "utkast")
    assert [(c.id, c.text, c.indicators) for c in draft.commitments] == [
        ("medborgarlofte-2025-2-fot", "Polisen ska göra 1.", ("fot_antal", "extra")),
        ("medborgarlofte-2025-2-trafik", "Polisen ska göra 2.", ("trafik_kontroller",)),
    ]
    assert (draft.created_by, draft.published_by, draft.signatories) == ("anna", None, source.signatories)
    # 2019-04-01–2023-03-31 (48 months) copied runs 2023-04-01–2027-03-31.
    copy = copy_from(SAMVERKAN, [SAMVERKAN], {}, "anna", AT)
    assert (copy.valid_from, copy.valid_to, copy.title) == (
        D(2023, 4, 1),
        D(2027, 3, 31),
        "Samverkansöverenskommelse 2023–2027",
    )


def test_publish_records_who_and_when_and_refuses_an_overlap_or_an_empty_agreement():
    draft = copy_from(ML23, [ML23], {}, "anna", AT)
    done = publish(draft, [ML23], FOCUS, "admin", AT)
    assert (done.status, done.published_by, done.published_at) == ("publicerad", "admin", AT)
    assert draft.status == "utkast"  # the draft itself is untouched
    early = draft.model_copy(update={"valid_from": D(2024, 12, 1)})
    with pytest.raises(
        AgreementError,
        match=r"^Gäller från \(valid_from\): tiden 2024-12-01–2026-12-31 "
        r"överlappar Titel ml-2023",
    ):
        publish(early, [ML23], FOCUS, "admin", AT)
    with pytest.raises(AgreementError, match="är redan publicerad"):
        publish(done, [ML23], FOCUS, "admin", AT)
    with pytest.raises(AgreementError, match="har inga löften"):
        publish(draft.model_copy(update={"commitments": ()}), [ML23], FOCUS, "admin", AT)


def test_revising_a_published_agreement_needs_a_reason_and_keeps_every_commitment():
    new_text = ML23.commitments[0].model_copy(update={"text": "Polisen ska gå mer."})
    edited = ML23.model_copy(update={"title": "Nytt namn", "commitments": (new_text, ML23.commitments[1])})
    with pytest.raises(AgreementError, match="^Skäl: ange varför"):
        revise(ML23, edited, [SAMVERKAN], FOCUS, "  ")
    assert revise(ML23, edited, [SAMVERKAN], FOCUS, "Rättat stavfel") == [
        Change(None, "title", "Titel ml-2023", "Nytt namn"),
        Change("ml23-fot", "text", "Polisen ska göra 1.", "Polisen ska gå mer."),
    ]
    fewer = ML23.model_copy(update={"commitments": ML23.commitments[:1]})
    with pytest.raises(AgreementError, match="ml23-trafik kan inte tas bort"):
        revise(ML23, fewer, [], FOCUS, "Skäl")
    with pytest.raises(AgreementError, match="^Inget är ändrat"):
        revise(ML23, ML23, [], FOCUS, "Skäl")


def test_changes_lists_an_added_commitment():
    added = ML23.model_copy(update={"commitments": (*ML23.commitments, commitment("ml23-ny", 3))})
    assert changes(ML23, added) == [Change("ml23-ny", "löfte", None, "Polisen ska göra 3.")]


def test_toml_round_trips_to_the_same_agreement_as_a_draft():
    tricky = ML23.model_copy(
        update={
            "title": 'Löfte "2023" \\ med\tflik och\nny rad\x7f',
            "source": "Källa",
            "replaces": "sv-2019",
            "replaces_from": D(2023, 1, 1),
            "is_example": True,
        }
    )
    text = to_toml(tricky, {"synlighet": "Synlighet och trygghet", "trafik": "Trafik", "oanvant": "Oanvänt"})
    back, focus = from_toml(text, "ml.toml")
    assert back == tricky.model_copy(update={"status": "utkast"})
    assert focus == {"synlighet": "Synlighet och trygghet"}  # only the focus areas it uses


@pytest.mark.parametrize(
    "text, message",
    [
        ("[agreement\nid = 1", r"^ml\.toml: är ingen giltig TOML-fil"),
        ('[[commitment]]\nid = "a"', r"^ml\.toml: tabellen \[agreement\] saknas$"),
        (
            '[agreement]\nid = "x"\nkind = "avtal"\ntitle = "T"\nvalid_from = 2025-01-01\nvalid_to = 2025-12-31',
            r"^ml\.toml, \[agreement\]: fältet kind: måste vara ett av",
        ),
        (
            '[agreement]\nid = "x"\nkind = "medborgarlöfte"\ntitle = "T"\nvalid_from = 2025-01-01\nvalid_to = 2025-12-31\n'
            'status = "publicerad"',
            r"status och publicering sätts i appen",
        ),
        (
            '[agreement]\nid = "x"\nkind = "medborgarlöfte"\ntitle = "T"\nvalid_from = 2025-01-01\nvalid_to = 2025-12-31\n'
            '[[commitment]]\nid = "x-a"\nordinal = 1\nshort_title = "A"\nfocus_area = "trafik"\nresponsible = "alla"\ntext = "T"',
            r"^ml\.toml, post 1 under \[\[commitment\]\] \(x-a\): fältet responsible: måste vara ett av",
        ),
    ],
)
def test_a_broken_exchange_file_names_the_file_entry_and_field(text, message):
    with pytest.raises(AgreementError, match=message):
        from_toml(text, "ml.toml")


def test_signatories_are_typed_one_a_line_as_name_comma_title():
    from trygghet.reference.agreements import Signatory, parse_signatories

    assert parse_signatories(
        "Anna Andersson, Chef för lokalpolisområdet\n\n Bo Berg , Kommunstyrelsens ordf., Timrå kommun"
    ) == (
        Signatory(name="Anna Andersson", title="Chef för lokalpolisområdet"),
        Signatory(name="Bo Berg", title="Kommunstyrelsens ordf., Timrå kommun"),
    )
    with pytest.raises(AgreementError) as exc:
        parse_signatories("Anna Andersson, Chef\nBo Berg")
    assert exc.value.problems == [
        "Undertecknare (signatories): rad 2 ”Bo Berg” behöver både namn och titel: Namn, titel"
    ]


def test_a_commitment_is_put_at_a_place_and_removed_with_the_rest_renumbered():
    from trygghet.reference.agreements import new_commitment_id, put_commitment, remove_commitment

    three = agreement(
        "ml-2025",
        D(2025, 1, 1),
        D(2026, 12, 31),
        commitment("a", 1),
        commitment("b", 2),
        commitment("c", 3),
        published=False,
    )
    moved = put_commitment(three, three.commitments[2], 1)  # c first
    assert [(c.id, c.ordinal) for c in moved.commitments] == [("c", 1), ("a", 2), ("b", 3)]
    new_id = new_commitment_id(three, "Fler kontroller på E4:an", [ML23])
    assert new_id == "ml-2025-fler-kontroller-pa-e4-an"
    added = put_commitment(three, commitment(new_id, 9), 99)  # past the end: last
    assert [(c.id, c.ordinal) for c in added.commitments][-1] == (new_id, 4)
    assert new_commitment_id(added, "Fler kontroller på E4:an", [ML23]) == new_id + "-2"
    assert [(c.id, c.ordinal) for c in remove_commitment(moved, "a").commitments] == [("c", 1), ("b", 2)]
