"""Centres and peer groups by import (issue 21): a `gebieden` file adds centres and changes their
kind, description, werkgroep (peer group) and illustrative flag. Areas are not versioned, so each
import records per area what it did and what the area was before (`area_changes`): undo restores
those values, or deletes a centre the batch added.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area_changes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.Integer, nullable=False),
        # No foreign key: undo of an added centre deletes the area and keeps this row as history.
        sa.Column("area_id", sa.Integer, nullable=False),
        sa.Column("change", sa.String(20), nullable=False),  # nieuw | gewijzigd
        sa.Column("old_kind", sa.String(40), nullable=True),
        sa.Column("old_description", sa.Text, nullable=True),
        sa.Column("old_peer_group", sa.String(200), nullable=True),
        sa.Column("old_illustrative", sa.Boolean, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_area_changes"),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name="fk_area_changes_batch_id_import_batches"),
    )
    op.create_index("ix_area_changes_area_id", "area_changes", ["area_id"])


def downgrade() -> None:
    op.drop_index("ix_area_changes_area_id", "area_changes")
    op.drop_table("area_changes")
