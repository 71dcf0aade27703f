"""Display tables: pure functions from domain objects to the frames pages, reports and
exports show, so the screen, the raad's PDF and the downloads never disagree.

Dutch column headers are the edge (what a reader sees); inputs are the domain's English
frames and KpiResults.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi import formatting as fmt
from kpi import statuses
from kpi.changes import Changes
from kpi.metrics import BELOW_NATIONAL, INCREASE, KpiResult
from kpi.periods import iso_peildatum
from kpi.text import (
    batch_label,
    kind_label,
    plain,
    relative_decimals,
    summary_sentence,
    target_label,
    target_line_text,
    who_label,
)
from kpi.text import value_text as newest_value_text
from kpi.units import unit as unit_row

# ---- one KPI ---------------------------------------------------------------------------

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


@dataclass(frozen=True)
class SummaryLine:
    """One KPI on the overview's first screen: what a board member reads at a glance."""

    code: str
    name: str
    value: str  # '4.210', '13,8%', 'plaats 33'; '–' without a measurement
    peildatum: str  # '2025', '1-1-2025'; 'nog geen meting'
    status: statuses.Status  # word, icon and colour from the one status table
    illustrative: bool  # the verdict rests on illustrative values
    target: str  # 'doel 5.000 in 2030*' (* an assumed horizon): what the status word is measured against


def summary_lines(results: list[KpiResult]) -> list[SummaryLine]:
    """One line per KPI, in the order of the cards: name, newest value, peildatum, status."""
    return [
        SummaryLine(
            code=r.indicator.code, name=r.indicator.name,
            value=newest_value_text(r) if r.latest else "–",
            peildatum=peildatum_text(r) if r.latest else "nog geen meting",
            status=statuses.status(r.status), illustrative=r.illustrative, target=target_line_text(r),
        )
        for r in results
    ]


@dataclass(frozen=True)
class AgreementGroup:
    """The KPIs of one agreement (akkoord) on the overview, with what a reader needs to place it."""

    name: str  # '' for KPIs whose target names no agreement
    heading: str  # 'Binnenstadsvisie Assen 2021'
    about: str  # '7-2-2018 · gemeente Assen; Vaart in Assen' (+ ' · afgesloten op …: eindoordeel …')
    source: str  # where the agreement is published ('' when not known)
    closed: bool  # afgesloten: the verdicts are final, evaluated at the end date
    results: tuple[KpiResult, ...]

    @property
    def lines(self) -> list[SummaryLine]:
        return summary_lines(list(self.results))


def agreement_groups(results: list[KpiResult]) -> list[AgreementGroup]:
    """The KPIs grouped by agreement, newest agreement first (date, then name), KPIs without an
    agreement last; within a group the indicators keep their display order."""
    groups: dict[str, list[KpiResult]] = {}
    for r in results:
        groups.setdefault(r.target.agreement, []).append(r)

    def key(name: str):
        day = groups[name][0].target.agreement_date
        return (name == "", -day.toordinal() if day is not None else 0, name)

    out = []
    for name in sorted(groups, key=key):
        t = groups[name][0].target
        parts = [fmt.day(t.agreement_date) if t.agreement_date is not None else "datum onbekend"]
        parts.append(t.agreement_parties or "partijen onbekend")
        if t.agreement_end is not None:
            parts.append(f"afgesloten op {fmt.day(t.agreement_end)}: eindoordeel op die datum")
        out.append(AgreementGroup(name=name, heading=name or "Zonder akkoord",
                                  about=" · ".join(parts) if name else "doelen zonder akkoord",
                                  source=t.agreement_source,
                                  closed=t.agreement_end is not None, results=tuple(groups[name])))
    return out


def monitored_table(observations: pd.DataFrame, code: str, unit: str, decimals: int) -> pd.DataFrame:
    """The figures of an indicator without a target (a monitored indicator), oldest first."""
    df = observations[observations["indicator"] == code].sort_values(["peildatum", "area"], kind="stable")
    return pd.DataFrame({
        "Gebied": [plain(a) for a in df["area"]],
        "Peildatum": [fmt.peildatum(d, p) for d, p in zip(df["peildatum"], df["precision"])],
        "Waarde": [fmt.value(v, unit, decimals) for v in df["value"]],
        "Illustratief": ["ja" if i else "nee" for i in df["illustrative"]],
        "Bron": [plain(x) for x in df["source"]],
    })


def monitored_newest(table: pd.DataFrame, area: str) -> pd.Series | None:
    """The row of monitored_table that the page's sentence names as the newest figure: the chosen
    centre's newest; another area's (the benchmark's) only when the centre has no figure at all.
    The table is oldest first with areas by name, so on one date the last row is often
    'Nederland', which is not the centre's own figure."""
    if table.empty:
        return None
    own = table[table["Gebied"] == plain(area)]
    return (own if not own.empty else table).iloc[-1]


# The KPI page shows at most this many measurements (the newest); the CSV download has them all.
TABLE_ROWS = 500


def measurement_count(r: KpiResult) -> int:
    """How many measurements provenance_table has without a limit (own and national)."""
    return len(r.series) + len(r.national_series)


def provenance_table(r: KpiResult, limit: int | None = None) -> pd.DataFrame:
    """The measurements behind a KPI with peildatum, source, import batch and demo flag, oldest
    first; with `limit`, only that many of the newest (cut before formatting: daily data)."""
    ind = r.indicator
    frames = [r.series.assign(gebied=r.area)]
    if not r.national_series.empty:
        frames.append(r.national_series.assign(gebied="Landelijk"))
    if limit is not None:
        frames = [f.sort_values("peildatum", kind="stable").tail(limit) for f in frames]
    df = pd.concat(frames, ignore_index=True).sort_values(["peildatum", "gebied"], kind="stable")
    if limit is not None:
        df = df.tail(limit)
    return pd.DataFrame({
        "Gebied": df["gebied"],
        "Peildatum": [fmt.peildatum(d, p) for d, p in zip(df["peildatum"], df["precision"])],
        "Waarde": [fmt.value(v, ind.unit, ind.decimals) for v in df["value"]],
        "Illustratief": [("ja – telt mee" if c else "ja – telt niet mee") if i else "nee"
                         for i, c in zip(df["illustrative"], df["counts"])],
        "Bron": [plain(s) for s in df["source"]],
        "Toelichting": [plain(n) for n in df["note"]],
        "Herkomst": [batch_label(k, f, b) for k, f, b in zip(df["batch_kind"], df["batch_file"], df["batch_id"])],
        "Vastgelegd": [fmt.timestamp(pd.Timestamp(t)) for t in df["recorded_at"]],
    })


EXPORT_COLUMNS = ["gebied", "indicator", "peildatum", "waarde", "bron", "toelichting", "illustratief", "importbatch"]


def export_frame(r: KpiResult) -> pd.DataFrame:
    """One KPI's figures for its CSV download: the report's figures, fewer columns."""
    frame = figures_frame([r])[EXPORT_COLUMNS]
    return frame.sort_values(["peildatum", "gebied"], kind="stable").reset_index(drop=True)


# ---- every KPI: reports and exports ------------------------------------------------------

def figures_frame(results: list[KpiResult]) -> pd.DataFrame:
    """Every figure behind the KPIs, machine-readable (for CSV and XLSX)."""
    rows = []
    for r in results:
        ind = r.indicator
        frames = [r.series]
        if not r.national_series.empty:
            frames.append(r.national_series)
        for frame in frames:
            for _, o in frame.iterrows():
                rows.append({
                    "gebied": o["area"], "indicator": ind.code, "kpi": ind.name,
                    "peildatum": iso_peildatum(o["peildatum"], o["precision"]), "precisie": o["precision"],
                    "waarde": float(o["value"]), "eenheid": ind.unit, "bron": o["source"],
                    "toelichting": o["note"], "illustratief": bool(o["illustrative"]),
                    "importbatch": None if pd.isna(o["batch_id"]) else int(o["batch_id"]),
                    "vastgelegd_utc": pd.Timestamp(o["recorded_at"]).to_pydatetime(),
                })
    cols = ["gebied", "indicator", "kpi", "peildatum", "precisie", "waarde", "eenheid", "bron",
            "toelichting", "illustratief", "importbatch", "vastgelegd_utc"]
    return pd.DataFrame(rows, columns=cols)


def status_frame(results: list[KpiResult]) -> pd.DataFrame:
    """The status of every KPI, machine-readable (values unformatted)."""
    rows = []
    for r in results:
        rows.append({
            "indicator": r.indicator.code, "kpi": r.indicator.name, "gebied": r.area,
            "waarde": None if r.latest is None else r.latest.value, "eenheid": r.indicator.unit,
            "peildatum": None if r.latest is None else iso_peildatum(r.latest.peildatum, r.latest.precision),
            "doel": target_label(r), "doelwaarde": r.target_display_value,
            "doeljaar": r.target.target_year, "status": r.status, "toelichting_status": r.status_reason,
            "illustratief": r.illustrative,
            "samenvatting": summary_sentence(r),
        })
    cols = ["indicator", "kpi", "gebied", "waarde", "eenheid", "peildatum", "doel", "doelwaarde",
            "doeljaar", "status", "toelichting_status", "illustratief", "samenvatting"]
    return pd.DataFrame(rows, columns=cols)


# The machine-readable column names (CSV, open data: a stable format) as people read them in
# the XLSX export (issue 19.16).
PEOPLE_HEADERS = {
    "gebied": "Gebied", "indicator": "Indicator (code)", "kpi": "KPI", "peildatum": "Peildatum",
    "precisie": "Precisie", "waarde": "Waarde", "eenheid": "Eenheid", "bron": "Bron",
    "toelichting": "Toelichting", "illustratief": "Illustratief", "importbatch": "Importbatch",
    "vastgelegd_utc": "Vastgelegd (UTC)", "doel": "Doel", "doelwaarde": "Doelwaarde", "doeljaar": "Doeljaar",
    "status": "Status", "toelichting_status": "Toelichting status", "samenvatting": "Samenvatting",
    "datum": "Datum", "gebeurtenis": "Gebeurtenis",
}


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """A machine-readable export frame with the column names people read ('Toelichting status')."""
    return frame.rename(columns=PEOPLE_HEADERS)


def events_frame(events: pd.DataFrame, results: list[KpiResult]) -> pd.DataFrame:
    """The events in a report, machine-readable."""
    names = {r.indicator.code: r.indicator.name for r in results}
    ev = events
    return pd.DataFrame({
        "datum": [pd.Timestamp(d).date().isoformat() for d in ev["event_date"]],
        "gebeurtenis": ev["text"],
        "kpi": [names.get(c, c) if c else "alle KPI's" for c in ev["indicator"]],
    }, columns=["datum", "gebeurtenis", "kpi"])


# ---- what changed -----------------------------------------------------------------------

def _measurement_table(ch: Changes, frame: pd.DataFrame, columns: list[str], cells) -> pd.DataFrame:
    """One Dutch row per measurement: KPI, Gebied, Peildatum, then `cells(m, value_text)`,
    where value_text(value, illustrative) formats a value in the KPI's unit."""
    rows = []
    for _, m in frame.iterrows():
        code = m["indicator"]
        if code in ch.indicators.index:
            ind = ch.indicators.loc[code]
            name, unit, dec = str(ind["name"]), str(ind["unit"]), int(ind["decimals"])
        else:
            name, unit, dec = code, "aantal", 0

        def value_text(v, illustrative, unit=unit, dec=dec) -> str:
            return fmt.value(v, unit, dec) + (" (illustratief)" if illustrative else "")

        rows.append({"KPI": name, "Gebied": m["area"], "Peildatum": fmt.peildatum(m["peildatum"], m["precision"]),
                     **cells(m, value_text)})
    return pd.DataFrame(rows, columns=["KPI", "Gebied", "Peildatum", *columns])


def new_table(ch: Changes) -> pd.DataFrame:
    """The new measurements as a Dutch table."""
    return _measurement_table(ch, ch.new, ["Waarde", "Bron", "Vastgelegd"], lambda m, v: {
        "Waarde": v(m["value"], bool(m["illustrative"])), "Bron": m["source"],
        "Vastgelegd": fmt.timestamp(pd.Timestamp(m["recorded_at"]))})


def revised_table(ch: Changes) -> pd.DataFrame:
    """The revised values as a Dutch table: was, is, and when."""
    return _measurement_table(ch, ch.revised, ["Was", "Is nu", "Bron", "Herzien op"], lambda m, v: {
        "Was": v(m["value_before"], bool(m["illustrative_before"])),
        "Is nu": v(m["value_after"], bool(m["illustrative_after"])),
        "Bron": m["source_after"], "Herzien op": fmt.timestamp(pd.Timestamp(m["recorded_at"]))})


def withdrawn_table(ch: Changes) -> pd.DataFrame:
    """The values an undone import had brought, as a Dutch table: what was withdrawn, what is back."""
    return _measurement_table(ch, ch.withdrawn, ["Ingetrokken", "Weer geldig", "Bron", "Ingetrokken op"],
                              lambda m, v: {
        "Ingetrokken": v(m["value_before"], bool(m["illustrative_before"])),
        "Weer geldig": v(m["value_after"], bool(m["illustrative_after"])),
        "Bron": m["source_after"], "Ingetrokken op": fmt.timestamp(pd.Timestamp(m["recorded_at"]))})


def removed_table(ch: Changes) -> pd.DataFrame:
    """The measurements no longer current, as a Dutch table."""
    return _measurement_table(ch, ch.removed, ["Waarde", "Bron"], lambda m, v: {
        "Waarde": v(m["value"], bool(m["illustrative"])), "Bron": m["source"]})


def status_changes_table(ch: Changes) -> pd.DataFrame:
    """The status changes as a Dutch table."""
    return pd.DataFrame({
        "KPI": ch.statuses["name"],
        "Was": [s if s else "(toen nog niet in het dashboard)" for s in ch.statuses["status_before"]],
        "Is nu": ch.statuses["status_after"],
        "Waarom": ch.statuses["reason_after"],
    }, columns=["KPI", "Was", "Is nu", "Waarom"])


def target_changes_table(ch: Changes) -> pd.DataFrame:
    """The target revisions as a Dutch table."""
    return pd.DataFrame({
        "KPI": ch.targets["name"], "Was": ch.targets["target_before"],
        "Is nu": ch.targets["target_after"], "Reden": ch.targets["reason"],
    }, columns=["KPI", "Was", "Is nu", "Reden"])


# ---- editors' pages -----------------------------------------------------------------------

def _year(v) -> str:
    return str(int(v)) if pd.notna(v) else "–"


def target_history_table(history: pd.DataFrame, indicators: dict) -> pd.DataFrame:
    """Every target version (repository.load_target_history) with who recorded it and when;
    `indicators` maps a code to its Indicator, whose unit and decimals format the values
    (a count as '3.800', not '3.800,0')."""
    def name(code: str) -> str:
        ind = indicators.get(code)
        return ind.name if ind is not None else code

    def value(code: str, v) -> str:
        ind = indicators.get(code)
        if not pd.notna(v):
            return "–"
        return fmt.number(v, 1) if ind is None else fmt.value(v, ind.unit, ind.decimals)

    codes = history["indicator"]
    return pd.DataFrame({
        "KPI": [name(c) for c in codes],
        "Versie": history["version"],
        # An increase goal (issue 21) without a basiswaarde counts from a stand that may be unknown.
        "Basis": [("onbekend" if c == INCREASE else "–") if pd.isna(v) else value(code, v)
                  for code, v, c in zip(codes, history["baseline_value"], history["comparison"])],
        "Basisjaar": [_year(v) for v in history["baseline_year"]],
        "Doel": [_goal_text(code, v, c, y, value)
                 for code, v, c, y in zip(codes, history["target_value"], history["comparison"],
                                          history["baseline_year"])],
        "Doeljaar": [_year(v) for v in history["target_year"]],
        # The akkoord's year, else the planning horizon the regiegroep set (an assumption).
        "Horizon": [_year(y) if pd.notna(y) else (f"{int(h)} (aanname)" if pd.notna(h) else "–")
                    for y, h in zip(history["target_year"], history["horizon_year"])],
        "Landelijk bij de start": [value(c, v) for c, v in zip(codes, history["baseline_benchmark"])],
        "Geldig vanaf": [fmt.peildatum(pd.Timestamp(d), "dag") for d in history["valid_from"]],
        "Reden": history["reason"],
        "Bron": history["source"],
        "Door": [who_label(u) for u in history["created_by"]],
        "Vastgelegd": [fmt.timestamp(pd.Timestamp(t)) for t in history["created_at"]],
    })


def events_table(events: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Stored events (events.list_events) for editors: date, text, KPI, area, who and when."""
    return pd.DataFrame({
        "Datum": [fmt.peildatum(d, "dag") for d in events["event_date"]],
        "Gebeurtenis": events["text"],
        "KPI": [names.get(c, c) if c else "Alle KPI's" for c in events["indicator"]],
        "Gebied": [a or "Alle gebieden" for a in events["area"]],
        "Door": events["created_by"],
        "Vastgelegd": [fmt.timestamp(pd.Timestamp(t)) for t in events["created_at"]],
    })


def kpi_events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events on one KPI's chart: date and text."""
    return pd.DataFrame({"Datum": [fmt.peildatum(pd.Timestamp(d), "dag") for d in events["event_date"]],
                         "Gebeurtenis": events["text"]})


def rows_text(total: int, added: int, changed: int, unchanged: int) -> str:
    """What a batch did to its rows in one cell: '3: 1 nieuw, 1 gewijzigd, 1 ongewijzigd' (no zeros)."""
    parts = [f"{fmt.number(n)} {word}" for n, word in ((added, "nieuw"), (changed, "gewijzigd"),
                                                         (unchanged, "ongewijzigd")) if n]
    return f"{fmt.number(total)}: {', '.join(parts)}" if parts else fmt.number(total)


def batches_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Import history (repository.load_batches): file, time, user, undone, rows, checksum.

    Whether a batch is undone comes right after who made it, and the row counts share one column,
    so every column fits beside the menu at 1280 px with the file name whole (issue 19); the
    checksum, for checking a file, comes last."""
    return pd.DataFrame({
        "Batch": batches["id"],
        "Soort": [kind_label(k) for k in batches["kind"]],
        "Bestand": batches["filename"],
        "Tijd": [fmt.timestamp(pd.Timestamp(t)) for t in batches["created_at"]],
        "Door": [who_label(u) for u in batches["created_by"]],
        "Ongedaan gemaakt": [fmt.timestamp(pd.Timestamp(t)) if pd.notna(t) else "nee" for t in batches["undone_at"]],
        "Rijen": [rows_text(int(t), int(a), int(c), int(u)) for t, a, c, u in
                  zip(batches["rows_total"], batches["rows_added"], batches["rows_changed"], batches["rows_unchanged"])],
        "SHA-256": batches["sha256"].str[:16],
    })


def import_change(new: float | None, old: float | None, unit: str, decimals: int) -> str:
    """An imported figure's change from the stored one in words: '3 plaatsen gestegen',
    '−6,8 procentpunt', '+100'; '' when there is no old value or no change."""
    if old is None or new is None or pd.isna(old) or pd.isna(new) or new == old:
        return ""
    return fmt.signed(new - old, unit, max(decimals, unit_row(unit).change_decimals))


def _units(indicators: pd.DataFrame) -> dict[str, tuple[str, int]]:
    """Indicator code -> (unit, decimals), from repository.load_indicators."""
    return {str(c): (str(u), int(d)) for c, u, d in zip(indicators["code"], indicators["unit"], indicators["decimals"])}


def _names(indicators: pd.DataFrame) -> dict[str, str]:
    """Indicator code -> the name users know ('Aantal banen'), from repository.load_indicators."""
    if "name" not in indicators:
        return {}
    return {str(c): str(n) for c, n in zip(indicators["code"], indicators["name"])}


def _year_text(v) -> str:
    return "–" if v is None or pd.isna(v) else str(int(v))


# A target version's fields as a preview shows them: (Dutch label, column, kind); numbers in
# the indicator's decimals, years as years. The CLI preview names the same fields.
TARGET_PREVIEW_FIELDS = (
    ("Doelwaarde", "value", "number"),
    ("Doeljaar", "target_year", "year"),
    ("Planningshorizon", "horizon_year", "year"),
    ("Basiswaarde", "baseline_value", "number"),
    ("Basisjaar", "baseline_year", "year"),
    ("Landelijk bij de start", "baseline_benchmark", "number"),
    ("Vergelijking", "comparison", "code"),
    ("Bron", "source", "text"),
    ("Akkoord", "agreement", "text"),
)


def target_field_texts(row, decimals: int, unit: str = "") -> list[tuple[str, str, str | None]]:
    """(label, new text, old text or None) per field of a previewed target version; old is
    None in a preview of new or unchanged targets. A percentage reads '21,9%' (issue 19.9)."""
    def text(v, kind: str) -> str:
        if kind == "year":
            return _year_text(v)
        if kind == "number":
            shown = fmt.as_imported(None if v is None or pd.isna(v) else float(v), decimals)
            return shown + unit_row(unit).suffix if shown != "–" else shown
        if v is None or pd.isna(v):
            return "–"
        # 'onder_landelijk' is the file's code; people read 'onder landelijk' (issue 19.16).
        return str(v).replace("_", " ") if kind == "code" else str(v)

    out = []
    for label, col, kind in TARGET_PREVIEW_FIELDS:
        old_col = "old_value" if col == "value" else f"old_{col}"
        old = text(row[old_col], kind) if "old_version" in row.index else None
        out.append((label, text(row[col], kind), old))
    return out


def _target_preview(frame: pd.DataFrame, units: dict[str, tuple[str, int]],
                    names: dict[str, str] | None = None) -> pd.DataFrame:
    """A targets import preview: one row per target version, every field (planningshorizon and
    basis_landelijk too); in the changed rows a field reads 'oud → nieuw' where it differs."""
    rows = []
    for _, r in frame.iterrows():
        unit, dec = units.get(str(r["indicator"]), ("", 0))
        row = {"Gebied": r["area"], "Indicator": (names or {}).get(str(r["indicator"]), r["indicator"]),
               "Geldig vanaf": r["peildatum"]}
        changed = "old_version" in r.index
        row["Versie"] = f"{_year_text(r['old_version'])} → {int(r['version'])}" if changed else int(r["version"])
        for label, new, old in target_field_texts(r, dec, unit):
            row[label] = f"{old} → {new}" if old is not None and old != new else new
        row.update({"Reden": r["note"], "Bestand": r["file"], "Rij": r["row"]})
        rows.append(row)
    columns = ["Gebied", "Indicator", "Geldig vanaf", "Versie", *(f[0] for f in TARGET_PREVIEW_FIELDS),
               "Reden", "Bestand", "Rij"]
    return pd.DataFrame(rows, columns=columns)


def preview_table(frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """An import preview frame (importer.Preview.added/changed/unchanged) as a Dutch table, with
    the same figures as the CLI preview: values in the indicator's decimals (more where the file
    gives more), an illustrative old value marked, the change in words ('3 plaatsen gestegen').
    `indicators` is repository.load_indicators (code, unit, decimals)."""
    units = _units(indicators)
    if "version" in frame.columns:
        return _target_preview(frame, units, _names(indicators))
    unit_of = [units.get(str(c), ("", 0)) for c in frame["indicator"]]
    texts: dict[tuple[float, int], str] = {}  # a large file repeats values: format each once

    def value_text(v, unit: str, dec: int) -> str:
        key = (v, unit, dec)
        if key not in texts:
            shown = fmt.as_imported(None if pd.isna(v) else float(v), dec)
            # A percentage reads as one, as everywhere else (issue 19.9): '14,6%', not '14,6'.
            texts[key] = shown + unit_row(unit).suffix if shown != "–" else shown
        return texts[key]

    names = _names(indicators)
    out = {"Gebied": frame["area"], "Indicator": [names.get(str(c), str(c)) for c in frame["indicator"]],
           "Peildatum": frame["peildatum"],
           "Waarde": [value_text(v, unit, dec) for v, (unit, dec) in zip(frame["value"], unit_of)]}
    if "old_value" in frame.columns:
        out["Oude waarde"] = [value_text(v, unit, dec) + (" (illustratief)" if pd.notna(i) and bool(i) else "")
                              for v, i, (unit, dec) in zip(frame["old_value"], frame["old_illustrative"], unit_of)]
        changes: dict[tuple, str] = {}  # keyed on the difference: far fewer distinct ones than rows

        def change_text(n, o, unit: str, dec: int) -> str:
            key = (None if pd.isna(n) or pd.isna(o) else float(n) - float(o), unit, dec)
            if key not in changes:
                changes[key] = import_change(n, o, unit, dec)
            return changes[key]

        out["Verandering"] = [change_text(n, o, unit, dec)
                              for n, o, (unit, dec) in zip(frame["value"], frame["old_value"], unit_of)]
        out.update({"Bron": frame["source"], "Oude bron": frame["old_source"], "Toelichting": frame["note"],
                    "Oude toelichting": frame["old_note"]})
    else:
        out.update({"Bron": frame["source"], "Toelichting": frame["note"]})
    out.update({"Bestand": frame["file"], "Rij": frame["row"]})
    return pd.DataFrame(out).reset_index(drop=True)


def problems_table(problems: list) -> pd.DataFrame:
    """An import's problems (importer.Problem): file, row, column and message."""
    return pd.DataFrame({
        "Bestand": [p.file for p in problems],
        "Rij": [p.row if p.row is not None else "" for p in problems],
        "Kolom": [p.column or "" for p in problems],
        "Probleem": [p.message for p in problems],
    })


def _goal_text(code: str, v, comparison: str, baseline_year, value) -> str:
    """A target version's goal: '5.000', 'onder landelijk', '+700 sinds 2021' (an increase goal)."""
    if pd.isna(v):
        return "onder landelijk" if comparison == BELOW_NATIONAL else "–"
    if comparison == INCREASE:
        text = value(code, v)
        sign = "+" if float(v) > 0 else ""
        return f"{sign}{text}" + (f" sinds {int(baseline_year)}" if pd.notna(baseline_year) else "")
    return value(code, v)


def target_versions_table(history: pd.DataFrame) -> pd.DataFrame:
    """A `target_history_table` for the Bronnen page: baseline with its year, target with its horizon,
    who and when in one column ('6-12-2026 22:07, redacteur'): fewer columns, so the page's wrapping
    table (kpi.werkplan.tables.frame_html) fits every screen."""
    def with_year(value: str, year: str) -> str:
        return value if year == "–" else f"{value} ({year.replace(' (aanname)', ', aanname')})"

    return pd.DataFrame({
        "KPI": history["KPI"], "Versie": history["Versie"],
        "Basis": [with_year(v, y) for v, y in zip(history["Basis"], history["Basisjaar"])],
        "Doel": [with_year(v, h) for v, h in zip(history["Doel"], history["Horizon"])],
        "Landelijk bij de start": history["Landelijk bij de start"],
        "Geldig vanaf": history["Geldig vanaf"], "Reden": history["Reden"], "Bron": history["Bron"],
        "Vastgelegd": [f"{t}, {d}" for t, d in zip(history["Vastgelegd"], history["Door"])],
    })
