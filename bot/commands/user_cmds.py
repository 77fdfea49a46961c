"""Account commands: link, unlink, password for everyone; users and user for admins.

Every signed link goes by DM to the one Slack user it is for; the answer in the channel
only says what became of that DM: sent, not sent and why, or on its way (and then a
follow-up if it fails).
"""

from __future__ import annotations

from bot import blocks
from bot.blocks.link_messages import (
    render_dm_not_sent,
    render_dm_sending,
    render_dm_sent,
    render_dm_uncertain,
    render_link_not_sent,
    render_link_sending,
    render_link_sent,
    render_link_uncertain,
    render_unlinked_self,
)
from bot.blocks.users import (
    render_account_card,
    render_confirm_delete,
    render_users_page,
    user_add_modal,
    user_edit_modal,
)
from bot.commands.base import Command, CommandRequest, Message
from bot.commands.parse import mention_id
from bot.direct_messages import DmOutcome, DmState, answer_later, send_link
from bot.middleware import Deactivated
from domain import accounts, identities, linking
from domain.errors import InvalidInput
from domain.linking import LinkOffer
from domain.permissions import Action, require

PAGE = 10
USER_USAGE = (
    "user <username> | user add | user edit <username> | user link @someone <username> | "
    "user role <username> admin|manager|member | "
    "user deactivate|reactivate|unlink|signout|delete <username>"
)
LINK_USAGE = "/farlab user link @someone <username>"


def handle_link_command(req: CommandRequest, _args: list[str]) -> Message:
    """Anyone not linked yet (the only command that needs no account)."""
    if req.context.get("deactivated"):
        raise Deactivated()
    offer = linking.start_self_link(req.ctx, team_id=req.team_id, slack_user_id=req.user_id)
    minutes = req.ctx.link_token_minutes
    what = f"a one-time link to sign in with (valid {minutes} minutes)"
    return _send_own_link(req, offer, what, again="/farlab link")


def handle_unlink_command(req: CommandRequest, _args: list[str]) -> Message:
    identities.unlink_identity(
        req.ctx, actor=req.actor, team_id=req.team_id, slack_user_id=req.user_id
    )
    home = blocks.render_home(None)
    req.runtime.defer(req.client.views_publish, user_id=req.user_id, view=home)
    return render_unlinked_self()


def handle_password_command(req: CommandRequest, _args: list[str]) -> Message:
    offer = linking.start_password_change(
        req.ctx, actor=req.actor, team_id=req.team_id, slack_user_id=req.user_id
    )
    minutes = req.ctx.link_token_minutes
    what = f"a one-time link to choose a new password (valid {minutes} minutes)"
    return _send_own_link(req, offer, what, again="/farlab password")


def _send_own_link(req: CommandRequest, offer: LinkOffer, what: str, *, again: str) -> Message:
    """DM the person their link; the answer says what became of the DM."""

    def said(outcome: DmOutcome) -> Message:
        if outcome.state is DmState.UNCERTAIN:
            return render_dm_uncertain(what, again)
        return render_dm_not_sent(what, outcome.problem, again)

    def late(outcome: DmOutcome) -> None:
        answer_later(req.response_url, said(outcome))

    outcome = send_link(req.runtime, req.client, req.user_id, offer, if_late_fails=late)
    if outcome.state is DmState.SENT:
        return render_dm_sent(what)
    if outcome.state is DmState.SENDING:
        return render_dm_sending(what)
    return said(outcome)


def handle_users_command(req: CommandRequest, args: list[str]) -> Message:
    query = " ".join(args).strip() or None
    page = accounts.list_accounts(req.ctx, actor=req.actor, query=query, limit=PAGE)
    return render_users_page(page, query=query)


def handle_user_command(req: CommandRequest, args: list[str]) -> Message | None:
    verb, rest = (args[0].lower(), args[1:]) if args else ("", [])
    if verb == "add" and not rest:
        require(req.actor, Action.MANAGE_USERS)  # refuse before the form, not after it
        req.open_modal(user_add_modal(channel_id=req.channel_id))
        return None
    if verb == "edit" and len(rest) == 1:
        found = accounts.get_account(req.ctx, actor=req.actor, username=rest[0])
        req.open_modal(user_edit_modal(found.user, channel_id=req.channel_id))
        return None
    if verb == "link":
        return _request_link(req, rest)
    if verb == "role" and len(rest) == 2:
        found = accounts.change_role(
            req.ctx, actor=req.actor, username=rest[0], role=rest[1].lower()
        )
        return render_account_card(found, notice=f"{found.user.username} is now {found.user.role}.")
    if verb in ("deactivate", "reactivate") and len(rest) == 1:
        found = accounts.set_active(
            req.ctx, actor=req.actor, username=rest[0], active=verb == "reactivate"
        )
        return render_account_card(found, notice=f"{verb.capitalize()}d {found.user.username}.")
    if verb == "unlink" and len(rest) == 1:
        found = accounts.unlink_account(req.ctx, actor=req.actor, username=rest[0])
        return render_account_card(found, notice=f"Unlinked {found.user.username} from Slack.")
    if verb == "signout" and len(rest) == 1:
        found = accounts.sign_out_everywhere(req.ctx, actor=req.actor, username=rest[0])
        notice = (
            f"Signed {found.user.username} out everywhere: their tokens and links no longer work."
        )
        return render_account_card(found, notice=notice)
    if verb == "delete" and len(rest) == 1:
        return render_confirm_delete(
            accounts.get_account(req.ctx, actor=req.actor, username=rest[0])
        )
    if len(args) == 1:
        return render_account_card(accounts.get_account(req.ctx, actor=req.actor, username=args[0]))
    raise InvalidInput(f"Usage: /farlab {USER_USAGE}")


def _request_link(req: CommandRequest, rest: list[str]) -> Message:
    if len(rest) != 2:
        raise InvalidInput(f"Usage: {LINK_USAGE}")
    slack_user_id = mention_id(rest[0], "@")
    if slack_user_id is None:
        raise InvalidInput(f"Name the person with an @-mention. Usage: {LINK_USAGE}")
    offer = linking.request_link(
        req.ctx,
        actor=req.actor,
        team_id=req.team_id,
        slack_user_id=slack_user_id,
        username=rest[1],
        requested_by_slack_user_id=req.user_id,
    )
    user, invitation = offer.user, offer.purpose == "invite"
    assert user is not None

    def said(outcome: DmOutcome) -> Message:
        if outcome.state is DmState.UNCERTAIN:
            return render_link_uncertain(slack_user_id, user, invitation=invitation)
        return render_link_not_sent(slack_user_id, user, outcome.problem, invitation=invitation)

    def late(outcome: DmOutcome) -> None:
        answer_later(req.response_url, said(outcome))

    outcome = send_link(req.runtime, req.client, slack_user_id, offer, if_late_fails=late)
    if outcome.state is DmState.SENT:
        return render_link_sent(slack_user_id, user, invitation=invitation)
    if outcome.state is DmState.SENDING:
        return render_link_sending(slack_user_id, user, invitation=invitation)
    return said(outcome)


COMMANDS = (
    Command("link", handle_link_command, needs_account=False),
    Command("unlink", handle_unlink_command),
    Command("password", handle_password_command),
    Command("users", handle_users_command),
    Command("user", handle_user_command),
)
