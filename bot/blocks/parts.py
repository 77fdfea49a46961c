"""Parts: the paged list, the part card, its stock history, and picker options."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    pager,
    range_note,
    section,
    sections_of_lines,
    within,
)
from bot.blocks.offers import history_blocks, offer_blocks
from bot.blocks.ordering import on_order_line, reorder_button
from bot.blocks.text import MESSAGE_MAX_BLOCKS, SELECT_OPTIONS_MAX
from bot.blocks.usage import usage_line
from bot.ids import ActionId, BlockId
from domain.insight_results import UsageGlance
from domain.results import (
    MovementView,
    Page,
    PartDetail,
    PartListing,
    PartMatches,
    PartUse,
    PartView,
)
from domain.vocabulary import InstrumentStatus, amount

USES_MAX_BLOCKS = 10
USED_BY_SHOWN = 5


def _used_by(uses: tuple[PartUse, ...]) -> str:
    """``Used by :rotating_light: MAT253, Kiel IV and 3 more``."""
    names = [
        f"{':rotating_light: ' if use.is_critical else ''}{lb.text(use.instrument_name, 100)}"
        for use in uses[:USED_BY_SHOWN]
    ]
    rest = len(uses) - len(names)
    return "Used by " + ", ".join(names) + (f" and {rest} more" if rest > 0 else "")


def _part_item(item: PartView | PartListing) -> list[Block]:
    part = item.part if isinstance(item, PartListing) else item
    details = [lb.stock_line(part)]
    if part.location:
        details.append(f":round_pushpin: {lb.text(part.location)}")
    if part.category:
        details.append(lb.text(part.category, 100))
    if part.is_critical:
        details.append(":rotating_light: critical")
    lines = [lb.part_ref(part), " · ".join(details)]
    coming = on_order_line(part)
    if coming:
        lines.append(coming)
    if isinstance(item, PartListing) and item.uses:
        lines.append(_used_by(item.uses))
    return [
        section(
            "\n".join(lines),
            accessory=button("View", ActionId.PART_VIEW, value={"id": part.id}),
        )
    ]


# ``/farlab parts low`` and ``out``: (title, what an empty list says).
NEEDING_STOCK = {
    "low": ("Parts at or below minimum", ":white_check_mark: Every part is above its minimum."),
    "out": ("Parts out of stock", ":white_check_mark: No part is out of stock."),
}


def render_parts_page(
    page: Page[PartView] | Page[PartListing],
    *,
    query: str | None = None,
    can_manage: bool = False,
    suggestions: Sequence[PartView] = (),
    needing: str | None = None,
) -> Message:
    """One section per part (with a View button), then Previous/Next (and Add for managers).

    Items may be ``PartListing``s, which add the instruments that use each part. When a
    search found nothing, ``suggestions`` (close parts) are offered with their View buttons.
    ``needing`` ("low" or "out") titles the list of parts that need restocking.
    """
    title = f"Parts matching “{query}”" if query else "Parts"
    if needing in NEEDING_STOCK:
        title = NEEDING_STOCK[needing][0]
    blocks: list[Block] = [header(title)]
    items, shown = within((_part_item(i) for i in page.items), MESSAGE_MAX_BLOCKS - 3)
    blocks += items
    more = page.has_more or shown < len(page.items)
    if shown:
        note = range_note(page.offset, shown, more)
        if isinstance(page, PartMatches) and page.more_than:
            note += (
                f"\nMore than {page.more_than:,} parts match: these are the first "
                f"{page.more_than:,} found. Add a word to narrow the search."
            )
        blocks.append(context(note))
    elif needing in NEEDING_STOCK:
        blocks.append(section(NEEDING_STOCK[needing][1]))
    else:
        found = f"No parts match “{lb.text(query)}”." if query else "No parts yet."
        blocks += _did_you_mean(found, suggestions)
    state = {"q": query} if query else {"f": needing} if needing else {}
    nav = pager(
        offset=page.offset,
        limit=page.limit,
        shown=shown,
        has_more=more,
        next_id=ActionId.PARTS_NEXT,
        previous_id=ActionId.PARTS_PREVIOUS,
        state=state,
    )
    if can_manage:
        nav.append(button("Add part", ActionId.PART_ADD))
    if nav:
        blocks.append(actions(nav, block_id=BlockId.PAGER))
    if needing in NEEDING_STOCK:
        return message(f"{shown} {NEEDING_STOCK[needing][0].lower()}", blocks)
    where = f" matching “{lb.text(query)}”" if query else ""
    return message(f"{shown} parts{where}", blocks)


def _did_you_mean(found: str, suggestions: Sequence[PartView]) -> list[Block]:
    """``No parts match “rhenum”. Did you mean:`` and the close parts, each with View."""
    items, shown = within((_part_item(p) for p in suggestions), MESSAGE_MAX_BLOCKS - 4)
    if not shown:
        return [section(found)]
    return [section(f"{found} Did you mean:"), *items]


def _use_line(use: PartUse) -> str:
    mark = ":rotating_light: " if use.is_critical else ""
    line = f"• {mark}*{lb.text(use.instrument_name)}* needs {use.quantity_required}"
    if use.is_critical:
        line += " · critical"
    if use.instrument_status != InstrumentStatus.OPERATIONAL:
        line += f" · {lb.status_label(use.instrument_status)}"
    return line


def _part_facts(part: PartView) -> list[str]:
    facts = [
        f"*Stock*\n{lb.stock_line(part)}",
        f"*Minimum*\n{lb.amount(part.minimum_stock_level, part.unit_of_measure)}",
        f"*Location*\n{lb.text(part.location) or '-'}",
        f"*Category*\n{lb.text(part.category, 100) or '-'}",
    ]
    if part.manufacturer:
        facts.append(f"*Manufacturer*\n{lb.text(part.manufacturer, 100)}")
    if part.is_critical:
        facts.append("*Critical*\n:rotating_light: yes")
    return facts


def part_buttons(part: PartView, *, can_manage: bool) -> list[dict[str, Any]]:
    """Use, Restock, Count, History, Request reorder (if active); Edit, Archive (if active)
    and Delete for managers."""
    value = {"id": part.id}
    buttons = [
        button("Use", ActionId.PART_USE, value=value, style="primary"),
        button("Restock", ActionId.PART_RESTOCK, value=value),
        button("Count", ActionId.PART_COUNT, value=value),
        button("History", ActionId.PART_HISTORY, value=value),
    ]
    if part.is_active:
        buttons.append(reorder_button(part.id))
    if can_manage:
        dialog = confirm(
            "Delete this part?",
            f"Delete {lb.part_ref(part)}? Its stock history, instrument links and alerts "
            "go with it. This cannot be undone.",
            ok="Delete",
            style="danger",
        )
        buttons.append(button("Edit", ActionId.PART_EDIT, value=value))
        if part.is_active:
            archive = confirm(
                "Archive this part?",
                f"{lb.part_ref(part)} keeps its stock history but is no longer listed, "
                "searched or offered to pick.",
                ok="Archive",
            )
            buttons.append(button("Archive", ActionId.PART_ARCHIVE, value=value, confirm=archive))
        buttons.append(
            button("Delete", ActionId.PART_DELETE, value=value, style="danger", confirm=dialog)
        )
    return buttons


def render_part_card(
    detail: PartDetail, *, can_manage: bool = False, usage: UsageGlance | None = None
) -> Message:
    """Stock (and what is on order), minimum, location, category, its usage of the last
    weeks with the forecast (when given), the instruments using it, the last movements;
    when read ``with_orders``, the offers and the last orders (with their buttons for
    managers)."""
    part = detail.part
    blocks: list[Block] = [header(lb.part_title(part)), section(fields=_part_facts(part))]
    coming = on_order_line(part)
    if coming:
        blocks.append(context(coming))
    if usage is not None:
        blocks.append(context(usage_line(usage)))
    if not part.is_active:
        blocks.append(context(":no_entry_sign: This part is archived."))
    if part.description:
        blocks.append(section(lb.paragraph(part.description, 2000)))
    if detail.uses:
        lines = ["*Used by*", *(_use_line(u) for u in detail.uses)]
        uses, shown = sections_of_lines(lines, USES_MAX_BLOCKS)
        blocks += uses
        if shown < len(lines):
            blocks.append(context(f"and {len(lines) - shown} more instruments"))
    else:
        blocks.append(section("*Used by*\nNo instrument is linked to this part."))
    if detail.orders is not None:
        blocks += offer_blocks(part, detail.offers, can_manage=can_manage)
        blocks += history_blocks(detail.orders, detail.offers, can_manage=can_manage)
    moves = [lb.movement_line(m, part.unit_of_measure) for m in detail.recent_movements]
    lines = ["*Last movements*", *moves] if moves else ["*Last movements*\nNone yet."]
    budget = MESSAGE_MAX_BLOCKS - len(blocks) - 1
    blocks += sections_of_lines(lines, budget)[0]
    blocks.append(actions(part_buttons(part, can_manage=can_manage), block_id=BlockId.PART_ACTIONS))
    return message(f"{lb.text(lb.part_title(part))}: {lb.stock_line(part)}", blocks)


def render_history(part: PartView, page: Page[MovementView]) -> Message:
    """The part's ledger, newest first, paged."""
    blocks: list[Block] = [header(f"History of {lb.part_title(part)}")]
    blocks.append(context(lb.stock_line(part)))
    lines = [lb.movement_line(m, part.unit_of_measure) for m in page.items]
    moves, shown = sections_of_lines(lines, MESSAGE_MAX_BLOCKS - 4)
    blocks += moves or [section("No stock movements yet.")]
    blocks += page_footer(
        page,
        shown,
        next_id=ActionId.HISTORY_NEXT,
        previous_id=ActionId.HISTORY_PREVIOUS,
        state={"id": part.id},
    )
    return message(f"History of {lb.text(lb.part_title(part))}", blocks)


def render_part_deleted(part: PartView) -> Message:
    text = f":wastebasket: Deleted {lb.part_ref(part)}."
    return message(text, [section(text)])


def options_for_parts(parts: Iterable[PartView]) -> list[dict[str, Any]]:
    """Options for the part picker: ``FIL-1002 Rhenium filament`` / ``3 pcs in stock · low``."""
    options = []
    for part in parts:
        stock = f"{amount(part.quantity_in_stock, part.unit_of_measure)} in stock"
        if part.quantity_in_stock == 0:
            stock += " · out"
        elif part.is_low_stock:
            stock += " · low"
        options.append(option(lb.part_title(part), str(part.id), stock))
        if len(options) == SELECT_OPTIONS_MAX:
            break
    return options
