"""Reading and writing the stored data as pandas frames. Every function receives an Engine
or Connection; SQL is built with SQLAlchemy constructs, never with string formatting."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import schema

OBSERVATION_COLUMNS = [
    "id", "area", "indicator", "peildatum", "precision", "value", "source", "note",
    "illustrative", "batch_id", "batch_file", "batch_kind", "recorded_at", "superseded_at",
]


def utcnow() -> dt.datetime:
    """Current UTC time without tzinfo, at microsecond resolution, as stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_indicators(engine: Engine) -> pd.DataFrame:
    """All indicators, in display order, indexed by code."""
    t = schema.indicators
    with engine.connect() as conn:
        df = pd.read_sql(sa.select(t).order_by(t.c.sort_order, t.c.code), conn)
    return df.set_index("code", drop=False)


def load_areas(engine: Engine) -> pd.DataFrame:
    """All areas."""
    with engine.connect() as conn:
        return pd.read_sql(sa.select(schema.areas).order_by(schema.areas.c.id), conn)


def _targets_query():
    t, a = schema.targets, schema.areas
    return sa.select(
        t.c.id, t.c.indicator_code.label("indicator"), a.c.name.label("area"), t.c.version,
        t.c.baseline_value, t.c.baseline_year, t.c.target_value, t.c.target_year,
        t.c.comparison, t.c.horizon_year, t.c.baseline_benchmark, t.c.source, t.c.valid_from,
        t.c.reason, t.c.created_at, t.c.created_by, t.c.batch_id,
    ).join(a, a.c.id == t.c.area_id)


def load_target_history(engine: Engine) -> pd.DataFrame:
    """Every version of every target, oldest first."""
    t = schema.targets
    q = _targets_query().order_by(t.c.indicator_code, t.c.version)
    with engine.connect() as conn:
        return pd.read_sql(q, conn)


def load_current_targets(engine: Engine, as_of: dt.datetime | None = None,
                         valid_on: dt.date | None = None) -> pd.DataFrame:
    """The newest target version per indicator and area as known at `as_of`, among the versions
    in force on `valid_on` (geldig vanaf on or before it); every known version's newest when None."""
    hist = load_known_targets(engine, as_of)
    return targets_in_force(hist, valid_on) if valid_on is not None else newest_versions(hist)


def load_known_targets(engine: Engine, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Every target version recorded by `as_of` (all when None), oldest first."""
    hist = load_target_history(engine)
    if as_of is not None:
        hist = hist[pd.to_datetime(hist["created_at"]) <= pd.Timestamp(as_of)]
    return hist


def newest_versions(hist: pd.DataFrame) -> pd.DataFrame:
    """The highest version per indicator and area."""
    if hist.empty:
        return hist
    return hist.sort_values("version").groupby(["indicator", "area"], as_index=False).last()


def targets_in_force(hist: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Per indicator and area the newest version whose geldig vanaf is on or before `on`: a
    version valid from 2028 does not apply in 2026."""
    if hist.empty:
        return hist
    valid = pd.to_datetime(hist["valid_from"]).dt.date <= on
    return newest_versions(hist[valid.to_numpy()])


def load_observations(
    engine: Engine | Connection,
    as_of: dt.datetime | None = None,
    area: str | None = None,
    indicator: str | None = None,
    areas: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Observations current now, or as known at `as_of` (a UTC time), with their batch."""
    o, a, b = schema.observations, schema.areas, schema.import_batches
    q = (
        sa.select(
            o.c.id, a.c.name.label("area"), o.c.indicator_code.label("indicator"),
            o.c.peildatum, o.c.precision, o.c.value, o.c.source, o.c.note,
            o.c.illustrative, o.c.batch_id, b.c.filename.label("batch_file"),
            b.c.kind.label("batch_kind"), o.c.recorded_at, o.c.superseded_at,
        )
        .join(a, a.c.id == o.c.area_id)
        .outerjoin(b, b.c.id == o.c.batch_id)
    )
    if as_of is None:
        q = q.where(o.c.superseded_at.is_(None))
    else:
        q = q.where(o.c.recorded_at <= as_of).where(
            sa.or_(o.c.superseded_at.is_(None), o.c.superseded_at > as_of)
        )
    if area is not None:
        q = q.where(a.c.name == area)
    if areas is not None:
        q = q.where(a.c.name.in_(areas))
    if indicator is not None:
        q = q.where(o.c.indicator_code == indicator)
    q = q.order_by(a.c.name, o.c.indicator_code, o.c.peildatum)
    if isinstance(engine, Connection):
        df = pd.read_sql(q, engine)
    else:
        with engine.connect() as conn:
            df = pd.read_sql(q, conn)
    df["peildatum"] = pd.to_datetime(df["peildatum"])
    df["illustrative"] = df["illustrative"].astype(bool)
    df["value"] = df["value"].astype(float)
    return df[OBSERVATION_COLUMNS]


def load_batches(engine: Engine) -> pd.DataFrame:
    """All import batches, newest first."""
    b = schema.import_batches
    with engine.connect() as conn:
        return pd.read_sql(sa.select(b).order_by(b.c.id.desc()), conn)


def count_illustrative(engine: Engine) -> int:
    """How many current observations are illustrative (demo) values."""
    o = schema.observations
    q = sa.select(sa.func.count()).where(o.c.illustrative.is_(True), o.c.superseded_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(q).scalar())


def remove_illustrative(engine: Engine) -> int:
    """Delete every illustrative observation (current and earlier versions); returns the count."""
    o = schema.observations
    with engine.begin() as conn:
        # Unlink real rows that once replaced a demo row, then drop the demo rows.
        return conn.execute(sa.delete(o).where(o.c.illustrative.is_(True))).rowcount


def area_ids(conn: Connection) -> dict[str, int]:
    """Area name -> id."""
    rows = conn.execute(sa.select(schema.areas.c.name, schema.areas.c.id))
    return {name: id_ for name, id_ in rows}


def create_batch(conn: Connection, kind: str, filename: str, user: str = "", **counts) -> int:
    """Insert an import batch and return its id."""
    res = conn.execute(
        sa.insert(schema.import_batches).values(
            kind=kind, filename=filename, created_by=user, created_at=utcnow(), **counts
        )
    )
    return int(res.inserted_primary_key[0])
