"""Reading what a benchmark needs from the store: the centres, and the figures of one werkgroep."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import repository
from kpi.centres import centres as centre_frame
from kpi.settings import Settings


def werkgroep(centres: pd.DataFrame, area: str) -> list[str]:
    """The centres compared with `area`: its peer group, `area` first; only `area` without a group."""
    group = centres.loc[centres["name"] == area, "peer_group"]
    if group.empty or not str(group.iloc[0]):
        return [area]
    return [area] + [n for n in centres.loc[centres["peer_group"] == group.iloc[0], "name"] if n != area]


def load_inputs(engine: Engine, settings: Settings, as_of: dt.datetime | None = None):
    """(observations of the werkgroep of settings.area, indicators, centres) as known at `as_of`."""
    centres = centre_frame(repository.load_areas(engine), settings.benchmark_area)
    members = tuple(werkgroep(centres, settings.area))
    observations = repository.load_observations(engine, as_of, areas=members)
    return observations, repository.load_indicators(engine), centres
