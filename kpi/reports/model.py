"""What every briefing export shows, gathered once: the KPIs, events and data currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import events as event_store
from kpi import formatting as fmt
from kpi import repository, statuses
from kpi.charts import kpi_figure
from kpi.metrics import BELOW_NATIONAL, KpiResult
from kpi.service import Snapshot, evaluate_snapshot, load_snapshot, settings_areas
from kpi.settings import Settings
from kpi.text import relative_decimals, summary_sentence, target_label
from kpi.text import value_text as newest_value_text

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
    snapshot: Snapshot, settings: Settings, today: dt.date, events: pd.DataFrame, batches: pd.DataFrame
) -> ReportData:
    """A report from data already loaded (the UI passes its cached frames)."""
    return ReportData(
        area=settings.area, today=today, as_of=snapshot.as_of, generated_at=repository.utcnow(),
        results=evaluate_snapshot(snapshot, settings, today), events=events,
        last_import=last_import(batches, snapshot.as_of),
    )


def load_report(
    engine: Engine, settings: Settings, today: dt.date | None = None, as_of: dt.datetime | None = None
) -> ReportData:
    """Load and evaluate everything a report shows (as known at `as_of`, UTC; status on `today`,
    by default the as-of date, so a past briefing comes out as it was)."""
    today = today or (as_of.date() if as_of else dt.date.today())
    return assemble(
        load_snapshot(engine, as_of, settings_areas(settings)), settings, today,
        event_store.list_events(engine, as_of=as_of, area=settings.area), repository.load_batches(engine),
    )


def figure(report: ReportData, r: KpiResult, height: int = PDF_CHART_PX[1]):
    """The KPI's chart with its events, as shown in every export."""
    return kpi_figure(r, report.events_for(r.indicator.code), height=height)


def status_word(status: str) -> str:
    """The status in words with its icon: '✔ gehaald' (never colour alone)."""
    return statuses.labelled(status)


def value_text(r: KpiResult) -> str:
    """The newest value formatted (one more decimal where rounding would flip meets/misses),
    marked when the verdict rests on illustrative values."""
    if r.latest is None:
        return "–"
    text = newest_value_text(r)
    return text + " (illustratief)" if r.illustrative else text


def status_text(r: KpiResult) -> str:
    """Status word with icon, marked when the verdict rests on illustrative values."""
    return status_word(r.status) + (" (illustratief)" if r.illustrative else "")


def peildatum_text(r: KpiResult) -> str:
    """The newest peildatum formatted, or '–'."""
    return fmt.peildatum(r.latest.peildatum, r.latest.precision) if r.latest else "–"


def key_figures(r: KpiResult) -> list[tuple[str, str]]:
    """The key figures of a KPI as (label, value) in Dutch, for report pages and slides."""
    ind = r.indicator
    rows = [
        ("Nieuwste waarde", value_text(r)),
        ("Peildatum", peildatum_text(r)),
        ("Doel", target_label(r)),
        ("Status", status_text(r)),
    ]
    if r.target.horizon is not None:
        rows.append(("Horizon", f"{r.target.horizon} (aanname)" if r.target.horizon_assumed else str(r.target.horizon)))
    if r.progress_pct is not None:
        rows.append(("Voortgang van basis naar doel", fmt.percent_against(r.progress_pct)))
    if r.change is not None and r.previous is not None:
        rows.append((f"Verandering t.o.v. {fmt.peildatum(r.previous.peildatum, r.previous.precision)}",
                     fmt.signed(r.change, ind.unit, ind.decimals)))
    if r.target.comparison == BELOW_NATIONAL and r.gap_pp is not None:
        rows.append(("Verschil met landelijk", fmt.signed(r.gap_pp, "procent", relative_decimals(r))))
    if r.projected_at_target_year is not None and r.target.horizon:
        rows.append((f"Bij huidig tempo in {r.target.horizon}",
                     fmt.value(r.projected_at_target_year, ind.unit, ind.decimals)))
    if r.year_reached is not None:
        rows.append(("Doel bereikt bij huidig tempo", str(r.year_reached)))
    return rows


def status_table(results: list[KpiResult]) -> pd.DataFrame:
    """One Dutch row per KPI: name, value, peildatum, target, status in words."""
    return pd.DataFrame(
        [
            {"KPI": r.indicator.name, "Waarde": value_text(r), "Peildatum": peildatum_text(r),
             "Doel": target_label(r), "Status": status_word(r.status)}
            for r in results
        ],
        columns=["KPI", "Waarde", "Peildatum", "Doel", "Status"],
    )


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


def _iso(day: pd.Timestamp, precision: str) -> str:
    return str(day.year) if precision == "jaar" else day.date().isoformat()


def figures_frame(report: ReportData) -> pd.DataFrame:
    """Every figure behind the KPIs, machine-readable (for CSV and XLSX)."""
    rows = []
    for r in report.results:
        ind = r.indicator
        frames = [r.series]
        if not r.national_series.empty:
            frames.append(r.national_series)
        for frame in frames:
            for _, o in frame.iterrows():
                rows.append({
                    "gebied": o["area"], "indicator": ind.code, "kpi": ind.name,
                    "peildatum": _iso(o["peildatum"], o["precision"]), "precisie": o["precision"],
                    "waarde": float(o["value"]), "eenheid": ind.unit, "bron": o["source"],
                    "toelichting": o["note"], "illustratief": bool(o["illustrative"]),
                    "importbatch": None if pd.isna(o["batch_id"]) else int(o["batch_id"]),
                    "vastgelegd_utc": pd.Timestamp(o["recorded_at"]).to_pydatetime(),
                })
    cols = ["gebied", "indicator", "kpi", "peildatum", "precisie", "waarde", "eenheid", "bron",
            "toelichting", "illustratief", "importbatch", "vastgelegd_utc"]
    return pd.DataFrame(rows, columns=cols)


def status_frame(report: ReportData) -> pd.DataFrame:
    """The status of every KPI, machine-readable (values unformatted)."""
    rows = []
    for r in report.results:
        rows.append({
            "indicator": r.indicator.code, "kpi": r.indicator.name, "gebied": r.area,
            "waarde": None if r.latest is None else r.latest.value, "eenheid": r.indicator.unit,
            "peildatum": None if r.latest is None else _iso(r.latest.peildatum, r.latest.precision),
            "doel": target_label(r), "doelwaarde": r.target_display_value,
            "doeljaar": r.target.target_year, "status": r.status, "toelichting_status": r.status_reason,
            "illustratief": r.illustrative,
            "samenvatting": summary_sentence(r),
        })
    cols = ["indicator", "kpi", "gebied", "waarde", "eenheid", "peildatum", "doel", "doelwaarde",
            "doeljaar", "status", "toelichting_status", "illustratief", "samenvatting"]
    return pd.DataFrame(rows, columns=cols)


def events_frame(report: ReportData) -> pd.DataFrame:
    """The events in the report, machine-readable."""
    names = {r.indicator.code: r.indicator.name for r in report.results}
    ev = report.events
    return pd.DataFrame({
        "datum": [pd.Timestamp(d).date().isoformat() for d in ev["event_date"]],
        "gebeurtenis": ev["text"],
        "kpi": [names.get(c, c) if c else "alle KPI's" for c in ev["indicator"]],
    }, columns=["datum", "gebeurtenis", "kpi"])


def known_at(moment: dt.datetime) -> str:
    """'23-11-2026 (einde van de dag, UTC)' or '23-11-2026 14:05 (UTC)'."""
    if moment.time() == dt.time.max:
        return f"{fmt.peildatum(moment.date(), 'dag')} (einde van de dag, UTC)"
    return f"{fmt.timestamp(moment)} (UTC)"


def currency_lines(report: ReportData) -> list[str]:
    """Dutch lines about the data's currency for title pages."""
    lines = [f"Gemaakt op {fmt.timestamp(report.generated_at)} (UTC)"]
    if report.as_of is not None:
        lines.append(f"Gegevens zoals bekend op {known_at(report.as_of)}")
    lines.append(f"Status bepaald op {fmt.peildatum(report.today, 'dag')}")
    lines.append(f"Nieuwste peildatum: {report.newest_peildatum}")
    lines.append(f"Laatste import: {fmt.timestamp(report.last_import)} (UTC)")
    return lines
