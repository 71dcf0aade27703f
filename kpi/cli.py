"""Command line, all of it: `python -m kpi status [--json] [--as-of DATE[THH:MM]]`, `demo [--remove]`,
`init`, `report --format pdf|pptx|xlsx|csv --output FILE [--as-of DATE[THH:MM]]`,
`import FILE... [--dry-run] [--bron TEXT] [--nieuw-gebied] [--gebruiker NAME]`,
`undo BATCH_ID [--gebruiker NAME]`, `acties [--json] [--thema X] [--status S]`,
`digest [--dry-run]`, `opendata DIR [--gebied X]`, `briefing maak --periode P [--definitief]`,
`briefing definitief N`, `briefing lijst` and `report --briefing N --format pdf|pptx --output FILE`.

Exit codes: 0 done (or nothing to do), 1 invalid input or refused, 2 database unavailable
(or an invalid date), 3 a report could not be made or written, or a digest not delivered
(logged; the next run tries again), 4 nothing to publish (only illustrative data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import re
import stat
import sys
from pathlib import Path

import sqlalchemy as sa

from kpi import formatting as fmt
from kpi import repository, werkplan
from kpi.access import Access, Editor, MappingError
from kpi.db import DatabaseUnavailable, describe_url, open_database
from kpi.files import write_error_reason, write_whole
from kpi.settings import Settings

# How many new or changed figures the import lists before it only counts the rest.
LIST_LIMIT = 50


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escaped(name: str) -> str:
    """A file name as the terminal may show it: control characters (newlines, escape sequences)
    as visible \\xNN codes, so a name cannot print a fake line such as 'Opgeslagen als importbatch 999'."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def _engine(settings: Settings):
    return open_database(settings.database_url, settings.seed_demo,
                         (settings.db_pool_size, settings.db_max_overflow))


def cmd_status(args, settings: Settings) -> int:
    from kpi.service import evaluate_all, status_records
    from kpi.text import target_label, value_text

    engine = _engine(settings)
    as_of = args.as_of[0] if args.as_of else None
    if (refused := _as_of_refused(engine, args.as_of)) is not None:
        print(refused, file=sys.stderr)
        return 2
    today = fmt.local(as_of).date() if as_of else dt.date.today()
    results = evaluate_all(engine, settings, today, as_of=as_of)
    if args.json:
        actions = werkplan.load_werkplan(engine, settings.area, as_of).actions
        behind = werkplan.without_running_action(actions, werkplan.kpi_statuses(results), today)
        print(json.dumps(status_records(results, behind), ensure_ascii=False, indent=2))
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
        print(repository.remove_illustrative(engine).sentence())
    else:
        from kpi.seed import seed_peers
        from kpi.werkplan.store import count_illustrative_actions

        added, figures = seed_peers(engine, settings.area)
        print(f"Werkgroep voor de benchmark: {fmt.count(added, 'centrum', 'centra')} en "
              f"{fmt.count(figures, 'cijfer', 'cijfers')} toegevoegd (fictieve centra met illustratieve reeksen; "
              "gepubliceerde cijfers van echte centra met hun maatstaf).")
        values, actions = repository.count_illustrative(engine), count_illustrative_actions(engine)
        print(f"{fmt.count(values, 'illustratieve waarde', 'illustratieve waarden')} en "
              f"{fmt.count(actions, 'illustratieve actie', 'illustratieve acties')} aanwezig.")
    return 0


class UnknownCentre(Exception):
    """--gebied names no centre (the Dutch message lists the known ones)."""


def with_centre(settings: Settings, asked: str | None) -> Settings:
    """The settings for --gebied (a slug, or a name): the chosen centre as `area`."""
    if asked is None:
        return settings
    from dataclasses import replace

    from kpi.centres import centres, choose

    frame = centres(repository.load_areas(_engine(settings)), settings.benchmark_area)
    choice = choose(frame, asked, settings.area)
    if choice.message:
        raise UnknownCentre(f"--gebied: het gebied ‘{escaped(asked)}’ bestaat niet. Bekende gebieden: "
                            f"{', '.join(frame['slug']) or 'geen'}.")
    return replace(settings, area=choice.area)


def cmd_gebieden(args, settings: Settings) -> int:
    from kpi.centres import centres, records

    frame = centres(repository.load_areas(_engine(settings)), settings.benchmark_area)
    if args.json:
        print(json.dumps(records(frame), ensure_ascii=False, indent=2))
        return 0
    for r in frame.itertuples():
        marks = [m for m in ("standaard" if r.name == settings.area else "",
                             "fictief, illustratief" if r.illustrative else "") if m]
        group = f" · werkgroep {r.peer_group}" if r.peer_group else ""
        print(f"{r.slug:<28} {r.name}{group}{' (' + ', '.join(marks) + ')' if marks else ''}")
    return 0


def cmd_benchmark(args, settings: Settings) -> int:
    from kpi import benchmark
    from kpi.benchmark.load import load_inputs, werkgroep

    engine = _engine(settings)
    observations, indicators, centres = load_inputs(engine, settings)
    shared = benchmark.shared_indicators(observations, werkgroep(centres, settings.area), list(indicators.index))
    code = args.indicator or (shared[0] if shared else None)
    if code not in indicators.index:
        known = ", ".join(shared) or "geen"
        print(f"Fout: --indicator: ‘{escaped(str(code))}’ is geen indicator die de werkgroep van {settings.area} "
              f"deelt. Te vergelijken: {known}.", file=sys.stderr)
        return 1
    b = benchmark.compare(observations, indicators, centres, settings.area, code, args.view, args.base_year)
    if args.json:
        slugs = dict(zip(centres["name"], centres["slug"], strict=True))
        print(json.dumps(benchmark.records(b, slugs), ensure_ascii=False, indent=2))
        return 0
    print(f"{b.measure} · werkgroep {b.group or '(geen)'}")
    print(b.sentence())
    table = benchmark.ranking_table(b)
    for r in table.itertuples():
        print(f"{r.Plaats:>3}  {r.Centrum:<34} {r.Waarde:>10}  {r.Peildatum:<10}  {r.Herkomst}")
    return 0


def _add_centre_parsers(sub) -> None:
    g = sub.add_parser("gebieden", help="de centra: slug, naam, soort en werkgroep")
    g.add_argument("--json", action="store_true", help="JSON-lijst, één object per centrum")
    g.set_defaults(func=cmd_gebieden)
    b = sub.add_parser("benchmark", help="een centrum naast zijn werkgroep: waarde, peildatum, maatstaf en plaats")
    b.add_argument("--json", action="store_true", help="JSON-lijst, één object per centrum van de werkgroep")
    _add_gebied(b)
    b.add_argument("--indicator", default=None, metavar="CODE", help="bijv. leegstand (standaard: de eerste gedeelde)")
    from kpi.benchmark import VIEWS

    b.add_argument("--weergave", dest="view", choices=list(VIEWS), default="waarde",
                   help="waarde, index (basisjaar = 100) of per noemer")
    b.add_argument("--basisjaar", dest="base_year", type=int, default=None, help="het jaar dat 100 is (index)")
    b.set_defaults(func=cmd_benchmark)


def _add_gebied(parser) -> None:
    parser.add_argument("--gebied", default=None, metavar="SLUG",
                        help="het centrum (slug of naam, zie python -m kpi gebieden; standaard KPI_AREA)")


def cmd_init(args, settings: Settings) -> int:
    _engine(settings)
    print("Database is bijgewerkt en klaar voor gebruik.")
    return 0


def _as_of_refused(engine, as_of: tuple[dt.datetime, bool] | None) -> str | None:
    """Why an --as-of moment cannot be answered (Dutch), or None: a moment in the future is not
    known yet, and before the first import (the installation's included) nothing was known."""
    if as_of is None:
        return None
    moment, with_time = as_of
    shown = fmt.timestamp(moment) if with_time else fmt.peildatum(fmt.local(moment).date(), "dag")
    now = repository.utcnow()
    future = moment > now if with_time else fmt.local(moment).date() > fmt.local(now).date()
    if future:
        return f"Fout: --as-of {shown} ligt in de toekomst; kies een moment tot nu."
    first = repository.first_import_at(engine)
    if first is None or moment < first:
        since = "" if first is None else f" (de eerste import is van {fmt.timestamp(first)})"
        return f"Fout: op {shown} was nog niets bekend{since}."
    return None


def _moment(text: str) -> tuple[dt.datetime, bool]:
    """--as-of: a date (2026-01-31, 31-1-2026: end of that day) or a date and time in Amsterdam
    time (2026-01-31T14:05, '31-1-2026 14:05'), so two imports on one day can be told apart;
    returned as stored (naive UTC)."""
    from kpi.periods import parse_moment

    try:
        moment, with_time = parse_moment(text)
        return fmt.utc(moment), with_time
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"‘{text}’ is geen datum of tijdstip; gebruik bijvoorbeeld 2026-01-31 of 2026-01-31T14:05"
        ) from None


def cmd_report(args, settings: Settings) -> int:
    from contextlib import ExitStack

    from kpi import reports

    if args.briefing is not None and args.as_of:
        print("Fout: --briefing en --as-of gaan niet samen: een opgeslagen briefing heeft haar eigen moment.",
              file=sys.stderr)
        return 1
    if (refused := _as_of_refused(_engine(settings), args.as_of)) is not None:
        print(refused, file=sys.stderr)
        return 2
    try:
        with ExitStack() as stack:
            if args.format in ("pdf", "pptx"):  # Chromium starts while the database is checked
                stack.enter_context(reports.kaleido_server())
            as_of = args.as_of[0] if args.as_of else None
            data = reports.build(_engine(settings), settings, args.format, as_of=as_of,
                                 today=fmt.local(as_of).date() if as_of else None, briefing=args.briefing)
        write_whole(args.output, data)
    except reports.ReportError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"Fout: kan {escaped(args.output)} niet schrijven: {write_error_reason(exc)}. Er is geen (half) "
              "bestand achtergelaten.", file=sys.stderr)
        return 3
    known = "" if args.briefing is None else f", briefing {args.briefing}"
    if args.as_of:
        moment, with_time = args.as_of
        known = f", gegevens zoals bekend op {fmt.timestamp(moment) if with_time else fmt.peildatum(fmt.local(moment).date(), 'dag')}"
    print(f"Rapport ({args.format}) geschreven naar {args.output}{known}.")
    return 0


def _add_report_parser(sub) -> None:
    r = sub.add_parser("report", help="briefing maken: PDF, PowerPoint, of alle cijfers als XLSX/CSV")
    r.add_argument("--format", required=True, choices=["pdf", "pptx", "xlsx", "csv"])
    _add_gebied(r)
    r.add_argument("--output", required=True, help="bestand om te schrijven")
    r.add_argument("--as-of", type=_moment, default=None, metavar="DATUM[TTIJD]",
                   help="de gegevens zoals bekend aan het einde van die dag, bijv. 2026-01-31, "
                        "of op een tijdstip (Nederlandse tijd), bijv. 2026-01-31T14:05")
    r.add_argument("--briefing", type=int, default=None, metavar="N",
                   help="een opgeslagen briefing (python -m kpi briefing maak) opnieuw maken, zoals zij toen was")
    r.set_defaults(func=cmd_report)


def cmd_briefing(args, settings: Settings) -> int:
    from kpi.briefing.record import BriefingRefused, make_briefing, promote_briefing
    from kpi.briefing.store import load_briefings

    engine = _engine(settings)
    if args.action == "lijst":
        for b in load_briefings(engine, settings.area).to_dict("records"):
            link = (f"  (uit concept {b['promoted_from']})" if b["promoted_from"] is not None else
                    f"  (definitief gemaakt als briefing {b['promoted_to']})" if b["promoted_to"] is not None else "")
            print(f"{b['id']:>4}  {b['period']}  {b['state']:<10}  gemaakt {fmt.timestamp(b['made_at'])} door "
                  f"{escaped(b['made_by']) or 'onbekend'}{link}")
        return 0
    user = _user(args)
    if args.action == "definitief":
        try:
            done = promote_briefing(engine, settings, args.number, user, access=_access(user, settings))
        except BriefingRefused as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 1
        print(f"Concept {done.concept} is definitief gemaakt als briefing {done.number}. {done.since_concept}\n"
              f"Maak het document met: python -m kpi report --briefing {done.number} --format pdf "
              "--output briefing.pdf")
        return 0
    if not args.periode:
        print("Fout: geef de periode op, bijvoorbeeld --periode 2026-K4.", file=sys.stderr)
        return 1
    try:
        number = make_briefing(engine, settings, args.periode, user, definitief=args.definitief,
                               access=_access(user, settings))
    except BriefingRefused as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    word = "definitief" if args.definitief else "concept"
    print(f"Briefing {number} ({word}) opgeslagen. Maak het document met: python -m kpi report --briefing {number} "
          "--format pdf --output briefing.pdf")
    return 0


def _add_briefing_parser(sub) -> None:
    b = sub.add_parser("briefing", help="een briefing vastleggen (concept of definitief), een concept definitief "
                                        "maken, of ze opsommen")
    actions = b.add_subparsers(dest="action", required=True, metavar="maak|definitief|lijst")
    m = actions.add_parser("maak", help="een briefing vastleggen met de stand van nu (concept, of --definitief)")
    m.add_argument("--periode", default=None, help="de briefingperiode, bijv. 2026-K4")
    m.add_argument("--definitief", action="store_true",
                   help="definitief maken (geweigerd zolang een KPI die achter of risico is geen duiding heeft)")
    d = actions.add_parser("definitief", help="een vastgelegd concept definitief maken met de stand van nu "
                                              "(zelfde regel als maak --definitief)")
    d.add_argument("number", type=int, metavar="N", help="het nummer van het concept (zie briefing lijst)")
    lijst = actions.add_parser("lijst", help="de vastgelegde briefingen van het centrum, nieuwste eerst")
    for p in (m, d):
        p.add_argument("--gebruiker", dest="user", default=None,
                       metavar="NAAM", help="naam voor de geschiedenis (standaard: de OS-gebruiker)")
    for p in (m, d, lijst):
        _add_gebied(p)
    b.set_defaults(func=cmd_briefing)


def _user(args) -> str:
    if args.user:
        return args.user
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "onbekend"


def _access(user: str, settings: Settings) -> Access:
    """The operator as an editor (kpi.access): `--gebruiker` (else the OS user) is the identity
    that KPI_EDITOR_AREAS lists, usually an e-mail address; `*` there allows every centre. This
    keeps a per-centre operator to their centre; it is no lock against someone who holds the
    database URL (see docs/beheer.md)."""
    return Access(Editor.of(user, [user]), settings.editor_areas, settings.area)


def _num(v, decimals: int = 0) -> str:
    """A figure as imported: at least the indicator's decimals (7,0 for leegstand), more when given."""
    return fmt.as_imported(v, decimals)


def _change(r, units: dict) -> str:
    """', 3 plaatsen gestegen' / ', −0,4 procentpunt': the change from the old figure, in words."""
    from kpi.tables import import_change

    unit, decimals = units.get(r.indicator, ("", 0))
    text = import_change(r.value, r.old_value, unit, decimals)
    return f", {text}" if text else ""


def _target_fields(r, units: dict) -> str:
    """A previewed target version's fields in words (kpi.tables.target_field_texts): each field
    that is set, and in a changed target 'oud → nieuw' for each field that differs, so that a
    change to only the planningshorizon or basis_landelijk is visible."""
    import pandas as pd

    from kpi.tables import target_field_texts

    parts = []
    unit, decimals = units.get(r.indicator, ("", 0))
    for label, new, old in target_field_texts(pd.Series(r._asdict()), decimals, unit):
        if label == "Bron" and (old is None or old == new):
            continue  # long; shown only when it changes
        if label == "Akkoord" and old is not None and old == new:
            continue  # a changed target's agreement: only when it changes
        if old is not None and old != new:
            parts.append(f"{label.lower()} {old} → {new}")
        elif new != "–":
            parts.append(f"{label.lower()} {new}")
    return ", ".join(parts)


def _print_section(title: str, frame, line) -> None:
    if frame.empty:
        return
    print(f"{title} ({len(frame)}):")
    for row in frame.head(LIST_LIMIT).itertuples():
        print(f"  {line(row)}")
    if len(frame) > LIST_LIMIT:
        print(f"  … en nog {len(frame) - LIST_LIMIT}")


def _print_preview(preview, units: dict | None = None) -> None:
    from kpi.importer import ACTIONS, AREAS, DUIDING, ROLES, SUBSCRIBERS, TARGETS, THEMES

    units = units or {}
    for line in preview.agreements:
        print(line)

    def where(r) -> str:
        return f"{r.area} · {r.indicator} · {r.peildatum}"

    def num(v, r) -> str:
        return _num(v, units.get(r.indicator, ("", 0))[1])

    if preview.kind == DUIDING:
        _print_section("Nieuwe duiding", preview.added, lambda r: f"{r.area} · {r.indicator} · {r.period} ({r.author})")
        _print_section("Gewijzigde duiding", preview.changed,
                       lambda r: f"{r.area} · {r.indicator} · {r.period}: {r.fields}")
    elif preview.kind == AREAS:
        _print_section("Nieuwe gebieden", preview.added,
                       lambda r: f"{r.slug} · {r.area} ({r.kind}; werkgroep {r.peer_group or 'geen'})")
        _print_section("Gewijzigde gebieden", preview.changed, lambda r: f"{r.slug} · {r.area}: {r.fields}")
    elif preview.kind == SUBSCRIBERS:
        _print_section("Nieuwe abonnees", preview.added, lambda r: f"{r.email} ({r.name or 'zonder naam'})")
        _print_section("Gewijzigde abonnees", preview.changed, lambda r: f"{r.email}: {r.fields}")
    elif preview.kind == THEMES:
        _print_section("Nieuwe thema's", preview.added, lambda r: f"{r.area} · {r.key} {r.name}")
    elif preview.kind == ROLES:
        _print_section("Nieuwe rollen", preview.added, lambda r: f"{r.area} · {r.key}{f' ({r.detail})' if r.detail else ''}")
    elif preview.kind == ACTIONS:
        _print_section("Nieuwe acties", preview.added, lambda r: f"{r.code} {r.title}: {r.status}")
        _print_section("Gewijzigde acties", preview.changed,
                       lambda r: f"{r.code} {r.title}: {r.old_status}{' (illustratief)' if r.old_illustrative else ''}"
                                 f" → {r.status} ({r.fields or 'was illustratief'})")
    elif preview.kind == TARGETS:
        _print_section("Nieuwe doelen", preview.added,
                       lambda r: f"{r.area} · {r.indicator}: {_target_fields(r, units)} "
                                 f"(versie {r.version}, geldig vanaf {r.peildatum})")
        _print_section("Gewijzigde doelen", preview.changed,
                       lambda r: f"{r.area} · {r.indicator}: {_target_fields(r, units)} "
                                 f"(versie {r.version}, geldig vanaf {r.peildatum})")
    else:
        _print_section("Nieuw", preview.added, lambda r: f"{where(r)}: {num(r.value, r)} ({r.source})")
        _print_section("Gewijzigd", preview.changed,
                       lambda r: f"{where(r)}: {num(r.old_value, r)}{' (illustratief)' if r.old_illustrative else ''}"
                                 f" → {num(r.value, r)} ({r.source}{_change(r, units)})")
    if not preview.unchanged.empty:
        print(f"Ongewijzigd: {len(preview.unchanged)}")
    if preview.new_areas:
        print(f"Nieuwe gebieden: {', '.join(preview.new_areas)}")
    print(f"{', '.join(preview.files)}: {preview.summary()}")


def _unavailable(settings: Settings, exc: Exception) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"De database kon niet worden bijgewerkt: niet bereikbaar, alleen-lezen of vol "
        f"({describe_url(settings.database_url)}). Er is niets opgeslagen."
    )


def cmd_import(args, settings: Settings) -> int:
    from kpi import importer  # pandas-heavy: only import and undo need it

    try:
        user = importer.check_user(_user(args))
    except importer.ImportRefused as exc:
        print(f"Fout: --gebruiker: {exc}", file=sys.stderr)
        return 1
    files = []
    limit = settings.max_upload_mb * 1024 * 1024
    for name in args.files:
        path = Path(name)
        shown = escaped(name)
        try:
            # Size and kind first: a 6 GB file is never read into memory, a FIFO never waited on.
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                print(f"{shown}: dit is geen gewoon bestand (maar bijvoorbeeld een map of een pijp); "
                      "er is niets ingelezen.", file=sys.stderr)
                return 1
            if info.st_size > limit:
                print(f"{shown}: het bestand is {fmt.number(info.st_size / 1024 / 1024, 1)} MB; de grens is "
                      f"{settings.max_upload_mb} MB (KPI_MAX_UPLOAD_MB). Er is niets ingelezen.", file=sys.stderr)
                return 1
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:  # grew while we looked
                print(f"{shown}: het bestand is groter dan {settings.max_upload_mb} MB (KPI_MAX_UPLOAD_MB). "
                      "Er is niets ingelezen.", file=sys.stderr)
                return 1
            files.append((escaped(path.name), data))
        except OSError as exc:
            print(f"{shown}: het bestand is niet te openen ({exc.strerror or exc}).", file=sys.stderr)
            return 1
    engine = _engine(settings)
    try:
        preview = importer.prepare(engine, files, settings, default_source=args.source,
                                   create_areas=args.create_areas)
        if not preview.ok:
            for problem in preview.problems:
                print(problem, file=sys.stderr)
            print(f"{preview.summary()}.", file=sys.stderr)
            return 1
        units = {code: (row["unit"], int(row["decimals"])) for code, row in repository.load_indicators(engine).iterrows()}
        _print_preview(preview, units)
        for question in preview.questions:
            print(f"Let op: {question}", file=sys.stderr)
        if args.dry_run:
            print("Proefrun (--dry-run): er is niets opgeslagen.")
            return 0
        batch = importer.apply(engine, preview, user, confirmed=args.confirm, access=_access(user, settings))
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
    from kpi import importer  # pandas-heavy: only import and undo need it

    engine = _engine(settings)
    try:
        importer.undo(engine, args.batch_id, _user(args), access=_access(_user(args), settings))
    except importer.ImportRefused as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except sa.exc.OperationalError as exc:
        raise _unavailable(settings, exc) from exc
    print(f"Importbatch {args.batch_id} is ongedaan gemaakt.")
    return 0


def _add_import_parsers(sub) -> None:
    """Register the `import` and `undo` subcommands."""
    im = sub.add_parser("import", help="cijfers, doelen of een actielijst inlezen uit CSV- of Excel-bestanden")
    im.add_argument("files", nargs="+", metavar="BESTAND", help=".csv of .xlsx")
    im.add_argument("--dry-run", action="store_true", help="alleen controleren en tonen, niets opslaan")
    im.add_argument("--bron", dest="source", help="bron voor cijfers zonder bron (bijvoorbeeld een breed bestand)")
    im.add_argument("--nieuw-gebied", dest="create_areas", action="store_true", help="onbekende gebieden toevoegen")
    im.add_argument("--gebruiker", dest="user", help="naam die bij de import wordt vastgelegd (standaard: de OS-gebruiker)")
    im.add_argument("--bevestig", dest="confirm", action="store_true",
                    help="cijfers opslaan die ongebruikelijk veel afwijken van het vorige cijfer (na controle)")
    _add_gebied(im)
    im.set_defaults(func=cmd_import)
    u = sub.add_parser("undo", help="een importbatch ongedaan maken")
    u.add_argument("batch_id", type=int, metavar="BATCH_ID")
    u.add_argument("--gebruiker", dest="user", help="naam die bij het ongedaan maken wordt vastgelegd")
    u.set_defaults(func=cmd_undo)


# ---- werkplan: python -m kpi acties (issue 9) ---------------------------------------------

def cmd_acties(args, settings: Settings) -> int:
    """The werkplan's actions, late first: a Dutch table, or JSON with --json."""
    from kpi import werkplan

    wp = werkplan.load_werkplan(_engine(settings), settings.area)
    today = dt.date.today()
    actions = wp.actions
    if args.thema is not None:
        letter = werkplan.resolve_theme(wp.themes, args.thema)
        if letter is None:
            known = ", ".join(wp.themes["label"])
            print(f"Fout: onbekend thema ‘{args.thema}’. Kies een letter of naam: {known}.", file=sys.stderr)
            return 1
        actions = werkplan.filter_actions(actions, theme=letter)
    if args.status is not None:
        status = werkplan.resolve_status(args.status)
        if status is None:
            known = ", ".join(s.code for s in werkplan.ACTION_STATUSES)
            print(f"Fout: onbekende status ‘{args.status}’. Kies uit: {known}.", file=sys.stderr)
            return 1
        actions = werkplan.filter_actions(actions, status=status)
    if args.json:
        print(json.dumps(werkplan.action_records(actions, today), ensure_ascii=False, indent=2))
        return 0
    rows = werkplan.ordered(actions, today)
    if rows.empty:
        print("Geen acties gevonden.")
        return 0
    header = f"{'code':<6} {'thema':<5} {'status':<10} {'deadline':>10}  {'rol':<24} actie"
    print(header)
    print("-" * len(header))
    for r in rows.itertuples():
        flags = (" [te laat]" if r.late else "") + (" *" if r.illustrative else "")
        print(f"{r.code:<6} {r.theme:<5} {werkplan.status_label(r.status):<10} {fmt.day(r.due):>10}  "
              f"{(r.role or '–'):<24} {r.title}{flags}")
    if rows["illustrative"].any():
        print("\n* illustratieve actie (voorbeeld), geen echte actie uit het werkplan")
    return 0


def _add_acties_parser(sub) -> None:
    a = sub.add_parser("acties", help="de acties van het werkplan, te late eerst")
    a.add_argument("--json", action="store_true", help="JSON-lijst, één object per actie")
    _add_gebied(a)
    a.add_argument("--thema", default=None, metavar="THEMA", help="alleen dit thema van het centrum: letter (in Assen A-F) of naam")
    a.add_argument("--status", default=None, metavar="STATUS",
                   help="alleen deze status: gepland, lopend, afgerond, vertraagd of gestopt")
    a.set_defaults(func=cmd_acties)


# ---- beyond the dashboard: python -m kpi digest / opendata (issue 22) ------------------------

def cmd_digest(args, settings: Settings) -> int:
    """Send each subscriber what changed since its last delivered digest (or show it: --dry-run)."""
    from kpi.digest import run

    try:
        outcomes = run.run(_engine(settings), settings, dry_run=args.dry_run)
    except run.DigestBusy as exc:
        print(str(exc), file=sys.stderr)
        return 0  # not a failure: the running round sends the news
    if not outcomes:
        print("Er zijn geen actieve abonnees.")
        return 0
    failed = 0
    for o in outcomes:
        shown = escaped(o.email)
        if o.status == run.DRY_RUN:
            print(f"--- {shown}: zou worden verstuurd ---\nOnderwerp: {escaped(o.digest.subject)}\n")
            print(o.digest.text())
        elif o.status == run.FAILED:
            failed += 1
            print(f"{shown}: niet verstuurd: {o.error} De volgende run probeert het opnieuw.", file=sys.stderr)
        else:
            print(f"{shown}: {o.status}" + (f" ({escaped(o.digest.summary)})" if o.status == run.DELIVERED else ""))
    if args.dry_run:
        print("Proefrun (--dry-run): er is niets verstuurd en niets vastgelegd.")
    return 3 if failed else 0


def cmd_opendata(args, settings: Settings) -> int:
    """Write the open data package of each area (or of --gebied) to DIR."""
    from kpi.opendata import NothingToPublish, write_packages

    try:
        written = write_packages(_engine(settings), settings, Path(args.directory), area=args.gebied)
    except NothingToPublish as exc:
        print(f"Niets gepubliceerd: {exc}", file=sys.stderr)
        return 4
    except OSError as exc:
        print(f"Fout: kan niet schrijven in {escaped(args.directory)} ({exc.strerror or exc}).", file=sys.stderr)
        return 3
    for area, folder, files in written:
        print(f"{escaped(area)}: {len(files)} bestanden in {escaped(str(folder))}")
    return 0


def _add_publish_parsers(sub) -> None:
    g = sub.add_parser("digest", help="abonnees per e-mail laten weten wat er veranderde (cron)")
    g.add_argument("--dry-run", action="store_true", help="alleen tonen wat verstuurd zou worden")
    g.set_defaults(func=cmd_digest)
    o = sub.add_parser("opendata", help="cijfers, doelen en statussen als open data (CSV, datapackage, DCAT)")
    o.add_argument("directory", metavar="MAP", help="map waarin per gebied een map komt")
    o.add_argument("--gebied", default=None, metavar="GEBIED", help="alleen dit gebied (standaard: alle met echte cijfers)")
    o.set_defaults(func=cmd_opendata)


def cmd_sjabloon(args, settings: Settings) -> int:
    from kpi.importer import templates  # openpyxl and pandas: only the template needs them

    try:
        kind = templates.template_kind(args.kind)
    except ValueError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    data = templates.template_xlsx(_engine(settings), kind, area=settings.area)
    try:
        Path(args.output).write_bytes(data)
    except OSError:
        print(f"Fout: kan {escaped(args.output)} niet schrijven (bestaat de map en mag erin geschreven worden?).",
              file=sys.stderr)
        return 3
    print(f"Sjabloon voor {templates.TEMPLATE_LABELS[kind]} geschreven naar {escaped(args.output)}: "
          "vul de rijen in (de voorbeeldrij overschrijven) en lees het in met python -m kpi import.")
    return 0


def _add_sjabloon_parser(sub) -> None:
    t = sub.add_parser("sjabloon",
                       help="een Excel-sjabloon om in te vullen: cijfers, doelen, acties, duiding, thema's, rollen of gebieden")
    t.add_argument("kind", metavar="SOORT", help="cijfers (metingen), doelen, acties, duiding, themas, rollen of gebieden")
    t.add_argument("output", metavar="BESTAND", help="het .xlsx-bestand om te schrijven")
    _add_gebied(t)
    t.set_defaults(func=cmd_sjabloon)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kpi", description="Binnenstadmonitor")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("status", help="toon de KPI-tabel")
    s.add_argument("--json", action="store_true", help="JSON-lijst, één object per KPI")
    s.add_argument("--as-of", type=_moment, default=None, metavar="DATUM[TTIJD]",
                   help="de stand zoals bekend op een datum (einde van de dag) of tijdstip (Nederlandse tijd), "
                        "bijv. 2026-11-23T14:05")
    _add_gebied(s)
    s.set_defaults(func=cmd_status)
    d = sub.add_parser("demo", help="de werkgroep van de benchmark toevoegen (fictieve centra) en illustratieve "
                                    "waarden tellen, of alles wat illustratief is verwijderen")
    d.add_argument("--remove", action="store_true",
                   help="verwijder alle illustratieve waarden en de fictieve centra")
    _add_gebied(d)
    d.set_defaults(func=cmd_demo)
    i = sub.add_parser("init", help="database aanmaken/migreren en zo nodig vullen")
    i.set_defaults(func=cmd_init)
    _add_report_parser(sub)
    _add_import_parsers(sub)
    _add_acties_parser(sub)
    _add_publish_parsers(sub)
    _add_sjabloon_parser(sub)
    _add_briefing_parser(sub)
    _add_centre_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except MappingError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        # Every command that reads or writes one centre's data takes --gebied (issue 21.1).
        try:
            settings = with_centre(settings, getattr(args, "gebied", None))
            if getattr(args, "gebied", None) is not None:
                args.gebied = settings.area
        except UnknownCentre:
            if args.func is not cmd_opendata:  # opendata names an unknown area itself (exit 4)
                raise
        return args.func(args, settings)
    except UnknownCentre as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
