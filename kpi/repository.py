"""Reading and writing the stored data as pandas frames. Every function receives an Engine
or Connection; SQL is built with SQLAlchemy constructs, never with string formatting."""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import schema

OBSERVATION_COLUMNS = [
    "id", "area", "indicator", "peildatum", "precision", "value", "source", "note",
    "illustrative", "batch_id", "batch_file", "batch_kind", "recorded_at", "superseded_at", "plausibility",
]


def utcnow() -> dt.datetime:
    """Current UTC time without tzinfo, at microsecond resolution, as stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def known_at(start: sa.ColumnElement, end: sa.ColumnElement, as_of: dt.datetime | None) -> sa.ColumnElement:
    """The one "as known at" rule for versioned rows: current now (no end) when `as_of` is
    None, else recorded by `as_of` and not yet ended (superseded, deleted) at that moment."""
    if as_of is None:
        return end.is_(None)
    return sa.and_(start <= as_of, sa.or_(end.is_(None), end > as_of))


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


AGREEMENT_COLUMNS = ["agreement", "agreement_date", "parties", "agreement_source", "agreement_end",
                     "agreement_batch_id", "recorded_at"]


def load_agreements(engine: Engine | Connection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The agreements (akkoorden) as known at `as_of` (current when None), newest first."""
    g = schema.agreements
    q = sa.select(
        g.c.name.label("agreement"), g.c.agreement_date, g.c.parties, g.c.source.label("agreement_source"),
        g.c.end_date.label("agreement_end"), g.c.batch_id.label("agreement_batch_id"), g.c.recorded_at,
    ).where(known_at(g.c.recorded_at, g.c.superseded_at, as_of)).order_by(g.c.agreement_date.desc(), g.c.name)
    if isinstance(engine, Connection):
        rows = engine.execute(q).mappings().all()
    else:
        with engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
    df = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    for col in ("agreement_date", "agreement_end"):
        df[col] = [None if v is None or pd.isna(v) else pd.Timestamp(v).date() for v in df[col]]
    return df


def _targets_query():
    t, a, g = schema.targets, schema.areas, schema.agreements
    return sa.select(
        t.c.id, t.c.indicator_code.label("indicator"), a.c.name.label("area"), t.c.version,
        t.c.baseline_value, t.c.baseline_year, t.c.target_value, t.c.target_year,
        t.c.comparison, t.c.horizon_year, t.c.baseline_benchmark, t.c.source, t.c.valid_from,
        t.c.reason, t.c.created_at, t.c.created_by, t.c.batch_id,
        # The name is the agreement's identity across its versions (see schema.agreements).
        g.c.name.label("agreement"),
    ).join(a, a.c.id == t.c.area_id).outerjoin(g, g.c.id == t.c.agreement_id)


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
    agreements = load_agreements(engine, as_of)[["agreement", "agreement_date", "parties", "agreement_source",
                                                 "agreement_end"]]
    return hist.merge(agreements, how="left", on="agreement", sort=False)


def newest_versions(hist: pd.DataFrame) -> pd.DataFrame:
    """The highest version per indicator and area."""
    if hist.empty:
        return hist
    # Not groupby().last(): that takes the last non-null value per column, so a version that
    # clears a field (an unknown basiswaarde) would show the field of the version before it.
    return (hist.sort_values("version", kind="stable").drop_duplicates(["indicator", "area"], keep="last")
            .sort_values(["indicator", "area"], kind="stable").reset_index(drop=True))


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
    indicators: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Observations current now, or as known at `as_of` (a UTC time), with their batch."""
    o, a, b = schema.observations, schema.areas, schema.import_batches
    q = (
        sa.select(
            o.c.id, a.c.name.label("area"), o.c.indicator_code.label("indicator"),
            o.c.peildatum, o.c.precision, o.c.value, o.c.source, o.c.note,
            o.c.illustrative, o.c.batch_id, b.c.filename.label("batch_file"),
            b.c.kind.label("batch_kind"), o.c.recorded_at, o.c.superseded_at, o.c.plausibility,
        )
        .join(a, a.c.id == o.c.area_id)
        .outerjoin(b, b.c.id == o.c.batch_id)
    )
    q = q.where(known_at(o.c.recorded_at, o.c.superseded_at, as_of))
    wanted = (*(areas or ()), *((area,) if area is not None else ()))
    if area is not None or areas is not None:
        # By area id, looked up first: filtering on the joined name left PostgreSQL without
        # per-area statistics, and with 100 centres it scanned all 760.000 rows (680 ms) where
        # the index on area_id finds one centre's rows in 0,1 ms (bench: schaal).
        with (nullcontext(engine) if isinstance(engine, Connection) else engine.connect()) as conn:
            ids = [i for (i,) in conn.execute(sa.select(a.c.id).where(a.c.name.in_(wanted)))]
        q = q.where(o.c.area_id.in_(ids))
        if area is not None and areas is not None:
            q = q.where(a.c.name == area)
    if indicator is not None:
        q = q.where(o.c.indicator_code == indicator)
    if indicators is not None:
        q = q.where(o.c.indicator_code.in_(indicators))
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


def first_import_at(engine: Engine) -> dt.datetime | None:
    """When the first batch (the installation's start data included) was stored, naive UTC."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.min(schema.import_batches.c.created_at))).scalar()


def count_illustrative(engine: Engine) -> int:
    """How many current observations are illustrative (demo) values."""
    o = schema.observations
    # `illustrative AND superseded_at IS NULL`: the predicate of the partial index
    # ix_observations_illustrative, so the count reads that index, not every row.
    q = sa.select(sa.func.count()).where(o.c.illustrative, o.c.superseded_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(q).scalar())


@dataclass(frozen=True)
class Removed:
    """What `remove_illustrative` deleted: illustrative values and illustrative actions."""

    values: int
    actions: int
    areas: int = 0  # fictional demo centres (issue 21.6)

    def sentence(self) -> str:
        """'12 illustratieve waarden en 13 illustratieve acties verwijderd.' (with ', 5 fictieve
        centra' when demo centres went too)."""
        values = "illustratieve waarde" if self.values == 1 else "illustratieve waarden"
        actions = "illustratieve actie" if self.actions == 1 else "illustratieve acties"
        areas = "fictief centrum" if self.areas == 1 else "fictieve centra"
        centres = f", {self.areas} {areas}" if self.areas else ""
        return f"{self.values} {values}{centres} en {self.actions} {actions} verwijderd."


def remove_illustrative(engine: Engine) -> Removed:
    """Delete every illustrative observation and action (current and earlier versions).

    Real actions (the werkplan's own) stay, and so do real versions that replaced a demo one.
    """
    o, ac, ak = schema.observations, schema.actions, schema.action_kpis
    with engine.begin() as conn:
        # superseded_by_batch_id points at batches, not rows, so no real row refers to a demo row.
        values = conn.execute(sa.delete(o).where(o.c.illustrative.is_(True))).rowcount
        demo = sa.select(ac.c.id).where(ac.c.illustrative.is_(True)).scalar_subquery()
        conn.execute(sa.delete(ak).where(ak.c.action_id.in_(demo)))
        actions = conn.execute(
            sa.delete(ac).where(ac.c.illustrative.is_(True), ac.c.superseded_at.is_(None))
        ).rowcount
        # Earlier versions of demo actions go too, but are not counted as separate actions.
        conn.execute(sa.delete(ac).where(ac.c.illustrative.is_(True)))
        areas = _remove_fictional_areas(conn)
        touch_data_version(conn)
    return Removed(values=values, actions=actions, areas=areas)


def _remove_fictional_areas(conn: Connection) -> int:
    """Delete the fictional demo centres nothing refers to any more (an import of real figures or
    real actions for one keeps it: then it is no longer only a demo), with their werkplan's themes
    and roles (issue 21.3)."""
    a = schema.areas
    used = sa.union(*(sa.select(t.c.area_id).where(t.c.area_id.is_not(None))
                      for t in (schema.observations, schema.targets, schema.events, schema.actions,
                                schema.duiding, schema.briefings)))
    gone = sa.select(a.c.id).where(a.c.illustrative.is_(True), a.c.id.not_in(used)).scalar_subquery()
    rt, r, t = schema.role_themes, schema.roles, schema.themes
    conn.execute(sa.delete(rt).where(rt.c.area_id.in_(gone)))
    conn.execute(sa.delete(r).where(r.c.area_id.in_(gone)))
    conn.execute(sa.delete(t).where(t.c.area_id.in_(gone)))
    return conn.execute(sa.delete(a).where(a.c.illustrative.is_(True), a.c.id.not_in(used))).rowcount


def write_moment(conn: Connection) -> dt.datetime:
    """The moment a write transaction stamps on its rows (recorded_at, created_at), taken after
    it holds the write lock: the data_version row (a row lock in PostgreSQL, the write lock in
    SQLite), kept until commit. The digest takes its moment the same way (kpi.digest.run), so a
    write whose stamp lies before a digest's moment has committed before the digest reads, and a
    write not yet committed stamps a later moment: no change falls between two digests. (The
    stamps come from this process's clock; processes on several machines need synchronised clocks.)
    """
    lock_data_version(conn)
    return utcnow()


def lock_data_version(conn: Connection) -> str:
    """Take the data's write lock for the rest of the caller's transaction (the data_version row,
    as write_moment does) and return the data version: no other write can commit a change before
    this transaction ends, since every write changes that row (touch_data_version)."""
    dv = schema.data_version
    conn.execute(sa.update(dv).where(dv.c.id == 1).values(token=dv.c.token))  # lock, change nothing
    return data_version(conn)


def touch_data_version(conn: Connection) -> None:
    """Give the data a new version inside the caller's write transaction (call it in EVERY write).

    Dashboards key their caches on this version, so a change by any process shows on the next
    page load. Writes that stamp rows take the same row's lock earlier, with write_moment.
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


def area_rows(conn: Connection, names: list[str], **fields) -> list[dict]:
    """Rows for new areas with these names, each with a slug unique among the stored ones and
    each other (a second 'Assen-Binnenstad' gets 'assen-binnenstad-2')."""
    from kpi.names import slug

    taken = set(conn.execute(sa.select(schema.areas.c.slug)).scalars())
    rows = []
    for name in names:
        base = candidate = slug(name)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        rows.append(dict(name=name, slug=candidate, **fields))
    return rows


def area_ids(conn: Connection) -> dict[str, int]:
    """Area name -> id."""
    rows = conn.execute(sa.select(schema.areas.c.name, schema.areas.c.id))
    return {name: id_ for name, id_ in rows}


def create_batch(conn: Connection, kind: str, filename: str, user: str = "", *, sha256: str = "",
                 created_at: dt.datetime | None = None, **counts) -> int:
    """Insert an import batch (the one place batches are made) and return its id."""
    res = conn.execute(
        sa.insert(schema.import_batches).values(
            kind=kind, filename=filename[:500], sha256=sha256, created_by=user,
            created_at=created_at or utcnow(), **counts
        )
    )
    return int(res.inserted_primary_key[0])


# ---- versioned tables (actions, subscribers, duiding, agreements): one current row per key ----

def later_batches(conn: Connection, table: sa.Table, batch_id: int) -> list[tuple[int, str]]:
    """(id, file) of the batches still in force that replaced a version `batch_id` wrote in a
    versioned `table`, newest first: they have to be undone first."""
    b = schema.import_batches
    replaced_by = sa.select(table.c.superseded_by_batch_id).where(
        table.c.batch_id == batch_id, table.c.superseded_by_batch_id.is_not(None))
    rows = conn.execute(
        sa.select(b.c.id, b.c.filename)
        .where(b.c.id.in_(replaced_by), b.c.undone_at.is_(None), b.c.id != batch_id)
        .order_by(b.c.id.desc())
    ).all()
    return [(int(i), str(f)) for i, f in rows]


def undo_versions(conn: Connection, table: sa.Table, batch_id: int, now: dt.datetime) -> None:
    """Withdraw the versions `batch_id` wrote in a versioned `table` (superseded now, by no batch)
    and bring back, as new current rows stamped `now`, the versions it replaced; those keep their
    own interval for as-of views. The caller checks later_batches first and marks the batch undone."""
    conn.execute(
        sa.update(table).where(table.c.batch_id == batch_id, table.c.superseded_at.is_(None))
        .values(superseded_at=now, superseded_by_batch_id=None)
    )
    copied = [c for c in table.c if c.name not in ("id", "recorded_at", "superseded_at", "superseded_by_batch_id")]
    old = conn.execute(sa.select(*copied).where(table.c.superseded_by_batch_id == batch_id)
                       .order_by(table.c.id)).mappings().all()
    if old:
        conn.execute(sa.insert(table), [{c.name: r[c.name] for c in copied} | {"recorded_at": now} for r in old])
