"""``/farlab help``: the commands a person may run, by group, with examples.

Each line names the action it needs (``domain.permissions``), so the table of role ->
actions decides who sees which line: a member sees the member lines and one line saying
managers and admins have more; a manager also sees the manager lines, marked; an admin
sees every line, the manager and admin ones marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks.elements import Block, Message, context, header, message, sections_of_lines
from bot.blocks.text import MESSAGE_MAX_BLOCKS, escape
from domain.permissions import PERMISSIONS, RANKS, Action, Role, role_needed
from domain.vocabulary import ACCOUNT_ROLES


@dataclass(frozen=True)
class HelpTopic:
    group: str
    usage: str
    summary: str
    examples: tuple[str, ...] = ()
    action: Action | None = None  # None: anyone, linked or not

    @property
    def needs(self) -> Role:
        """The least account role that may run it (a member's, for anyone's lines)."""
        needed = Role.MEMBER if self.action is None else role_needed(self.action)
        return Role.MEMBER if needed is Role.VIEWER else needed


MARKERS = {Role.MANAGER: "_(managers)_", Role.ADMIN: "_(admins)_"}
LEGEND = {Role.MANAGER: "_(managers)_: managers and admins", Role.ADMIN: "_(admins)_: admins only"}
MORE = {
    Role.MANAGER: "Managers and admins have more commands (adding and editing parts and "
    "instruments, alerts, accounts).",
    Role.ADMIN: "Admins have more commands (accounts, roles and Slack links).",
}


def _topics(group: str, *rows: tuple[str, str, str, Action | None]) -> tuple[HelpTopic, ...]:
    return tuple(
        HelpTopic(group, usage, summary, (example,) if example else (), action)
        for usage, summary, example, action in rows
    )


# (usage, what it does, example or "", the action it needs: None for anyone)
COMMANDS: tuple[HelpTopic, ...] = (
    *_topics(
        "Parts",
        (
            "parts [words...]",
            "list parts, or find those whose number, name, category or maker hold every "
            "word (any order and case; a word of one or two letters starts a word)",
            "parts filament rhenium",
            Action.VIEW,
        ),
        (
            "parts low | parts out",
            "parts at or below their minimum, or out of stock, most urgent first",
            "parts low",
            Action.VIEW,
        ),
        (
            "part <part>",
            "a part's card: stock, location, instruments, last movements",
            "part FIL-1002",
            Action.VIEW,
        ),
        ("history <part>", "every stock movement of a part", "history FIL-1002", Action.VIEW),
        ("part add", "add a part", "", Action.MANAGE_PARTS),
        ("part edit <part>", "edit a part", "part edit FIL-1002", Action.MANAGE_PARTS),
        (
            "part archive <part>",
            "archive a part: kept with its history, no longer listed",
            "part archive FIL-1002",
            Action.MANAGE_PARTS,
        ),
        (
            "part delete <part>",
            "delete a part with its history",
            "part delete FIL-1002",
            Action.MANAGE_PARTS,
        ),
    ),
    *_topics(
        "Stock",
        (
            "use <part> <qty> [for <instrument>] [reason...]",
            "take parts out of stock",
            "use FIL-1002 2 for MAT253 filament change",
            Action.USE_STOCK,
        ),
        (
            "restock <part> <qty> [reason...]",
            "put parts into stock",
            "restock FIL-1002 10 delivery 4411",
            Action.RESTOCK,
        ),
        ("count <part> <qty>", "record a stock count", "count FIL-1002 7", Action.COUNT_STOCK),
    ),
    *_topics(
        "Ordering",
        (
            "reorder <part> [qty]",
            "ask for more of a part: a form with the suggested quantity, urgency and a note "
            "(joins the part's open request if it has one)",
            "reorder FIL-1002 20",
            Action.REQUEST_REORDER,
        ),
        (
            "orders [state]",
            "open requests by state (requested, approved, ordered; overdue marked), or "
            "those of one state",
            "orders ordered",
            Action.VIEW,
        ),
        (
            "shopping-list",
            "low parts with no request yet, by supplier, with quantities and costs",
            "",
            Action.VIEW,
        ),
        ("supplier list", "suppliers, with Edit buttons for managers", "", Action.VIEW),
        ("supplier add", "add a supplier", "", Action.MANAGE_SUPPLIERS),
        (
            "supplier edit <name>",
            "edit a supplier, or deactivate it",
            "supplier edit Sigma",
            Action.MANAGE_SUPPLIERS,
        ),
    ),
    *_topics(
        "Usage and forecasts",
        (
            "usage <part or instrument> [weeks]",
            "what was taken each week (1-104 weeks, 12 unless given), the forecast and what "
            "counts found; a chart by DM",
            "usage FIL-1002 26",
            Action.VIEW,
        ),
        (
            "minimums",
            "parts whose minimum is far from the one their usage suggests, to accept with a button",
            "",
            Action.MANAGE_PARTS,
        ),
    ),
    *_topics(
        "Instruments",
        ("instruments", "list instruments with status and due dates", "", Action.VIEW),
        (
            "instrument <name>",
            "an instrument's card: status, recent changes, the parts it needs",
            "instrument MAT253",
            Action.VIEW,
        ),
        (
            "instrument history <name>",
            "every status change: who, when, why",
            "instrument history MAT253",
            Action.VIEW,
        ),
        ("instrument add", "add an instrument", "", Action.MANAGE_INSTRUMENTS),
        (
            "instrument edit <name>",
            "edit an instrument",
            "instrument edit MAT253",
            Action.MANAGE_INSTRUMENTS,
        ),
        (
            "instrument status <name> operational|maintenance|out of service [note]",
            "set an instrument's status",
            "instrument status MAT253 maintenance source cleaning",
            Action.SET_INSTRUMENT_STATUS,
        ),
        (
            "instrument link <name> <part> [qty] [critical]",
            "record that an instrument needs a part",
            "instrument link MAT253 FIL-1002 2 critical",
            Action.LINK_PARTS,
        ),
        (
            "instrument unlink <name> <part>",
            "remove that link",
            "instrument unlink MAT253 FIL-1002",
            Action.LINK_PARTS,
        ),
        (
            "instrument archive <name>",
            "archive an instrument: kept with its history, no longer listed",
            "instrument archive Kiel IV",
            Action.MANAGE_INSTRUMENTS,
        ),
        (
            "instrument delete <name>",
            "delete an instrument with its links, status history and alerts",
            "instrument delete Kiel IV",
            Action.MANAGE_INSTRUMENTS,
        ),
    ),
    *_topics(
        "Alerts",
        (
            "alerts [critical|warning|info] [low-stock|manual|maintenance|forecast]",
            "open alerts, to acknowledge or resolve; of those severities and kinds",
            "alerts critical low-stock",
            Action.VIEW,
        ),
        (
            "alert raise <part or instrument> <message>",
            "raise an alert by hand",
            "alert raise MAT253 vacuum pressure rising",
            Action.RAISE_ALERT,
        ),
        (
            "alerts routes",
            "which channel each category's and instrument's alerts go to",
            "",
            Action.VIEW,
        ),
        (
            "alerts route <category or instrument> #channel",
            "post those alerts to a channel",
            "alerts route Filaments #lab",
            Action.MANAGE_ALERTS,
        ),
        (
            "alerts unroute <category or instrument>",
            "post them to the default channel again",
            "",
            Action.MANAGE_ALERTS,
        ),
    ),
    *_topics(
        "Import and export",
        (
            "import [parts|instruments|links]",
            "import a CSV or XLSX file: a preview by DM first, then Import",
            "import instruments",
            Action.MANAGE_PARTS,
        ),
        (
            "export parts|instruments|links|history|alerts|shopping-list [csv|xlsx]",
            "a table as a file in your DMs",
            "export parts",
            Action.VIEW,
        ),
    ),
    *_topics(
        "Account",
        ("whoami", "your FarLab account and role", "", Action.VIEW),
        ("link", "link your Slack account to your FarLab account", "", None),
        ("unlink", "remove that link", "", Action.VIEW),
        ("password", "choose a new password through a one-time link by DM", "", Action.VIEW),
        ("help", "this list", "", None),
    ),
    *_topics(
        "Users",
        (
            "users [query]",
            "accounts with role, Slack link and status",
            "users berg",
            Action.MANAGE_USERS,
        ),
        (
            "user <username>",
            "an account's card, to edit the profile, change role, deactivate or delete",
            "user sara.berg",
            Action.MANAGE_USERS,
        ),
        ("user add", "invite someone: a form, then a link by DM", "", Action.MANAGE_USERS),
        (
            "user edit <username>",
            "edit a person's name, e-mail, phone, department, position and notes",
            "user edit sara.berg",
            Action.MANAGE_USERS,
        ),
        (
            "user role <username> admin|manager|member",
            "change a person's role",
            "user role sara.berg manager",
            Action.MANAGE_ROLES,
        ),
        (
            "user link @someone <username>",
            "link a Slack user to an account (they confirm)",
            "user link @sara sara.berg",
            Action.MANAGE_SLACK_LINKS,
        ),
        ("user unlink <username>", "unlink an account from Slack", "", Action.MANAGE_SLACK_LINKS),
        (
            "user deactivate|reactivate <username>",
            "stop or allow an account's use",
            "",
            Action.MANAGE_USERS,
        ),
        (
            "user signout <username>",
            "sign a person out everywhere",
            "",
            Action.SIGN_OUT_EVERYWHERE,
        ),
        ("user delete <username>", "delete an account", "", Action.MANAGE_USERS),
    ),
)


def may_run(topic: HelpTopic, role: Role) -> bool:
    return topic.action is None or topic.action in PERMISSIONS[role]


def _line(topic: HelpTopic, command: str) -> str:
    line = f"`{escape(command)} {escape(topic.usage)}`: {escape(topic.summary)}"
    if topic.needs in MARKERS:
        line += f" {MARKERS[topic.needs]}"
    for example in topic.examples:
        shown = example if example.startswith("/") else f"{command} {example}"
        line += f"\n      e.g. `{escape(shown)}`"
    return line


def render_help(
    topics: Sequence[HelpTopic] = COMMANDS, *, role: Role | None = None, command: str = "/farlab"
) -> Message:
    """The commands ``role`` may run, by group (in table order), with examples; someone not
    linked yet sees a member's. ``command`` is the slash command."""
    role = role if role in ACCOUNT_ROLES else Role.MEMBER
    shown = [t for t in topics if may_run(t, role)]
    hidden = {t.needs for t in topics if not may_run(t, role)}
    groups: dict[str, list[str]] = {}
    for topic in shown:
        groups.setdefault(topic.group, []).append(_line(topic, command))
    blocks: list[Block] = [header("FarLab commands")]
    for group, lines in groups.items():
        room = MESSAGE_MAX_BLOCKS - len(blocks) - 1
        blocks += sections_of_lines([f"*{escape(group)}*", *lines], room)[0]
    notes = [
        "Name a part by its number (FIL-1002) or by its name; if several match you get a "
        "list to pick from."
    ]
    marked = sorted({t.needs for t in shown if t.needs in LEGEND}, key=RANKS.index)
    notes += [LEGEND[r] + "." for r in marked]
    if hidden:
        notes.append(MORE[min(hidden, key=RANKS.index)])
    notes.append("Open FarLab's Home tab for what needs attention.")
    blocks.append(context(" ".join(notes)))
    return message(f"FarLab commands: {escape(command)} help", blocks)
