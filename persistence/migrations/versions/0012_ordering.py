"""suppliers, their offers, and reorder requests with their timelines

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- ``suppliers``: where parts are bought (a name unique in any case; deactivated, not
  deleted).
- ``supplier_offers``: a supplier's terms for a part (price in the currency's minor unit,
  per pack of ``pack_size``; minimum order in packs; lead time 0-365 days); at most one
  preferred offer per part (a partial unique index).
- ``parts.reorder_quantity`` and ``parts.target_stock``: how much a reorder asks for.
- ``purchase_requests``: a reorder's state, quantities, supplier and price, order number and
  expected date, and the outbox columns of its message in the purchasing channel; at most
  one request under way (requested, approved, ordered) per part (a partial unique index).
- ``purchase_request_events``: each request's timeline.
- ``stock_movements.source`` may now be ``order`` (a receipt). SQLite cannot change a CHECK
  constraint, so there the ledger table is made again from its own SQL with the new list
  (its rows, indexes and AUTOINCREMENT kept).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)
OLD_SOURCES = "source IN ('slack', 'api', 'import', 'system')"
NEW_SOURCES = "source IN ('slack', 'api', 'import', 'system', 'order')"
OPEN_ORDER = "state IN ('requested', 'approved', 'ordered')"
PART_CHECKS = {
    "reorder_quantity": "reorder_quantity IS NULL OR reorder_quantity > 0",
    "target_stock": "target_stock IS NULL OR target_stock > 0",
}
PART_CHECK_NAMES = {
    "reorder_quantity": "ck_parts_reorder_quantity_positive",
    "target_stock": "ck_parts_target_stock_positive",
}


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _sources(old: str, new: str) -> None:
    if not _is_sqlite():
        name = op.f("ck_stock_movements_source")
        op.drop_constraint(name, "stock_movements", type_="check")
        op.create_check_constraint(name, "stock_movements", new)
        return
    conn = op.get_bind()
    create = conn.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'stock_movements'")
    ).scalar_one()
    if create.count(old) != 1:
        raise RuntimeError(f"cannot rebuild stock_movements: unexpected {create!r}")
    extras = list(
        conn.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'stock_movements' "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid"
            )
        ).scalars()
    )
    columns = ", ".join(
        f'"{row[1]}"' for row in conn.exec_driver_sql('PRAGMA table_info("stock_movements")')
    )
    made = create.replace(old, new).replace("stock_movements", "_rebuild_stock_movements", 1)
    conn.exec_driver_sql(made)
    conn.exec_driver_sql(
        f"INSERT INTO _rebuild_stock_movements ({columns}) "  # noqa: S608
        f"SELECT {columns} FROM stock_movements"
    )
    conn.exec_driver_sql("DROP TABLE stock_movements")
    conn.exec_driver_sql("ALTER TABLE _rebuild_stock_movements RENAME TO stock_movements")
    for sql in extras:
        conn.exec_driver_sql(sql)


def _part_columns() -> None:
    for column, check in PART_CHECKS.items():
        name = PART_CHECK_NAMES[column]
        if _is_sqlite():  # SQLite adds a column with its CHECK, never a CHECK on its own
            op.execute(
                f"ALTER TABLE parts ADD COLUMN {column} INTEGER CONSTRAINT {name} CHECK ({check})"
            )
        else:
            op.add_column("parts", sa.Column(column, sa.Integer(), nullable=True))
            op.create_check_constraint(op.f(name), "parts", check)


def upgrade() -> None:
    _part_columns()
    _sources(OLD_SOURCES, NEW_SOURCES)
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("account_number", sa.String(length=100), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sqlite_autoincrement=True,
    )
    op.create_index("uq_suppliers_name_lower", "suppliers", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "supplier_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("supplier_part_number", sa.String(length=100), nullable=True),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("minimum_order", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("order_url", sa.String(length=500), nullable=True),
        sa.Column("is_preferred", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint("pack_size >= 1", name=op.f("ck_supplier_offers_pack_size_positive")),
        sa.CheckConstraint(
            "minimum_order >= 1", name=op.f("ck_supplier_offers_minimum_order_positive")
        ),
        sa.CheckConstraint(
            "lead_time_days IS NULL OR (lead_time_days >= 0 AND lead_time_days <= 365)",
            name=op.f("ck_supplier_offers_lead_time_days"),
        ),
        sa.CheckConstraint(
            "unit_price_minor IS NULL OR unit_price_minor >= 0",
            name=op.f("ck_supplier_offers_price"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.id"],
            name=op.f("fk_supplier_offers_part_id_parts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_supplier_offers_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_offers")),
        sa.UniqueConstraint(
            "part_id", "supplier_id", name=op.f("uq_supplier_offers_part_id_supplier_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_supplier_offers_preferred",
        "supplier_offers",
        ["part_id"],
        unique=True,
        postgresql_where=sa.text("is_preferred"),
        sqlite_where=sa.text("is_preferred"),
    )
    op.create_index("ix_supplier_offers_supplier_id", "supplier_offers", ["supplier_id"])
    op.create_table(
        "purchase_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC_DATETIME, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("order_number", sa.String(length=100), nullable=True),
        sa.Column("ordered_at", UTC_DATETIME, nullable=True),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=True),
        sa.Column("overdue_noticed_at", UTC_DATETIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("shown_version", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("post_attempt", sa.Integer(), nullable=False),
        sa.Column("post_started_at", UTC_DATETIME, nullable=True),
        sa.Column("next_post_at", UTC_DATETIME, nullable=True),
        sa.Column("post_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("dm_due", sa.String(length=16), nullable=True),
        sa.Column("dm_failures", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('requested', 'approved', 'rejected', 'ordered', 'received', 'cancelled')",
            name=op.f("ck_purchase_requests_state"),
        ),
        sa.CheckConstraint(
            "urgency IN ('normal', 'urgent')", name=op.f("ck_purchase_requests_urgency")
        ),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_purchase_requests_quantity_positive")),
        sa.CheckConstraint(
            "quantity_received >= 0", name=op.f("ck_purchase_requests_received_not_negative")
        ),
        sa.CheckConstraint(
            "unit_price_minor IS NULL OR unit_price_minor >= 0",
            name=op.f("ck_purchase_requests_price"),
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.id"],
            name=op.f("fk_purchase_requests_part_id_parts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_purchase_requests_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_purchase_requests_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_purchase_requests_supplier_id_suppliers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_requests")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_purchase_requests_open_part",
        "purchase_requests",
        ["part_id"],
        unique=True,
        postgresql_where=sa.text(OPEN_ORDER),
        sqlite_where=sa.text(OPEN_ORDER),
    )
    op.create_index(
        "ix_purchase_requests_part_id_created_at", "purchase_requests", ["part_id", "created_at"]
    )
    op.create_index(
        "ix_purchase_requests_open",
        "purchase_requests",
        ["state"],
        postgresql_where=sa.text(OPEN_ORDER),
        sqlite_where=sa.text(OPEN_ORDER),
    )
    op.create_index(
        "ix_purchase_requests_unshown",
        "purchase_requests",
        ["id"],
        postgresql_where=sa.text("shown_version < version OR dm_due IS NOT NULL"),
        sqlite_where=sa.text("shown_version < version OR dm_due IS NOT NULL"),
    )
    op.create_table(
        "purchase_request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(
            "kind IN ('requested', 'joined', 'edited', 'approved', 'rejected', 'ordered', "
            "'received', 'cancelled', 'overdue')",
            name=op.f("ck_purchase_request_events_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["purchase_requests.id"],
            name=op.f("fk_purchase_request_events_request_id_purchase_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_purchase_request_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_request_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_purchase_request_events_request_id"),
        "purchase_request_events",
        ["request_id"],
    )


def downgrade() -> None:
    op.drop_table("purchase_request_events")
    op.drop_table("purchase_requests")
    op.drop_table("supplier_offers")
    op.drop_table("suppliers")
    op.execute("DELETE FROM stock_movements WHERE source = 'order'")
    _sources(NEW_SOURCES, OLD_SOURCES)
    if _is_sqlite():
        op.drop_column("parts", "target_stock")
        op.drop_column("parts", "reorder_quantity")
    else:
        for column in ("target_stock", "reorder_quantity"):
            op.drop_constraint(op.f(PART_CHECK_NAMES[column]), "parts", type_="check")
            op.drop_column("parts", column)
