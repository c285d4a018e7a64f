"""`python -m trygghet agreement import|export|list|show|publish`: exit 0 done, 1 wrong input, 2 wrong usage."""

from __future__ import annotations

import pytest

from tests.factories import command
from trygghet.config import LOCAL_OPERATOR
from trygghet.store import agreements as agreement_store


@pytest.fixture
def run(tmp_store):
    def run(*args: str) -> tuple[int, str, str]:
        done = command("agreement", *args, db=tmp_store.path, today="2026-11-30")
        return done.returncode, done.stdout, done.stderr

    return run


def _next_promise(text: str) -> str:
    """The 2023 promise's file turned into a 2025–2026 one with new ids."""
    return (
        text.replace('id = "medborgarlofte-2023"', 'id = "medborgarlofte-2025"')
        .replace("Medborgarlöfte 2023–2024", "Medborgarlöfte 2025–2026")
        .replace("valid_from = 2023-01-01", "valid_from = 2025-01-01")
        .replace("valid_to = 2024-12-31", "valid_to = 2026-12-31")
        .replace('id = "ml23-', 'id = "ml25-')
    )


def test_list_and_show_tell_the_agreements_with_their_status_on_today(run):
    code, out, _ = run("list")
    assert code == 0
    assert out.splitlines() == [
        "samverkan-2019\tSamverkansöverenskommelse\tSamverkansöverenskommelse 2019–2023\t2019-04-01–2023-03-31\tavslutad",
        "medborgarlofte-2023\tMedborgarlöfte\tMedborgarlöfte 2023–2024\t2023-01-01–2024-12-31\tavslutad",
    ]
    code, out, _ = run("show", "medborgarlofte-2023")
    assert code == 0
    lines = out.splitlines()
    assert lines[:5] == [
        "Medborgarlöfte 2023–2024 (medborgarlofte-2023), medborgarlöfte",
        "  Gäller: 2023-01-01–2024-12-31; status: avslutad",
        "  Parter: Polisen, Timrå kommun",
        "  Undertecknad av Andreas Bergström, Tf. Chef för lokalpolisområdet",
        "  Undertecknad av Stefan Dalin, Kommunstyrelsens ordf. Timrå kommun",
    ]
    assert "     Polisen ska öka sin fotpatrullering i centrala Timrå." in lines
    assert "     Mått: fotpatrull_antal_centrala, fotpatrull_medborgarkontakter, fotpatrull_timmar_centrala" in lines


def test_export_import_publish_round_trip(run, tmp_store, tmp_path):
    code, text, _ = run("export", "medborgarlofte-2023")
    assert code == 0 and text.startswith("# En överenskommelse för Trygghetsuppföljning Timrå.")
    path = tmp_path / "ml25.toml"
    path.write_text(_next_promise(text), encoding="utf-8")
    code, out, _ = run("import", str(path))
    assert (code, out) == (
        0,
        "Medborgarlöfte 2025–2026 (medborgarlofte-2025) är inläst som utkast med 8 löften. "
        "Publicera med: python -m trygghet agreement publish medborgarlofte-2025\n",
    )
    draft = agreement_store.get(tmp_store, "medborgarlofte-2025")
    assert (draft.status, draft.created_by) == ("utkast", LOCAL_OPERATOR)
    code, out, _ = run("list")
    assert out.splitlines()[-1].endswith("\t2025-01-01–2026-12-31\tutkast")
    # import(export(x)) is x: the exported draft reads back to the same file.
    out_file = tmp_path / "tillbaka.toml"
    assert run("export", "medborgarlofte-2025", "--out", str(out_file))[0] == 0
    assert out_file.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")

    code, out, _ = run("publish", "medborgarlofte-2025")
    assert (code, out) == (
        0,
        "Medborgarlöfte 2025–2026 (medborgarlofte-2025) är publicerad och gäller 2025-01-01–2026-12-31.\n",
    )
    assert run("list")[1].splitlines()[-1].endswith("\tgällande")
    assert list(tmp_store.agreements().id)[-1] == "medborgarlofte-2025"


def test_bad_input_is_refused_with_a_swedish_message_and_changes_nothing(run, tmp_store, tmp_path):
    before = tmp_store.data_version()
    code, text, _ = run("export", "medborgarlofte-2023")
    overlapping = tmp_path / "overlapp.toml"
    overlapping.write_text(
        _next_promise(text).replace("valid_from = 2025-01-01", "valid_from = 2024-07-01"), encoding="utf-8"
    )
    assert run("import", str(overlapping))[0] == 0
    code, _, err = run("publish", "medborgarlofte-2025")
    assert code == 1
    assert err.startswith(
        "Fel: Gäller från (valid_from): tiden 2024-07-01–2026-12-31 överlappar Medborgarlöfte "
        "2023–2024 (medborgarlofte-2023), som gäller 2023-01-01–2024-12-31."
    )
    assert agreement_store.get(tmp_store, "medborgarlofte-2025").status == "utkast"

    after_import = tmp_store.data_version()
    empty_text = tmp_path / "tom.toml"
    empty_text.write_text(
        _next_promise(text)
        .replace('id = "medborgarlofte-2025"', 'id = "ny-2025"')
        .replace('id = "ml25-', 'id = "ny25-')
        .replace('text = "Polisen ska öka sin fotpatrullering i centrala Timrå."', 'text = ""'),
        encoding="utf-8",
    )
    code, _, err = run("import", str(empty_text))
    assert (code, err) == (1, "Fel: tom.toml: Löfte 2 (ny25-fotpatrull), Löftestext (text): får inte vara tom\n")
    ends_early = tmp_path / "slut.toml"
    ends_early.write_text(
        _next_promise(text)
        .replace("valid_to = 2026-12-31", "valid_to = 2024-12-31")
        .replace('id = "medborgarlofte-2025"', 'id = "ny-2025"')
        .replace('id = "ml25-', 'id = "ny25-'),
        encoding="utf-8",
    )
    code, _, err = run("import", str(ends_early))
    assert (code, err) == (
        1,
        "Fel: slut.toml: Gäller till (valid_to): slutdatumet 2024-12-31 är före startdatumet 2025-01-01\n",
    )
    assert tmp_store.data_version() == after_import > before
    assert [a.id for a in agreement_store.all_agreements(tmp_store)] == [
        "samverkan-2019",
        "medborgarlofte-2023",
        "medborgarlofte-2025",
    ]


def test_usage_errors_exit_2(run):
    assert run("show")[0] == 2
    assert run("import", "/finns/inte.toml")[:1] == (2,)
    code, _, err = run("show", "finns-inte")
    assert (code, err) == (1, "Fel: Det finns ingen överenskommelse med id ”finns-inte”.\n")
    assert run("radera")[0] == 2  # argparse's exit for an unknown command
