"""What every briefing export shows, gathered once: the KPIs, events and data currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import events as event_store
from kpi import formatting as fmt
from kpi import repository
from kpi import werkplan as wp
from kpi.briefing import store as briefing_store
from kpi.briefing.model import CONCEPT, BriefingInfo, Duiding
from kpi.briefing.period import period_of
from kpi.briefing.record import contact_line, with_stored_settings
from kpi.changes import Changes, compare, installed_at
from kpi.charts import kpi_figure
from kpi.metrics import KpiResult
from kpi.reports.errors import ReportError
from kpi.service import Snapshot, evaluate_snapshot, load_snapshot, settings_areas
from kpi.settings import Settings
from kpi.werkplan import store as werkplan_store
from kpi.werkplan.brief import LOOK_BACK, WerkplanBrief, load_brief
from kpi.werkplan.tables import changes_table

# Layout pixels of the chart images; documents scale them to their width, so fewer pixels
# mean larger type: about 8 pt on an A4 page (the PNG download per chart).
PDF_CHART_PX = (900, 470)


@dataclass(frozen=True)
class SinceLast:
    """What changed since the last briefing (issue 20.4): figures and actions, and the moment
    compared with, in words (the previous definitive briefing, or the stated fallback)."""

    moment: dt.datetime      # naive UTC: the data as known then is compared with the report's
    basis: str               # Dutch: why this moment ('de vorige definitieve briefing van ...')
    figures: Changes
    actions: pd.DataFrame    # kpi.werkplan.tables.changes_table


@dataclass(frozen=True)
class ReportData:
    """The KPIs of the monitored area as known at `as_of` (None: now), evaluated on `today`."""

    area: str
    today: dt.date
    as_of: dt.datetime | None
    generated_at: dt.datetime
    results: list[KpiResult]
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    last_import: dt.datetime | None = None
    # The werkplan pages (kpi.werkplan.brief); None: the report has none.
    werkplan: WerkplanBrief | None = None
    # Issue 20: the regiegroep's duiding per indicator code for this briefing's period, and
    # which briefing this is (None: an ad-hoc export, treated as a concept).
    duiding: Mapping[str, Duiding] = field(default_factory=dict)
    briefing: BriefingInfo | None = None
    # The werkplan's frames (actions with budget, fund, KPIs; themes) for "Wat doen we eraan" and
    # "Wat mag het kosten", and what changed since the last briefing.
    plan: wp.Werkplan | None = None
    since_last: SinceLast | None = None

    @property
    def concept(self) -> bool:
        """A draft: every page says "concept" (an ad-hoc export is one too)."""
        from kpi.briefing.model import DEFINITIEF

        return self.briefing is None or self.briefing.state != DEFINITIEF

    @property
    def illustrative(self) -> bool:
        """True when any KPI shows an illustrative value (counting or greyed)."""
        return any(r.shows_illustrative for r in self.results)

    @property
    def newest_peildatum(self) -> str:
        """The newest peildatum over the KPIs, formatted ('1-1-2025', '2024' or '–')."""
        latest = [r.latest for r in self.results if r.latest is not None]
        if not latest:
            return "–"
        m = max(latest, key=lambda m: (m.peildatum, m.precision == "dag"))
        return fmt.peildatum(m.peildatum, m.precision)

    def events_for(self, code: str) -> pd.DataFrame:
        """The events shown with one KPI: its own and those without a KPI."""
        return event_store.for_indicator(self.events, code)


def last_import(batches: pd.DataFrame, as_of: dt.datetime | None = None) -> dt.datetime | None:
    """When data was last loaded (newest import batch not undone, as known at `as_of`)."""
    # The as-of rule of repository.known_at, applied in pandas to a batches frame the page already holds.
    if batches.empty:
        return None
    created = pd.to_datetime(batches["created_at"])
    undone = pd.to_datetime(batches["undone_at"])
    if as_of is None:
        keep = undone.isna()
    else:
        moment = pd.Timestamp(as_of)
        keep = (created <= moment) & (undone.isna() | (undone > moment))
    if not keep.any():
        return None
    return created[keep].max().to_pydatetime()


def assemble(
    snapshot: Snapshot, settings: Settings, today: dt.date, events: pd.DataFrame, batches: pd.DataFrame,
    werkplan: WerkplanBrief | None = None, duiding: Mapping[str, Duiding] | None = None,
    briefing: BriefingInfo | None = None,
) -> ReportData:
    """A report from data already loaded (the UI passes its cached frames)."""
    return ReportData(
        area=settings.area, today=today, as_of=snapshot.as_of, generated_at=repository.utcnow(),
        results=evaluate_snapshot(snapshot, settings, today), events=events,
        last_import=last_import(batches, snapshot.as_of), werkplan=werkplan,
        duiding=dict(duiding or {}), briefing=briefing,
    )


def briefing_context(engine: Engine, settings: Settings, as_of: dt.datetime | None, today: dt.date,
                     period: str | None = None) -> tuple[dict[str, Duiding], BriefingInfo]:
    """The duiding in force for `period` (default: the period `today` falls in) as known at
    `as_of`, and the BriefingInfo of an ad-hoc (concept) briefing: no number, the previous
    definitief briefing made before `as_of`."""
    period = period or period_of(today)
    duiding = briefing_store.current_duiding(engine, settings.area, period, as_of=as_of)
    previous = briefing_store.previous_definitief(engine, settings.area, as_of)
    return duiding, BriefingInfo(period=period, state=CONCEPT, previous_at=previous, contact=contact_line(settings))


def _stored_briefing(engine: Engine, settings: Settings, number: int) -> ReportData:
    """A stored briefing made again from what it recorded: the moment of its data, the
    duiding versions it used and its settings; dated as when it was made."""
    record = briefing_store.load_briefing(engine, number)
    if record is None:
        raise ReportError(f"Briefing {number} bestaat niet.")
    settings = with_stored_settings(settings, record["settings_json"])
    as_of = record["data_as_of"]
    today = fmt.local(as_of).date()
    report = load_report(engine, settings, today=today, as_of=as_of)
    duiding = briefing_store.by_indicator(briefing_store.duiding_versions(engine, record["duiding_ids"]))
    previous = briefing_store.previous_definitief(engine, record["area"], record["made_at"], excluding=int(number))
    # Again with this briefing's own previous one: what changed is counted from there.
    return with_documents(engine, settings, replace(
        report, generated_at=record["made_at"], duiding=duiding,
        briefing=briefing_store.briefing_info(record, previous, contact_line(settings))))


def load_report(
    engine: Engine, settings: Settings, today: dt.date | None = None, as_of: dt.datetime | None = None, *,
    period: str | None = None, briefing: int | None = None,
) -> ReportData:
    """Load and evaluate everything a report shows (as known at `as_of`, UTC; status on `today`,
    by default the as-of date, so a past briefing comes out as it was), with the duiding of
    `period` (default: the period of `today`). `briefing`: the stored briefing with this number,
    made again from what it recorded (`today`, `as_of` and `period` are then its own)."""
    if briefing is not None:
        return _stored_briefing(engine, settings, briefing)
    today = today or (as_of.date() if as_of else dt.date.today())
    snapshot = load_snapshot(engine, as_of, settings_areas(settings))
    report = assemble(
        snapshot, settings, today,
        event_store.list_events(engine, as_of=as_of, area=settings.area), repository.load_batches(engine),
    )
    names = {r.indicator.code: r.indicator.name for r in report.results}
    duiding, info = briefing_context(engine, settings, as_of, today, period)
    return with_documents(engine, settings, replace(report, werkplan=load_brief(engine, settings.area, as_of, today, names),
                                                    duiding=duiding, briefing=info), snapshot)


def with_documents(engine: Engine, settings: Settings, report: ReportData, snapshot: Snapshot | None = None) -> ReportData:
    """`report` with what only the documents read (issue 20): the werkplan's frames (money, actions
    per KPI) and what changed since `report.briefing.previous_at` (else four weeks back). Call it
    again after setting another briefing; `snapshot`: the report's own data, when already loaded."""
    now = snapshot if snapshot is not None else load_snapshot(engine, report.as_of, settings_areas(settings))
    plan = wp.load_werkplan(engine, settings.area, report.as_of)
    return replace(report, plan=plan,
                   since_last=since_last(engine, settings, now, plan, report.today, report.briefing))


def since_last(engine: Engine, settings: Settings, now: Snapshot, plan: wp.Werkplan, today: dt.date,
               briefing: BriefingInfo | None) -> SinceLast:
    """Figures and actions changed since the previous definitive briefing, or, without one, since
    four weeks before the report's moment (the regiegroep's meeting interval), said in words."""
    until = now.as_of or repository.utcnow()
    if briefing is not None and briefing.previous_at is not None:
        wanted = briefing.previous_at
        basis = f"de vorige definitieve briefing ({fmt.timestamp(wanted)})"
    else:
        wanted = fmt.end_of_day(fmt.local(until).date() - LOOK_BACK)
        basis = (f"vier weken eerder ({fmt.peildatum(fmt.local(wanted).date(), 'dag')}): er is nog geen "
                 "eerdere definitieve briefing")
    moment, installed = fmt.compared_moment(min(wanted, until), installed_at(now.observations))
    if installed is not None:
        basis += f"; dat ligt vóór de installatie, dus vergeleken met de startgegevens van {fmt.timestamp(installed)}"
    before = load_snapshot(engine, moment, settings_areas(settings))
    figures = compare(before, now, settings, fmt.local(moment).date(), today, installed=installed)
    act_moment, _ = fmt.compared_moment(moment, werkplan_store.installed_at(engine, settings.area))
    actions_before = werkplan_store.load_actions(engine, settings.area, act_moment)
    actions = changes_table(wp.action_changes(actions_before, plan.actions), plan.themes)
    return SinceLast(moment=moment, basis=basis, figures=figures, actions=actions)


def figure(report: ReportData, r: KpiResult, height: int = PDF_CHART_PX[1]):
    """The KPI's chart with its events, as shown in every export."""
    return kpi_figure(r, report.events_for(r.indicator.code), height=height)


def sources(r: KpiResult) -> list[str]:
    """The distinct sources behind a KPI's figures, newest measurement's source first."""
    found: list[str] = []
    frames = [r.series.iloc[::-1]]
    if not r.national_series.empty:
        frames.append(r.national_series.iloc[::-1])
    for frame in frames:
        for s in frame["source"] if not frame.empty else []:
            if s and s not in found:
                found.append(str(s))
    return found


def known_at(moment: dt.datetime) -> str:
    """A stored moment (naive UTC) in Amsterdam time: '23-11-2026 (einde van de dag)' or
    '23-11-2026 14:05'."""
    shown = fmt.local(moment)
    if shown.time() == dt.time.max:
        return f"{fmt.peildatum(shown.date(), 'dag')} (einde van de dag)"
    return fmt.timestamp(moment)


def currency_lines(report: ReportData) -> list[str]:
    """Dutch lines about the data's currency for title pages."""
    lines = [f"Gemaakt op {fmt.timestamp(report.generated_at)}"]
    if report.as_of is not None:
        lines.append(f"Gegevens zoals bekend op {known_at(report.as_of)}")
    lines.append(f"Status bepaald op {fmt.peildatum(report.today, 'dag')}")
    lines.append(f"Nieuwste peildatum: {report.newest_peildatum}")
    lines.append(f"Laatste import: {fmt.timestamp(report.last_import)}")
    return lines
