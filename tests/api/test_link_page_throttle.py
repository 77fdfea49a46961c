"""The link pages share the REST sign-in's throttle, keyed by the same client address.

Served as ``serve`` serves them: the REST API and the pages on one app, over real HTTP;
each browser connects from its own loopback address."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_network

import httpx
import pytest

from api import create_api
from console.harness import SlackHarness
from domain import identities, linking
from domain.context import DomainContext
from tests.api.link_page_support import fill_in, open_link
from tests.factories import PASSWORD, make_user

TEAM = "T0FARLAB"
WRONG = "Wrong-Horse-9"
STRANGER, OWNER, PROXY = "127.0.0.2", "127.0.0.3", "127.0.0.4"


@pytest.fixture
def site(ctx: DomainContext) -> Iterator[SlackHarness]:
    web = create_api(ctx, cors_origins=[], trusted_proxies=[ip_network(PROXY)])
    harness = SlackHarness(ctx).start(web)
    yield harness
    harness.stop()


def _browser(site: SlackHarness, address: str, forwarded_for: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=site.public_url or "",
        transport=httpx.HTTPTransport(local_address=address),
        headers={"X-Forwarded-For": forwarded_for} if forwarded_for else {},
        timeout=10,
    )


def _link_url(site: SlackHarness, slack_user_id: str) -> str:
    offer = linking.start_self_link(site.ctx, team_id=TEAM, slack_user_id=slack_user_id)
    return f"{site.public_url}/link?token={offer.token}"


def _linked_to(ctx: DomainContext, slack_user_id: str) -> str | None:
    actor = identities.resolve_actor(ctx, team_id=TEAM, slack_user_id=slack_user_id)
    return actor.username if actor is not None else None


def test_a_stranger_locked_on_a_link_page_does_not_lock_the_owner_elsewhere(site, ctx):
    make_user(ctx, username="sara")
    with _browser(site, STRANGER) as stranger:
        page = open_link(stranger, _link_url(site, "U2"))
        answers = [fill_in(stranger, page, username="sara", password=WRONG) for _ in range(5)]
        assert [a.status for a in answers] == [400] * 4 + [429]
        assert "locked for 15 more minutes" in answers[-1].text
        assert answers[-1].has_form
        assert fill_in(stranger, page, username="sara", password=PASSWORD).status == 429
        rest = stranger.post("/api/token", data={"username": "sara", "password": PASSWORD})
        assert rest.status_code == 429  # the REST sign-in shares the pair's lock
    assert _linked_to(ctx, "U2") is None
    with _browser(site, OWNER, forwarded_for=STRANGER) as owner:  # not believed from here
        page = open_link(owner, _link_url(site, "U1"))
        done = fill_in(owner, page, username="sara", password=PASSWORD)
        assert done.status == 200
        assert "You are now linked as sara" in done.text
    assert _linked_to(ctx, "U1") == "sara"


def test_a_link_page_behind_a_trusted_proxy_throttles_the_forwarded_client(site, ctx):
    make_user(ctx, username="sara")
    with _browser(site, PROXY, forwarded_for="203.0.113.7") as stranger:
        page = open_link(stranger, _link_url(site, "U2"))
        for _ in range(5):
            fill_in(stranger, page, username="sara", password=WRONG)
        assert fill_in(stranger, page, username="sara", password=PASSWORD).status == 429
    with _browser(site, PROXY, forwarded_for="192.0.2.10") as owner:
        page = open_link(owner, _link_url(site, "U1"))
        assert fill_in(owner, page, username="sara", password=PASSWORD).status == 200
    assert _linked_to(ctx, "U1") == "sara"
