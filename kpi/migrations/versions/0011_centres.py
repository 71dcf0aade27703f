"""Several centres (issue 21.1, 21.4): every area gets a unique `slug` for the URL
(`?gebied=assen-binnenstad`) and the CLI (`--gebied`), derived from the name for existing rows;
`peer_group` names the werkgroep of centres an area is compared with on the benchmark page
(empty: in none); `illustrative` marks a fictional demo centre that `demo --remove` deletes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _slug(name: str) -> str:
    # A copy of kpi.names.slug as it was when this migration was written: a migration must not
    # change when the code does.
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "gebied"


def upgrade() -> None:
    # Plain ADD COLUMNs and an index, no batch: SQLite's batch mode copies the table, and dropping
    # `areas` while observations refer to it breaks the foreign keys. The slug stays nullable in the
    # database for the same reason; every insert fills it (schema.areas' default, repository.area_rows).
    op.add_column("areas", sa.Column("slug", sa.String(100), nullable=True))
    op.add_column("areas", sa.Column("peer_group", sa.String(200), nullable=False, server_default=""))
    op.add_column("areas", sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    areas = sa.table("areas", sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("slug", sa.String))
    taken: set[str] = set()
    for id_, name in conn.execute(sa.select(areas.c.id, areas.c.name).order_by(areas.c.id)).all():
        base = slug = _slug(name)
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        conn.execute(sa.update(areas).where(areas.c.id == id_).values(slug=slug))
    op.create_index("uq_areas_slug", "areas", ["slug"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_areas_slug", "areas")
    with op.batch_alter_table("areas") as batch:
        batch.drop_column("illustrative")
        batch.drop_column("peer_group")
        batch.drop_column("slug")
