"""Direct messages from the bot, and the URLs of the link pages they carry."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from slack_sdk import WebClient

from bot.blocks.account import render_link_offer
from bot.blocks.link_messages import (
    render_confirm_request,
    render_invitation,
    render_password_offer,
)
from bot.runtime import BotRuntime
from domain.linking import LinkOffer


def page_url(runtime: BotRuntime, purpose: str, token: str) -> str:
    """``FARLAB_PUBLIC_URL/<purpose>?token=...``: the page that completes a link."""
    return f"{runtime.public_url.rstrip('/')}/{purpose}?{urlencode({'token': token})}"


def post_direct_message(client: WebClient, user_id: str, message: dict[str, Any]) -> None:
    """Open the app's DM with a person and post there (conversations.open, then post)."""
    opened = client.conversations_open(users=user_id)
    client.chat_postMessage(channel=opened["channel"]["id"], **message)


def send_direct_message(
    runtime: BotRuntime, client: WebClient, user_id: str, message: dict[str, Any]
) -> None:
    """Post a DM after the answer (a slow Slack holds up nothing)."""
    runtime.defer(post_direct_message, client, user_id, message)


def send_link(runtime: BotRuntime, client: WebClient, slack_user_id: str, offer: LinkOffer) -> None:
    """DM a signed link to the one Slack user it is for (the only place its token goes)."""
    ctx, url = runtime.ctx, page_url(runtime, offer.purpose, offer.token)
    if offer.purpose == "link":
        message = render_link_offer(url, ctx.link_token_minutes)
    elif offer.purpose == "password":
        message = render_password_offer(url, ctx.link_token_minutes)
    elif offer.purpose == "invite" and offer.user is not None:
        message = render_invitation(url, offer.user, ctx.invite_token_hours)
    elif offer.purpose == "confirm-link" and offer.user is not None:
        message = render_confirm_request(url, offer.user, ctx.invite_token_hours)
    else:
        raise ValueError(f"no message for a {offer.purpose!r} link")
    send_direct_message(runtime, client, slack_user_id, message)
