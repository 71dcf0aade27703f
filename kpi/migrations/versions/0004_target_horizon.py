"""Targets get a planning horizon and the akkoord's own benchmark figure at the baseline.

`horizon_year`: the year a goal without a target year should be reached by (set by the
regiegroep, shown as an assumption). `baseline_benchmark`: the national figure the akkoord
names beside the baseline (vacancy: 7,8% "in binnensteden"), so the baseline gap comes
from one place. Existing rows keep NULL: without a horizon a KPI is never "op koers".

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("horizon_year", sa.Integer, nullable=True))
        batch.add_column(sa.Column("baseline_benchmark", sa.Float(53), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("baseline_benchmark")
        batch.drop_column("horizon_year")
