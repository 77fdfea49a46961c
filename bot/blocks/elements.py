"""Block Kit building blocks: text objects, blocks, buttons, options, paging, messages.

Text given to ``mrkdwn``/``section``/``context`` is mrkdwn the caller has already escaped;
text given to ``plain``/``header``/``button`` is plain text and is only fitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from bot.blocks.text import (
    BUTTON_TEXT_MAX,
    CONFIRM_BUTTON_MAX,
    CONFIRM_TEXT_MAX,
    CONFIRM_TITLE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FALLBACK_TEXT_MAX,
    HEADER_TEXT_MAX,
    OPTION_TEXT_MAX,
    OPTION_VALUE_MAX,
    SECTION_FIELD_TEXT_MAX,
    SECTION_FIELDS_MAX,
    SECTION_TEXT_MAX,
    fit,
)
from bot.blocks.values import pack

Block = dict[str, Any]
Style = Literal["primary", "danger"]


# A message: ``{"text": fallback for notifications and screen readers, "blocks": [...]}``.
Message = dict[str, Any]


def message(text: str, blocks: list[Block]) -> Message:
    """``text`` is escaped mrkdwn, like everything else shown to people."""
    return {"text": fit(text, FALLBACK_TEXT_MAX), "blocks": blocks}


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": fit(text.strip() or "-", limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": fit(text.strip() or "-", limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT_MAX)}


def section(
    text: str | None = None,
    *,
    fields: Sequence[str] = (),
    accessory: dict[str, Any] | None = None,
    block_id: str | None = None,
) -> Block:
    block: Block = {"type": "section"}
    if block_id:
        block["block_id"] = block_id
    if text is not None:
        block["text"] = mrkdwn(text)
    if fields:
        block["fields"] = [mrkdwn(f, SECTION_FIELD_TEXT_MAX) for f in fields[:SECTION_FIELDS_MAX]]
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(t, SECTION_TEXT_MAX) for t in texts[:CONTEXT_ELEMENTS_MAX]],
    }


def divider() -> Block:
    return {"type": "divider"}


def actions(elements: Sequence[dict[str, Any]], *, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def confirm(
    title: str, text: str, *, ok: str, deny: str = "Cancel", style: Style | None = None
) -> dict[str, Any]:
    """A confirm dialog; ``text`` is escaped mrkdwn."""
    dialog: dict[str, Any] = {
        "title": plain(title, CONFIRM_TITLE_MAX),
        "text": mrkdwn(text, CONFIRM_TEXT_MAX),
        "confirm": plain(ok, CONFIRM_BUTTON_MAX),
        "deny": plain(deny, CONFIRM_BUTTON_MAX),
    }
    if style:
        dialog["style"] = style
    return dialog


def button(
    text: str,
    action_id: str,
    *,
    value: Mapping[str, Any] | None = None,
    style: Style | None = None,
    confirm: dict[str, Any] | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """A button whose ``value`` is packed as compact JSON (see ``values.pack``)."""
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = pack(value)
    if url is not None:
        element["url"] = url
    if style:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    return element


def option(text: str, value: str, description: str | None = None) -> dict[str, Any]:
    if len(value) > OPTION_VALUE_MAX:
        raise ValueError(
            f"option value is {len(value)} characters; the limit is {OPTION_VALUE_MAX}"
        )
    opt: dict[str, Any] = {"text": plain(text, OPTION_TEXT_MAX), "value": value}
    if description:
        opt["description"] = plain(description, OPTION_TEXT_MAX)
    return opt


def sections_of_lines(lines: Sequence[str], max_blocks: int) -> tuple[list[Block], int]:
    """Join mrkdwn lines into as few sections as fit; returns them and how many lines fit."""
    if max_blocks < 1:
        return [], 0
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    shown = 0
    for line in lines:
        line = fit(line, SECTION_TEXT_MAX)
        if current and size + 1 + len(line) > SECTION_TEXT_MAX:
            if len(blocks) + 1 >= max_blocks:
                break
            blocks.append(section("\n".join(current)))
            current, size = [], 0
        current.append(line)
        size += len(line) + (1 if size else 0)
        shown += 1
    if current and len(blocks) < max_blocks:
        blocks.append(section("\n".join(current)))
    return blocks, shown


def within(groups: Iterable[list[Block]], budget: int) -> tuple[list[Block], int]:
    """Whole groups of blocks (one group per item) while they fit ``budget`` blocks."""
    blocks: list[Block] = []
    count = 0
    for group in groups:
        if len(blocks) + len(group) > budget:
            break
        blocks.extend(group)
        count += 1
    return blocks, count


def pager(
    *,
    offset: int,
    limit: int,
    shown: int,
    has_more: bool,
    next_id: str,
    previous_id: str,
    state: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Previous/Next buttons whose values carry ``state`` plus the offset to show (``o``).

    ``shown`` may be fewer than the page's items when a message had no room for them all;
    Next then continues right after the last item shown.
    """
    buttons = []
    if offset > 0:
        back = max(0, offset - max(limit, 1))
        buttons.append(button("Previous", previous_id, value={**state, "o": back}))
    if has_more:
        buttons.append(button("Next", next_id, value={**state, "o": offset + shown}))
    return buttons


def page_footer(
    page: Any,
    shown: int,
    *,
    next_id: str,
    previous_id: str,
    state: Mapping[str, Any],
    empty: Block | None = None,
    buttons: Sequence[dict[str, Any]] = (),
    pager_block_id: str = "pager",
) -> list[Block]:
    """What ends a page of a list (a ``domain.results.Page`` of which ``shown`` items fit):
    "Showing 26 to 50" (or ``empty`` when nothing is shown), then Previous/Next and any
    other ``buttons`` in one actions block."""
    more = page.has_more or shown < len(page.items)
    blocks: list[Block] = []
    if shown:
        blocks.append(context(range_note(page.offset, shown, more)))
    elif empty is not None:
        blocks.append(empty)
    nav = pager(
        offset=page.offset,
        limit=page.limit,
        shown=shown,
        has_more=more,
        next_id=next_id,
        previous_id=previous_id,
        state=state,
    )
    nav += list(buttons)
    if nav:
        blocks.append(actions(nav, block_id=pager_block_id))
    return blocks


def range_note(offset: int, shown: int, more: bool) -> str:
    """``Showing 26 to 50 · more on the next page``."""
    if shown == 0:
        return "Nothing to show here."
    note = f"Showing {offset + 1} to {offset + shown}"
    return note + (" · more on the next page" if more else "")
