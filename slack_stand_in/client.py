"""``SignedSlack``: sends the app the requests Slack would, signed with the v0 scheme."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Unpack
from urllib.parse import urlencode

import httpx

from slack_stand_in import payloads
from slack_stand_in.answers import SlackError
from slack_stand_in.forms import fill_modal
from slack_stand_in.identity import APP_ID, PAYLOAD_TOKEN, TEAM_DOMAIN, TEAM_ID, dm_channel, wall_ts
from slack_stand_in.server import SlackStandIn
from slack_stand_in.signing import Signing, signed_headers

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class SignedSlack:
    """Slack's side of the conversation with the app at ``app_url`` (its /slack/events).

    Answers the app gives in its acknowledgements are applied to the stand-in's workspace
    as Slack would show them (command replies, modal closes/updates) unless
    ``apply_responses`` is False.
    """

    fill_modal = staticmethod(fill_modal)

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        stand_in: SlackStandIn,
        team_id: str = TEAM_ID,
        team_domain: str = TEAM_DOMAIN,
        http: httpx.Client | None = None,
        *,
        apply_responses: bool = True,
    ) -> None:
        self.app_url = app_url
        self.stand_in = stand_in
        self.team_id = team_id
        self.team_domain = team_domain
        self.apply_responses = apply_responses
        self._secret = signing_secret
        self._own_http = http is None
        self._http = http or httpx.Client(timeout=10.0)

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> SignedSlack:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- slash commands ------------------------------------------------------------------
    def command(
        self,
        user_id: str,
        text: str,
        *,
        command: str = "/farlab",
        channel_id: str = "C0LAB",
        user_name: str | None = None,
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """A slash command, as the form body Slack posts (a reply lands as an ephemeral)."""
        directory = self.stand_in.workspace.directory
        fields = {
            "token": PAYLOAD_TOKEN,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": directory.channel_name(channel_id),
            "user_id": user_id,
            "user_name": user_name or self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.stand_in.response_url(channel=channel_id, user=user_id),
            "trigger_id": self.stand_in.issue_trigger(user_id),
        }
        # Text is sent as its UTF-8 bytes; a lone surrogate (not UTF-8) as the bytes it would
        # have, so tests can send what no well-behaved client does.
        response = self.send(urlencode(fields, errors="surrogatepass"), FORM, **signing)
        if self.apply_responses and response.status_code == 200:
            self.stand_in.workspace.answer_command(
                channel_id, user_id, payloads.ack_body(response.text)
            )
        return response

    # -- interactivity -------------------------------------------------------------------
    def block_action(
        self,
        user_id: str,
        action_id: str,
        *,
        value: str | None = None,
        block_id: str | None = None,
        message: Mapping[str, Any] | None = None,
        view: Mapping[str, Any] | None = None,
        selected_option: Any = None,
        channel_id: str | None = None,
        action_type: str | None = None,
        values: Mapping[str, Any] | None = None,
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """A click (or selection) on ``action_id`` in a recorded message or view.

        With a message or view, the element must be in its blocks; its block_id, text,
        type and value are taken from there. Without either, the click is forged as is.
        The channel defaults to the message's, then "C0LAB".
        """
        blocks = (view or message or {}).get("blocks", [])
        found = payloads.find_element(blocks, action_id)
        if (message is not None or view is not None) and found is None:
            raise ValueError(f"no element with action_id {action_id!r} in the given blocks")
        body = self._common("block_actions", user_id)
        body["trigger_id"] = self.stand_in.issue_trigger(user_id)
        if view is not None:
            body["container"] = {"type": "view", "view_id": view.get("id")}
            body["view"] = dict(view)
            state = values if values is not None else view.get("state", {}).get("values", {})
        else:
            body.update(self._message_context(user_id, message, channel_id))
            state = values or {}
        body["state"] = {"values": dict(state)}
        body["actions"] = [
            payloads.action(
                action_id,
                found,
                block_id=block_id,
                value=value,
                selected_option=selected_option,
                action_type=action_type,
            )
        ]
        return self._send_payload(body, **signing)

    def shortcut(
        self, user_id: str, callback_id: str, **signing: Unpack[Signing]
    ) -> httpx.Response:
        """A global shortcut, chosen from the shortcuts menu: no channel, no message."""
        body = self._shortcut("shortcut", callback_id)
        body["user"] = {
            "id": user_id,
            "username": self._user_name(user_id),
            "team_id": self.team_id,
        }
        body["trigger_id"] = self.stand_in.issue_trigger(user_id)
        return self._send_payload(body, **signing)

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        message: Mapping[str, Any],
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """A message shortcut, chosen from a message's menu: the message and its channel."""
        channel = str(message.get("channel") or "C0LAB")
        body = self._shortcut("message_action", callback_id)
        body.update(
            user={"id": user_id, "name": self._user_name(user_id)},
            channel={
                "id": channel,
                "name": self.stand_in.workspace.directory.channel_name(channel),
            },
            trigger_id=self.stand_in.issue_trigger(user_id),
            message_ts=message["ts"],
            message=payloads.slack_message(message),
            # Answers go to the person who chose it, beside the message (never replacing it).
            response_url=self.stand_in.response_url(channel=channel, user=user_id),
        )
        return self._send_payload(body, **signing)

    def view_submission(
        self,
        user_id: str,
        view: Mapping[str, Any],
        values: Mapping[str, Any],
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """Submit a recorded view with ``values`` as its state.values (see ``fill_modal``)."""
        body = self._common("view_submission", user_id)
        body["trigger_id"] = self.stand_in.issue_trigger(user_id)
        body["view"] = payloads.submitted_view(view, values)
        body["response_urls"] = []
        response = self._send_payload(body, **signing)
        if self.apply_responses and response.status_code == 200:
            self.stand_in.workspace.answer_submission(
                user_id, view["id"], payloads.ack_body(response.text)
            )
        return response

    def submit_modal(
        self,
        user_id: str,
        view: Mapping[str, Any],
        answers: Mapping[str, Any],
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """``view_submission`` with ``fill_modal(view, answers)``."""
        return self.view_submission(user_id, view, fill_modal(view, answers), **signing)

    def view_closed(
        self, user_id: str, view: Mapping[str, Any], **signing: Unpack[Signing]
    ) -> httpx.Response:
        """The user closed a modal (Slack closes it at once; the app is told afterwards)."""
        self.stand_in.workspace.views.close(user_id, view["id"])
        body = self._common("view_closed", user_id)
        body["view"] = dict(view)
        body["is_cleared"] = False
        return self._send_payload(body, **signing)

    def block_suggestion(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        block_id: str | None = None,
        view: Mapping[str, Any] | None = None,
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """The options request an external_select sends as the user types ``value``."""
        found = payloads.find_element((view or {}).get("blocks", []), action_id)
        body = self._common("block_suggestion", user_id)
        body["action_id"] = action_id
        body["block_id"] = block_id or (found[0].get("block_id") if found else None) or ""
        body["value"] = value
        if view is not None:
            body["container"] = {"type": "view", "view_id": view.get("id")}
            body["view"] = dict(view)
        return self._send_payload(body, **signing)

    # -- Events API ----------------------------------------------------------------------
    def event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """An event_callback envelope around ``event``; ``retry_num`` marks a redelivery."""
        envelope = payloads.event_envelope(event, self.team_id, event_id)
        headers = {}
        if retry_num is not None:
            headers = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": retry_reason}
        return self.send(json.dumps(envelope), JSON, headers=headers, **signing)

    def app_home_opened(
        self, user_id: str, *, tab: str = "home", **signing: Unpack[Signing]
    ) -> httpx.Response:
        """The user opened the app's Home (or Messages) tab."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": dm_channel(user_id),
            "tab": tab,
            "event_ts": wall_ts(),
        }
        home = self.stand_in.home(user_id)
        if tab == "home" and home is not None:
            event["view"] = home
        return self.event(event, **signing)

    # -- sending -------------------------------------------------------------------------
    def send(
        self,
        body: str,
        content_type: str,
        *,
        headers: Mapping[str, str] | None = None,
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """POST a raw body to the app, signed as Slack signs it."""
        sent = {**signed_headers(self._secret, body, content_type, signing), **(headers or {})}
        return self._http.post(self.app_url, content=body.encode(), headers=sent)

    def send_bytes(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: Mapping[str, str] | None = None,
        **signing: Unpack[Signing],
    ) -> httpx.Response:
        """POST raw bytes (not necessarily UTF-8), signed as Slack signs a body."""
        sent = {**signed_headers(self._secret, body, content_type, signing), **(headers or {})}
        return self._http.post(self.app_url, content=body, headers=sent)

    def resend(
        self, request: httpx.Request, *, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Send an earlier request again byte for byte, signature and all: a replay.
        Its answer is not applied to the workspace."""
        kept = {
            k: v
            for k, v in request.headers.items()
            if k.lower().startswith("x-slack-") or k.lower() == "content-type"
        }
        return self._http.post(
            self.app_url, content=request.content, headers=kept | dict(headers or {})
        )

    # -- internals -----------------------------------------------------------------------
    def _shortcut(self, kind: str, callback_id: str) -> dict[str, Any]:
        """The fields both kinds of shortcut start with, as Slack sends them."""
        return {
            "type": kind,
            "token": PAYLOAD_TOKEN,
            "action_ts": wall_ts(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
        }

    def _common(self, kind: str, user_id: str) -> dict[str, Any]:
        user = payloads.user_ref(user_id, self._user_name(user_id), self.team_id)
        return payloads.common(kind, user, self.team_id, self.team_domain)

    def _message_context(
        self, user_id: str, message: Mapping[str, Any] | None, channel_id: str | None
    ) -> dict[str, Any]:
        channel = channel_id or (message or {}).get("channel") or "C0LAB"
        ts = (message or {}).get("ts") or wall_ts()
        ephemeral = self.stand_in.workspace.messages.is_ephemeral(channel, ts)
        context: dict[str, Any] = {
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "channel": {
                "id": channel,
                "name": self.stand_in.workspace.directory.channel_name(channel),
            },
            "response_url": self.stand_in.response_url(
                channel=channel,
                user=user_id,
                message_ts=ts if message is not None else None,
                ephemeral=ephemeral,
            ),
        }
        if message is not None and not ephemeral:
            context["message"] = payloads.slack_message(message)
        return context

    def _send_payload(
        self, payload: Mapping[str, Any], **signing: Unpack[Signing]
    ) -> httpx.Response:
        return self.send(urlencode({"payload": json.dumps(payload)}), FORM, **signing)

    def _user_name(self, user_id: str) -> str:
        try:
            return str(self.stand_in.workspace.directory.user(user_id)["name"])
        except SlackError:
            return user_id.lower()
