"""The invitation form: an admin creates an account and its person gets a link by DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.link_messages import render_invited
from bot.direct_messages import post_direct_message, send_link
from bot.forms import metadata, read_state
from bot.ids import BlockId, CallbackId
from bot.middleware import acting_team, actor_of
from bot.runtime import BotRuntime
from domain import linking

Payload = dict[str, Any]


def register(app: App, runtime: BotRuntime) -> None:
    @app.view(CallbackId.USER_ADD)
    def handle_user_add_submission(
        ack: Ack, body: Payload, view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        values, admin = read_state(view), body["user"]["id"]
        offer = linking.invite_user(
            runtime.ctx,
            actor=actor_of(context),
            team_id=acting_team(body, context) or "",
            slack_user_id=values.get(BlockId.SLACK_USER),
            username=values.get(BlockId.USERNAME) or "",
            email=values.get(BlockId.EMAIL) or "",
            first_name=values.get(BlockId.FIRST_NAME) or "",
            last_name=values.get(BlockId.LAST_NAME) or "",
            role=values.get(BlockId.ROLE) or "member",
            invited_by_slack_user_id=admin,
        )
        ack()  # closes the modal; reached only when the domain accepted the submission
        invitee = str(values[BlockId.SLACK_USER])
        send_link(runtime, client, invitee, offer)
        assert offer.user is not None
        answer = render_invited(invitee, offer.user, runtime.ctx.invite_token_hours)
        runtime.defer(_tell_admin, client, admin, metadata(view).get("channel"), answer)


def _tell_admin(
    client: WebClient, user_id: str, channel: str | None, answer: dict[str, Any]
) -> None:
    """Ephemeral where the admin started, else (or if the bot is not there) by DM."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, **answer)
            return
        except SlackApiError:
            pass  # e.g. the bot is not in that channel: the DM below says it instead
    post_direct_message(client, user_id, answer)
