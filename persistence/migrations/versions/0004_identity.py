"""sign-in lockout: refused sign-ins by username

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

``login_failures`` holds one row per refused sign-in, by lower-cased username, for the
lockout (too many failures within a window lock the name for a while). Rows older than the
window plus the lockout are deleted as new failures arrive.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        op.f("ix_login_failures_failed_at"), "login_failures", ["failed_at"], unique=False
    )
    op.create_index(
        "ix_login_failures_username_failed_at",
        "login_failures",
        ["username", "failed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_login_failures_username_failed_at", table_name="login_failures")
    op.drop_index(op.f("ix_login_failures_failed_at"), table_name="login_failures")
    op.drop_table("login_failures")
