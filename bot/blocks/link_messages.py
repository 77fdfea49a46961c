"""Direct messages with signed links, and the notices around them.

A link's URL (with its token) is put only in the DM builders here, for the person it is
for; the notices for everyone else never carry it.
"""

from __future__ import annotations

import re

from bot.blocks import labels as lb
from bot.blocks.elements import Message, actions, button, context, message, section
from bot.ids import ActionId
from domain.results import UserView

_SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,31}")


def mention(slack_user_id: str | None) -> str:
    """``<@U123>`` for a well-formed Slack user id; ``someone`` otherwise."""
    if slack_user_id and _SLACK_USER.fullmatch(slack_user_id):
        return f"<@{slack_user_id}>"
    return "someone"


def _account(user: UserView) -> str:
    return f"*{lb.text(user.username, 100)}* ({lb.text(user.role, 20)})"


def _offer(text: str, label: str, url: str) -> Message:
    link = button(label, ActionId.ACCOUNT_LINK_OPEN, url=url, style="primary")
    note = "The link works once. Do not share it: it is for you alone."
    return message(text, [section(text), actions([link]), context(note)])


def render_invitation(url: str, user: UserView, hours: int) -> Message:
    """The DM inviting a person to choose a password for their new account."""
    text = (
        f":wave: You are invited to FarLab as {_account(user)}. Choose a password within "
        f"{hours} hours; your Slack account is linked to FarLab at the same time."
    )
    return _offer(text, "Choose a password", url)


def render_confirm_request(url: str, user: UserView, hours: int) -> Message:
    """The DM asking a person to confirm an account an admin linked them to."""
    text = (
        f":link: A FarLab admin asked to link your Slack account to the FarLab account "
        f"{_account(user)}. If it is yours, confirm with its password within {hours} hours; "
        "if it is not, ignore this message."
    )
    return _offer(text, "Confirm with my password", url)


def render_password_offer(url: str, minutes: int) -> Message:
    text = (
        f":key: Open this link within {minutes} minutes to choose a new password for your "
        "FarLab account."
    )
    return _offer(text, "Choose a new password", url)


def render_dm_sent(what: str) -> Message:
    """The answer in the channel: the link itself went by DM."""
    line = f":incoming_envelope: I sent you a direct message with {what}."
    return message(line, [section(line)])


def render_dm_sending(what: str) -> Message:
    """The answer when the DM was still under way (a slow Slack)."""
    line = (
        f":incoming_envelope: I am sending you a direct message with {what}; "
        "if it cannot be sent, I will say so here."
    )
    return message(line, [section(line)])


def render_dm_not_sent(what: str, problem: str, again: str) -> Message:
    """The answer (or the follow-up) when the DM with the link could not be sent."""
    line = (
        f":warning: I could not send you a direct message with {what}: "
        f"{lb.text(problem, 200)}. Try `{again}` again in a minute; if it keeps failing, "
        "ask a FarLab admin."
    )
    return message(line, [section(line)])


def render_dm_uncertain(what: str, again: str) -> Message:
    """The answer (or the follow-up) when Slack's answer to the DM was lost: it may have
    arrived."""
    line = (
        f":grey_question: Slack did not answer in time, so I cannot tell whether my direct "
        f"message with {what} reached you. Look in your direct messages from FarLab; if it "
        f"is not there, try `{again}` again."
    )
    return message(line, [section(line)])


def render_linked(user: UserView) -> Message:
    """The DM after a completed link."""
    line = f"You are now linked as {lb.text(user.username, 100)} ({lb.text(user.role, 20)})"
    blocks = [
        section(f":white_check_mark: {line}."),
        context("Try `/farlab help`, or open FarLab's Home tab."),
    ]
    return message(line, blocks)


def render_password_changed(user: UserView) -> Message:
    line = (
        f":key: The password of your FarLab account *{lb.text(user.username, 100)}* was "
        "changed. If that was not you, tell a FarLab admin at once."
    )
    return message(line, [section(line)])


def render_link_confirmed(slack_user_id: str, user: UserView) -> Message:
    """The DM to the admin who asked for a link, once its person confirmed it."""
    line = (
        f":white_check_mark: {mention(slack_user_id)} confirmed and is now linked to "
        f"{_account(user)}."
    )
    return message(line, [section(line)])


def render_link_sent(slack_user_id: str, user: UserView, *, invitation: bool) -> Message:
    """The admin's answer after asking someone to link an account."""
    who, account = mention(slack_user_id), _account(user)
    if invitation:
        line = (
            f":incoming_envelope: {account} has no password yet, so I sent {who} an "
            "invitation to choose one; they are linked when they do."
        )
    else:
        line = (
            f":incoming_envelope: I asked {who} to confirm {account} with its password; "
            "I will tell you when they do."
        )
    return message(line, [section(line)])


def _what_was_asked(slack_user_id: str, user: UserView, *, invitation: bool) -> str:
    if invitation:
        return f"{mention(slack_user_id)} an invitation to choose a password for {_account(user)}"
    return f"{mention(slack_user_id)} a request to confirm {_account(user)}"


def render_link_sending(slack_user_id: str, user: UserView, *, invitation: bool) -> Message:
    """The admin's answer when the DM to the person was still under way."""
    what = _what_was_asked(slack_user_id, user, invitation=invitation)
    line = f":incoming_envelope: I am sending {what}; if it cannot be sent, I will say so here."
    return message(line, [section(line)])


def render_link_not_sent(
    slack_user_id: str, user: UserView, problem: str, *, invitation: bool, created: bool = False
) -> Message:
    """The admin's answer (or follow-up) when the DM to the person could not be sent."""
    what = _what_was_asked(slack_user_id, user, invitation=invitation)
    done = f"Created {_account(user)}, but I" if created else "I"
    line = (
        f":warning: {done} could not send {what}: {lb.text(problem, 200)}. Try "
        f"`/farlab user link` {mention(slack_user_id)} `{lb.text(user.username, 100)}` "
        "again in a minute."
    )
    return message(line, [section(line)])


def render_link_uncertain(
    slack_user_id: str, user: UserView, *, invitation: bool, created: bool = False
) -> Message:
    """The admin's answer (or follow-up) when Slack's answer to the DM was lost."""
    what = _what_was_asked(slack_user_id, user, invitation=invitation)
    done = f"Created {_account(user)}, but Slack" if created else "Slack"
    line = (
        f":grey_question: {done} did not answer in time, so I cannot tell whether {what} "
        f"reached them. Ask {mention(slack_user_id)} to look in their direct messages from "
        f"FarLab; if it is not there, try `/farlab user link` {mention(slack_user_id)} "
        f"`{lb.text(user.username, 100)}` again."
    )
    return message(line, [section(line)])


def render_invited(slack_user_id: str, user: UserView, hours: int) -> Message:
    """The admin's confirmation after creating an account with an invitation."""
    line = (
        f":white_check_mark: Created {_account(user)} and sent {mention(slack_user_id)} an "
        f"invitation to choose a password (valid {hours} hours)."
    )
    return message(line, [section(line)])


def render_unlinked_self() -> Message:
    line = (
        ":wave: Your Slack account is no longer linked to FarLab. "
        "Run `/farlab link` to link it again."
    )
    return message(line, [section(line)])
