"""Subscribers of the digest and the send log (issue 22).

`subscribers` is versioned like `actions` (a change is a new row; one current row per
e-mail address), written only by the importer (a subscriber list or the page's one-row
form). `digest_log` keeps every message tried: delivered or the SMTP error.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("areas", sa.Text, nullable=False, server_default=""),
        sa.Column("kpis", sa.Text, nullable=False, server_default="alle"),
        sa.Column("werkplan", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("superseded_at", sa.DateTime, nullable=True),
        sa.Column("superseded_by_batch_id", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_subscribers_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["superseded_by_batch_id"], ["import_batches.id"],
                                name=op.f("fk_subscribers_superseded_by_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscribers")),
    )
    op.create_index("uq_subscribers_current", "subscribers", ["email"], unique=True,
                    sqlite_where=sa.text("superseded_at IS NULL"),
                    postgresql_where=sa.text("superseded_at IS NULL"))
    op.create_index("ix_subscribers_batch", "subscribers", ["batch_id"])
    op.create_table(
        "digest_log",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("covers_from", sa.DateTime, nullable=False),
        sa.Column("covers_until", sa.DateTime, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("status IN ('verzonden', 'mislukt')", name=op.f("ck_digest_log_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_log")),
    )
    op.create_index("ix_digest_log_email", "digest_log", ["email"])


def downgrade() -> None:
    op.drop_index("ix_digest_log_email", table_name="digest_log")
    op.drop_table("digest_log")
    op.drop_index("ix_subscribers_batch", table_name="subscribers")
    op.drop_index("uq_subscribers_current", table_name="subscribers")
    op.drop_table("subscribers")
