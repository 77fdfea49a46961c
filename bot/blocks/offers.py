"""A part's offers and orders: the part card's Offers and Last orders sections, the offer
modal and the reorder-levels modal."""

from __future__ import annotations

from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    actions,
    button,
    context,
    message,
    option,
    section,
)
from bot.blocks.inputs import checkbox_input, modal, number_input, picker_input, text_input
from bot.blocks.ordering import STATE_WORDS
from bot.blocks.values import pack
from bot.ids import ActionId, BlockId, CallbackId
from domain.order_results import OfferView, OrderView, PartOrderHistory
from domain.results import PartView
from domain.suppliers import MAX_LEAD_DAYS
from domain.validation import MAX_QUANTITY

NOTES_MAX = 2000
OFFERS_SHOWN = 10


def offer_line(offer: OfferView) -> str:
    """``:star: *Sigma* R-12 · 12.50 EUR a pack of 10 · min 2 packs · 7 days · https://…``."""
    star = ":star: " if offer.is_preferred else ""
    line = f"• {star}*{lb.text(offer.supplier_name, 100)}*"
    if offer.supplier_part_number:
        line += f" {lb.text(offer.supplier_part_number, 100)}"
    price = f"{offer.price} a pack of {offer.pack_size}" if offer.price else None
    facts = [price or f"packs of {offer.pack_size}"]
    if offer.minimum_order > 1:
        facts.append(f"min {offer.minimum_order} packs")
    if offer.lead_time_days is not None:
        facts.append(f"{offer.lead_time_days} days")
    if offer.order_url:
        facts.append(lb.text(offer.order_url, 500))  # Slack links a bare URL itself
    if offer.is_preferred:
        facts.append("preferred")
    if not offer.supplier_active:
        facts.append(":no_entry_sign: supplier inactive")
    return line + " · " + " · ".join(facts)


def _offer_menu(offer: OfferView) -> dict[str, Any]:
    choices = [("Edit", "edit")]
    if not offer.is_preferred:
        choices.append(("Make preferred", "prefer"))
    choices.append(("Remove", "remove"))
    return {
        "type": "overflow",
        "action_id": ActionId.OFFER_MENU,
        "options": [
            option(text, pack({"id": offer.id, "p": offer.part_id, "do": do}))
            for text, do in choices
        ],
    }


def offer_blocks(part: PartView, offers: tuple[OfferView, ...], *, can_manage: bool) -> list[Block]:
    """The Offers section: one line per offer (an overflow for managers), and for
    managers Add offer and Reorder levels."""
    blocks: list[Block] = []
    if not offers:
        blocks.append(section("*Offers*\nNo supplier offer yet."))
    elif can_manage:
        blocks.append(section("*Offers*"))
        for offer in offers[:OFFERS_SHOWN]:
            blocks.append(section(offer_line(offer), accessory=_offer_menu(offer)))
    else:
        blocks.append(
            section("*Offers*\n" + "\n".join(offer_line(o) for o in offers[:OFFERS_SHOWN]))
        )
    levels = []
    if part.target_stock is not None:
        levels.append(f"refill to {part.target_stock}")
    if part.reorder_quantity is not None:
        levels.append(f"reorder {part.reorder_quantity}")
    if levels:
        blocks.append(context("Reorders: " + ", ".join(levels)))
    if can_manage:
        value = {"id": part.id}
        blocks.append(
            actions(
                [
                    button("Add offer", ActionId.OFFER_ADD, value=value),
                    button("Reorder levels", ActionId.REORDER_LEVELS, value=value),
                ],
                block_id=BlockId.OFFERS,
            )
        )
    return blocks


def _past_order_line(order: OrderView) -> str:
    facts = [
        f"• *#{order.id}* {STATE_WORDS[order.state]}",
        lb.amount(order.quantity, order.part.unit_of_measure),
        lb.text(order.supplier_name, 100) or "no supplier",
        f"requested {lb.when(order.created_at)}",
    ]
    if order.ordered_at:
        facts.append(f"ordered {lb.when(order.ordered_at)}")
    if order.received_at:
        facts.append(f"received {lb.when(order.received_at)}")
    return " · ".join(facts)


def lead_time_text(history: PartOrderHistory) -> str | None:
    """``Lead time observed 12 days over 2 orders; the offer says 7.``"""
    if history.observed_lead_days is None:
        return None
    days = _days(history.observed_lead_days)
    over = f"{history.observed_from} order{'s' if history.observed_from != 1 else ''}"
    text = f"Lead time observed {days} days over {over}"
    if history.offer_lead_days is not None:
        text += f"; the offer says {history.offer_lead_days}"
    return text + "."


def _days(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def history_blocks(
    history: PartOrderHistory, offers: tuple[OfferView, ...], *, can_manage: bool
) -> list[Block]:
    """The last orders, the lead time observed and, for managers, a button that makes it
    the preferred offer's lead time."""
    if not history.orders:
        return []
    lines = ["*Last orders*", *(_past_order_line(o) for o in history.orders)]
    blocks: list[Block] = [section("\n".join(lines))]
    observed = lead_time_text(history)
    if observed is None:
        return blocks
    days = min(round(history.observed_lead_days or 0), MAX_LEAD_DAYS)
    preferred = next((o for o in offers if o.is_preferred), None)
    if can_manage and preferred is not None and days != preferred.lead_time_days:
        use = button(
            f"Use {days} days as the offer's lead time",
            ActionId.OFFER_USE_LEAD_TIME,
            value={"id": preferred.id, "d": days},
        )
        blocks.append(section(observed, accessory=use))
    else:
        blocks.append(context(observed))
    return blocks


def offer_modal(
    part: PartView,
    offer: OfferView | None = None,
    *,
    currency: str,
    channel_id: str | None = None,
) -> dict[str, Any]:
    """Add an offer for a part (a supplier picker over active suppliers) or edit one."""
    o = offer
    blocks: list[Block] = [section(lb.part_ref(part))]
    if o is None:
        blocks.append(
            picker_input(
                BlockId.SUPPLIER,
                "Supplier",
                action_id=ActionId.SUPPLIER_PICKER,
                placeholder="Type 2 letters of a supplier",
            )
        )
    else:
        blocks.append(section(f"Supplier: *{lb.text(o.supplier_name, 100)}*"))
    price = str(o.price.amount) if o and o.price else None
    blocks += [
        text_input(
            BlockId.SUPPLIER_PART_NUMBER,
            "Supplier part number",
            initial=o.supplier_part_number if o else None,
            max_length=100,
            optional=True,
        ),
        text_input(
            BlockId.UNIT_PRICE,
            "Price per pack",
            initial=price,
            max_length=20,
            optional=True,
            placeholder="12.50",
        ),
        text_input(
            BlockId.CURRENCY,
            "Currency",
            initial=o.currency if o else currency,
            max_length=3,
            hint="An ISO 4217 code: EUR, USD, CHF, …",
        ),
        number_input(
            BlockId.PACK_SIZE,
            "Pack size",
            initial=o.pack_size if o else 1,
            min_value=1,
            max_value=MAX_QUANTITY,
            hint="How many of the part's unit one pack holds.",
        ),
        number_input(
            BlockId.MINIMUM_ORDER,
            "Minimum order (packs)",
            initial=o.minimum_order if o else 1,
            min_value=1,
            max_value=MAX_QUANTITY,
        ),
        number_input(
            BlockId.LEAD_TIME,
            "Lead time (days)",
            initial=o.lead_time_days if o else None,
            min_value=0,
            max_value=MAX_LEAD_DAYS,
            optional=True,
        ),
        text_input(
            BlockId.ORDER_URL,
            "Order URL",
            initial=o.order_url if o else None,
            max_length=500,
            optional=True,
            placeholder="https://",
        ),
        checkbox_input(
            BlockId.PREFERRED,
            "Preferred",
            text="The part's preferred offer",
            value="preferred",
            checked=bool(o and o.is_preferred),
        ),
    ]
    if o is None:
        return modal(
            "Add offer",
            CallbackId.OFFER_ADD,
            blocks,
            submit="Add",
            metadata={"id": part.id, "channel": channel_id},
        )
    return modal(
        "Edit offer",
        CallbackId.OFFER_EDIT,
        blocks,
        submit="Save",
        metadata={"id": o.id, "channel": channel_id},
    )


def reorder_levels_modal(part: PartView, *, channel_id: str | None = None) -> dict[str, Any]:
    blocks: list[Block] = [
        section(f"{lb.part_ref(part)}\n{lb.stock_line(part)}"),
        number_input(
            BlockId.TARGET_STOCK,
            "Target stock",
            initial=part.target_stock,
            min_value=1,
            max_value=MAX_QUANTITY,
            optional=True,
            hint="A reorder refills to this level (it comes first when both are set).",
        ),
        number_input(
            BlockId.REORDER_QUANTITY,
            "Reorder quantity",
            initial=part.reorder_quantity,
            min_value=1,
            max_value=MAX_QUANTITY,
            optional=True,
            hint="Else a reorder asks for this much.",
        ),
    ]
    return modal(
        "Reorder levels",
        CallbackId.REORDER_LEVELS,
        blocks,
        submit="Save",
        metadata={"id": part.id, "channel": channel_id},
    )


def render_offer_saved(offer: OfferView, verb: str) -> Message:
    text = f":white_check_mark: {verb} the offer of *{lb.text(offer.supplier_name, 100)}*."
    return message(text, [section(text)])
