"""Dutch display tables of the Abonnees page: the subscribers, the send log, the next run."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kpi import formatting as fmt
from kpi.digest.subscribers import ALL_KPIS, kpis_of


def kpis_text(stored: str, names: Mapping[str, str]) -> str:
    """'alle KPI's', 'Aantal banen, Leegstand' or 'geen'."""
    kpis = kpis_of(stored)
    if kpis == ALL_KPIS:
        return "alle KPI's"
    return ", ".join(names.get(k, k) for k in kpis) or "geen"


def subscribers_table(subs: pd.DataFrame, names: Mapping[str, str], area: str) -> pd.DataFrame:
    """One row per subscriber: name, address, centres, what they follow, active, since."""
    return pd.DataFrame({
        "Naam": subs["name"], "E-mail": subs["email"],
        "Centra": [a or area for a in subs["areas"]],
        "KPI's": [kpis_text(k, names) for k in subs["kpis"]],
        "Werkplan": ["ja" if w else "nee" for w in subs["werkplan"]],
        "Actief": ["ja" if a else "nee (afgemeld)" for a in subs["active"]],
        "Gewijzigd op": [fmt.timestamp(t) for t in subs["recorded_at"]],
    }, columns=["Naam", "E-mail", "Centra", "KPI's", "Werkplan", "Actief", "Gewijzigd op"])


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The send log in Dutch: when, to whom, what, delivered or the error."""
    return pd.DataFrame({
        "Tijdstip": [fmt.timestamp(t) for t in log["attempted_at"]], "Aan": log["email"],
        "Onderwerp": log["subject"], "Over de periode": [
            f"{fmt.timestamp(a)} – {fmt.timestamp(b)}" for a, b in zip(log["covers_from"], log["covers_until"])],
        "Resultaat": log["status"], "Foutmelding": log["error"],
    }, columns=["Tijdstip", "Aan", "Onderwerp", "Over de periode", "Resultaat", "Foutmelding"])


def preview_table(digests: list) -> pd.DataFrame:
    """What the next run would send: one row per active subscriber."""
    return pd.DataFrame({
        "Aan": [d.email for d in digests],
        "Zou krijgen": [d.subject if not d.is_empty else "niets (er is niets veranderd)" for d in digests],
        "Sinds": [fmt.timestamp(d.since) for d in digests],
    }, columns=["Aan", "Zou krijgen", "Sinds"])
