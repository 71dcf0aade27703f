"""`python -m kpi import FILE... [--dry-run] [--bron TEXT] [--nieuw-gebied] [--gebruiker NAME]`
and `python -m kpi undo BATCH_ID [--gebruiker NAME]`: the import engine on the command line.

Exit codes: 0 done (or nothing to do), 1 invalid input or refused, 2 database unavailable.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import sqlalchemy as sa
from babel.numbers import format_decimal

from kpi.db import DatabaseUnavailable, describe_url
from kpi.importer.model import TARGETS
from kpi.settings import Settings

# How many new or changed figures the import lists before it only counts the rest.
LIST_LIMIT = 50


def _user(args) -> str:
    if args.gebruiker:
        return args.gebruiker
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "onbekend"


def _num(v, decimals: int = 0) -> str:
    """A figure as imported: at least the indicator's decimals (7,0 for leegstand), more when given."""
    if v is None or v != v:
        return "–"
    pattern = "#,##0." + "0" * decimals + "#" * 6
    return format_decimal(v, format=pattern, locale="nl_NL")


def _change(r, units: dict) -> str:
    """', 3 plaatsen gestegen' / ', +0,4 procentpunt': the change from the old figure, in words."""
    from kpi import formatting as fmt

    unit, decimals = units.get(r.indicator, ("", 0))
    if r.oud_waarde is None or r.oud_waarde != r.oud_waarde or r.waarde == r.oud_waarde:
        return ""
    return f", {fmt.signed(r.waarde - r.oud_waarde, unit, max(decimals, 1) if unit == 'procent' else decimals)}"


def _print_section(title: str, frame, line) -> None:
    if frame.empty:
        return
    print(f"{title} ({len(frame)}):")
    for row in frame.head(LIST_LIMIT).itertuples():
        print(f"  {line(row)}")
    if len(frame) > LIST_LIMIT:
        print(f"  … en nog {len(frame) - LIST_LIMIT}")


def _print_preview(preview, units: dict | None = None) -> None:
    units = units or {}

    def where(r) -> str:
        return f"{r.gebied} · {r.indicator} · {r.peildatum}"

    def num(v, r) -> str:
        return _num(v, units.get(r.indicator, ("", 0))[1])

    if preview.kind == TARGETS:
        _print_section("Nieuwe doelen", preview.added,
                       lambda r: f"{r.gebied} · {r.indicator}: doel {_num(r.waarde)} (versie {r.versie}, geldig vanaf {r.peildatum})")
        _print_section("Gewijzigde doelen", preview.changed,
                       lambda r: f"{r.gebied} · {r.indicator}: doel {_num(r.oud_waarde)} → {_num(r.waarde)}, "
                                 f"basis {_num(r.oud_basiswaarde)} → {_num(r.basiswaarde)} "
                                 f"(versie {r.versie}, geldig vanaf {r.peildatum})")
    else:
        _print_section("Nieuw", preview.added, lambda r: f"{where(r)}: {num(r.waarde, r)} ({r.bron})")
        _print_section("Gewijzigd", preview.changed,
                       lambda r: f"{where(r)}: {num(r.oud_waarde, r)}{' (illustratief)' if r.oud_illustratief else ''}"
                                 f" → {num(r.waarde, r)} ({r.bron}{_change(r, units)})")
    if not preview.unchanged.empty:
        print(f"Ongewijzigd: {len(preview.unchanged)}")
    if preview.new_areas:
        print(f"Nieuwe gebieden: {', '.join(preview.new_areas)}")
    print(f"{', '.join(preview.files)}: {preview.summary()}")


def _unavailable(settings: Settings, exc: Exception) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"De database is niet bereikbaar ({describe_url(settings.database_url)}); er is niets opgeslagen."
    )


def cmd_import(args, settings: Settings) -> int:
    from kpi import importer
    from kpi.cli import _engine

    files = []
    for name in args.files:
        path = Path(name)
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(f"{name}: het bestand is niet te openen ({exc.strerror or exc}).", file=sys.stderr)
            return 1
    engine = _engine(settings)
    user = _user(args)
    try:
        preview = importer.prepare(engine, files, settings, default_source=args.bron,
                                   create_areas=args.nieuw_gebied)
        if not preview.ok:
            for problem in preview.problems:
                print(problem, file=sys.stderr)
            print(f"{preview.summary()}.", file=sys.stderr)
            return 1
        from kpi import repository

        units = {code: (row["unit"], int(row["decimals"])) for code, row in repository.load_indicators(engine).iterrows()}
        _print_preview(preview, units)
        if args.dry_run:
            print("Proefrun (--dry-run): er is niets opgeslagen.")
            return 0
        batch = importer.apply(engine, preview, user)
    except importer.ImportRefused as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except sa.exc.OperationalError as exc:
        raise _unavailable(settings, exc) from exc
    if batch is None:
        print("Niets gewijzigd.")
    else:
        print(f"Opgeslagen als importbatch {batch} (gebruiker: {user}). "
              f"Terugdraaien: python -m kpi undo {batch}")
    return 0


def cmd_undo(args, settings: Settings) -> int:
    from kpi import importer
    from kpi.cli import _engine

    engine = _engine(settings)
    try:
        importer.undo(engine, args.batch_id, _user(args))
    except importer.ImportRefused as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except sa.exc.OperationalError as exc:
        raise _unavailable(settings, exc) from exc
    print(f"Importbatch {args.batch_id} is ongedaan gemaakt.")
    return 0


def add_import_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the `import` and `undo` subcommands."""
    im = sub.add_parser("import", help="cijfers of doelen inlezen uit CSV- of Excel-bestanden")
    im.add_argument("files", nargs="+", metavar="BESTAND", help=".csv of .xlsx")
    im.add_argument("--dry-run", action="store_true", help="alleen controleren en tonen, niets opslaan")
    im.add_argument("--bron", help="bron voor cijfers zonder bron (bijvoorbeeld een breed bestand)")
    im.add_argument("--nieuw-gebied", action="store_true", help="onbekende gebieden toevoegen")
    im.add_argument("--gebruiker", help="naam die bij de import wordt vastgelegd (standaard: de OS-gebruiker)")
    im.set_defaults(func=cmd_import)
    u = sub.add_parser("undo", help="een importbatch ongedaan maken")
    u.add_argument("batch_id", type=int, metavar="BATCH_ID")
    u.add_argument("--gebruiker", help="naam die bij het ongedaan maken wordt vastgelegd")
    u.set_defaults(func=cmd_undo)
