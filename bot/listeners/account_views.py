"""The admins' account forms: an invitation (an account is created and its person gets a
link by DM), and the edit of a person's profile."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import packed_id
from bot.blocks.link_messages import (
    render_invited,
    render_link_not_sent,
    render_link_uncertain,
)
from bot.blocks.users import render_account_card
from bot.direct_messages import DmState, deliver_link, post_direct_message
from bot.forms import metadata, read_state
from bot.ids import BlockId, CallbackId
from bot.listeners.registry import Listeners
from bot.middleware import acting_team, actor_of
from bot.runtime import BotRuntime
from domain import accounts, linking
from domain.errors import InvalidInput
from domain.linking import LinkOffer

Payload = dict[str, Any]
listeners = Listeners()
PROFILE_FIELDS = (
    BlockId.FIRST_NAME,
    BlockId.LAST_NAME,
    BlockId.EMAIL,
    BlockId.PHONE,
    BlockId.DEPARTMENT,
    BlockId.POSITION,
    BlockId.NOTES,
)


@listeners.view(CallbackId.USER_ADD)
def handle_user_add_submission(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
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
    channel = metadata(view).get("channel")
    runtime.defer(_invite, runtime, client, invitee, offer, admin, channel)


@listeners.view(CallbackId.USER_EDIT)
def handle_user_edit_submission(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    values, meta = read_state(view), metadata(view)
    user_id = packed_id(meta.get("id"))
    if user_id is None:
        raise InvalidInput("This form is out of date; open it again from the person's card.")
    changes = {field.value: values.get(field) for field in PROFILE_FIELDS if field in values}
    found = accounts.edit_profile(runtime.ctx, actor=actor_of(context), user_id=user_id, **changes)
    ack()  # closes the modal; reached only when the domain accepted the submission
    answer = render_account_card(found, notice=f"Saved the profile of {found.user.username}.")
    runtime.defer(_tell_admin, client, body["user"]["id"], meta.get("channel"), answer)


def _invite(
    runtime: BotRuntime,
    client: WebClient,
    invitee: str,
    offer: LinkOffer,
    admin: str,
    channel: str | None,
) -> None:
    """Send the invitation, then tell the admin whether it went (after the modal closed)."""
    user = offer.user
    assert user is not None
    outcome = deliver_link(runtime, client, invitee, offer)
    if outcome.state is DmState.SENT:
        answer = render_invited(invitee, user, runtime.ctx.invite_token_hours)
    elif outcome.state is DmState.UNCERTAIN:
        answer = render_link_uncertain(invitee, user, invitation=True, created=True)
    else:
        answer = render_link_not_sent(invitee, user, outcome.problem, invitation=True, created=True)
    _tell_admin(client, admin, channel, answer)


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
