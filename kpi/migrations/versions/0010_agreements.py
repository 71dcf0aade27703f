"""Agreements as data (issue 21): an agreement (akkoord, visie) with name, date, parties,
source and an end date once closed; every target version belongs to one.

A database with targets from before this revision had only the Binnenstadakkoord: those targets
move into "Binnenstadakkoord Assen 2018". A new database gets its agreements from the seed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

AKKOORD = dict(
    name="Binnenstadakkoord Assen 2018",
    agreement_date=dt.date(2018, 2, 7),
    parties="gemeente Assen; Vaart in Assen",
    source="Binnenstadakkoord Assen, 7 februari 2018",
)


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agreement_date", sa.Date, nullable=False),
        sa.Column("parties", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("superseded_at", sa.DateTime, nullable=True),
        sa.Column("superseded_by_batch_id", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_agreements_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["superseded_by_batch_id"], ["import_batches.id"],
                                name=op.f("fk_agreements_superseded_by_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_index("uq_agreements_current", "agreements", ["name"], unique=True,
                    sqlite_where=sa.text("superseded_at IS NULL"),
                    postgresql_where=sa.text("superseded_at IS NULL"))
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("agreement_id", sa.Integer, nullable=True))
        batch.create_foreign_key(op.f("fk_targets_agreement_id_agreements"), "agreements",
                                 ["agreement_id"], ["id"])
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT COUNT(*) FROM targets")).scalar():
        agreements = sa.table("agreements", *(sa.column(c) for c in (
            "name", "agreement_date", "parties", "source", "recorded_at")))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        conn.execute(sa.insert(agreements).values(**AKKOORD, recorded_at=now))
        akkoord_id = conn.execute(sa.text("SELECT id FROM agreements WHERE name = :n"),
                                  {"n": AKKOORD["name"]}).scalar()
        conn.execute(sa.text("UPDATE targets SET agreement_id = :a"), {"a": akkoord_id})


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_constraint(op.f("fk_targets_agreement_id_agreements"), type_="foreignkey")
        batch.drop_column("agreement_id")
    op.drop_index("uq_agreements_current", table_name="agreements")
    op.drop_table("agreements")
