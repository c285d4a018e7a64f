"""`python -m trygghet`: the command-line face of the store, for operators and scheduled jobs.

Exit codes: 0 done, 1 the input or the data was wrong, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from trygghet.auth import LOCAL_ROLES, OPERATOR
from trygghet.bootstrap import USER_ERRORS, prepare_store
from trygghet.config import LOCAL_OPERATOR
from trygghet.figures.periods import PICKER_GRAINS, Period
from trygghet.store.database import Store


def _years(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text)
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' är inte ett år eller ett intervall som 2023-2024")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first:
        raise argparse.ArgumentTypeError(f"'{text}': slutåret är före startåret")
    return first, last


def _cmd_init(args: argparse.Namespace) -> int:
    store = prepare_store(args.db, demo_if_empty=args.demo_if_empty)
    demo = " Den innehåller demodata." if store.has_demo_data() else ""
    print(f"Databasen {store.path} har schemaversion {store.schema_version()}.{demo}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from trygghet.config import today
    from trygghet.demo import load_demo, load_living_demo

    store = prepare_store(args.db)
    if args.remove:
        removed = store.remove_demo(OPERATOR)
        print(f"Demodata borttagen: {removed} aktiviteter.")
        return 0
    if store.has_demo_data():
        print("Databasen har redan demodata. Ta bort den först med: python -m trygghet demo --remove")
        return 1
    if args.years is None and args.rows is None:
        batch = load_living_demo(store, today(), seed=args.seed, imported_by=LOCAL_OPERATOR)
    else:
        batch = load_demo(
            store, seed=args.seed, years=args.years or (2023, 2024), rows=args.rows, imported_by=LOCAL_OPERATOR
        )
    print(f"Demodata inläst som omgång {batch}: {store.activity_count()} aktiviteter i databasen.")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    stats = prepare_store(args.db).stats()
    if args.json:
        print(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
    else:
        print(f"{stats.database}: {stats.activities} aktiviteter")
        for code, count in stats.per_type.items():
            print(f"  {code:<16} {count}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' är inget giltigt datum (ÅÅÅÅ-MM-DD)") from None


def _cmd_progress(args: argparse.Namespace) -> int:
    from trygghet.config import today
    from trygghet.figures.compute import IndicatorFigure, agreement_standing, progress_for
    from trygghet.figures.indicators import registry
    from trygghet.figures.periods import AgreementSpan, period_containing
    from trygghet.figures.progress import STATUS_INFO, Status
    from trygghet.formatting import format_date, format_percent
    from trygghet.settings import settings

    store = prepare_store(args.db)
    agreements = store.agreements()
    period: Period | None = None
    if args.period:
        period = _named_period(args.period)
        if period is None:
            print(
                f"--period: ”{args.period}” är ingen period. Skriv ett år (2024), ett tertial (2024-T2), ett "
                "kvartal (2024-Q1), en månad (2024-03) eller en ISO-vecka (2024-W05).",
                file=sys.stderr,
            )
            return 2
        as_of = args.date or min(today(), period.end)
    elif args.date:
        as_of = args.date
    else:
        print("Ange --date (dagen siffrorna gäller) eller --period (till exempel 2024-T2).", file=sys.stderr)
        return 2
    # The agreement in force on the last day counted speaks for the figures; without one there is no target
    # and no verdict, and the output says so.
    standing = agreement_standing(agreements, min(as_of, period.end) if period else as_of)
    agreement, in_force, note = AgreementSpan.of(agreements.iloc[standing.index]), standing.in_force, standing.note
    if period is None:
        period = period_containing(args.grain, as_of, span=agreement.span, span_label=agreement.title)
    if in_force:  # the agreement's span cuts a calendar period (its whole span is one already)
        period = period.clip(*agreement.span) or period
    ids = [i.id for i in registry().values()]
    results = progress_for(store, ids, period, as_of, agreement if in_force else None, settings().thresholds)
    rows = [
        {
            "id": p.indicator.id,
            "title": p.indicator.title,
            "unit": p.indicator.unit,
            "actual": p.actual,
            "target": p.target,
            "prorated_target": p.prorated,
            "share_of_target": p.share,
            "status": None if p.status == Status.NO_TARGET else p.status.value,
            "forecast": p.forecast,
            "last_year": p.last_year,
            "since_last_meeting": p.since_meeting,
            "last_data": p.last_data.isoformat() if p.last_data else None,
        }
        for p in results
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "agreement": {
                        "id": agreement.id,
                        "title": agreement.title,
                        "valid_from": agreement.start.isoformat(),
                        "valid_to": agreement.end.isoformat(),
                        "in_force": in_force,
                    },
                    "in_force": in_force,
                    "note": note,
                    "period": {
                        "label": period.label,
                        "start": period.start.isoformat(),
                        "end": period.end.isoformat(),
                        "ended": as_of >= period.end,
                    },
                    "as_of": as_of.isoformat(),
                    "indicators": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        heading = agreement.title if in_force else "Ingen överenskommelse gäller"
        print(f"{heading}, {period.label}, till och med {format_date(min(as_of, period.end))}")
        if note:
            print(f"  {note} Inga mål och inga bedömningar för perioden.")
        for fig in map(IndicatorFigure.from_progress, results):
            against = (
                f" av {fig.target_figure} ({format_percent(fig.share)}), prognos {fig.text(fig.forecast)}"
                if fig.target is not None
                else ""
            )
            print(
                f"  {STATUS_INFO[fig.status].symbol} {fig.title}: {fig.text(fig.actual)}{against} – {fig.status_text}"
            )
    return 0


def _named_period(text: str) -> Period | None:
    """A period in the overview's URL form: 2024, 2024-T2, 2024-Q1, 2024-03, 2024-W05."""
    from trygghet.exploration.period_links import named_period
    from trygghet.figures.periods import Grain

    key = text.strip().upper()
    for grain in (Grain.YEAR, Grain.TERTIAL, Grain.QUARTER, Grain.MONTH, Grain.WEEK):
        found = named_period(grain, key)
        if found is not None:
            return found
    return None


def _cmd_indicator(args: argparse.Namespace) -> int:
    from trygghet.figures.indicators import problems, registry
    from trygghet.figures.indicators._text import describe, source

    store = prepare_store(args.db)
    found = registry(store.path)
    if args.action == "list":
        for ind in found.values():
            print(
                f"{ind.id:<40} {'mål' if ind.has_target else '   '}  {ind.title} ({ind.unit}) – {source(store, ind.id)}"
            )
        for problem in problems(store.path):
            print(f"Utelämnad: {problem}")
        return 0
    if not args.id:
        print(
            "Fel: ange indikatorns id, till exempel: python -m trygghet indicator show trafik_utandningsprov",
            file=sys.stderr,
        )
        return 2
    if args.id not in found:
        print(
            f"Fel: det finns ingen indikator med id ”{args.id}”. Se: python -m trygghet indicator list", file=sys.stderr
        )
        return 1
    areas = dict(zip(store.areas().code, store.areas().name, strict=True))
    for what, value in describe(found[args.id], source(store, args.id), areas):
        print(f"{what + ':':<24}{value}")
    return 0


def _activity_type(text: str) -> str:
    from trygghet.importing.cell_rules import TYPE_VALUE_KEYS, key

    if key(text) not in TYPE_VALUE_KEYS:
        from trygghet.reference.activity_types import ACTIVITY_TYPES

        raise argparse.ArgumentTypeError(f"'{text}' är ingen aktivitetstyp; välj en av {', '.join(ACTIVITY_TYPES)}")
    return TYPE_VALUE_KEYS[key(text)]


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trygghet.importing.pipeline import changes_text, import_file, missing_text, problems_text, warning_text

    path = Path(args.file)
    if not path.is_file():
        print(f"Fel: filen {path} finns inte.", file=sys.stderr)
        return 2
    data = path.read_bytes()
    with Store(args.db).connect():  # one use from start to end: a busy dashboard hands the file over once
        result = import_file(
            prepare_store(args.db),
            path.name,
            data,
            args.type,
            imported_by=LOCAL_OPERATOR,
            dry_run=args.dry_run,
            sheet=args.sheet,
            allow_missing=frozenset(args.allow_missing),
            replaces=args.replaces,
            replacer=OPERATOR,
        )
    for line in [*result.summary(), *changes_text(result), *result.notes, *map(warning_text, result.warnings)]:
        print(line)
    for part in result.parts:
        print(f"Bladet {part.sheet}: " + "; ".join(part.summary()[1:]))
    for line in problems_text(result):
        print(line)
    for column, (label, titles) in result.unconfirmed.items():
        print(
            f"{missing_text(column, label, titles)} Inget importerades. Kör igen med --allow-missing {column} "
            "om filen ska importeras ändå."
        )
    rejected = [(p.sheet, p.rejected_csv) for p in result.parts or [result] if p.rejected_csv]
    if args.rejected and rejected:
        for sheet, content in rejected:
            target = Path(args.rejected)
            if len(rejected) > 1:
                target = target.with_name(f"{target.stem}-{sheet}{target.suffix}")
            target.write_bytes(content)
            print(f"Avvisade rader med orsaker: {target}")
    if not result.can_import and not result.already_imported:
        return 1
    if result.batch_id is not None:
        print(f"Importerad som omgång {result.batch_id}.")
        if args.replaces is not None:
            print(f"Omgång {args.replaces} är ersatt av omgång {result.batch_id}.")
    elif args.dry_run and result.can_import:
        print("Provkörning: inget skrevs till databasen.")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trygghet.importing.templates import file_name, template

    store = prepare_store(args.db)
    target = Path(args.output or file_name(args.type, args.format))
    target.write_bytes(template(args.type, args.format, list(store.areas().name)))
    print(f"Mallen är sparad som {target}.")
    return 0


def _cmd_undo(args: argparse.Namespace) -> int:
    removed = prepare_store(args.db).undo_batch(args.batch, OPERATOR)
    print(f"Importomgång {args.batch} är ångrad: {removed} aktiviteter är borttagna ur alla siffror.")
    return 0


def _cmd_users(args: argparse.Namespace) -> int:
    import getpass

    from trygghet.auth import add_user, load_accounts, remove_user, set_role, users_file

    path = users_file()
    if args.action == "list":
        for name, account in sorted(load_accounts(path).items()):
            print(f"{name}\t{account.role}")
        return 0
    if not args.name:
        print("Fel: ange ett användarnamn.", file=sys.stderr)
        return 2
    if args.action == "set-role" and not args.role:
        print(f"Fel: ange --role {' eller '.join(LOCAL_ROLES)}.", file=sys.stderr)
        return 2
    # Every change is logged in the database's account_changes, done by the local operator.
    store = prepare_store(args.db)
    if args.action == "add":
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Lösenord: ")
        add_user(path, args.name, password, args.role or "editor", store=store, by=OPERATOR)
        print(f"Kontot {args.name} är skapat med rollen {args.role or 'editor'} i {path}.")
    elif args.action == "remove":
        remove_user(path, args.name, store=store, by=OPERATOR)
        print(f"Kontot {args.name} är borttaget.")
    else:
        set_role(path, args.name, args.role, store=store, by=OPERATOR)
        print(f"Kontot {args.name} har nu rollen {args.role}.")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trygghet.config import today as config_today
    from trygghet.reports import ReportError, annual_report, meeting_handout

    today = config_today()
    store = prepare_store(args.db)
    try:
        if args.year is not None:
            name, content, _ = annual_report(store, args.year, args.format, today)
        else:
            name, content, _ = meeting_handout(store, args.meeting, args.format, today)
    except ReportError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1
    target = Path(args.out or name)
    target.write_bytes(content)
    print(f"Rapporten är sparad som {target}.")
    return 0


def _cmd_agreement(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trygghet.config import today as config_today
    from trygghet.reference.agreements import KIND_LABELS, RESPONSIBLE_LABELS, status_on
    from trygghet.store import agreements as agreement_store

    store = prepare_store(args.db)
    if args.action == "list":
        every = agreement_store.all_agreements(store)
        for a in every:
            print(
                f"{a.id}\t{KIND_LABELS[a.kind]}\t{a.title}\t{a.valid_from.isoformat()}–{a.valid_to.isoformat()}"
                f"\t{status_on(a, config_today(), every)}{' (exempel)' if a.is_example else ''}"
            )
        return 0
    if not args.target:
        print(f"Fel: ange {'en TOML-fil' if args.action == 'import' else 'en överenskommelses id'}.", file=sys.stderr)
        return 2
    if args.action == "import":
        path = Path(args.target)
        if not path.is_file():
            print(f"Fel: filen {path} finns inte.", file=sys.stderr)
            return 2
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            print(f"Fel: {path.name} är inte en textfil i UTF-8.", file=sys.stderr)
            return 1
        draft = agreement_store.import_toml(store, text, path.name, OPERATOR)
        print(
            f"{draft.title} ({draft.id}) är inläst som utkast med {len(draft.commitments)} löften. "
            f"Publicera med: python -m trygghet agreement publish {draft.id}"
        )
    elif args.action == "export":
        text = agreement_store.export_toml(store, args.target)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"Överenskommelsen är sparad som {args.out}.")
        else:
            sys.stdout.write(text)
    elif args.action == "publish":
        done = agreement_store.publish(store, args.target, OPERATOR)
        print(
            f"{done.title} ({done.id}) är publicerad och gäller {done.valid_from.isoformat()}–"
            f"{done.valid_to.isoformat()}."
        )
    else:
        a, every = agreement_store.get(store, args.target), agreement_store.all_agreements(store)
        areas = agreement_store.focus_areas(store)
        print(f"{a.title} ({a.id}), {KIND_LABELS[a.kind].lower()}")
        print(
            f"  Gäller: {a.valid_from.isoformat()}–{a.valid_to.isoformat()}; status: "
            f"{status_on(a, config_today(), every)}" + (" (exempel)" if a.is_example else "")
        )
        if a.replaces and a.replaces_from:
            print(f"  Ersätter {a.replaces} från {a.replaces_from.isoformat()}")
        print(f"  Parter: {', '.join(a.parties) or '–'}")
        for s in a.signatories:
            print(f"  Undertecknad av {s.name}, {s.title}")
        if a.published_by:
            print(f"  Publicerad av {a.published_by} {a.published_at:%Y-%m-%d %H:%M}")
        tracked = agreement_store.indicators_of(a)
        for c in a.commitments:
            print(
                f"  {c.ordinal}. [{areas.get(c.focus_area, c.focus_area)}; {RESPONSIBLE_LABELS[c.responsible]}] "
                f"{c.short_title} ({c.id})"
            )
            print(f"     {c.text}")
            if tracked[c.id]:
                print(f"     Mått: {', '.join(tracked[c.id])}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trygghet", description="Trygghetsuppföljning Timrå: databas och import."
    )
    parser.add_argument("--db", help="DuckDB-filen (standard: $TRYGGHET_DB eller data/trygghet.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    init = commands.add_parser("init", help="skapa eller uppdatera databasen (schema och referensdata)")
    init.add_argument("--demo-if-empty", action="store_true", help="fyll en tom databas med markerad demodata")
    init.set_defaults(run=_cmd_init)

    demo = commands.add_parser("demo", help="läs in eller ta bort tydligt markerad demodata")
    demo.add_argument("--seed", type=int, default=1, help="slumpfrö (samma frö ger samma data)")
    demo.add_argument(
        "--years",
        type=_years,
        help="bara dessa år, t.ex. 2023-2024 (utan: 2019–2024 och ett "
        "påhittat exempel på en överenskommelse som gäller i dag)",
    )
    demo.add_argument("--rows", type=int, help="exakt antal rader (för prestandamätning)")
    demo.add_argument("--remove", action="store_true", help="ta bort all demodata")
    demo.set_defaults(run=_cmd_demo)

    stats = commands.add_parser("stats", help="antal aktiviteter per typ och importomgång")
    stats.add_argument("--json", action="store_true", help="skriv ut som JSON")
    stats.set_defaults(run=_cmd_stats)

    progress = commands.add_parser("progress", help="varje måtts utfall mot mål vid ett datum")
    progress.add_argument(
        "--date",
        type=_date,
        help="dagen siffrorna gäller, ÅÅÅÅ-MM-DD (standard med --period: periodens slut eller i dag)",
    )
    progress.add_argument(
        "--period", help="en period som i översiktens länkar: 2024, 2024-T2, 2024-Q1, 2024-03, 2024-W05"
    )
    progress.add_argument("--grain", choices=[g.value for g in PICKER_GRAINS], default="year")
    progress.add_argument("--json", action="store_true", help="skriv ut som JSON")
    progress.set_defaults(run=_cmd_progress)

    users = commands.add_parser("users", help="lokala konton för redaktörer och administratörer")
    users.add_argument("action", choices=["add", "remove", "set-role", "list"])
    users.add_argument("name", nargs="?", help="användarnamn")
    users.add_argument("--role", choices=LOCAL_ROLES, help="roll: editor eller admin (standard för add: editor)")
    users.add_argument("--password-stdin", action="store_true", help="läs lösenordet från standard in")
    users.set_defaults(run=_cmd_users)

    ind = commands.add_parser("indicator", help="indikatorerna: inbyggda och definierade i appen")
    ind.add_argument("action", choices=["list", "show"], help="list: alla i bruk; show: en indikators deklaration")
    ind.add_argument("id", nargs="?", help="indikatorns id (för show)")
    ind.set_defaults(run=_cmd_indicator)

    imp = commands.add_parser("import", help="läs in en aktivitetslogg (CSV eller XLSX), allt eller inget")
    imp.add_argument("file", metavar="FIL", help="CSV-, TXT- eller XLSX-fil")
    imp.add_argument("--type", type=_activity_type, help="aktivitetstyp (annars från typkolumnen eller rubrikerna)")
    imp.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle hända")
    imp.add_argument("--rejected", metavar="FIL", help="spara avvisade rader med orsaker som CSV")
    imp.add_argument("--sheet", metavar="BLAD", help="läs bara bladet BLAD i en Excel-fil (annars alla blad med data)")
    imp.add_argument(
        "--allow-missing",
        metavar="KOLUMN",
        action="append",
        default=[],
        help="importera trots att den valfria kolumnen KOLUMN saknas (får anges flera gånger)",
    )
    imp.add_argument(
        "--replaces",
        type=int,
        metavar="OMGÅNG",
        help="en rättad fil: visa vad som läggs till, ändras och tas bort mot omgången, och ersätt den i ett steg",
    )
    imp.set_defaults(run=_cmd_import)

    tpl = commands.add_parser("template", help="skriv en importmall för en aktivitetstyp")
    tpl.add_argument("type", type=_activity_type, metavar="TYP", help="aktivitetstyp, t.ex. foot_patrol")
    tpl.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    tpl.add_argument("--output", "-o", metavar="FIL", help="filnamn (standard: mall-<typ>.<format>)")
    tpl.set_defaults(run=_cmd_template)

    undo = commands.add_parser("undo", help="ångra en importomgång (den finns kvar i historiken)")
    undo.add_argument("batch", type=int, metavar="OMGÅNG", help="omgångens nummer")
    undo.set_defaults(run=_cmd_undo)

    report = commands.add_parser("report", help="skriv årlig uppföljning eller mötesunderlag som PDF eller Word")
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--year", type=int, help="årlig uppföljning för ett år, t.ex. 2024")
    which.add_argument("--meeting", type=_date, help="mötesunderlag för mötet detta datum, ÅÅÅÅ-MM-DD")
    report.add_argument("--format", choices=["pdf", "docx"], default="pdf")
    report.add_argument(
        "--out", metavar="FIL", help="filnamn (standard: arlig-uppfoljning-ÅR.FORMAT eller motesunderlag-DATUM.FORMAT)"
    )
    report.set_defaults(run=_cmd_report)

    agreement = commands.add_parser("agreement", help="överenskommelser: läs in, skriv ut, lista, visa, publicera")
    agreement.add_argument("action", choices=["import", "export", "list", "show", "publish"])
    agreement.add_argument("target", nargs="?", metavar="FIL|ID", help="TOML-fil (import) eller överenskommelsens id")
    agreement.add_argument("--out", metavar="FIL", help="export: spara i filen i stället för att skriva ut")
    agreement.set_defaults(run=_cmd_agreement)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with _active_store(args.db):
            return int(args.run(args))
    except USER_ERRORS as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 1


@contextmanager
def _active_store(db: str | None) -> Iterator[None]:
    """--db makes its file the active store for the whole command, so that the indicators defined in
    the app (read by `indicators.registry()` from the active store) are those of that file."""
    before = os.environ.get("TRYGGHET_DB")
    if db:
        os.environ["TRYGGHET_DB"] = db
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TRYGGHET_DB", None)
        else:
            os.environ["TRYGGHET_DB"] = before
