"""atomic sign-in throttling by username and client address

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

``login_throttles`` replaces ``login_failures``. Its rows count the sign-in tries of one
window for one (lower-cased username, client address) pair, and for a username from every
address (address ``*``), with the time the window's last try locks the key until. A try is
counted and decided in one conditional upsert on the primary key (username, address), so
parallel tries can never check more passwords than the limit. The old table's rows are
dropped, not carried over: they only held failures of the last half hour, counted by name
alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.drop_index("ix_login_failures_username_failed_at", table_name="login_failures")
    op.drop_index(op.f("ix_login_failures_failed_at"), table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_throttles",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTC_DATETIME, nullable=False),
        sa.Column("locked_until", UTC_DATETIME, nullable=True),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_login_throttles_attempts_not_negative")),
        sa.PrimaryKeyConstraint("username", "address", name=op.f("pk_login_throttles")),
    )
    op.create_index(
        op.f("ix_login_throttles_window_started_at"),
        "login_throttles",
        ["window_started_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_login_throttles_window_started_at"), table_name="login_throttles")
    op.drop_table("login_throttles")
    if op.get_bind().dialect.name == "sqlite":
        # As revision 0005 left it: AUTOINCREMENT on a named column-level primary key.
        op.execute(
            "CREATE TABLE login_failures (\n"
            "\tid INTEGER NOT NULL CONSTRAINT pk_login_failures PRIMARY KEY AUTOINCREMENT, \n"
            "\tusername VARCHAR(100) NOT NULL, \n"
            "\tfailed_at DATETIME NOT NULL\n)"
        )
    else:
        op.create_table(
            "login_failures",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("username", sa.String(length=100), nullable=False),
            sa.Column("failed_at", UTC_DATETIME, nullable=False),
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
