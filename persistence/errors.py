"""What a database constraint violation was about, in terms a user can read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from persistence.sqlite_file import DatabaseUnavailable

# Constraint and index names (see models.NAMING) -> the field a person would name.
_FIELDS = {
    "uq_users_username_lower": "username",
    "uq_users_email_lower": "email",
    "uq_instruments_name_lower": "name",
    "uq_instruments_serial_number": "serial_number",
    "uq_parts_part_number_lower": "part_number",
    "uq_instrument_parts_instrument_id_part_id": "part",
    "uq_slack_identities_team_id_slack_user_id": "slack_user",
    "uq_alerts_unresolved_low_stock": "alert",
    "uq_suppliers_name_lower": "name",
    "uq_supplier_offers_part_id_supplier_id": "supplier",
    "uq_supplier_offers_preferred": "is_preferred",
    "uq_purchase_requests_open_part": "part",
    "pk_used_link_tokens": "token",
    "ck_parts_stock_not_negative": "quantity_in_stock",
    "ck_parts_minimum_not_negative": "minimum_stock_level",
    "ck_instrument_parts_quantity_required_positive": "quantity_required",
}
_SQLITE_COLUMNS = {
    "instruments.serial_number": "serial_number",
    "instrument_parts.instrument_id, instrument_parts.part_id": "part",
    "slack_identities.team_id, slack_identities.slack_user_id": "slack_user",
    "used_link_tokens.jti": "token",
    "alerts.part_id": "alert",  # uq_alerts_unresolved_low_stock, a partial index on part_id
    "supplier_offers.part_id, supplier_offers.supplier_id": "supplier",
    "supplier_offers.part_id": "is_preferred",  # uq_supplier_offers_preferred
    "purchase_requests.part_id": "part",  # uq_purchase_requests_open_part
}


@dataclass(frozen=True)
class ConstraintViolation:
    kind: str  # unique | check | foreign_key | not_null | other
    field: str | None


def describe_integrity_error(exc: IntegrityError) -> ConstraintViolation:
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg2
        code = getattr(orig, "pgcode", "") or ""
        kind = {"23505": "unique", "23514": "check", "23503": "foreign_key", "23502": "not_null"}
        name = diag.constraint_name or ""
        field = _FIELDS.get(name) or diag.column_name or name or None
        return ConstraintViolation(kind.get(code, "other"), field)
    message = str(orig)
    if "UNIQUE constraint failed" in message:
        index = re.search(r"index '([^']+)'", message)
        if index:
            return ConstraintViolation("unique", _FIELDS.get(index.group(1), index.group(1)))
        columns = message.split("UNIQUE constraint failed:", 1)[1].strip()
        field = _SQLITE_COLUMNS.get(columns, columns.split(".")[-1])
        return ConstraintViolation("unique", field)
    if "CHECK constraint failed" in message:
        name = message.split("CHECK constraint failed:", 1)[1].strip()
        return ConstraintViolation("check", _FIELDS.get(name, name))
    if "NOT NULL constraint failed" in message:
        column = message.split("NOT NULL constraint failed:", 1)[1].strip()
        return ConstraintViolation("not_null", column.split(".")[-1])
    if "FOREIGN KEY constraint failed" in message:
        return ConstraintViolation("foreign_key", None)
    return ConstraintViolation("other", None)


# read_only_sql_transaction: a standby, or default_transaction_read_only. Lost connections,
# a server shutting down and SQLite's disk, read-only and locking errors are OperationalError.
_READ_ONLY_STATES = frozenset({"25006"})


def unavailable_reason(exc: DBAPIError) -> str | None:
    """Why the database cannot be used, when ``exc`` says so (a driver's connection, disk
    or read-only error); None for errors about the statement itself."""
    if isinstance(exc, IntegrityError):
        return None
    code = getattr(exc.orig, "pgcode", None)
    if code in _READ_ONLY_STATES:
        return "the database is read-only"
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        text = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        return text[:200] or type(exc.orig).__name__
    return None


class ConstraintViolated(Exception):
    """A write broke a database constraint; ``violation`` says which, in a user's terms."""

    def __init__(self, violation: ConstraintViolation) -> None:
        super().__init__(f"{violation.kind} constraint on {violation.field or 'a value'}")
        self.violation = violation


@contextmanager
def translated_errors() -> Iterator[None]:
    """The driver's errors in persistence's own terms: a constraint violation becomes
    ``ConstraintViolated``; a database that cannot be reached or written,
    ``DatabaseUnavailable``; anything else passes unchanged."""
    try:
        yield
    except IntegrityError as exc:
        raise ConstraintViolated(describe_integrity_error(exc)) from exc
    except DBAPIError as exc:
        reason = unavailable_reason(exc)
        if reason is None:
            raise
        raise DatabaseUnavailable(reason) from exc


class AlreadyExists(Exception):
    """A row with that key is already there: a concurrent transaction inserted it and
    committed first. The caller's transaction cannot go on and is rolled back."""


class DatabaseUnusable(Exception):
    """The database answered, but a write could not be made (see ``persistence.health``).

    ``detail`` is the first line of the driver's message; ``unwritable`` says the database
    was reached but refuses writes (read-only, a full or failing disk) rather than being
    unreachable.
    """

    def __init__(self, detail: str, *, unwritable: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.unwritable = unwritable
