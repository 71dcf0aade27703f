"""The one place that caches: the engine as a resource, frames as data (cleared on change)."""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from kpi import events as event_store
from kpi import repository, service
from kpi.charts import kpi_figure
from kpi.db import DatabaseUnavailable, open_database
from kpi.login import weak_password_reason
from kpi.settings import Settings


def settings() -> Settings:
    """Settings from the environment, with the editor password from secrets when present."""
    base = Settings.from_env()
    if not base.editor_password:
        try:
            secret = st.secrets.get("editor_password", "")
        except Exception:  # no secrets.toml: Streamlit raises on access
            secret = ""
        if secret:
            from dataclasses import replace

            base = replace(base, editor_password=str(secret))
    return base


@st.cache_resource(show_spinner=False)
def report_weak_password() -> str | None:
    """Once per server start: a weak or example editor password is written to the server log
    (the login box says it on screen); returns the reason, or None."""
    if reason := weak_password_reason(settings().editor_password):
        logging.getLogger("kpi.auth").error(reason)
    return reason


@st.cache_resource(show_spinner=False)
def _engine_for(url: str, seed_demo: bool):
    return open_database(url, seed_demo)


def engine():
    """The cached engine for the configured database (migrated and seeded on first use).

    Raises DatabaseUnavailable; a failed attempt is not cached, so the next rerun tries again.
    """
    s = settings()
    return _engine_for(s.database_url, s.seed_demo)


@st.cache_data(show_spinner=False, ttl=600)
def _snapshot(url: str, as_of: dt.datetime | None) -> service.Snapshot:
    return service.load_snapshot(engine(), as_of, service.settings_areas(settings()))


def snapshot(as_of: dt.datetime | None = None) -> service.Snapshot:
    """Stored data (as known at `as_of`), cached until the data changes."""
    return _snapshot(settings().database_url, as_of)


@st.cache_data(show_spinner=False, ttl=600)
def _results(url: str, today: dt.date, as_of: dt.datetime | None):
    return service.evaluate_snapshot(_snapshot(url, as_of), settings(), today)


def results(as_of: dt.datetime | None = None):
    """Evaluated KPIs for today (cached)."""
    return _results(settings().database_url, dt.date.today(), as_of)


@st.cache_data(show_spinner=False, ttl=600)
def _illustrative_count(url: str) -> int:
    return repository.count_illustrative(engine())


def illustrative_count() -> int:
    """How many illustrative values are stored (for the banner)."""
    return _illustrative_count(settings().database_url)


def batches():
    """All import batches, newest first (not cached: editors need the live list)."""
    return repository.load_batches(engine())


@st.cache_data(show_spinner=False, ttl=600)
def _events(url: str, as_of: dt.datetime | None):
    return event_store.list_events(engine(), as_of=as_of, area=settings().area)


def events(as_of: dt.datetime | None = None):
    """Events on the timeline (gebeurtenissen) of the monitored area, for kpi_figure (cached)."""
    return _events(settings().database_url, as_of)


@st.cache_data(show_spinner=False, ttl=600)
def _figure(url: str, today: dt.date, as_of: dt.datetime | None, code: str):
    result = next(r for r in _results(url, today, as_of) if r.indicator.code == code)
    return kpi_figure(result, _events(url, as_of))


def figure(code: str, as_of: dt.datetime | None = None):
    """The KPI's chart with its events (cached: building a figure takes tens of ms)."""
    return _figure(settings().database_url, dt.date.today(), as_of, code)


def events_for(code: str, as_of: dt.datetime | None = None):
    """The events on one KPI's chart: its own and those without a KPI (cached)."""
    return event_store.for_indicator(events(as_of), code)


def all_events():
    """Every stored event of every area, for editors (not cached: the live list)."""
    return event_store.list_events(engine())


def target_history():
    """Every version of every target, oldest first (not cached: editors revise targets)."""
    return repository.load_target_history(engine())


# Writes go through here too, so that pages never reach past this module and every write
# clears the cached frames.
EventError = event_store.EventError
MAX_EVENT_TEXT = event_store.MAX_TEXT_LENGTH


def add_event(day: dt.date, text: str, indicator: str | None, user: str) -> int:
    """Store an event for the monitored area (EventError with a Dutch message when refused)."""
    event_id = event_store.add_event(engine(), day, text, indicator=indicator, area=settings().area, user=user)
    clear_after_change()
    return event_id


def delete_event(event_id: int, user: str) -> bool:
    """Remove an event from every view from now on."""
    done = event_store.delete_event(engine(), event_id, user=user)
    clear_after_change()
    return done


def clear_after_change() -> None:
    """Drop cached frames after an import, undo or target revision."""
    st.cache_data.clear()


__all__ = ["DatabaseUnavailable", "engine", "snapshot", "results", "figure", "events", "settings", "clear_after_change"]
