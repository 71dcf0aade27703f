"""Several centres (issue 21.1, 21.4): every area gets a unique `slug` for the URL
(`?gebied=assen-binnenstad`) and the CLI (`--gebied`), derived from the name for existing rows;
`peer_group` names the werkgroep of centres an area is compared with on the benchmark page
(empty: in none); `illustrative` marks a fictional demo centre that `demo --remove` deletes.

Revision ID: 0011
Revises: 0008 (becomes 0010 when the agreements branch is merged)
Create Date: 2026-12-07
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def _slug(name: str) -> str:
    # A copy of kpi.names.slug as it was when this migration was written: a migration must not
    # change when the code does.
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "gebied"


def upgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        batch.add_column(sa.Column("slug", sa.String(100), nullable=True))
        batch.add_column(sa.Column("peer_group", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()))
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
    with op.batch_alter_table("areas") as batch:
        batch.alter_column("slug", existing_type=sa.String(100), nullable=False)
        batch.create_unique_constraint("uq_areas_slug", ["slug"])


def downgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        batch.drop_constraint("uq_areas_slug", type_="unique")
        batch.drop_column("illustrative")
        batch.drop_column("peer_group")
        batch.drop_column("slug")
