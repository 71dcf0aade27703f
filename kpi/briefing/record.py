"""Making a briefing as a record: `make_briefing` evaluates the KPIs as known at a moment, applies
the definitief rule (kpi.briefing.rules) and stores what the document is made from, so that it
can be made again later (kpi.reports.model.load_report(briefing=N)). `promote_briefing` makes a
stored concept definitief through the same write (`_store`): a new record of the state of now,
linked to the concept, never a change to the concept's own record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import repository, service
from kpi.access import Access, refusal
from kpi.briefing import store
from kpi.briefing.model import CONCEPT, DEFINITIEF
from kpi.briefing.period import HINT, parse_period
from kpi.briefing.rules import definitief_refusal, promotion_refusal
from kpi.briefing.text import since_concept_text
from kpi.changes import compare
from kpi.export import CONTROL_CHARACTERS
from kpi.service import load_snapshot, settings_areas
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


def _checked_user(user: str) -> str:
    if len(user) > MAX_USER:
        raise BriefingRefused(f"De naam is te lang ({len(user)} tekens); de grens is {MAX_USER} tekens.")
    if CONTROL_CHARACTERS.search(user):
        raise BriefingRefused("De naam bevat een onzichtbaar stuurteken; typ hem opnieuw. Er is niets opgeslagen.")
    return user


def _check_access(access: Access | None, area: str, what: str) -> None:
    """Refuse an editor of another centre (kpi.access, KPI_EDITOR_AREAS), as the importer does."""
    if access is not None and (reason := refusal(access, [("", None, area)], what=what)):
        raise BriefingRefused(reason)


def make_briefing(engine: Engine, settings: Settings, period: str, user: str, *, definitief: bool = False,
                  as_of: dt.datetime | None = None, access: Access | None = None) -> int:
    """Store a briefing of `period` (concept, or definitief) showing the data as known at `as_of`
    (UTC; now when None); its number. BriefingRefused (Dutch) when the period is unreadable, when
    `access` may not write this centre, or, for definitief, when a KPI that is achter or risico has
    no duiding for the period."""
    period = checked_period(period)
    _checked_user(user)
    _check_access(access, settings.area, f"de briefing van {period}")
    return _store(engine, settings, period, user, definitief=definitief, as_of=as_of)


def _store(engine: Engine, settings: Settings, period: str, user: str, *, definitief: bool,
           as_of: dt.datetime | None = None, promoted_from: int | None = None) -> int:
    """The one write of a briefing record: evaluate, apply the definitief rule, insert."""
    now = repository.utcnow()
    data_as_of = min(as_of, now) if as_of is not None else now
    today = fmt.local(data_as_of).date()
    results = service.evaluate_all(engine, settings, today, as_of=data_as_of)
    statuses = {r.indicator.code: r.status for r in results}
    names = {r.indicator.code: r.indicator.name for r in results}
    with engine.begin() as conn:
        rows = store.load_duiding(conn, area=settings.area, period=period, as_of=data_as_of)
        if definitief and (refusal_text := definitief_refusal(statuses, store.by_indicator(rows), names, period)):
            raise BriefingRefused(refusal_text)
        number = store.insert_briefing(
            conn, area=settings.area, period=period, state=DEFINITIEF if definitief else CONCEPT, made_at=now,
            made_by=user, data_as_of=data_as_of, duiding_ids=[int(i) for i in rows["id"]],
            settings=shaping_settings(settings), data_version=repository.data_version(conn),
            promoted_from=promoted_from,
        )
        repository.touch_data_version(conn)
    return number


@dataclass(frozen=True)
class Promotion:
    """A concept made definitief: the new record's number, the concept's, and what changed in
    between in words ('Sinds concept 3: 2 nieuwe cijfers, 1 duiding geschreven.')."""

    number: int
    concept: int
    since_concept: str


def promote_briefing(engine: Engine, settings: Settings, number: int, user: str, *,
                     access: Access | None = None) -> Promotion:
    """Make stored concept `number` definitief: a new definitief record of the concept's period
    with the state of now (data, duiding versions, settings), exactly as `make_briefing(...,
    definitief=True)` stores it, linked to the concept. The concept stays as it was (its document
    can still be made). BriefingRefused (Dutch) when it is no concept of this centre, was promoted
    before, `access` may not write this centre, or a KPI achter/risico has no duiding."""
    _checked_user(user)
    _check_access(access, settings.area, f"briefing {number}")  # who asks comes before what is asked
    concept = store.load_briefing(engine, number)
    if reason := promotion_refusal(number, concept, settings.area):
        raise BriefingRefused(reason)
    try:
        made = _store(engine, settings, str(concept["period"]), user, definitief=True, promoted_from=int(number))
    except sa.exc.IntegrityError:  # another editor promoted it meanwhile (uq_briefings_promoted_from)
        raise BriefingRefused(promotion_refusal(number, store.load_briefing(engine, number), settings.area)
                              or f"Concept {number} is intussen al definitief gemaakt. Er is niets opgeslagen.") from None
    return Promotion(made, int(number), since_concept(engine, settings, concept, store.load_briefing(engine, made)))


def concept_changes(engine: Engine, settings: Settings, concept: dict, final: dict) -> dict[str, int]:
    """What changed between two stored briefings' moments, counted with the app's own comparisons:
    figures, statuses and targets (kpi.changes.compare, as on 'Wat is er veranderd') and the
    duiding each used (kpi.briefing.store.duiding_news, as the digest counts it)."""
    areas = settings_areas(settings)
    before, after = (load_snapshot(engine, r["data_as_of"], areas) for r in (concept, final))
    figures = compare(before, after, settings, fmt.local(concept["data_as_of"]).date(),
                      fmt.local(final["data_as_of"]).date())
    d_before = store.duiding_versions(engine, concept["duiding_ids"])
    d_after = store.duiding_versions(engine, final["duiding_ids"])
    news = store.duiding_news(d_before, d_after)
    gone = store.duiding_news(d_after, d_before)  # in force for the concept, none for the same KPI now
    return {
        "nieuw": len(figures.new), "herzien": len(figures.revised), "ingetrokken": len(figures.withdrawn),
        "vervallen": len(figures.removed), "status": len(figures.statuses), "doel": len(figures.targets),
        "duiding nieuw": int((news["change"] == "nieuw").sum()),
        "duiding herzien": int((news["change"] == "herzien").sum()),
        "duiding vervallen": int((gone["change"] == "nieuw").sum()),
    }


def since_concept(engine: Engine, settings: Settings, concept: dict, final: dict) -> str:
    """What changed since the concept, in one Dutch sentence."""
    return since_concept_text(int(concept["id"]), concept_changes(engine, settings, concept, final))
