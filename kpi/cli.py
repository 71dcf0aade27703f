"""Command line: `python -m kpi status [--json]`, `python -m kpi demo --remove`, `init`."""

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
    from kpi.text import target_label

    results = evaluate_all(_engine(settings), settings, dt.date.today())
    if args.json:
        print(json.dumps(status_records(results), ensure_ascii=False, indent=2))
        return 0
    header = f"{'KPI':<34} {'waarde':>14} {'peildatum':>10} {'doel':>24}  status"
    print(header)
    print("-" * len(header))
    for r in results:
        ind = r.indicator
        val = fmt.value(r.latest.value, ind.unit, ind.decimals) if r.latest else "–"
        if r.latest and r.latest.illustrative:
            val += " *"
        date = fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–"
        print(f"{ind.name:<34} {val:>14} {date:>10} {target_label(r):>24}  {r.status}")
    if any(r.latest and r.latest.illustrative for r in results):
        print("\n* illustratieve waarde (demo), geen meting")
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kpi", description="Binnenstadmonitor")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("status", help="toon de KPI-tabel")
    s.add_argument("--json", action="store_true", help="JSON-lijst, één object per KPI")
    s.set_defaults(func=cmd_status)
    d = sub.add_parser("demo", help="illustratieve (demo)waarden tellen of verwijderen")
    d.add_argument("--remove", action="store_true", help="verwijder alle illustratieve waarden")
    d.set_defaults(func=cmd_demo)
    i = sub.add_parser("init", help="database aanmaken/migreren en zo nodig vullen")
    i.set_defaults(func=cmd_init)
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
