"""Revising targets: every change is a new version with its date and reason; history stays."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kpi import repository, schema

COMPARISONS = ("absoluut", "onder_landelijk")


class TargetRefused(ValueError):
    """A target revision that cannot be stored; the message is Dutch."""


def add_target_version(
    conn: Connection, *, indicator: str, area: str, baseline_value: float | None,
    baseline_year: int | None, target_value: float | None, target_year: int | None,
    comparison: str, source: str, valid_from: dt.date, reason: str, user: str,
    batch_id: int | None = None,
) -> int:
    """Insert the next version of a target (inside the caller's transaction); returns it."""
    if comparison not in COMPARISONS:
        raise TargetRefused(f"Onbekende vergelijking ‘{comparison}’; kies absoluut of onder_landelijk.")
    if comparison == "absoluut" and target_value is None:
        raise TargetRefused("Een absoluut doel heeft een doelwaarde nodig.")
    if not reason.strip():
        raise TargetRefused("Geef een reden voor de nieuwe doelversie.")
    ids = repository.area_ids(conn)
    if area not in ids:
        raise TargetRefused(f"Onbekend gebied ‘{area}’.")
    known = conn.execute(sa.select(schema.indicators.c.code).where(schema.indicators.c.code == indicator)).first()
    if known is None:
        raise TargetRefused(f"Onbekende indicator ‘{indicator}’.")
    t = schema.targets
    current = conn.execute(
        sa.select(sa.func.max(t.c.version)).where(t.c.indicator_code == indicator, t.c.area_id == ids[area])
    ).scalar()
    version = (current or 0) + 1
    conn.execute(sa.insert(t).values(
        indicator_code=indicator, area_id=ids[area], version=version, baseline_value=baseline_value,
        baseline_year=baseline_year, target_value=target_value, target_year=target_year,
        comparison=comparison, source=source, valid_from=valid_from, reason=reason.strip(),
        created_at=repository.utcnow(), created_by=user, batch_id=batch_id,
    ))
    return version


def revise_target(engine: Engine, **fields) -> int:
    """Store a new target version in its own transaction; returns the version number."""
    with engine.begin() as conn:
        version = add_target_version(conn, **fields)
        repository.touch_data_version(conn)
        return version
