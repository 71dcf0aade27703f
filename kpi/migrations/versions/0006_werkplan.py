"""The werkplan: themes (themalijnen A-F), roles and bodies, the role x theme matrix,
and actions, versioned like observations, with the KPIs each action is meant to move.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("letter", sa.String(1), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("letter", name=op.f("pk_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_themes_name")),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("body", sa.String(200), nullable=False, server_default=""),
        sa.Column("kind", sa.String(10), nullable=False, server_default="rol"),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "role_themes",
        sa.Column("role_id", sa.Integer, nullable=False),
        sa.Column("theme_letter", sa.String(1), nullable=False),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name=op.f("fk_role_themes_role_id_roles")),
        sa.ForeignKeyConstraint(
            ["theme_letter"], ["themes.letter"], name=op.f("fk_role_themes_theme_letter_themes")
        ),
        sa.PrimaryKeyConstraint("role_id", "theme_letter", name=op.f("pk_role_themes")),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("theme_letter", sa.String(1), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False, server_default=""),
        sa.Column("role_id", sa.Integer, nullable=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("start_date", sa.Date, nullable=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("budget", sa.Numeric(14, 2, asdecimal=False), nullable=True),
        sa.Column("spent", sa.Numeric(14, 2, asdecimal=False), nullable=True),
        sa.Column("fund", sa.String(40), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("batch_id", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("superseded_at", sa.DateTime, nullable=True),
        sa.Column("superseded_by_batch_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.ForeignKeyConstraint(
            ["theme_letter"], ["themes.letter"], name=op.f("fk_actions_theme_letter_themes")
        ),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name=op.f("fk_actions_role_id_roles")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_actions_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_batch_id"], ["import_batches.id"],
            name=op.f("fk_actions_superseded_by_batch_id_import_batches"),
        ),
        sa.CheckConstraint(
            "status IN ('gepland', 'lopend', 'afgerond', 'vertraagd', 'gestopt')",
            name=op.f("ck_actions_status"),
        ),
    )
    op.create_index(
        "uq_actions_current",
        "actions",
        ["code"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.create_index("ix_actions_batch", "actions", ["batch_id"])
    op.create_table(
        "action_kpis",
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_action_kpis_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicators.code"],
            name=op.f("fk_action_kpis_indicator_code_indicators"),
        ),
        sa.PrimaryKeyConstraint("action_id", "indicator_code", name=op.f("pk_action_kpis")),
    )


def downgrade() -> None:
    op.drop_table("action_kpis")
    op.drop_index("ix_actions_batch", "actions")
    op.drop_index("uq_actions_current", "actions")
    op.drop_table("actions")
    op.drop_table("role_themes")
    op.drop_table("roles")
    op.drop_table("themes")
