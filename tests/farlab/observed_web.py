"""``build_web``'s app served on a local port against the Slack stand-in, for the tests of
its logs and metrics: the real middleware, Bolt app, Slack client and scheduler."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from console.harness import WebServer
from domain.context import DomainContext
from farlab.settings import Settings
from farlab.web import build_web
from scheduler.runner import FarLabScheduler
from slack_stand_in import SignedSlack, SlackStandIn

SIGNING_SECRET = "observed-web-signing-secret-0123456789"
BOT_TOKEN = "xoxb-observed-web-bot-token"
CHANNEL = "C0LAB"


class _Later:
    """An ASGI app set after the server has bound its port (the app needs its URL)."""

    app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@dataclass
class ObservedWeb:
    url: str
    slack: SignedSlack
    http: httpx.Client
    scheduler: FarLabScheduler
    stand_in: SlackStandIn


def settings_for(stand_in: SlackStandIn, url: str, **changes: Any) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=stand_in.base_url,
        farlab_public_url=url,
        farlab_alert_channel=CHANNEL,
        **changes,
    )


@contextmanager
def observed_web(ctx: DomainContext, **changes: Any) -> Iterator[ObservedWeb]:
    """The web app with these settings, served; its scheduler built but not started."""
    with SlackStandIn() as stand_in:
        later = _Later()
        server = WebServer(later)  # type: ignore[arg-type]
        settings = settings_for(stand_in, server.url, **changes)
        web, runtime, scheduler = build_web(settings, ctx, with_scheduler=True)
        assert runtime is not None
        assert scheduler is not None
        later.app = web
        server.start()
        try:
            with (
                SignedSlack(f"{server.url}/slack/events", SIGNING_SECRET, stand_in) as slack,
                httpx.Client(base_url=server.url, timeout=10) as http,
            ):
                yield ObservedWeb(server.url, slack, http, scheduler, stand_in)
        finally:
            server.stop()
            runtime.shutdown()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition: (name, labels) -> value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str):
    return found.get((name, frozenset(labels.items())))
