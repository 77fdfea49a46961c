"""Modal pieces: the modal itself, its input blocks, and inline field errors.

Every input block gets a ``BlockId`` (the domain's field name) and its element the action id
``ActionId.FIELD`` (pickers use their own action ids), so a submission is read as
``state["values"][block_id][action_id]`` and ``InvalidInput.errors`` map onto the blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.blocks.elements import Block, option, plain
from bot.blocks.text import (
    INPUT_HINT_MAX,
    INPUT_LABEL_MAX,
    PLACEHOLDER_MAX,
    PRIVATE_METADATA_MAX,
    TEXT_INPUT_MAX_LENGTH,
    VIEW_BUTTON_MAX,
    VIEW_TITLE_MAX,
    fit,
)
from bot.blocks.values import pack
from bot.ids import ActionId

PICKER_MIN_QUERY = 2


def modal(
    title: str,
    callback_id: str,
    blocks: list[Block],
    *,
    submit: str | None,
    close: str = "Cancel",
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A modal view; ``metadata`` is packed as JSON into ``private_metadata``."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, VIEW_TITLE_MAX),
        "close": plain(close, VIEW_BUTTON_MAX),
        "blocks": blocks,
        "private_metadata": pack(metadata or {}, limit=PRIVATE_METADATA_MAX),
    }
    if submit is not None:
        view["submit"] = plain(submit, VIEW_BUTTON_MAX)
    return view


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, INPUT_LABEL_MAX),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, INPUT_HINT_MAX)
    return block


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    max_length: int = TEXT_INPUT_MAX_LENGTH,
    multiline: bool = False,
    optional: bool = False,
    placeholder: str | None = None,
    hint: str | None = None,
) -> Block:
    """A plain_text_input; the initial value is fitted to ``max_length``."""
    max_length = min(max_length, TEXT_INPUT_MAX_LENGTH)
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.FIELD,
        "max_length": max_length,
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = fit(initial, max_length)
    if placeholder:
        element["placeholder"] = plain(placeholder, PLACEHOLDER_MAX)
    return _input(block_id, label, element, optional=optional, hint=hint)


def number_input(
    block_id: str,
    label: str,
    *,
    initial: int | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """A whole-number input."""
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": ActionId.FIELD,
        "is_decimal_allowed": False,
    }
    if initial is not None:
        element["initial_value"] = str(initial)
    if min_value is not None:
        element["min_value"] = str(min_value)
    if max_value is not None:
        element["max_value"] = str(max_value)
    return _input(block_id, label, element, optional=optional, hint=hint)


def date_input(
    block_id: str, label: str, *, initial: date | None = None, optional: bool = True
) -> Block:
    element: dict[str, Any] = {"type": "datepicker", "action_id": ActionId.FIELD}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return _input(block_id, label, element, optional=optional, hint=None)


def checkbox_input(
    block_id: str, label: str, *, text: str, value: str, checked: bool, hint: str | None = None
) -> Block:
    """One checkbox, always optional (unchecked is an answer)."""
    box = option(text, value)
    element: dict[str, Any] = {"type": "checkboxes", "action_id": ActionId.FIELD, "options": [box]}
    if checked:
        element["initial_options"] = [box]
    return _input(block_id, label, element, optional=True, hint=hint)


def select_input(
    block_id: str,
    label: str,
    *,
    choices: Sequence[tuple[str, str]],
    initial: str | None = None,
    optional: bool = False,
) -> Block:
    """A static_select of ``(value, text)`` choices."""
    options = [option(text, value) for value, text in choices]
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": ActionId.FIELD,
        "options": options,
    }
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return _input(block_id, label, element, optional=optional, hint=None)


def picker_input(
    block_id: str,
    label: str,
    *,
    action_id: str,
    placeholder: str,
    optional: bool = False,
    multi: bool = False,
    hint: str | None = None,
) -> Block:
    """An external_select (or multi_external_select) served by an options listener."""
    element: dict[str, Any] = {
        "type": "multi_external_select" if multi else "external_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, PLACEHOLDER_MAX),
        "min_query_length": PICKER_MIN_QUERY,
    }
    return _input(block_id, label, element, optional=optional, hint=hint)


def channel_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """A conversations_select of public and private channels (no DMs), read as the picked
    channel's id; ``initial`` is picked to start with."""
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": ActionId.FIELD,
        "placeholder": plain("Pick a channel", PLACEHOLDER_MAX),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return _input(block_id, label, element, optional=optional, hint=hint)


def modal_errors(view: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors for ``ack(response_action="errors", errors=...)``, keyed by block_id.

    Errors for fields the modal has no input for go on its first input block, so none is
    lost (Slack rejects errors keyed by a block_id the view does not have). Empty when the
    view has no input blocks.
    """
    inputs = [b["block_id"] for b in view.get("blocks", ()) if b.get("type") == "input"]
    if not inputs:
        return {}
    shown: dict[str, str] = {}
    for field, text in errors.items():
        key = field if field in inputs else inputs[0]
        shown[key] = f"{shown[key]} {text}" if key in shown else text
    return shown
