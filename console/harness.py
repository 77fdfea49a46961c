"""The real FarLab Slack app on a local HTTP server, wired to the Slack stand-in.

Used by the tests, the benchmark and the offline console: requests are signed exactly as
Slack signs them and the bot's Web API calls go to the stand-in, which records them.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI

from api.healthz import add_healthz
from api.pages import add_link_pages
from bot.app import build_app
from bot.link_notices import link_notifier
from bot.runtime import BotRuntime
from bot.server import add_slack_routes
from domain.context import DomainContext
from farlab.wiring import build_client
from slack_stand_in import SignedSlack, SlackStandIn

SIGNING_SECRET = "local-signing-secret-for-the-stand-in"  # noqa: S105 - the stand-in's own


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class WebServer:
    """uvicorn serving an ASGI app on 127.0.0.1 in a background thread.

    Without a ``port``, the listening socket is bound here, to a port the system picks, and
    handed to uvicorn: no other process can take the port between choosing and binding it
    (as with ``free_port``, when tests run in parallel).
    """

    def __init__(self, app: FastAPI, *, port: int | None = None) -> None:
        sockets: list[socket.socket] = []
        if port is None:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
            sockets.append(sock)
        self.port = port
        # As ``serve``: the app, not uvicorn, decides whether to believe X-Forwarded-For.
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", proxy_headers=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": sockets or None}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class SlackHarness:
    ctx: DomainContext
    stand_in: SlackStandIn = field(default_factory=SlackStandIn)
    # Where the DMs' link buttons point; by default the link pages this harness serves.
    public_url: str | None = None
    # Where alerts without a route go (FARLAB_ALERT_CHANNEL): shown by `alerts routes`.
    alert_channel: str | None = None
    # Where reorder requests go (FARLAB_PURCHASING_CHANNEL); by default the alert channel.
    purchasing_channel: str | None = None

    def start(self, web: FastAPI | None = None) -> SlackHarness:
        self.stand_in.start()
        self.web = web or FastAPI()
        server = WebServer(self.web)  # its port is bound now; the routes are added below
        self.public_url = self.public_url or server.url
        self.runtime = BotRuntime(
            ctx=self.ctx,
            public_url=self.public_url,
            alert_channel=self.alert_channel,
            purchasing_channel=self.purchasing_channel or self.alert_channel,
        )
        client = build_client("xoxb-farlab-local", base_url=self.stand_in.base_url)
        self.client = client  # the bot's Web API client, pointed at the stand-in
        self.app = build_app(self.runtime, client=client, signing_secret=SIGNING_SECRET)
        add_slack_routes(self.web, self.app, self.ctx, signing_secret=SIGNING_SECRET)
        add_healthz(self.web, self.ctx)
        add_link_pages(self.web, self.ctx, link_notifier(self.runtime, client))
        self.server = server.start()
        self.slack = SignedSlack(f"{self.server.url}/slack/events", SIGNING_SECRET, self.stand_in)
        return self

    def stop(self) -> None:
        self.slack.close()
        self.server.stop()
        self.runtime.shutdown()
        self.stand_in.stop()

    def __enter__(self) -> SlackHarness:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
