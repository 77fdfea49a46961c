"""The shopping list as an ephemeral message: each supplier's low parts with no request
yet, what a request would ask for and cost, and one button per supplier to request them
all; the whole list as a CSV file in the person's DM."""

from __future__ import annotations

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, actions, button, context, header, message, section
from bot.blocks.text import escape
from bot.ids import ActionId
from domain.shopping_list import (
    REQUEST_ALL_LIMIT,
    GroupRequested,
    ShoppingGroup,
    ShoppingLine,
    ShoppingList,
)

GROUPS_SHOWN = 10  # 4 blocks each, within Slack's 50 blocks of a message
LINES_SHOWN = 8


def _line(line: ShoppingLine) -> str:
    packs = ""
    if line.packs and line.pack_size != 1:
        packs = f" ({lb.amount(line.packs, 'packs')} of {line.pack_size})"
    cost = f", ~{line.cost}" if line.cost else ""
    return (
        f"• *{escape(line.part_number)}* {escape(line.name)}: "
        f"{lb.amount(line.quantity, line.unit)}{packs}{cost} "
        f"_(stock {line.stock}, min {line.minimum})_"
    )


def _group_title(group: ShoppingGroup) -> str:
    if group.supplier_id is None:
        return "No preferred supplier"
    name = escape(group.supplier_name or "")
    return name if group.supplier_active else f"{name} (deactivated)"


def _cost(group: ShoppingGroup) -> str:
    if not group.totals:
        return "no prices known"
    total = " + ".join(str(m) for m in group.totals)
    return f"~{total}" + (f" ({group.unpriced} without a price)" if group.unpriced else "")


def _group_blocks(group: ShoppingGroup, *, can_request: bool) -> list[Block]:
    count = group.count
    shown = [_line(line) for line in group.lines[:LINES_SHOWN]]
    more = f"\n…and {count - LINES_SHOWN} more (in the CSV)" if count > LINES_SHOWN else ""
    blocks: list[Block] = [
        section(
            f"*{_group_title(group)}*: {count} {'part' if count == 1 else 'parts'}, "
            f"{_cost(group)}\n" + "\n".join(shown) + more
        )
    ]
    if can_request and (group.supplier_active or group.supplier_id is None):
        label = (
            f"Request all {count}"
            if count <= REQUEST_ALL_LIMIT
            else (f"Request {REQUEST_ALL_LIMIT} of {count}")
        )
        blocks.append(
            actions(
                [
                    button(
                        label,
                        ActionId.SHOPPING_REQUEST_GROUP,
                        value={"g": group.key},
                        style="primary",
                    )
                ]
            )
        )
    return blocks


def render_shopping_list(found: ShoppingList, *, can_request: bool) -> Message:
    if not found.groups:
        line = ":white_check_mark: Nothing to buy: every low part has a request under way."
        return message(line, [section(line)])
    blocks: list[Block] = [
        header("🛒 Shopping list"),
        context(
            f"{found.parts} low {'part' if found.parts == 1 else 'parts'} with no request yet, "
            f"by preferred supplier. Quantities refill each part (target level, reorder "
            f"quantity or twice the minimum) in whole packs."
        ),
    ]
    for group in found.groups[:GROUPS_SHOWN]:
        blocks.extend(_group_blocks(group, can_request=can_request))
    hidden = len(found.groups) - GROUPS_SHOWN
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more suppliers: see the CSV."))
    blocks.append(actions([button("Export CSV", ActionId.SHOPPING_EXPORT)]))
    text = f"Shopping list: {found.parts} low parts with no request yet"
    return message(text, blocks)


def render_group_requested(done: GroupRequested) -> Message:
    who = escape(done.supplier_name) if done.supplier_name else "parts with no preferred supplier"
    if not done.orders:
        line = f":information_source: Nothing left to request for {who}."
        return message(line, [section(line)])
    numbers = ", ".join(f"#{o.id} {escape(o.part.part_number)}" for o in done.orders[:20])
    extra = f" and {len(done.orders) - 20} more" if len(done.orders) > 20 else ""
    left = f"\n{done.left} more still need a request: press the button again." if done.left else ""
    line = (
        f":white_check_mark: Requested {len(done.orders)} reorders for {who}: "
        f"{numbers}{extra}. Managers approve them in the purchasing channel.{left}"
    )
    return message(line, [section(line)])
