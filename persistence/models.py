"""FarLab's tables as typed SQLAlchemy 2.0 models.

The schema itself is made only by the Alembic migrations in ``persistence/migrations``;
``tests/persistence/test_migrations.py`` proves these models and the migrations agree.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    inspect,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from domain.vocabulary import (
    ACCOUNT_ROLES,
    AlertKind,
    AlertSeverity,
    AlertStatus,
    AlertTopic,
    InstrumentStatus,
    MovementKind,
    MovementSource,
    OrderEventKind,
    OrderState,
    OrderUrgency,
    PreviewState,
    Role,
    RouteKind,
)
from persistence.search_text import KEY_FIELDS, search_key
from persistence.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The values each vocabulary column may hold (its CHECK constraint), from the domain's enums.
ROLES: tuple[str, ...] = tuple(v.value for v in ACCOUNT_ROLES)
INSTRUMENT_STATUSES: tuple[str, ...] = tuple(v.value for v in InstrumentStatus)
MOVEMENT_SOURCES: tuple[str, ...] = tuple(v.value for v in MovementSource)
MOVEMENT_KINDS: tuple[str, ...] = tuple(v.value for v in MovementKind)
ALERT_KINDS: tuple[str, ...] = tuple(v.value for v in AlertKind)
ALERT_STATUSES: tuple[str, ...] = tuple(v.value for v in AlertStatus)
ALERT_SEVERITIES: tuple[str, ...] = tuple(v.value for v in AlertSeverity)
ALERT_TOPICS: tuple[str, ...] = tuple(v.value for v in AlertTopic)
ROUTE_KINDS: tuple[str, ...] = tuple(v.value for v in RouteKind)
PREVIEW_STATES: tuple[str, ...] = tuple(v.value for v in PreviewState)
ORDER_STATES: tuple[str, ...] = tuple(v.value for v in OrderState)
ORDER_URGENCIES: tuple[str, ...] = tuple(v.value for v in OrderUrgency)
ORDER_EVENT_KINDS: tuple[str, ...] = tuple(v.value for v in OrderEventKind)
OPEN_ORDER = "state IN ('requested', 'approved', 'ordered')"
# A channel message that no longer shows its alert's state (it needs chat.update).
STALE_MESSAGE_PG = (
    "message_ts IS NOT NULL AND (shown_status IS DISTINCT FROM status "
    "OR shown_snoozed_until IS DISTINCT FROM snoozed_until)"
)
STALE_MESSAGE_SQLITE = (
    "message_ts IS NOT NULL AND (shown_status IS NOT status "
    "OR shown_snoozed_until IS NOT snoozed_until)"
)

# Indexes that exist only on PostgreSQL (trigram search). They are made by the migrations
# and left out of the model/migration comparison, which cannot describe them.
POSTGRES_ONLY_INDEXES = frozenset(
    {
        "ix_parts_number_trgm",
        "ix_parts_name_trgm",
        "ix_parts_search_trgm",
        # The forecast scan reads the last weeks of a ledger written in time order: a BRIN
        # index (a few pages for millions of rows) lets it skip the older blocks.
        "ix_stock_movements_created_at_brin",
    }
)


# SQLite AUTOINCREMENT: an id, once used, is never given to another row, even after its row
# is deleted (PostgreSQL's sequences never hand an id out twice anyway). Ids travel in
# tokens, links, buttons and URLs, so a new row must never answer to an old one's id.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


def new_security_stamp() -> str:
    """A random value every token of an account carries; a new one revokes them all."""
    return secrets.token_urlsafe(24)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), onupdate=utcnow)


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    department: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    # None: the account has no usable password yet (an invitation not yet accepted).
    password_hash: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Carried by the account's access tokens and links; changed (and so they are refused)
    # on a new password, deactivation, or an admin's "sign out everywhere".
    security_stamp: Mapped[str] = mapped_column(String(64), default=new_security_stamp)


class SlackIdentity(Base):
    __tablename__ = "slack_identities"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Instrument(TimestampMixin, Base):
    __tablename__ = "instruments"
    __table_args__ = (
        CheckConstraint(_one_of("status", INSTRUMENT_STATUSES), name="status"),
        CheckConstraint(
            "maintenance_interval_days IS NULL OR maintenance_interval_days > 0",
            name="maintenance_interval",
        ),
        CheckConstraint(
            "calibration_interval_days IS NULL OR calibration_interval_days > 0",
            name="calibration_interval",
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    serial_number: Mapped[str | None] = mapped_column(String(100), unique=True)
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=InstrumentStatus.OPERATIONAL.value)
    next_maintenance_due: Mapped[date | None] = mapped_column(Date)
    next_calibration_due: Mapped[date | None] = mapped_column(Date)
    maintenance_interval_days: Mapped[int | None] = mapped_column(Integer)
    calibration_interval_days: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_maintenance_on: Mapped[date | None] = mapped_column(Date)
    last_calibration_on: Mapped[date | None] = mapped_column(Date)


class InstrumentStatusChange(Base):
    __tablename__ = "instrument_status_changes"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[str] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Part(TimestampMixin, Base):
    __tablename__ = "parts"
    __table_args__ = (
        CheckConstraint("quantity_in_stock >= 0", name="stock_not_negative"),
        CheckConstraint("minimum_stock_level >= 0", name="minimum_not_negative"),
        CheckConstraint(
            "reorder_quantity IS NULL OR reorder_quantity > 0", name="reorder_quantity_positive"
        ),
        CheckConstraint("target_stock IS NULL OR target_stock > 0", name="target_stock_positive"),
        Index(
            "ix_parts_low_stock",
            "id",
            # Covering on PostgreSQL (migration 0014): the shopping list reads the levels here.
            postgresql_include=[
                "quantity_in_stock",
                "minimum_stock_level",
                "reorder_quantity",
                "target_stock",
            ],
            postgresql_where=text(
                "is_active AND minimum_stock_level > 0 AND quantity_in_stock <= minimum_stock_level"
            ),
            sqlite_where=text(
                "is_active AND minimum_stock_level > 0 AND quantity_in_stock <= minimum_stock_level"
            ),
        ),
        Index(
            "ix_parts_out_of_stock",
            "id",
            postgresql_where=text("is_active AND quantity_in_stock = 0"),
            sqlite_where=text("is_active AND quantity_in_stock = 0"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_number: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(100))
    manufacturer: Mapped[str | None] = mapped_column(String(100))
    unit_of_measure: Mapped[str] = mapped_column(String(20), default="pcs")
    location: Mapped[str | None] = mapped_column(String(200))
    quantity_in_stock: Mapped[int] = mapped_column(Integer, default=0)
    minimum_stock_level: Mapped[int] = mapped_column(Integer, default=0)
    is_critical: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How much a reorder asks for: a fixed quantity, or enough to refill to a target level.
    reorder_quantity: Mapped[int | None] = mapped_column(Integer)
    target_stock: Mapped[int | None] = mapped_column(Integer)
    # Number, name, category and manufacturer folded for search (``persistence.search_text``),
    # kept by the events below on every ORM write, and by this default on a Core insert.
    search_text: Mapped[str] = mapped_column(
        Text,
        default=lambda context: _search_key_of(context.get_current_parameters()),
        server_default=text("''"),
    )


def _search_key_of(fields: dict[str, Any]) -> str:
    return search_key(*(fields.get(name) for name in KEY_FIELDS))


@event.listens_for(Part, "before_insert")
@event.listens_for(Part, "before_update")
def _keep_search_text(_mapper: Mapper[Part], _connection: Connection, part: Part) -> None:
    """Set the part's search key when it is new or one of its fields changed."""
    state = inspect(part)
    if state.pending or any(state.attrs[name].history.has_changes() for name in KEY_FIELDS):
        key = _search_key_of({name: getattr(part, name) for name in KEY_FIELDS})
        if key != part.search_text:
            part.search_text = key


class InstrumentPart(TimestampMixin, Base):
    __tablename__ = "instrument_parts"
    __table_args__ = (
        UniqueConstraint("instrument_id", "part_id"),
        CheckConstraint("quantity_required >= 1", name="quantity_required_positive"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id", ondelete="CASCADE"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    quantity_required: Mapped[int] = mapped_column(Integer, default=1)
    is_critical: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class StockMovement(Base):
    """The stock ledger: one row for every change of a part's quantity."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(_one_of("source", MOVEMENT_SOURCES), name="source"),
        CheckConstraint("quantity_after >= 0", name="quantity_after_not_negative"),
        CheckConstraint(_one_of("kind", MOVEMENT_KINDS), name="kind"),
        Index("ix_stock_movements_part_id_created_at", "part_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(Integer)
    quantity_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10))
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruments.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the movement was (``MovementKind``): consumption is the takes only.
    kind: Mapped[str] = mapped_column(
        String(10), default=MovementKind.TAKE.value, server_default=text("'take'")
    )


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ALERT_KINDS), name="kind"),
        CheckConstraint(_one_of("status", ALERT_STATUSES), name="status"),
        CheckConstraint(_one_of("severity", ALERT_SEVERITIES), name="severity"),
        CheckConstraint("part_id IS NOT NULL OR instrument_id IS NOT NULL", name="has_subject"),
        CheckConstraint(
            f"kind <> '{AlertKind.LOW_STOCK.value}' OR part_id IS NOT NULL", name="low_stock_part"
        ),
        # The database itself allows one unresolved low_stock alert per part.
        # And one unresolved forecast alert per part.
        Index(
            "uq_alerts_unresolved_forecast",
            "part_id",
            unique=True,
            postgresql_where=text("kind = 'forecast' AND status <> 'resolved'"),
            sqlite_where=text("kind = 'forecast' AND status <> 'resolved'"),
        ),
        Index(
            "uq_alerts_unresolved_low_stock",
            "part_id",
            unique=True,
            postgresql_where=text("kind = 'low_stock' AND status <> 'resolved'"),
            sqlite_where=text("kind = 'low_stock' AND status <> 'resolved'"),
        ),
        Index(
            "ix_alerts_unresolved",
            "created_at",
            postgresql_where=text("status <> 'resolved'"),
            sqlite_where=text("status <> 'resolved'"),
        ),
        Index(
            "ix_alerts_pending_delivery",
            "id",
            postgresql_where=text("delivered_at IS NULL AND status <> 'resolved'"),
            sqlite_where=text("delivered_at IS NULL AND status <> 'resolved'"),
        ),
        Index("ix_alerts_part_id", "part_id"),
        Index("ix_alerts_instrument_id", "instrument_id"),
        CheckConstraint(f"topic IS NULL OR {_one_of('topic', ALERT_TOPICS)}", name="topic"),
        Index(
            "uq_alerts_unresolved_topic",
            "instrument_id",
            "topic",
            unique=True,
            postgresql_where=text("topic IS NOT NULL AND status <> 'resolved'"),
            sqlite_where=text("topic IS NOT NULL AND status <> 'resolved'"),
        ),
        Index(
            "ix_alerts_stale_message",
            "id",
            postgresql_where=text(STALE_MESSAGE_PG),
            sqlite_where=text(STALE_MESSAGE_SQLITE),
        ),
        Index(
            "ix_alerts_open_notified",
            "last_notified_at",
            postgresql_where=text("status = 'open' AND delivered_at IS NOT NULL"),
            sqlite_where=text("status = 'open' AND delivered_at IS NOT NULL"),
        ),
        # Attempts whose outcome is unknown (few, and short-lived), resolved alerts included.
        Index(
            "ix_alerts_open_attempt",
            "id",
            postgresql_where=text("post_started_at IS NOT NULL"),
            sqlite_where=text("post_started_at IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"))
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE")
    )
    message: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10), default=AlertSeverity.WARNING.value)
    status: Mapped[str] = mapped_column(String(16), default=AlertStatus.OPEN.value)
    current_stock: Mapped[int | None] = mapped_column(Integer)
    threshold_stock: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Delivery state (an outbox: the scheduler posts pending alerts to Slack).
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # Why a maintenance alert was raised (one unresolved alert per instrument and topic).
    topic: Mapped[str | None] = mapped_column(String(20))
    snoozed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # When the alert was last posted or re-notified in Slack.
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set instead of ``message_ts`` when the alert went out inside a digest message.
    digest_ts: Mapped[str | None] = mapped_column(String(32))
    # The state the channel message shows; when it differs, the message needs chat.update.
    shown_status: Mapped[str | None] = mapped_column(String(16))
    shown_snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The latest attempt to post it (its number is in the message's metadata), and when it
    # started while its outcome is unknown: then the channel's history is read before
    # posting again (``lookup_failures`` counts the reads that failed).
    post_attempt: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    post_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lookup_failures: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class UsedLinkToken(Base):
    """Ids (``jti``) of single-use signed links that have been used."""

    __tablename__ = "used_link_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class HandledRequest(Base):
    """A request already accepted (a Slack request by its signature, an event by its id) and
    the answer it got, kept for the replay window: a replay is answered from here and runs
    nothing. ``status`` is NULL while the first copy is still being handled."""

    __tablename__ = "handled_requests"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# Case-insensitive uniqueness and lookups: indexes on lower(column).
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_lower", func.lower(User.email), unique=True)
Index("uq_instruments_name_lower", func.lower(Instrument.name), unique=True)
Index("uq_parts_part_number_lower", func.lower(Part.part_number), unique=True)
Index("ix_parts_name_lower", func.lower(Part.name))
# A category's parts in part-number order: the category filter of the part list, and the
# category matches of a search, read in order without sorting.
Index("ix_parts_category_number", func.lower(Part.category), func.lower(Part.part_number))


class AlertRoute(TimestampMixin, Base):
    """Where alerts about a part category or an instrument are posted in Slack.

    ``key`` is the category as typed (matched case-insensitively), or the instrument's id.
    """

    __tablename__ = "alert_routes"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ROUTE_KINDS), name="kind"),
        CheckConstraint(
            f"(kind = '{RouteKind.CATEGORY.value}' AND instrument_id IS NULL) "
            f"OR (kind = '{RouteKind.INSTRUMENT.value}' AND instrument_id IS NOT NULL)",
            name="instrument_route",
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(100))
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[str] = mapped_column(String(32))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SchedulerJobRun(Base):
    """The latest run of each scheduled job, whichever process ran it (for /healthz)."""

    __tablename__ = "scheduler_job_runs"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_result: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The runs' durations added up: with ``runs``, their average.
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))


Index("uq_alert_routes_kind_key_lower", AlertRoute.kind, func.lower(AlertRoute.key), unique=True)


class LoginThrottle(Base):
    """Sign-in tries counted in one window, for one (username, client address) pair, or for
    a username from every address (``address`` is ``ANY_ADDRESS``).

    A try is counted before its password is checked, in the same statement that decides
    whether it may be made (``persistence/sign_in_throttle.py``); ``locked_until`` is set by
    the try that uses the window's last one. Kept by lower-cased name, not by account, so
    that unknown usernames are throttled alike and nothing tells which accounts exist.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportPreview(Base):
    """An import file checked and shown to its person in Slack, waiting for their Import or
    Cancel: the file itself is kept, so that Import applies exactly what was previewed.
    The preview's buttons carry its id and ``token`` (random); rows are deleted once past
    ``expires_at`` (a scheduled job)."""

    __tablename__ = "import_previews"
    __table_args__ = (
        CheckConstraint(_one_of("state", PREVIEW_STATES), name="state"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    # JSON: how to import it (``{"deactivate_missing": true}``).
    options: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read when imported
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    state: Mapped[str] = mapped_column(String(16), default=PreviewState.PENDING.value)


class Supplier(TimestampMixin, Base):
    """Where parts are bought. Never deleted: a supplier no longer used is deactivated."""

    __tablename__ = "suppliers"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(50))
    account_number: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


Index("uq_suppliers_name_lower", func.lower(Supplier.name), unique=True)


class SupplierOffer(TimestampMixin, Base):
    """A supplier's terms for one part. Prices are kept in the currency's minor unit (cents;
    yen have none), per order unit: a pack of ``pack_size`` of the part's unit."""

    __tablename__ = "supplier_offers"
    __table_args__ = (
        UniqueConstraint("part_id", "supplier_id"),
        CheckConstraint("pack_size >= 1", name="pack_size_positive"),
        CheckConstraint("minimum_order >= 1", name="minimum_order_positive"),
        CheckConstraint(
            "lead_time_days IS NULL OR (lead_time_days >= 0 AND lead_time_days <= 365)",
            name="lead_time_days",
        ),
        CheckConstraint("unit_price_minor IS NULL OR unit_price_minor >= 0", name="price"),
        # The database itself allows one preferred offer per part.
        Index(
            "uq_supplier_offers_preferred",
            "part_id",
            unique=True,
            # Covering on PostgreSQL (migration 0014): the shopping list reads the terms here.
            postgresql_include=[
                "supplier_id",
                "pack_size",
                "minimum_order",
                "unit_price_minor",
                "currency",
            ],
            postgresql_where=text("is_preferred"),
            sqlite_where=text("is_preferred"),
        ),
        Index("ix_supplier_offers_supplier_id", "supplier_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    supplier_part_number: Mapped[str | None] = mapped_column(String(100))
    unit_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    minimum_order: Mapped[int] = mapped_column(Integer, default=1)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    order_url: Mapped[str | None] = mapped_column(String(500))
    is_preferred: Mapped[bool] = mapped_column(Boolean, default=False)


class PurchaseRequest(Base):
    """A reorder: requested, approved or rejected, ordered, received (or cancelled).

    ``quantity`` is in the part's unit. ``version`` grows with every change; the purchasing
    channel's message shows ``shown_version`` (an outbox: ``domain.order_delivery`` posts
    the message once and updates it in place while the two differ).
    """

    __tablename__ = "purchase_requests"
    __table_args__ = (
        CheckConstraint(_one_of("state", ORDER_STATES), name="state"),
        CheckConstraint(_one_of("urgency", ORDER_URGENCIES), name="urgency"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("quantity_received >= 0", name="received_not_negative"),
        CheckConstraint("unit_price_minor IS NULL OR unit_price_minor >= 0", name="price"),
        # The database itself allows one request under way per part.
        Index(
            "uq_purchase_requests_open_part",
            "part_id",
            unique=True,
            postgresql_where=text(OPEN_ORDER),
            sqlite_where=text(OPEN_ORDER),
        ),
        Index("ix_purchase_requests_part_id_created_at", "part_id", "created_at"),
        Index(
            "ix_purchase_requests_open",
            "state",
            postgresql_where=text(OPEN_ORDER),
            sqlite_where=text(OPEN_ORDER),
        ),
        Index(
            "ix_purchase_requests_unshown",
            "id",
            postgresql_where=text("shown_version < version OR dm_due IS NOT NULL"),
            sqlite_where=text("shown_version < version OR dm_due IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default=OrderState.REQUESTED.value)
    quantity: Mapped[int] = mapped_column(Integer)
    urgency: Mapped[str] = mapped_column(String(10), default=OrderUrgency.NORMAL.value)
    note: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The supplier planned (from the preferred offer), then the one actually ordered from.
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    unit_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected or cancelled
    order_number: Mapped[str | None] = mapped_column(String(100))
    ordered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expected_on: Mapped[date | None] = mapped_column(Date)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_noticed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The purchasing channel's message (an outbox, as alerts have).
    version: Mapped[int] = mapped_column(Integer, default=1)
    shown_version: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    post_attempt: Mapped[int] = mapped_column(Integer, default=0)
    post_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    post_failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The requester's DM about a decision ("approved" or "rejected") not yet sent.
    dm_due: Mapped[str | None] = mapped_column(String(16))
    dm_failures: Mapped[int] = mapped_column(Integer, default=0)
    dm_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # after a failed DM


class PurchaseRequestEvent(Base):
    """A request's timeline: who did what to it, when."""

    __tablename__ = "purchase_request_events"
    __table_args__ = (
        CheckConstraint(_one_of("kind", ORDER_EVENT_KINDS), name="kind"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    quantity: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PartForecast(Base):
    """A part's usage figures, as the forecast job last computed them
    (``domain.forecasting``): one row per active part with a forecast.

    A summary the job rewrites on every run, read only joined to ``parts``: no foreign key,
    whose check of each of 200,000 new rows would cost the first run seconds. A deleted
    part's row is invisible to every read and gone at the next run; ids are never reused.
    """

    __tablename__ = "part_forecasts"

    part_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    weeks: Mapped[int] = mapped_column(Integer)
    takes: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer)
    weekly_rate: Mapped[float] = mapped_column(Float)
    weekly_sd: Mapped[float] = mapped_column(Float)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    # Whether the lead time is the preferred offer's (else the default setting's).
    lead_from_offer: Mapped[bool] = mapped_column(Boolean)
    # None while the history is too short for a forecast.
    suggested_minimum: Mapped[int | None] = mapped_column(Integer)


class PartMinimumChange(Base):
    """Each minimum stock level set from a suggestion, with what it was and who set it."""

    __tablename__ = "part_minimum_changes"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id", ondelete="CASCADE"), index=True)
    old_minimum: Mapped[int] = mapped_column(Integer)
    new_minimum: Mapped[int] = mapped_column(Integer)
    weekly_rate: Mapped[float | None] = mapped_column(Float)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
