"""Sign-in state in the database, shared by all app processes (issue 23.5 behind a proxy).

The login throttle and the list of signed-out editor cookies lived in each process's memory: with
two processes behind nginx a guesser who drops the process cookie got the limits once per process,
and a copy of a signed-out cookie still worked on the other process. Both now live in one table.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.CheckConstraint("kind IN ('failure', 'revoked')", name=op.f("ck_login_state_kind")),
    )
    op.create_index("ix_login_state_kind_key", "login_state", ["kind", "key"])


def downgrade() -> None:
    op.drop_index("ix_login_state_kind_key", table_name="login_state")
    op.drop_table("login_state")
