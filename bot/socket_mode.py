"""Socket Mode: Slack's requests over a websocket FarLab opens, kept open whatever happens.

slack-sdk's ``SocketModeClient`` (through Bolt's ``SocketModeHandler``) opens the
connection (``apps.connections.open``, then the websocket) and follows Slack's own
``disconnect`` notices to a new endpoint. Its first ``connect()`` raises when Slack cannot
be reached or refuses the app token, and its own reconnection retries every few seconds
without backoff, at ERROR with a second line from inside the SDK. So its auto-reconnect is
off and ``SocketModeConnection`` supervises instead, on a thread of its own:

- connected: it checks every few seconds that the connection is still up;
- Slack cannot be reached (or answers with an error of its own): one WARNING line per
  failed attempt, no traceback, and the next attempt after a delay that doubles from
  ``first_delay`` up to ``max_delay``, with jitter (several replicas do not reconnect in
  step after an outage);
- Slack refuses the token (``invalid_auth``, ``not_allowed_token_type``, ...): one ERROR
  line naming the error and what to check, then a try every ``refused_delay`` (five
  minutes): the rest of FarLab (REST API, link pages, alerts over the bot token) keeps
  serving, and a token fixed on Slack's side (the app reinstalled, Socket Mode switched on)
  is picked up without a restart.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("farlab.socket_mode")

# apps.connections.open errors that no retry soon will fix: the token is wrong for it.
REFUSED_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "not_allowed_token_type",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "missing_scope",
    }
)
# The SDK's own lines (an INFO line for every try): the composition root shows them at
# DEBUG only.
SDK_LOGGER = "farlab.socket_mode.sdk"
# The SDK logs these itself, at ERROR, before raising what this module logs in one line.
_SDK_REPEATS = ("Failed to retrieve WSS URL", "Failed to send a request to Slack API server")


class SocketModeConnection:
    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        refused_delay: float = 300.0,
        check_every: float = 5.0,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        sdk_logger = logging.getLogger(SDK_LOGGER)
        sdk_logger.addFilter(_without_repeats)
        # apps.connections.open on a client of its own, without retries (this is the retry)
        # and whose failures are told here.
        opener = WebClient(
            retry_handlers=[],
            base_url=app.client.base_url,
            timeout=app.client.timeout,
            ssl=app.client.ssl,
            proxy=app.client.proxy,
            logger=sdk_logger,
        )
        self.handler = SocketModeHandler(
            app, app_token, logger=sdk_logger, web_client=opener, auto_reconnect_enabled=False
        )
        self.first_delay, self.max_delay = first_delay, max_delay
        self.refused_delay, self.check_every = refused_delay, check_every
        self._jitter = jitter
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._keep_connected, name="socket-mode", daemon=True
        )

    def start(self) -> SocketModeConnection:
        """Connect in the background; returns at once."""
        self._thread.start()
        return self

    @property
    def connected(self) -> bool:
        return self.handler.client.is_connected()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self.handler.close()  # type: ignore[no-untyped-call]  # slack_bolt leaves it unannotated

    def _keep_connected(self) -> None:
        failures = 0
        while not self._stop.is_set():
            if self.connected:
                self._stop.wait(self.check_every)
                continue
            try:
                self.handler.client.connect_to_new_endpoint(force=True)
            except Exception as exc:  # whatever stops a connection: told in one line, retried
                failures += 1
                self._stop.wait(self._after_failure(exc, failures))
                continue
            if self.connected:
                log.info(
                    "Socket Mode connected" + (f" after {failures} failed tries" * bool(failures))
                )
                failures = 0

    def _after_failure(self, exc: Exception, failures: int) -> float:
        """Log the failure in one line; the seconds to wait before the next try."""
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
        if error in REFUSED_TOKEN:
            delay = self._jittered(self.refused_delay)
            log.error(
                "Socket Mode: Slack refused SLACK_APP_TOKEN (%s): it must be this app's "
                "app-level token (xapp-...) with the connections:write scope, and Socket Mode "
                "must be on in the app's settings; trying again in %.0f s",
                error,
                delay,
            )
            return delay
        delay = self._jittered(min(self.max_delay, self.first_delay * 2 ** (failures - 1)))
        reason = f"Slack answered {error}" if error else f"{type(exc).__name__}: {exc}"
        log.warning(
            "Socket Mode: cannot connect to Slack (%s); trying again in %.1f s", reason, delay
        )
        return delay

    def _jittered(self, delay: float) -> float:
        """Between half of ``delay`` and all of it."""
        return delay * (0.5 + self._jitter() / 2)


def _without_repeats(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_SDK_REPEATS)
