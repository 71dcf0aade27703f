"""Stored subscribers of the digest: reading, and the versioned writes the importer calls.

A subscriber is keyed by e-mail address (lower case). Like actions, a change is a new row and
the old one is superseded by the batch; undo withdraws the batch's rows and brings back the
versions they replaced. Only the importer (kpi/importer/subscribers.py) writes here.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import schema

ALL_KPIS = "alle"
COLUMNS = ["id", "email", "name", "areas", "kpis", "werkplan", "active", "token", "batch_id", "recorded_at"]


def areas_of(text: str) -> tuple[str, ...]:
    """Stored areas ('Assen binnenstad, Emmen centrum') as a tuple; () means the monitored area."""
    return tuple(a.strip() for a in str(text or "").split(",") if a.strip())


def kpis_of(text: str) -> tuple[str, ...] | str:
    """Stored KPIs: 'alle' as it is, otherwise a tuple of codes (empty: no KPIs)."""
    text = str(text or "").strip()
    return ALL_KPIS if text == ALL_KPIS else tuple(k.strip() for k in text.split(",") if k.strip())


def new_token() -> str:
    """The secret of an unsubscribe link: 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


def _current_or_as_of(q, as_of: dt.datetime | None):
    s = schema.subscribers
    if as_of is None:
        return q.where(s.c.superseded_at.is_(None))
    return q.where(s.c.recorded_at <= as_of, sa.or_(s.c.superseded_at.is_(None), s.c.superseded_at > as_of))


def load_subscribers(engine: Engine | Connection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Current subscribers (or as known at `as_of`), ordered by e-mail address; `areas` and
    `kpis` as stored text (see areas_of, kpis_of)."""
    s = schema.subscribers
    q = _current_or_as_of(sa.select(*(s.c[c] for c in COLUMNS)), as_of).order_by(s.c.email)
    if isinstance(engine, Connection):
        rows = engine.execute(q).mappings().all()
    else:
        with engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
    out = pd.DataFrame([dict(r) for r in rows], columns=COLUMNS)
    out["werkplan"] = out["werkplan"].astype(bool)
    out["active"] = out["active"].astype(bool)
    return out


def first_recorded(conn: Engine | Connection) -> dict[str, dt.datetime]:
    """E-mail address -> when it was first subscribed (its oldest version)."""
    s = schema.subscribers
    q = sa.select(s.c.email, sa.func.min(s.c.recorded_at)).group_by(s.c.email)
    if isinstance(conn, Connection):
        return {e: t for e, t in conn.execute(q).all()}
    with conn.connect() as c:
        return {e: t for e, t in c.execute(q).all()}


def by_token(engine: Engine, token: str) -> dict | None:
    """The current subscriber whose unsubscribe link carries `token`, or None."""
    if not token:
        return None
    s = schema.subscribers
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(*(s.c[c] for c in COLUMNS)).where(s.c.token == token, s.c.superseded_at.is_(None))
        ).mappings().first()
    return None if row is None else dict(row)


def save_subscribers(conn: Connection, frame: pd.DataFrame, batch_id: int, now: dt.datetime) -> None:
    """Store each row (email, name, areas, kpis, werkplan, active, token) as the new current
    version of its subscriber, superseding the current one; the caller validates."""
    s = schema.subscribers
    emails = [str(e) for e in frame["email"]]
    if emails:
        conn.execute(
            sa.update(s).where(s.c.email.in_(emails), s.c.superseded_at.is_(None))
            .values(superseded_at=now, superseded_by_batch_id=batch_id)
        )
        conn.execute(sa.insert(s), [
            dict(email=str(r["email"]), name=str(r["name"] or ""), areas=str(r["areas"] or ""),
                 kpis=str(r["kpis"] or ""), werkplan=bool(r["werkplan"]), active=bool(r["active"]),
                 token=str(r["token"]), batch_id=batch_id, recorded_at=now)
            for r in frame.to_dict("records")
        ])
