"""Short replies: errors and refusals, plain notices, and pick lists for ambiguous names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, button, context, message, section, within
from bot.blocks.text import MESSAGE_MAX_BLOCKS, escape
from bot.ids import ActionId

# What a pick continues: a command intent (packed as compact JSON), or a command text to
# run again (packed as ``{"run": text}``).
Continuation = Mapping[str, Any] | str


def render_error(text: str, *, refused: bool = False) -> Message:
    """An error (``:warning:``) or a refusal (``:no_entry:``); ``text`` is escaped here."""
    line = f"{':no_entry:' if refused else ':warning:'} {escape(text)}"
    return message(line, [section(line)])


def render_notice(text: str, *, emoji: str = ":white_check_mark:") -> Message:
    """A one-line confirmation such as ``Unlinked FIL-1002 from MAT253.``; escaped here."""
    line = f"{emoji} {escape(text)}"
    return message(line, [section(line)])


def pick_choices(
    candidates: Sequence[tuple[int, str]], intent: Mapping[str, Any], *, key: str = "id"
) -> list[tuple[str, Continuation]]:
    """Choices from ``Ambiguous.candidates``: ``intent`` with ``key`` set to each id.

    ``pick_choices(((12, "FIL-1002 Rhenium filament"),), {"c": "use", "q": 2})`` gives
    a button whose value is ``{"c":"use","q":2,"id":12}``.
    """
    return [(label, {**intent, key: cid}) for cid, label in candidates]


def render_pick_list(prompt: str, choices: Sequence[tuple[str, Continuation]]) -> Message:
    """One section per ``(label, continuation)`` with a Choose button that continues it.

    A mapping continuation is the button's value as compact JSON; a string (a command text
    to run again) becomes ``{"run": text}``. Read either back with ``values.unpack``.
    Raises ``ValueError`` if a value would pass Slack's 2000-character limit.
    """

    def item(choice: tuple[str, Continuation]) -> list[Block]:
        label, then = choice
        value = {"run": then} if isinstance(then, str) else then
        choose = button("Choose", ActionId.PICK, value=value)
        return [section(lb.text(label, lb.NAME_BUDGET + lb.NUMBER_BUDGET), accessory=choose)]

    blocks: list[Block] = [section(f":mag: {escape(prompt)}")]
    items, shown = within((item(c) for c in choices), MESSAGE_MAX_BLOCKS - 2)
    blocks += items
    if shown < len(choices):
        blocks.append(context(f"and {len(choices) - shown} more; try a longer name."))
    return message(escape(prompt), blocks)
