"""What Slack is told after a link page completed a link (the pages' ``notify``).

The person gets a DM ("You are now linked as ...") and a fresh Home tab; the admin who
asked for the link or sent the invitation is told it was completed. A password change is
confirmed to its person.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.blocks.link_messages import render_link_confirmed, render_linked, render_password_changed
from bot.direct_messages import post_direct_message
from bot.home import build_home
from bot.runtime import BotRuntime
from domain import identities
from domain.linking import LinkOutcome


def link_notifier(runtime: BotRuntime, client: WebClient) -> Callable[[LinkOutcome], None]:
    """The callback the link pages call; the Slack calls run after the page has answered."""

    def notify(outcome: LinkOutcome) -> None:
        runtime.defer(tell_about_link, runtime, client, outcome)

    return notify


def tell_about_link(runtime: BotRuntime, client: WebClient, outcome: LinkOutcome) -> None:
    person = outcome.slack_user_id
    if outcome.purpose == "password":
        post_direct_message(client, person, render_password_changed(outcome.user))
        return
    post_direct_message(client, person, render_linked(outcome.user))
    actor = identities.resolve_actor(runtime.ctx, team_id=outcome.team_id, slack_user_id=person)
    client.views_publish(user_id=person, view=build_home(runtime, {"actor": actor}))
    admin = outcome.requested_by_slack_user_id
    if admin and admin != person:
        post_direct_message(client, admin, render_link_confirmed(person, outcome.user))
