"""Display tables of the briefing records (Dutch headers, Dutch formats)."""

from __future__ import annotations

import pandas as pd

from kpi import formatting as fmt


def briefings_table(stored: pd.DataFrame) -> pd.DataFrame:
    """kpi.briefing.store.load_briefings as the Rapporten page lists it."""
    return pd.DataFrame({
        "Briefing": stored["id"].astype(int),
        "Periode": stored["period"],
        "Staat": stored["state"],
        "Vastgelegd": [fmt.timestamp(t) for t in stored["made_at"]],
        "Door": stored["made_by"],
        "Gegevens zoals bekend op": [fmt.timestamp(t) for t in stored["data_as_of"]],
        "Duidingen": [len(ids) for ids in stored["duiding_ids"]],
        "Concept en definitief": [promotion_label(f, t) for f, t in zip(stored["promoted_from"], stored["promoted_to"],
                                                                          strict=True)],
    })


def promotion_label(promoted_from: int | None, promoted_to: int | None) -> str:
    """'uit concept 3', 'definitief als briefing 5' or '' (made as it is)."""
    if promoted_from is not None:
        return f"uit concept {promoted_from}"
    if promoted_to is not None:
        return f"definitief als briefing {promoted_to}"
    return ""
