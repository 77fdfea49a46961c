"""scheduled job runs keep when the last one failed and how long runs take

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

``scheduler_job_runs`` gains ``last_failure_at`` (when the latest failed run ended) and
``total_seconds`` (the runs' durations added up; with ``runs``, their average), which
``GET /health/scheduler`` reports as the original did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("scheduler_job_runs", sa.Column("last_failure_at", sa.DateTime(timezone=True)))
    op.add_column(
        "scheduler_job_runs",
        sa.Column("total_seconds", sa.Float(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("scheduler_job_runs") as batch:
        batch.drop_column("total_seconds")
        batch.drop_column("last_failure_at")
