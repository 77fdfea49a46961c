"""alerts in Slack channels: routes, delivery state, maintenance topics, job runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

- ``alert_routes``: the channel for a part category or an instrument.
- ``alerts``: ``topic`` (one unresolved maintenance alert per instrument and topic),
  ``snoozed_by_id``, ``last_notified_at``, ``digest_ts`` (delivered inside a digest),
  ``shown_status``/``shown_snoozed_until`` (what the channel message shows; a difference
  means the message needs ``chat.update``), and the indexes the scheduler's questions use.
- ``instruments``: the dates maintenance and calibration were last done.
- ``scheduler_job_runs``: each job's latest run, for /healthz.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


@contextmanager
def _quiet_reflection() -> Iterator[None]:
    """SQLite rebuilds ``alerts`` (batch mode) and reflects the tables it refers to; it
    cannot reflect ``users``' expression indexes and says so, harmlessly: ``users`` is
    only read for the foreign key, never rebuilt."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        yield


def upgrade() -> None:
    op.create_table(
        "alert_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint("kind IN ('category', 'instrument')", name=op.f("ck_alert_routes_kind")),
        sa.CheckConstraint(
            "(kind = 'category' AND instrument_id IS NULL) "
            "OR (kind = 'instrument' AND instrument_id IS NOT NULL)",
            name=op.f("ck_alert_routes_instrument_route"),
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instruments.id"],
            name=op.f("fk_alert_routes_instrument_id_instruments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_alert_routes_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_routes")),
    )
    op.create_index(
        "ix_alert_routes_instrument_id", "alert_routes", ["instrument_id"], unique=False
    )
    op.create_index(
        "uq_alert_routes_kind_key_lower",
        "alert_routes",
        ["kind", sa.literal_column("lower(key)")],
        unique=True,
    )
    op.create_table(
        "scheduler_job_runs",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("last_run_at", UTC_DATETIME, nullable=True),
        sa.Column("last_success_at", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_scheduler_job_runs")),
    )
    with _quiet_reflection(), op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("topic", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("snoozed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_notified_at", UTC_DATETIME, nullable=True))
        batch.add_column(sa.Column("digest_ts", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("shown_status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("shown_snoozed_until", UTC_DATETIME, nullable=True))
        batch.create_foreign_key(
            op.f("fk_alerts_snoozed_by_id_users"),
            "users",
            ["snoozed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_check_constraint(
            op.f("ck_alerts_topic"),
            "topic IS NULL OR topic IN ('maintenance_due', 'calibration_due', 'out_of_service')",
        )
    op.create_index(
        "uq_alerts_unresolved_topic",
        "alerts",
        ["instrument_id", "topic"],
        unique=True,
        postgresql_where=sa.text("topic IS NOT NULL AND status <> 'resolved'"),
        sqlite_where=sa.text("topic IS NOT NULL AND status <> 'resolved'"),
    )
    op.create_index(
        "ix_alerts_stale_message",
        "alerts",
        ["id"],
        unique=False,
        postgresql_where=sa.text(
            "message_ts IS NOT NULL AND (shown_status IS DISTINCT FROM status "
            "OR shown_snoozed_until IS DISTINCT FROM snoozed_until)"
        ),
        sqlite_where=sa.text(
            "message_ts IS NOT NULL AND (shown_status IS NOT status "
            "OR shown_snoozed_until IS NOT snoozed_until)"
        ),
    )
    op.create_index(
        "ix_alerts_open_notified",
        "alerts",
        ["last_notified_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open' AND delivered_at IS NOT NULL"),
        sqlite_where=sa.text("status = 'open' AND delivered_at IS NOT NULL"),
    )
    # Plain columns: no table rebuild on SQLite (which would lose its expression indexes).
    op.add_column("instruments", sa.Column("last_maintenance_on", sa.Date(), nullable=True))
    op.add_column("instruments", sa.Column("last_calibration_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("instruments", "last_calibration_on")
    op.drop_column("instruments", "last_maintenance_on")
    op.drop_index("ix_alerts_open_notified", table_name="alerts")
    op.drop_index("ix_alerts_stale_message", table_name="alerts")
    op.drop_index("uq_alerts_unresolved_topic", table_name="alerts")
    with _quiet_reflection(), op.batch_alter_table("alerts") as batch:
        batch.drop_constraint(op.f("ck_alerts_topic"), type_="check")
        batch.drop_constraint(op.f("fk_alerts_snoozed_by_id_users"), type_="foreignkey")
        batch.drop_column("shown_snoozed_until")
        batch.drop_column("shown_status")
        batch.drop_column("digest_ts")
        batch.drop_column("last_notified_at")
        batch.drop_column("snoozed_by_id")
        batch.drop_column("topic")
    op.drop_table("scheduler_job_runs")
    op.drop_index("uq_alert_routes_kind_key_lower", table_name="alert_routes")
    op.drop_index("ix_alert_routes_instrument_id", table_name="alert_routes")
    op.drop_table("alert_routes")
