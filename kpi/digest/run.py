"""One run of the digest (`python -m kpi digest`): per active subscriber, compose what changed
since the last delivered digest, send it when there is something, and log every attempt.

When: the command is run by cron (or a systemd timer) every few minutes, and may be run right
after `python -m kpi import`; it is cheap when nothing changed (one comparison per distinct
baseline moment). The dashboard's pages do not send mail themselves: an import on a page
must not wait on an SMTP server, and one runner with one log cannot send the same change twice
from two dashboard processes.

The state a digest is compared with is the data *as known at* the `covers_until` of the
subscriber's last delivered message (for a new subscriber: when it was first stored). A failed
message advances nothing: the next run composes from the same moment again, with anything new
added, and tries again; each failure is in the log with the SMTP error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import repository, schema, werkplan
from kpi.briefing.store import duiding_news, load_duiding
from kpi.centres import address_slugs, centres
from kpi.changes import compare
from kpi.digest import mail
from kpi.digest.compose import CentreNews, Digest, action_news, centres_of, compose
from kpi.digest.subscribers import first_recorded, load_subscribers
from kpi.service import load_snapshot
from kpi.settings import Settings

DELIVERED, FAILED = "verzonden", "mislukt"
NOTHING, DRY_RUN = "niets veranderd", "proefrun"


@dataclass(frozen=True)
class Outcome:
    """What a run did for one subscriber."""

    email: str
    status: str  # verzonden | mislukt | niets veranderd | proefrun
    digest: Digest
    error: str = ""


def last_delivered(engine: Engine) -> dict[str, dt.datetime]:
    """E-mail address -> covers_until of its newest delivered digest."""
    g = schema.digest_log
    q = sa.select(g.c.email, sa.func.max(g.c.covers_until)).where(g.c.status == DELIVERED).group_by(g.c.email)
    with engine.connect() as conn:
        return {e: t for e, t in conn.execute(q).all()}


def compose_all(engine: Engine, settings: Settings, now: dt.datetime | None = None) -> list[Digest]:
    """The digest of every active subscriber, empty ones included, as of `now` (UTC). The centre of
    a subscriber without centres is `settings.area` (the default centre, KPI_AREA)."""
    now = now or repository.utcnow()
    today = fmt.local(now).date()
    subs = load_subscribers(engine)
    subs = subs[subs["active"]]
    if subs.empty:
        return []
    delivered, first = last_delivered(engine), first_recorded(engine)
    slugs = address_slugs(centres(repository.load_areas(engine), settings.benchmark_area), settings.area)
    after = load_snapshot(engine, now)
    actions_now: dict[str, pd.DataFrame] = {}
    duiding_now = load_duiding(engine, as_of=now)
    # One comparison per distinct baseline moment and centre, shared by the subscribers who need it.
    before: dict[dt.datetime, tuple] = {}
    news: dict[tuple[dt.datetime, str], CentreNews] = {}
    out = []
    for s in subs.to_dict("records"):
        since = max(t for t in (delivered.get(s["email"]), first.get(s["email"])) if t is not None)
        since = min(since, now)
        since_day = fmt.local(since).date()
        if since not in before:
            before[since] = (load_snapshot(engine, since), load_duiding(engine, as_of=since))
        snapshot_then, duiding_then = before[since]
        for area in centres_of(s, settings.area):
            if (since, area) in news:
                continue
            if area not in actions_now:
                actions_now[area] = werkplan.load_werkplan(engine, area, now).actions
            # The centre's own targets and agreements: the verdict its dashboard page shows.
            ch = compare(snapshot_then, after, replace(settings, area=area), since_day, today)
            centre = action_news(werkplan.load_werkplan(engine, area, since).actions, actions_now[area],
                                 since_day, today)
            centre["duiding"] = duiding_news(duiding_then, duiding_now)
            news[(since, area)] = CentreNews(ch, centre)
        mine = {area: news[(since, area)] for area in centres_of(s, settings.area)}
        out.append(compose(s, mine, default_area=settings.area, base_url=settings.base_url, slugs=slugs,
                           since=since, until=now))
    return out


def log_attempt(engine: Engine, d: Digest, status: str, error: str, at: dt.datetime) -> None:
    """Record one message tried: to whom, what, delivered or the error."""
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.digest_log).values(
            email=d.email, name=d.name[:200], attempted_at=at, covers_from=d.since, covers_until=d.until,
            subject=d.subject[:300], summary=d.summary, status=status, error=error))


class DigestBusy(RuntimeError):
    """Another digest run holds the run lock of this database; the message is Dutch."""


# The PostgreSQL advisory lock key of a digest run (any fixed 64-bit number, unique to this use).
_PG_LOCK_KEY = 0x42_53_4D_44  # "BSMD"


@contextlib.contextmanager
def run_lock(engine: Engine) -> Iterator[None]:
    """One digest run per database at a time: two cron entries, or cron and a hand-started run,
    would otherwise both compose from the same last delivery and send the same news twice.
    PostgreSQL: a session advisory lock (shared by every process on the server); SQLite: an
    exclusive lock on a file beside the database. Raises DigestBusy when another run holds it."""
    busy = DigestBusy("Er loopt al een verzendronde (digest) op deze database; deze run doet niets. "
                      "De lopende ronde verstuurt wat er veranderde.")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            if not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY}).scalar():
                raise busy
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield  # a database of one process
        return
    with open(f"{database}.digest-lock", "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run(engine: Engine, settings: Settings, *, dry_run: bool = False, now: dt.datetime | None = None,
        send: Callable = mail.send) -> list[Outcome]:
    """Compose every active subscriber's digest and send those with news (not with dry_run),
    logging each attempt; a subscriber with nothing new gets nothing. One run per database at a
    time (run_lock; raises DigestBusy)."""
    with run_lock(engine):
        return _run(engine, settings, dry_run=dry_run, now=now, send=send)


def _run(engine: Engine, settings: Settings, *, dry_run: bool, now: dt.datetime | None,
         send: Callable) -> list[Outcome]:
    if now is None:
        # After every write in progress has committed, before any later one stamps its rows
        # (repository.write_moment): what this run covers is complete, and the next run starts here.
        with engine.begin() as conn:
            now = repository.write_moment(conn)
    outcomes = []
    for d in compose_all(engine, settings, now):
        if d.is_empty:
            outcomes.append(Outcome(d.email, NOTHING, d))
            continue
        if dry_run:
            outcomes.append(Outcome(d.email, DRY_RUN, d))
            continue
        try:
            send(mail.message(d, settings.mail_from), settings)
        except mail.MailError as exc:
            log_attempt(engine, d, FAILED, str(exc), repository.utcnow())
            outcomes.append(Outcome(d.email, FAILED, d, str(exc)))
        else:
            log_attempt(engine, d, DELIVERED, "", repository.utcnow())
            outcomes.append(Outcome(d.email, DELIVERED, d))
    return outcomes


def load_log(engine: Engine, limit: int = 200):
    """The send log, newest first (at most `limit` rows)."""
    g = schema.digest_log
    q = sa.select(g.c.attempted_at, g.c.email, g.c.name, g.c.subject, g.c.summary, g.c.status, g.c.error,
                  g.c.covers_from, g.c.covers_until).order_by(g.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(),
                            columns=["attempted_at", "email", "name", "subject", "summary", "status", "error",
                                     "covers_from", "covers_until"])
