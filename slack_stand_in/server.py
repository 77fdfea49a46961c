"""``SlackStandIn``: a local HTTP server that answers the Slack Web API and response_urls,
records every call, keeps a model of the workspace, and fails on request."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from slack_stand_in.answers import Answer
from slack_stand_in.bodies import decode_body
from slack_stand_in.calls import Call, CallLog
from slack_stand_in.faults import FaultPlan
from slack_stand_in.files import FILES_PREFIX, UPLOAD_PREFIX
from slack_stand_in.identity import conversation_id
from slack_stand_in.web_api import call_method
from slack_stand_in.workspace import Workspace

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RESPONSE_PREFIX = "/response/"
# The names under which file downloads and upload POSTs are recorded (and can be failed).
FILE_DOWNLOAD = "file_download"
FILE_UPLOAD = "file_upload"
# What Slack answers a download without a valid token: a sign-in page, with HTTP 200.
SIGN_IN_PAGE = "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"
SHUTDOWN_POLL_SECONDS = 0.05  # how soon stop() returns


class SlackStandIn:
    """The Slack Web API on ``127.0.0.1`` (a free port), for tests, benchmarks and the console.

    Any ``xoxb-`` bearer token is accepted (only ``token`` when one is given).
    """

    def __init__(self, *, token: str | None = None) -> None:
        self.workspace = Workspace()
        self._changed = self.workspace.changed
        self._log = CallLog(self._changed)
        self._faults = FaultPlan(self._changed)
        self._token = token
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()  # ends the wait of answers held back
        self._socket_mode_url: str | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> SlackStandIn:
        if self._server is None:
            self._stopping.clear()
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
            server.daemon_threads = True
            self._server = server
            self.workspace.files.url_root = self.url
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
                name="slack-stand-in",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        self._stopping.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
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
        """``http://127.0.0.1:PORT`` (the server must be started)."""
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """The value for ``WebClient(base_url=...)``."""
        return self.url + API_PREFIX

    # -- what the app is handed ----------------------------------------------------------
    def response_url(
        self,
        key: str | None = None,
        *,
        channel: str = "C0LAB",
        user: str | None = None,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url on the stand-in; answers land in ``channel`` (ephemerals for
        ``user``), and replace/delete ``message_ts`` (an ephemeral one if ``ephemeral``)."""
        key = self.workspace.hooks.register(
            key, channel=channel, user=user, message_ts=message_ts, ephemeral=ephemeral
        )
        return f"{self.url}{RESPONSE_PREFIX}{key}"

    def response_urls(self) -> list[str]:
        """Every response_url handed out so far (to check that none was logged)."""
        return [f"{self.url}{RESPONSE_PREFIX}{key}" for key in self.workspace.hooks.issued()]

    def issue_trigger(self, user_id: str) -> str:
        """A single-use trigger id for ``user_id`` (expires after 3 s, as Slack's do)."""
        return self.workspace.directory.issue_trigger(user_id)

    def offer_socket_mode(self, url: str | None) -> None:
        """Answer ``apps.connections.open`` (with an ``xapp-`` token) with ``url``, e.g. a
        ``SocketModeStandIn``'s; None: with ``internal_error``, as if Slack had trouble."""
        self._socket_mode_url = url

    # -- recorded calls ------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        """Calls received so far, oldest first (of one method, if given)."""
        return self._log.calls(method)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``count`` calls of ``method`` arrived; returns them all (TimeoutError)."""
        return self._log.wait_for(method, count, timeout)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``predicate()`` holds, re-checked on every call and model change."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout}s")
                self._changed.wait(remaining)

    def clear(self) -> None:
        """Forget the recorded calls (the workspace model stays)."""
        self._log.clear()

    # -- the workspace model -------------------------------------------------------------
    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The channel's messages, oldest first (a user id reads the DM with that user)."""
        return self.workspace.messages.in_channel(conversation_id(channel))

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        """Ephemeral messages (each with ``channel`` and ``recipient``), oldest first."""
        return self.workspace.messages.ephemerals(channel, user)

    def modals(self, user: str) -> list[dict[str, Any]]:
        """The user's open modals, bottom of the stack first."""
        return self.workspace.views.modals(user)

    def home(self, user: str) -> dict[str, Any] | None:
        """The user's published Home tab view."""
        return self.workspace.views.home(user)

    def add_file(
        self, name: str, data: bytes, *, user: str = "UUPLOADER", title: str | None = None
    ) -> str:
        """A file ``user`` picked in a file input (uploaded, shared nowhere); its id, to
        put in a view submission's state with ``file_info``."""
        return self.workspace.files.add(name, data, user=user, title=title)

    def file_info(self, file_id: str) -> dict[str, Any]:
        """The file object, as files.info and a file input's state give it."""
        return self.workspace.files.info(file_id)

    def file_bytes(self, file_id: str) -> bytes:
        data = self.workspace.files.data(file_id)
        if data is None:
            raise KeyError(f"no file {file_id}")
        return data

    def delete_file(self, file_id: str) -> None:
        """The file is deleted: files.info says ``file_deleted``, its download 404."""
        self.workspace.files.delete(file_id)

    def files_in(self, channel: str) -> list[dict[str, Any]]:
        """The files shared into a channel (a user id: the DM with them), oldest first."""
        return [f for m in self.messages(channel) for f in m.get("files", [])]

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
    ) -> dict[str, Any]:
        """Register a person as users.info describes them (others are made up from the id)."""
        return self.workspace.directory.add_user(
            user_id, real_name=real_name, display_name=display_name, email=email, is_admin=is_admin
        )

    def name_channel(self, channel_id: str, name: str) -> None:
        """The ``channel_name`` Slack sends with commands from this channel."""
        self.workspace.directory.name_channel(channel_id, name)

    def keep_bot_out_of(self, channel_id: str) -> None:
        """The bot was never invited to this public channel: its posts go in (as with
        chat:write.public), its history reads get ``not_in_channel`` until it joins."""
        self.workspace.directory.keep_bot_out_of(channel_id)

    def post_as(self, user_id: str, channel: str, text: str) -> dict[str, Any]:
        """A person's own message in a channel (one a message shortcut can be used on)."""
        channel = conversation_id(channel)
        posted = self.workspace.messages.post(channel, {"text": text}, user_id)
        return {**posted, "channel": channel}

    # -- fault injection -----------------------------------------------------------------
    def fail(
        self, method: str, status: int = 429, retry_after: int | None = 1, times: int | None = 1
    ) -> None:
        """Answer the next ``times`` calls (None: all) with HTTP ``status``; a 429 carries
        ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``."""
        self._faults.fail(method, status, retry_after, times)

    def error(self, method: str, error: str, times: int | None = 1) -> None:
        """Answer the next ``times`` calls with HTTP 200 ``{"ok": false, "error": error}``."""
        self._faults.error(method, error, times)

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer to ``method`` by ``seconds`` (0 to stop)."""
        self._faults.slow(method, seconds)

    def answer_late(self, method: str, after: float | None = None, times: int | None = 1) -> None:
        """Carry out the next ``times`` calls to ``method`` (a post is made and recorded), then
        send the answer only ``after`` seconds later, after the client gave up, or never
        (None: the connection is closed without an answer). Slack accepted it; the caller
        cannot know."""
        self._faults.answer_late(method, after, times)

    def hold_answer(self, seconds: float) -> None:
        """Wait ``seconds`` before sending a late answer (returns early when stopped)."""
        self._stopping.wait(seconds)

    def rate_limit_per_channel(self, per_second: float | None = 1.0) -> None:
        """Limit chat.postMessage per channel, as Slack does (None: no limit)."""
        self._faults.rate_limit_per_channel(per_second)

    def clear_faults(self) -> None:
        self._faults.clear()

    # -- answering -----------------------------------------------------------------------
    def answer(self, path: str, raw: bytes, headers: dict[str, str]) -> Answer:
        """Record and answer one request (called by the HTTP handler)."""
        at = time.time()
        path, _, query = path.partition("?")
        if path.startswith((FILES_PREFIX, UPLOAD_PREFIX)):
            method = FILE_DOWNLOAD if path.startswith(FILES_PREFIX) else FILE_UPLOAD
            body: dict[str, Any] = {"length": len(raw)}
        else:
            body = decode_body(raw, headers.get("content-type", ""), query)
            if path.startswith(API_PREFIX):
                method = path.removeprefix(API_PREFIX)
            elif path.startswith(RESPONSE_PREFIX):
                method = "response_url"
            else:
                return Answer.error("unknown_path", 404)
        delay = self._faults.delay(method)
        if delay:
            time.sleep(delay)
        answer = self._faults.take(method) or self._answer(method, path, body, headers, raw)
        self._log.record(Call(method, body, headers, at, answer.status, answer.body))
        late = self._faults.lateness(method)
        if late is not None:
            answer = dataclasses.replace(answer, late=late.after, hang_up=late.after is None)
        return answer

    def _answer(
        self, method: str, path: str, body: dict[str, Any], headers: dict[str, str], raw: bytes
    ) -> Answer:
        if method == "response_url":
            return self.workspace.hooks.deliver(path.removeprefix(RESPONSE_PREFIX), body)
        if method == FILE_UPLOAD:  # no token: the upload URL itself is the permission
            return self._receive_upload(path.removeprefix(UPLOAD_PREFIX), raw, headers)
        if method == FILE_DOWNLOAD:
            return self._download(path.removeprefix(FILES_PREFIX), headers)
        if method == "apps.connections.open":
            return self._open_connection(headers)
        refused = self._authorize(body, headers)
        if refused is not None:
            return refused
        if method == "chat.postMessage" and isinstance(body.get("channel"), str):
            limited = self._faults.admit_post(conversation_id(body["channel"]))
            if limited is not None:
                return limited
        return Answer(200, call_method(self.workspace, method, body))

    def _download(self, rest: str, headers: dict[str, str]) -> Answer:
        """A file's bytes for the app's token; Slack's sign-in page (HTTP 200) without it."""
        if self._authorize({}, headers) is not None:
            return Answer(200, {}, text=SIGN_IN_PAGE, content_type="text/html; charset=utf-8")
        file_id = rest.split("/", 1)[0].rpartition("-")[2]
        data = self.workspace.files.data(file_id)
        if data is None:
            return Answer(404, {}, text="Not Found")
        mimetype = self.workspace.files.info(file_id)["mimetype"]
        return Answer(200, {}, raw=data, content_type=mimetype)

    def _receive_upload(self, key: str, raw: bytes, headers: dict[str, str]) -> Answer:
        """The bytes of an upload, raw or as the one file of a multipart form."""
        data = raw
        if headers.get("content-type", "").lower().startswith("multipart/form-data"):
            fields = decode_body(raw, headers["content-type"])
            data = next((v for v in fields.values() if isinstance(v, bytes)), b"")
        if not self.workspace.files.receive(key, data):
            return Answer(404, {}, text="Not Found")
        return Answer(200, {}, text=f"OK - {len(data)}")

    def _open_connection(self, headers: dict[str, str]) -> Answer:
        """Socket Mode's URL for an app-level token: Slack refuses a bot token here."""
        token = headers.get("authorization", "").partition(" ")[2].strip()
        if not token:
            return Answer.error("not_authed")
        if token.startswith("xoxb-"):
            return Answer.error("not_allowed_token_type")
        if not token.startswith("xapp-"):
            return Answer.error("invalid_auth")
        if self._socket_mode_url is None:
            return Answer.error("internal_error")
        return Answer(200, {"ok": True, "url": self._socket_mode_url})

    def _authorize(self, body: dict[str, Any], headers: dict[str, str]) -> Answer | None:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        token = credentials.strip() if scheme.lower() == "bearer" else body.get("token")
        if not token:
            return Answer.error("not_authed")
        if not str(token).startswith("xoxb-") or (self._token and token != self._token):
            return Answer.error("invalid_auth")
        return None


def _handler_for(stand_in: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                answer = stand_in.answer(self.path, raw, headers)
            except Exception:  # a fault of the stand-in itself: answer like Slack's outage
                logger.exception("Slack stand-in failed on %s", self.path)
                answer = Answer.error("fatal_error", 500)
            if answer.hang_up:
                self.close_connection = True
                return
            if answer.late:
                stand_in.hold_answer(answer.late)
            payload, content_type = answer.encoded()
            try:
                self._send(answer, payload, content_type)
            except OSError:  # the client gave up waiting for a late answer
                self.close_connection = True

        def _send(self, answer: Answer, payload: bytes, content_type: str) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the recorded calls are the log."""

    return Handler
