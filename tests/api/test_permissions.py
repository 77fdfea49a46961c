"""Who may call what: every route, as anonymous, member, manager and admin.

Each call gets fresh things to act on, so a delete by one role does not change what the
next role sees. Below a route's minimum role the answer is 401 (no token) or 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest

from api.deps import ANONYMOUS_VIEWER
from domain import alerts, instruments, order_steps, ordering, parts, suppliers
from domain.permissions import PERMISSIONS, SYSTEM, Action
from domain.vocabulary import Role
from tests.api.support import bearer
from tests.api.usage_ledger import suggested_minimum
from tests.factories import PASSWORD, make_user

ROLES = ("anonymous", "member", "manager", "admin")
_serial = count(1)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    minimum: str
    success: int = 200
    json: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    form: bool = False
    upload: bytes | None = None  # sent as the multipart file ``file``
    media: str = "application/json"  # of a success; refusals are always JSON

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROUTES = [
    Route("GET", "/", "anonymous"),
    Route("GET", "/health", "anonymous"),
    Route("GET", "/health/scheduler", "anonymous"),
    Route("POST", "/api/token", "anonymous", form=True),
    Route("GET", "/api/auth/health", "anonymous"),
    Route("GET", "/api/auth/verify-token", "admin"),
    Route("POST", "/api/auth/validate", "member"),
    Route("GET", "/api/users/me", "member"),
    Route("PATCH", "/api/users/me", "member", json={"department": "Geology"}),
    Route(
        "PATCH",
        "/api/users/me/password",
        "member",
        204,
        json={"current_password": PASSWORD, "new_password": "Another-Horse-7"},
    ),
    Route("GET", "/api/users/", "admin"),
    Route("GET", "/api/users/{user}", "admin"),
    Route("PATCH", "/api/users/{user}", "admin", json={"department": "Geology"}),
    Route("DELETE", "/api/users/{user}", "admin", 204),
    Route("POST", "/api/users/{user}/sign-out-everywhere", "admin", 204),
    Route(
        "POST",
        "/api/users/",
        "admin",
        201,
        json={
            "username": "new{n}",
            "email": "new{n}@lab.example",
            "first_name": "New",
            "last_name": "Person",
            "password": "Fresh-Start-42",
        },
    ),
    Route("GET", "/api/instruments/", "anonymous"),
    Route("GET", "/api/instruments/{instrument}", "anonymous"),
    Route("POST", "/api/instruments/", "manager", 201, json={"name": "Delta {n}", "model": "V"}),
    Route("PATCH", "/api/instruments/{instrument}", "manager", json={"location": "Lab 2"}),
    Route("DELETE", "/api/instruments/{instrument}", "manager", 204),
    Route("PUT", "/api/instruments/{instrument}/status", "manager", json={"status": "maintenance"}),
    Route(
        "POST", "/api/instruments/{instrument}/status", "manager", json={"status": "maintenance"}
    ),
    Route(
        "POST",
        "/api/instruments/instruments/{instrument}/parts/{loose_part}",
        "manager",
        json={"instrument_id": 1, "part_id": 1},
    ),
    Route("GET", "/api/parts/", "anonymous"),
    Route("GET", "/api/parts/{part}", "anonymous"),
    Route("GET", "/api/parts/{part}/history", "member"),
    Route("GET", "/api/parts/search/", "member", params={"q": "part"}),
    Route("POST", "/api/parts/", "manager", 201, json={"part_number": "P-{n}", "name": "Bolt"}),
    Route("PATCH", "/api/parts/{part}", "manager", json={"quantity_in_stock": 3}),
    Route("DELETE", "/api/parts/{part}", "manager", 204),
    Route("POST", "/api/parts/{part}/stock", "member", json={"quantity_change": -1}),
    Route("POST", "/api/parts/{part}/stock", "member", json={"quantity_change": 2}),
    Route("POST", "/api/parts/{loose_part}/instruments/{instrument}", "manager"),
    Route(
        "PUT", "/api/parts/{part}/instruments/{instrument}", "manager", params={"is_critical": 1}
    ),
    Route("DELETE", "/api/parts/{part}/instruments/{instrument}", "manager"),
    Route("GET", "/api/alerts/", "anonymous"),
    Route("GET", "/api/alerts/low-stock", "anonymous"),
    Route("GET", "/api/alerts/summary", "anonymous"),
    Route("POST", "/api/alerts/", "member", 201, json={"message": "Leak", "part_id": "{part}"}),
    Route("GET", "/api/alerts/{alert}", "anonymous"),
    Route("DELETE", "/api/alerts/{alert}", "admin", 204),
    Route("GET", "/api/export/{table}", "member", media="text/csv; charset=utf-8"),
    Route(
        "POST",
        "/api/import/{table}",
        "manager",
        upload=b"Part number,Name\nNEW-{n},Bolt\n",
        params={"dry_run": "false"},
    ),
    Route("POST", "/api/alerts/{alert}/acknowledge", "manager"),
    Route("POST", "/api/alerts/{alert}/resolve", "manager", json={"note": "Ordered"}),
    Route("POST", "/api/alerts/{alert}/snooze", "manager", json={"minutes": 60}),
    Route("GET", "/api/suppliers/", "member"),
    Route("POST", "/api/suppliers/", "manager", 201, json={"name": "Supplier {n}"}),
    Route("GET", "/api/suppliers/{supplier}", "member"),
    Route("PATCH", "/api/suppliers/{supplier}", "manager", json={"is_active": False}),
    Route("GET", "/api/parts/{part}/offers", "member"),
    Route("POST", "/api/parts/{part}/offers", "manager", 201, json={"supplier_id": "{supplier}"}),
    Route("PATCH", "/api/parts/{part}/offers/{offer}", "manager", json={"pack_size": 2}),
    Route("DELETE", "/api/parts/{part}/offers/{offer}", "manager", 204),
    Route("PUT", "/api/parts/{part}/reorder-levels", "manager", json={"target_stock": 20}),
    Route("GET", "/api/parts/{part}/orders/history", "member"),
    Route("GET", "/api/orders/", "member"),
    Route("POST", "/api/orders/", "member", 201, json={"part_id": "{part}", "note": "Low"}),
    Route("GET", "/api/orders/{requested}", "member"),
    Route("PATCH", "/api/orders/{requested}", "manager", json={"quantity": 3}),
    Route("POST", "/api/orders/{requested}/approve", "manager"),
    Route("POST", "/api/orders/{requested}/reject", "manager", json={"reason": "No budget"}),
    Route(
        "POST",
        "/api/orders/{approved}/order",
        "manager",
        json={"order_number": "PO-{n}", "supplier_id": "{supplier}"},
    ),
    Route("POST", "/api/orders/{ordered}/receive", "manager", json={"quantity": 1}),
    Route("POST", "/api/orders/{approved}/cancel", "manager", json={"reason": "Not needed"}),
    Route("GET", "/api/parts/{part}/usage", "member"),
    Route("GET", "/api/parts/{part}/usage/chart", "member", media="image/png"),
    Route("GET", "/api/instruments/{instrument}/usage", "member"),
    Route("GET", "/api/instruments/{instrument}/usage/chart", "member", media="image/png"),
    Route("GET", "/api/parts/{part}/forecast", "member"),
    Route("GET", "/api/usage/people", "manager"),
    Route("GET", "/api/usage/shrinkage", "member"),
    Route("GET", "/api/usage/parts", "member"),
    Route("GET", "/api/usage/instruments", "member"),
    Route("GET", "/api/forecasts/minimums", "manager"),
    Route(
        "POST",
        "/api/parts/{forecast_part}/minimum/accept",
        "manager",
        json={"suggested": "{suggested}"},
    ),
]


class Things(dict[str, Any]):
    """What a call acts on; the ordering and forecast things are made only when a route
    names them."""

    def __init__(self, ctx, **things: Any) -> None:
        super().__init__(things)
        self.ctx = ctx

    def __missing__(self, name: str) -> Any:
        n, ctx = self["n"], self.ctx
        if name == "supplier":
            value = suppliers.add_supplier(ctx, actor=SYSTEM, name=f"Supplier {n}").id
        elif name == "offer":
            offer = suppliers.add_offer(
                ctx, actor=SYSTEM, part_id=self["part"], supplier_id=self["supplier"]
            )
            value = offer.id
        elif name in ("requested", "approved", "ordered"):
            value = self._order_in(name)
        elif name in ("forecast_part", "suggested"):
            made = suggested_minimum(ctx, ctx.clock, f"FC-{n}")
            self["forecast_part"], self["suggested"] = made
            return self[name]
        else:
            raise KeyError(name)
        self[name] = value
        return value

    def _order_in(self, state: str) -> int:
        part = parts.create_part(
            self.ctx, actor=SYSTEM, part_number=f"ORD-{state}-{self['n']}", name="Ordered"
        )
        order = ordering.request_reorder(self.ctx, actor=SYSTEM, part_id=part.id, quantity=4)
        if state != "requested":
            order_steps.approve_order(self.ctx, actor=SYSTEM, order_id=order.order.id)
        if state == "ordered":
            order_steps.mark_ordered(
                self.ctx,
                actor=SYSTEM,
                order_id=order.order.id,
                order_number="PO",
                supplier_id=self["supplier"],
            )
        return order.order.id


def _fresh_things(ctx) -> Things:
    """A linked instrument and part, an unlinked part, an alert and a user: all new (and
    suppliers, offers and orders when asked for)."""
    n = next(_serial)
    instrument = instruments.create_instrument(ctx, actor=SYSTEM, name=f"Inst {n}", model="M")
    part = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number=f"PART-{n}",
        name="Part",
        quantity_in_stock=10,
        instrument_ids=(instrument.id,),
    )
    loose = parts.create_part(ctx, actor=SYSTEM, part_number=f"LOOSE-{n}", name="Loose")
    alert = alerts.raise_alert(ctx, actor=SYSTEM, message="Check it", part_id=part.id)
    return Things(
        ctx,
        n=n,
        instrument=instrument.id,
        part=part.id,
        loose_part=loose.id,
        alert=alert.id,
        user=make_user(ctx).user_id,
        table="parts",
    )


def _call(client, ctx, route: Route, role: str):
    actor = None if role == "anonymous" else make_user(ctx, role)
    things = _fresh_things(ctx)
    headers = bearer(ctx, actor) if actor else {}
    path = route.path.format_map(things)
    if route.form:
        name = actor.username if actor else make_user(ctx).username
        return client.post(path, data={"username": name, "password": PASSWORD})
    if route.upload is not None:
        files = {"file": ("lab.csv", route.upload.replace(b"{n}", str(things["n"]).encode()))}
        return client.request(route.method, path, files=files, params=route.params, headers=headers)
    body = route.json and {
        k: v.format_map(things) if isinstance(v, str) else v for k, v in route.json.items()
    }
    return client.request(route.method, path, json=body, params=route.params, headers=headers)


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_each_role_gets_what_the_role_table_allows(client, ctx, route):
    for role in ROLES:
        response = _call(client, ctx, route, role)
        if ROLES.index(role) >= ROLES.index(route.minimum):
            expected = route.success
        else:
            expected = 401 if role == "anonymous" else 403
        assert response.status_code == expected, f"{role}: {response.text}"
        media = route.media if response.status_code == expected == route.success else None
        assert response.headers.get("content-type", "application/json") == (
            media or "application/json"
        )
        if expected == 401:
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.json() == {"detail": "Not authenticated"}


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_route_of_the_api_is_in_the_table(app):
    declared = {
        (method.upper(), _template(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert declared == {(r.method, _template(r.path)) for r in ROUTES}


def test_the_anonymous_reader_is_the_viewer_role_which_may_only_view():
    assert ANONYMOUS_VIEWER.role is Role.VIEWER
    assert PERMISSIONS[ANONYMOUS_VIEWER.role] == {Action.VIEW}


def test_anonymous_may_read_but_every_write_without_a_token_is_refused(client, ctx):
    reads = [r for r in ROUTES if r.method == "GET" and r.minimum == "anonymous"]
    writes = [r for r in ROUTES if r.method != "GET" and r.path != "/api/token"]
    assert reads
    assert writes
    for route in reads:
        assert _call(client, ctx, route, "anonymous").status_code == route.success, route.id
    for route in writes:
        response = _call(client, ctx, route, "anonymous")
        assert response.status_code == 401, route.id
        assert response.json() == {"detail": "Not authenticated"}
