"""An index for the illustrative-values banner at scale (issue 21's scale run).

Every page load counts the current illustrative figures (the banner). With 100 centres and
760.000 figures that count read every row (110-230 ms on PostgreSQL); a partial index on the few
current illustrative rows answers it at once. Its predicate is exactly the query's
(kpi.repository.count_illustrative), or the planner does not use it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PREDICATE = "illustrative AND superseded_at IS NULL"


def upgrade() -> None:
    op.create_index("ix_observations_illustrative", "observations", ["id"],
                    sqlite_where=sa.text(PREDICATE), postgresql_where=sa.text(PREDICATE))


def downgrade() -> None:
    op.drop_index("ix_observations_illustrative", table_name="observations")
