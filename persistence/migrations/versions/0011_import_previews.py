"""import previews waiting in Slack for their Import or Cancel

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

``import_previews`` keeps a file someone uploaded with ``/farlab import`` from the moment
its preview is shown to them until they press Import or Cancel: the file's bytes (at most
20 MB), what it holds (``kind``), how to import it (``options``, JSON), whose it is, a
random ``token`` the preview's buttons carry, and its ``state`` (pending, applied,
cancelled). A preview lasts 30 minutes (``expires_at``); a scheduled job deletes it after.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "import_previews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'applied', 'cancelled')", name=op.f("ck_import_previews_state")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_import_previews_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_previews")),
        sa.UniqueConstraint("token", name=op.f("uq_import_previews_token")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_import_previews_user_id"), "import_previews", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_import_previews_expires_at"), "import_previews", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_import_previews_expires_at"), table_name="import_previews")
    op.drop_index(op.f("ix_import_previews_user_id"), table_name="import_previews")
    op.drop_table("import_previews")
