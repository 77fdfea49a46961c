"""Direct messages from the bot, and the URLs of the link pages they carry.

A link goes only by DM, and the answer in the channel says what became of that DM, never
more: the answer waits for it up to ``DM_WAIT_SECONDS`` (Slack wants the answer within
3 s). Sent: it says so. Refused (no DM channel, rate limit, Slack error): it says so, and
why. Slack's answer to the post lost (a timeout, a dropped connection): it says it cannot
tell whether the DM arrived. Still under way (a slow or rate-limited Slack): it says the DM
is on its way, and a follow-up through the request's ``response_url`` says what became of
it if it then fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from enum import Enum
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.account import render_link_offer
from bot.blocks.link_messages import (
    render_confirm_request,
    render_invitation,
    render_password_offer,
)
from bot.runtime import BotRuntime
from domain.linking import LinkOffer

log = logging.getLogger("farlab.bot")

# Leaves the answer ~1 s of Slack's 3 s for the rest of the request.
DM_WAIT_SECONDS = 2.0
# Slack's answers when a DM with that person cannot be opened or posted to.
_NO_DM = frozenset(
    {"channel_not_found", "user_not_found", "cannot_dm_bot", "user_disabled", "not_in_channel"}
)


class DmState(Enum):
    SENT = "sent"
    FAILED = "failed"
    SENDING = "sending"  # still under way when the answer was due
    # Slack's answer to the post was lost (a timeout, a dropped connection): it may have
    # arrived, so neither "sent" nor "not sent" would be true.
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class DmOutcome:
    state: DmState
    problem: str = ""  # why it failed, in words for the person


def page_url(runtime: BotRuntime, purpose: str, token: str) -> str:
    """``FARLAB_PUBLIC_URL/<purpose>?token=...``: the page that completes a link."""
    return f"{runtime.public_url.rstrip('/')}/{purpose}?{urlencode({'token': token})}"


def post_direct_message(client: WebClient, user_id: str, message: dict[str, Any]) -> None:
    """Open the app's DM with a person and post there (conversations.open, then post)."""
    opened = client.conversations_open(users=user_id)
    client.chat_postMessage(channel=opened["channel"]["id"], **message)


def why_not_sent(error: BaseException) -> str:
    """What kept a DM from being sent, for the person who asked for it."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
        if code in _NO_DM:
            return "Slack would not open a direct message with that person"
        if error.response.status_code == 429 or code == "ratelimited":
            return "Slack asked FarLab to slow down"
        if error.response.status_code >= 500:
            return "Slack had a problem on its side"
        return f"Slack refused it ({code or error.response.status_code})"
    return "FarLab could not reach Slack"


def link_message(runtime: BotRuntime, offer: LinkOffer) -> dict[str, Any]:
    """The DM that carries a signed link (the only place its token goes)."""
    ctx, url = runtime.ctx, page_url(runtime, offer.purpose, offer.token)
    if offer.purpose == "link":
        return render_link_offer(url, ctx.link_token_minutes)
    if offer.purpose == "password":
        return render_password_offer(url, ctx.link_token_minutes)
    if offer.purpose == "invite" and offer.user is not None:
        return render_invitation(url, offer.user, ctx.invite_token_hours)
    if offer.purpose == "confirm-link" and offer.user is not None:
        return render_confirm_request(url, offer.user, ctx.invite_token_hours)
    raise ValueError(f"no message for a {offer.purpose!r} link")


def deliver_link(
    runtime: BotRuntime, client: WebClient, slack_user_id: str, offer: LinkOffer
) -> DmOutcome:
    """DM a signed link to the one Slack user it is for, now, in this thread."""
    return _deliver(client, slack_user_id, link_message(runtime, offer))


def send_link(
    runtime: BotRuntime,
    client: WebClient,
    slack_user_id: str,
    offer: LinkOffer,
    *,
    if_late_fails: Callable[[DmOutcome], None] | None = None,
    wait: float = DM_WAIT_SECONDS,
) -> DmOutcome:
    """DM a signed link to the one Slack user it is for; what became of it by ``wait``.

    If it is still under way then, ``if_late_fails(outcome)`` runs should it fail later (or
    should Slack's answer be lost).
    """
    message = link_message(runtime, offer)
    future: Future[DmOutcome] = runtime.run_in_pool(_deliver, client, slack_user_id, message)
    try:
        return future.result(timeout=wait)
    except TimeoutError:
        future.add_done_callback(_report_late(if_late_fails))
        return DmOutcome(DmState.SENDING)


def _deliver(client: WebClient, slack_user_id: str, message: dict[str, Any]) -> DmOutcome:
    posting = False
    try:
        opened = client.conversations_open(users=slack_user_id)
        posting = True
        client.chat_postMessage(channel=opened["channel"]["id"], **message)
    except Exception as error:  # Slack's refusal or a network error: told, not raised
        if posting and _answer_lost(error):
            log.warning("direct message to %s: no answer from Slack (%s)", slack_user_id, error)
            return DmOutcome(DmState.UNCERTAIN, "Slack did not answer in time")
        log.warning("direct message to %s not sent: %s", slack_user_id, _describe(error))
        return DmOutcome(DmState.FAILED, why_not_sent(error))
    return DmOutcome(DmState.SENT)


def _answer_lost(error: BaseException) -> bool:
    """A post sent whose answer never came: a timeout or a connection dropped mid-way (not
    one refused or never made, which sent nothing)."""
    reason = error.reason if isinstance(error, URLError) else error
    return isinstance(reason, TimeoutError | RemoteDisconnected | ConnectionResetError)


def answer_later(response_url: str, message: dict[str, Any]) -> None:
    """Post an ephemeral follow-up to the person through a request's ``response_url``."""
    if not response_url:
        log.warning("no response_url to say that a direct message failed")
        return
    from slack_sdk.webhook import WebhookClient

    WebhookClient(response_url).send(
        text=message["text"],
        blocks=message.get("blocks"),
        response_type="ephemeral",
        replace_original=False,
    )


def _report_late(
    if_late_fails: Callable[[DmOutcome], None] | None,
) -> Callable[[Future[DmOutcome]], None]:
    def report(future: Future[DmOutcome]) -> None:
        outcome = future.result()
        if outcome.state in (DmState.FAILED, DmState.UNCERTAIN) and if_late_fails is not None:
            try:
                if_late_fails(outcome)
            except Exception as failure:  # nothing more can be done; the log says so
                log.warning("could not say that a direct message failed: %s", failure)

    return report


def _describe(error: BaseException) -> str:
    if isinstance(error, SlackApiError):
        return f"{error.response.status_code} {error.response.get('error')}"
    return type(error).__name__
