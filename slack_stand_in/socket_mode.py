"""``SocketModeStandIn``: Slack's Socket Mode websocket on 127.0.0.1, for tests.

Offer it through the Web API stand-in (``SlackStandIn.offer_socket_mode``): the app's
``apps.connections.open`` then answers with this server's URL. Each connection is greeted
with Slack's ``hello``; ``send_envelope`` pushes a request (a slash command, an
interaction, an event) to the newest connection and returns the app's acknowledgement.
"""

from __future__ import annotations

import json
import threading
import uuid
from types import TracebackType
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve


class SocketModeStandIn:
    def __init__(self) -> None:
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}

    def start(self) -> SocketModeStandIn:
        self._server = serve(self._converse, "127.0.0.1", 0)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="socket-mode-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SocketModeStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Socket Mode stand-in is not started")
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    @property
    def connections(self) -> int:
        """How many connections the app has opened so far."""
        with self._changed:
            return len(self._connections)

    def wait_for_connection(self, count: int = 1, timeout: float = 10.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._connections) >= count, timeout):
                raise TimeoutError(f"{count} Socket Mode connection(s) not opened in {timeout}s")

    def send_envelope(
        self, kind: str, payload: dict[str, Any], timeout: float = 10.0
    ) -> dict[str, Any]:
        """Send ``payload`` as an envelope of ``kind`` (``slash_commands``, ``interactive``,
        ``events_api``) on the newest connection; the app's acknowledgement."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
            "payload": payload,
        }
        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                raise TimeoutError(f"no acknowledgement of {kind} in {timeout}s")
            return self._acks.pop(envelope_id)

    def _converse(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            for message in connection:
                ack = json.loads(message)
                if isinstance(ack, dict) and "envelope_id" in ack:
                    with self._changed:
                        self._acks[ack["envelope_id"]] = ack
                        self._changed.notify_all()
        except ConnectionClosed:
            pass
