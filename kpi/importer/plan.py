"""Compare validated rows with what is stored: which figures or targets are new, changed
or unchanged, and which stored rows an import would supersede.

A figure is keyed by (area, indicator, peildatum, precision). It is *changed* when the
value, source or note differ, or when the stored figure is illustrative: a real figure
always replaces an illustrative one. A real figure also replaces the illustrative figures
of the same area, indicator and calendar year that have another precision (demo leegstand
at 1-1-2025 gives way to a real figure for "2025"); the preview shows such a figure as
changed, with the illustrative value as the old one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi import formatting as fmt
from kpi import repository, schema
from kpi.importer.model import (
    CHANGED_COLUMNS,
    PREVIEW_COLUMNS,
    TARGET_CHANGED_EXTRA,
    TARGET_EXTRA_COLUMNS,
    Problem,
)
from kpi.importer.parsing import per_distinct
from kpi.periods import YEAR

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


def status_counts(status: pd.Series) -> dict[str, int]:
    """The batch's row counts for a plan's status column (repository.create_batch's keywords)."""
    return dict(rows_total=len(status), rows_added=int((status == ADDED).sum()),
                rows_changed=int((status == CHANGED).sum()), rows_unchanged=int((status == UNCHANGED).sum()))


def by_status(shown: pd.DataFrame, status: pd.Series, columns: list[str],
              changed_columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A preview's added, changed and unchanged frames (a changed row also shows what it was)."""
    return (shown.loc[status == ADDED, columns].reset_index(drop=True),
            shown.loc[status == CHANGED, changed_columns].reset_index(drop=True),
            shown.loc[status == UNCHANGED, columns].reset_index(drop=True))


@dataclass
class ObservationPlan:
    """Validated figures with their status against the database, and the rows to supersede."""

    rows: pd.DataFrame
    supersede_ids: np.ndarray
    # The current stored figures of the file's areas and indicators the plan was made against
    # (current_observations): the same-year check and the plausibility check compare with these
    # instead of reading the series again (100.000 daily rows: 1-2 s per read on PostgreSQL).
    stored: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    def same_outcome(self, other: ObservationPlan) -> bool:
        """True when both plans add, change and supersede exactly the same rows."""
        return (
            np.array_equal(self.rows["status"].to_numpy(), other.rows["status"].to_numpy())
            and np.array_equal(self.rows["old_id"].to_numpy(), other.rows["old_id"].to_numpy())
            and np.array_equal(self.supersede_ids, other.supersede_ids)
        )

    @property
    def writes(self) -> bool:
        return bool((self.rows["status"] != UNCHANGED).any()) or len(self.supersede_ids) > 0


@dataclass
class TargetPlan:
    """Validated target versions with their status and the version number each would get."""

    rows: pd.DataFrame
    # One row per agreement the file names (issue 21): its fields and status against the stored
    # current version (added, changed, unchanged); see plan_agreements.
    agreements: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    def same_outcome(self, other: TargetPlan) -> bool:
        return (
            np.array_equal(self.rows["status"].to_numpy(), other.rows["status"].to_numpy())
            and np.array_equal(self.rows["version"].to_numpy(), other.rows["version"].to_numpy())
            and _statuses(self.agreements) == _statuses(other.agreements)
        )

    @property
    def writes(self) -> bool:
        return bool((self.rows["status"] != UNCHANGED).any()) or bool(
            not self.agreements.empty and (self.agreements["status"] != UNCHANGED).any())


def _statuses(frame: pd.DataFrame) -> list:
    return [] if frame.empty else list(zip(frame["agreement"], frame["status"], strict=True))


def _date_keys(days: pd.Series) -> np.ndarray:
    """Dates as int64 day numbers, for fast merging (each distinct date converted once)."""
    return per_distinct(days, lambda d: d.toordinal()).astype("int64")


STORED_COLUMNS = ["id", "area", "indicator", "peildatum", "precision", "value", "source", "note", "illustrative"]


def current_observations(conn: Connection, areas: list[str], indicators: list[str]) -> pd.DataFrame:
    """The current stored figures of these areas and indicators: the columns of
    repository.load_observations that an import compares with (STORED_COLUMNS), same types and order.

    Its own query: without the batch columns and their join it reads 110.000 daily rows in about
    half the time (bench: schaal)."""
    o, a = schema.observations, schema.areas
    # By area id, looked up first, as repository.load_observations does (per-area index).
    names = dict(conn.execute(sa.select(a.c.id, a.c.name).where(a.c.name.in_(areas))).all())
    q = (sa.select(o.c.id, o.c.area_id, o.c.indicator_code.label("indicator"), o.c.peildatum, o.c.precision,
                   o.c.value, o.c.source, o.c.note, o.c.illustrative)
         .where(o.c.superseded_at.is_(None), o.c.area_id.in_(sorted(names)), o.c.indicator_code.in_(indicators)))
    df = pd.read_sql(q, conn)
    df.insert(1, "area", per_distinct(df["area_id"], names.__getitem__).astype(object))
    df = df.drop(columns="area_id").sort_values(["area", "indicator", "peildatum"], kind="stable")
    df["peildatum"] = pd.to_datetime(df["peildatum"])
    df["illustrative"] = df["illustrative"].astype(bool)
    df["value"] = df["value"].astype(float)
    return df[STORED_COLUMNS].reset_index(drop=True)


def plan_observations(conn: Connection, rows: pd.DataFrame) -> ObservationPlan:
    """Classify each validated figure as new, changed or unchanged against the database."""
    rows = rows.reset_index(drop=True)
    current = current_observations(conn, sorted(rows["area"].unique()), sorted(rows["indicator"].unique()))
    incoming = rows.assign(_day=_date_keys(rows["day"]), _pos=np.arange(len(rows)))
    stored = current[["id", "area", "indicator", "peildatum", "precision", "value", "source", "note",
                      "illustrative"]].rename(columns={
        "id": "old_id", "value": "old_value", "source": "old_source", "note": "old_note",
        "illustrative": "old_illustrative"})
    stored = stored.assign(_day=_date_keys(stored["peildatum"]))
    keys = ["area", "indicator", "_day", "precision"]
    m = incoming.merge(stored, how="left", on=keys, sort=False)
    matched = m["old_id"].notna().to_numpy()
    illustrative = m["old_illustrative"].fillna(False).astype(bool).to_numpy()
    differs = (
        illustrative
        | (m["value"] != m["old_value"]).to_numpy()
        | (m["source"] != m["old_source"]).to_numpy()
        | (m["note"] != m["old_note"].fillna("")).to_numpy()
    )
    status = np.where(~matched, ADDED, np.where(differs, CHANGED, UNCHANGED)).astype(object)
    out = rows.assign(
        status=status,
        old_id=m["old_id"].fillna(-1).astype("int64").to_numpy(),
        old_value=m["old_value"].to_numpy(),
        old_source=m["old_source"].to_numpy(),
        old_illustrative=m["old_illustrative"].astype(object).to_numpy(),
        old_note=m["old_note"].to_numpy(),
    )
    out.loc[status != CHANGED, ["old_value", "old_source", "old_illustrative", "old_note"]] = None
    supersede = set(out.loc[status == CHANGED, "old_id"].tolist())

    # Real figures also replace illustrative ones of the same calendar year (other precision).
    ill = stored[stored["old_illustrative"] & ~stored["old_id"].isin(out["old_id"])]
    if not ill.empty:
        movers = m.loc[status != UNCHANGED, ["area", "indicator", "day", "_pos"]]
        movers = movers.assign(year=[d.year for d in movers["day"]])
        ill = ill.assign(year=[d.year for d in ill["peildatum"]])
        pairs = movers.merge(ill, on=["area", "indicator", "year"])
        supersede |= set(pairs["old_id"].tolist())
        added_pairs = pairs[status[pairs["_pos"].to_numpy()] == ADDED]
        link = (
            added_pairs.sort_values(["_pos", "peildatum", "precision"])
            .drop_duplicates("old_id").drop_duplicates("_pos")
        )
        pos = link["_pos"].to_numpy()
        out.loc[pos, "status"] = CHANGED
        out.loc[pos, "old_id"] = link["old_id"].astype("int64").to_numpy()
        out.loc[pos, "old_value"] = link["old_value"].to_numpy()
        out.loc[pos, "old_source"] = link["old_source"].to_numpy()
        out.loc[pos, "old_illustrative"] = True
        out.loc[pos, "old_note"] = link["old_note"].to_numpy()
    return ObservationPlan(out, np.array(sorted(supersede), dtype="int64"), current)


def _peildatum_text(days: pd.Series, precisions: pd.Series) -> np.ndarray:
    """'2017' for a year, '1-1-2025' for a date; formatted once per distinct date."""
    as_day = per_distinct(days, lambda d: fmt.peildatum(d, "dag"))
    as_year = per_distinct(days, lambda d: str(d.year))
    return np.where((precisions == YEAR).to_numpy(), as_year, as_day)


def observation_frames(plan: ObservationPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview's added, changed and unchanged frames (display columns)."""
    rows = plan.rows
    shown = pd.DataFrame({
        "area": rows["area"], "indicator": rows["indicator"],
        "peildatum": _peildatum_text(rows["day"], rows["precision"]),
        "value": rows["value"].astype(float), "source": rows["source"], "note": rows["note"],
        "file": rows["file"], "row": rows["row"].astype(int),
        "old_value": rows["old_value"].astype(float), "old_source": rows["old_source"],
        "old_illustrative": rows["old_illustrative"], "old_note": rows["old_note"],
    })
    return by_status(shown, rows["status"], PREVIEW_COLUMNS, CHANGED_COLUMNS)


def current_targets(conn: Connection) -> pd.DataFrame:
    """The newest version of every target, with area name."""
    t, a, g = schema.targets, schema.areas, schema.agreements
    q = sa.select(
        t.c.id, t.c.indicator_code.label("indicator"), a.c.name.label("area"), t.c.version,
        t.c.baseline_value, t.c.baseline_year, t.c.target_value, t.c.target_year, t.c.comparison,
        t.c.horizon_year, t.c.baseline_benchmark, t.c.source, t.c.reason, g.c.name.label("agreement"),
    ).join(a, a.c.id == t.c.area_id).outerjoin(g, g.c.id == t.c.agreement_id)
    df = pd.read_sql(q, conn)
    # The newest row as it is (groupby().last() would fill a cleared field from an older version).
    return (df.sort_values("version", kind="stable").drop_duplicates(["indicator", "area"], keep="last")
            .sort_values(["indicator", "area"], kind="stable").reset_index(drop=True))


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    a, b = a.astype(object), b.astype(object)
    both_missing = a.isna().to_numpy() & b.isna().to_numpy()
    equal = np.array([x == y for x, y in zip(a, b, strict=True)], dtype=bool)
    return both_missing | equal


# The fields that make a target version differ from the stored one (not its reason or date).
TARGET_FIELDS = ["baseline_value", "baseline_year", "target_value", "target_year", "horizon_year",
                 "baseline_benchmark", "comparison", "source", "agreement"]
# Optional columns of a targets file, with the flag saying the file had the column.
OPTIONAL_TARGET_FIELDS = {"horizon_year": "horizon_given", "baseline_benchmark": "baseline_benchmark_given",
                          "agreement": "agreement_given"}


def plan_targets(conn: Connection, rows: pd.DataFrame, today: dt.date) -> TargetPlan:
    """Classify each target row: new (version 1), changed (next version) or unchanged."""
    rows = rows.reset_index(drop=True)
    stored = current_targets(conn).drop(columns="reason").rename(
        columns={c: f"old_{c}" for c in ["id", "version", *TARGET_FIELDS]})
    m = rows.merge(stored, how="left", on=["indicator", "area"], sort=False)
    # A file without the optional column planningshorizon or basis_landelijk keeps the stored value.
    for field, given in OPTIONAL_TARGET_FIELDS.items():
        keep = ~m[given].fillna(False).astype(bool).to_numpy()
        m[field] = m[field].astype(object).where(~keep, m[f"old_{field}"].astype(object))
        rows[field] = m[field].to_numpy()
    matched = m["old_id"].notna().to_numpy()
    same = np.ones(len(m), dtype=bool)
    for field in TARGET_FIELDS:
        same &= _same(m[field], m[f"old_{field}"])
    status = np.where(~matched, ADDED, np.where(same, UNCHANGED, CHANGED)).astype(object)
    old_version = m["old_version"].fillna(0).astype(int).to_numpy()
    out = rows.assign(
        status=status,
        version=np.where(status == UNCHANGED, old_version, old_version + 1),
        valid_from=[d if d is not None else today for d in rows["valid_from"]],
        old_value=m["old_target_value"].to_numpy(), old_source=m["old_source"].to_numpy(),
        old_baseline_value=m["old_baseline_value"].to_numpy(), old_baseline_year=m["old_baseline_year"].to_numpy(),
        old_target_year=m["old_target_year"].to_numpy(), old_comparison=m["old_comparison"].to_numpy(),
        old_version=m["old_version"].to_numpy(), old_horizon_year=m["old_horizon_year"].to_numpy(),
        old_baseline_benchmark=m["old_baseline_benchmark"].to_numpy(),
        old_agreement=m["old_agreement"].to_numpy(),
    )
    return TargetPlan(out, plan_agreements(conn, rows))


AGREEMENT_FIELDS = ["agreement_date", "parties", "agreement_source", "agreement_end"]


def plan_agreements(conn: Connection, rows: pd.DataFrame) -> pd.DataFrame:
    """One row per agreement a targets file names: its fields (an empty cell keeps the stored
    value; afgesloten only where the file has that column) and its status against the stored one."""
    columns = ["agreement", *AGREEMENT_FIELDS, "status"]
    if "agreement" not in rows or rows["agreement"].isna().all():
        return pd.DataFrame(columns=columns)
    stored = repository.load_agreements(conn).set_index("agreement")
    out = []
    for name, group in rows[rows["agreement"].notna()].groupby("agreement", sort=False):
        def first(col: str, group=group):
            filled = [v for v in group[col] if v is not None and not (isinstance(v, float) and np.isnan(v)) and v != ""]
            return filled[0] if filled else None

        new = {"agreement": name, "agreement_date": first("agreement_date"), "parties": first("parties"),
               "agreement_source": first("agreement_source"), "agreement_end": first("agreement_end")}
        end_given = bool(group["agreement_end_given"].any())
        if name not in stored.index:
            new.update(parties=new["parties"] or "", agreement_source=new["agreement_source"] or "",
                       status=ADDED)
        else:
            old = stored.loc[name]
            for col in AGREEMENT_FIELDS:
                keep = new[col] is None and (col != "agreement_end" or not end_given)
                if keep:
                    new[col] = None if pd.isna(old[col]) else old[col]
            same = all((None if pd.isna(old[c]) else old[c]) == new[c] for c in AGREEMENT_FIELDS)
            new["status"] = UNCHANGED if same else CHANGED
        out.append(new)
    return pd.DataFrame(out, columns=columns)


def target_frames(plan: TargetPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The preview frames for a targets file (see model.TARGET_EXTRA_COLUMNS)."""
    rows = plan.rows

    def year(col: str) -> pd.Series:
        return rows[col].astype(object).where(rows[col].notna(), None).map(lambda v: v if v is None else int(v))

    shown = pd.DataFrame({
        "area": rows["area"], "indicator": rows["indicator"],
        "peildatum": [fmt.peildatum(d, "dag") for d in rows["valid_from"]],
        "value": rows["target_value"].astype(float), "source": rows["source"], "note": rows["reason"],
        "file": rows["file"], "row": rows["row"].astype(int),
        "baseline_value": rows["baseline_value"].astype(float), "baseline_year": year("baseline_year"),
        "target_year": year("target_year"), "comparison": rows["comparison"], "version": rows["version"].astype(int),
        "old_value": rows["old_value"].astype(float), "old_source": rows["old_source"], "old_illustrative": False,
        "old_note": None,
        "old_baseline_value": rows["old_baseline_value"].astype(float), "old_baseline_year": year("old_baseline_year"),
        "old_target_year": year("old_target_year"), "old_comparison": rows["old_comparison"],
        "old_version": year("old_version"),
        "horizon_year": year("horizon_year"), "baseline_benchmark": rows["baseline_benchmark"].astype(float),
        "old_horizon_year": year("old_horizon_year"),
        "old_baseline_benchmark": rows["old_baseline_benchmark"].astype(float),
        "agreement": rows["agreement"], "old_agreement": rows["old_agreement"],
    })
    cols = [*PREVIEW_COLUMNS, *TARGET_EXTRA_COLUMNS]
    status = rows["status"]
    return (
        shown.loc[status == ADDED, cols].reset_index(drop=True),
        shown.loc[status == CHANGED, [*CHANGED_COLUMNS, *TARGET_EXTRA_COLUMNS, *TARGET_CHANGED_EXTRA]]
        .reset_index(drop=True),
        shown.loc[status == UNCHANGED, cols].reset_index(drop=True),
    )


SAME_YEAR_KEYS = ["area", "indicator", "year"]


def conflict_pairs(incoming: pd.DataFrame, stored: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs of incoming rows, pairs of an incoming row and a stored figure) of the same area,
    indicator and year with different precisions (yearly beside dated): what every pair of rows
    with those keys would give, without pairing every row of a year with every other (365 x 365
    per daily series: 22 s for 100.000 daily rows); tests/test_import.py checks it against the
    plain pairing on generated frames."""
    keys = SAME_YEAR_KEYS
    # Only a group with both a yearly and a dated figure can conflict.
    mixed = incoming[incoming.groupby(keys)["precision"].transform("nunique") > 1]
    both = mixed.merge(mixed, on=keys, suffixes=("", "_other"))
    both = both[both["precision"] != both["precision_other"]]
    # Against stored figures: first which incoming rows meet a stored figure of the other
    # precision (at most two precisions per group), then only those are paired with the figures.
    kinds = stored[[*keys, "precision"]].drop_duplicates()
    meets = incoming.merge(kinds, on=keys, suffixes=("", "_stored"))
    meets = meets.loc[meets["precision"] != meets["precision_stored"], incoming.columns].drop_duplicates()
    old = meets.merge(stored, on=keys, suffixes=("", "_stored"))
    return both, old[old["precision"] != old["precision_stored"]]


def same_year_conflicts(plan: ObservationPlan) -> list:
    """Problems for a yearly figure beside a dated figure of the same area, indicator and
    calendar year (in the files, or a real one already stored: the figures the plan was made
    against): a yearly 2026 next to 1-4-2026 would make the 'change' between them meaningless, so
    the import is refused. Several dated figures in one year stay allowed; illustrative stored
    figures give way."""
    rows = plan.rows
    incoming = pd.DataFrame({
        "area": rows["area"], "indicator": rows["indicator"], "year": per_distinct(rows["day"], lambda d: d.year),
        "precision": rows["precision"], "file": rows["file"], "row": rows["row"].astype(int),
        "text": _peildatum_text(rows["day"], rows["precision"]),
    })
    current = plan.stored
    current = current[~current["illustrative"] & ~current["id"].isin(plan.supersede_ids)]
    stored = pd.DataFrame({
        "area": current["area"], "indicator": current["indicator"],
        "year": current["peildatum"].dt.year.to_numpy(), "precision": current["precision"],
        "text": _peildatum_text(current["peildatum"], current["precision"]) if not current.empty else [],
    })
    problems = []
    both, old = conflict_pairs(incoming, stored)
    for r in both.itertuples():
        problems.append(Problem(r.file, r.row, "peildatum", (
            f"{r.area} · {r.indicator}: een jaarcijfer en een cijfer met datum in hetzelfde jaar "
            f"({r.text} en {r.text_other}, {r.file_other} rij {r.row_other}). Geef één cijfer per jaar: "
            "anders zegt de verandering tussen die twee niets.")))
    for r in old.itertuples():
        problems.append(Problem(r.file, r.row, "peildatum", (
            f"{r.area} · {r.indicator}: er staat al een echt cijfer voor {r.year} ({r.text_stored}); "
            f"een jaarcijfer en een cijfer met datum in hetzelfde jaar kunnen niet naast elkaar staan. Gebruik "
            f"dezelfde peildatum ({r.text_stored}) om het te vervangen, of draai die import eerst terug.")))
    return sorted(problems, key=lambda p: (p.file, p.row or 0))


def agreement_lines(agreements: pd.DataFrame | None) -> list[str]:
    """The new and changed agreements of a plan in words, for the preview: 'Nieuw akkoord:
    Binnenstadsdeal 2026 (1-6-2026; gemeente Assen)', 'Akkoord gewijzigd: … (afgesloten op 31-12-2025)'."""
    if agreements is None or agreements.empty:
        return []
    out = []
    for r in agreements[agreements["status"] != UNCHANGED].itertuples():
        parts = [fmt.day(r.agreement_date) if r.agreement_date is not None else "datum onbekend"]
        if r.parties:
            parts.append(str(r.parties))
        end = r.agreement_end
        parts.append(f"afgesloten op {fmt.day(end)}" if end is not None and not pd.isna(end) else "niet afgesloten")
        word = "Nieuw akkoord" if r.status == ADDED else "Akkoord gewijzigd"
        out.append(f"{word}: {r.agreement} ({' · '.join(parts)})")
    return out
