"""Parts and stock commands: parts, part, use, restock, count, history."""

from __future__ import annotations

from bot import blocks
from bot.blocks.archiving import render_part_archived
from bot.commands import lookup
from bot.commands.base import CommandRequest, Message
from bot.commands.insight_cmds import usage_glance
from bot.commands.parse import quantity, split_at_quantity
from domain import parts, stock
from domain.errors import InvalidInput
from domain.low_stock_parts import list_parts_needing_stock
from domain.permissions import Action, require
from domain.results import StockChange

PAGE = 10


# ``/farlab parts low`` and ``out``: the word, and whether only parts at zero are listed.
NEEDING_STOCK = {"low": False, "out": True}


def handle_parts_command(req: CommandRequest, args: list[str]) -> Message:
    if len(args) == 1 and args[0].lower() in NEEDING_STOCK:
        needing = args[0].lower()
        found = list_parts_needing_stock(
            req.ctx, actor=req.actor, out_only=NEEDING_STOCK[needing], limit=PAGE
        )
        return blocks.render_parts_page(found, needing=needing, can_manage=req.can_manage)
    query = " ".join(args).strip()
    if not query:
        page = parts.list_parts(req.ctx, actor=req.actor, limit=PAGE)
        return blocks.render_parts_page(page, can_manage=req.can_manage)
    page = parts.search_parts(req.ctx, actor=req.actor, query=query, limit=PAGE)
    close = () if page.items else parts.suggest_parts(req.ctx, actor=req.actor, query=query)
    return blocks.render_parts_page(page, query=query, can_manage=req.can_manage, suggestions=close)


def handle_part_command(req: CommandRequest, args: list[str]) -> Message | None:
    if not args:
        raise InvalidInput(
            "Usage: /farlab part <part number or name> | part add | part edit <part> "
            "| part archive <part> | part delete <part>"
        )
    verb, rest = args[0].lower(), args[1:]
    if verb == "add" and not rest:
        require(req.actor, Action.MANAGE_PARTS)  # refuse before the form, not after it
        req.open_modal(blocks.part_form_modal(channel_id=req.channel_id))
        return None
    if verb == "edit" and rest:
        require(req.actor, Action.MANAGE_PARTS)
        part = lookup.part(req, " ".join(rest), rerun=("part", "edit"))
        req.open_modal(blocks.part_form_modal(part, channel_id=req.channel_id))
        return None
    if verb == "archive" and rest:
        part = lookup.part(req, " ".join(rest), rerun=("part", "archive"))
        archived = parts.deactivate_part(req.ctx, actor=req.actor, part_id=part.id)
        return render_part_archived(archived)
    if verb == "delete" and rest:
        require(req.actor, Action.MANAGE_PARTS)
        part = lookup.part(req, " ".join(rest), rerun=("part", "delete"))
        req.open_modal(blocks.confirm_delete_modal(part, channel_id=req.channel_id))
        return None
    ref = " ".join(args)
    # A part number, the common case, is read with its card in one query.
    detail = (
        None
        if lookup.is_pick(ref)
        else parts.detail_by_number(req.ctx, actor=req.actor, number=ref, with_orders=True)
    )
    if detail is None:
        part = lookup.part(req, ref, rerun=("part",))
        detail = parts.part_detail(req.ctx, actor=req.actor, part_id=part.id, with_orders=True)
    usage = usage_glance(req.ctx, req.actor, detail.part.id)
    return blocks.render_part_card(detail, can_manage=req.can_manage, usage=usage)


USE_USAGE = "/farlab use <part> <qty> [for <instrument>] [reason...]"


def handle_use_command(req: CommandRequest, args: list[str]) -> Message:
    ref, qty_word, rest = split_at_quantity(args, USE_USAGE)
    qty = quantity(qty_word)
    if not (rest and rest[0].lower() == "for"):
        done = _by_number(req, ref, -qty, rest)
        if done is not None:
            return blocks.render_stock_change(done)
    part = lookup.part(req, ref, rerun=("use",), rest=(qty_word, *rest))
    instrument_id = None
    if rest and rest[0].lower() == "for":
        if len(rest) < 2:
            raise InvalidInput(f"Name the instrument after 'for'. Usage: {USE_USAGE}")
        found, rest = lookup.instrument_prefix(
            req, rest[1:], rerun=("use", f"#{part.id}", qty_word, "for")
        )
        instrument_id = found.id
    change = stock.adjust_stock(
        req.ctx,
        actor=req.actor,
        part_id=part.id,
        delta=-qty,
        reason=" ".join(rest) or None,
        source="slack",
        instrument_id=instrument_id,
    )
    return blocks.render_stock_change(change)


def handle_restock_command(req: CommandRequest, args: list[str]) -> Message:
    ref, qty_word, rest = split_at_quantity(args, "/farlab restock <part> <qty> [reason...]")
    qty = quantity(qty_word)
    done = _by_number(req, ref, qty, rest)
    if done is not None:
        return blocks.render_stock_change(done)
    part = lookup.part(req, ref, rerun=("restock",), rest=(qty_word, *rest))
    change = stock.adjust_stock(
        req.ctx,
        actor=req.actor,
        part_id=part.id,
        delta=qty,
        reason=" ".join(rest) or None,
        source="slack",
    )
    return blocks.render_stock_change(change)


def handle_count_command(req: CommandRequest, args: list[str]) -> Message:
    ref, qty_word, rest = split_at_quantity(args, "/farlab count <part> <qty>")
    qty = quantity(qty_word, allow_zero=True)
    part = lookup.part(req, ref, rerun=("count",), rest=(qty_word, *rest))
    change = stock.count_stock(
        req.ctx,
        actor=req.actor,
        part_id=part.id,
        quantity=qty,
        reason=" ".join(rest) or None,
        source="slack",
    )
    return blocks.render_stock_change(change)


def handle_history_command(req: CommandRequest, args: list[str]) -> Message:
    if not args:
        raise InvalidInput("Usage: /farlab history <part>")
    part = lookup.part(req, " ".join(args), rerun=("history",))
    page = stock.part_history(req.ctx, actor=req.actor, part_id=part.id, limit=PAGE)
    return blocks.render_history(part, page)


def _by_number(req: CommandRequest, ref: str, delta: int, rest: list[str]) -> StockChange | None:
    """The fast path: a part named by its exact number, changed in one statement; None when
    the slow path must find the part (a name, a pick) or say why it cannot be changed."""
    if lookup.is_pick(ref):
        return None
    return stock.adjust_stock_by_number(
        req.ctx,
        actor=req.actor,
        part_number=ref,
        delta=delta,
        reason=" ".join(rest) or None,
        source="slack",
    )
