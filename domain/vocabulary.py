"""The words FarLab's records use: roles, instrument statuses, where a stock movement came
from, and the kinds and states of alerts and their routes.

The database keeps them as text; ``persistence.models`` builds its CHECK constraints from
these enums, so the two cannot drift apart. Nothing here imports persistence.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What an actor may do is decided by its role (``domain.permissions``)."""

    ADMIN = "admin"
    MANAGER = "manager"
    MEMBER = "member"
    # Reads and nothing else: the REST API's anonymous reader. No account holds it.
    VIEWER = "viewer"


ACCOUNT_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.MANAGER, Role.MEMBER)
"""The roles an account can hold (``users.role``), and so the ones offered to admins."""


class InstrumentStatus(StrEnum):
    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    OUT_OF_SERVICE = "out_of_service"


class MovementSource(StrEnum):
    """Where a stock movement was made."""

    SLACK = "slack"
    API = "api"
    IMPORT = "import"
    SYSTEM = "system"


class PreviewState(StrEnum):
    """Where a stored import preview stands: waiting for its Import or Cancel, or done."""

    PENDING = "pending"
    APPLIED = "applied"
    CANCELLED = "cancelled"


class AlertKind(StrEnum):
    LOW_STOCK = "low_stock"
    MANUAL = "manual"
    MAINTENANCE = "maintenance"


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlertTopic(StrEnum):
    """Why a maintenance alert was raised (one unresolved alert per instrument and topic)."""

    MAINTENANCE_DUE = "maintenance_due"
    CALIBRATION_DUE = "calibration_due"
    OUT_OF_SERVICE = "out_of_service"


class RouteKind(StrEnum):
    """What an alert route is keyed by: a part category or an instrument."""

    CATEGORY = "category"
    INSTRUMENT = "instrument"
