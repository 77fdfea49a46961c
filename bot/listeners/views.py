"""Modal submissions: validated by the domain; a refusal shows inline and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks
from bot.blocks import packed_id
from bot.commands.insight_cmds import usage_glance
from bot.forms import metadata, picked_id, read_state
from bot.ids import BlockId, CallbackId
from bot.listeners.registry import BoltListener, Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import instruments, parts, stock
from domain.errors import InvalidInput, NotFound
from domain.permissions import Action, Actor, can

Payload = dict[str, Any]
Message = dict[str, Any]
Handler = Callable[[BotRuntime, Actor, dict[str, Any], dict[str, Any]], Message]

_PART_FIELDS = (
    BlockId.PART_NUMBER,
    BlockId.NAME,
    BlockId.DESCRIPTION,
    BlockId.CATEGORY,
    BlockId.MANUFACTURER,
    BlockId.UNIT,
    BlockId.LOCATION,
)
_INSTRUMENT_FIELDS = (
    BlockId.NAME,
    BlockId.MODEL,
    BlockId.MANUFACTURER,
    BlockId.SERIAL_NUMBER,
    BlockId.LOCATION,
    BlockId.DESCRIPTION,
    BlockId.MAINTENANCE_DUE,
    BlockId.CALIBRATION_DUE,
    BlockId.MAINTENANCE_INTERVAL,
    BlockId.CALIBRATION_INTERVAL,
)


def answered_after_closing(runtime: BotRuntime) -> Callable[[Handler], BoltListener]:
    """Run the submission's handler; close the modal only if it succeeded, then confirm."""

    def adapt(handler: Handler) -> BoltListener:
        def handle_view_submission(
            ack: Ack, body: Payload, view: dict[str, Any], client: WebClient, context: BoltContext
        ) -> None:
            actor = actor_of(context)
            meta = metadata(view)
            answer = handler(runtime, actor, read_state(view), meta)
            ack()  # closes the modal; reached only when the domain accepted the submission
            runtime.defer(confirm, client, body["user"]["id"], meta.get("channel"), answer)

        return handle_view_submission

    return adapt


listeners = Listeners(answered_after_closing)


def confirm(client: WebClient, user_id: str, channel: str | None, answer: Message) -> None:
    """Tell the person what happened: ephemeral where they started, else by DM."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, **answer)
            return
        except SlackApiError:
            pass  # e.g. the bot is not in that channel: fall back to a DM
    client.chat_postMessage(channel=user_id, **answer)


def _part_id(values: dict[str, Any], meta: dict[str, Any]) -> int:
    packed = packed_id(meta.get("id"))
    if packed is not None:
        return packed
    return picked_id(BlockId.PART, values.get(BlockId.PART), "part")


@listeners.view(CallbackId.PART_ADD)
def handle_part_add_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], _meta: dict[str, Any]
) -> Message:
    fields: dict[str, Any] = {f.value: values.get(f) for f in _PART_FIELDS if f in values}
    part = parts.create_part(
        runtime.ctx,
        actor=actor,
        quantity_in_stock=values.get(BlockId.INITIAL_STOCK) or 0,
        minimum_stock_level=values.get(BlockId.MINIMUM) or 0,
        is_critical=bool(values.get(BlockId.CRITICAL)),
        instrument_ids=tuple(
            picked_id(BlockId.INSTRUMENTS, i, "instrument")
            for i in values.get(BlockId.INSTRUMENTS) or ()
        ),
        source="slack",
        **fields,
    )
    return blocks.render_notice(f"Added part {part.part_number} {part.name}.")


@listeners.view(CallbackId.PART_EDIT)
def handle_part_edit_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    changes: dict[str, Any] = {f.value: values.get(f) for f in _PART_FIELDS if f in values}
    if BlockId.MINIMUM in values:
        changes["minimum_stock_level"] = values[BlockId.MINIMUM] or 0
    if BlockId.CRITICAL in values:
        changes["is_critical"] = bool(values[BlockId.CRITICAL])
    part = parts.update_part(runtime.ctx, actor=actor, part_id=_part_id(values, meta), **changes)
    return blocks.render_notice(f"Saved part {part.part_number} {part.name}.")


@listeners.view(CallbackId.PART_DELETE)
def handle_part_delete_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    part = parts.delete_part(runtime.ctx, actor=actor, part_id=_part_id(values, meta))
    return blocks.render_part_deleted(part)


@listeners.view(CallbackId.PART_FIND)
def handle_part_find_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    detail = parts.part_detail(
        runtime.ctx, actor=actor, part_id=_part_id(values, meta), with_orders=True
    )
    usage = usage_glance(runtime.ctx, actor, detail.part.id)
    return blocks.render_part_card(detail, can_manage=can(actor, Action.MANAGE_PARTS), usage=usage)


def _stock(kind: str) -> Handler:
    def handle_stock_submission(
        runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
    ) -> Message:
        part_id = _part_id(values, meta)
        qty = values.get(BlockId.QUANTITY)
        if qty is None:
            raise InvalidInput.field(BlockId.QUANTITY, "Enter how many.")
        reason = values.get(BlockId.REASON)
        try:
            if kind == "count":
                change = stock.count_stock(
                    runtime.ctx,
                    actor=actor,
                    part_id=part_id,
                    quantity=qty,
                    reason=reason,
                    source="slack",
                )
            else:
                if qty <= 0:
                    raise InvalidInput.field(BlockId.QUANTITY, "Enter a whole number of 1 or more.")
                instrument = values.get(BlockId.INSTRUMENT)
                change = stock.adjust_stock(
                    runtime.ctx,
                    actor=actor,
                    part_id=part_id,
                    delta=-qty if kind == "use" else qty,
                    reason=reason,
                    source="slack",
                    instrument_id=picked_id(BlockId.INSTRUMENT, instrument, "instrument")
                    if instrument
                    else None,
                )
        except NotFound as exc:
            raise InvalidInput.field(BlockId.QUANTITY, exc.message) from exc
        return blocks.render_stock_change(change, kind)  # type: ignore[arg-type]

    return handle_stock_submission


listeners.view(CallbackId.STOCK_USE)(_stock("use"))
listeners.view(CallbackId.STOCK_RESTOCK)(_stock("restock"))
listeners.view(CallbackId.STOCK_COUNT)(_stock("count"))


@listeners.view(CallbackId.INSTRUMENT_ADD)
def handle_instrument_add_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], _meta: dict[str, Any]
) -> Message:
    fields = {f.value: values.get(f) for f in _INSTRUMENT_FIELDS if f in values}
    found = instruments.create_instrument(
        runtime.ctx, actor=actor, status=values.get(BlockId.STATUS) or "operational", **fields
    )
    return blocks.render_notice(f"Added instrument {found.name}.")


def _instrument_id(meta: dict[str, Any]) -> int:
    found = packed_id(meta.get("id"))
    if found is None:
        raise InvalidInput("This form is out of date; run the command again.")
    return found


@listeners.view(CallbackId.INSTRUMENT_EDIT)
def handle_instrument_edit_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    fields = {f.value: values.get(f) for f in _INSTRUMENT_FIELDS if f in values}
    found = instruments.update_instrument(
        runtime.ctx, actor=actor, instrument_id=_instrument_id(meta), **fields
    )
    return blocks.render_notice(f"Saved instrument {found.name}.")


@listeners.view(CallbackId.INSTRUMENT_STATUS)
def handle_instrument_status_submission(
    runtime: BotRuntime, actor: Actor, values: dict[str, Any], meta: dict[str, Any]
) -> Message:
    status = values.get(BlockId.STATUS)
    if not status:
        raise InvalidInput.field(BlockId.STATUS, "Pick a status.")
    found = instruments.set_instrument_status(
        runtime.ctx,
        actor=actor,
        instrument_id=_instrument_id(meta),
        status=status,
        note=values.get(BlockId.NOTE),
    )
    return blocks.render_instrument_status_changed(found, values.get(BlockId.NOTE))
