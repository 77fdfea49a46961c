"""``/farlab help``: every command by group, with examples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.blocks.elements import Block, Message, context, header, message, sections_of_lines
from bot.blocks.text import MESSAGE_MAX_BLOCKS, escape


class HelpEntry(Protocol):
    """What help needs to know of a command (the command table's entries fit this)."""

    @property
    def group(self) -> str: ...
    @property
    def usage(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def examples(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class HelpTopic:
    group: str
    usage: str
    summary: str
    examples: tuple[str, ...] = ()
    managers: bool = False


def _topics(group: str, *rows: tuple[str, str, str, bool]) -> tuple[HelpTopic, ...]:
    return tuple(
        HelpTopic(group, usage, summary, (example,) if example else (), managers)
        for usage, summary, example, managers in rows
    )


# (usage, what it does, example or "", for managers only)
COMMANDS: tuple[HelpTopic, ...] = (
    *_topics(
        "Parts",
        (
            "parts [words...]",
            "list parts, or find those whose number, name, category or maker hold every "
            "word (any order and case; a word of one or two letters starts a word)",
            "parts filament rhenium",
            False,
        ),
        (
            "parts low | parts out",
            "parts at or below their minimum, or out of stock, most urgent first",
            "parts low",
            False,
        ),
        (
            "part <part>",
            "a part's card: stock, location, instruments, last movements",
            "part FIL-1002",
            False,
        ),
        ("history <part>", "every stock movement of a part", "history FIL-1002", False),
        ("part add", "add a part", "", True),
        ("part edit <part>", "edit a part", "part edit FIL-1002", True),
        ("part delete <part>", "delete a part with its history", "part delete FIL-1002", True),
    ),
    *_topics(
        "Stock",
        (
            "use <part> <qty> [for <instrument>] [reason...]",
            "take parts out of stock",
            "use FIL-1002 2 for MAT253 filament change",
            False,
        ),
        (
            "restock <part> <qty> [reason...]",
            "put parts into stock",
            "restock FIL-1002 10 delivery 4411",
            False,
        ),
        ("count <part> <qty>", "record a stock count", "count FIL-1002 7", False),
    ),
    *_topics(
        "Instruments",
        ("instruments", "list instruments with status and due dates", "", False),
        (
            "instrument <name>",
            "an instrument's card and the parts it needs",
            "instrument MAT253",
            False,
        ),
        ("instrument add", "add an instrument", "", True),
        ("instrument edit <name>", "edit an instrument", "instrument edit MAT253", True),
        (
            "instrument status <name> operational|maintenance|out_of_service [note]",
            "set an instrument's status",
            "instrument status MAT253 maintenance source cleaning",
            True,
        ),
        (
            "instrument link <name> <part> [qty] [critical]",
            "record that an instrument needs a part",
            "instrument link MAT253 FIL-1002 2 critical",
            True,
        ),
        (
            "instrument unlink <name> <part>",
            "remove that link",
            "instrument unlink MAT253 FIL-1002",
            True,
        ),
    ),
    *_topics(
        "Alerts",
        (
            "alerts [critical|warning|info] [low-stock|manual|maintenance]",
            "open alerts, to acknowledge or resolve; of those severities and kinds",
            "alerts critical low-stock",
            False,
        ),
        (
            "alert raise <part or instrument> <message>",
            "raise an alert by hand",
            "alert raise MAT253 vacuum pressure rising",
            False,
        ),
    ),
    *_topics(
        "Import and export",
        (
            "import [parts|instruments|links]",
            "import a CSV or XLSX file: a preview by DM first, then Import",
            "import instruments",
            True,
        ),
        (
            "export parts|instruments|links|history|alerts [csv|xlsx]",
            "a table as a file in your DMs",
            "export parts",
            False,
        ),
    ),
    *_topics(
        "Account",
        ("whoami", "your FarLab account and role", "", False),
        ("link", "link your Slack account to your FarLab account", "", False),
        ("unlink", "remove that link", "", False),
        ("help", "this list", "", False),
    ),
)


def _line(entry: HelpEntry, command: str) -> str:
    line = f"`{escape(command)} {escape(entry.usage)}`: {escape(entry.summary)}"
    if getattr(entry, "managers", False):
        line += " _(managers)_"
    for example in entry.examples:
        shown = example if example.startswith("/") else f"{command} {example}"
        line += f"\n      e.g. `{escape(shown)}`"
    return line


def render_help(commands: Sequence[HelpEntry] = COMMANDS, *, command: str = "/farlab") -> Message:
    """Every command by group (in table order) with examples; ``command`` is the slash command.

    Usages are shown after ``command``; examples that do not start with ``/`` get it too.
    """
    groups: dict[str, list[str]] = {}
    for entry in commands:
        groups.setdefault(entry.group, []).append(_line(entry, command))
    blocks: list[Block] = [header("FarLab commands")]
    for group, lines in groups.items():
        room = MESSAGE_MAX_BLOCKS - len(blocks) - 1
        blocks += sections_of_lines([f"*{escape(group)}*", *lines], room)[0]
    blocks.append(
        context(
            "Name a part by its number (FIL-1002) or by its name; if several match you get a "
            "list to pick from. _(managers)_: for managers and admins. "
            "Open FarLab's Home tab for what needs attention."
        )
    )
    return message(f"FarLab commands: {escape(command)} help", blocks)
