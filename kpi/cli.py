"""Command line: `python -m kpi status [--json]`, `python -m kpi demo --remove`, `init`,
`report --format pdf|pptx|xlsx|csv --output FILE [--as-of DATE]`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from kpi import formatting as fmt
from kpi import repository
from kpi.db import DatabaseUnavailable, ensure_ready, make_engine
from kpi.settings import Settings


def _engine(settings: Settings):
    engine = make_engine(settings.database_url)
    ensure_ready(engine, seed_demo=settings.seed_demo)
    return engine


def cmd_status(args, settings: Settings) -> int:
    from kpi.service import evaluate_all, status_records
    from kpi.text import target_label, value_text

    as_of = args.as_of[0] if args.as_of else None
    results = evaluate_all(_engine(settings), settings, as_of.date() if as_of else dt.date.today(), as_of=as_of)
    if args.json:
        print(json.dumps(status_records(results), ensure_ascii=False, indent=2))
        return 0
    header = f"{'KPI':<34} {'waarde':>14} {'peildatum':>10} {'doel':>24}  status"
    print(header)
    print("-" * len(header))
    for r in results:
        ind = r.indicator
        val = value_text(r)
        if r.illustrative:
            val += " *"
        date = fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–"
        print(f"{ind.name:<34} {val:>14} {date:>10} {target_label(r):>24}  {r.status}")
    if any(r.illustrative for r in results):
        print("\n* het oordeel rust op illustratieve waarden (demo), geen metingen")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    engine = _engine(settings)
    if args.remove:
        n = repository.remove_illustrative(engine)
        print(f"{n} illustratieve waarden verwijderd.")
    else:
        print(f"{repository.count_illustrative(engine)} illustratieve waarden aanwezig.")
    return 0


def cmd_init(args, settings: Settings) -> int:
    _engine(settings)
    print("Database is bijgewerkt en klaar voor gebruik.")
    return 0


def _moment(text: str) -> tuple[dt.datetime, bool]:
    """--as-of: a date (2026-01-31, 31-1-2026: end of that day) or a date and time in UTC
    (2026-01-31T14:05, '31-1-2026 14:05'), so two imports on one day can be told apart."""
    from kpi.periods import parse_moment

    try:
        return parse_moment(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"‘{text}’ is geen datum of tijdstip; gebruik bijvoorbeeld 2026-01-31 of 2026-01-31T14:05"
        ) from None


def cmd_report(args, settings: Settings) -> int:
    from contextlib import ExitStack
    from pathlib import Path

    from kpi import reports

    try:
        with ExitStack() as stack:
            if args.format in ("pdf", "pptx"):  # Chromium starts while the database is checked
                stack.enter_context(reports.kaleido_server())
            as_of = args.as_of[0] if args.as_of else None
            data = reports.build(_engine(settings), settings, args.format, as_of=as_of,
                                 today=as_of.date() if as_of else None)
        Path(args.output).write_bytes(data)
    except reports.ReportError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 3
    except OSError:
        print(f"Fout: kan {args.output} niet schrijven (bestaat de map en mag erin geschreven worden?).", file=sys.stderr)
        return 3
    known = ""
    if args.as_of:
        moment, with_time = args.as_of
        known = f", gegevens zoals bekend op {fmt.timestamp(moment) + ' (UTC)' if with_time else fmt.peildatum(moment.date(), 'dag')}"
    print(f"Rapport ({args.format}) geschreven naar {args.output}{known}.")
    return 0


def _add_report_parser(sub) -> None:
    r = sub.add_parser("report", help="briefing maken: PDF, PowerPoint, of alle cijfers als XLSX/CSV")
    r.add_argument("--format", required=True, choices=["pdf", "pptx", "xlsx", "csv"])
    r.add_argument("--output", required=True, help="bestand om te schrijven")
    r.add_argument("--as-of", type=_moment, default=None, metavar="DATUM[TTIJD]",
                   help="de gegevens zoals bekend aan het einde van die dag (UTC), bijv. 2026-01-31, "
                        "of op een tijdstip (UTC), bijv. 2026-01-31T14:05")
    r.set_defaults(func=cmd_report)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kpi", description="Binnenstadmonitor")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("status", help="toon de KPI-tabel")
    s.add_argument("--json", action="store_true", help="JSON-lijst, één object per KPI")
    s.add_argument("--as-of", type=_moment, default=None, metavar="DATUM[TTIJD]",
                   help="de stand zoals bekend op een datum (einde van de dag) of tijdstip (UTC), "
                        "bijv. 2026-11-23T14:05")
    s.set_defaults(func=cmd_status)
    d = sub.add_parser("demo", help="illustratieve (demo)waarden tellen of verwijderen")
    d.add_argument("--remove", action="store_true", help="verwijder alle illustratieve waarden")
    d.set_defaults(func=cmd_demo)
    i = sub.add_parser("init", help="database aanmaken/migreren en zo nodig vullen")
    i.set_defaults(func=cmd_init)
    _add_report_parser(sub)
    from kpi.importer.commands import add_import_parsers

    add_import_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return args.func(args, settings)
    except DatabaseUnavailable as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
