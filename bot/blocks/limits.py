"""Checks Slack's Block Kit limits on plain dicts, including those slack_sdk does not check.

slack_sdk validates Block *objects* only; dicts are sent unchecked, and even its objects miss
the 50-block message cap, section field lengths and dict option lengths
(Slack's Block Kit reference). Each check raises ``BlockKitLimitError`` naming
the offending block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import text as t


class BlockKitLimitError(ValueError):
    """A message, view or option list breaks one of Slack's limits."""


def _text_of(obj: Any) -> str:
    if isinstance(obj, Mapping):
        return str(obj.get("text", ""))
    return "" if obj is None else str(obj)


def _at_most(where: str, what: str, value: Any, limit: int) -> None:
    size = len(value) if value is not None else 0
    if size > limit:
        raise BlockKitLimitError(f"{where}: {what} is {size} characters long; the limit is {limit}")


def _count(where: str, what: str, items: Sequence[Any], limit: int) -> None:
    if len(items) > limit:
        raise BlockKitLimitError(f"{where}: {len(items)} {what}; the limit is {limit}")


def _not_empty(where: str, what: str, value: str) -> None:
    if not value.strip():
        raise BlockKitLimitError(f"{where}: {what} is empty")


def _option(where: str, opt: Mapping[str, Any]) -> None:
    label = _text_of(opt.get("text"))
    _not_empty(where, "option text", label)
    _at_most(where, f"option text {label[:30]!r}", label, t.OPTION_TEXT_MAX)
    _at_most(where, f"option value of {label[:30]!r}", opt.get("value"), t.OPTION_VALUE_MAX)
    if "description" in opt:
        _at_most(where, "option description", _text_of(opt["description"]), t.OPTION_TEXT_MAX)


def _options(where: str, options: Sequence[Mapping[str, Any]]) -> None:
    _count(where, "options", options, t.SELECT_OPTIONS_MAX)
    for opt in options:
        _option(where, opt)


def _confirm(where: str, dialog: Mapping[str, Any]) -> None:
    _at_most(where, "confirm title", _text_of(dialog.get("title")), t.CONFIRM_TITLE_MAX)
    _at_most(where, "confirm text", _text_of(dialog.get("text")), t.CONFIRM_TEXT_MAX)
    for key in ("confirm", "deny"):
        _at_most(where, f"confirm {key} text", _text_of(dialog.get(key)), t.CONFIRM_BUTTON_MAX)


def _element(where: str, element: Mapping[str, Any]) -> None:
    kind = element.get("type", "?")
    where = f"{where} {kind} {element.get('action_id', '')}".rstrip()
    _at_most(where, "action_id", element.get("action_id"), t.ACTION_ID_MAX)
    if kind == "button":
        label = _text_of(element.get("text"))
        _not_empty(where, "button text", label)
        _at_most(where, f"button text {label[:30]!r}", label, t.BUTTON_TEXT_MAX)
        _at_most(where, "button value", element.get("value"), t.BUTTON_VALUE_MAX)
        _at_most(where, "button url", element.get("url"), t.BUTTON_URL_MAX)
    if "placeholder" in element:
        _at_most(where, "placeholder", _text_of(element["placeholder"]), t.PLACEHOLDER_MAX)
    if "options" in element:
        _options(where, element["options"])
    for group in element.get("option_groups", ()):
        _options(where, group.get("options", ()))
    if "initial_option" in element:
        _option(where, element["initial_option"])
    for opt in element.get("initial_options", ()):
        _option(where, opt)
    if "confirm" in element:
        _confirm(where, element["confirm"])
    if kind == "plain_text_input":
        limit = int(element.get("max_length", t.TEXT_INPUT_MAX_LENGTH))
        if limit > t.TEXT_INPUT_MAX_LENGTH:
            raise BlockKitLimitError(
                f"{where}: max_length is {limit}; the limit is {t.TEXT_INPUT_MAX_LENGTH}"
            )
        _at_most(where, "initial_value", element.get("initial_value"), limit)


def check_block(block: Mapping[str, Any], index: int) -> None:
    """One block's limits; the error names the block by position, type and block_id."""
    kind = block.get("type", "?")
    block_id = block.get("block_id")
    where = f"block {index} ({kind}{f', block_id={block_id!r}' if block_id else ''})"
    _at_most(where, "block_id", block_id, t.BLOCK_ID_MAX)
    if kind == "section":
        if "text" not in block and not block.get("fields"):
            raise BlockKitLimitError(f"{where}: a section needs text or fields")
        _at_most(where, "section text", _text_of(block.get("text")), t.SECTION_TEXT_MAX)
        fields = block.get("fields", ())
        _count(where, "fields", fields, t.SECTION_FIELDS_MAX)
        for n, field in enumerate(fields):
            _at_most(where, f"field {n}", _text_of(field), t.SECTION_FIELD_TEXT_MAX)
        if "accessory" in block:
            _element(where, block["accessory"])
    elif kind == "header":
        label = _text_of(block.get("text"))
        _not_empty(where, "header text", label)
        _at_most(where, "header text", label, t.HEADER_TEXT_MAX)
    elif kind == "context":
        _count(where, "context elements", block.get("elements", ()), t.CONTEXT_ELEMENTS_MAX)
    elif kind == "actions":
        elements = block.get("elements", ())
        _count(where, "actions elements", elements, t.ACTIONS_ELEMENTS_MAX)
        for element in elements:
            _element(where, element)
    elif kind == "input":
        _at_most(where, "label", _text_of(block.get("label")), t.INPUT_LABEL_MAX)
        _at_most(where, "hint", _text_of(block.get("hint")), t.INPUT_HINT_MAX)
        _element(where, block.get("element", {}))


def check_blocks(blocks: Sequence[Mapping[str, Any]], max_blocks: int) -> None:
    _count("blocks", "blocks", blocks, max_blocks)
    for index, block in enumerate(blocks):
        check_block(block, index)


def check_message(message: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> None:
    """A message (``{"text", "blocks"}``) or its blocks: at most 50 blocks, each within limits."""
    blocks = message.get("blocks", ()) if isinstance(message, Mapping) else message
    check_blocks(blocks, t.MESSAGE_MAX_BLOCKS)


def check_view(view: Mapping[str, Any]) -> None:
    """A modal or Home tab: at most 100 blocks, title/submit/close, metadata, callback_id."""
    where = f"view {view.get('callback_id') or view.get('type')!r}"
    if view.get("type") == "modal":
        _not_empty(where, "title", _text_of(view.get("title")))
        has_inputs = any(b.get("type") == "input" for b in view.get("blocks", ()))
        if has_inputs and "submit" not in view:
            raise BlockKitLimitError(f"{where}: a modal with inputs needs a submit button")
    _at_most(where, "title", _text_of(view.get("title")), t.VIEW_TITLE_MAX)
    for key in ("submit", "close"):
        _at_most(where, key, _text_of(view.get(key)), t.VIEW_BUTTON_MAX)
    _at_most(where, "private_metadata", view.get("private_metadata"), t.PRIVATE_METADATA_MAX)
    _at_most(where, "callback_id", view.get("callback_id"), t.CALLBACK_ID_MAX)
    check_blocks(view.get("blocks", ()), t.VIEW_MAX_BLOCKS)


def check_options(options: Sequence[Mapping[str, Any]]) -> None:
    """An options listener's answer: at most 100 options, text <= 75, value <= 150."""
    _options("options", options)
