"""alert posts whose outcome is unknown are looked up before posting again

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``alerts`` gains the state of its latest attempt to post it:

- ``post_attempt``: that attempt's number (the message carries it in its metadata),
- ``post_started_at``: when it started, kept while its outcome is unknown (Slack's answer
  was lost, or the process died before recording it); the next run reads the channel's
  history from then on before posting again,
- ``lookup_failures``: how many such history reads failed, so that delivery goes ahead
  after a few instead of waiting for ever.

``ix_alerts_open_attempt`` (partial, ``post_started_at IS NOT NULL``) finds the open
attempts of alerts resolved or snoozed since, which ``ix_alerts_pending_delivery`` leaves
out: their message may be in the channel, to be found and updated.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "alerts",
        sa.Column("post_attempt", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column("alerts", sa.Column("post_started_at", sa.DateTime(timezone=True)))
    op.add_column(
        "alerts",
        sa.Column("lookup_failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.create_index(
        "ix_alerts_open_attempt",
        "alerts",
        ["id"],
        postgresql_where=sa.text("post_started_at IS NOT NULL"),
        sqlite_where=sa.text("post_started_at IS NOT NULL"),
    )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild of the table would
    # drop its AUTOINCREMENT (revision 0005) without a word.
    op.drop_index("ix_alerts_open_attempt", table_name="alerts")
    op.drop_column("alerts", "lookup_failures")
    op.drop_column("alerts", "post_started_at")
    op.drop_column("alerts", "post_attempt")
