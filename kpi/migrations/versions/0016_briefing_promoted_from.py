"""A concept briefing promoted to definitief (issue 20): the definitive record names the concept it
came from (`promoted_from`). A unique index keeps a concept from being promoted twice, also when
two editors click at the same moment (NULLs, briefings made directly, do not collide).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("briefings") as batch:
        batch.add_column(sa.Column("promoted_from", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_briefings_promoted_from", "briefings", ["promoted_from"], ["id"])
        batch.create_index("uq_briefings_promoted_from", ["promoted_from"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("briefings") as batch:
        batch.drop_index("uq_briefings_promoted_from")
        batch.drop_constraint("fk_briefings_promoted_from", type_="foreignkey")
        batch.drop_column("promoted_from")
