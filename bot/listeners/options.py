"""Options for the external_select pickers: fast, paged searches, never a full list."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot import blocks
from bot.blocks.suppliers import options_for_suppliers
from bot.ids import ActionId
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import instruments, parts, suppliers

MAX_OPTIONS = 50
listeners = Listeners()


@listeners.options(ActionId.PART_PICKER)
def handle_part_options(
    runtime: BotRuntime, ack: Ack, body: dict[str, Any], context: BoltContext
) -> None:
    actor = actor_of(context)
    query = (body.get("value") or "").strip()
    if len(query) < parts.MIN_SEARCH_LENGTH:
        ack(options=[])
        return
    page = parts.search_parts(runtime.ctx, actor=actor, query=query[:200], limit=MAX_OPTIONS)
    ack(options=blocks.options_for_parts(page.items))


@listeners.options(ActionId.INSTRUMENT_PICKER)
def handle_instrument_options(
    runtime: BotRuntime, ack: Ack, body: dict[str, Any], context: BoltContext
) -> None:
    actor = actor_of(context)
    query = (body.get("value") or "").strip().lower()
    page = instruments.list_instruments(runtime.ctx, actor=actor, limit=500)
    found = [i for i in page.items if query in i.name.lower()][:MAX_OPTIONS]
    ack(options=blocks.options_for_instruments(found))


@listeners.options(ActionId.SUPPLIER_PICKER)
def handle_supplier_options(
    runtime: BotRuntime, ack: Ack, body: dict[str, Any], context: BoltContext
) -> None:
    """Active suppliers whose name holds what was typed."""
    actor = actor_of(context)
    query = (body.get("value") or "").strip().lower()
    page = suppliers.list_suppliers(runtime.ctx, actor=actor, limit=200)
    found = [s for s in page.items if query in s.name.lower()][:MAX_OPTIONS]
    ack(options=options_for_suppliers(found))
