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
from kpi.briefing import store as briefing_store
from kpi.briefing.model import CONCEPT, BriefingInfo, Duiding
from kpi.briefing.period import period_of
from kpi.briefing.record import contact_line, with_stored_settings
from kpi.charts import kpi_figure
from kpi.metrics import KpiResult
from kpi.reports.errors import ReportError
from kpi.service import Snapshot, evaluate_snapshot, load_snapshot, settings_areas
from kpi.settings import Settings
from kpi.werkplan.brief import WerkplanBrief, load_brief

ILLUSTRATIVE_NOTICE = (
    "Let op: dit rapport bevat illustratieve waarden (demo), geen metingen. Ze zijn "
    "gemarkeerd met ‘illustratief’ en als open rondjes in de grafieken."
)
KPI_ILLUSTRATIVE_NOTICE = "Let op: het oordeel over deze KPI rust op illustratieve waarden (demo), geen metingen."
KPI_GREYED_NOTICE = "Illustratieve waarden (demo) staan grijs in de grafiek en tellen niet mee: er zijn echte metingen."
# Layout pixels of the chart images; documents scale them to their width, so fewer pixels
# mean larger type: about 8 pt on an A4 page, 11 pt on a 16:9 slide.
PDF_CHART_PX = (900, 470)
DECK_CHART_PX = (800, 424)


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
    return replace(report, generated_at=record["made_at"], duiding=duiding,
                   briefing=briefing_store.briefing_info(record, previous, contact_line(settings)))


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
    report = assemble(
        load_snapshot(engine, as_of, settings_areas(settings)), settings, today,
        event_store.list_events(engine, as_of=as_of, area=settings.area), repository.load_batches(engine),
    )
    names = {r.indicator.code: r.indicator.name for r in report.results}
    duiding, info = briefing_context(engine, settings, as_of, today, period)
    return replace(report, werkplan=load_brief(engine, as_of, today, names), duiding=duiding, briefing=info)


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
