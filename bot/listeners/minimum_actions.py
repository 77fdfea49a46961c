"""``/farlab minimums``' buttons: accept one part's suggested minimum, or every one shown.

The list is replaced in place by what was accepted and the suggestions still open; a
suggestion that changed since it was shown, or a member's click, is told to the clicker
alone (the domain refuses both) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import blocks
from bot.blocks.minimums import SHOWN, render_minimums_accepted
from bot.ids import ActionId
from bot.listeners.actions import Reply, answering_clicks
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import forecasting
from domain.errors import InvalidInput
from domain.validation import MAX_QUANTITY

Payload = dict[str, Any]
listeners = Listeners(answering_clicks)
OUT_OF_DATE = "These buttons are out of date; run `/farlab minimums` again."


def _value(body: Payload) -> dict[str, Any]:
    return blocks.unpack((body.get("actions") or [{}])[0].get("value"))


def _pair(part: Any, minimum: Any) -> tuple[int, int]:
    part_id = blocks.packed_id(part)
    ok = isinstance(minimum, int) and not isinstance(minimum, bool)
    if part_id is None or not ok or not 0 <= minimum <= MAX_QUANTITY:
        raise InvalidInput(OUT_OF_DATE)
    return part_id, minimum


def accepted_of(body: Payload) -> list[tuple[int, int]]:
    """The ``(part id, suggested)`` pairs a button carries: one, or every one shown."""
    value = _value(body)
    if body["actions"][0]["action_id"] == ActionId.MINIMUM_ACCEPT:
        return [_pair(value.get("id"), value.get("m"))]
    pairs = value.get("a")
    if not isinstance(pairs, list) or not 0 < len(pairs) <= SHOWN:
        raise InvalidInput(OUT_OF_DATE)
    if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise InvalidInput(OUT_OF_DATE)
    return [_pair(part, minimum) for part, minimum in pairs]


@listeners.action(ActionId.MINIMUM_ACCEPT, ActionId.MINIMUMS_ACCEPT_ALL)
def handle_accept_minimums_action(
    runtime: BotRuntime, body: Payload, context: BoltContext, reply: Reply
) -> None:
    actor = actor_of(context)
    changes = forecasting.accept_minimums(runtime.ctx, actor=actor, accepted=accepted_of(body))
    remaining = forecasting.minimum_suggestions(runtime.ctx, actor=actor, limit=SHOWN)
    reply.send(render_minimums_accepted(changes, remaining), replace=True)
