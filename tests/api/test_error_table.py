"""The one table from domain error to HTTP answer: its places exist, its order holds."""

from __future__ import annotations

from fastapi.routing import APIRoute

from api.errors import ANSWERS, AT, BEARER_CHECK, OTHERWISE, answer_for
from api.routers import alerts, auth, health, instruments, parts, users
from domain.errors import (
    AccountInactive,
    AccountLocked,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    TokenExpired,
)

ROUTERS = (alerts, auth, health, instruments, parts, users)


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


def test_an_unlisted_domain_error_is_a_409():
    assert answer_for(DomainError("something else")) is OTHERWISE
    assert OTHERWISE.status == 409
