"""The database keeps its own rules, and a broken rule is described the same way on both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from persistence.db import Database
from persistence.errors import ConstraintViolation, describe_integrity_error
from persistence.models import (
    Alert,
    Instrument,
    InstrumentPart,
    Part,
    SlackIdentity,
    StockMovement,
    UsedLinkToken,
    User,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _seed(session: Session) -> None:
    """One of everything, each with id 1 (every test starts from empty tables)."""
    session.add_all(
        [
            User(
                username="Sara",
                email="sara@lab.example",
                first_name="Sara",
                last_name="Berg",
                role="member",
                is_active=True,
            ),
            Instrument(name="MAT253", model="IRMS", serial_number="SN-1", status="operational"),
            Part(part_number="FIL-1", name="Filament", quantity_in_stock=2),
        ]
    )
    session.flush()
    session.add_all(
        [
            InstrumentPart(instrument_id=1, part_id=1),
            SlackIdentity(team_id="T1", slack_user_id="U1", user_id=1),
            Alert(kind="low_stock", part_id=1, message="Low", status="open"),
            UsedLinkToken(jti="j-1", purpose="link", expires_at=NOW),
        ]
    )


def _flush(database: Database, change: Callable[[Session], object]) -> None:
    """Make ``change`` in a session of its own and flush it (where a refusal shows)."""
    with database.session() as session:
        change(session)
        session.flush()


def _low_stock_alert(status: str) -> Alert:
    return Alert(kind="low_stock", part_id=1, message="Low again", status=status)


VIOLATIONS: dict[str, tuple[Callable[[Session], object], ConstraintViolation]] = {
    "negative stock": (
        lambda s: s.execute(update(Part).values(quantity_in_stock=Part.quantity_in_stock - 3)),
        ConstraintViolation("check", "quantity_in_stock"),
    ),
    "negative minimum": (
        lambda s: s.execute(update(Part).values(minimum_stock_level=-1)),
        ConstraintViolation("check", "minimum_stock_level"),
    ),
    "part number in another case": (
        lambda s: s.add(Part(part_number="fil-1", name="Copy")),
        ConstraintViolation("unique", "part_number"),
    ),
    "username in another case": (
        lambda s: s.add(
            User(username="SARA", email="x@lab.example", first_name="S", last_name="B")
        ),
        ConstraintViolation("unique", "username"),
    ),
    "email in another case": (
        lambda s: s.add(
            User(username="other", email="SARA@LAB.EXAMPLE", first_name="S", last_name="B")
        ),
        ConstraintViolation("unique", "email"),
    ),
    "instrument name in another case": (
        lambda s: s.add(Instrument(name="mat253", model="IRMS")),
        ConstraintViolation("unique", "name"),
    ),
    "serial number": (
        lambda s: s.add(Instrument(name="Other", model="IRMS", serial_number="SN-1")),
        ConstraintViolation("unique", "serial_number"),
    ),
    "second link of a part": (
        lambda s: s.add(InstrumentPart(instrument_id=1, part_id=1)),
        ConstraintViolation("unique", "part"),
    ),
    "linked Slack user": (
        lambda s: s.add(SlackIdentity(team_id="T1", slack_user_id="U1", user_id=1)),
        ConstraintViolation("unique", "slack_user"),
    ),
    "second open low-stock alert": (
        lambda s: s.add(_low_stock_alert("open")),
        ConstraintViolation("unique", "alert"),
    ),
    "second acknowledged low-stock alert": (
        lambda s: s.add(_low_stock_alert("acknowledged")),
        ConstraintViolation("unique", "alert"),
    ),
    "used link token": (
        lambda s: s.add(UsedLinkToken(jti="j-1", purpose="link", expires_at=NOW)),
        ConstraintViolation("unique", "token"),
    ),
    "link needing no parts": (
        lambda s: s.execute(update(InstrumentPart).values(quantity_required=0)),
        ConstraintViolation("check", "quantity_required"),
    ),
    "part without a name": (
        lambda s: s.add(Part(part_number="P-2", name=None)),
        ConstraintViolation("not_null", "name"),
    ),
}


@pytest.mark.parametrize("case", list(VIOLATIONS))
def test_the_database_refuses_a_broken_rule_and_names_the_field(database, case):
    with database.session() as session:
        _seed(session)
    change, expected = VIOLATIONS[case]
    with pytest.raises(IntegrityError) as caught:
        _flush(database, change)
    assert describe_integrity_error(caught.value) == expected


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        (lambda: StockMovement(part_id=99, delta=1, quantity_after=1, source="api"), "foreign_key"),
        (lambda: StockMovement(part_id=1, delta=1, quantity_after=1, source="fax"), "check"),
        (lambda: StockMovement(part_id=1, delta=-9, quantity_after=-7, source="api"), "check"),
        (lambda: Alert(kind="manual", message="About nothing", status="open"), "check"),
        (lambda: Alert(kind="manual", part_id=1, message="M", status="closed"), "check"),
        (
            lambda: User(username="x", email="x@y.z", first_name="X", last_name="Y", role="owner"),
            "check",
        ),
    ],
    ids=[
        "ledger-unknown-part",
        "ledger-source",
        "ledger-negative",
        "alert-no-subject",
        "alert-status",
        "user-role",
    ],
)
def test_the_database_refuses_rows_the_domain_would_never_write(database, row, kind):
    with database.session() as session:
        _seed(session)
    with pytest.raises(IntegrityError) as caught:
        _flush(database, lambda session: session.add(row()))
    assert describe_integrity_error(caught.value).kind == kind


def test_a_resolved_low_stock_alert_does_not_block_a_new_one(database):
    with database.session() as session:
        _seed(session)
    with database.session() as session:
        session.execute(update(Alert).values(status="resolved"))
        session.add(_low_stock_alert("open"))
        session.add(_low_stock_alert("resolved"))
    with database.session() as session:
        kept = session.execute(
            select(Alert.kind, Alert.part_id, Alert.status, Alert.message).order_by(Alert.id)
        ).all()
    assert [tuple(row) for row in kept] == [
        ("low_stock", 1, "resolved", "Low"),
        ("low_stock", 1, "open", "Low again"),
        ("low_stock", 1, "resolved", "Low again"),
    ]


def test_a_failed_statement_does_not_show_its_parameters(database):
    """An error's text is logged and kept as a job's last error: the values of a refused
    row (a password hash, say) are not in it."""
    secret = "$2b$04$" + "h" * 53

    def user(name: str) -> User:
        return User(
            username=name,
            email=f"{name}@lab.example",
            first_name="S",
            last_name="B",
            role="member",
            password_hash=secret,
        )

    with database.session() as session:
        session.add(user("Sara"))
    with pytest.raises(IntegrityError) as refused:
        _flush(database, lambda session: session.add(user("sara")))
    assert describe_integrity_error(refused.value).kind == "unique"
    assert secret not in str(refused.value)
