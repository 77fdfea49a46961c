"""Text no layer chokes on: NUL bytes and unpaired surrogates (``"\\ud800"``, which JSON can
carry as an escape) in queries, sign-in and every JSON text field are a 422 naming the
field, never a 500; one-line fields refuse line breaks; nothing is written."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain import alerts, identities, instruments, linking, parts, users
from domain.permissions import SYSTEM
from tests.api.link_page_support import fill_in, open_link
from tests.api.support import assert_json_error, bearer
from tests.factories import PASSWORD, make_user

NUL = "a\x00b"
SURROGATE = "a\ud800b"


def _send(client, method: str, path: str, body: dict[str, Any], headers: dict[str, str]):
    """``body`` as JSON with non-ASCII escaped: a lone surrogate travels as ``\\ud800``."""
    content = json.dumps(body)  # ensure_ascii: "\ud800" is written as its escape
    return client.request(
        method, path, content=content, headers={**headers, "Content-Type": "application/json"}
    )


def _refused_field(response, field: str) -> str:
    """The 422 names ``field`` in the body and says what is wrong with it."""
    [error] = assert_json_error(response, 422)
    assert error["loc"] == ["body", field], error
    assert error["msg"].startswith("Value error, "), error
    assert " contains " in error["msg"], error
    return str(error["msg"])


def _everything(ctx) -> tuple[Any, ...]:
    """What a refused request could have changed."""
    return (
        parts.list_parts(ctx, actor=SYSTEM, active_only=False, limit=1000).items,
        instruments.list_instruments(ctx, actor=SYSTEM, active_only=False, limit=1000).items,
        users.list_users(ctx, actor=SYSTEM, limit=200).items,
        alerts.list_alerts(ctx, actor=SYSTEM).items,
    )


@pytest.mark.parametrize("bad", [NUL, "ab\x1b", "ab\ncd"])
def test_a_search_query_with_control_characters_is_422_naming_q(client, ctx, lab, bad):
    """On PostgreSQL a NUL in ``q`` reached the driver: a 500."""
    response = client.get("/api/parts/search/", params={"q": bad}, headers=bearer(ctx, lab.manager))
    [error] = assert_json_error(response, 422)
    assert error["loc"] == ["query", "q"]
    assert "Query contains" in error["msg"]


def test_a_surrogate_cannot_arrive_in_a_query_string_and_its_bytes_are_no_error(client, ctx, lab):
    """A URL carries bytes: the UTF-8-like bytes of U+D800 are read as U+FFFD."""
    headers = bearer(ctx, lab.manager)
    assert client.get("/api/parts/search/?q=%ED%A0%80ab", headers=headers).json() == []
    for path in ("/api/alerts/?skip=%00", "/api/alerts/?active_only=%00", "/api/parts/%00"):
        assert assert_json_error(client.get(path, headers=headers), 422)


@pytest.mark.usefixtures("ctx")
@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("bad", ["\x00", "sara\x00admin"])
def test_sign_in_with_nul_in_either_field_is_422_naming_it(client, lab, field, bad):
    """On PostgreSQL a NUL username reached the driver: a 500."""
    form = {"username": lab.member.username, "password": PASSWORD, field: bad}
    msg = _refused_field(client.post("/api/token", data=form), field)
    assert field.capitalize() in msg
    good = {"username": lab.member.username, "password": PASSWORD}
    assert client.post("/api/token", data=good).status_code == 200


@pytest.mark.usefixtures("lab")
def test_sign_in_with_the_bytes_of_a_surrogate_is_refused_like_any_wrong_name(client):
    body = "username=%ED%A0%80&password=Whatever-1"
    response = client.post(
        "/api/token",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert assert_json_error(response, 401) == "Invalid credentials"


def _alert(ctx, lab):
    return alerts.raise_alert(ctx, actor=SYSTEM, message="Check", part_id=lab.filament.id)


# (method, path, the rest of the body, field): a sample of every resource's text fields.
def _requests(ctx, lab) -> list[tuple[str, str, dict[str, Any], str]]:
    part, instrument, alert = lab.filament.id, lab.mat253.id, _alert(ctx, lab).id
    new_part = {"part_number": "N-1", "name": "Nut"}
    new_instrument = {"name": "Delta", "model": "V"}
    new_user = {
        "username": "sara",
        "email": "sara@lab.example",
        "first_name": "Sara",
        "last_name": "Berg",
        "password": PASSWORD,
    }
    new_password = {"new_password": "Another-Horse-9"}
    return [
        ("POST", "/api/parts/", new_part, "name"),
        ("POST", "/api/parts/", new_part, "part_number"),
        ("POST", "/api/parts/", new_part, "description"),
        ("PATCH", f"/api/parts/{part}", {}, "category"),
        ("PATCH", f"/api/parts/{part}", {}, "manufacturer"),
        ("POST", f"/api/parts/{part}/stock", {"quantity_change": -1}, "reason"),
        ("POST", "/api/instruments/", new_instrument, "model"),
        ("POST", "/api/instruments/", new_instrument, "serial_number"),
        ("PATCH", f"/api/instruments/{instrument}", {}, "location"),
        ("PUT", f"/api/instruments/{instrument}/status", {"status": "maintenance"}, "note"),
        ("POST", "/api/users/", new_user, "first_name"),
        ("POST", "/api/users/", new_user, "email"),
        ("POST", "/api/users/", new_user, "password"),
        ("PATCH", "/api/users/me", {}, "department"),
        ("PATCH", "/api/users/me", {}, "notes"),
        ("PATCH", "/api/users/me/password", new_password, "current_password"),
        ("POST", f"/api/alerts/{alert}/resolve", {}, "note"),
    ]


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_nul_or_a_surrogate_in_any_json_text_field_is_422_naming_it(client, ctx, lab, bad):
    """A surrogate gave a 500 (the 422 echoing it could not be encoded); NUL reached the
    database on fields the domain did not check (a 500 on PostgreSQL)."""
    headers = bearer(ctx, lab.admin)
    requests = _requests(ctx, lab)
    before = _everything(ctx)
    for method, path, rest, field in requests:
        response = _send(client, method, path, {**rest, field: f"Valid-Text-9{bad}"}, headers)
        assert response.status_code == 422, (method, path, field, response.text)
        _refused_field(response, field)
    assert _everything(ctx) == before


FAKE_RESOLVED = "Septa\n:white_check_mark: *Resolved by admin*"


def test_a_part_name_with_a_line_break_is_422_and_descriptions_keep_theirs(client, ctx, lab):
    """The name would have put a fake "Resolved by admin" line in the channel alert."""
    headers = bearer(ctx, lab.manager)
    before = _everything(ctx)
    created = client.post(
        "/api/parts/", json={"part_number": "SEP-1", "name": FAKE_RESOLVED}, headers=headers
    )
    assert "line break" in _refused_field(created, "name")
    renamed = client.patch(
        f"/api/parts/{lab.filament.id}", json={"name": FAKE_RESOLVED}, headers=headers
    )
    _refused_field(renamed, "name")
    for path, body, field in (
        ("/api/instruments/", {"name": "Delta\u2028V", "model": "V"}, "name"),
        ("/api/users/", {"username": "x\ny", "email": "x@lab.example"}, "username"),
    ):
        response = client.post(path, json=body, headers=bearer(ctx, lab.admin))
        assert assert_json_error(response, 422)[0]["loc"] == ["body", field], response.text
    assert _everything(ctx) == before
    described = client.post(
        "/api/parts/",
        json={"part_number": "SEP-1", "name": "Septa", "description": "Blue\n\tsoft"},
        headers=headers,
    )
    assert described.status_code == 201
    assert described.json()["description"] == "Blue\n\tsoft"


@pytest.mark.parametrize("body", [{"minutes": 10**12}, {"minutes": 10**40}, {"minutes": 0}])
def test_an_absurd_snooze_is_422_for_a_manager_and_403_for_a_member(client, ctx, lab, body):
    alert = _alert(ctx, lab)
    path = f"/api/alerts/{alert.id}/snooze"
    [error] = assert_json_error(client.post(path, json=body, headers=bearer(ctx, lab.manager)), 422)
    assert error["loc"] == ["body", "minutes"]
    member = client.post(path, json=body, headers=bearer(ctx, lab.member))
    assert assert_json_error(member, 403)
    assert alerts.get_alert(ctx, actor=SYSTEM, alert_id=alert.id).snoozed_until is None
    far = {"until": "9999-12-31T23:59:59Z"}
    assert assert_json_error(client.post(path, json=far, headers=bearer(ctx, lab.manager)), 422)


def test_a_link_page_with_nul_in_the_username_shows_the_form_again_naming_it(site, ctx):
    """On PostgreSQL the name reached the driver: a 500 instead of the form."""
    make_user(ctx, username="sara")
    offer = linking.start_self_link(ctx, team_id="T0FARLAB", slack_user_id="U1")
    with httpx.Client(base_url=site.public_url or "", timeout=10) as browser:
        page = open_link(browser, f"{site.public_url}/link?token={offer.token}")
        for field, typed in (("username", "sara\x00"), ("password", f"{PASSWORD}\x00")):
            answers = {"username": "sara", "password": PASSWORD, field: typed}
            again = fill_in(browser, page, **answers)
            assert again.status == 422, again.text
            assert again.has_form, again.text
            assert f"{field.capitalize()} contains a control character (U+0000)." in again.text
    assert identities.resolve_actor(ctx, team_id="T0FARLAB", slack_user_id="U1") is None
