"""Alert modals: raise an alert (from a message's shortcut), and route a category's or an
instrument's alerts to a channel picked from Slack's list."""

from __future__ import annotations

from typing import Any

from bot.blocks.elements import Block, context
from bot.blocks.inputs import channel_input, modal, picker_input, select_input, text_input
from bot.blocks.text import fit, plain_text_of
from bot.ids import ActionId, BlockId, CallbackId
from domain.alert_routes import CHANNEL_ID
from domain.vocabulary import AlertSeverity, RouteKind

MESSAGE_MAX = 2000  # domain.alerts.raise_alert
TARGET_MAX = 100  # domain.alert_routes.set_alert_route
SEVERITIES = (
    (AlertSeverity.INFO.value, "Info"),
    (AlertSeverity.WARNING.value, "Warning"),
    (AlertSeverity.CRITICAL.value, "Critical"),
)
KINDS = ((RouteKind.CATEGORY.value, "Category"), (RouteKind.INSTRUMENT.value, "Instrument"))


def alert_message_from(text: str, link: str | None) -> str:
    """What a message says, and where it was said, as an alert's message to start from."""
    said = plain_text_of(text).strip()
    if link is None:
        return fit(said, MESSAGE_MAX)
    source = f"From Slack: {link}"
    if not said:
        return source
    return fit(said, MESSAGE_MAX - len(source) - 2) + "\n\n" + source


def raise_alert_modal(
    *, text: str = "", link: str | None = None, channel_id: str | None = None
) -> dict[str, Any]:
    """The raise-alert form, filled in with a message's text and its link."""
    blocks: list[Block] = []
    if channel_id and CHANNEL_ID.match(channel_id):
        blocks.append(context(f"About a message in <#{channel_id}>."))
    blocks += [
        picker_input(
            BlockId.PART,
            "Part",
            action_id=ActionId.PART_PICKER,
            placeholder="Type 2 letters of its number or name",
            optional=True,
            hint="Pick the part, the instrument, or both.",
        ),
        picker_input(
            BlockId.INSTRUMENT,
            "Instrument",
            action_id=ActionId.INSTRUMENT_PICKER,
            placeholder="Type 2 letters of its name",
            optional=True,
        ),
        select_input(
            BlockId.SEVERITY, "Severity", choices=SEVERITIES, initial=AlertSeverity.WARNING
        ),
        text_input(
            BlockId.MESSAGE,
            "What is wrong",
            initial=alert_message_from(text, link) or None,
            max_length=MESSAGE_MAX,
            multiline=True,
        ),
    ]
    return modal(
        "Raise an alert",
        CallbackId.ALERT_RAISE,
        blocks,
        submit="Raise",
        metadata={"channel": channel_id},
    )


def alert_route_modal(*, channel_id: str | None = None) -> dict[str, Any]:
    """Send a category's or an instrument's alerts to a channel picked from Slack's list
    (``channel_id``: the channel the command was typed in, picked to start with)."""
    in_channel = channel_id if channel_id and CHANNEL_ID.match(channel_id) else None
    channel = channel_input(
        BlockId.CHANNEL,
        "Channel",
        initial=in_channel,
        hint="For a private channel, invite FarLab to it first (/invite @FarLab).",
    )
    blocks: list[Block] = [
        text_input(
            BlockId.TARGET,
            "Category or instrument",
            max_length=TARGET_MAX,
            placeholder="Filaments, or MAT253",
            hint="Its name, exactly as FarLab has it (any case).",
        ),
        select_input(BlockId.KIND, "It is a", choices=KINDS, optional=True),
        channel,
    ]
    return modal(
        "Route alerts",
        CallbackId.ALERT_ROUTE,
        blocks,
        submit="Route",
        metadata={"channel": channel_id},
    )
