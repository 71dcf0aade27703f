"""The one place that caches: the engine as a resource, frames as data.

Every cached frame is keyed on the data version (`kpi.repository.data_version`), read once per
script run by `start_run()`: every write, by this process or any other on the same database,
changes the version, so the next page load computes fresh frames, while unchanged data is served
from the cache. The TTL is only a fallback (for changes made by hand in SQL) and a memory bound.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable

import pandas as pd
import streamlit as st

from kpi import events as event_store
from kpi import formatting as fmt
from kpi import importer, repository, service
from kpi.access import PASSWORD_EDITOR, Access, Editor
from kpi.briefing import record
from kpi.charts import MEETING, MEETING_HEIGHT, MEETING_HEIGHT_WITH_DUIDING, kpi_figure
from kpi.db import DatabaseUnavailable, open_database
from kpi.export import csv_bytes
from kpi.importer import forms, reading
from kpi.importer.actions import preview_table as action_preview_table
from kpi.importer.areas import preview_table as area_preview_table
from kpi.importer.duiding import preview_table as duiding_preview_table
from kpi.importer.subscribers import preview_table as subscriber_preview_table
from kpi.importer.werkplan_basis import preview_table as basis_preview_table
from kpi.login import claim_values, identity, verified_email, weak_password_reason
from kpi.settings import Settings
from kpi.tables import (
    TABLE_ROWS,
    export_frame,
    measurement_count,
    monitored_newest,
    monitored_table,
    preview_table,
    provenance_table,
)
from kpi.text import monitored_sentence
from ui import guard

log = logging.getLogger("binnenstadmonitor")


# The chosen centre (issue 21.1): ui/centres.py's switcher puts its name here at the start of every
# run (from ?gebied=<slug>); settings() then answers with that centre as `area`, so every page,
# report and export is per centre without each page knowing. Every cached frame keys on the area.
CENTRE_AREA = "_centre_area"


# Whether this session is a signed-in editor: the frame puts ui.auth.is_editor() here at the start of
# every run (ui.auth imports this module, so it cannot be asked from here). Absent: a viewer.
VIEWER_IS_EDITOR = "_viewer_is_editor"


def _in_run() -> bool:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return get_script_run_ctx() is not None
    except Exception:  # outside a script run (warm-up at start)
        return False


def settings() -> Settings:
    """The settings of this run: the environment's, with the chosen centre as `area`. A centre this
    session may not see (KPI_VIEWER_AREAS) is never the area: every page read passes here."""
    base = base_settings()
    area = st.session_state.get(CENTRE_AREA) if _in_run() else None
    if base.viewer_areas and _in_run():
        allowed = visible_areas()
        if allowed is not None and (area or base.area) not in allowed:
            from kpi.centres import landing

            area = landing(all_centres(), base.area, allowed) or ""
    if area is not None and area != base.area:
        from dataclasses import replace

        return replace(base, area=area)
    return base


def visible_areas() -> frozenset[str] | None:
    """The centres this session may see (kpi.access.viewable_areas: KPI_VIEWER_AREAS, plus an
    editor's own centres); None for every centre."""
    from kpi.access import viewable_areas
    from kpi.centres import resolve

    base = base_settings()
    if not base.viewer_areas:
        return None
    editor = bool(st.session_state.get(VIEWER_IS_EDITOR, False)) if _in_run() else False
    keys = editor_access().editor.keys if editor else frozenset()
    return viewable_areas(resolve(all_centres(), base.viewer_areas), base.editor_areas, keys, editor)


def base_settings() -> Settings:
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
def _entries(value: object) -> list[str]:
    """A list from secrets; a single string (`emails = "a@x.nl, b@x.nl"`) is split on commas, not
    into characters."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def editor_lists() -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """E-mail addresses, groups and the groups claim that make a signed-in user an editor:
    the environment's (KPI_EDITOR_*) together with [editors] in secrets."""
    s = base_settings()
    try:
        section = st.secrets.get("editors") or {}
    except Exception:
        section = {}
    emails = (*s.editor_emails, *_entries(section.get("emails")))
    groups = (*s.editor_groups, *_entries(section.get("groups")))
    claim = s.editor_group_claim if s.editor_group_claim != "groups" else str(section.get("group_claim", "groups"))
    return emails, groups, claim


def editor_access() -> Access:
    """Who writes from this session and the centres they may edit (kpi.access, KPI_EDITOR_AREAS):
    with OIDC the verified e-mail address and groups of the signed-in user, else the password
    editor. Every write below passes it to the importer, which refuses another centre's rows."""
    s = base_settings()
    claims: dict = {}
    if guard.oidc_enabled():
        try:
            claims = dict(st.user)
        except Exception:  # no user context (bare mode)
            claims = {}
    if claims.get("is_logged_in"):
        editor = Editor.of(identity(claims), [verified_email(claims), *claim_values(claims, editor_lists()[2])])
    else:
        editor = Editor.of("redacteur met wachtwoord", [PASSWORD_EDITOR])
    # Actions and subscribers have no centre: they count as the default centre's (KPI_AREA), not as
    # the centre chosen with ?gebied=.
    return Access(editor, s.editor_areas, s.area)


@st.cache_resource(show_spinner=False)
def report_weak_password() -> str | None:
    """Once per server start: a weak or example editor password is written to the server log
    (the login box says it on screen); returns the reason, or None."""
    if reason := weak_password_reason(settings().editor_password):
        logging.getLogger("kpi.auth").error(reason)
    return reason


@st.cache_resource(show_spinner=False)
def _engine_for(url: str, seed_demo: bool, pool: tuple[int, int]):
    return open_database(url, seed_demo, pool)


def engine():
    """The cached engine for the configured database (migrated and seeded on first use).

    Raises DatabaseUnavailable; a failed attempt is not cached, so the next rerun tries again.
    """
    s = base_settings()
    opened = _engine_for(s.database_url, s.seed_demo, (s.db_pool_size, s.db_max_overflow))
    guard.use_database(opened)  # sign-in state shared by every process on this database
    return opened


# Fallback only: freshness comes from the version in every key (see the module docstring).
_TTL = 3600
# Old versions' entries are never asked for again; bound them.
_MAX_ENTRIES = 64
_run = threading.local()


def start_run() -> str:
    """Read the data version once for this script run (the frame calls it first); returns it.

    Streamlit runs each script run in the session's script thread, and the frame calls this at
    the start of every run, so the thread-local holds the version of the current run.
    """
    _run.version = repository.data_version(engine())
    return _run.version


def version() -> str:
    """The data version of this script run (read now when the frame has not read it)."""
    return getattr(_run, "version", None) or start_run()


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _snapshot(url: str, version: str, area: str, as_of: dt.datetime | None) -> service.Snapshot:
    return service.load_snapshot(engine(), as_of, service.settings_areas(_for(area)))


def _for(area: str) -> Settings:
    """The settings with `area` as the centre (what a cached function was keyed on)."""
    from dataclasses import replace

    return replace(settings(), area=area)


def _key() -> tuple[str, str, str]:
    """(database, data version, centre): what every cached frame depends on."""
    return settings().database_url, version(), settings().area


def snapshot(as_of: dt.datetime | None = None) -> service.Snapshot:
    """Stored data (as known at `as_of`), cached until the data changes."""
    return _snapshot(*_key(), as_of)


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _results(url: str, version: str, area: str, today: dt.date, as_of: dt.datetime | None):
    return service.evaluate_snapshot(_snapshot(url, version, area, as_of), _for(area), today)


def results(as_of: dt.datetime | None = None):
    """Evaluated KPIs for today (cached)."""
    return _results(*_key(), dt.date.today(), as_of)


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _illustrative_count(url: str, version: str) -> int:
    return repository.count_illustrative(engine())


def illustrative_count() -> int:
    """How many illustrative values are stored (for the banner)."""
    return _illustrative_count(settings().database_url, version())


def batches():
    """All import batches, newest first (not cached: editors need the live list)."""
    return repository.load_batches(engine())


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _events(url: str, version: str, area: str, as_of: dt.datetime | None):
    return event_store.list_events(engine(), as_of=as_of, area=area)


def events(as_of: dt.datetime | None = None):
    """Events on the timeline (gebeurtenissen) of the monitored area, for kpi_figure (cached)."""
    return _events(*_key(), as_of)


# Shared, not copied (cache_resource): unpickling a plotly Figure on every page switch cost more
# than any other step before the chart (bench/NOTES.md). st.plotly_chart reads it (to_dict) and
# never changes it; no caller may.
@st.cache_resource(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _figure(url: str, version: str, area: str, today: dt.date, as_of: dt.datetime | None, code: str,
            meeting: bool, with_duiding: bool = False):
    result = next(r for r in _results(url, version, area, today, as_of) if r.indicator.code == code)
    events = _events(url, version, area, as_of)
    if meeting:
        height = MEETING_HEIGHT_WITH_DUIDING if with_duiding else MEETING_HEIGHT
        return kpi_figure(result, events, height=height, style=MEETING)
    return kpi_figure(result, events)


def figure(code: str, as_of: dt.datetime | None = None, meeting: bool = False, with_duiding: bool = False):
    """The KPI's chart with its events, for the KPI page or (meeting) the 1280x720 projector
    screen, lower when the regiegroep's duiding stands under it (cached: building a figure takes
    tens of ms)."""
    return _figure(*_key(), dt.date.today(), as_of, code, meeting, meeting and with_duiding)


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _measurements(url: str, version: str, area: str, today: dt.date, as_of: dt.datetime | None, code: str):
    result = next(r for r in _results(url, version, area, today, as_of) if r.indicator.code == code)
    return provenance_table(result, limit=TABLE_ROWS), measurement_count(result)


def measurements(code: str, as_of: dt.datetime | None = None) -> tuple[pd.DataFrame, int]:
    """The KPI's newest measurements (at most kpi.tables.TABLE_ROWS) and how many there are (cached)."""
    return _measurements(*_key(), dt.date.today(), as_of, code)


# Few entries: one CSV of daily data is megabytes, and only those who download need it.
@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=8)
def _kpi_csv(url: str, version: str, area: str, today: dt.date, as_of: dt.datetime | None, code: str) -> bytes:
    result = next(r for r in _results(url, version, area, today, as_of) if r.indicator.code == code)
    return csv_bytes(export_frame(result))


def kpi_csv(code: str, as_of: dt.datetime | None = None) -> Callable[[], bytes]:
    """The KPI's complete CSV as a function for st.download_button: built when someone clicks
    (then cached), not on every page load; bound to this run's data version."""
    key = (*_key(), dt.date.today(), as_of, code)
    return lambda: _kpi_csv(*key)


# Shared, not copied (cache_resource): a parsed upload can hold 200.000 rows, and the same bytes
# give the same sheet for every editor. The importer only reads a Sheet, never changes it.
@st.cache_resource(show_spinner=False, ttl=_TTL, max_entries=4)
def _read_upload(name: str, sha256: str, limits: reading.Limits, _data: bytes):
    return reading.read_sheet(name, _data, limits)


def read_upload(name: str, data: bytes, limits: reading.Limits):
    """An uploaded file read as kpi.importer.reading.read_sheet does, parsed once per file
    (name and SHA-256): the Importeren page reruns on every click, the file stays the same."""
    return _read_upload(name, hashlib.sha256(data).hexdigest(), limits, data)


def events_for(code: str, as_of: dt.datetime | None = None):
    """The events on one KPI's chart: its own and those without a KPI (cached)."""
    return event_store.for_indicator(events(as_of), code)


def all_events():
    """The chosen centre's stored events and those without a centre, for editors (not cached: the live list)."""
    return event_store.list_events(engine(), area=settings().area)


def target_history():
    """Every version of every target of the centres this session may see, oldest first (not
    cached: editors revise targets)."""
    history = repository.load_target_history(engine())
    allowed = visible_areas()
    return history if allowed is None else history[history["area"].isin(allowed)].reset_index(drop=True)


# Writes go through here too, so that pages never reach past this module and every write
# clears the cached frames.
EventError = event_store.EventError
MAX_EVENT_TEXT = event_store.MAX_TEXT_LENGTH


def add_event(day: dt.date, text: str, indicator: str | None, user: str) -> int:
    """Store an event for the monitored area (EventError with a Dutch message when refused)."""
    event_id = event_store.add_event(engine(), day, text, indicator=indicator, area=settings().area, user=user,
                                     access=editor_access())
    clear_after_change()
    return event_id


def delete_event(event_id: int, user: str) -> bool:
    """Remove an event from every view from now on."""
    done = event_store.delete_event(engine(), event_id, user=user, access=editor_access())
    clear_after_change()
    return done


ImportRefused = importer.ImportRefused


def prepare_import(files: list[tuple[str, bytes]], *, default_source: str | None, create_areas: bool):
    """Read and check uploaded files (name, bytes) and show what an import would change: an
    importer Preview; nothing is stored."""
    return importer.prepare(engine(), files, settings(), default_source=default_source,
                            create_areas=create_areas, reader=read_upload)


def preview_frame(preview, frame: pd.DataFrame) -> pd.DataFrame:
    """One of a preview's frames (added, changed, unchanged) as a Dutch table: an action list's
    fields, or figures and targets in each indicator's decimals (as the CLI preview shows them)."""
    if preview.kind == importer.ACTIONS:
        return action_preview_table(frame, themes=werkplan().themes)
    if preview.kind == importer.SUBSCRIBERS:
        return subscriber_preview_table(frame)
    if preview.kind in (importer.THEMES, importer.ROLES):
        return basis_preview_table(frame, preview.kind)
    if preview.kind == importer.DUIDING:
        return duiding_preview_table(frame)
    if preview.kind == importer.AREAS:
        return area_preview_table(frame)
    return preview_table(frame, indicators=snapshot().indicators)


def import_templates() -> list[tuple[str, str, str]]:
    """(kind, word for the button, file name) of each Excel template: one per kind of import file."""
    from kpi.importer import templates

    return [(kind, word, templates.template_file_name(kind)) for kind, word in templates.TEMPLATE_LABELS.items()]


def import_template(kind: str) -> bytes:
    """An Excel template for one kind of import file, with the database's current lists
    (kpi.importer.templates); made when the editor clicks, so not cached."""
    from kpi.importer import templates

    return templates.template_xlsx(engine(), kind, today=dt.date.today(), area=settings().area)


def apply_import(preview, user: str, confirmed: bool = False) -> int | None:
    """Store a checked preview as one import batch; the batch id, or None when nothing changed.
    ImportRefused with a Dutch message when refused (nothing is stored then)."""
    try:
        return importer.apply(engine(), preview, user=user, confirmed=confirmed, access=editor_access())
    finally:
        clear_after_change()


def undoable_batches() -> pd.DataFrame:
    """The import batches that can still be undone, newest first."""
    all_batches = batches()
    return all_batches[importer.undoable(all_batches)]


def undo_import(batch_id: int, user: str) -> None:
    """Undo an import batch (ImportRefused with a Dutch message when a later import depends on it)."""
    try:
        importer.undo(engine(), batch_id, user=user, access=editor_access())
    finally:
        clear_after_change()


def target_form_versions(history: pd.DataFrame, indicator: str, area: str, today: dt.date):
    """(the newest stored version, the version in force today) of a target in `history`
    (target_history()), for its form."""
    return forms.form_versions(history, indicator, area, today)


def revise_target(**fields) -> int | None:
    """Store a revised target from the form as a one-row import (kpi.importer.forms); the
    version id or None when unchanged. ImportRefused with a Dutch message when refused. The
    cache is cleared in any case: a refusal may mean another editor stored a version meanwhile."""
    try:
        return forms.revise_target(engine(), access=editor_access(), **fields)
    finally:
        clear_after_change()


def update_action(action, status: str, note: str, user: str) -> int | None:
    """Change an action's status and note as a one-row import (kpi.importer.forms); the batch
    id or None when nothing changed; ImportRefused with a Dutch message when refused."""
    try:
        return forms.update_action(engine(), action, status=status, note=note, user=user, access=editor_access())
    finally:
        clear_after_change()


def clear_after_change() -> None:
    """After this session wrote: read the new version for the rest of this run, and drop this
    process's now outdated frames (other processes see the new version on their next run)."""
    st.cache_data.clear()
    start_run()


__all__ = ["DatabaseUnavailable", "engine", "start_run", "version", "snapshot", "results", "figure", "events", "settings", "clear_after_change"]


# ---- werkplan (issue 9) ---------------------------------------------------------------------

@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _werkplan(url: str, version: str, area: str, as_of: dt.datetime | None):
    from kpi.werkplan import load_werkplan

    return load_werkplan(engine(), area, as_of)


def werkplan(as_of: dt.datetime | None = None):
    """The chosen centre's themes, roles, role x theme matrix and actions (as known at `as_of`), cached."""
    s = settings()
    return _werkplan(s.database_url, version(), s.area, as_of)


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _werkplan_installed(url: str, version: str, area: str) -> dt.datetime | None:
    from kpi.werkplan.store import installed_at

    return installed_at(engine(), area)


def werkplan_as_of(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """The moment to compare the werkplan with, and the installation moment when `moment` lay
    before it (kpi.formatting.compared_moment: the start actions are not news), cached."""
    s = settings()
    return fmt.compared_moment(moment, _werkplan_installed(s.database_url, version(), s.area))


def kpi_names() -> dict[str, str]:
    """Indicator code -> name, in display order, of the evaluated KPIs."""
    return {r.indicator.code: r.indicator.name for r in results()}


def indicator_names() -> dict[str, str]:
    """Indicator code -> name, in display order, of every indicator (with a target or not)."""
    return {code: row["name"] for code, row in snapshot().indicators.iterrows()}


def monitored(code: str) -> tuple[str, pd.DataFrame] | None:
    """An indicator without a target: its sentence and its figures (monitored area and benchmark);
    None for a code that is no indicator."""
    indicators = snapshot().indicators
    if code not in indicators.index:
        return None
    row = indicators.loc[code]
    table = monitored_table(snapshot().observations, code, row["unit"], int(row["decimals"]))
    newest = monitored_newest(table, settings().area)
    sentence = monitored_sentence(row["name"], newest["Waarde"] if newest is not None else None,
                                  f"{newest['Gebied']}, {newest['Peildatum']}" if newest is not None else None)
    return sentence, table


def kpi_statuses() -> dict[str, str]:
    """Indicator code -> KPI status (achter, risico, ...) for today."""
    return {r.indicator.code: r.status for r in results()}


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _werkplan_brief(url: str, version: str, area: str, as_of: dt.datetime | None, today: dt.date):
    from kpi.werkplan.brief import load_brief

    names = {r.indicator.code: r.indicator.name for r in _results(url, version, area, today, as_of)}
    return load_brief(engine(), area, as_of, today, names)


def werkplan_brief(as_of: dt.datetime | None, today: dt.date):
    """The werkplan pages of a briefing (as known at `as_of`, status on `today`), cached."""
    return _werkplan_brief(*_key(), as_of, today)


def briefing_report(as_of: dt.datetime | None, today: dt.date):
    """Everything the PDF and the deck show (issue 20: also the werkplan's money and what changed
    since the last briefing), loaded when a document is made; not cached: one click, one load."""
    from kpi.reports import load_report

    return load_report(engine(), settings(), today=today, as_of=as_of)


# ---- the digest and open data (issue 22) -------------------------------------------------

def subscribers():
    """The current subscribers (not cached: editors manage them)."""
    from kpi.digest.subscribers import load_subscribers

    return load_subscribers(engine())


def save_subscriber(**fields) -> int | None:
    """Add or change one subscriber as a one-row import (kpi.importer.forms); the batch id or
    None when nothing changed; ImportRefused with a Dutch message when refused. The cache is
    cleared in any case: a refusal may mean another editor changed the subscriber meanwhile."""
    try:
        return forms.save_subscriber(engine(), access=editor_access(), **fields)
    finally:
        clear_after_change()


def subscriber_for_link(token: str) -> dict | None:
    """The subscriber an unsubscribe link points at, or None."""
    from kpi.digest.subscribers import by_token

    return by_token(engine(), token)


def unsubscribe(token: str) -> str | None:
    """Unsubscribe by the link's token (a one-row import); the address, or None when unknown."""
    try:
        return forms.unsubscribe(engine(), token)
    finally:
        clear_after_change()


def digest_log():
    """The digest's send log, newest first (not cached: it changes outside the dashboard)."""
    from kpi.digest.run import load_log

    return load_log(engine())


def digest_preview():
    """What `python -m kpi digest` would send now, per active subscriber (not cached). With the
    environment's settings, as the command has them: a subscriber without centres follows the
    default centre (KPI_AREA), whichever centre this page shows."""
    from kpi.digest.run import compose_all

    return compose_all(engine(), base_settings())


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=8)
def _opendata_zip(url: str, version: str, area: str, today: dt.date) -> bytes:
    from kpi.opendata import zip_bytes

    return zip_bytes(service.load_snapshot(engine()), repository.load_target_history(engine()), _for(area),
                     area, today)


def opendata_zip() -> tuple[str, Callable[[], bytes]] | tuple[str, None]:
    """(file name, a function that makes the zip) of the monitored centre's open data package,
    or (the Dutch reason, None) when there is nothing to publish."""
    from kpi.opendata import NothingToPublish, slug
    from kpi.opendata.tables import figures

    area = settings().area
    if figures(snapshot(), area).empty:
        try:
            _opendata_zip(*_key(), dt.date.today())
        except NothingToPublish as exc:
            return str(exc), None
    key = (*_key(), dt.date.today())
    return f"open-data-{slug(area)}.zip", lambda: _opendata_zip(*key)


# ---- duiding and briefings (issue 20) ------------------------------------------------------

@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _duiding(url: str, version: str, area: str, period: str, as_of: dt.datetime | None) -> pd.DataFrame:
    from kpi.briefing.store import load_duiding

    return load_duiding(engine(), area=area, period=period, as_of=as_of)


def current_period(today: dt.date | None = None) -> str:
    """The briefing period `today` (default: today) falls in, '2026-K4'."""
    from kpi.briefing.period import period_of

    return period_of(today or dt.date.today())


def duiding_rows(period: str, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """The monitored area's duiding rows in force for `period` (kpi.briefing.store.load_duiding), cached."""
    return _duiding(*_key(), period, as_of)


def duiding(period: str, as_of: dt.datetime | None = None):
    """Indicator code -> Duiding of the monitored area for `period` (as known at `as_of`), cached."""
    from kpi.briefing.store import by_indicator

    return by_indicator(duiding_rows(period, as_of))


def save_duiding(**fields) -> int | None:
    """Store the KPI page's duiding as a one-row import (kpi.importer.forms) for the monitored
    area; the batch id or None when nothing changed; ImportRefused with a Dutch message when
    refused. The cache is cleared in any case: a refusal may mean another editor wrote meanwhile."""
    try:
        return forms.save_duiding(engine(), area=settings().area, access=editor_access(), **fields)
    finally:
        clear_after_change()


BriefingRefused = record.BriefingRefused


def make_briefing(period: str, user: str, definitief: bool) -> int:
    """Store a briefing of the monitored area (concept or definitief) with the data as known now;
    its number. BriefingRefused with a Dutch message naming the KPIs without duiding."""
    try:
        return record.make_briefing(engine(), settings(), period, user, definitief=definitief, access=editor_access())
    finally:
        clear_after_change()


def promote_briefing(number: int, user: str):
    """Make stored concept `number` of the monitored area definitief with the state of now
    (kpi.briefing.record.promote_briefing): a Promotion (new number, what changed since the
    concept). BriefingRefused with a Dutch message (KPIs without duiding, promoted before,
    another centre's editor)."""
    try:
        return record.promote_briefing(engine(), settings(), number, user, access=editor_access())
    finally:
        clear_after_change()


def briefings() -> pd.DataFrame:
    """The monitored area's stored briefings, newest first (not cached: editors make them)."""
    from kpi.briefing.store import load_briefings

    return load_briefings(engine(), settings().area)


def briefing_document(number: int, kind: str) -> bytes:
    """A stored briefing made again as PDF or PowerPoint, from what it recorded."""
    from kpi import reports

    return reports.build(engine(), settings(), kind, briefing=number)


def briefing_info(period: str, as_of: dt.datetime | None = None):
    """The BriefingInfo of an ad-hoc (concept) briefing of `period` as known at `as_of`."""
    from kpi.briefing.model import CONCEPT, BriefingInfo
    from kpi.briefing.store import previous_definitief

    return BriefingInfo(period=period, state=CONCEPT, contact=record.contact_line(settings()),
                        previous_at=previous_definitief(engine(), settings().area, as_of))


def briefings_table(stored: pd.DataFrame) -> pd.DataFrame:
    """Stored briefings as a Dutch table (number, period, state, made at and by, data as of)."""
    from kpi.briefing.tables import briefings_table as table

    return table(stored)


# ---- centres and the werkgroep benchmark (issue 21) ------------------------------------------

@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _centres(url: str, version: str, benchmark_area: str):
    from kpi.centres import centres as centre_frame

    return centre_frame(repository.load_areas(engine()), benchmark_area)


def all_centres():
    """Every centre, also those this session may not see (cached); only for deciding what it sees."""
    base = base_settings()
    return _centres(base.database_url, version(), base.benchmark_area)


def centres():
    """The centres this session can choose: slug, name, kind, peer group, illustrative (cached);
    limited by KPI_VIEWER_AREAS (kpi.access.viewable_areas)."""
    from kpi.centres import visible

    frame = all_centres()
    if not base_settings().viewer_areas:
        return frame
    return visible(frame, visible_areas())


def choose_centre(asked: str | None):
    """The centre `?gebied=` asks for (kpi.centres.Choice): the default centre with a Dutch message
    when it is unknown or one this session may not see."""
    from kpi.centres import choose

    return choose(all_centres(), asked, base_settings().area, visible_areas())


def _allowed_key() -> tuple[str, ...] | None:
    """The centres this session may see, as a cache key (None: all)."""
    allowed = visible_areas()
    return None if allowed is None else tuple(sorted(allowed))


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _benchmark_inputs(url: str, version: str, area: str, allowed: tuple[str, ...] | None):
    from kpi.benchmark.load import load_inputs

    return load_inputs(engine(), _for(area), None if allowed is None else frozenset(allowed))


def benchmark_indicators() -> dict[str, str]:
    """Code -> name of the indicators the chosen centre's werkgroep shares, in display order."""
    from kpi.benchmark import shared_indicators
    from kpi.benchmark.load import werkgroep

    observations, indicators, frame = _benchmark_inputs(*_key(), _allowed_key())
    codes = shared_indicators(observations, werkgroep(frame, settings().area), list(indicators.index))
    return {code: str(indicators.loc[code, "name"]) for code in codes}


@st.cache_data(show_spinner=False, ttl=_TTL, max_entries=_MAX_ENTRIES)
def _benchmark(url: str, version: str, area: str, allowed: tuple[str, ...] | None, code: str, view: str,
               base_year: int | None):
    from kpi.benchmark import compare

    observations, indicators, frame = _benchmark_inputs(url, version, area, allowed)
    return compare(observations, indicators, frame, area, code, view, base_year)


def benchmark(code: str, view: str, base_year: int | None):
    """The chosen centre among the peers of its werkgroep this session may see (KPI_VIEWER_AREAS:
    a limited viewer compares with visible centres only) on one indicator, cached."""
    return _benchmark(*_key(), _allowed_key(), code, view, base_year)


def benchmark_figure(b):
    """The benchmark's small multiples (built per run: a handful of traces)."""
    from kpi.benchmark.charts import small_multiples

    return small_multiples(b)


def benchmark_table(b) -> pd.DataFrame:
    """The benchmark's ranking as a Dutch table."""
    from kpi.benchmark import ranking_table

    return ranking_table(b)
