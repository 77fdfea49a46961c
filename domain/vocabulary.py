"""The words FarLab's records use: roles, instrument statuses, where a stock movement came
from, the kinds and states of alerts and their routes, and how units of measure read.

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
    # A reorder received (``domain.ordering``): the reason names the order.
    ORDER = "order"


class MovementKind(StrEnum):
    """What a stock movement was, whatever its source: only takes are consumption; a
    count's difference is shrinkage (or a find), reported apart."""

    TAKE = "take"
    RESTOCK = "restock"
    COUNT = "count"
    IMPORT = "import"
    # An order received (``domain.ordering``).
    RECEIPT = "receipt"
    # A quantity set when a part is created or edited.
    SET = "set"


class ForecastStatus(StrEnum):
    """Whether a part's usage gives a forecast (``domain.forecasting``)."""

    OK = "ok"
    # Younger than four weeks, or fewer than three takes in the weeks it has.
    TOO_LITTLE_HISTORY = "too_little_history"
    # Old enough, and not taken at all in the forecast's weeks.
    NO_USAGE = "no_usage"


class PreviewState(StrEnum):
    """Where a stored import preview stands: waiting for its Import or Cancel, or done."""

    PENDING = "pending"
    APPLIED = "applied"
    CANCELLED = "cancelled"


class OrderState(StrEnum):
    """Where a reorder request stands (``domain.ordering`` moves it; nothing else does).

    requested -> approved | rejected; approved -> ordered | cancelled;
    ordered -> received (after one or more receipts) | cancelled.
    """

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    ORDERED = "ordered"
    RECEIVED = "received"
    CANCELLED = "cancelled"


OPEN_ORDER_STATES: tuple[OrderState, ...] = (
    OrderState.REQUESTED,
    OrderState.APPROVED,
    OrderState.ORDERED,
)
"""The states of a request still under way: a part has at most one such request."""


class OrderUrgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class OrderEventKind(StrEnum):
    """One line of a request's timeline."""

    REQUESTED = "requested"
    JOINED = "joined"  # a second request for the part, added to the open one
    EDITED = "edited"
    APPROVED = "approved"
    REJECTED = "rejected"
    ORDERED = "ordered"
    RECEIVED = "received"  # one receipt (a partial one, or the last)
    CANCELLED = "cancelled"
    OVERDUE = "overdue"  # past its expected date: a reminder was posted


class AlertKind(StrEnum):
    LOW_STOCK = "low_stock"
    MANUAL = "manual"
    MAINTENANCE = "maintenance"
    # A part expected to fall to its minimum before a reorder placed today would arrive.
    FORECAST = "forecast"


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


# Units of measure that read differently for one and for several, as (one, several). A part
# stores either form (``pcs`` by default); units not listed (m, g, mL, µL, ...) read the
# same for any quantity and are shown as stored.
UNIT_FORMS: tuple[tuple[str, str], ...] = (
    ("pc", "pcs"),
    ("piece", "pieces"),
    ("box", "boxes"),
    ("pack", "packs"),
    ("package", "packages"),
    ("bag", "bags"),
    ("bottle", "bottles"),
    ("can", "cans"),
    ("canister", "canisters"),
    ("cartridge", "cartridges"),
    ("case", "cases"),
    ("cylinder", "cylinders"),
    ("jar", "jars"),
    ("kit", "kits"),
    ("pair", "pairs"),
    ("reel", "reels"),
    ("roll", "rolls"),
    ("set", "sets"),
    ("sheet", "sheets"),
    ("spool", "spools"),
    ("tray", "trays"),
    ("tube", "tubes"),
    ("unit", "units"),
    ("vial", "vials"),
    ("ampoule", "ampoules"),
)


def _unit_spellings() -> tuple[dict[str, str], dict[str, str]]:
    """(several -> one, one -> several), for the forms as listed and Capitalised."""
    to_one: dict[str, str] = {}
    to_several: dict[str, str] = {}
    for one, several in UNIT_FORMS:
        for spell in (str.lower, str.capitalize):
            to_one[spell(several)] = spell(one)
            to_several[spell(one)] = spell(several)
    return to_one, to_several


UNIT_FOR_ONE, UNIT_FOR_SEVERAL = _unit_spellings()


def unit_for(quantity: int, unit: str) -> str:
    """The unit as it reads after ``quantity``: ``pc`` after 1, ``pcs`` after 0 or 2 (and
    ``box``/``boxes``); a unit with one form only is returned as stored."""
    forms = UNIT_FOR_ONE if abs(quantity) == 1 else UNIT_FOR_SEVERAL
    return forms.get(unit, unit)


def amount(quantity: int, unit: str) -> str:
    """``1 pc``, ``2 pcs``, ``1 box``, ``3 boxes``, ``250 mL`` (plain text)."""
    return f"{quantity} {unit_for(quantity, unit)}"
