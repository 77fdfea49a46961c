"""Account management for admins: the user list, an account's card, the invitation form."""

from __future__ import annotations

from typing import Any

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
    option,
    page_footer,
    section,
    within,
)
from bot.blocks.inputs import modal, select_input, text_input
from bot.blocks.link_messages import mention
from bot.blocks.text import MESSAGE_MAX_BLOCKS, TEXT_INPUT_MAX_LENGTH, escape
from bot.blocks.values import pack
from bot.ids import ActionId, BlockId, CallbackId
from domain.accounts import AccountView
from domain.results import Page, UserView

ROLES = (("member", "Member"), ("manager", "Manager"), ("admin", "Admin"))


def _status(user: UserView) -> str:
    if not user.is_active:
        return ":no_entry_sign: deactivated"
    return "active" if user.has_password else ":hourglass: invited (no password yet)"


def _slack(account: AccountView) -> str:
    return ", ".join(mention(s.slack_user_id) for s in account.slack) or "not linked"


def _line(account: AccountView) -> str:
    user = account.user
    return (
        f"*{lb.text(user.username, 100)}* {lb.text(user.full_name)}\n"
        f"{lb.text(user.role, 20)} · {_slack(account)} · {_status(user)}"
    )


def render_users_page(page: Page[AccountView], *, query: str | None = None) -> Message:
    """One section per account (with a View button), then Previous/Next."""
    title = f"Users matching “{query}”" if query else "Users"
    blocks: list[Block] = [header(title)]

    def item(account: AccountView) -> list[Block]:
        view = button("View", ActionId.ACCOUNT_VIEW, value={"id": account.user.id})
        return [section(_line(account), accessory=view)]

    items, shown = within((item(a) for a in page.items), MESSAGE_MAX_BLOCKS - 3)
    blocks += items
    blocks += page_footer(
        page,
        shown,
        next_id=ActionId.USERS_NEXT,
        previous_id=ActionId.USERS_PREVIOUS,
        state={"q": query or None},
        empty=section("No users."),
    )
    return message(f"{shown} users", blocks)


def _role_menu(user: UserView) -> dict[str, Any]:
    options = [option(text, pack({"id": user.id, "role": value})) for value, text in ROLES]
    menu: dict[str, Any] = {
        "type": "static_select",
        "action_id": ActionId.ACCOUNT_ROLE,
        "placeholder": {"type": "plain_text", "text": "Change role"},
        "options": options,
    }
    for (value, _), opt in zip(ROLES, options, strict=True):
        if value == user.role:
            menu["initial_option"] = opt
    return menu


def _card_buttons(account: AccountView) -> list[dict[str, Any]]:
    """Edit profile, the role menu, (De|Re)activate, Unlink Slack (when linked), Delete."""
    user = account.user
    value, name = {"id": user.id}, escape(user.username)
    edit = button("Edit profile", ActionId.ACCOUNT_EDIT, value=value)
    if user.is_active:
        toggle = button(
            "Deactivate",
            ActionId.ACCOUNT_DEACTIVATE,
            value=value,
            confirm=confirm(
                "Deactivate this account?",
                f"{name} can no longer sign in or act from Slack.",
                ok="Deactivate",
                style="danger",
            ),
        )
    else:
        toggle = button("Reactivate", ActionId.ACCOUNT_REACTIVATE, value=value)
    shown = [edit, _role_menu(user), toggle]
    if account.slack:
        unlink = confirm(
            "Unlink from Slack?", f"Every Slack user linked to {name} is unlinked.", ok="Unlink"
        )
        shown.append(
            button("Unlink Slack", ActionId.ACCOUNT_UNLINK_USER, value=value, confirm=unlink)
        )
    return [*shown, _delete_button(user)]


def _delete_button(user: UserView) -> dict[str, Any]:
    dialog = confirm(
        "Delete this account?",
        f"{escape(user.username)} is deleted for good; stock history keeps the moves "
        "without the name.",
        ok="Delete",
        style="danger",
    )
    return button(
        "Delete", ActionId.ACCOUNT_DELETE, value={"id": user.id}, style="danger", confirm=dialog
    )


def render_account_card(account: AccountView, *, notice: str | None = None) -> Message:
    """An account: profile, role, status, Slack links, and what an admin can do with it."""
    user = account.user
    fields = [
        f"*Name*\n{lb.text(user.full_name)}",
        f"*E-mail*\n{lb.text(user.email)}",
        f"*Role*\n{lb.text(user.role, 20)}",
        f"*Status*\n{_status(user)}",
        f"*Slack*\n{_slack(account)}",
        f"*Last sign-in*\n{lb.when(user.last_login) if user.last_login else 'never'}",
    ]
    for label, value in (
        ("Phone", user.phone),
        ("Department", user.department),
        ("Position", user.position),
    ):
        if value:
            fields.append(f"*{label}*\n{lb.text(value, 100)}")
    blocks: list[Block] = []
    if notice:
        blocks.append(section(f":white_check_mark: {escape(notice)}"))
    blocks += [header(f"User {user.username}"), section(fields=fields)]
    if user.notes:
        blocks.append(section(f"*Notes*\n{lb.paragraph(user.notes, 2000)}"))
    blocks.append(actions(_card_buttons(account), block_id=BlockId.ACCOUNT_ACTIONS))
    text = f"User {lb.text(user.username, 100)} ({lb.text(user.role, 20)})"
    return message(f"{escape(notice)} {text}" if notice else text, blocks)


def render_confirm_delete(account: AccountView) -> Message:
    """``user delete``: the account, and a Delete button that asks once more."""
    line = f":warning: Delete the account *{lb.text(account.user.username, 100)}*?"
    blocks = [
        section(line),
        section(_line(account)),
        actions([_delete_button(account.user)], block_id=BlockId.ACCOUNT_ACTIONS),
    ]
    return message(line, blocks)


def render_account_deleted(user: UserView) -> Message:
    line = f":wastebasket: Deleted the account *{lb.text(user.username, 100)}*."
    return message(line, [section(line)])


def user_add_modal(*, channel_id: str | None = None) -> dict[str, Any]:
    """Create an account and invite its Slack user to choose a password."""
    slack_user: Block = {
        "type": "input",
        "block_id": BlockId.SLACK_USER,
        "label": {"type": "plain_text", "text": "Slack user"},
        "element": {"type": "users_select", "action_id": ActionId.ACCOUNT_SLACK_USER},
        "hint": {"type": "plain_text", "text": "They get the invitation by direct message."},
    }
    blocks: list[Block] = [
        slack_user,
        text_input(
            BlockId.USERNAME,
            "Username",
            max_length=50,
            hint="3-50 letters, digits, '.', '_' or '-'.",
        ),
        text_input(BlockId.FIRST_NAME, "First name", max_length=50),
        text_input(BlockId.LAST_NAME, "Last name", max_length=50),
        text_input(BlockId.EMAIL, "E-mail", max_length=255),
        select_input(BlockId.ROLE, "Role", choices=ROLES, initial="member"),
    ]
    return modal(
        "Add a user",
        CallbackId.USER_ADD,
        blocks,
        submit="Invite",
        metadata={"channel": channel_id},
    )


def _profile_text(
    block_id: BlockId, label: str, current: str | None, max_length: int, *, optional: bool = True
) -> Block:
    return text_input(block_id, label, initial=current, max_length=max_length, optional=optional)


def user_edit_modal(user: UserView, *, channel_id: str | None = None) -> dict[str, Any]:
    """An admin edits a person's profile: names, e-mail, phone, department, position, notes."""
    blocks: list[Block] = [
        section(f"*{lb.text(user.username, 100)}* · {lb.text(user.role, 20)}"),
        _profile_text(BlockId.FIRST_NAME, "First name", user.first_name, 50, optional=False),
        _profile_text(BlockId.LAST_NAME, "Last name", user.last_name, 50, optional=False),
        _profile_text(BlockId.EMAIL, "E-mail", user.email, 255, optional=False),
        _profile_text(BlockId.PHONE, "Phone", user.phone, 20),
        _profile_text(BlockId.DEPARTMENT, "Department", user.department, 100),
        _profile_text(BlockId.POSITION, "Position", user.position, 100),
    ]
    if user.notes and len(user.notes) > TEXT_INPUT_MAX_LENGTH:
        blocks.append(context("The notes are too long to edit here; they are left as they are."))
    else:
        blocks.append(
            text_input(BlockId.NOTES, "Notes", initial=user.notes, multiline=True, optional=True)
        )
    return modal(
        "Edit profile",
        CallbackId.USER_EDIT,
        blocks,
        submit="Save",
        metadata={"id": user.id, "channel": channel_id},
    )
