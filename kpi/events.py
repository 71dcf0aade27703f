"""Events on the timeline (gebeurtenissen): a dated short text, optionally tied to one KPI.

Editors record them (the opening of a parking garage, a lockdown); charts and reports show
them. The text is stored and returned exactly as typed; every view shows it as plain text.
Deleting marks the row, so the list "as known at" an earlier moment can be reproduced.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import repository, schema
from kpi.access import Access, refusal
from kpi.export import CONTROL_CHARACTERS

MAX_TEXT_LENGTH = 100
EVENT_COLUMNS = ["id", "event_date", "text", "indicator", "area", "created_at", "created_by"]


class EventError(ValueError):
    """An event cannot be stored; the message is Dutch and user-facing."""


def _check_user(user: str) -> None:
    limit = schema.events.c.created_by.type.length
    if len(user) > limit:
        raise EventError(f"De naam is te lang ({len(user)} tekens); de grens is {limit} tekens.")


def add_event(
    engine: Engine,
    event_date: dt.date,
    text: str,
    indicator: str | None = None,
    area: str | None = None,
    user: str = "",
    access: Access | None = None,
) -> int:
    """Store an event and return its id; EventError for an empty, long or unknown input, and when
    `access` (kpi.access: the editor and KPI_EDITOR_AREAS) may not edit `area` (None: the default centre)."""
    if access is not None and (reason := refusal(access, [("", None, area)], "Deze gebeurtenis")):
        raise EventError(reason)
    clean = " ".join(str(text).split())
    if not clean:
        raise EventError("Vul een korte omschrijving van de gebeurtenis in.")
    if len(clean) > MAX_TEXT_LENGTH:
        raise EventError(f"De omschrijving is te lang: maximaal {MAX_TEXT_LENGTH} tekens.")
    if CONTROL_CHARACTERS.search(clean):
        raise EventError("De omschrijving bevat een onzichtbaar stuurteken; typ haar opnieuw.")
    _check_user(user)
    if isinstance(event_date, dt.datetime):
        event_date = event_date.date()
    if not isinstance(event_date, dt.date):
        raise EventError("Kies een datum voor de gebeurtenis.")
    e = schema.events
    with engine.begin() as conn:
        if indicator is not None:
            known = conn.execute(
                sa.select(sa.func.count()).where(schema.indicators.c.code == indicator)
            ).scalar()
            if not known:
                raise EventError(f"Onbekende KPI ‘{indicator}’.")
        area_id = None
        if area is not None:
            area_id = repository.area_ids(conn).get(area)
            if area_id is None:
                raise EventError(f"Onbekend gebied ‘{area}’.")
        res = conn.execute(
            sa.insert(e).values(
                event_date=event_date, text=clean, indicator_code=indicator, area_id=area_id,
                created_at=repository.write_moment(conn), created_by=user,
            )
        )
        repository.touch_data_version(conn)
        return int(res.inserted_primary_key[0])


def list_events(
    engine: Engine,
    as_of: dt.datetime | None = None,
    area: str | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Events known now (or at `as_of`, UTC), oldest event first.

    With `area`, events of that area and events without an area; with `indicator`, events
    of that KPI and events without a KPI. Columns: EVENT_COLUMNS (indicator and area None
    when the event applies to all).
    """
    e, a = schema.events, schema.areas
    q = sa.select(
        e.c.id, e.c.event_date, e.c.text, e.c.indicator_code.label("indicator"),
        a.c.name.label("area"), e.c.created_at, e.c.created_by,
    ).outerjoin(a, a.c.id == e.c.area_id)
    q = q.where(repository.known_at(e.c.created_at, e.c.deleted_at, as_of))
    if area is not None:
        q = q.where(sa.or_(e.c.area_id.is_(None), a.c.name == area))
    if indicator is not None:
        q = q.where(sa.or_(e.c.indicator_code.is_(None), e.c.indicator_code == indicator))
    q = q.order_by(e.c.event_date, e.c.id)
    with engine.connect() as conn:
        df = pd.read_sql(q, conn)
    df["event_date"] = pd.to_datetime(df["event_date"])
    # NULL columns come back as NaN or None depending on the driver: make them None.
    for col in ("indicator", "area"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df[EVENT_COLUMNS]


def delete_event(engine: Engine, event_id: int, user: str = "", access: Access | None = None) -> bool:
    """Remove an event from every view from now on; False when there is no such event. EventError
    when `access` may not edit the event's centre (an event without one: the default centre's)."""
    _check_user(user)
    e, a = schema.events, schema.areas
    with engine.begin() as conn:
        area = conn.execute(sa.select(a.c.name).select_from(e).outerjoin(a, a.c.id == e.c.area_id)
                            .where(e.c.id == int(event_id))).scalar()
        if access is not None and (reason := refusal(access, [("", None, area)], f"Gebeurtenis {int(event_id)}")):
            raise EventError(reason)
        res = conn.execute(
            sa.update(e)
            .where(e.c.id == int(event_id), e.c.deleted_at.is_(None))
            .values(deleted_at=repository.write_moment(conn), deleted_by=user)
        )
        repository.touch_data_version(conn)
        return res.rowcount == 1


def for_indicator(events: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The events that belong on one KPI's chart: its own and those without a KPI."""
    if events.empty:
        return events
    mask = events["indicator"].isna() | (events["indicator"] == indicator)
    return events.loc[mask].reset_index(drop=True)
