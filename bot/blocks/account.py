"""The account: who you are, and how to get your Slack account linked."""

from __future__ import annotations

import re

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    actions,
    button,
    confirm,
    context,
    header,
    message,
    section,
)
from bot.ids import ActionId
from domain.permissions import PERMISSIONS, Role
from domain.results import UserView

_SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,31}")
_SLACK_TEAM = re.compile(r"[TE][A-Z0-9]{2,31}")


def please_link_blocks(command: str = "/farlab") -> list[Block]:
    """Why FarLab needs a linked account, and the Link my account button."""
    text = (
        ":wave: Your Slack account is not linked to a FarLab account yet, so FarLab "
        f"cannot tell who you are. Press *Link my account* (or type `{lb.text(command, 32)} "
        "link`) for a one-time link, sign in to FarLab there, and you are set. "
        "No FarLab account? Ask a FarLab admin."
    )
    return [
        section(text),
        actions([button("Link my account", ActionId.ACCOUNT_LINK, style="primary")]),
    ]


def deactivated_blocks() -> list[Block]:
    return [
        section(
            ":no_entry_sign: Your FarLab account is deactivated, so FarLab cannot act for you. "
            "Ask a FarLab admin if this is a mistake."
        )
    ]


def render_please_link(command: str = "/farlab") -> Message:
    """The short ephemeral an unlinked user gets instead of an answer."""
    return message("Link your Slack account to FarLab first.", please_link_blocks(command))


def render_link_offer(url: str, minutes: int) -> Message:
    """The one-time link page, valid for ``minutes`` and usable once."""
    text = (
        f":link: Open this link within {minutes} minutes and sign in to link your Slack "
        "account to FarLab. It works once; do not share it."
    )
    link = button("Open link page", ActionId.ACCOUNT_LINK_OPEN, url=url, style="primary")
    return message(text, [section(text), actions([link])])


def _role_can(role: str) -> str:
    try:
        allowed = PERMISSIONS[Role(role)]
    except ValueError:
        return ""
    names = sorted(action.value for action in allowed)
    return f"As *{lb.text(role, 20)}* you may: {', '.join(names)}."


def _slack_ref(team_id: str | None, slack_user_id: str | None) -> str:
    """``Slack: <@U123> (team T1)`` for well-formed Slack ids; nothing otherwise."""
    if not slack_user_id or not _SLACK_USER.fullmatch(slack_user_id):
        return ""
    team = f" (team {team_id})" if team_id and _SLACK_TEAM.fullmatch(team_id) else ""
    return f"Linked Slack user: <@{slack_user_id}>{team}"


def render_whoami(
    user: UserView, *, team_id: str | None = None, slack_user_id: str | None = None
) -> Message:
    """The linked account: name, username, e-mail, role and what the role may do."""
    fields = [
        f"*Name*\n{lb.text(user.full_name)}",
        f"*Username*\n{lb.text(user.username, 100)}",
        f"*E-mail*\n{lb.text(user.email)}",
        f"*Role*\n{lb.text(user.role, 20)}",
    ]
    if user.department:
        fields.append(f"*Department*\n{lb.text(user.department)}")
    if user.position:
        fields.append(f"*Position*\n{lb.text(user.position)}")
    blocks: list[Block] = [header(f"You are {user.username}"), section(fields=fields)]
    can = _role_can(user.role)
    if can:
        blocks.append(context(can))
    slack = _slack_ref(team_id, slack_user_id)
    if slack:
        blocks.append(context(slack))
    if not user.is_active:
        blocks.append(context(":no_entry_sign: This account is deactivated."))
    dialog = confirm(
        "Unlink your account?",
        "FarLab will no longer know who you are in Slack until you link again.",
        ok="Unlink",
        style="danger",
    )
    blocks.append(actions([button("Unlink", ActionId.ACCOUNT_UNLINK, confirm=dialog)]))
    text = f"You are {lb.text(user.username, 100)} ({lb.text(user.role, 20)})"
    return message(text, blocks)
