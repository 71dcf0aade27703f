"""Engine creation, migrations and first-start seeding."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kpi import schema

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message is Dutch and user-facing."""


def make_engine(url: str, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, a busy timeout and its folder; a server
    database a pool of `pool_size` connections plus `max_overflow` at a peak."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)


def describe_url(url: str) -> str:
    """The URL without password, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _config():
    from alembic.config import Config  # local: only a migration needs Alembic

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@functools.cache
def head_revisions() -> frozenset[str]:
    """The newest migration revision(s), read from the scripts without importing Alembic.

    Importing Alembic costs 0,2-0,5 s of every cold start, while a database that is already at
    head (the usual start) needs none of it; a test checks this against Alembic's own answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                target = node.targets[0]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target = node.target
            else:
                continue
            if not isinstance(target, ast.Name):
                continue
            if target.id == "revision":
                revisions.add(ast.literal_eval(node.value))
            elif target.id == "down_revision":
                down = ast.literal_eval(node.value)
                parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


def at_head(engine: Engine) -> bool:
    """True when the database already has the newest revision (the usual start)."""
    heads = head_revisions()
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        current = {row[0] for row in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    return current == heads


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op check when it is there)."""
    if at_head(engine):
        return
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_empty(engine: Engine) -> bool:
    """True when no indicator is defined yet (a new database)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.indicators)).scalar() == 0


def _has_werkplan(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(schema.themes)).scalar())


def _has_agreements(engine: Engine) -> bool:
    """True when more than the akkoord the migration made is stored (the seed ran for agreements)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.agreements)).scalar() > 1


def ensure_ready(engine: Engine, seed_demo: bool = True) -> None:
    """Migrate, and seed reference data (and illustrative series) into an empty database.

    Raises DatabaseUnavailable with a Dutch message when the database cannot be used.
    """
    try:
        migrate(engine)
        if is_empty(engine):
            from kpi import seed  # local: only a new database needs it

            seed.seed_reference(engine)
            if seed_demo:
                seed.seed_demo(engine)
        elif not _has_werkplan(engine):
            # A database from before the werkplan (migration 0006): add its reference data
            # and the werkplan's own actions, never illustrative ones beside real figures.
            from kpi import seed

            seed.seed_werkplan(engine)
        if not is_empty(engine) and not _has_agreements(engine):
            # A database from before agreements (migration 0010): the visie 2021 beside the akkoord.
            from kpi import seed

            seed.seed_agreements(engine)
        if not is_empty(engine):
            # Indicators added to data/indicatoren.csv later (the benchmark's denominator `inwoners`)
            # become importable in a database made before them.
            from kpi import seed

            if seed.missing_indicators(engine):
                seed.add_missing_indicators(engine)
    except sa.exc.OperationalError as exc:
        raise DatabaseUnavailable(
            "De database is niet bereikbaar of niet te openen "
            f"({describe_url(str(engine.url))}). Controleer of de databaseserver draait "
            "en of het bestand bestaat en beschrijfbaar is."
        ) from exc


def open_database(url: str, seed_demo: bool = True, pool: tuple[int, int] = (5, 10)) -> Engine:
    """The engine for a URL, migrated and seeded: how the CLI and the UI both open the store.
    `pool`: connections kept open and extra at a peak (settings db_pool_size, db_max_overflow).

    Raises DatabaseUnavailable with a Dutch message when the database cannot be used.
    """
    engine = make_engine(url, *pool)
    ensure_ready(engine, seed_demo=seed_demo)
    return engine
