"""The ``/farlab`` command table: "did you mean", and dispatch to one handler.

What each command does is told by ``/farlab help`` (``bot.blocks.help``), line by line with
the action each line needs; a test keeps the two tables naming the same commands.
"""

from __future__ import annotations

from bot import blocks
from bot.commands import (
    account_cmds,
    alert_cmds,
    insight_cmds,
    instrument_cmds,
    order_cmds,
    shopping_cmds,
    stock_parts,
    user_cmds,
)
from bot.commands.base import Command, CommandRequest, Message
from bot.commands.lookup import NeedsPick
from bot.commands.parse import suggest, words
from bot.commands.table_cmds import COMMANDS as TABLE_COMMANDS
from domain.errors import InvalidInput

COMMANDS: tuple[Command, ...] = (
    Command("parts", stock_parts.handle_parts_command),
    Command("part", stock_parts.handle_part_command),
    Command("use", stock_parts.handle_use_command),
    Command("restock", stock_parts.handle_restock_command),
    Command("count", stock_parts.handle_count_command),
    Command("history", stock_parts.handle_history_command),
    Command("instruments", instrument_cmds.handle_instruments_command),
    Command("instrument", instrument_cmds.handle_instrument_command),
    Command("alerts", alert_cmds.handle_alerts_command),
    Command("alert", alert_cmds.handle_alert_command),
    Command("whoami", account_cmds.handle_whoami_command),
    *order_cmds.COMMANDS,
    *user_cmds.COMMANDS,
    *TABLE_COMMANDS,
    *shopping_cmds.COMMANDS,
    *insight_cmds.COMMANDS,
)
BY_NAME = {command.name: command for command in COMMANDS}


def dispatch(req: CommandRequest, text: str) -> Message | None:
    """Run the command in ``text``; the answer is an ephemeral message, or None (a modal)."""
    args = words(text)
    if not args or args[0].lower() in ("help", "?"):
        actor = req.linked_actor
        return blocks.render_help(role=actor.role if actor else None)
    name = args[0].lower()
    command = BY_NAME.get(name)
    if command is None:
        guess = suggest(name, list(BY_NAME))
        hint = f" Did you mean `{guess}`?" if guess else ""
        raise InvalidInput(f"Unknown command `{name[:40]}`.{hint} Try `/farlab help`.")
    try:
        return command.handler(req, args[1:])
    except NeedsPick as pick:
        return blocks.render_pick_list(pick.message, pick.choices)
