"""accepted Slack requests remembered for the replay window

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

``handled_requests`` answers "was this request already handled, and what was the answer?".
One row per accepted state-changing request, keyed by what identifies it (a Slack
request's signature, or an event's id), claimed before the request is handled and given
the answer (status, content type, body) once there is one; ``status`` is NULL while it
is being handled. Rows live until ``expires_at`` (the replay window plus a margin) and
are then purged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "handled_requests",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("claimed_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_requests")),
    )
    op.create_index(
        op.f("ix_handled_requests_expires_at"), "handled_requests", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handled_requests_expires_at"), table_name="handled_requests")
    op.drop_table("handled_requests")
