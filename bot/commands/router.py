"""The ``/farlab`` command table: help, "did you mean", and dispatch to one handler."""

from __future__ import annotations

from bot import blocks
from bot.commands import account_cmds, alert_cmds, instrument_cmds, stock_parts, user_cmds
from bot.commands.base import Command, CommandRequest, Message
from bot.commands.lookup import NeedsPick
from bot.commands.parse import suggest, words
from bot.commands.table_cmds import COMMANDS as TABLE_COMMANDS
from domain.errors import InvalidInput

COMMANDS: tuple[Command, ...] = (
    Command(
        "parts",
        "Parts and stock",
        "parts [words...] | parts low | parts out",
        "List parts, or find those whose number, name, category or maker hold every word "
        "(any order and case; a word of one or two letters starts a word); `low`: parts at "
        "or below their minimum, `out`: out of stock, most urgent first.",
        stock_parts.handle_parts_command,
        ("/farlab parts filament rhenium", "/farlab parts low"),
    ),
    Command(
        "part",
        "Parts and stock",
        "part <part> | part add | part edit <part> | part delete <part>",
        "Show a part's card, or add, edit or delete a part.",
        stock_parts.handle_part_command,
        ("/farlab part FIL-1002", "/farlab part add"),
    ),
    Command(
        "use",
        "Parts and stock",
        "use <part> <qty> [for <instrument>] [reason...]",
        "Take parts from stock.",
        stock_parts.handle_use_command,
        ("/farlab use FIL-1002 2 for MAT253 source change",),
    ),
    Command(
        "restock",
        "Parts and stock",
        "restock <part> <qty> [reason...]",
        "Add parts to stock.",
        stock_parts.handle_restock_command,
        ("/farlab restock FIL-1002 10 order 4711",),
    ),
    Command(
        "count",
        "Parts and stock",
        "count <part> <qty>",
        "Record a stock count (sets the quantity).",
        stock_parts.handle_count_command,
        ("/farlab count FIL-1002 7",),
    ),
    Command(
        "history",
        "Parts and stock",
        "history <part>",
        "A part's stock movements.",
        stock_parts.handle_history_command,
        ("/farlab history FIL-1002",),
    ),
    Command(
        "instruments",
        "Instruments",
        "instruments",
        "List instruments and their status.",
        instrument_cmds.handle_instruments_command,
        ("/farlab instruments",),
    ),
    Command(
        "instrument",
        "Instruments",
        instrument_cmds.USAGE.removeprefix("/farlab "),
        "Show an instrument and the parts it needs; add, edit, set status, link parts.",
        instrument_cmds.handle_instrument_command,
        (
            "/farlab instrument MAT253",
            "/farlab instrument status Kiel IV maintenance new valve",
            "/farlab instrument link MAT253 FIL-1002 2 critical",
        ),
    ),
    Command(
        "alerts",
        "Alerts",
        "alerts [critical|warning|info] [low-stock|manual|maintenance] | alerts routes | "
        "alerts route <category or instrument> #channel",
        "Open alerts (of those severities and kinds), with Acknowledge and Resolve buttons; "
        "where alerts are posted.",
        alert_cmds.handle_alerts_command,
        (
            "/farlab alerts critical low-stock",
            "/farlab alerts route Filaments #mat253-alerts",
        ),
    ),
    Command(
        "alert",
        "Alerts",
        "alert raise <part or instrument> <message>",
        "Raise an alert by hand.",
        alert_cmds.handle_alert_command,
        ("/farlab alert raise MAT253 source pressure drifting",),
    ),
    Command(
        "whoami",
        "Account",
        "whoami",
        "Your FarLab account and role.",
        account_cmds.handle_whoami_command,
        ("/farlab whoami",),
    ),
    *user_cmds.COMMANDS,
    *TABLE_COMMANDS,
)
BY_NAME = {command.name: command for command in COMMANDS}


def dispatch(req: CommandRequest, text: str) -> Message | None:
    """Run the command in ``text``; the answer is an ephemeral message, or None (a modal)."""
    args = words(text)
    if not args or args[0].lower() in ("help", "?"):
        return blocks.render_help(COMMANDS)
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
