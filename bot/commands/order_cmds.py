"""Reorder requests and suppliers: reorder, orders, supplier add|edit|list."""

from __future__ import annotations

from bot.blocks.ordering import render_orders_page, reorder_modal
from bot.blocks.suppliers import render_suppliers_page, supplier_modal
from bot.commands import lookup
from bot.commands.base import Command, CommandRequest, Message
from bot.commands.parse import is_number, quantity
from domain import ordering, suppliers
from domain.context import DomainContext
from domain.errors import InvalidInput
from domain.permissions import Action, Actor, can, require

ORDERS_PAGE = 40
SUPPLIERS_PAGE = 20
REORDER_USAGE = "Usage: /farlab reorder <part> [quantity]"
SUPPLIER_USAGE = "Usage: /farlab supplier add | supplier edit <name> | supplier list"


def handle_reorder_command(req: CommandRequest, args: list[str]) -> None:
    """``/farlab reorder <part> [qty]``: the Request reorder modal, pre-filled."""
    if not args:
        raise InvalidInput(REORDER_USAGE)
    wanted = None
    if len(args) > 1 and is_number(args[-1]):
        wanted = quantity(args[-1])
        args = args[:-1]
    part = lookup.part(
        req, " ".join(args), rerun=("reorder",), rest=(str(wanted),) if wanted else ()
    )
    suggestion = ordering.suggest_reorder(req.ctx, actor=req.actor, part_id=part.id)
    req.open_modal(reorder_modal(suggestion, quantity=wanted, channel_id=req.channel_id))


def handle_orders_command(req: CommandRequest, args: list[str]) -> Message:
    """``/farlab orders [state]``: open requests by state (or those of one state)."""
    state = args[0].lower() if args else "open"
    page = ordering.list_orders(req.ctx, actor=req.actor, states=state, limit=ORDERS_PAGE)
    return render_orders_page(page, today=req.ctx.now().date(), state=state)


def handle_supplier_command(req: CommandRequest, args: list[str]) -> Message | None:
    verb, rest = (args[0].lower(), args[1:]) if args else ("", [])
    if verb == "add" and not rest:
        require(req.actor, Action.MANAGE_SUPPLIERS)  # refuse before the form, not after it
        req.open_modal(supplier_modal(channel_id=req.channel_id))
        return None
    if verb == "edit" and rest:
        require(req.actor, Action.MANAGE_SUPPLIERS)
        found = suppliers.find_supplier(req.ctx, actor=req.actor, name=" ".join(rest))
        req.open_modal(supplier_modal(found, channel_id=req.channel_id))
        return None
    if verb in ("list", "") and not rest:
        return suppliers_page(req.ctx, req.actor, offset=0)
    raise InvalidInput(SUPPLIER_USAGE)


def suppliers_page(ctx: DomainContext, actor: Actor, *, offset: int) -> Message:
    """A page of suppliers; managers see the inactive ones too, with Edit buttons."""
    manager = can(actor, Action.MANAGE_SUPPLIERS)
    page = suppliers.list_suppliers(
        ctx, actor=actor, include_inactive=manager, offset=offset, limit=SUPPLIERS_PAGE
    )
    return render_suppliers_page(page, can_manage=manager)


COMMANDS: tuple[Command, ...] = (
    Command("reorder", handle_reorder_command),
    Command("orders", handle_orders_command),
    Command("supplier", handle_supplier_command),
)
