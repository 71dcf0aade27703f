"""Initial schema: areas, indicators, targets (versioned), import batches, observations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False, server_default="binnenstad"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("name", name="uq_areas_name"),
    )
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("decimals", sa.Integer, nullable=False, server_default="0"),
        sa.Column("max_age_years", sa.Integer, nullable=False, server_default="3"),
        sa.Column("frequency", sa.String(200), nullable=False, server_default=""),
        sa.Column("theme", sa.String(200), nullable=False, server_default=""),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        sa.Column("definition", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("rows_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_added", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("undone_at", sa.DateTime, nullable=True),
        sa.Column("undone_by", sa.String(200), nullable=True),
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("indicator_code", sa.String(60), sa.ForeignKey("indicators.code"), nullable=False),
        sa.Column("area_id", sa.Integer, sa.ForeignKey("areas.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("baseline_value", sa.Float(53), nullable=True),
        sa.Column("baseline_year", sa.Integer, nullable=True),
        sa.Column("target_value", sa.Float(53), nullable=True),
        sa.Column("target_year", sa.Integer, nullable=True),
        sa.Column("comparison", sa.String(20), nullable=False, server_default="absoluut"),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=True),
        sa.UniqueConstraint("indicator_code", "area_id", "version", name="uq_targets_version"),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_id", sa.Integer, sa.ForeignKey("areas.id"), nullable=False),
        sa.Column("indicator_code", sa.String(60), sa.ForeignKey("indicators.code"), nullable=False),
        sa.Column("peildatum", sa.Date, nullable=False),
        sa.Column("precision", sa.String(4), nullable=False, server_default="dag"),
        sa.Column("value", sa.Float(53), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("superseded_at", sa.DateTime, nullable=True),
        sa.Column(
            "superseded_by_batch_id", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=True
        ),
    )
    op.create_index(
        "uq_observations_current",
        "observations",
        ["area_id", "indicator_code", "peildatum", "precision"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.create_index("ix_observations_batch", "observations", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_observations_batch", "observations")
    op.drop_index("uq_observations_current", "observations")
    op.drop_table("observations")
    op.drop_table("targets")
    op.drop_table("import_batches")
    op.drop_table("indicators")
    op.drop_table("areas")
