"""Reading a submitted modal: Slack's ``state.values`` as plain Python values."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.blocks import packed_id, unpack
from domain.errors import InvalidInput
from domain.validation import each_field


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    return unpack(view.get("private_metadata"))


def read_state(view: dict[str, Any]) -> dict[str, Any]:
    """``{block_id: value}``: text (None when blank), int, date, bool, id or list of ids.

    A value that cannot be read (text in a number field) is an error on its field; every
    such field is named at once.
    """
    elements = {
        block_id: element
        for block_id, by_action in (view.get("state") or {}).get("values", {}).items()
        for element in by_action.values()
    }
    return each_field(elements, _value)


def _value(block_id: str, element: dict[str, Any]) -> Any:
    kind = element.get("type")
    if kind == "plain_text_input":
        text = element.get("value")
        return text if text and text.strip() else None
    if kind == "number_input":
        return _whole_number(block_id, element.get("value"))
    if kind == "datepicker":
        picked = element.get("selected_date")
        return date.fromisoformat(picked) if picked else None
    if kind == "checkboxes":
        return bool(element.get("selected_options"))
    if kind in ("static_select", "external_select"):
        option = element.get("selected_option")
        return option["value"] if option else None
    if kind == "multi_external_select" or kind == "multi_static_select":
        return [o["value"] for o in element.get("selected_options") or []]
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "conversations_select":
        return element.get("selected_conversation")
    if kind == "channels_select":
        return element.get("selected_channel")
    return element.get("value")


def _whole_number(block_id: str, text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput.field(block_id, "Enter a whole number.") from None


def picked_id(block_id: str, value: Any, what: str) -> int:
    """The id an external_select picked (its option value), or a field error."""
    if value is None:
        raise InvalidInput.field(block_id, f"Pick a {what}.")
    try:
        found = packed_id(int(value))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise InvalidInput.field(block_id, f"Pick a {what} from the list.")
    return found
