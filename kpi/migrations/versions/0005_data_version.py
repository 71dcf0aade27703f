"""Data version: one row whose token every write changes (cache keys, several processes).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
# The lead re-chains this onto 0004 (helper h8) when merging.
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.bulk_insert(table, [{"id": 1, "token": uuid.uuid4().hex, "changed_at": now}])


def downgrade() -> None:
    op.drop_table("data_version")
