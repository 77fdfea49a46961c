"""the shopping list reads its figures from two covering indexes (PostgreSQL)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

The shopping list asks, for every low part with no request under way, its stock levels and
its preferred offer's terms. At 1,000,000 parts (10,000 low) reading those rows from the
tables meant 15,000 scattered heap pages and 200 ms; from indexes that carry the columns
(index-only scans) it takes about a quarter of that. On PostgreSQL:

- ``ix_parts_low_stock`` (the low parts' ids) also carries ``quantity_in_stock``,
  ``minimum_stock_level``, ``reorder_quantity`` and ``target_stock``;
- ``uq_supplier_offers_preferred`` (a part's one preferred offer) also carries
  ``supplier_id``, ``pack_size``, ``minimum_order``, ``unit_price_minor`` and ``currency``.

SQLite has no INCLUDE: its indexes stay as they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LOW = "is_active AND minimum_stock_level > 0 AND quantity_in_stock <= minimum_stock_level"
LEVELS = ["quantity_in_stock", "minimum_stock_level", "reorder_quantity", "target_stock"]
TERMS = ["supplier_id", "pack_size", "minimum_order", "unit_price_minor", "currency"]


def _indexes(*, covering: bool) -> None:
    op.drop_index("ix_parts_low_stock", table_name="parts")
    op.create_index(
        "ix_parts_low_stock",
        "parts",
        ["id"],
        postgresql_where=sa.text(LOW),
        postgresql_include=LEVELS if covering else [],
    )
    op.drop_index("uq_supplier_offers_preferred", table_name="supplier_offers")
    op.create_index(
        "uq_supplier_offers_preferred",
        "supplier_offers",
        ["part_id"],
        unique=True,
        postgresql_where=sa.text("is_preferred"),
        postgresql_include=TERMS if covering else [],
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _indexes(covering=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _indexes(covering=False)
