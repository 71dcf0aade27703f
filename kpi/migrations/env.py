"""Alembic environment: uses a connection handed over by kpi.db.migrate, or the settings."""

from alembic import context
from sqlalchemy import create_engine

from kpi.schema import metadata
from kpi.settings import Settings

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(Settings.from_env().database_url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
