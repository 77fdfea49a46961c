"""Many people at once, on PostgreSQL: SQLite takes one writer at a time, so races live here.

These tests ask for ``postgres_url`` themselves (they are not parametrized by database) and
use a pool large enough for every thread to hold its own connection.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text

from domain import alerts, parts, stock, tokens, users
from domain.context import DomainContext
from domain.errors import Conflict, DomainError, InsufficientStock, TokenReused
from domain.permissions import SYSTEM, Actor
from persistence.db import Database
from persistence.models import Alert, Part, StockMovement, User
from tests.conftest import TABLES, TEST_SECRET
from tests.factories import PASSWORD, make_user
from tests.helpers import Clock


@pytest.fixture
def pg_ctx(postgres_url: str) -> Iterator[DomainContext]:
    db = Database.from_url(postgres_url, pool_size=60)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    yield DomainContext(db=db, secret_key=TEST_SECRET, bcrypt_rounds=4, clock=Clock())
    db.dispose()


def _together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at the same moment; domain errors are
    returned as results, anything else fails the test."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait(timeout=30)
        try:
            return work(i)
        except DomainError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _ledger(ctx: DomainContext, part_id: int) -> list[tuple[int, int]]:
    with ctx.db.session() as session:
        rows = session.execute(
            select(StockMovement.delta, StockMovement.quantity_after)
            .where(StockMovement.part_id == part_id)
            .order_by(StockMovement.id)
        ).all()
        return [(delta, after) for delta, after in rows]


def _stock(ctx: DomainContext, part_id: int) -> int:
    return parts.get_part(ctx, actor=SYSTEM, part_id=part_id).quantity_in_stock


def _unresolved_low_stock(ctx: DomainContext) -> dict[int, int]:
    """part id -> how many unresolved low_stock alerts it has."""
    with ctx.db.session() as session:
        rows = session.execute(
            select(Alert.part_id, func.count())
            .where(Alert.kind == "low_stock", Alert.status != "resolved")
            .group_by(Alert.part_id)
        ).all()
        return dict(rows)


def test_fifty_people_taking_one_of_twenty_leaves_exactly_zero(pg_ctx):
    ctx = pg_ctx
    member = make_user(ctx)
    part = parts.create_part(
        ctx, actor=SYSTEM, part_number="FIL-1", name="Filament", minimum_stock_level=5
    )
    stock.adjust_stock(ctx, actor=SYSTEM, part_id=part.id, delta=20, reason=None, source="api")
    outcomes = _together(
        50,
        lambda _i: stock.adjust_stock(
            ctx, actor=member, part_id=part.id, delta=-1, reason=None, source="slack"
        ),
    )
    taken = [o for o in outcomes if not isinstance(o, DomainError)]
    refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
    assert (len(taken), len(refused)) == (20, 30)
    assert all(error.available == 0 for error in refused)
    assert sorted(o.part.quantity_in_stock for o in taken) == list(range(20))
    assert _stock(ctx, part.id) == 0
    takes = _ledger(ctx, part.id)[1:]
    assert len(takes) == 20
    assert sum(delta for delta, _ in takes) == -20
    assert sum(o.alert_opened for o in taken) == 1
    assert _unresolved_low_stock(ctx) == {part.id: 1}


def test_concurrent_takes_restocks_and_counts_keep_stock_equal_to_the_ledger(pg_ctx):
    ctx = pg_ctx
    member = make_user(ctx)
    part = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="VIAL-1",
        name="Vials",
        quantity_in_stock=10,
        minimum_stock_level=5,
    )
    rng = random.Random(253)
    plan = [rng.choice([-4, -3, -2, -1, -1, 1, 2, 3]) for _ in range(46)] + [0] * 4

    def move(i: int) -> Any:
        if plan[i] == 0:  # a stocktake
            return stock.count_stock(ctx, actor=member, part_id=part.id, quantity=6, source="api")
        return stock.adjust_stock(
            ctx, actor=member, part_id=part.id, delta=plan[i], reason=None, source="slack"
        )

    outcomes = _together(len(plan), move)
    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert all(isinstance(e, InsufficientStock) for e in errors)
    ledger = _ledger(ctx, part.id)
    assert len(ledger) == 1 + len(plan) - len(errors)
    running = 0
    for delta, after in ledger:  # ledger order is the order the part row was locked in
        running += delta
        assert after == running >= 0
    final = _stock(ctx, part.id)
    assert final == running == sum(delta for delta, _ in ledger)
    assert _unresolved_low_stock(ctx) == ({part.id: 1} if final <= 5 else {})


def test_two_simultaneous_low_stock_scans_never_open_two_alerts_for_a_part(pg_ctx):
    ctx = pg_ctx
    with ctx.db.session() as session:  # 200 low parts without alerts, as after an import
        session.execute(
            insert(Part),
            [
                {
                    "part_number": f"LOW-{n}",
                    "name": f"Low part {n}",
                    "unit_of_measure": "pcs",
                    "quantity_in_stock": n % 3,
                    "minimum_stock_level": 3,
                    "is_critical": False,
                    "is_active": True,
                }
                for n in range(200)
            ],
        )
    for _round in range(3):
        with ctx.db.session() as session:
            session.execute(delete(Alert))
        results = _together(2, lambda _i: alerts.evaluate_low_stock(ctx))
        assert sum(r.opened for r in results) == 200
        unresolved = _unresolved_low_stock(ctx)
        assert len(unresolved) == 200
        assert set(unresolved.values()) == {1}


def _deactivate_each_other(ctx: DomainContext, admins: list[Actor]) -> list[Any]:
    return _together(
        2,
        lambda i: users.deactivate_user(ctx, actor=admins[i], user_id=admins[1 - i].user_id),
    )


def test_admins_deactivating_each_other_at_once_leave_one_active_admin(pg_ctx):
    ctx = pg_ctx
    for _round in range(5):
        with ctx.db.session() as session:
            session.execute(delete(User))
        outcomes = _deactivate_each_other(ctx, [make_user(ctx, "admin"), make_user(ctx, "admin")])
        assert sum(isinstance(o, Conflict) for o in outcomes) == 1
        active = users.list_users(ctx, actor=SYSTEM, role="admin", active=True).items
        assert len(active) == 1


def test_a_link_token_used_by_several_requests_at_once_is_used_exactly_once(pg_ctx):
    ctx = pg_ctx
    token = tokens.issue_link_token(ctx, purpose="link", data={"slack_user_id": "U1"})
    claims = tokens.read_link_token(ctx, token, purpose="link")

    def use(_i: int) -> str:
        with ctx.transaction() as session:
            tokens.use_link_token(session, claims, now=ctx.now())
        return "used"

    outcomes = _together(10, use)
    assert outcomes.count("used") == 1
    assert sum(isinstance(o, TokenReused) for o in outcomes) == 9


def test_simultaneous_sign_ups_for_one_name_in_different_cases_create_one_account(pg_ctx):
    ctx = pg_ctx
    spellings = ["sara", "Sara", "SARA", "sArA", "saRa", "SAra", "sarA", "SaRa"]

    def create(i: int) -> Any:
        return users.create_user(
            ctx,
            actor=SYSTEM,
            username=spellings[i],
            email=f"sara{i}@lab.example",
            first_name="Sara",
            last_name="Berg",
            password=PASSWORD,
        )

    outcomes = _together(len(spellings), create)
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == len(spellings) - 1
    assert {c.field for c in conflicts} == {"username"}
    assert users.count_users(ctx) == 1
