"""What changed since the last meeting: two snapshots of the stored data compared.

A measurement is identified by area, indicator, peildatum and precision (the key the
database keeps one current value for). Between the snapshot *before* (as known at the
end of the reference date) and *after* (as known now, or at a later date):

- **nieuw**: a key that is current after and was not before;
- **herzien**: a key current in both whose value or illustrative flag differs, by a newer import;
- **ingetrokken** (withdrawn): a key current in both whose value changed because the import that
  brought the value before was undone: an earlier batch's value is current again;
- **vervallen**: a key current before and not after (an undone import, removed demo values);
- **status gewijzigd**: a KPI whose status differs when evaluated on each snapshot, each on
  its own date (the status depends on the date: data ages, target years end);
- **doel gewijzigd**: a KPI whose target version differs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kpi import formatting as fmt
from kpi.metrics import KpiResult
from kpi.service import Snapshot, evaluate_snapshot
from kpi.settings import Settings
from kpi.text import INSTALLED_KINDS, target_label

KEY = ["area", "indicator", "peildatum", "precision"]
_MEASUREMENT = KEY + ["value", "illustrative", "source", "recorded_at", "batch_id"]


def installed_at(observations: pd.DataFrame) -> dt.datetime | None:
    """When the installation stored its start data (seed and demo figures), as stored (naive
    UTC); None when no current figure comes from the installation."""
    mine = observations[observations["batch_kind"].isin(INSTALLED_KINDS)]
    return None if mine.empty else pd.Timestamp(mine["recorded_at"].max()).to_pydatetime()


def comparison_moment(moment: dt.datetime, after: pd.DataFrame) -> tuple[dt.datetime, dt.datetime | None]:
    """(the moment to compare with, the installation moment when that replaced `moment`).

    Start data from the installation is not news: a date before the installation is compared
    with the data as installed, not with an empty dashboard (every 2017 figure 'new')."""
    return fmt.compared_moment(moment, installed_at(after))


def new_measurements(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Measurements current after whose key was not current before, oldest first."""
    merged = after[_MEASUREMENT].merge(before[KEY], on=KEY, how="left", indicator=True)
    out = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
    return out.sort_values(["indicator", "area", "peildatum"]).reset_index(drop=True)


def removed_measurements(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Measurements current before whose key is no longer current after."""
    return new_measurements(after, before)


def revised_values(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Keys current in both with another value or illustrative flag after than before.

    Columns: KEY, value_before, value_after, illustrative_before, illustrative_after,
    source_after, recorded_at (when the new version was recorded).
    """
    both = before[_MEASUREMENT].merge(after[_MEASUREMENT], on=KEY, suffixes=("_before", "_after"))
    changed = (both["value_before"] != both["value_after"]) | (
        both["illustrative_before"] != both["illustrative_after"]
    )
    # Batch ids only grow: a value from an older batch than the one before came back by an undo.
    known = both["batch_id_after"].notna() & both["batch_id_before"].notna()
    both["withdrawn"] = known & (both["batch_id_after"].fillna(0) < both["batch_id_before"].fillna(0))
    out = both.loc[changed, KEY + [
        "value_before", "value_after", "illustrative_before", "illustrative_after",
        "source_after", "recorded_at_after", "withdrawn",
    ]].rename(columns={"recorded_at_after": "recorded_at"})
    return out.sort_values(["indicator", "area", "peildatum"]).reset_index(drop=True)


def status_changes(before: list[KpiResult], after: list[KpiResult]) -> pd.DataFrame:
    """KPIs whose status differs between the two evaluations (None: not a KPI then)."""
    old = {r.indicator.code: r for r in before}
    rows = []
    for r in after:
        prev = old.get(r.indicator.code)
        if prev is None or prev.status != r.status:
            rows.append(dict(
                indicator=r.indicator.code, name=r.indicator.name,
                status_before=None if prev is None else prev.status, status_after=r.status,
                reason_after=r.status_reason,
            ))
    return pd.DataFrame(rows, columns=["indicator", "name", "status_before", "status_after", "reason_after"])


def target_changes(before: list[KpiResult], after: list[KpiResult]) -> pd.DataFrame:
    """KPIs whose target version differs, with both targets in words and the reason."""
    old = {r.indicator.code: r for r in before}
    rows = []
    for r in after:
        prev = old.get(r.indicator.code)
        if prev is not None and prev.target.version != r.target.version:
            rows.append(dict(
                indicator=r.indicator.code, name=r.indicator.name,
                target_before=target_label(prev), target_after=target_label(r),
                reason=r.target.reason,
            ))
    return pd.DataFrame(rows, columns=["indicator", "name", "target_before", "target_after", "reason"])


@dataclass(frozen=True)
class Changes:
    """Everything that changed between two moments, and the KPIs as evaluated at each."""

    since: dt.date
    until: dt.date
    new: pd.DataFrame
    revised: pd.DataFrame
    removed: pd.DataFrame
    withdrawn: pd.DataFrame  # values an undone import had brought, with the value current again
    statuses: pd.DataFrame
    targets: pd.DataFrame
    before: list[KpiResult] = field(default_factory=list)
    after: list[KpiResult] = field(default_factory=list)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    installed: dt.datetime | None = None  # set when compared with the start data of the installation

    @property
    def kpis_with_new_measurements(self) -> list[str]:
        """Codes of the KPIs (in display order) with at least one new measurement."""
        codes = set(self.new["indicator"])
        return [r.indicator.code for r in self.after if r.indicator.code in codes]

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return all(f.empty for f in (self.new, self.revised, self.withdrawn, self.removed, self.statuses,
                                     self.targets))


def compare(before: Snapshot, after: Snapshot, settings: Settings, since: dt.date, until: dt.date,
            installed: dt.datetime | None = None) -> Changes:
    """Compare the data as known at the end of `since` with the data in `after` (on `until`);
    `installed`: `before` is the installation's start data (`since` lay before it)."""
    old = evaluate_snapshot(before, settings, since)
    new = evaluate_snapshot(after, settings, until)
    revised = revised_values(before.observations, after.observations)
    return Changes(
        since=since, until=until,
        new=new_measurements(before.observations, after.observations),
        revised=revised[~revised["withdrawn"]].reset_index(drop=True),
        withdrawn=revised[revised["withdrawn"]].reset_index(drop=True),
        removed=removed_measurements(before.observations, after.observations),
        statuses=status_changes(old, new), targets=target_changes(old, new),
        before=old, after=new, indicators=after.indicators, installed=installed,
    )


def headline(ch: Changes) -> str:
    """One Dutch sentence with the counts: 'Sinds 1-10-2026: 2 KPI's met nieuwe metingen, ...'."""
    def n(count: int, one: str, many: str) -> str:
        return f"{fmt.number(count)} {one if count == 1 else many}"

    parts = [
        n(len(ch.kpis_with_new_measurements), "KPI met nieuwe metingen", "KPI's met nieuwe metingen"),
        n(len(ch.revised), "herziene waarde", "herziene waarden"),
        n(len(ch.statuses), "statuswijziging", "statuswijzigingen"),
    ]
    if not ch.withdrawn.empty:
        parts.append(n(len(ch.withdrawn), "ingetrokken waarde", "ingetrokken waarden"))
    if not ch.removed.empty:
        parts.append(n(len(ch.removed), "vervallen waarde", "vervallen waarden"))
    if not ch.targets.empty:
        parts.append(n(len(ch.targets), "gewijzigd doel", "gewijzigde doelen"))
    start = (f"Sinds de installatie op {fmt.day(fmt.local(ch.installed))}" if ch.installed is not None
             else f"Sinds {fmt.peildatum(ch.since, 'dag')}")
    return f"{start}: " + ", ".join(parts) + "."


def comparison_text(ch: Changes, known: str) -> str:
    """What the page compares, in Dutch; `known`: the 'as known at' moment in words."""
    if ch.installed is not None:
        return (f"De gekozen datum ligt vóór de installatie van het dashboard ({fmt.timestamp(ch.installed)}). "
                "Vergeleken worden daarom de startgegevens van de installatie met de gegevens nu: wat "
                "sindsdien is geïmporteerd, herzien of verwijderd. De startgegevens zelf zijn niet nieuw.")
    return f"Vergeleken worden de gegevens zoals bekend op {known} met de gegevens nu."
