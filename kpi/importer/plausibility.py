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

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import repository, schema, units
from kpi.importer.model import Problem
from kpi.importer.plan import UNCHANGED

COLUMN = "waarde"


def _jumps(conn: Connection) -> dict[str, tuple[str, float | None, str, int]]:
    i = schema.indicators
    rows = conn.execute(sa.select(i.c.code, i.c.unit, i.c.plausible_jump, i.c.name, i.c.decimals)).all()
    return {r.code: (r.unit, r.plausible_jump, r.name, r.decimals) for r in rows}


def questions(conn: Connection, rows: pd.DataFrame) -> list[Problem]:
    """One question per figure that would change more than plausible from the figure before it.

    `rows`: the planned figures (kpi.importer.plan: area, indicator, day, precision, value,
    file, row, status); only new and changed ones are asked about.
    """
    moving = rows[rows["status"] != UNCHANGED]
    if moving.empty:
        return []
    stored = repository.load_observations(conn, areas=tuple(sorted(moving["area"].unique())),
                                          indicators=tuple(sorted(moving["indicator"].unique())))
    stored = stored[~stored["illustrative"]]
    jumps = _jumps(conn)
    out = []
    for (area, code), group in rows.groupby(["area", "indicator"], sort=False):
        unit, jump, name, decimals = jumps.get(code, ("", None, code, 0))
        incoming = group.assign(when=pd.to_datetime(group["day"]), _incoming=True)
        mine = stored[(stored["area"] == area) & (stored["indicator"] == code)]
        replaced = pd.MultiIndex.from_arrays([mine["peildatum"], mine["precision"]]).isin(
            pd.MultiIndex.from_arrays([incoming["when"], incoming["precision"]]))
        kept = mine.loc[~replaced, ["peildatum", "precision", "value"]].rename(columns={"peildatum": "when"})
        history = pd.concat([kept.assign(_incoming=False), incoming], ignore_index=True)
        history = history.sort_values("when", kind="stable").reset_index(drop=True)
        history["prev_value"] = history["value"].shift(1)
        history["prev_when"] = history["when"].shift(1)
        history["prev_precision"] = history["precision"].shift(1)
        asked = history[history["_incoming"].astype(bool) & (history["status"] != UNCHANGED)
                        & history["prev_value"].notna() & (history["prev_when"] < history["when"])]
        if asked.empty:
            continue
        u = units.unit(unit)
        if jump is not None and not pd.isna(jump):
            limits = pd.Series(float(jump), index=asked.index)
        elif u.jump_is_share:
            limits = u.plausible_jump * asked["prev_value"].astype(float).abs()
        else:
            limits = pd.Series(u.plausible_jump, index=asked.index)
        # The jump is per year: figures eight years apart may differ eight times as much.
        years = ((asked["when"] - asked["prev_when"]).dt.days / 365.25).apply(lambda y: max(1.0, float(y)))
        limits = limits * years
        change = asked["value"].astype(float) - asked["prev_value"].astype(float)
        for i in asked.index[(change.abs() > limits).to_numpy()]:
            r = asked.loc[i]
            out.append(Problem(r["file"], int(r["row"]), COLUMN,
                               _text(area, name, r, float(change[i]), float(limits[i]), unit, decimals)))
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
