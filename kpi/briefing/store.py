"""Stored duiding and briefings: reading (current or as known at a moment) and the versioned
writes the importer calls.

Duiding is keyed by (area, indicator, period). Like actions and subscribers, a change is a new
row and the old one is superseded by the batch; undo withdraws the batch's rows and brings back
the versions they replaced. Only the importer (kpi/importer/duiding.py) writes duiding; briefing
records are written by kpi.briefing.record.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import repository, schema
from kpi.briefing.model import BriefingInfo, Duiding

COLUMNS = ["id", "area", "indicator", "period", "cause", "effect", "bijsturing", "author", "written_on",
           "illustrative", "batch_id", "recorded_at"]


def _rows(engine: Engine | Connection, q) -> list:
    if isinstance(engine, Connection):
        return engine.execute(q).mappings().all()
    with engine.connect() as conn:
        return conn.execute(q).mappings().all()


def _select():
    d, a = schema.duiding, schema.areas
    return sa.select(
        d.c.id, a.c.name.label("area"), d.c.indicator_code.label("indicator"), d.c.period, d.c.cause, d.c.effect,
        d.c.bijsturing, d.c.author, d.c.written_on, d.c.illustrative, d.c.batch_id, d.c.recorded_at,
    ).join(a, a.c.id == d.c.area_id)


def _frame(rows) -> pd.DataFrame:
    out = pd.DataFrame([dict(r) for r in rows], columns=COLUMNS)
    out["illustrative"] = out["illustrative"].astype(bool)
    return out


def load_duiding(engine: Engine | Connection, *, area: str | None = None, period: str | None = None,
                 as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The duiding rows in force (as known at `as_of`, UTC; now when None), optionally of one
    area and period, ordered by period, indicator and area."""
    d, a = schema.duiding, schema.areas
    q = _select().where(repository.known_at(d.c.recorded_at, d.c.superseded_at, as_of))
    if area is not None:
        q = q.where(a.c.name == area)
    if period is not None:
        q = q.where(d.c.period == period)
    return _frame(_rows(engine, q.order_by(d.c.period, d.c.indicator_code, a.c.name)))


def as_duiding(row) -> Duiding:
    """One stored row (a load_duiding record) as the documents read it."""
    written = row["written_on"]
    return Duiding(
        indicator_code=str(row["indicator"]), period=str(row["period"]), cause=str(row["cause"]),
        effect=str(row["effect"]), bijsturing=str(row["bijsturing"]), author=str(row["author"]),
        written_on=written if isinstance(written, dt.date) else pd.Timestamp(written).date(),
        batch_id=None if pd.isna(row["batch_id"]) else int(row["batch_id"]),
        illustrative=bool(row["illustrative"]),
    )


def by_indicator(frame: pd.DataFrame) -> dict[str, Duiding]:
    """Indicator code -> Duiding of a load_duiding frame of one area and period."""
    return {str(r["indicator"]): as_duiding(r) for r in frame.to_dict("records")}


def current_duiding(engine: Engine | Connection, area: str, period: str,
                    as_of: dt.datetime | None = None) -> dict[str, Duiding]:
    """Indicator code -> the duiding in force for `area` and `period` as known at `as_of`."""
    return by_indicator(load_duiding(engine, area=area, period=period, as_of=as_of))


def duiding_versions(engine: Engine | Connection, ids: list[int]) -> pd.DataFrame:
    """The stored duiding rows with these ids, whatever happened to them since."""
    d = schema.duiding
    if not ids:
        return _frame([])
    return _frame(_rows(engine, _select().where(d.c.id.in_([int(i) for i in ids])).order_by(d.c.indicator_code)))


def duiding_news(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The regiegroep's duiding written or revised in between: rows in force `after` (a
    load_duiding frame) that were not in force `before`, marked 'nieuw' or 'herzien' (a duiding for
    the same centre, KPI and period was in force before). Illustrative duiding is not news. The
    digest and a briefing's promotion (kpi.briefing.record) both count with it."""
    fresh = after[~after["id"].isin(set(before["id"])) & ~after["illustrative"].astype(bool)].copy()
    known = set(zip(before["area"], before["indicator"], before["period"], strict=True))
    fresh["change"] = ["herzien" if k in known else "nieuw"
                       for k in zip(fresh["area"], fresh["indicator"], fresh["period"], strict=True)]
    return fresh.reset_index(drop=True)


def save_duiding(conn: Connection, frame: pd.DataFrame, batch_id: int, now: dt.datetime) -> None:
    """Store each row (area, indicator, period, cause, effect, bijsturing, author, written_on) as the
    new current version of its duiding, superseding the current one; the caller validates."""
    d = schema.duiding
    if frame.empty:
        return
    ids = repository.area_ids(conn)
    for r in frame.to_dict("records"):
        conn.execute(
            sa.update(d).where(d.c.area_id == ids[r["area"]], d.c.indicator_code == r["indicator"],
                               d.c.period == r["period"], d.c.superseded_at.is_(None))
            .values(superseded_at=now, superseded_by_batch_id=batch_id)
        )
    conn.execute(sa.insert(d), [
        dict(area_id=ids[r["area"]], indicator_code=str(r["indicator"]), period=str(r["period"]),
             cause=str(r["cause"]), effect=str(r["effect"]), bijsturing=str(r["bijsturing"]),
             author=str(r["author"]), written_on=r["written_on"], illustrative=False, batch_id=batch_id,
             recorded_at=now)
        for r in frame.to_dict("records")
    ])


# ---- briefings ------------------------------------------------------------------------------

BRIEFING_COLUMNS = ["id", "area", "period", "state", "made_at", "made_by", "data_as_of", "duiding_ids",
                    "settings_json", "data_version", "promoted_from", "promoted_to"]


def _briefing_select():
    b, a = schema.briefings, schema.areas
    later = b.alias("later")
    return sa.select(b.c.id, a.c.name.label("area"), b.c.period, b.c.state, b.c.made_at, b.c.made_by,
                     b.c.data_as_of, b.c.duiding_ids, b.c.settings_json, b.c.data_version, b.c.promoted_from,
                     later.c.id.label("promoted_to")
                     ).join(a, a.c.id == b.c.area_id).outerjoin(later, later.c.promoted_from == b.c.id)


def insert_briefing(conn: Connection, *, area: str, period: str, state: str, made_at: dt.datetime, made_by: str,
                    data_as_of: dt.datetime, duiding_ids: list[int], settings: dict, data_version: str,
                    promoted_from: int | None = None) -> int:
    """Store a briefing record; its number. `promoted_from`: the concept it was promoted from (the
    database refuses a second promotion of one concept: IntegrityError)."""
    area_id = repository.area_ids(conn)[area]
    res = conn.execute(sa.insert(schema.briefings).values(
        area_id=area_id, period=period, state=state, made_at=made_at, made_by=made_by, data_as_of=data_as_of,
        duiding_ids=json.dumps(sorted(int(i) for i in duiding_ids)),
        settings_json=json.dumps(settings, sort_keys=True, ensure_ascii=False), data_version=data_version,
        promoted_from=promoted_from,
    ))
    return int(res.inserted_primary_key[0])


def load_briefings(engine: Engine | Connection, area: str | None = None) -> pd.DataFrame:
    """Every stored briefing (of one area), newest first; duiding_ids as a list, settings as a dict;
    promoted_from / promoted_to: the concept a definitive one came from, the definitive one a
    concept became (None when not)."""
    b, a = schema.briefings, schema.areas
    q = _briefing_select().order_by(b.c.id.desc())
    if area is not None:
        q = q.where(a.c.name == area)
    out = pd.DataFrame([dict(r) for r in _rows(engine, q)], columns=BRIEFING_COLUMNS)
    out["duiding_ids"] = out["duiding_ids"].map(json.loads)
    out["settings_json"] = out["settings_json"].map(json.loads)
    for column in ("promoted_from", "promoted_to"):
        out[column] = pd.Series([None if pd.isna(v) else int(v) for v in out[column]], index=out.index, dtype=object)
    return out


def load_briefing(engine: Engine | Connection, number: int) -> dict | None:
    """One stored briefing as a record (see load_briefings), or None."""
    found = load_briefings(engine)
    found = found[found["id"] == int(number)]
    if found.empty:
        return None
    record = found.iloc[0].to_dict()
    for column in ("promoted_from", "promoted_to"):
        record[column] = None if record[column] is None or pd.isna(record[column]) else int(record[column])
    return record


def previous_definitief(engine: Engine | Connection, area: str, before: dt.datetime | None,
                        excluding: int | None = None) -> dt.datetime | None:
    """When the newest definitief briefing of `area` made before `before` (None: ever) was made."""
    b, a = schema.briefings, schema.areas
    q = (sa.select(sa.func.max(b.c.made_at)).join(a, a.c.id == b.c.area_id)
         .where(a.c.name == area, b.c.state == "definitief"))
    if before is not None:
        q = q.where(b.c.made_at < before)
    if excluding is not None:
        q = q.where(b.c.id != excluding)
    if isinstance(engine, Connection):
        return engine.execute(q).scalar()
    with engine.connect() as conn:
        return conn.execute(q).scalar()


def briefing_info(record: dict, previous_at: dt.datetime | None, contact: str = "") -> BriefingInfo:
    """A stored briefing as the documents read it."""
    return BriefingInfo(period=str(record["period"]), state=str(record["state"]), number=int(record["id"]),
                        made_at=record["made_at"], previous_at=previous_at, contact=contact)
