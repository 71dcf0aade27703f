"""Reading and writing the werkplan (themes, roles, the role x theme matrix, actions).

Actions are versioned like observations: one current row per code (superseded_at NULL);
a change of status, note or any other field is a new row, and the old row keeps its batch,
its recorded_at and gets superseded_at and superseded_by_batch_id. So "as known at" a
moment and "what changed" include status changes, with who (the batch's created_by),
when (recorded_at) and which batch.

Linked KPIs are stored in a link table (action_kpis: action version id x indicator code),
not as a comma-separated text column, because:
- the database itself guarantees every linked code is a real indicator (a foreign key, on
  SQLite and PostgreSQL alike), and an indicator cannot be removed while an action names it;
- "which actions move this KPI" is a join, not a string parse that each reader repeats;
- the links belong to an action *version*, so an as-of view shows them as they were. The
  price is that a new version copies its links, which `save_actions` does in the same
  transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import schema
from kpi.text import INSTALLER

ACTION_COLUMNS = [
    "id", "area_id", "area", "code", "title", "theme", "theme_name", "owner", "role", "year", "start", "due",
    "status", "budget", "spent", "fund", "kpis", "note", "source", "illustrative", "batch_id",
    "batch_kind", "recorded_by", "recorded_at", "superseded_at",
]
# The fields of one action version as written (the frame handed to save_actions).
WRITE_COLUMNS = [
    "code", "title", "theme", "owner", "role", "year", "start", "due", "status", "budget",
    "spent", "fund", "kpis", "note", "source", "illustrative",
]


def _read(engine: Engine | Connection, query) -> pd.DataFrame:
    if isinstance(engine, Connection):
        return pd.read_sql(query, engine)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def area_key(area: str):
    """The id of the area named `area` (gebied), as a scalar subquery for a WHERE clause."""
    a = schema.areas
    return sa.select(a.c.id).where(a.c.name == area).scalar_subquery()


def load_themes(engine: Engine | Connection, area: str) -> pd.DataFrame:
    """A centre's themes (Assen: themalijnen A-F) with a display label ('A compact & compleet'), by letter."""
    t = schema.themes
    df = _read(engine, sa.select(t).where(t.c.area_id == area_key(area)).order_by(t.c.letter))
    df["label"] = df["letter"] + " " + df["name"]
    return df


def load_roles(engine: Engine | Connection, area: str) -> pd.DataFrame:
    """A centre's roles and bodies (organen) in display order."""
    r = schema.roles
    return _read(engine, sa.select(r).where(r.c.area_id == area_key(area)).order_by(r.c.sort_order, r.c.name))


def load_role_themes(engine: Engine | Connection, area: str) -> pd.DataFrame:
    """A centre's role x theme matrix as pairs (role name, theme letter, source), in role order."""
    r, rt = schema.roles, schema.role_themes
    q = (
        sa.select(r.c.name.label("role"), rt.c.theme_letter.label("theme"), rt.c.source)
        .join(r, r.c.id == rt.c.role_id)
        .where(r.c.area_id == area_key(area))
        .order_by(r.c.sort_order, rt.c.theme_letter)
    )
    return _read(engine, q)


def _current_or_as_of(q, table: sa.Table, as_of: dt.datetime | None):
    if as_of is None:
        return q.where(table.c.superseded_at.is_(None))
    return q.where(table.c.recorded_at <= as_of).where(
        sa.or_(table.c.superseded_at.is_(None), table.c.superseded_at > as_of)
    )


def load_actions(engine: Engine | Connection, area: str, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """A centre's actions current now, or as known at `as_of` (UTC), ordered by theme and code.

    `kpis` is a tuple of indicator codes in the indicators' display order; `start` and `due`
    are Timestamps (NaT when not known); `budget` and `spent` floats (NaN when not known).
    """
    ac, th, ro, b, ar = schema.actions, schema.themes, schema.roles, schema.import_batches, schema.areas
    q = (
        sa.select(
            ac.c.id, ac.c.area_id, ar.c.name.label("area"), ac.c.code, ac.c.title, ac.c.theme_letter.label("theme"),
            th.c.name.label("theme_name"), ac.c.owner, ro.c.name.label("role"), ac.c.year,
            ac.c.start_date.label("start"), ac.c.due_date.label("due"), ac.c.status,
            ac.c.budget, ac.c.spent, ac.c.fund, ac.c.note, ac.c.source, ac.c.illustrative,
            ac.c.batch_id, b.c.kind.label("batch_kind"), b.c.created_by.label("recorded_by"),
            ac.c.recorded_at, ac.c.superseded_at,
        )
        .join(th, (th.c.letter == ac.c.theme_letter) & (th.c.area_id == ac.c.area_id))
        .join(ar, ar.c.id == ac.c.area_id)
        .outerjoin(ro, ro.c.id == ac.c.role_id)
        .outerjoin(b, b.c.id == ac.c.batch_id)
        .where(ac.c.area_id == area_key(area))
        .order_by(ac.c.theme_letter, ac.c.code)
    )
    df = _read(engine, _current_or_as_of(q, ac, as_of))
    ak, ind = schema.action_kpis, schema.indicators
    lq = (
        sa.select(ak.c.action_id, ak.c.indicator_code)
        .join(ac, ac.c.id == ak.c.action_id)
        .join(ind, ind.c.code == ak.c.indicator_code)
        .where(ac.c.area_id == area_key(area))
        .order_by(ak.c.action_id, ind.c.sort_order, ind.c.code)
    )
    links = _read(engine, _current_or_as_of(lq, ac, as_of))
    by_action = links.groupby("action_id")["indicator_code"].agg(tuple).to_dict()
    df["kpis"] = [by_action.get(i, ()) for i in df["id"]]
    df["start"] = pd.to_datetime(df["start"])
    df["due"] = pd.to_datetime(df["due"])
    df["illustrative"] = df["illustrative"].astype(bool)
    for col in ("budget", "spent"):
        df[col] = pd.to_numeric(df[col]).astype(float)
    df["year"] = df["year"].astype("Int64")
    # NULL text comes back as NaN or None depending on the driver: make it None.
    for col in ("role", "fund", "batch_kind", "recorded_by"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df[ACTION_COLUMNS].reset_index(drop=True)


def role_ids(conn: Connection) -> dict[tuple[int, str], int]:
    """(area id, role name in lower case) -> role id."""
    r = schema.roles
    return {(area_id, name.lower()): id_ for area_id, name, id_ in conn.execute(sa.select(r.c.area_id, r.c.name, r.c.id))}


def _none(value):
    """None for NaN/NaT/empty text, else the value."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _day(value) -> dt.date | None:
    value = _none(value)
    if value is None:
        return None
    return pd.Timestamp(value).date()


def save_actions(conn: Connection, frame: pd.DataFrame, batch_id: int, now: dt.datetime) -> list[int]:
    """Store each row of `frame` (WRITE_COLUMNS and `area_id`) as the new current version of its action.

    The current version of each (area, code) in the frame (if any) is superseded by `batch_id` at
    `now`; the new versions get `batch_id`, recorded_at `now` and their KPI links. The
    caller validates (known theme, role, status and KPI codes) and runs the transaction;
    an unknown role raises KeyError. Returns the new row ids in frame order.
    """
    ac, ak = schema.actions, schema.action_kpis
    keys = [(int(a), str(c)) for a, c in zip(frame["area_id"], frame["code"], strict=True)]
    if len(set(keys)) != len(keys):
        raise ValueError("an action code occurs twice for one centre in one batch")
    roles = role_ids(conn)
    for area_id in sorted({a for a, _ in keys}):
        for chunk in _chunks([c for a, c in keys if a == area_id], 500):
            conn.execute(
                sa.update(ac)
                .where(ac.c.area_id == area_id, ac.c.code.in_(chunk), ac.c.superseded_at.is_(None))
                .values(superseded_at=now, superseded_by_batch_id=batch_id)
            )
    ids = []
    for r in frame[[*WRITE_COLUMNS, "area_id"]].to_dict("records"):
        role = _none(r["role"])
        year = _none(r["year"])
        area_id = int(r["area_id"])
        res = conn.execute(
            sa.insert(ac).values(
                area_id=area_id, code=str(r["code"]), title=str(r["title"]), theme_letter=str(r["theme"]),
                owner=_none(r["owner"]) or "", role_id=None if role is None else roles[(area_id, str(role).lower())],
                year=None if year is None else int(year), start_date=_day(r["start"]),
                due_date=_day(r["due"]), status=str(r["status"]),
                budget=_none(r["budget"]), spent=_none(r["spent"]), fund=_none(r["fund"]),
                note=_none(r["note"]) or "", source=str(r["source"]),
                illustrative=bool(r["illustrative"]), batch_id=batch_id, recorded_at=now,
            )
        )
        new_id = int(res.inserted_primary_key[0])
        ids.append(new_id)
        kpis = list(dict.fromkeys(r["kpis"] or ()))
        if kpis:
            conn.execute(sa.insert(ak), [dict(action_id=new_id, indicator_code=k) for k in kpis])
    return ids


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def installed_at(engine: Engine | Connection, area: str) -> dt.datetime | None:
    """When the installation stored a centre's start actions (own and demo), naive UTC; None
    without any. Superseded versions count too: a seeded action edited since was still installed.
    Per centre: the demo adds a fictional centre's actions later, which is no news for Assen."""
    ac, b = schema.actions, schema.import_batches
    q = (sa.select(sa.func.max(ac.c.recorded_at)).join(b, b.c.id == ac.c.batch_id)
         .where(b.c.created_by == INSTALLER, ac.c.area_id == area_key(area)))
    if isinstance(engine, Connection):
        return engine.execute(q).scalar()
    with engine.connect() as conn:
        return conn.execute(q).scalar()


def centre_funds(engine: Engine | Connection, area: str) -> list[str]:
    """The funds a centre's actions name (any version), in alphabetical order."""
    ac = schema.actions
    q = (sa.select(ac.c.fund).distinct().where(ac.c.area_id == area_key(area), ac.c.fund.is_not(None))
         .order_by(ac.c.fund))
    if isinstance(engine, Connection):
        return list(engine.execute(q).scalars())
    with engine.connect() as conn:
        return list(conn.execute(q).scalars())


def count_illustrative_actions(engine: Engine) -> int:
    """How many current actions (of every centre) are illustrative (demo) actions."""
    ac = schema.actions
    q = sa.select(sa.func.count()).where(ac.c.illustrative.is_(True), ac.c.superseded_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(q).scalar())


def has_werkplan(conn: Connection) -> bool:
    """True when the themes are there (the werkplan reference data was seeded)."""
    return bool(conn.execute(sa.select(sa.func.count()).select_from(schema.themes)).scalar())



# ---- undo (the importer's undo calls these for an action batch) ------------------------------

def undo_actions(conn: Connection, batch_id: int, now: dt.datetime) -> None:
    """Withdraw the action versions `batch_id` wrote and bring back the ones it replaced.

    Same rules as observations (kpi/importer/store.py): the batch's current rows get
    superseded_at = now with superseded_by_batch_id NULL ("withdrawn"); each row the batch
    superseded comes back as a new current row, a copy with recorded_at = now, its own
    batch_id and its KPI links, while the original keeps its interval for as-of views. The
    caller checks `later_batches` first and marks the batch undone.
    """
    ac, ak = schema.actions, schema.action_kpis
    conn.execute(
        sa.update(ac)
        .where(ac.c.batch_id == batch_id, ac.c.superseded_at.is_(None))
        .values(superseded_at=now, superseded_by_batch_id=None)
    )
    copied = [c for c in ac.c if c.name not in ("id", "recorded_at", "superseded_at", "superseded_by_batch_id")]
    old = conn.execute(
        sa.select(ac.c.id, *copied).where(ac.c.superseded_by_batch_id == batch_id).order_by(ac.c.id)
    ).mappings().all()
    for row in old:
        values = {c.name: row[c.name] for c in copied}
        new_id = conn.execute(sa.insert(ac).values(**values, recorded_at=now)).inserted_primary_key[0]
        kpis = conn.execute(sa.select(ak.c.indicator_code).where(ak.c.action_id == row["id"])).scalars().all()
        if kpis:
            conn.execute(sa.insert(ak), [dict(action_id=new_id, indicator_code=k) for k in kpis])
