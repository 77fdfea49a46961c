"""usage and forecasts: what each movement was, forecast alerts, stored forecasts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

- ``stock_movements.kind``: take, restock, count, import, receipt or set. Only takes are
  consumption; a count's difference is shrinkage. Rows written before this migration are
  classified by what they carry: an import's source, an order's source, the reasons FarLab
  writes for a count ("Stock count") and for a part's first stock ("Initial stock"); the
  rest is a take when it lowered the stock, else a restock. A count given another reason,
  or an edit of a part's quantity, made before this migration reads as a take or restock.
- ``alerts.kind`` may now be ``forecast``, with at most one unresolved per part (a partial
  unique index). SQLite cannot change a CHECK constraint, so there the table is made again
  from its own SQL with the new list (rows, indexes and AUTOINCREMENT kept).
- ``part_forecasts``: the forecast job's figures per part (a summary table, refreshed as a
  whole by each run; no foreign key, see the model).
- ``part_minimum_changes``: each minimum set from a suggestion.
- ``ix_stock_movements_created_at_brin`` (PostgreSQL): the forecast scan's last weeks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
OLD_KINDS = "kind IN ('low_stock', 'manual', 'maintenance')"
NEW_KINDS = "kind IN ('low_stock', 'manual', 'maintenance', 'forecast')"
MOVEMENT_KINDS = "kind IN ('take', 'restock', 'count', 'import', 'receipt', 'set')"
BACKFILL = """
UPDATE stock_movements SET kind = CASE
    WHEN source = 'import' THEN 'import'
    WHEN source = 'order' THEN 'receipt'
    WHEN reason = 'Stock count' THEN 'count'
    WHEN reason = 'Initial stock' THEN 'set'
    WHEN delta < 0 THEN 'take'
    ELSE 'restock'
END
"""
FORECAST_OPEN = "kind = 'forecast' AND status <> 'resolved'"


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _rebuild_with_check(table: str, old: str, new: str) -> None:
    """SQLite: make ``table`` again from its own SQL with ``old`` replaced by ``new``."""
    conn = op.get_bind()
    create = conn.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    if create.count(old) != 1:
        raise RuntimeError(f"cannot rebuild {table}: unexpected {create!r}")
    extras = list(
        conn.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = :t "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid"
            ),
            {"t": table},
        ).scalars()
    )
    columns = ", ".join(
        f'"{row[1]}"' for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')
    )
    made = create.replace(old, new).replace(table, f"_rebuild_{table}", 1)
    conn.exec_driver_sql(made)
    conn.exec_driver_sql(
        f"INSERT INTO _rebuild_{table} ({columns}) SELECT {columns} FROM {table}"  # noqa: S608
    )
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE _rebuild_{table} RENAME TO {table}")
    for sql in extras:
        conn.exec_driver_sql(sql)


def _alert_kinds(old: str, new: str) -> None:
    if _is_sqlite():
        _rebuild_with_check("alerts", old, new)
        return
    name = op.f("ck_alerts_kind")
    op.drop_constraint(name, "alerts", type_="check")
    op.create_check_constraint(name, "alerts", new)


def _movement_kind() -> None:
    name = "ck_stock_movements_kind"
    if _is_sqlite():  # SQLite adds a column with its CHECK, never a CHECK on its own
        op.execute(
            "ALTER TABLE stock_movements ADD COLUMN kind VARCHAR(10) DEFAULT 'take' NOT NULL "
            f"CONSTRAINT {name} CHECK ({MOVEMENT_KINDS})"
        )
    else:
        op.add_column(
            "stock_movements",
            sa.Column("kind", sa.String(10), nullable=False, server_default=sa.text("'take'")),
        )
        op.create_check_constraint(op.f(name), "stock_movements", MOVEMENT_KINDS)
    op.execute(BACKFILL)


def upgrade() -> None:
    _movement_kind()
    _alert_kinds(OLD_KINDS, NEW_KINDS)
    op.create_index(
        "uq_alerts_unresolved_forecast",
        "alerts",
        ["part_id"],
        unique=True,
        postgresql_where=sa.text(FORECAST_OPEN),
        sqlite_where=sa.text(FORECAST_OPEN),
    )
    op.create_table(
        "part_forecasts",
        sa.Column("part_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("computed_at", UTC_DATETIME, nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("takes", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.Column("weekly_rate", sa.Float(), nullable=False),
        sa.Column("weekly_sd", sa.Float(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("lead_from_offer", sa.Boolean(), nullable=False),
        sa.Column("suggested_minimum", sa.Integer(), nullable=True),
        # No foreign key: a summary rewritten by every run and read joined to parts.
        sa.PrimaryKeyConstraint("part_id", name=op.f("pk_part_forecasts")),
    )
    op.create_table(
        "part_minimum_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("old_minimum", sa.Integer(), nullable=False),
        sa.Column("new_minimum", sa.Integer(), nullable=False),
        sa.Column("weekly_rate", sa.Float(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_part_minimum_changes_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.id"],
            name=op.f("fk_part_minimum_changes_part_id_parts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_minimum_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_part_minimum_changes_part_id"), "part_minimum_changes", ["part_id"])
    if not _is_sqlite():
        op.create_index(
            "ix_stock_movements_created_at_brin",
            "stock_movements",
            ["created_at"],
            postgresql_using="brin",
        )


def downgrade() -> None:
    if not _is_sqlite():
        op.drop_index("ix_stock_movements_created_at_brin", table_name="stock_movements")
    op.drop_table("part_minimum_changes")
    op.drop_table("part_forecasts")
    op.drop_index("uq_alerts_unresolved_forecast", table_name="alerts")
    op.execute("DELETE FROM alerts WHERE kind = 'forecast'")
    _alert_kinds(NEW_KINDS, OLD_KINDS)
    if _is_sqlite():
        _rebuild_with_check(
            "stock_movements", f"CONSTRAINT ck_stock_movements_kind CHECK ({MOVEMENT_KINDS})", ""
        )
        op.drop_column("stock_movements", "kind")
    else:
        op.drop_constraint(op.f("ck_stock_movements_kind"), "stock_movements", type_="check")
        op.drop_column("stock_movements", "kind")
