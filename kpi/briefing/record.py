"""Making a briefing as a record: `make_briefing` evaluates the KPIs as known at a moment, applies
the definitief rule (kpi.briefing.rules) and stores what the document is made from, so that it
can be made again later (kpi.reports.model.load_report(briefing=N))."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import repository, service
from kpi.access import Access, refusal
from kpi.briefing import store
from kpi.briefing.model import CONCEPT, DEFINITIEF
from kpi.briefing.period import HINT, parse_period
from kpi.briefing.rules import definitief_refusal
from kpi.export import CONTROL_CHARACTERS
from kpi.settings import Settings

# The settings that shape a briefing's content, stored with it (never secrets or addresses of servers).
SHAPING_SETTINGS = ("area", "benchmark_area", "publisher", "contact_name", "contact_email")
MAX_USER = 200


class BriefingRefused(Exception):
    """A briefing that cannot be stored; the message is Dutch and names what is missing."""


def shaping_settings(settings: Settings) -> dict:
    """The settings a briefing stores, as JSON-ready values."""
    return {name: getattr(settings, name) for name in SHAPING_SETTINGS}


def with_stored_settings(settings: Settings, stored: dict) -> Settings:
    """`settings` with the values a briefing was made with (unknown names are ignored)."""
    return replace(settings, **{k: v for k, v in stored.items() if k in SHAPING_SETTINGS})


def contact_line(settings: Settings) -> str:
    """The colophon's contact: 'Programmabureau Binnenstad, binnenstad@assen.nl' (what is set)."""
    return ", ".join(p for p in (settings.contact_name.strip(), settings.contact_email.strip()) if p)


def checked_period(text: str) -> str:
    """The period as stored ('2026-K4'); BriefingRefused (Dutch) when it is no period."""
    period = parse_period(text)
    if period is None:
        raise BriefingRefused(f"'{str(text)[:40]}' is geen briefingperiode; {HINT}. Er is niets opgeslagen.")
    return period


def make_briefing(engine: Engine, settings: Settings, period: str, user: str, *, definitief: bool = False,
                  as_of: dt.datetime | None = None, access: Access | None = None) -> int:
    """Store a briefing of `period` (concept, or definitief) showing the data as known at `as_of`
    (UTC; now when None); its number. BriefingRefused (Dutch) when the period is unreadable, or,
    for definitief, when a KPI that is achter or risico has no duiding for the period, and when
    `access` (kpi.access: the editor and KPI_EDITOR_AREAS) may not edit the centre `settings.area`."""
    if access is not None and (reason := refusal(access, [("", None, settings.area)], "Deze briefing")):
        raise BriefingRefused(reason)
    period = checked_period(period)
    if len(user) > MAX_USER:
        raise BriefingRefused(f"De naam is te lang ({len(user)} tekens); de grens is {MAX_USER} tekens.")
    if CONTROL_CHARACTERS.search(user):
        raise BriefingRefused("De naam bevat een onzichtbaar stuurteken; typ hem opnieuw. Er is niets opgeslagen.")
    now = repository.utcnow()
    data_as_of = min(as_of, now) if as_of is not None else now
    today = fmt.local(data_as_of).date()
    results = service.evaluate_all(engine, settings, today, as_of=data_as_of)
    statuses = {r.indicator.code: r.status for r in results}
    names = {r.indicator.code: r.indicator.name for r in results}
    with engine.begin() as conn:
        rows = store.load_duiding(conn, area=settings.area, period=period, as_of=data_as_of)
        if definitief and (missing := definitief_refusal(statuses, store.by_indicator(rows), names, period)):
            raise BriefingRefused(missing)
        number = store.insert_briefing(
            conn, area=settings.area, period=period, state=DEFINITIEF if definitief else CONCEPT, made_at=now,
            made_by=user, data_as_of=data_as_of, duiding_ids=[int(i) for i in rows["id"]],
            settings=shaping_settings(settings), data_version=repository.data_version(conn),
        )
        repository.touch_data_version(conn)
    return number
