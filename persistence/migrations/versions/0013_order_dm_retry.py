"""when a requester's failed decision DM is tried again

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

- ``purchase_requests.dm_next_at``: a DM about an approval or rejection that Slack refused
  waits until then (backoff); empty while none failed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("purchase_requests") as batch:
        batch.add_column(sa.Column("dm_next_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("purchase_requests") as batch:
        batch.drop_column("dm_next_at")
