"""``/farlab shopping-list``: what to buy, by supplier (everyone who can view)."""

from __future__ import annotations

from bot.blocks.shopping import LINES_SHOWN, render_shopping_list
from bot.commands.base import Command, CommandRequest, Message
from domain import shopping_list
from domain.errors import InvalidInput
from domain.permissions import Action, can

USAGE = "shopping-list"


def handle_shopping_list_command(req: CommandRequest, args: list[str]) -> Message:
    if args:
        raise InvalidInput(f"Usage: /farlab {USAGE}")
    actor = req.actor
    found = shopping_list.shopping_list(req.ctx, actor=actor, lines_per_group=LINES_SHOWN)
    return render_shopping_list(found, can_request=can(actor, Action.REQUEST_REORDER))


COMMANDS = (Command("shopping-list", handle_shopping_list_command),)
