"""Reading what a benchmark needs from the store: the centres, and the figures of one werkgroep."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import repository
from kpi.centres import centres as centre_frame
from kpi.centres import visible
from kpi.settings import Settings


def werkgroep(centres: pd.DataFrame, area: str) -> list[str]:
    """The centres compared with `area`: its peer group, `area` first; only `area` without a group."""
    group = centres.loc[centres["name"] == area, "peer_group"]
    if group.empty or not str(group.iloc[0]):
        return [area]
    return [area] + [n for n in centres.loc[centres["peer_group"] == group.iloc[0], "name"] if n != area]


def load_inputs(engine: Engine, settings: Settings, allowed: frozenset[str] | None = None,
                as_of: dt.datetime | None = None):
    """(observations of the werkgroep of settings.area, indicators, centres) as known at `as_of`;
    with `allowed`, only those centres (a viewer limited by KPI_VIEWER_AREAS compares with the
    peers they may see)."""
    centres = visible(centre_frame(repository.load_areas(engine), settings.benchmark_area), allowed)
    members = tuple(werkgroep(centres, settings.area))
    observations = repository.load_observations(engine, as_of, areas=members)
    return observations, repository.load_indicators(engine), centres
