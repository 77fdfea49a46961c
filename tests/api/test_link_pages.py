"""The link pages over real HTTP (the harness's uvicorn server): forms, CSRF, headers,
and a clear page for every link that cannot be used."""

from __future__ import annotations

import logging

import httpx
import pytest

from api.pages.csrf import COOKIE
from console.harness import SlackHarness
from domain import identities, linking, users
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from tests.api.link_page_support import Page, fill_in, open_link
from tests.database_faults import unwritable
from tests.factories import PASSWORD, make_user

TEAM = "T0FARLAB"
NEW_PASSWORD = "Fresh-Start-42"


def _url(site: SlackHarness, purpose: str, token: str) -> str:
    return f"{site.public_url}/{purpose}?token={token}"


def _self_link(site: SlackHarness, slack_user_id: str = "U1") -> str:
    offer = linking.start_self_link(site.ctx, team_id=TEAM, slack_user_id=slack_user_id)
    return _url(site, "link", offer.token)


def _linked(ctx: DomainContext, actor: Actor, slack_user_id: str) -> None:
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM, slack_user_id=slack_user_id, user_id=actor.user_id
    )


def _invite(site: SlackHarness, admin: Actor, slack_user_id: str = "U2") -> str:
    offer = linking.invite_user(
        site.ctx,
        actor=admin,
        team_id=TEAM,
        slack_user_id=slack_user_id,
        username="newbie",
        email="newbie@lab.example",
        first_name="New",
        last_name="Person",
    )
    return _url(site, "invite", offer.token)


def test_a_link_page_signs_in_links_and_says_so(site, browser, ctx):
    sara = make_user(ctx, username="sara")
    page = open_link(browser, _self_link(site))
    assert page.status == 200
    assert page.has_form
    assert page.action == "/link"
    assert {"token", "csrf", "username", "password"} <= set(page.inputs)
    done = fill_in(browser, page, username="sara", password=PASSWORD)
    assert done.status == 200
    assert not done.has_form
    assert f"You are now linked as sara ({sara.role.value})" in done.text
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="U1") == sara


def test_every_answer_is_no_store_no_referrer_and_loads_nothing_from_anywhere(site, browser, ctx):
    make_user(ctx, username="sara")
    url = _self_link(site)
    token = url.split("token=")[1]
    form = open_link(browser, url)
    wrong = fill_in(browser, form, username="sara", password="Wrong-Horse-9")
    expired = open_link(browser, _url(site, "link", token[:-2] + "xx"))
    done = fill_in(browser, form, username="sara", password=PASSWORD)
    for page in (form, wrong, expired, done):
        headers = page.response.headers
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in headers["content-security-policy"]
        assert headers["content-type"].startswith("text/html")
        assert "<script" not in page.text
        assert "http" not in " ".join(page.links)
        assert all(token not in link for link in page.links), page.links
    assert form.links == ["/link"]  # the form posts back here, with the token in its body
    cookie = form.response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie


def test_a_post_without_the_pages_cookie_or_csrf_value_is_refused(site, browser, ctx):
    make_user(ctx, username="sara")
    page = open_link(browser, _self_link(site))
    with httpx.Client(base_url=site.public_url or "") as elsewhere:  # no cookie
        forged = elsewhere.post(
            "/link", data={**page.inputs, "username": "sara", "password": PASSWORD}
        )
    assert forged.status_code == 403
    assert "cannot be accepted" in forged.text
    tampered = fill_in(browser, page, csrf="0" * 64, username="sara", password=PASSWORD)
    assert tampered.status == 403
    browser.cookies.set(COOKIE, "another-browser-cookie-value-0123456789")
    assert fill_in(browser, page, username="sara", password=PASSWORD).status == 403
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="U1") is None


@pytest.mark.parametrize(
    "csrf",
    ["é" * 64, "\u2028", "0" * 63 + "\N{BLACK HEART SUIT}"],
    ids=["accented", "line-separator", "symbol"],
)
def test_a_csrf_value_that_is_not_ascii_is_refused_like_any_other_forgery(site, browser, ctx, csrf):
    """A hex digest is plain ASCII; anything else is a forgery (it was a 500 with a traceback:
    ``hmac.compare_digest`` cannot compare str that hold other characters)."""
    make_user(ctx, username="sara")
    page = open_link(browser, _self_link(site))
    forged = fill_in(browser, page, csrf=csrf, username="sara", password=PASSWORD)
    assert forged.status == 403
    assert "cannot be accepted" in forged.text
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="U1") is None


def test_wrong_passwords_show_the_form_again_with_one_message_then_the_lock(site, browser, ctx):
    make_user(ctx, username="sara")
    page = open_link(browser, _self_link(site))
    answers = []
    for username in ("nobody", "sara", "sara", "sara", "sara"):
        again = fill_in(browser, page, username=username, password="Wrong-Horse-9")
        assert again.status == 400
        assert again.has_form
        assert 'role="alert"' in again.text
        answers.append(again.text.split('role="alert"><p>')[1].split("<")[0])
    assert set(answers) == {"Invalid username or password."}
    assert 'value="sara"' in again.text
    assert "Wrong-Horse-9" not in again.text
    fifth = fill_in(browser, page, username="sara", password="Wrong-Horse-9")
    sixth = fill_in(browser, page, username="sara", password=PASSWORD)
    for locked in (fifth, sixth):
        assert locked.status == 429
        assert "locked for 15 more minutes" in locked.text
    assert identities.resolve_actor(ctx, team_id=TEAM, slack_user_id="U1") is None


def _failure(page: Page, status: int, title: str) -> None:
    assert page.status == status, page.text
    assert not page.has_form
    assert f"<h1>{title}</h1>" in page.text


def test_each_link_that_cannot_be_used_gets_its_own_clear_page(site, browser, ctx, clock):
    admin, sara = make_user(ctx, "admin"), make_user(ctx, username="sara")
    url, second = _self_link(site), _self_link(site)
    _failure(open_link(browser, url.replace("link?", "invite?")), 400, "This link is not valid")
    _failure(open_link(browser, url[:-3] + "abc"), 400, "This link is not valid")
    _failure(open_link(browser, f"{site.public_url}/link"), 400, "This link is not valid")
    used = open_link(browser, url)
    fill_in(browser, used, username="sara", password=PASSWORD)
    _failure(open_link(browser, url), 410, "This link has already been used")
    _failure(open_link(browser, second), 409, "Already linked")
    invite = _invite(site, admin)
    clock.advance(hours=72)
    _failure(open_link(browser, invite), 410, "This link has expired")
    password = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    password_page = open_link(browser, _url(site, "password", password.token))
    assert password_page.status == 200
    identities.unlink_user(ctx, actor=sara, user_id=sara.user_id)
    _failure(
        open_link(browser, _url(site, "password", password.token)), 403, "This link is not yours"
    )
    _failure(
        fill_in(browser, password_page, password=NEW_PASSWORD, password2=NEW_PASSWORD),
        403,
        "This link is not yours",
    )


def test_a_deactivated_account_gets_a_page_saying_so(site, browser, ctx):
    admin = make_user(ctx, "admin")
    invite = _invite(site, admin)
    page = open_link(browser, invite)
    assert page.status == 200
    assert "newbie" in page.text
    newbie = users.get_user(ctx, actor=admin, username="newbie")
    users.deactivate_user(ctx, actor=admin, user_id=newbie.id)
    _failure(open_link(browser, invite), 403, "This account is deactivated")
    _failure(
        fill_in(browser, page, password=NEW_PASSWORD, password2=NEW_PASSWORD),
        403,
        "This account is deactivated",
    )


def test_an_invitation_page_sets_a_password_saying_which_rule_a_refused_one_broke(
    site, browser, ctx
):
    admin = make_user(ctx, "admin")
    page = open_link(browser, _invite(site, admin))
    assert "<strong>newbie</strong>" in page.text
    assert "new-password" in page.text
    differ = fill_in(browser, page, password=NEW_PASSWORD, password2=NEW_PASSWORD + "x")
    assert differ.status == 422
    assert "not the same" in differ.text
    weak = fill_in(browser, page, password="alllowercase1", password2="alllowercase1")
    assert weak.status == 422
    assert "uppercase letter" in weak.text
    assert weak.has_form
    assert "<strong>newbie</strong>" in weak.text  # the account is still named
    done = fill_in(browser, page, password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert done.status == 200
    assert "You are now linked as newbie (member)" in done.text
    assert users.authenticate(ctx, username="newbie", password=NEW_PASSWORD).username == "newbie"


def test_a_password_page_changes_the_password(site, browser, ctx):
    sara = make_user(ctx, username="sara")
    _linked(ctx, sara, "U1")
    offer = linking.start_password_change(ctx, actor=sara, team_id=TEAM, slack_user_id="U1")
    page = open_link(browser, _url(site, "password", offer.token))
    done = fill_in(browser, page, password=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert done.status == 200
    assert "Password changed" in done.text
    assert users.authenticate(ctx, username="sara", password=NEW_PASSWORD).username == "sara"


def test_no_token_or_password_reaches_the_logs(site, browser, ctx, caplog):
    caplog.set_level(logging.DEBUG)
    make_user(ctx, username="sara")
    url = _self_link(site)
    page = open_link(browser, url)
    fill_in(browser, page, username="sara", password="Wrong-Horse-9")
    fill_in(browser, page, username="sara", password=PASSWORD)
    open_link(browser, url)  # used: refused
    site.stand_in.wait_for("views.publish")
    token = url.split("token=")[1]
    # httpx logs the URLs this test's own browser fetches: that is the person's side.
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert server_side, "nothing was logged at all"
    for record in server_side:
        text = record.getMessage()
        assert token not in text
        assert PASSWORD not in text
        assert "Wrong-Horse-9" not in text
    for record in caplog.records:
        assert PASSWORD not in record.getMessage()


def test_a_link_page_says_farlab_cannot_save_while_the_database_cannot_be_written(
    site, browser, ctx
):
    make_user(ctx, username="sara")
    page = open_link(browser, _self_link(site))
    with unwritable(ctx.db):
        done = fill_in(browser, page, username="sara", password=PASSWORD)
    assert done.status == 503
    assert not done.has_form
    assert "FarLab cannot save changes right now" in done.text
