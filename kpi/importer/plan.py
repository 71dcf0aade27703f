"""Compare validated rows with what is stored: which figures or targets are new, changed
or unchanged, and which stored rows an import would supersede.

A figure is keyed by (gebied, indicator, peildatum, precision). It is *changed* when the
value, source or note differ, or when the stored figure is illustrative: a real figure
always replaces an illustrative one. A real figure also replaces the illustrative figures
of the same area, indicator and calendar year that have another precision (demo leegstand
at 1-1-2025 gives way to a real figure for "2025"); the preview shows such a figure as
changed, with the illustrative value as the old one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import schema
from kpi.importer.model import (
    CHANGED_COLUMNS,
    PREVIEW_COLUMNS,
    TARGET_CHANGED_EXTRA,
    TARGET_EXTRA_COLUMNS,
)
from kpi.importer.parsing import per_distinct
from kpi.periods import YEAR

ADDED, CHANGED, UNCHANGED = "nieuw", "gewijzigd", "ongewijzigd"


@dataclass
class ObservationPlan:
    """Validated figures with their status against the database, and the rows to supersede."""

    rows: pd.DataFrame
    supersede_ids: np.ndarray

    def same_outcome(self, other: ObservationPlan) -> bool:
        """True when both plans add, change and supersede exactly the same rows."""
        return (
            np.array_equal(self.rows["status"].to_numpy(), other.rows["status"].to_numpy())
            and np.array_equal(self.rows["oud_id"].to_numpy(), other.rows["oud_id"].to_numpy())
            and np.array_equal(self.supersede_ids, other.supersede_ids)
        )

    @property
    def writes(self) -> bool:
        return bool((self.rows["status"] != UNCHANGED).any()) or len(self.supersede_ids) > 0


@dataclass
class TargetPlan:
    """Validated target versions with their status and the version number each would get."""

    rows: pd.DataFrame

    def same_outcome(self, other: TargetPlan) -> bool:
        return (
            np.array_equal(self.rows["status"].to_numpy(), other.rows["status"].to_numpy())
            and np.array_equal(self.rows["versie"].to_numpy(), other.rows["versie"].to_numpy())
        )

    @property
    def writes(self) -> bool:
        return bool((self.rows["status"] != UNCHANGED).any())


def _date_keys(days: pd.Series) -> np.ndarray:
    """Dates as int64 day numbers, for fast merging (each distinct date converted once)."""
    return per_distinct(days, lambda d: d.toordinal()).astype("int64")


def current_observations(conn: Connection, areas: list[str], indicators: list[str]) -> pd.DataFrame:
    """The current stored figures of these areas and indicators."""
    o, a = schema.observations, schema.areas
    q = (
        sa.select(
            o.c.id, a.c.name.label("gebied"), o.c.indicator_code.label("indicator"), o.c.peildatum,
            o.c.precision.label("precisie"), o.c.value, o.c.source, o.c.note, o.c.illustrative,
        )
        .join(a, a.c.id == o.c.area_id)
        .where(o.c.superseded_at.is_(None), o.c.indicator_code.in_(indicators), a.c.name.in_(areas))
    )
    df = pd.read_sql(q, conn)
    df["peildatum"] = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in df["peildatum"]]
    df["illustrative"] = df["illustrative"].astype(bool)
    df["value"] = df["value"].astype(float)
    return df


def plan_observations(conn: Connection, rows: pd.DataFrame) -> ObservationPlan:
    """Classify each validated figure as new, changed or unchanged against the database."""
    rows = rows.reset_index(drop=True)
    current = current_observations(conn, sorted(rows["gebied"].unique()), sorted(rows["indicator"].unique()))
    incoming = rows.assign(_dag=_date_keys(rows["datum"]), _pos=np.arange(len(rows)))
    current = current.assign(_dag=_date_keys(current["peildatum"]))
    keys = ["gebied", "indicator", "_dag", "precisie"]
    m = incoming.merge(current, how="left", on=keys, sort=False)
    matched = m["id"].notna().to_numpy()
    illustrative = m["illustrative"].fillna(False).astype(bool).to_numpy()
    differs = (
        illustrative
        | (m["waarde"] != m["value"]).to_numpy()
        | (m["bron"] != m["source"]).to_numpy()
        | (m["toelichting"] != m["note"].fillna("")).to_numpy()
    )
    status = np.where(~matched, ADDED, np.where(differs, CHANGED, UNCHANGED)).astype(object)
    out = rows.assign(
        status=status,
        oud_id=m["id"].fillna(-1).astype("int64").to_numpy(),
        oud_waarde=m["value"].to_numpy(),
        oud_bron=m["source"].to_numpy(),
        oud_illustratief=m["illustrative"].astype(object).to_numpy(),
        oud_toelichting=m["note"].to_numpy(),
    )
    out.loc[status != CHANGED, ["oud_waarde", "oud_bron", "oud_illustratief", "oud_toelichting"]] = None
    supersede = set(out.loc[status == CHANGED, "oud_id"].tolist())

    # Real figures also replace illustrative ones of the same calendar year (other precision).
    ill = current[current["illustrative"] & ~current["id"].isin(out["oud_id"])]
    if not ill.empty:
        movers = m.loc[status != UNCHANGED, ["gebied", "indicator", "datum", "_pos"]]
        movers = movers.assign(jaar=[d.year for d in movers["datum"]])
        ill = ill.assign(jaar=[d.year for d in ill["peildatum"]])
        pairs = movers.merge(ill, on=["gebied", "indicator", "jaar"])
        supersede |= set(pairs["id"].tolist())
        added_pairs = pairs[status[pairs["_pos"].to_numpy()] == ADDED]
        link = (
            added_pairs.sort_values(["_pos", "peildatum", "precisie"])
            .drop_duplicates("id").drop_duplicates("_pos")
        )
        pos = link["_pos"].to_numpy()
        out.loc[pos, "status"] = CHANGED
        out.loc[pos, "oud_id"] = link["id"].astype("int64").to_numpy()
        out.loc[pos, "oud_waarde"] = link["value"].to_numpy()
        out.loc[pos, "oud_bron"] = link["source"].to_numpy()
        out.loc[pos, "oud_illustratief"] = True
        out.loc[pos, "oud_toelichting"] = link["note"].to_numpy()
    return ObservationPlan(out, np.array(sorted(supersede), dtype="int64"))


def _peildatum_text(days: pd.Series, precisions: pd.Series) -> np.ndarray:
    """'2017' for a year, '1-1-2025' for a date; formatted once per distinct date."""
    as_day = per_distinct(days, lambda d: fmt.peildatum(d, "dag"))
    as_year = per_distinct(days, lambda d: str(d.year))
    return np.where((precisions == YEAR).to_numpy(), as_year, as_day)


def observation_frames(plan: ObservationPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames (display columns)."""
    rows = plan.rows
    shown = pd.DataFrame({
        "gebied": rows["gebied"], "indicator": rows["indicator"],
        "peildatum": _peildatum_text(rows["datum"], rows["precisie"]),
        "waarde": rows["waarde"].astype(float), "bron": rows["bron"], "toelichting": rows["toelichting"],
        "bestand": rows["bestand"], "rij": rows["rij"].astype(int),
        "oud_waarde": rows["oud_waarde"].astype(float), "oud_bron": rows["oud_bron"],
        "oud_illustratief": rows["oud_illustratief"], "oud_toelichting": rows["oud_toelichting"],
    })
    status = rows["status"]
    return (
        shown.loc[status == ADDED, PREVIEW_COLUMNS].reset_index(drop=True),
        shown.loc[status == CHANGED, CHANGED_COLUMNS].reset_index(drop=True),
        shown.loc[status == UNCHANGED, PREVIEW_COLUMNS].reset_index(drop=True),
    )


def current_targets(conn: Connection) -> pd.DataFrame:
    """The newest version of every target, with area name."""
    t, a = schema.targets, schema.areas
    q = sa.select(
        t.c.id, t.c.indicator_code.label("indicator"), a.c.name.label("gebied"), t.c.version,
        t.c.baseline_value, t.c.baseline_year, t.c.target_value, t.c.target_year, t.c.comparison,
        t.c.horizon_year, t.c.baseline_benchmark, t.c.source, t.c.reason,
    ).join(a, a.c.id == t.c.area_id)
    df = pd.read_sql(q, conn)
    return df.sort_values("version").groupby(["indicator", "gebied"], as_index=False).last()


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    a, b = a.astype(object), b.astype(object)
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = np.array([x == y for x, y in zip(a, b, strict=True)], dtype=bool)
    return both_missing | equal


def plan_targets(conn: Connection, rows: pd.DataFrame, today: dt.date) -> TargetPlan:
    """Classify each target row: new (version 1), changed (next version) or unchanged."""
    rows = rows.reset_index(drop=True)
    current = current_targets(conn)
    m = rows.merge(current, how="left", on=["indicator", "gebied"], sort=False)
    # A file without the optional column planningshorizon or basis_landelijk keeps the stored value.
    for new, old, given in [("planningshorizon", "horizon_year", "horizon_gegeven"),
                            ("basis_landelijk", "baseline_benchmark", "basis_landelijk_gegeven")]:
        keep = ~m[given].fillna(False).astype(bool).to_numpy()
        m[new] = m[new].astype(object).where(~keep, m[old].astype(object))
        rows[new] = m[new].to_numpy()
    matched = m["id"].notna().to_numpy()
    same = np.ones(len(m), dtype=bool)
    for new, old in [("basiswaarde", "baseline_value"), ("basisjaar", "baseline_year"),
                     ("doelwaarde", "target_value"), ("doeljaar", "target_year"),
                     ("planningshorizon", "horizon_year"), ("basis_landelijk", "baseline_benchmark"),
                     ("vergelijking", "comparison"), ("bron", "source")]:
        same &= _same(m[new], m[old])
    status = np.where(~matched, ADDED, np.where(same, UNCHANGED, CHANGED)).astype(object)
    old_version = m["version"].fillna(0).astype(int).to_numpy()
    out = rows.assign(
        status=status,
        versie=np.where(status == UNCHANGED, old_version, old_version + 1),
        geldig_vanaf=[d if d is not None else today for d in rows["geldig_vanaf"]],
        oud_waarde=m["target_value"].to_numpy(), oud_bron=m["source"].to_numpy(),
        oud_basiswaarde=m["baseline_value"].to_numpy(), oud_basisjaar=m["baseline_year"].to_numpy(),
        oud_doeljaar=m["target_year"].to_numpy(), oud_vergelijking=m["comparison"].to_numpy(),
        oud_versie=m["version"].to_numpy(),
    )
    return TargetPlan(out)


def target_frames(plan: TargetPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview frames for a targets file (see model.TARGET_EXTRA_COLUMNS)."""
    rows = plan.rows

    def year(col: str) -> pd.Series:
        return rows[col].astype(object).where(rows[col].notna(), None).map(lambda v: v if v is None else int(v))

    shown = pd.DataFrame({
        "gebied": rows["gebied"], "indicator": rows["indicator"],
        "peildatum": [fmt.peildatum(d, "dag") for d in rows["geldig_vanaf"]],
        "waarde": rows["doelwaarde"].astype(float), "bron": rows["bron"], "toelichting": rows["reden"],
        "bestand": rows["bestand"], "rij": rows["rij"].astype(int),
        "basiswaarde": rows["basiswaarde"].astype(float), "basisjaar": year("basisjaar"),
        "doeljaar": year("doeljaar"), "vergelijking": rows["vergelijking"], "versie": rows["versie"].astype(int),
        "oud_waarde": rows["oud_waarde"].astype(float), "oud_bron": rows["oud_bron"], "oud_illustratief": False,
        "oud_toelichting": None,
        "oud_basiswaarde": rows["oud_basiswaarde"].astype(float), "oud_basisjaar": year("oud_basisjaar"),
        "oud_doeljaar": year("oud_doeljaar"), "oud_vergelijking": rows["oud_vergelijking"],
        "oud_versie": year("oud_versie"),
    })
    cols = [*PREVIEW_COLUMNS, *TARGET_EXTRA_COLUMNS]
    status = rows["status"]
    return (
        shown.loc[status == ADDED, cols].reset_index(drop=True),
        shown.loc[status == CHANGED, [*CHANGED_COLUMNS, *TARGET_EXTRA_COLUMNS, *TARGET_CHANGED_EXTRA]]
        .reset_index(drop=True),
        shown.loc[status == UNCHANGED, cols].reset_index(drop=True),
    )


def same_year_conflicts(conn: Connection, plan: ObservationPlan) -> list:
    """Problems for a yearly figure beside a dated figure of the same area, indicator and
    calendar year (in the files, or a real one already stored): a yearly 2026 next to
    1-4-2026 would make the 'change' between them meaningless, so the import is refused.
    Several dated figures in one year stay allowed; illustrative stored figures give way."""
    from kpi.importer.model import Problem

    rows = plan.rows
    incoming = pd.DataFrame({
        "gebied": rows["gebied"], "indicator": rows["indicator"], "jaar": [d.year for d in rows["datum"]],
        "precisie": rows["precisie"], "bestand": rows["bestand"], "rij": rows["rij"].astype(int),
        "tekst": _peildatum_text(rows["datum"], rows["precisie"]),
    })
    current = current_observations(conn, sorted(rows["gebied"].unique()), sorted(rows["indicator"].unique()))
    current = current[~current["illustrative"] & ~current["id"].isin(plan.supersede_ids)]
    stored = pd.DataFrame({
        "gebied": current["gebied"], "indicator": current["indicator"],
        "jaar": [d.year for d in current["peildatum"]], "precisie": current["precisie"],
        "tekst": _peildatum_text(current["peildatum"], current["precisie"]) if not current.empty else [],
    })
    problems = []
    keys = ["gebied", "indicator", "jaar"]
    both = incoming.merge(incoming, on=keys, suffixes=("", "_ander"))
    both = both[both["precisie"] != both["precisie_ander"]]
    for r in both.itertuples():
        problems.append(Problem(r.bestand, r.rij, "peildatum", (
            f"{r.gebied} · {r.indicator}: een jaarcijfer en een cijfer met datum in hetzelfde jaar "
            f"({r.tekst} en {r.tekst_ander}, {r.bestand_ander} rij {r.rij_ander}). Geef één cijfer per jaar: "
            "anders zegt de verandering tussen die twee niets.")))
    old = incoming.merge(stored, on=keys, suffixes=("", "_opgeslagen"))
    old = old[old["precisie"] != old["precisie_opgeslagen"]]
    for r in old.itertuples():
        problems.append(Problem(r.bestand, r.rij, "peildatum", (
            f"{r.gebied} · {r.indicator}: er staat al een echt cijfer voor {r.jaar} ({r.tekst_opgeslagen}); "
            f"een jaarcijfer en een cijfer met datum in hetzelfde jaar kunnen niet naast elkaar staan. Gebruik "
            f"dezelfde peildatum ({r.tekst_opgeslagen}) om het te vervangen, of draai die import eerst terug.")))
    return sorted(problems, key=lambda p: (p.file, p.row or 0))
