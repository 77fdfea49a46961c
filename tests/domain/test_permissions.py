"""Every role x every action: the real services allow exactly what ``PERMISSIONS`` says."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from domain import (
    alerts,
    consumption,
    forecasting,
    identities,
    instruments,
    order_steps,
    ordering,
    parts,
    sessions,
    stock,
    suppliers,
    users,
)
from domain.context import DomainContext
from domain.errors import Forbidden
from domain.permissions import (
    PERMISSIONS,
    RANKS,
    SYSTEM,
    Action,
    Actor,
    Role,
    can,
    require,
    role_needed,
)
from domain.vocabulary import ACCOUNT_ROLES
from persistence import models
from tests.domain.conftest import snapshot_of
from tests.factories import PASSWORD, make_user


@dataclass(frozen=True)
class World:
    part_id: int  # linked to the instrument, stock 10, minimum 2
    spare_part_id: int  # not linked
    instrument_id: int
    alert_id: int
    other_user_id: int  # a member with a Slack link, not the actor
    supplier_id: int
    order_id: int  # requested: the part's, for 5
    spare_order_id: int  # requested: the spare part's


def _world(ctx: DomainContext) -> World:
    instrument = instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    part = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="FIL-1",
        name="Rhenium filament",
        quantity_in_stock=10,
        minimum_stock_level=2,
        instrument_ids=(instrument.id,),
    )
    spare = parts.create_part(ctx, actor=SYSTEM, part_number="ORING-1", name="Viton O-ring")
    alert = alerts.raise_alert(ctx, actor=SYSTEM, message="Source is noisy", part_id=part.id)
    other = make_user(ctx, "member")
    assert other.user_id is not None
    identities.link_identity(
        ctx, actor=SYSTEM, team_id="T1", slack_user_id="UOTHER", user_id=other.user_id
    )
    supplier = suppliers.add_supplier(ctx, actor=SYSTEM, name="Thermo")
    order = ordering.request_reorder(ctx, actor=SYSTEM, part_id=part.id, quantity=5)
    spare_order = ordering.request_reorder(ctx, actor=SYSTEM, part_id=spare.id)
    with ctx.transaction() as session:  # the forecast job's figures: 2/week, suggest 7
        session.add(
            models.PartForecast(
                part_id=part.id,
                computed_at=ctx.now(),
                weeks=12,
                takes=12,
                taken=24,
                weekly_rate=2.0,
                weekly_sd=1.0,
                lead_time_days=14,
                lead_from_offer=False,
                suggested_minimum=7,
            )
        )
    return World(
        part.id,
        spare.id,
        instrument.id,
        alert.id,
        other.user_id,
        supplier.id,
        order.order.id,
        spare_order.order.id,
    )


Call = Callable[[DomainContext, Actor, World], object]

# In each action's group, calls run one after another on the same world, in this order.
CASES: list[tuple[Action, str, Call]] = [
    (
        Action.VIEW,
        "part_usage",
        lambda c, a, w: consumption.part_usage(c, actor=a, part_id=w.part_id),
    ),
    (
        Action.VIEW,
        "instrument_usage",
        lambda c, a, w: consumption.instrument_usage(c, actor=a, instrument_id=w.instrument_id),
    ),
    (
        Action.VIEW,
        "forecast_of_part",
        lambda c, a, w: forecasting.forecast_of_part(c, actor=a, part_id=w.part_id),
    ),
    (
        Action.VIEW,
        "shrinkage",
        lambda c, a, _w: consumption.shrinkage(
            c, actor=a, since=c.now() - timedelta(days=7), until=c.now()
        ),
    ),
    (
        Action.SEE_USAGE_BY_PERSON,
        "usage_by_person",
        lambda c, a, _w: consumption.usage_by_person(
            c, actor=a, since=c.now() - timedelta(days=7), until=c.now()
        ),
    ),
    (
        Action.MANAGE_PARTS,
        "minimum_suggestions",
        lambda c, a, _w: forecasting.minimum_suggestions(c, actor=a),
    ),
    (
        Action.MANAGE_PARTS,
        "accept_minimums",
        lambda c, a, w: forecasting.accept_minimums(c, actor=a, accepted=[(w.part_id, 7)]),
    ),
    (
        Action.MANAGE_ALERTS,
        "refresh_forecasts",
        lambda c, a, _w: forecasting.refresh_forecasts(c, actor=a),
    ),
    (Action.VIEW, "get_part", lambda c, a, w: parts.get_part(c, actor=a, part_id=w.part_id)),
    (
        Action.VIEW,
        "part_history",
        lambda c, a, w: stock.part_history(c, actor=a, part_id=w.part_id),
    ),
    (
        Action.VIEW,
        "instrument_needs",
        lambda c, a, w: instruments.instrument_needs(c, actor=a, instrument_id=w.instrument_id),
    ),
    (Action.VIEW, "list_alerts", lambda c, a, _w: alerts.list_alerts(c, actor=a)),
    (
        Action.USE_STOCK,
        "adjust_stock(-1)",
        lambda c, a, w: stock.adjust_stock(
            c, actor=a, part_id=w.part_id, delta=-1, reason=None, source="slack"
        ),
    ),
    (
        Action.RESTOCK,
        "adjust_stock(+1)",
        lambda c, a, w: stock.adjust_stock(
            c, actor=a, part_id=w.part_id, delta=1, reason=None, source="slack"
        ),
    ),
    (
        Action.COUNT_STOCK,
        "count_stock",
        lambda c, a, w: stock.count_stock(c, actor=a, part_id=w.part_id, quantity=7, source="api"),
    ),
    (
        Action.RAISE_ALERT,
        "raise_alert",
        lambda c, a, w: alerts.raise_alert(c, actor=a, message="Leak", part_id=w.part_id),
    ),
    (
        Action.MANAGE_PARTS,
        "create_part",
        lambda c, a, _w: parts.create_part(c, actor=a, part_number="NEW-1", name="New"),
    ),
    (
        Action.MANAGE_PARTS,
        "update_part",
        lambda c, a, w: parts.update_part(c, actor=a, part_id=w.part_id, name="Renamed"),
    ),
    (
        Action.MANAGE_PARTS,
        "delete_part",
        lambda c, a, w: parts.delete_part(c, actor=a, part_id=w.spare_part_id),
    ),
    (
        Action.MANAGE_INSTRUMENTS,
        "create_instrument",
        lambda c, a, _w: instruments.create_instrument(c, actor=a, name="Kiel IV", model="Kiel"),
    ),
    (
        Action.MANAGE_INSTRUMENTS,
        "update_instrument",
        lambda c, a, w: instruments.update_instrument(
            c, actor=a, instrument_id=w.instrument_id, location="Lab 2.14"
        ),
    ),
    (
        Action.MANAGE_INSTRUMENTS,
        "delete_instrument",
        lambda c, a, w: instruments.delete_instrument(c, actor=a, instrument_id=w.instrument_id),
    ),
    (
        Action.LINK_PARTS,
        "link_part",
        lambda c, a, w: parts.link_part(
            c, actor=a, instrument_id=w.instrument_id, part_id=w.spare_part_id
        ),
    ),
    (
        Action.LINK_PARTS,
        "update_link",
        lambda c, a, w: parts.update_link(
            c, actor=a, instrument_id=w.instrument_id, part_id=w.part_id, quantity_required=2
        ),
    ),
    (
        Action.LINK_PARTS,
        "unlink_part",
        lambda c, a, w: parts.unlink_part(
            c, actor=a, instrument_id=w.instrument_id, part_id=w.part_id
        ),
    ),
    (
        Action.SET_INSTRUMENT_STATUS,
        "set_instrument_status",
        lambda c, a, w: instruments.set_instrument_status(
            c, actor=a, instrument_id=w.instrument_id, status="maintenance"
        ),
    ),
    (
        Action.MANAGE_ALERTS,
        "snooze_alert",
        lambda c, a, w: alerts.snooze_alert(
            c, actor=a, alert_id=w.alert_id, until=c.now() + timedelta(days=1)
        ),
    ),
    (
        Action.MANAGE_ALERTS,
        "acknowledge_alert",
        lambda c, a, w: alerts.acknowledge_alert(c, actor=a, alert_id=w.alert_id),
    ),
    (
        Action.MANAGE_ALERTS,
        "resolve_alert",
        lambda c, a, w: alerts.resolve_alert(c, actor=a, alert_id=w.alert_id, note="Fixed"),
    ),
    (
        Action.MANAGE_ALERTS,
        "evaluate_low_stock",
        lambda c, a, _w: alerts.evaluate_low_stock(c, actor=a),
    ),
    (
        Action.DELETE_ALERTS,
        "delete_alert",
        lambda c, a, w: alerts.delete_alert(c, actor=a, alert_id=w.alert_id),
    ),
    (
        Action.REQUEST_REORDER,
        "suggest_reorder",
        lambda c, a, w: ordering.suggest_reorder(c, actor=a, part_id=w.part_id),
    ),
    (
        Action.REQUEST_REORDER,
        "request_reorder",
        lambda c, a, w: ordering.request_reorder(c, actor=a, part_id=w.part_id, note="Low"),
    ),
    (
        Action.MANAGE_ORDERS,
        "edit_order",
        lambda c, a, w: order_steps.edit_order(c, actor=a, order_id=w.order_id, quantity=6),
    ),
    (
        Action.MANAGE_ORDERS,
        "approve_order",
        lambda c, a, w: order_steps.approve_order(c, actor=a, order_id=w.order_id),
    ),
    (
        Action.MANAGE_ORDERS,
        "mark_ordered",
        lambda c, a, w: order_steps.mark_ordered(
            c, actor=a, order_id=w.order_id, order_number="PO-1", supplier_id=w.supplier_id
        ),
    ),
    (
        Action.MANAGE_ORDERS,
        "receive_order",
        lambda c, a, w: order_steps.receive_order(c, actor=a, order_id=w.order_id, quantity=2),
    ),
    (
        Action.MANAGE_ORDERS,
        "cancel_order",
        lambda c, a, w: order_steps.cancel_order(c, actor=a, order_id=w.order_id, reason="Late"),
    ),
    (
        Action.MANAGE_ORDERS,
        "reject_order",
        lambda c, a, w: order_steps.reject_order(
            c, actor=a, order_id=w.spare_order_id, reason="Enough"
        ),
    ),
    (
        Action.MANAGE_SUPPLIERS,
        "add_supplier",
        lambda c, a, _w: suppliers.add_supplier(c, actor=a, name="Agilent"),
    ),
    (
        Action.MANAGE_SUPPLIERS,
        "update_supplier",
        lambda c, a, w: suppliers.update_supplier(
            c, actor=a, supplier_id=w.supplier_id, phone="+41 44 000"
        ),
    ),
    (
        Action.MANAGE_SUPPLIERS,
        "add_offer",
        lambda c, a, w: suppliers.add_offer(
            c, actor=a, part_id=w.spare_part_id, supplier_id=w.supplier_id, unit_price="3.50"
        ),
    ),
    (
        Action.MANAGE_SUPPLIERS,
        "set_reorder_levels",
        lambda c, a, w: suppliers.set_reorder_levels(
            c, actor=a, part_id=w.part_id, reorder_quantity=10, target_stock=None
        ),
    ),
    (
        Action.MANAGE_USERS,
        "create_user",
        lambda c, a, _w: users.create_user(
            c,
            actor=a,
            username="newbie",
            email="newbie@lab.example",
            first_name="New",
            last_name="Person",
            password=PASSWORD,
        ),
    ),
    (Action.MANAGE_USERS, "list_users", lambda c, a, _w: users.list_users(c, actor=a)),
    (
        Action.MANAGE_USERS,
        "get_user(other)",
        lambda c, a, w: users.get_user(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.MANAGE_USERS,
        "update_user(other)",
        lambda c, a, w: users.update_user(c, actor=a, user_id=w.other_user_id, phone="123"),
    ),
    (
        Action.MANAGE_USERS,
        "deactivate_user(other)",
        lambda c, a, w: users.deactivate_user(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.MANAGE_USERS,
        "reactivate_user(other)",
        lambda c, a, w: users.reactivate_user(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.MANAGE_USERS,
        "identities_of(other)",
        lambda c, a, w: identities.identities_of(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.MANAGE_USERS,
        "delete_user(other)",
        lambda c, a, w: users.delete_user(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.MANAGE_ROLES,
        "change_role(other)",
        lambda c, a, w: users.change_role(c, actor=a, user_id=w.other_user_id, role="manager"),
    ),
    (
        Action.MANAGE_SLACK_LINKS,
        "link_identity",
        lambda c, a, w: identities.link_identity(
            c, actor=a, team_id="T1", slack_user_id="UNEW", user_id=w.other_user_id
        ),
    ),
    (
        Action.MANAGE_SLACK_LINKS,
        "unlink_identity(other)",
        lambda c, a, _w: identities.unlink_identity(
            c, actor=a, team_id="T1", slack_user_id="UOTHER"
        ),
    ),
    (
        Action.MANAGE_SLACK_LINKS,
        "unlink_user(other)",
        lambda c, a, w: identities.unlink_user(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.SIGN_OUT_EVERYWHERE,
        "sign_out_everywhere(other)",
        lambda c, a, w: sessions.sign_out_everywhere(c, actor=a, user_id=w.other_user_id),
    ),
    (
        Action.CHANGE_EMAILS,
        "update_account(own email)",
        lambda c, a, _w: users.update_account(
            c, actor=a, user_id=a.user_id, email=f"{a.username}.new@lab.example"
        ),
    ),
]


# Actions no domain service checks, and where they are checked instead.
API_ONLY = {Action.SEE_SERVICE_DETAILS: "GET /api/auth/verify-token and /health (tests/api)"}


def test_every_action_in_the_permission_table_is_exercised_by_a_service_call():
    assert {action for action, _name, _call in CASES} | set(API_ONLY) == set(Action)
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", ACCOUNT_ROLES, ids=str)
@pytest.mark.parametrize(
    "action", [a for a in Action if a not in API_ONLY], ids=lambda a: a.name.lower()
)
def test_services_forbid_exactly_the_actions_the_role_lacks(ctx, database, role, action):
    world = _world(ctx)
    actor = make_user(ctx, role.value)
    calls = [(name, call) for case_action, name, call in CASES if case_action is action]
    allowed = action in PERMISSIONS[role]
    outcomes = {}
    for name, call in calls:
        before = snapshot_of(database)
        refusal = None
        try:
            call(ctx, actor, world)
        except Forbidden as error:
            refusal = str(error)
        outcomes[name] = "done" if refusal is None else "forbidden"
        if refusal is not None:
            assert role.value in refusal
            assert action.value in refusal
            assert snapshot_of(database) == before, f"refused {name} changed the database"
    assert outcomes == {name: "done" if allowed else "forbidden" for name, _call in calls}


VIEWER = Actor(user_id=None, username="anonymous", role=Role.VIEWER)


@pytest.mark.parametrize("action", [a for a in Action if a is not Action.VIEW], ids=str)
def test_the_viewer_may_do_nothing_but_view(action):
    assert not can(VIEWER, action)
    with pytest.raises(Forbidden, match=r"Your role \(viewer\) may not"):
        require(VIEWER, action)


def test_the_viewer_may_view():
    assert can(VIEWER, Action.VIEW)
    assert PERMISSIONS[Role.VIEWER] == {Action.VIEW}


def test_no_account_can_hold_the_viewer_role():
    assert Role.VIEWER not in ACCOUNT_ROLES
    assert set(ACCOUNT_ROLES) == set(Role) - {Role.VIEWER}
    assert models.ROLES == ("admin", "manager", "member")  # the users.role CHECK


def test_each_role_may_do_everything_the_role_below_it_may():
    for lower, higher in itertools.pairwise(RANKS):
        assert PERMISSIONS[lower] <= PERMISSIONS[higher], (lower, higher)


@pytest.mark.parametrize(
    ("action", "needed"),
    [
        (Action.VIEW, Role.VIEWER),
        (Action.USE_STOCK, Role.MEMBER),
        (Action.MANAGE_PARTS, Role.MANAGER),
        (Action.MANAGE_ALERTS, Role.MANAGER),
        (Action.MANAGE_USERS, Role.ADMIN),
        (Action.CHANGE_EMAILS, Role.ADMIN),
    ],
)
def test_the_role_an_action_needs_is_the_least_role_the_table_allows_it(action, needed):
    assert role_needed(action) is needed


def test_a_refusal_names_the_role_the_action_needs():
    manager = Actor(user_id=2, username="mia", role=Role.MANAGER)
    member = Actor(user_id=3, username="max", role=Role.MEMBER)
    with pytest.raises(Forbidden) as refused:
        require(manager, Action.MANAGE_USERS)
    assert str(refused.value) == "Your role (manager) may not manage users. Ask a FarLab admin."
    with pytest.raises(Forbidden) as refused:
        require(member, Action.MANAGE_PARTS)
    assert str(refused.value) == (
        "Your role (member) may not manage parts. Ask a FarLab manager or admin."
    )
    with pytest.raises(Forbidden) as refused:
        require(VIEWER, Action.USE_STOCK)
    assert "Sign in with a FarLab account" in str(refused.value)
