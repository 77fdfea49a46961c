"""Builders for the rows most tests need: accounts, parts, instruments and manual alerts.

Each makes its row through the domain services (as FarLab itself, unless an ``actor`` is
given) with plain defaults, so a test states only what it is about.
"""

from __future__ import annotations

from itertools import count
from typing import Any

from domain import alerts, instruments, parts, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor, Role
from domain.results import AlertView, InstrumentView, PartView

PASSWORD = "Correct-Horse-9"
_serial = count(1)


def make_user(ctx: DomainContext, role: str = "member", *, username: str | None = None) -> Actor:
    """Create an account of a role (password ``PASSWORD``) and return it as an actor."""
    name = username or f"{role}{next(_serial)}"
    user = users.create_user(
        ctx,
        actor=SYSTEM,
        username=name,
        email=f"{name}@lab.example",
        first_name=name.capitalize(),
        last_name="Tester",
        password=PASSWORD,
        role=role,
    )
    return Actor(user_id=user.id, username=user.username, role=Role(user.role))


def make_part(
    ctx: DomainContext,
    part_number: str = "FIL-1",
    name: str = "Rhenium filament",
    *,
    quantity: int = 0,
    minimum: int = 0,
    actor: Actor = SYSTEM,
    **fields: Any,
) -> PartView:
    """Create a part with ``quantity`` in stock and a ``minimum`` stock level."""
    return parts.create_part(
        ctx,
        actor=actor,
        part_number=part_number,
        name=name,
        quantity_in_stock=quantity,
        minimum_stock_level=minimum,
        **fields,
    )


def make_instrument(
    ctx: DomainContext,
    name: str = "MAT253",
    model: str = "IRMS",
    *,
    actor: Actor = SYSTEM,
    **fields: Any,
) -> InstrumentView:
    return instruments.create_instrument(ctx, actor=actor, name=name, model=model, **fields)


def make_alert(
    ctx: DomainContext, message: str = "Check it", *, actor: Actor = SYSTEM, **fields: Any
) -> AlertView:
    """Raise a manual alert (about a ``part_id`` or ``instrument_id`` given in ``fields``)."""
    return alerts.raise_alert(ctx, actor=actor, message=message, **fields)
