"""The one table from domain error to HTTP answer: its places exist, its order holds."""

from __future__ import annotations

from fastapi.routing import APIRoute

from api.errors import ANSWERS, AT, BEARER_CHECK, OTHERWISE, answer_for
from api.routers import (
    alerts,
    auth,
    forecasts,
    health,
    instruments,
    orders,
    part_offers,
    parts,
    suppliers,
    usage,
    users,
)
from domain.errors import (
    AccountInactive,
    AccountLocked,
    ConfirmationNeeded,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    TokenExpired,
)

ROUTERS = (
    alerts,
    auth,
    forecasts,
    health,
    instruments,
    orders,
    part_offers,
    parts,
    suppliers,
    usage,
    users,
)


def test_every_route_the_table_names_is_one_route_of_the_api():
    names = [
        route.name
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute)
    ]
    for where in set(AT) - {BEARER_CHECK}:
        assert names.count(where) == 1, where


def test_no_answer_is_hidden_behind_an_earlier_one_for_a_base_class():
    for place in (ANSWERS, *AT.values()):
        for i, later in enumerate(place):
            for earlier in place[:i]:
                hides = issubclass(later.error, earlier.error) and earlier.field is None
                assert not hides, (earlier, later)


def test_a_place_answers_what_it_lists_and_leaves_the_rest_to_the_table():
    assert answer_for(Conflict("taken"), "create_user").status == 400
    assert answer_for(Conflict("taken")).status == 409
    assert answer_for(NotFound("gone"), BEARER_CHECK).status == 401
    assert answer_for(NotFound("gone"), "create_user").status == 404
    assert answer_for(TokenExpired(), BEARER_CHECK).detail == "Token has expired"
    assert answer_for(AccountInactive(), BEARER_CHECK).status == 403
    assert answer_for(AccountLocked(2), "login").headers(AccountLocked(2))["Retry-After"] == "120"


def test_a_field_answer_takes_only_errors_about_that_field():
    wrong = InvalidInput.field("current_password", "Wrong password.")
    other = InvalidInput.field("new_password", "Too short.")
    assert answer_for(wrong, "change_password").status == 401
    assert answer_for(other, "change_password").status == 422


def test_ordering_routes_name_refused_ids_as_the_body_sends_them():
    gone = InvalidInput.field("supplier", "Old Supplies is deactivated.")
    [problem] = answer_for(gone, "request_order").body(gone)["detail"]
    assert problem["loc"] == ["body", "supplier_id"]
    over = ConfirmationNeeded("Too many.", errors={"quantity": "More than the 3 still to come."})
    [problem] = answer_for(over, "receive_order").body(over)["detail"]
    assert (problem["loc"], answer_for(over, "receive_order").status) == (["body", "quantity"], 422)
    assert problem["msg"].endswith("Send it again with confirm_over: true to do so.")


def test_usage_routes_name_refused_values_as_the_query_parameters_they_are():
    late = InvalidInput.field("since", "Since must be before until.")
    [problem] = answer_for(late, "usage_by_person").body(late)["detail"]
    assert (problem["loc"], answer_for(late, "usage_by_person").status) == (["query", "since"], 422)
    assert answer_for(late, "part_usage_chart").body(late)["detail"][0]["loc"] == [
        "query",
        "since",
    ]


def test_an_unlisted_domain_error_is_a_409():
    assert answer_for(DomainError("something else")) is OTHERWISE
    assert OTHERWISE.status == 409
