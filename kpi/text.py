"""Plain Dutch sentences about a KPI, for cards, reports and screen readers."""

from __future__ import annotations

from kpi import formatting as fmt
from kpi.metrics import BELOW_NATIONAL, KpiResult


def target_label(r: KpiResult) -> str:
    """The target in words: '5.000', 'onder landelijk (7,0%)', 'plaats 25 (2021)'."""
    ind, t = r.indicator, r.target
    if t.comparison == BELOW_NATIONAL:
        nat = f" ({fmt.value(r.national.value, ind.unit, ind.decimals)})" if r.national else ""
        return f"onder landelijk{nat}"
    if t.target_value is None:
        return "–"
    if ind.unit == "positie":
        label = f"top {fmt.number(t.target_value)}"
    elif ind.unit == "cijfer":
        label = f"minimaal {fmt.value(t.target_value, ind.unit, ind.decimals)}"
    else:
        label = fmt.value(t.target_value, ind.unit, ind.decimals)
    return f"{label} in {t.target_year}" if t.target_year else label


def target_short(r: KpiResult) -> str:
    """The target as a short figure for a tile: 'onder 7,0%', 'top 25', '5.000'."""
    ind, t = r.indicator, r.target
    if t.comparison == BELOW_NATIONAL:
        return f"onder {fmt.value(r.national.value, ind.unit, ind.decimals)}" if r.national else "onder landelijk"
    if t.target_value is None:
        return "–"
    if ind.unit == "positie":
        return f"top {fmt.number(t.target_value)}"
    return fmt.value(t.target_value, ind.unit, ind.decimals)


def _verb(delta: float, direction: str, unit: str) -> str:
    if delta == 0:
        return "bleef gelijk op"
    if unit == "positie":
        return "verbeterde" if delta < 0 else "zakte"
    return "steeg" if delta > 0 else "daalde"


def summary_sentence(r: KpiResult) -> str:
    """One sentence: where the KPI started in the akkoord period, where it is now, the target."""
    ind, s = r.indicator, r.series
    if r.latest is None:
        return f"Voor {ind.name.lower()} is nog geen meting beschikbaar."
    subject = _subject(ind)
    start_rows = s[s["peildatum"].dt.year >= (r.target.baseline_year or 0)]
    first = start_rows.iloc[0] if not start_rows.empty else s.iloc[0]
    now = r.latest
    now_txt = fmt.value(now.value, ind.unit, ind.decimals)
    now_date = fmt.peildatum(now.peildatum, now.precision)
    if len(s) == 1 or first["peildatum"] == now.peildatum:
        sentence = f"{subject} is {now_txt} ({now_date})"
    else:
        delta = now.value - float(first["value"])
        first_txt = fmt.value(float(first["value"]), ind.unit, ind.decimals)
        first_date = fmt.peildatum(first["peildatum"], first["precision"])
        verb = _verb(delta, ind.direction, ind.unit)
        if delta == 0:
            sentence = f"{subject} {verb} {now_txt} ({first_date} tot {now_date})"
        else:
            sentence = f"{subject} {verb} van {first_txt} ({first_date}) naar {now_txt} ({now_date})"
    if r.target.comparison == BELOW_NATIONAL:
        if r.national is not None:
            nat = fmt.value(r.national.value, ind.unit, ind.decimals)
            sentence += f"; landelijk {nat} ({fmt.peildatum(r.national.peildatum, r.national.precision)})"
        else:
            sentence += "; er is geen landelijk cijfer van hetzelfde jaar"
    else:
        sentence += f"; doel: {target_label(r)}"
    sentence += f". Status: {r.status}."
    if r.latest.illustrative:
        sentence += " (Illustratieve waarde, geen meting.)"
    return sentence


def _subject(ind) -> str:
    return ind.name
