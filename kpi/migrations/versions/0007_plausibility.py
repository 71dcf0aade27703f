"""The plausibility check of imports (issue 17): per indicator the largest plausible change
between two successive figures, and per figure the warning an editor confirmed.

`indicators.plausible_jump`: in the indicator's unit; NULL means the unit's default
(kpi/units.py). `observations.plausibility`: the Dutch warning that was confirmed when the
figure was imported past the check; empty for every other figure.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("plausible_jump", sa.Float(53), nullable=True))
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("plausibility", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("plausibility")
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("plausible_jump")
