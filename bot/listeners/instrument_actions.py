"""The buttons of an instrument's card (Parts, History, Archive, Delete) and a part's Archive.

Archive and Delete ask first (the button's confirm dialog); the domain checks every click
from the verified payload's user, so a member replaying a manager's button is refused.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import blocks
from bot.blocks.archiving import (
    render_instrument_archived,
    render_instrument_deleted,
    render_part_archived,
)
from bot.blocks.instrument_history import render_status_history
from bot.blocks.instruments import render_instrument_parts
from bot.ids import ActionId
from bot.listeners.actions import Reply, answering_clicks
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import instruments, parts
from domain.errors import InvalidInput

Payload = dict[str, Any]
listeners = Listeners(answering_clicks)


def _id(body: Payload) -> int:
    found = blocks.packed_id(blocks.unpack((body.get("actions") or [{}])[0].get("value")).get("id"))
    if found is None:
        raise InvalidInput("This button is out of date; run the command again.")
    return found


@listeners.action(ActionId.INSTRUMENT_PARTS)
def handle_instrument_parts_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    needs = instruments.instrument_needs(
        runtime.ctx, actor=actor_of(context), instrument_id=_id(body)
    )
    reply.send(render_instrument_parts(needs))


@listeners.action(ActionId.INSTRUMENT_HISTORY)
def handle_instrument_history_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor, instrument_id = actor_of(context), _id(body)
    found = instruments.get_instrument(runtime.ctx, actor=actor, instrument_id=instrument_id)
    changes = instruments.status_history(
        runtime.ctx, actor=actor, instrument_id=instrument_id, limit=instruments.HISTORY_MAX
    )
    reply.send(render_status_history(found, changes))


@listeners.action(ActionId.INSTRUMENT_ARCHIVE)
def handle_instrument_archive_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    archived = instruments.deactivate_instrument(
        runtime.ctx, actor=actor_of(context), instrument_id=_id(body)
    )
    reply.send(render_instrument_archived(archived))


@listeners.action(ActionId.INSTRUMENT_DELETE)
def handle_instrument_delete_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor, instrument_id = actor_of(context), _id(body)
    found = instruments.get_instrument(runtime.ctx, actor=actor, instrument_id=instrument_id)
    instruments.delete_instrument(runtime.ctx, actor=actor, instrument_id=instrument_id)
    reply.send(render_instrument_deleted(found), replace=True)  # its card is gone with it


@listeners.action(ActionId.PART_ARCHIVE)
def handle_part_archive_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    archived = parts.deactivate_part(runtime.ctx, actor=actor_of(context), part_id=_id(body))
    reply.send(render_part_archived(archived))
