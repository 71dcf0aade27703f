"""The plausibility check of imported figures (issue 17, category 7).

A typo that makes a figure ten times its predecessor, or an empty cell read as 0, passes every
format rule. Each new or changed real figure is compared with the figure before it in time
(stored, or earlier in the same import) of the same area and indicator; a change larger than
the indicator's plausible jump per year (`indicators.plausible_jump`, else the unit's default in
kpi/units.py; figures more than a year apart may differ that many times as much) becomes a
question. The import is refused until the editor confirms it (the CLI's
`--bevestig`, a tick box on the import page); a confirmed figure keeps the warning
(`observations.plausibility`, `plausibility` in `status --json`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import schema, units
from kpi.importer.model import Problem
from kpi.importer.parsing import per_distinct
from kpi.importer.plan import UNCHANGED

COLUMN = "waarde"


def jumps(conn: Connection) -> dict[str, tuple[str, float | None, str, int]]:
    """Per indicator code: (unit, plausible_jump, name, decimals), what questions() needs."""
    i = schema.indicators
    rows = conn.execute(sa.select(i.c.code, i.c.unit, i.c.plausible_jump, i.c.name, i.c.decimals)).all()
    return {r.code: (r.unit, r.plausible_jump, r.name, r.decimals) for r in rows}


def questions(rows: pd.DataFrame, stored: pd.DataFrame,
              indicators: dict[str, tuple[str, float | None, str, int]]) -> list[Problem]:
    """One question per figure that would change more than plausible from the figure before it.

    `rows`: the planned figures (kpi.importer.plan: area, indicator, day, precision, value,
    file, row, status); only new and changed ones are asked about. `stored`: the current stored
    figures of their series the plan was made against (ObservationPlan.stored); `indicators`:
    jumps(conn). All series at once: one sort of stored and incoming figures by series and date,
    and the figure before each one by a shift (series by series this took 4-5 s for 100.000
    daily rows).
    """
    if not (rows["status"] != UNCHANGED).any():
        return []
    series = ["area", "indicator"]
    # Series in order of first appearance in the files: the order the questions come in.
    order, first = pd.factorize(pd.MultiIndex.from_frame(rows[series]))
    incoming = rows.assign(when=pd.to_datetime(rows["day"]), _incoming=True, _series=order)
    keys = pd.MultiIndex.from_arrays([incoming["area"], incoming["indicator"], incoming["when"],
                                      incoming["precision"]])
    real = stored[~stored["illustrative"]]
    real = real[pd.MultiIndex.from_frame(real[series]).isin(first)]
    # A stored figure the file gives again (same peildatum and precision) is replaced, not compared.
    replaced = pd.MultiIndex.from_arrays([real["area"], real["indicator"], real["peildatum"],
                                          real["precision"]]).isin(keys)
    kept = real.loc[~replaced, [*series, "peildatum", "precision", "value"]].rename(columns={"peildatum": "when"})
    kept = kept.assign(_incoming=False, _series=first.get_indexer(pd.MultiIndex.from_frame(kept[series])))
    # Stored figures first, so that on the same date a stored one comes before an incoming one.
    history = pd.concat([kept, incoming], ignore_index=True)
    history = history.iloc[np.lexsort((history["when"].to_numpy(), history["_series"].to_numpy()))]
    history = history.reset_index(drop=True)
    same_series = history["_series"].eq(history["_series"].shift(1)).to_numpy()
    for col in ("value", "when", "precision"):
        history[f"prev_{col}"] = history[col].shift(1).where(same_series)
    asked = history[history["_incoming"].astype(bool).to_numpy() & (history["status"] != UNCHANGED).to_numpy()
                    & history["prev_value"].notna().to_numpy()
                    & (history["prev_when"] < history["when"]).to_numpy()]
    if asked.empty:
        return []

    def limit_of(code: str) -> tuple[float, float, bool]:
        unit, own, _, _ = indicators.get(code, ("", None, code, 0))
        u = units.unit(unit)
        return (np.nan if own is None else float(own)), u.plausible_jump, u.jump_is_share

    own, default, share = (np.array(x, dtype=t) for x, t in zip(
        zip(*per_distinct(asked["indicator"], limit_of)), (float, float, bool), strict=True))
    prev = asked["prev_value"].astype(float)
    # The indicator's own jump, else the unit's default (for counts a share of the figure before).
    limits = pd.Series(np.where(~np.isnan(own), own, np.where(share, default * prev.abs(), default)),
                       index=asked.index)
    # The jump is per year: figures eight years apart may differ eight times as much.
    years = ((asked["when"] - asked["prev_when"]).dt.days / 365.25).clip(lower=1.0)
    limits = limits * years
    change = asked["value"].astype(float) - prev
    too_far = (change.abs() > limits).to_numpy()
    out = []
    for r in asked.assign(_change=change, _limit=limits)[too_far].to_dict("records"):
        unit, _, name, decimals = indicators.get(r["indicator"], ("", None, r["indicator"], 0))
        out.append(Problem(r["file"], int(r["row"]), COLUMN,
                           _text(r["area"], name, r, float(r["_change"]), float(r["_limit"]), unit, decimals)))
    return out


def _text(area, name, r, change, limit, unit, decimals) -> str:
    def v(x: float) -> str:
        return fmt.as_imported(x, decimals) + units.unit(unit).suffix

    when = fmt.peildatum(r["when"], r["precision"])
    prev_when = fmt.peildatum(r["prev_when"], r["prev_precision"])
    direction = "hoger" if change > 0 else "lager"
    return (f"{area} · {name} · {when}: {v(float(r['value']))} is {v(abs(change))} {direction} dan de vorige "
            f"waarde {v(float(r['prev_value']))} ({prev_when}); een verandering van meer dan {v(limit)} in die tijd is ongebruikelijk. "
            "Klopt het cijfer, bevestig dan de import; is het een tikfout (of een leeg vakje dat als 0 is "
            "gelezen), verbeter dan het bestand.")
