"""What the council briefing (raadsinformatiebrief) says, section by section, as plain text and
Dutch tables: the PDF (kpi/reports/pdf.py) and the deck (kpi/reports/deck.py) only lay it out.

Every sentence about a KPI comes from the verdict's own facts (kpi.text, kpi.statuses); nothing
here judges on its own. Order (issue 20): summary in words, all KPIs at a glance, what changed
since the last briefing, what is done about each KPI behind, the werkplan, the money, and the
reading guide with colophon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kpi import formatting as fmt
from kpi import statuses
from kpi import werkplan as wp
from kpi.briefing.model import Duiding
from kpi.briefing.period import period_bounds, period_label
from kpi.changes import headline
from kpi.metrics import BELOW_NATIONAL, KpiResult, required_value_at
from kpi.reports.model import ReportData, currency_lines, sources
from kpi.tables import new_table, revised_table, status_changes_table
from kpi.text import (
    ASSUMED_NOTE,
    horizon_label,
    shown_decimals,
    summary_sentence,
    target_line_text,
    value_text,
)
from kpi.werkplan.tables import actions_table, with_status_symbols

TITLE = "Raadsinformatiebrief binnenstad"
CONCEPT_MARK = "CONCEPT"
BEHIND = (statuses.ACHTER, statuses.RISICO)
# The charts' own legend cannot say this in a small multiple.
GREYED_NOTE = ("Open grijze rondjes zijn illustratieve waarden (demo) die niet meetellen: er zijn echte "
               "metingen.")


# ---- page 1: the summary in words ---------------------------------------------------------------

def version_text(report: ReportData) -> str:
    """'concept' or 'definitief (briefing nr. 3, vastgesteld op 1-3-2027 15:05)'."""
    b = report.briefing
    if report.concept:
        return "concept" + (f" (briefing nr. {b.number})" if b is not None and b.number else
                            " (losse export, geen vastgestelde briefing)" if b is None else "")
    made = f", vastgesteld op {fmt.timestamp(b.made_at)}" if b.made_at else ""
    return f"definitief (briefing nr. {b.number}{made})" if b.number else f"definitief{made}"


def period_text(report: ReportData) -> str:
    """The period the briefing covers (its quarter with first and last day) and the two moments
    whose data it compares; says so when there is nothing earlier to compare with."""
    until = report.as_of or report.generated_at
    name = "Periode: "
    if report.briefing is not None:
        first, last = period_bounds(report.briefing.period)
        name = (f"Periode {report.briefing.period} ({period_label(report.briefing.period)}, "
                f"{fmt.day(first)} t/m {fmt.day(last)}). ")
    if report.since_last is None:
        return f"{name}Gegevens zoals bekend op {fmt.timestamp(until)}."
    since = report.since_last.moment
    if fmt.timestamp(since) == fmt.timestamp(until):
        return (f"{name}Gegevens zoals bekend op {fmt.timestamp(until)}; er is nog geen eerder moment om mee te "
                "vergelijken (de startgegevens zijn toen pas geïnstalleerd).")
    return f"{name}Vergeleken: de gegevens zoals bekend op {fmt.timestamp(since)} en op {fmt.timestamp(until)}."


def akkoord_text(report: ReportData) -> str:
    """What the agreements asked, one sentence per agreement (newest first, as the overview groups
    them) with one clause per KPI, from the stored targets and agreements (issue 21)."""
    if not report.results:
        return "Er zijn nog geen doelen vastgelegd."
    groups: dict[tuple[str, dt.date | None, dt.date | None], list[KpiResult]] = {}
    for r in report.results:
        t = r.target
        key = (t.agreement, t.agreement_date, t.agreement_end) if t is not None else ("", None, None)
        groups.setdefault(key, []).append(r)
    sentences = []
    for (name, date, end), results in sorted(groups.items(), key=lambda g: g[0][1] or dt.date.min, reverse=True):
        asked = "; ".join(f"{r.indicator.name.lower()}: {target_line_text(r)}" for r in results)
        goals = fmt.count(len(results), "doel", "doelen")
        if not name:
            sentences.append(f"Zonder vastgelegd akkoord: {goals} — {asked}.")
            continue
        when = f" ({fmt.day(date)})" if date else ""
        closed = f", afgesloten op {fmt.day(end)}" if end else ""
        sentences.append(f"{name}{when}{closed} legt voor {report.area} {goals} vast — {asked}.")
    return " ".join(sentences)


def counts_text(report: ReportData) -> str:
    """'Van de 5 doelen: 1 ✔ gehaald, 3 ✖ achter, 1 ⚠ risico.' in the status table's order."""
    parts = [f"{n} {statuses.labelled(word)}" for word, n in statuses.counts([r.status for r in report.results])]
    n = len(report.results)
    return f"Van de {fmt.count(n, 'doel', 'doelen')}: " + (", ".join(parts) if parts else "nog geen oordeel") + "."


def kpi_sentences(report: ReportData) -> list[tuple[KpiResult, str]]:
    """Per KPI the card's summary sentence (start, now, target, status), built from the verdict's facts;
    the illustrative values are named once, in `illustrative_notice`."""
    return [(r, summary_sentence(r, demo_note=False)) for r in report.results]


@dataclass(frozen=True)
class DuidingItem:
    """One KPI behind (achter or risico) and the regiegroep's duiding for it (None: still missing)."""

    result: KpiResult
    duiding: Duiding | None

    def lines(self) -> list[str]:
        """'Oorzaak: …', 'Effect op het doel: …', 'Bijsturing: …', '— auteur, datum' or the gap."""
        d = self.duiding
        if d is None:
            return ["Nog geen duiding van de regiegroep voor deze periode; die is nodig voordat de briefing "
                    "definitief kan worden."]
        out = [f"Oorzaak: {d.cause or 'onbekend'}", f"Effect op het doel: {d.effect or 'onbekend'}",
               f"Bijsturing: {d.bijsturing or 'onbekend'}",
               f"— {d.author or 'auteur onbekend'}, {fmt.day(d.written_on)}"
               + (" (illustratief)" if d.illustrative else "")]
        return out


def duiding_items(report: ReportData) -> list[DuidingItem]:
    """Every KPI that is achter or risico, with its duiding for this briefing's period (if any)."""
    period = report.briefing.period if report.briefing is not None else None
    out = []
    for r in report.results:
        if r.status in BEHIND:
            d = report.duiding.get(r.indicator.code)
            if d is not None and period is not None and d.period != period:
                d = None  # a duiding of another period does not explain this one
            out.append(DuidingItem(r, d))
    return out


# ---- demo wording (issue 20.9) -----------------------------------------------------------------

def illustrative_basis(report: ReportData) -> list[str]:
    """What in the briefing rests on an illustrative value, one phrase per KPI: the verdict, or a
    value the indicator table shows (newest, or the national figure compared with)."""
    out = []
    for r in report.results:
        name = r.indicator.name
        if r.illustrative:
            out.append(f"het oordeel over {name.lower()}")
        elif r.latest is not None and r.latest.illustrative:
            out.append(f"de getoonde waarde van {name.lower()}")
        elif r.national is not None and r.national.illustrative:
            out.append(f"het landelijke cijfer bij {name.lower()}")
    for d in report.duiding.values():
        if d.illustrative:
            out.append(f"de duiding bij {d.indicator_code}")
    return out


def illustrative_notice(report: ReportData) -> str | None:
    """'Let op: … rust op illustratieve waarden (demo), geen metingen: …' naming which, or None
    when every verdict and shown value rests on real figures."""
    basis = illustrative_basis(report)
    if not basis:
        return None
    return ("Let op: deze briefing bevat illustratieve waarden (demo), geen metingen. Daarop rust "
            + _and(basis) + ". Ze zijn gemarkeerd met ‘illustratief’.")


def greyed_note(report: ReportData) -> str | None:
    """The charts' note on greyed demo points that do not count, when any are drawn."""
    return GREYED_NOTE if any(r.shows_illustrative and not r.illustrative for r in report.results) else None


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


# ---- page 2: the indicator table ---------------------------------------------------------------

def ambition_year(report: ReportData) -> int:
    """The year 'Ambitie volgend jaar' is for: the year after the status date."""
    return report.today.year + 1


def _baseline(r: KpiResult) -> str:
    t, ind = r.target, r.indicator
    if t.comparison == BELOW_NATIONAL:
        if r.baseline_gap_pp is not None and t.baseline_year is not None:
            return f"{fmt.signed(r.baseline_gap_pp, 'procent', ind.decimals)} t.o.v. landelijk ({t.baseline_year})"
        return "–"
    if t.baseline_value is None:
        return "–"
    year = f" ({t.baseline_year})" if t.baseline_year is not None else ""
    return fmt.value(t.baseline_value, ind.unit, ind.decimals) + year


def _ambition(r: KpiResult, year: int) -> str:
    """Where the required path stands in `year` (the target once the horizon is reached)."""
    t, ind = r.target, r.indicator
    if t.comparison == BELOW_NATIONAL:
        return "onder landelijk"
    value = required_value_at(t, year)
    return "–" if value is None else fmt.value(value, ind.unit, shown_decimals(r))


def indicator_table(report: ReportData) -> pd.DataFrame:
    """KPI | Nulmeting (jaar) | Doel | Realisatie (peildatum) | Ambitie <jaar> | Status | Bron."""
    year = ambition_year(report)
    rows = []
    for r in report.results:
        m = r.latest
        real = "–" if m is None else f"{value_text(r)} ({fmt.peildatum(m.peildatum, m.precision)})"
        if m is not None and m.illustrative:
            real += " illustratief"
        goal = target_line_text(r)
        rows.append({
            "KPI": r.indicator.name, "Nulmeting (jaar)": _baseline(r),
            "Doel": goal.removeprefix("doel "), "Realisatie (peildatum)": real,
            f"Ambitie {year}": _ambition(r, year), "Status": statuses.labelled(r.status),
            "Bron": (sources(r) or ["onbekend"])[0],
        })
    return pd.DataFrame(rows, columns=["KPI", "Nulmeting (jaar)", "Doel", "Realisatie (peildatum)",
                                       f"Ambitie {year}", "Status", "Bron"])


def table_notes(report: ReportData) -> list[str]:
    """The footnotes of the indicator table: the ambition's meaning and the assumed horizon."""
    notes = [f"Ambitie {ambition_year(report)}: waar de KPI dat jaar moet staan op het benodigde pad (de rechte "
             "lijn van de nulmeting naar het doel)."]
    if any(r.target.horizon_assumed for r in report.results):
        notes.append(ASSUMED_NOTE)
    return notes


# ---- what changed since the last briefing ------------------------------------------------------

def since_last_headline(report: ReportData) -> str:
    """The counts ('… 2 KPI's met nieuwe metingen, …') after the moment compared with, in words."""
    s = report.since_last
    if s is None:
        return "Niet bekend wat er sinds de vorige briefing veranderde."
    counts = headline(s.figures).split(": ", 1)[-1]
    actions = fmt.count(len(s.actions), "gewijzigde actie", "gewijzigde acties")
    return f"Vergeleken met {s.basis}: {counts[:-1]}, {actions}."


def since_last_tables(report: ReportData) -> list[tuple[str, pd.DataFrame]]:
    """The non-empty change tables: new figures, revised figures, status changes, action changes."""
    s = report.since_last
    if s is None:
        return []
    ch = s.figures
    out = [
        ("Nieuwe cijfers", new_table(ch)[["KPI", "Peildatum", "Waarde", "Bron"]]),
        ("Herziene cijfers", revised_table(ch)[["KPI", "Peildatum", "Was", "Is nu", "Bron"]]),
        ("Gewijzigde status", status_changes_table(ch)[["KPI", "Was", "Is nu"]]),
        ("Gewijzigde acties", s.actions[["Actie", "Was", "Is nu", "Toelichting"]]),
    ]
    return [(title, table) for title, table in out if not table.empty]


def event_lines(report: ReportData) -> list[str]:
    """The events as plain lines: '1-6-2019: Opening parkeergarage (Aantal banen)'."""
    names = {r.indicator.code: r.indicator.name for r in report.results}
    out = []
    for _, e in report.events.iterrows():
        scope = f" ({names.get(e['indicator'], e['indicator'])})" if e["indicator"] else ""
        out.append(f"{fmt.peildatum(e['event_date'], 'dag')}: {e['text']}{scope}")
    return out


# ---- wat doen we eraan, werkplan, kosten ---------------------------------------------------------

@dataclass(frozen=True)
class KpiActions:
    """'Wat doen we eraan' for one KPI behind: its open linked actions and the warning, if any."""

    result: KpiResult
    actions: pd.DataFrame  # Code, Actie, Status, Deadline, Rol
    warning: str | None


def kpi_actions(report: ReportData) -> list[KpiActions]:
    """Per KPI that is achter or risico: linked actions still open, and the web page's warning
    when none really runs (kpi.werkplan.no_action_warning)."""
    if report.plan is None:
        return []
    names = {r.indicator.code: r.indicator.name for r in report.results}
    actions = report.plan.actions
    out = []
    for r in report.results:
        if r.status not in BEHIND:
            continue
        linked = wp.actions_for_kpi(actions, r.indicator.code)
        linked = linked[~linked["status"].isin(wp.CLOSED)]
        table = with_status_symbols(actions_table(linked, report.today, report.plan.themes, names))
        table["Actie"] = _flagged(table)
        need = wp.kpi_actions(actions, {r.indicator.code: r.status}, report.today)["needs_action"].iloc[0]
        out.append(KpiActions(r, table[["Code", "Actie", "Status", "Deadline", "Rol"]].reset_index(drop=True),
                              wp.no_action_warning(r.indicator.name, r.status) if need else None))
    return out


def _flagged(table: pd.DataFrame) -> list[str]:
    return [f"{a} (illustratief)" if str(i).startswith("ja") else a for a, i in zip(table["Actie"], table["Illustratief"])]


WERKPLAN_COLUMNS = ["Code", "Actie", "Thema", "Status", "Deadline", "Eigenaar", "Voortgang"]


def werkplan_table(report: ReportData) -> pd.DataFrame:
    """Every action in one table, late ones first: code, title, theme letter, status (late said in
    the cell), deadline, owner (role), progress note."""
    if report.plan is None:
        return pd.DataFrame(columns=WERKPLAN_COLUMNS)
    a = report.plan.actions
    table = with_status_symbols(actions_table(a, report.today, report.plan.themes))
    ordered = wp.ordered(a, report.today)
    owner = [o if r in ("–", o) else (f"{o} ({r})" if o != "–" else r) for o, r in zip(table["Eigenaar"], table["Rol"])]
    return pd.DataFrame({
        "Code": table["Code"], "Actie": _flagged(table), "Thema": list(ordered["theme"]),
        "Status": [f"{s}, te laat" if late == "ja" else s for s, late in zip(table["Status"], table["Te laat"])],
        "Deadline": table["Deadline"], "Eigenaar": owner,
        "Voortgang": [n or "–" for n in table["Toelichting"]],
    }, columns=WERKPLAN_COLUMNS)


def werkplan_counts(report: ReportData) -> str:
    """'24 acties: 3 te laat, 10 lopen, …' over the werkplan."""
    if report.plan is None or report.plan.actions.empty:
        return "Er zijn geen acties vastgelegd."
    a = wp.with_late(report.plan.actions, report.today)
    parts = [f"{int(a['late'].sum())} te laat"] + [
        f"{n} {s.label.lower()}" for s in wp.ACTION_STATUSES if (n := int((a["status"] == s.code).sum()))]
    return f"{fmt.count(len(a), 'actie', 'acties')}: " + ", ".join(parts) + "."


def _money(frame: pd.DataFrame, key: str, label: str, names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for value, part in frame.groupby(key, sort=True, dropna=False):
        budget, spent = part["budget"].sum(min_count=1), part["spent"].sum(min_count=1)
        rows.append((names.get(value, value if isinstance(value, str) and value else "onbekend"), budget, spent))
    budget = frame["budget"].sum(min_count=1)
    spent = frame["spent"].sum(min_count=1)
    rows.append(("Totaal", budget, spent))
    return pd.DataFrame([{
        label: name, "Budget": fmt.euro(None if pd.isna(b) else float(b)),
        "Besteed": fmt.euro(None if pd.isna(s) else float(s)),
        "Besteed van budget": fmt.percent(100 * float(s) / float(b)) if not pd.isna(b) and b and not pd.isna(s) else "–",
    } for name, b, s in rows])


def cost_tables(report: ReportData) -> list[tuple[str, pd.DataFrame]]:
    """Budget and spent per theme and per fund, each with a total row, from the actions' fields."""
    if report.plan is None or report.plan.actions.empty:
        return []
    a = report.plan.actions.copy()
    a["fund"] = a["fund"].map(lambda f: wp.text_value(f) or "onbekend")
    themes = dict(zip(report.plan.themes["letter"], report.plan.themes["letter"] + " " + report.plan.themes["name"]))
    funds = {**wp.FUNDS, "onbekend": "Fonds onbekend"}
    return [("Per thema", _money(a, "theme", "Thema", themes)), ("Per fonds", _money(a, "fund", "Fonds", funds))]


def cost_notes(report: ReportData) -> list[str]:
    """How many actions have no budget, and whether demo actions count in the totals."""
    if report.plan is None or report.plan.actions.empty:
        return []
    a = report.plan.actions
    notes = [f"Bedragen uit de velden budget en besteed van de {fmt.count(len(a), 'actie', 'acties')} van het werkplan; "
             f"{fmt.count(int(a['budget'].isna().sum()), 'actie heeft', 'acties hebben')} geen budget (niet meegeteld)."]
    demo = a[a["illustrative"] & a["budget"].notna()]
    if not demo.empty:
        notes.append(f"Illustratief: {fmt.count(len(demo), 'voorbeeldactie', 'voorbeeldacties')} (demo) met samen "
                     f"{fmt.euro(float(demo['budget'].sum()))} budget tellen mee in deze bedragen.")
    return notes


# ---- reading guide and colophon ------------------------------------------------------------------

def reading_guide() -> pd.DataFrame:
    """Status | Wanneer: the status rules in the order they are applied (kpi.statuses.RULES)."""
    return pd.DataFrame({
        "Status": [statuses.labelled(rule.status) for rule in statuses.RULES],
        "Wanneer (de eerste regel die opgaat, beslist)": [
            rule.text.replace("*", "").replace("`", "") for rule in statuses.RULES],
    })


def horizon_lines(report: ReportData) -> list[str]:
    """Per KPI its horizon: the target year, or the planning horizon assumed."""
    return [f"{r.indicator.name}: {horizon_label(r)}" for r in report.results]


def source_list(report: ReportData) -> list[str]:
    """Every source behind the figures and targets, once, in order of first mention."""
    found: list[str] = []
    for r in report.results:
        for s in [*sources(r), r.target.source]:
            if s and s not in found:
                found.append(s)
    return found


def colophon_lines(report: ReportData) -> list[str]:
    """Version, data currency and contact."""
    contact = report.briefing.contact if report.briefing is not None and report.briefing.contact else ""
    return [f"Versie: {version_text(report)}", *currency_lines(report),
            f"Contact: {contact or 'onbekend (niet ingesteld)'}",
            "Gemaakt met de Binnenstadmonitor: dezelfde cijfers en regels als het dashboard."]


def generated_day(report: ReportData) -> dt.date:
    """The day the document is about (the as-of day, else the status day)."""
    return fmt.local(report.as_of).date() if report.as_of else report.today
