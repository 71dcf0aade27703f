"""Events on the timeline (gebeurtenissen): date, short text, optional KPI and area.

There is no 0002: that number went to a parallel branch that was never merged, so this
revision follows 0001; databases are at 0003 already, so it is not renumbered.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column(
            "indicator_code", sa.String(60),
            sa.ForeignKey("indicators.code", name="fk_events_indicator_code_indicators"),
            nullable=True,
        ),
        sa.Column(
            "area_id", sa.Integer, sa.ForeignKey("areas.id", name="fk_events_area_id_areas"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_events_event_date", "events", ["event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_event_date", "events")
    op.drop_table("events")
