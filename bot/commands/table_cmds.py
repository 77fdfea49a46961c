"""``/farlab import`` (a form to upload a spreadsheet, managers and admins) and
``/farlab export`` (a table as a file in the person's DM, everyone who can view)."""

from __future__ import annotations

from bot.blocks.imports import import_modal, render_export_sent
from bot.commands.base import Command, CommandRequest, Message
from bot.import_export import send_export
from domain import exports, imports
from domain.errors import InvalidInput
from domain.permissions import Action, require

IMPORT_USAGE = "import [parts|instruments|links]"
EXPORT_USAGE = "export parts|instruments|links|history|alerts|shopping-list [csv|xlsx]"


def handle_import_command(req: CommandRequest, args: list[str]) -> None:
    if len(args) > 1:
        raise InvalidInput(f"Usage: /farlab {IMPORT_USAGE}")
    kind = imports.require_import(req.actor, args[0] if args else "parts")  # before the form
    req.open_modal(import_modal(channel_id=req.channel_id, kind=kind.value))


def handle_export_command(req: CommandRequest, args: list[str]) -> Message:
    if not 1 <= len(args) <= 2:
        raise InvalidInput(f"Usage: /farlab {EXPORT_USAGE}")
    kind, fmt = args[0].lower(), (args[1] if len(args) == 2 else "csv").lower()
    actor = req.actor
    require(actor, Action.VIEW)
    name = exports.export_file_name(req.ctx, kind=kind, fmt=fmt)  # refuses a wrong kind
    req.runtime.defer(
        send_export,
        req.runtime,
        req.client,
        actor,
        req.user_id,
        kind,
        fmt,
        req.response_url,
    )
    return render_export_sent(name)


COMMANDS = (
    Command("import", handle_import_command),
    Command("export", handle_export_command),
)
