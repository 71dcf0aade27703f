"""The regiegroep's duiding and briefings as records (issue 20).

`duiding` is versioned like `actions` and `subscribers` (a change is a new row; one current
row per area, indicator and briefing period), written only by the importer. `briefings`
keeps what a briefing was made from: the moment of its data, the duiding versions, the
settings that shape it and the data version, so the same document can be made again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duiding",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.Column("period", sa.String(12), nullable=False),
        sa.Column("cause", sa.Text, nullable=False),
        sa.Column("effect", sa.Text, nullable=False),
        sa.Column("bijsturing", sa.Text, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("written_on", sa.Date, nullable=False),
        sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("superseded_at", sa.DateTime, nullable=True),
        sa.Column("superseded_by_batch_id", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_duiding_area_id_areas")),
        sa.ForeignKeyConstraint(["indicator_code"], ["indicators.code"],
                                name=op.f("fk_duiding_indicator_code_indicators")),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_duiding_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["superseded_by_batch_id"], ["import_batches.id"],
                                name=op.f("fk_duiding_superseded_by_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duiding")),
    )
    op.create_index("uq_duiding_current", "duiding", ["area_id", "indicator_code", "period"], unique=True,
                    sqlite_where=sa.text("superseded_at IS NULL"),
                    postgresql_where=sa.text("superseded_at IS NULL"))
    op.create_index("ix_duiding_batch", "duiding", ["batch_id"])
    op.create_table(
        "briefings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("period", sa.String(12), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("made_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("data_as_of", sa.DateTime, nullable=False),
        sa.Column("duiding_ids", sa.Text, nullable=False, server_default="[]"),
        sa.Column("settings_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("data_version", sa.String(32), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f("fk_briefings_area_id_areas")),
        sa.CheckConstraint("state IN ('concept', 'definitief')", name=op.f("ck_briefings_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefings")),
    )
    op.create_index("ix_briefings_area_period", "briefings", ["area_id", "period"])


def downgrade() -> None:
    op.drop_index("ix_briefings_area_period", table_name="briefings")
    op.drop_table("briefings")
    op.drop_index("ix_duiding_batch", table_name="duiding")
    op.drop_index("uq_duiding_current", table_name="duiding")
    op.drop_table("duiding")
