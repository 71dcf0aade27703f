"""The werkplan per centre (issue 21.3): themes, roles, the role x theme matrix and actions get
the area they belong to; themes and roles also the import batch that added them (a centre brings
its own by file, and undo deletes them again). A theme is keyed by (area, letter), a role's name and an action's current
code are unique within their area, so another centre can bring its own themes A-F, roles and
action codes. Existing rows belong to the default centre (KPI_AREA, else the first area).

SQLite cannot change a primary key in place, and Alembic's batch mode (copy, drop, rename) would
drop `actions` while foreign keys are on: the drop cascades into action_kpis and the deferred
check fails at commit. So on SQLite the five tables are renamed aside, created anew and filled,
and the old ones dropped leaves first (no parent is ever dropped under a child). PostgreSQL
changes the tables in place.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The default centre as the settings name it when this migration was written (kpi.settings).
DEFAULT_AREA = "Assen binnenstad"
TABLES = ("themes", "roles", "role_themes", "actions", "action_kpis")  # parents first


def _default_area_id(conn) -> int | None:
    """The area existing werkplan rows belong to: KPI_AREA's, else the first area; None without areas."""
    name = os.environ.get("KPI_AREA", "").strip() or DEFAULT_AREA
    found = conn.execute(sa.text("SELECT id FROM areas WHERE name = :n"), {"n": name}).scalar()
    if found is None:
        found = conn.execute(sa.text("SELECT MIN(id) FROM areas")).scalar()
    if found is None and conn.execute(sa.text("SELECT COUNT(*) FROM themes")).scalar():
        conn.execute(sa.text("INSERT INTO areas (name, kind, description, slug, peer_group, illustrative) "
                             "VALUES (:n, 'binnenstad', '', :s, '', :f)"),
                     {"n": name, "s": "-".join(name.lower().split()), "f": False})
        found = conn.execute(sa.text("SELECT id FROM areas WHERE name = :n"), {"n": name}).scalar()
    return found


def _batch_fks(table: str) -> list:
    return [
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name=f"fk_{table}_batch_id_import_batches"),
        sa.ForeignKeyConstraint(["superseded_by_batch_id"], ["import_batches.id"],
                                name=f"fk_{table}_superseded_by_batch_id_import_batches"),
    ]


def _action_columns() -> list:
    return [
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
    ]


def _create(per_area: bool) -> None:
    """The five tables as this revision (per_area) or 0006-0012 (not) declared them, with indexes."""
    def area() -> list:  # a new Column per table: a Column belongs to one table
        return [sa.Column("area_id", sa.Integer, nullable=False)] if per_area else []

    def batch(t: str) -> list:  # the import batch that added a theme or role (undo deletes it)
        return [sa.Column("batch_id", sa.Integer, nullable=True),
                sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name=f"fk_{t}_batch_id_import_batches")
                ] if per_area else []

    area_fk = lambda t: [sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=f"fk_{t}_area_id_areas")] \
        if per_area else []  # noqa: E731
    op.create_table(
        "themes", *area(),
        sa.Column("letter", sa.String(1), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        *batch("themes"),
        *area_fk("themes"),
        sa.PrimaryKeyConstraint(*(["area_id"] if per_area else []), "letter", name="pk_themes"),
        sa.UniqueConstraint(*(["area_id"] if per_area else []), "name",
                            name="uq_themes_area_name" if per_area else "uq_themes_name"),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer, nullable=False), *area(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("body", sa.String(200), nullable=False, server_default=""),
        sa.Column("kind", sa.String(10), nullable=False, server_default="rol"),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        *batch("roles"),
        *area_fk("roles"),
        sa.PrimaryKeyConstraint("id", name="pk_roles"),
        sa.UniqueConstraint(*(["area_id"] if per_area else []), "name",
                            name="uq_roles_area_name" if per_area else "uq_roles_name"),
    )
    theme_key = (["area_id", "theme_letter"], ["themes.area_id", "themes.letter"]) if per_area \
        else (["theme_letter"], ["themes.letter"])
    op.create_table(
        "role_themes",
        sa.Column("role_id", sa.Integer, nullable=False), *area(),
        sa.Column("theme_letter", sa.String(1), nullable=False),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name="fk_role_themes_role_id_roles"),
        sa.ForeignKeyConstraint(*theme_key, name="fk_role_themes_theme_themes" if per_area
                                else "fk_role_themes_theme_letter_themes"),
        sa.PrimaryKeyConstraint("role_id", "theme_letter", name="pk_role_themes"),
    )
    op.create_table(
        "actions", *_action_columns()[:1], *area(), *_action_columns()[1:],
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
        *area_fk("actions"),
        sa.ForeignKeyConstraint(*theme_key, name="fk_actions_theme_themes" if per_area
                                else "fk_actions_theme_letter_themes"),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name="fk_actions_role_id_roles"),
        *_batch_fks("actions"),
        sa.CheckConstraint("status IN ('gepland', 'lopend', 'afgerond', 'vertraagd', 'gestopt')",
                           name="ck_actions_status"),
    )
    _action_indexes(per_area)
    op.create_table(
        "action_kpis",
        sa.Column("action_id", sa.Integer, nullable=False),
        sa.Column("indicator_code", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"], name="fk_action_kpis_action_id_actions",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_code"], ["indicators.code"],
                                name="fk_action_kpis_indicator_code_indicators"),
        sa.PrimaryKeyConstraint("action_id", "indicator_code", name="pk_action_kpis"),
    )


def _action_indexes(per_area: bool) -> None:
    op.create_index("uq_actions_current", "actions", (["area_id"] if per_area else []) + ["code"], unique=True,
                    sqlite_where=sa.text("superseded_at IS NULL"),
                    postgresql_where=sa.text("superseded_at IS NULL"))
    op.create_index("ix_actions_batch", "actions", ["batch_id"])


def _columns(conn, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(conn).get_columns(table)]


def _sqlite_rebuild(conn, per_area: bool, area_id: int | None) -> None:
    """Rename the five tables aside, create them as wanted, copy the rows, drop the old ones."""
    op.drop_index("uq_actions_current", table_name="actions")
    op.drop_index("ix_actions_batch", table_name="actions")
    # Renaming rewrites the children's references to the renamed parent, so the old tables keep
    # pointing at each other and the new ones at the new names.
    for table in TABLES:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" RENAME TO "_old_{table}"')
    _create(per_area)
    for table in TABLES:
        new = _columns(conn, table)
        old = set(_columns(conn, f"_old_{table}"))
        shared = [c for c in new if c in old]
        names = ", ".join(f'"{c}"' for c in shared)
        if per_area and "area_id" in new and "area_id" not in old:
            conn.execute(sa.text(f'INSERT INTO "{table}" (area_id, {names}) SELECT :a, {names} FROM "_old_{table}"'),
                         {"a": area_id})
        else:
            conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "_old_{table}"')
    for table in reversed(TABLES):
        conn.exec_driver_sql(f'DROP TABLE "_old_{table}"')


def upgrade() -> None:
    conn = op.get_bind()
    area_id = _default_area_id(conn)
    if conn.dialect.name == "sqlite":
        _sqlite_rebuild(conn, True, area_id)
        return
    for table in ("themes", "roles", "role_themes", "actions"):
        op.add_column(table, sa.Column("area_id", sa.Integer, nullable=True))
        conn.execute(sa.text(f"UPDATE {table} SET area_id = :a"), {"a": area_id})
        op.alter_column(table, "area_id", nullable=False)
    op.drop_constraint("fk_role_themes_theme_letter_themes", "role_themes", type_="foreignkey")
    op.drop_constraint("fk_actions_theme_letter_themes", "actions", type_="foreignkey")
    op.drop_constraint("pk_themes", "themes", type_="primary")
    op.create_primary_key("pk_themes", "themes", ["area_id", "letter"])
    op.drop_constraint("uq_themes_name", "themes", type_="unique")
    op.create_unique_constraint("uq_themes_area_name", "themes", ["area_id", "name"])
    op.drop_constraint("uq_roles_name", "roles", type_="unique")
    op.create_unique_constraint("uq_roles_area_name", "roles", ["area_id", "name"])
    for table in ("themes", "roles", "actions"):
        op.create_foreign_key(f"fk_{table}_area_id_areas", table, "areas", ["area_id"], ["id"])
    for table in ("themes", "roles"):
        op.add_column(table, sa.Column("batch_id", sa.Integer, nullable=True))
        op.create_foreign_key(f"fk_{table}_batch_id_import_batches", table, "import_batches", ["batch_id"], ["id"])
    for table in ("role_themes", "actions"):
        op.create_foreign_key(f"fk_{table}_theme_themes", table, "themes", ["area_id", "theme_letter"],
                              ["area_id", "letter"])
    op.drop_index("uq_actions_current", table_name="actions")
    op.drop_index("ix_actions_batch", table_name="actions")
    _action_indexes(True)


def downgrade() -> None:
    """Back to one werkplan: refused while another centre than the default has werkplan rows."""
    conn = op.get_bind()
    areas = conn.execute(sa.text("SELECT COUNT(DISTINCT area_id) FROM themes")).scalar()
    if areas > 1:
        raise RuntimeError("Meer centra hebben een eigen werkplan; terug naar één werkplan zou er een weggooien.")
    if conn.dialect.name == "sqlite":
        _sqlite_rebuild(conn, False, None)
        return
    for table in ("role_themes", "actions"):
        op.drop_constraint(f"fk_{table}_theme_themes", table, type_="foreignkey")
    for table in ("themes", "roles", "actions"):
        op.drop_constraint(f"fk_{table}_area_id_areas", table, type_="foreignkey")
    for table in ("themes", "roles"):
        op.drop_constraint(f"fk_{table}_batch_id_import_batches", table, type_="foreignkey")
        op.drop_column(table, "batch_id")
    op.drop_index("uq_actions_current", table_name="actions")
    op.drop_index("ix_actions_batch", table_name="actions")
    op.drop_constraint("uq_roles_area_name", "roles", type_="unique")
    op.create_unique_constraint("uq_roles_name", "roles", ["name"])
    op.drop_constraint("uq_themes_area_name", "themes", type_="unique")
    op.create_unique_constraint("uq_themes_name", "themes", ["name"])
    op.drop_constraint("pk_themes", "themes", type_="primary")
    op.create_primary_key("pk_themes", "themes", ["letter"])
    for table in ("themes", "roles", "role_themes", "actions"):
        op.drop_column(table, "area_id")
    op.create_foreign_key("fk_role_themes_theme_letter_themes", "role_themes", "themes", ["theme_letter"], ["letter"])
    op.create_foreign_key("fk_actions_theme_letter_themes", "actions", "themes", ["theme_letter"], ["letter"])
    _action_indexes(False)
