"""What is known about each KPI's source and measure, and what is an assumption (Bronnen page).

The statements are data (`data/reference/bekend-en-aanname.csv`), written from the akkoord and
the published sources; the horizon assumption comes from the stored target itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from kpi.metrics import KpiResult, horizon_text
from kpi.settings import DATA_DIR

NOTES_CSV = DATA_DIR / "reference" / "bekend-en-aanname.csv"
KINDS = {"bekend": "Bekend", "onbekend": "Niet bekend", "aanname": "Aanname"}


@cache
def load_notes(path: Path = NOTES_CSV) -> pd.DataFrame:
    """The statements per indicator: columns indicator, soort (bekend|onbekend|aanname), tekst."""
    if not path.is_file():
        return pd.DataFrame(columns=["indicator", "soort", "tekst"])
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def statements(r: KpiResult, notes: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(kind label, text) for one KPI: known, not known, assumed; the horizon from its target."""
    notes = load_notes() if notes is None else notes
    mine = notes[notes["indicator"] == r.indicator.code]
    out = [(KINDS.get(k, k), t) for k, t in zip(mine["soort"], mine["tekst"])]
    t = r.target
    if t.horizon_assumed:
        out.append((KINDS["aanname"], f"Het oordeel 'op koers' rekent met {horizon_text(t)}; de regiegroep "
                                      "stelt die horizon vast en legt hem vast bij het doel."))
    elif t.target_year is not None:
        out.append((KINDS["bekend"], f"Doeljaar {t.target_year} staat in het akkoord."))
    if r.latest is not None and r.illustrative:
        out.append((KINDS["aanname"], "Het huidige oordeel rust op illustratieve waarden (demo), geen metingen."))
    order = list(KINDS.values())
    return sorted(out, key=lambda kt: order.index(kt[0]) if kt[0] in order else len(order))
