"""``fill_modal``: the ``state.values`` Slack would send for a modal a person filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

TEXT_INPUTS = frozenset(
    {"plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input"}
)
SINGLE_OPTION = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
MULTI_OPTION = frozenset({"checkboxes", "multi_static_select", "multi_external_select"})
PICKERS = {
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "multi_users_select": ("selected_users", "initial_users"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}


def fill_modal(view: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """``state.values`` for the view's input blocks: ``{block_id: {action_id: state}}``.

    ``answers`` maps an element's action_id, or its input's label text, to what the person
    entered: text for text inputs, an option value (or option dict) for selects and radio
    buttons, a list of values for checkboxes and multi-selects, a user id, a date (or ISO
    text), file objects (``SlackStandIn.file_info``) for a file input. Inputs left out
    carry their initial value, or nothing, as in Slack.
    """
    values: dict[str, Any] = {}
    unused = set(answers)
    for block, element in input_elements(view):
        action_id = element.get("action_id", "")
        label = (block.get("label") or {}).get("text")
        key = action_id if action_id in answers else label if label in answers else None
        if key is not None:
            unused.discard(key)
        state = element_state(element, answers[key] if key is not None else None)
        values.setdefault(block.get("block_id", ""), {})[action_id] = state
    if unused:
        known = [e.get("action_id") for _, e in input_elements(view)]
        raise KeyError(f"no input for {sorted(unused)} in the view; its inputs: {known}")
    return values


def input_elements(view: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for block in view.get("blocks", []):
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]


def element_state(element: Mapping[str, Any], answer: Any) -> dict[str, Any]:
    """One element's entry in ``state.values`` (``answer`` None: its initial value)."""
    kind = element.get("type", "")
    state: dict[str, Any] = {"type": kind}
    if kind in TEXT_INPUTS:
        value = answer if answer is not None else element.get("initial_value")
        state["value"] = None if value is None else str(value)
    elif kind in SINGLE_OPTION:
        chosen = element.get("initial_option") if answer is None else find_option(element, answer)
        state["selected_option"] = chosen
    elif kind in MULTI_OPTION:
        chosen_list = (
            element.get("initial_options", [])
            if answer is None
            else [find_option(element, a) for a in answer]
        )
        state["selected_options"] = chosen_list
    elif kind in PICKERS:
        selected, initial = PICKERS[kind]
        value = element.get(initial) if answer is None else answer
        state[selected] = value.isoformat() if isinstance(value, dt.date | dt.time) else value
    elif kind == "file_input":
        files = [] if answer is None else answer if isinstance(answer, list) else [answer]
        state["files"] = [dict(f) for f in files]
    else:
        state["value"] = answer
    return state


def find_option(element: Mapping[str, Any], answer: Any) -> dict[str, Any]:
    """The element's option whose value (or text) is ``answer``; an option dict passes as is.

    External selects have no options in the view: a plain value becomes an option for it.
    """
    if isinstance(answer, Mapping):
        return dict(answer)
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    for option in options:
        if option.get("value") == answer or (option.get("text") or {}).get("text") == answer:
            return dict(option)
    if element.get("type") in ("external_select", "multi_external_select"):
        return {"text": {"type": "plain_text", "text": str(answer)}, "value": str(answer)}
    values = [o.get("value") for o in options]
    raise KeyError(f"no option {answer!r} in {element.get('action_id')}; options: {values}")
