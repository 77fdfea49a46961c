"""parts get a folded search key

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09

``parts.search_text`` holds the part number, name, category and manufacturer folded as
``persistence.search_text`` folds them (NFKC, case-folded), so that search compares the
same text on SQLite and PostgreSQL. Existing rows are filled here in batches of
``BATCH`` parts, in id order, each batch one UPDATE executed for its parts in the migration's
transaction.

On PostgreSQL:

- ``ix_parts_search_trgm``: a GIN trigram index on ``search_text`` of active parts (what
  search compares, and what misspelling suggestions are looked up by);
- ``ix_parts_category_trgm`` goes: search no longer compares the category on its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.search_text import search_key

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 5000

_parts = sa.table(
    "parts",
    sa.column("id", sa.Integer),
    sa.column("part_number", sa.String),
    sa.column("name", sa.String),
    sa.column("category", sa.String),
    sa.column("manufacturer", sa.String),
    sa.column("search_text", sa.Text),
)


def _backfill(bind: sa.Connection) -> None:
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                _parts.c.id,
                _parts.c.part_number,
                _parts.c.name,
                _parts.c.category,
                _parts.c.manufacturer,
            )
            .where(_parts.c.id > last)
            .order_by(_parts.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            sa.update(_parts)
            .where(_parts.c.id == sa.bindparam("part_id"))
            .values(search_text=sa.bindparam("key")),
            [{"part_id": row[0], "key": search_key(*row[1:])} for row in rows],
        )
        last = rows[-1][0]


def upgrade() -> None:
    op.add_column(
        "parts", sa.Column("search_text", sa.Text(), server_default=sa.text("''"), nullable=False)
    )
    bind = op.get_bind()
    _backfill(bind)
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_parts_category_trgm")
        op.execute(
            "CREATE INDEX ix_parts_search_trgm ON parts USING gin (search_text gin_trgm_ops) "
            "WHERE is_active"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_parts_search_trgm")
        op.execute(
            "CREATE INDEX ix_parts_category_trgm ON parts USING gin (lower(category) gin_trgm_ops)"
        )
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), as 0008 does: a batch rebuild of the
    # table would drop its AUTOINCREMENT (revision 0005) without a word.
    op.drop_column("parts", "search_text")
