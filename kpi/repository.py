"""Reading and writing the stored data as pandas frames. Every function receives an Engine
or Connection; SQL is built with SQLAlchemy constructs, never with string formatting."""

from __future__ import annotations

import datetime as dt
import uuid

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
        t.c.comparison, t.c.source, t.c.valid_from, t.c.reason, t.c.created_at,
        t.c.created_by, t.c.batch_id,
    ).join(a, a.c.id == t.c.area_id)


def load_target_history(engine: Engine) -> pd.DataFrame:
    """Every version of every target, oldest first."""
    t = schema.targets
    q = _targets_query().order_by(t.c.indicator_code, t.c.version)
    with engine.connect() as conn:
        return pd.read_sql(q, conn)


def load_current_targets(engine: Engine, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The newest target version per indicator and area (as known at `as_of`)."""
    hist = load_target_history(engine)
    if as_of is not None:
        hist = hist[pd.to_datetime(hist["created_at"]) <= pd.Timestamp(as_of)]
    if hist.empty:
        return hist
    return hist.sort_values("version").groupby(["indicator", "area"], as_index=False).last()


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
        removed = conn.execute(sa.delete(o).where(o.c.illustrative.is_(True))).rowcount
        touch_data_version(conn)
        return removed


def touch_data_version(conn: Connection) -> None:
    """Give the data a new version inside the caller's write transaction (call it in EVERY write).

    Dashboards key their caches on this version, so a change by any process shows on the next
    page load. Called last in a write, so the row lock it takes (PostgreSQL) is held briefly.
    """
    values = dict(token=uuid.uuid4().hex, changed_at=utcnow())
    dv = schema.data_version
    if conn.execute(sa.update(dv).where(dv.c.id == 1).values(**values)).rowcount == 0:
        conn.execute(sa.insert(dv).values(id=1, **values))


def data_version(engine: Engine | Connection) -> str:
    """The current data version (a token that changes with every write); cheap, one row."""
    q = sa.select(schema.data_version.c.token).where(schema.data_version.c.id == 1)
    if isinstance(engine, Connection):
        return engine.execute(q).scalar() or ""
    with engine.connect() as conn:
        return conn.execute(q).scalar() or ""


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
