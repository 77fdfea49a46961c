"""parts in part-number order within a category

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

``ix_parts_category_number`` on (lower(category), lower(part_number)) reads a category's
parts in part-number order: the part list's category filter and the category matches of a
search. It replaces ``ix_parts_category`` on the raw column, which no query used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_parts_category_number",
        "parts",
        [sa.literal_column("lower(category)"), sa.literal_column("lower(part_number)")],
        unique=False,
    )
    op.drop_index("ix_parts_category", table_name="parts")


def downgrade() -> None:
    op.create_index("ix_parts_category", "parts", ["category"], unique=False)
    op.drop_index("ix_parts_category_number", table_name="parts")
