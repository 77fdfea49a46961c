"""Suppliers: the supplier modal, the paged list and the picker's options (a part's offers
are in ``bot.blocks.offers``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    button,
    header,
    message,
    option,
    page_footer,
    section,
    within,
)
from bot.blocks.inputs import checkbox_input, modal, text_input
from bot.blocks.text import MESSAGE_MAX_BLOCKS, SELECT_OPTIONS_MAX
from bot.ids import ActionId, BlockId, CallbackId
from domain.order_results import SupplierView
from domain.results import Page
from domain.suppliers import SUPPLIER_TEXT

NOTES_MAX = 2000
OFFERS_SHOWN = 10


# -- suppliers ---------------------------------------------------------------------------


def supplier_modal(
    supplier: SupplierView | None = None, *, channel_id: str | None = None
) -> dict[str, Any]:
    """Add a supplier (``supplier`` is None) or edit one, with its Active checkbox."""
    s = supplier
    blocks: list[Block] = [
        text_input(
            BlockId.NAME, "Name", initial=s.name if s else None, max_length=SUPPLIER_TEXT["name"]
        ),
        text_input(
            BlockId.WEBSITE,
            "Website",
            initial=s.website if s else None,
            max_length=SUPPLIER_TEXT["website"],
            optional=True,
        ),
        text_input(
            BlockId.EMAIL,
            "E-mail",
            initial=s.email if s else None,
            max_length=SUPPLIER_TEXT["email"],
            optional=True,
        ),
        text_input(
            BlockId.PHONE,
            "Phone",
            initial=s.phone if s else None,
            max_length=SUPPLIER_TEXT["phone"],
            optional=True,
        ),
        text_input(
            BlockId.ACCOUNT_NUMBER,
            "Account number",
            initial=s.account_number if s else None,
            max_length=SUPPLIER_TEXT["account_number"],
            optional=True,
        ),
        text_input(
            BlockId.NOTES,
            "Notes",
            initial=s.notes if s else None,
            max_length=NOTES_MAX,
            multiline=True,
            optional=True,
        ),
    ]
    if s is None:
        return modal(
            "Add supplier",
            CallbackId.SUPPLIER_ADD,
            blocks,
            submit="Add",
            metadata={"channel": channel_id},
        )
    blocks.append(
        checkbox_input(
            BlockId.ACTIVE,
            "Active",
            text="Active: offers, requests and orders may name it",
            value="active",
            checked=s.is_active,
        )
    )
    return modal(
        "Edit supplier",
        CallbackId.SUPPLIER_EDIT,
        blocks,
        submit="Save",
        metadata={"id": s.id, "channel": channel_id},
    )


def _supplier_item(supplier: SupplierView, *, can_manage: bool) -> list[Block]:
    facts = [f"{supplier.offer_count} offers"]
    if not supplier.is_active:
        facts.insert(0, ":no_entry_sign: inactive")
    if supplier.email:
        facts.append(lb.text(supplier.email, 100))
    if supplier.phone:
        facts.append(lb.text(supplier.phone, 50))
    if supplier.account_number:
        facts.append(f"account {lb.text(supplier.account_number, 100)}")
    lines = [f"*{lb.text(supplier.name, 100)}*", " · ".join(facts)]
    if supplier.website:
        lines.append(lb.text(supplier.website, 500))
    edit = button("Edit", ActionId.SUPPLIER_EDIT, value={"id": supplier.id}) if can_manage else None
    return [section("\n".join(lines), accessory=edit)]


def render_suppliers_page(page: Page[SupplierView], *, can_manage: bool) -> Message:
    blocks: list[Block] = [header("Suppliers")]
    items, shown = within(
        (_supplier_item(s, can_manage=can_manage) for s in page.items), MESSAGE_MAX_BLOCKS - 3
    )
    blocks += items or [section("No suppliers yet. Add one: `/farlab supplier add`.")]
    blocks += page_footer(
        page,
        shown,
        next_id=ActionId.SUPPLIERS_NEXT,
        previous_id=ActionId.SUPPLIERS_PREVIOUS,
        state={},
    )
    return message(f"{shown} suppliers", blocks)


def options_for_suppliers(suppliers: Iterable[SupplierView]) -> list[dict[str, Any]]:
    found = [option(s.name, str(s.id)) for s in suppliers]
    return found[:SELECT_OPTIONS_MAX]
