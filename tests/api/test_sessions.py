"""An account is an account forever: its tokens and links die with it, or with its stamp.

The reproduction of issue 9 item 1 (a deleted admin's token and invitation acting as the
next account made) over the REST API and the link pages, then each way a stamp changes.
"""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest

from console.harness import SlackHarness
from domain import identities, linking, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from persistence.models import User
from tests.api.link_page_support import Page, fill_in, open_link
from tests.api.support import assert_json_error, bearer
from tests.conftest import TEST_SECRET
from tests.factories import PASSWORD, make_user
from tests.helpers import access_token

TEAM = "T0FARLAB"
NEW_PASSWORD = "Fresh-Start-42"
REFUSED = "Could not validate credentials"


def _sign_in(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post("/api/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _refused(response: httpx.Response) -> None:
    assert assert_json_error(response, 401) == REFUSED
    assert response.headers["www-authenticate"] == "Bearer"


def _new_admin(client, headers: dict[str, str], name: str) -> int:
    body = {
        "username": name,
        "email": f"{name}@lab.example",
        "first_name": name.capitalize(),
        "last_name": "Admin",
        "password": PASSWORD,
        "role": "admin",
    }
    made = client.post("/api/users/", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _invitation(site: SlackHarness, admin: Actor, name: str, slack_user_id: str) -> str:
    offer = linking.invite_user(
        site.ctx,
        actor=admin,
        team_id=TEAM,
        slack_user_id=slack_user_id,
        username=name,
        email=f"{name}@lab.example",
        first_name=name.capitalize(),
        last_name="Admin",
        role="admin",
    )
    return f"{site.public_url}/invite?token={offer.token}"


def _failure(page: Page, status: int, title: str) -> None:
    assert page.status == status, page.text
    assert not page.has_form
    assert f"<h1>{title}</h1>" in page.text


def _reuse_id(ctx: DomainContext, user_id: int, name: str) -> None:
    """An account made with a deleted one's id, as SQLite gave ids out before revision 0005
    (an id freed before the upgrade can still come back once)."""
    with ctx.transaction() as session:
        session.add(
            User(
                id=user_id,
                username=name,
                email=f"{name}@lab.example",
                first_name="Re",
                last_name="Used",
                role="admin",
                is_active=True,
            )
        )


# -- the reproduction ----------------------------------------------------------------------


def test_a_deleted_admins_token_never_acts_as_the_next_account(client, ctx, lab):
    admin = bearer(ctx, lab.admin)
    anna_id = _new_admin(client, admin, "anna")
    anna = _sign_in(client, "anna")
    assert client.get("/api/users/", headers=anna).status_code == 200
    assert client.delete(f"/api/users/{anna_id}", headers=admin).status_code == 204
    bert_id = _new_admin(client, admin, "bert")
    assert bert_id > anna_id  # the id is never given out again
    _refused(client.get("/api/users/me", headers=anna))
    _refused(client.get("/api/users/", headers=anna))
    assert client.get("/api/users/me", headers=_sign_in(client, "bert")).json()["id"] == bert_id


def test_a_deleted_admins_invitation_never_opens_the_next_accounts_page(
    client, ctx, lab, site, browser
):
    old = _invitation(site, lab.admin, "anna", "UOLD")
    anna = users.get_user(ctx, actor=SYSTEM, username="anna")
    opened_before = open_link(browser, old)
    assert opened_before.status == 200
    assert "anna" in opened_before.text
    assert client.delete(f"/api/users/{anna.id}", headers=bearer(ctx, lab.admin)).status_code == 204
    new = _invitation(site, lab.admin, "bert", "UNEW")
    bert = users.get_user(ctx, actor=SYSTEM, username="bert")
    assert bert.id > anna.id
    _failure(open_link(browser, old), 404, "Not found")
    _failure(
        fill_in(browser, opened_before, password=NEW_PASSWORD, password2=NEW_PASSWORD),
        404,
        "Not found",
    )
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="UOLD") is None
    assert not users.get_user(ctx, actor=SYSTEM, user_id=bert.id).has_password
    done = fill_in(browser, open_link(browser, new), password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert "You are now linked as bert (admin)" in done.text


def test_even_a_reused_id_does_not_take_the_old_token_or_invitation(
    client, ctx, lab, site, browser
):
    """The stamp alone refuses them, whatever the id: the second line of defence."""
    admin = bearer(ctx, lab.admin)
    anna_id = _new_admin(client, admin, "anna")
    anna = _sign_in(client, "anna")
    offer = linking.request_link(
        ctx, actor=lab.admin, team_id=TEAM, slack_user_id="UOLD", username="anna"
    )
    old_link = open_link(browser, f"{site.public_url}/confirm-link?token={offer.token}")
    assert old_link.status == 200
    assert client.delete(f"/api/users/{anna_id}", headers=admin).status_code == 204
    _reuse_id(ctx, anna_id, "bert")
    _refused(client.get("/api/users/me", headers=anna))
    _refused(client.get("/api/users/", headers=anna))
    refused = fill_in(browser, old_link, password=PASSWORD)
    _failure(refused, 400, "This link is not valid")
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="UOLD") is None


# -- each way the stamp changes ------------------------------------------------------------


@pytest.mark.usefixtures("ctx")
def test_changing_the_password_ends_every_session_the_changing_one_included(client, lab):
    name = lab.member.username
    first, second = _sign_in(client, name), _sign_in(client, name)
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    answer = client.patch("/api/users/me/password", json=change, headers=first)
    assert (answer.status_code, answer.content) == (204, b"")  # as the original API answers
    _refused(client.get("/api/users/me", headers=first))
    _refused(client.get("/api/users/me", headers=second))
    again = _sign_in(client, name, NEW_PASSWORD)
    assert client.get("/api/users/me", headers=again).json()["username"] == name


def test_a_password_link_ends_every_session_and_older_password_links(client, ctx, site, browser):
    sara = make_user(ctx, username="sara")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id="U1", user_id=sara.user_id
    )
    session = _sign_in(client, "sara")
    older, newer = (
        linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
        for _ in range(2)
    )
    older_page = open_link(browser, f"{site.public_url}/password?token={older.token}")
    page = open_link(browser, f"{site.public_url}/password?token={newer.token}")
    done = fill_in(browser, page, password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert "Password changed" in done.text
    _refused(client.get("/api/users/me", headers=session))
    _failure(
        fill_in(browser, older_page, password="Another-Horse-7", password2="Another-Horse-7"),
        400,
        "This link is not valid",
    )
    assert users.authenticate(ctx, username="sara", password=NEW_PASSWORD)


def test_deactivation_ends_every_session_for_good(client, ctx, lab):
    admin, member = bearer(ctx, lab.admin), _sign_in(client, lab.member.username)
    users.deactivate_user(ctx, actor=lab.admin, user_id=lab.member.user_id)
    assert assert_json_error(client.get("/api/users/me", headers=member), 403)
    users.reactivate_user(ctx, actor=lab.admin, user_id=lab.member.user_id)
    _refused(client.get("/api/users/me", headers=member))  # not back with the account
    assert (
        client.get("/api/users/me", headers=_sign_in(client, lab.member.username)).status_code
        == 200
    )
    assert client.get("/api/users/me", headers=admin).status_code == 200


def test_deactivating_yourself_ends_your_sessions(client, ctx, lab):
    first, second = _sign_in(client, lab.member.username), _sign_in(client, lab.member.username)
    off = client.patch("/api/users/me", json={"is_active": False}, headers=first)
    assert off.status_code == 200
    users.reactivate_user(ctx, actor=lab.admin, user_id=lab.member.user_id)
    _refused(client.get("/api/users/me", headers=second))


def test_an_admin_signs_an_account_out_everywhere(client, ctx, lab, site, browser):
    sara = make_user(ctx, username="sara")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id="U1", user_id=sara.user_id
    )
    session = _sign_in(client, "sara")
    link = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    url = f"/api/users/{sara.user_id}/sign-out-everywhere"
    assert assert_json_error(client.post(url, headers=bearer(ctx, lab.manager)), 403)
    assert assert_json_error(client.post(url, headers=session), 403)
    assert assert_json_error(client.post(url), 401) == "Not authenticated"
    admin = _sign_in(client, lab.admin.username)
    answer = client.post(url, headers=admin)
    assert (answer.status_code, answer.content) == (204, b"")
    _refused(client.get("/api/users/me", headers=session))
    _failure(
        open_link(browser, f"{site.public_url}/password?token={link.token}"),
        400,
        "This link is not valid",
    )
    assert client.get("/api/users/me", headers=admin).status_code == 200  # only sara's
    assert client.get("/api/users/me", headers=_sign_in(client, "sara")).status_code == 200
    missing = client.post("/api/users/2147483647/sign-out-everywhere", headers=admin)
    assert assert_json_error(missing, 404)


def test_sign_out_everywhere_is_documented_for_admins(client):
    operation = client.get("/openapi.json").json()["paths"][
        "/api/users/{user_id}/sign-out-everywhere"
    ]["post"]
    assert "204" in operation["responses"]
    assert "403" in operation["responses"]
    assert "admins" in operation["description"]


def test_a_new_role_counts_at_once_with_the_same_token(client, ctx, lab):
    manager = _sign_in(client, lab.manager.username)
    part = {"part_number": "NEW-1", "name": "Bolt"}
    assert client.post("/api/parts/", json=part, headers=manager).status_code == 201
    users.change_role(ctx, actor=lab.admin, user_id=lab.manager.user_id, role="member")
    refused = client.post("/api/parts/", json={**part, "part_number": "NEW-2"}, headers=manager)
    assert assert_json_error(refused, 403)
    assert client.get("/api/users/me", headers=manager).json()["role"] == "member"
    users.change_role(ctx, actor=lab.admin, user_id=lab.manager.user_id, role="manager")
    assert (
        client.post(
            "/api/parts/", json={**part, "part_number": "NEW-3"}, headers=manager
        ).status_code
        == 201
    )


# -- strange claims in a validly signed token ------------------------------------------------

STRANGE = {
    "superscript-two-subject": {"sub": "\u00b2"},
    "exponent-subject": {"sub": "1e3"},
    "negative-subject": {"sub": -1},
    "5000-digit-subject": {"sub": "9" * 5000},
    "beyond-any-id-subject": {"sub": "99999999999999999999"},
    "huge-exp": {"exp": 1e300},
    "text-exp": {"exp": "soon"},
    "nan-exp": {"exp": float("nan")},
    "text-iat": {"iat": "yesterday"},
    "huge-iat": {"iat": 1e300},
    "list-jti": {"jti": ["a"]},
    "long-jti": {"jti": "j" * 5000},
    "no-stamp": {"stamp": None},
    "surrogate-stamp": {"stamp": "\ud800"},
    "nul-stamp": {"stamp": "\x00"},
    "surrogate-jti": {"jti": "\udfff"},
    "surrogate-username": {"username": "\ud800"},
}


def _signed(claims: dict[str, Any]) -> str:
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, TEST_SECRET, "HS256")


@pytest.mark.parametrize("change", STRANGE.values(), ids=STRANGE.keys())
def test_a_validly_signed_token_with_strange_claims_is_a_401(client, ctx, lab, change):
    claims = jwt.decode(access_token(ctx, lab.admin), options={"verify_signature": False})
    token = {"Authorization": f"Bearer {_signed({**claims, **change})}"}
    for path in ("/api/users/me", "/api/users/"):
        answer = client.get(path, headers=token)
        assert answer.status_code == 401, answer.text
        assert answer.headers["content-type"] == "application/json"
        assert answer.headers["www-authenticate"] == "Bearer"
    # The open routes read it as no token at all.
    assert client.get("/api/parts/", headers=token).status_code == 200


LINK_STRANGE = {
    "huge-exp": {"exp": 1e300},
    "text-exp": {"exp": "soon"},
    "text-iat": {"iat": "x"},
    "superscript-uid": {"uid": "\u00b2"},
    "huge-uid": {"uid": 10**30},
    "negative-uid": {"uid": -1},
    "huge-by-id": {"by_id": 10**30},
    "no-stamp": {"stamp": None},
    "list-team": {"team_id": ["T"]},
    "surrogate-stamp": {"stamp": "\ud800"},
    "surrogate-team": {"team_id": "\ud800"},
    "nul-slack-user": {"slack_user_id": "U\x00"},
    "surrogate-jti": {"jti": "\udfff"},
    "surrogate-by-slack": {"by_slack": "\ud800"},
}


@pytest.mark.parametrize("change", LINK_STRANGE.values(), ids=LINK_STRANGE.keys())
def test_a_validly_signed_link_with_strange_claims_shows_the_invalid_link_page(
    ctx, lab, site, browser, change
):
    offer = linking.request_link(
        ctx, actor=lab.admin, team_id=TEAM, slack_user_id="U9", username=lab.member.username
    )
    claims = jwt.decode(offer.token, options={"verify_signature": False})
    url = f"{site.public_url}/confirm-link?token={_signed({**claims, **change})}"
    page = open_link(browser, url)
    _failure(page, 400, "This link is not valid")
