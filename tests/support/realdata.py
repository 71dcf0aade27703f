"""Real (non-illustrative) figures for every KPI, imported through the import engine as the
programme office would: after them the seeded demo values are greyed out and the charts carry
their fullest legends (issue 19: meeting charts, sparklines, KPI page)."""

from __future__ import annotations

from kpi import importer
from kpi.db import ensure_ready, make_engine
from kpi.settings import Settings

AREA = "Assen binnenstad"
REAL_FIGURES = f"""gebied;indicator;jaar;waarde;bron
{AREA};banen;2025;4180;LISA
{AREA};banen;2026;4210;LISA
{AREA};bedrijven;2025;700;LISA
{AREA};leegstand;2025;16,2;Locatus
Nederland;leegstand;2025;7,9;Locatus
{AREA};waardering;2025;7,2;Bezoekersonderzoek
{AREA};ranking;2025;40;Ranking binnensteden
"""


def import_real_figures(db_url: str) -> int:
    """Migrate and seed the database if needed, then import REAL_FIGURES; the batch id."""
    engine = make_engine(db_url)
    try:
        ensure_ready(engine)
        preview = importer.prepare(engine, [("cijfers.csv", REAL_FIGURES.encode())], Settings())
        assert preview.ok, [str(p) for p in preview.problems]
        batch = importer.apply(engine, preview, "test", confirmed=True)
        assert batch is not None
        return batch
    finally:
        engine.dispose()
