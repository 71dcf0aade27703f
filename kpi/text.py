"""Plain Dutch sentences about a KPI, for cards, reports and screen readers."""

from __future__ import annotations

import pandas as pd

from kpi import formatting as fmt
from kpi import units
from kpi.metrics import BELOW_NATIONAL, INCREASE, KpiResult

# Batches the installation itself makes (kpi/seed.py), as against an editor's import.
INSTALLED_KINDS = {"seed": "startgegevens bij de installatie", "demo": "demoreeks bij de installatie"}


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def plain(value) -> str:
    """Stored optional text for display: '' for a missing value, never 'None' or 'nan'."""
    return "" if _missing(value) else str(value)


BATCH_KINDS = {"seed": "startgegevens", "demo": "demoreeks", "observaties": "cijfers", "doelen": "doelen",
               "acties": "acties"}
INSTALLER = "seed"  # created_by of the batches the installation makes


def kind_label(kind) -> str:
    """A batch's kind in Dutch words: 'startgegevens', 'demoreeks', 'cijfers', 'doelen', 'acties'."""
    return BATCH_KINDS.get(plain(kind), plain(kind))


def who_label(user) -> str:
    """Who recorded something: the user, or 'installatie' for what the installation stored."""
    return "installatie" if plain(user) == INSTALLER else plain(user)


def batch_label(kind, filename, batch_id) -> str:
    """Where a stored figure came from, in words: 'startgegevens bij de installatie',
    'demoreeks bij de installatie' or 'import cijfers.csv (nr. 7)'; '' when not known."""
    if not _missing(kind) and kind in INSTALLED_KINDS:
        return INSTALLED_KINDS[kind]
    if _missing(filename) or not filename:
        return ""
    return f"import {filename}" + ("" if _missing(batch_id) else f" (nr. {int(batch_id)})")


def recorded_text(kind, recorded_at) -> str:
    """When and how a figure entered the dashboard: 'ingelezen bij de installatie op 23-11-2026'
    (start or demo data: only the day matters) or 'geïmporteerd op 1-3-2027 15:05'."""
    if _missing(recorded_at):
        return "vastlegging onbekend"
    if not _missing(kind) and kind in INSTALLED_KINDS:
        return f"ingelezen bij de installatie op {fmt.day(fmt.local(recorded_at))}"
    return f"geïmporteerd op {fmt.timestamp(recorded_at)}"


ASSUMED = "aanname"  # the first word of a stored note that marks the figure as an assumption


def is_assumed(note) -> bool:
    """True when a stored figure is an assumption, as its note says by starting with 'aanname'
    (data/reference/gepubliceerde-cijfers.csv: the ranking's 53 is not from the akkoord)."""
    return plain(note).strip().lower().startswith(ASSUMED)


def _dated(date_text: str, note) -> str:
    """'2017', or '2017; uitgangswaarde: aanname' for an assumed figure (the Bronnen page says why)."""
    return f"{date_text}; uitgangswaarde: {ASSUMED}" if is_assumed(note) else date_text


def currency_text(r: KpiResult) -> str:
    """What is true about the newest figure's age: 'Cijfer van 2017, ingelezen bij de installatie
    op 23-11-2026' or 'Cijfer van 1-3-2027, geïmporteerd op 1-3-2027 15:05'."""
    m = r.latest
    if m is None:
        return "Nog geen cijfer."
    return f"Cijfer van {fmt.peildatum(m.peildatum, m.precision)}, {recorded_text(m.batch_kind, m.recorded_at)}"


def newest_recorded_text(results: list[KpiResult]) -> str:
    """For the overview: the newest figure's entry ('Laatste import: 1-3-2027 15:05'), or that
    every figure shown is start data ('Cijfers ingelezen bij de installatie op 23-11-2026')."""
    shown = [r.latest for r in results if r.latest is not None and not _missing(r.latest.recorded_at)]
    if not shown:
        return "Nog geen cijfers"  # a clause: the overview goes on after it
    newest = max(shown, key=lambda m: pd.Timestamp(m.recorded_at))
    if newest.batch_kind in INSTALLED_KINDS:
        return f"Cijfers {recorded_text(newest.batch_kind, newest.recorded_at)}"
    return f"Laatste import: {fmt.timestamp(newest.recorded_at)}"


def target_label(r: KpiResult) -> str:
    """The target in words: '5.000', 'onder landelijk (7,0%)', 'plaats 25 (2021)'."""
    ind, t = r.indicator, r.target
    if t.comparison == BELOW_NATIONAL:
        nat = f" ({fmt.value(r.national.value, ind.unit, shown_decimals(r))})" if r.national else ""
        return f"onder landelijk{nat}"
    if t.target_value is None:
        return "–"
    if t.comparison == INCREASE:
        label = increase_label(t.target_value, t.baseline_year, ind.unit, shown_decimals(r))
    else:
        label = _target_figure(t.target_value, ind.unit, shown_decimals(r))
    return f"{label} in {t.target_year}" if t.target_year else label


def increase_label(change: float, since: int | None, unit: str, decimals: int) -> str:
    """An increase goal in words: '+700 sinds 2021' (issue 21)."""
    return fmt.signed(change, unit, decimals) + (f" sinds {since}" if since is not None else "")


def horizon_label(r: KpiResult) -> str:
    """'2021 (doeljaar)', '2030 (aanname: het akkoord noemt geen jaar)' or '–'."""
    t = r.target
    if t.horizon is None:
        return "–"
    return f"{t.horizon} (aanname: het akkoord noemt geen jaar)" if t.horizon_assumed else f"{t.horizon} (doeljaar)"


ASSUMED_MARK = "*"
ASSUMED_NOTE = "* Aangenomen horizon: het akkoord noemt voor dit doel geen jaar."


def target_line_text(r: KpiResult) -> str:
    """The target for the overview's one line, short enough for a phone, with the horizon year
    marked ASSUMED_MARK when it is an assumption: 'doel 5.000 in 2030*', 'doel top 25 in 2021',
    'doel onder 7,9% in 2030*'."""
    short = target_short(r)
    if short == "–":
        return "geen doelwaarde"
    t = r.target
    return f"doel {short}" + (f" in {t.horizon}" if t.horizon else "") + (ASSUMED_MARK if t.horizon_assumed else "")


def target_short(r: KpiResult) -> str:
    """The target as a short figure for a tile: 'onder 7,0%', 'top 25', '5.000'."""
    ind, t = r.indicator, r.target
    if t.comparison == BELOW_NATIONAL:
        return f"onder {fmt.value(r.national.value, ind.unit, shown_decimals(r))}" if r.national else "onder landelijk"
    if t.target_value is None:
        return "–"
    if t.comparison == INCREASE:
        return increase_label(t.target_value, t.baseline_year, ind.unit, shown_decimals(r))
    return _target_figure(t.target_value, ind.unit, shown_decimals(r), short=True)


def _target_figure(target: float, unit: str, decimals: int, short: bool = False) -> str:
    """'top 25', 'minimaal 7,5', '5.000'; short (a tile) without 'minimaal'."""
    u = units.unit(unit)
    if u.rank:
        return f"{u.target_word}{fmt.number(target)}"
    return ("" if short else u.target_word) + fmt.value(target, unit, decimals)


def _verb(delta: float, direction: str, unit: str) -> str:
    if delta == 0:
        return "bleef gelijk op"
    if units.unit(unit).rank:
        return "verbeterde" if delta < 0 else "zakte"
    return "steeg" if delta > 0 else "daalde"


def value_text(r: KpiResult) -> str:
    """The newest value in its unit, with as many decimals as the verdict's comparisons need
    to read apart (kpi.metrics: `shown_decimals`): '7,46' beside 'minimaal 7,50'."""
    ind = r.indicator
    if r.latest is None:
        return "–"
    return fmt.value(r.latest.value, ind.unit, shown_decimals(r))


def shown_decimals(r: KpiResult) -> int:
    """The decimals every number the verdict compares is shown with (at least the indicator's)."""
    return max(r.shown_decimals, r.indicator.decimals)


def relative_decimals(r: KpiResult) -> int:
    """Decimals for a value and its national figure: enough for the two to read apart."""
    return shown_decimals(r)


def summary_sentence(r: KpiResult, demo_note: bool = True) -> str:
    """One sentence, true of its numbers: where the KPI started in the akkoord period (among the
    measurements that count), where it is now, the target, and when it was first met.

    `demo_note=False` leaves out the remark on illustrative values, for a page that says it once
    in its own notice (issue 19.17: not five times on one KPI page)."""
    ind = r.indicator
    s = r.series[r.series["counts"]] if "counts" in r.series else r.series
    if r.latest is None:
        return f"Voor {ind.name.lower()} is nog geen meting beschikbaar."
    subject = _subject(ind)
    start_rows = s[s["peildatum"].dt.year >= (r.target.baseline_year or 0)]
    first = start_rows.iloc[0] if not start_rows.empty else s.iloc[0]
    now = r.latest
    now_txt = value_text(r)
    now_date = fmt.peildatum(now.peildatum, now.precision)
    if len(s) == 1 or first["peildatum"] == now.peildatum:
        sentence = f"{subject} is {now_txt} ({_dated(now_date, now.note)})"
    else:
        start, revised = _start_value(r, first)
        delta = now.value - start
        first_txt = fmt.value(start, ind.unit, ind.decimals)
        first_date = fmt.peildatum(first["peildatum"], first["precision"])
        verb = _verb(delta, ind.direction, ind.unit)
        if delta == 0:
            sentence = f"{subject} {verb} {now_txt} ({first_date} tot {now_date})"
        else:
            sentence = (f"{subject} {verb} van {first_txt} ({_dated(first_date, first.get('note'))}{revised}) "
                        f"naar {now_txt} ({now_date})")
    if r.target.comparison == BELOW_NATIONAL:
        if r.national is not None:
            nat = fmt.value(r.national.value, ind.unit, relative_decimals(r))
            sentence += f"; landelijk {nat} ({fmt.peildatum(r.national.peildatum, r.national.precision)})"
            if r.national_note:
                sentence += f" ({r.national_note})"
        else:
            sentence += f"; het landelijke cijfer {now.peildatum.year} is nog niet bekend"
    else:
        sentence += f"; doel: {target_label(r)}"
    sentence += f". Status: {r.status}."
    sentence += _reached_text(r)
    if not demo_note:
        return sentence
    if r.illustrative:
        sentence += " (Dit oordeel rust op illustratieve waarden, geen metingen.)"
    elif r.shows_illustrative:
        sentence += " (Illustratieve waarden staan er grijs bij en tellen niet mee.)"
    return sentence


def _reached_text(r: KpiResult) -> str:
    """'Op tijd' only once the target year is over and the target was met by then; before
    that, a target met once and missed now says so."""
    if r.reached is None:
        return ""
    when = r.reached.peildatum.year
    if r.reached_on_time is True:
        return f" Op tijd gehaald, in {when}."
    if r.reached_on_time is False:
        return f" Eerst gehaald in {when}, na het doeljaar {r.target.target_year}."
    if r.facts is not None and not r.facts.met_now:
        back = "boven het landelijke cijfer" if r.target.comparison == BELOW_NATIONAL else "onder het doel"
        return f" Was in {when} gehaald, nu weer {back}."
    return ""


def _start_value(r: KpiResult, first) -> tuple[float, str]:
    """Where the KPI started: the target's baseline when the first counted figure is of the
    baseline year (progress and path use that one too), with a note when the measured figure
    for that year was revised to another value."""
    t, measured = r.target, float(first["value"])
    if t.baseline_value is None or t.baseline_year is None or first["peildatum"].year != t.baseline_year:
        return measured, ""
    if measured == t.baseline_value or r.target.comparison == BELOW_NATIONAL:
        return (measured if r.target.comparison == BELOW_NATIONAL else t.baseline_value), ""
    shown = fmt.value(measured, r.indicator.unit, r.indicator.decimals)
    return t.baseline_value, f"; basiswaarde van het doel, het gemeten cijfer over {t.baseline_year} is herzien naar {shown}"


def _subject(ind) -> str:
    return ind.name


def chart_text(r: KpiResult, demo_note: bool = True) -> str:
    """The KPI chart's text alternative: what it draws (measurements, period, target or national
    line) followed by the summary sentence; the numbers themselves are in the table beside it."""
    ind, s = r.indicator, r.series
    what = f"Grafiek van {ind.name[:1].lower()}{ind.name[1:]} in {r.area}"
    if s.empty:
        return f"{what}: nog geen metingen."
    ordered = s.sort_values("peildatum")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    n, demo = len(s), int(s["illustrative"].sum())
    drawn = f"{fmt.number(n)} {'meting' if n == 1 else 'metingen'}"
    if n > 1:
        drawn += (f" van {fmt.peildatum(first['peildatum'], first['precision'])}"
                  f" tot {fmt.peildatum(last['peildatum'], last['precision'])}")
    if demo:
        drawn += (", illustratief" if n == 1 else ", alle illustratief") if demo == n else \
            f", waarvan {fmt.number(demo)} illustratief"
    if r.target.comparison == BELOW_NATIONAL:
        drawn += ", met het landelijke cijfer" if not r.national_series.empty else ""
    elif r.target.target_value is not None:
        drawn += f", met de doellijn ({target_label(r)})"
    return f"{what}: {drawn}. {summary_sentence(r, demo_note)}"


def sparkline_text(r: KpiResult) -> str:
    """The overview card's trend line in words: how many counting measurements, from what to what."""
    ind = r.indicator
    s = (r.series[r.series["counts"]] if "counts" in r.series else r.series).sort_values("peildatum")
    n = len(s)
    text = f"Trendlijn van {fmt.number(n)} {'meting' if n == 1 else 'metingen'} die meetellen"
    if n > 1:
        first, last = s.iloc[0], s.iloc[-1]
        text += (f": van {fmt.value(float(first['value']), ind.unit, ind.decimals)} "
                 f"({fmt.peildatum(first['peildatum'], first['precision'])}) naar "
                 f"{fmt.value(float(last['value']), ind.unit, ind.decimals)} "
                 f"({fmt.peildatum(last['peildatum'], last['precision'])})")
    return text


NO_TARGET = "geen doel vastgelegd"


def monitored_sentence(name: str, newest: str | None, where: str | None) -> str:
    """An indicator without a target: followed, without a verdict; its newest figure if any
    ('Leegstand (winkelvloeroppervlak): geen doel vastgelegd, ...')."""
    figure = f" Nieuwste cijfer: {newest} ({where})." if newest else " Er zijn nog geen cijfers."
    return (f"{name}: {NO_TARGET}. Deze indicator wordt gevolgd zonder oordeel (geen status, geen "
            f"voortgang).{figure}")
