"""An open modal being filled in: its inputs by number, the answers typed, its state.values.

Answers are checked as Slack's own client checks them before a submission (numbers, dates,
options, required inputs); everything else is the app's to judge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from console.errors import StepFailed
from console.render import FieldShown, all_options, option_text
from slack_stand_in.forms import MULTI_OPTION, PICKERS, SINGLE_OPTION, element_state, input_elements

Option = dict[str, Any]
# Finds the options an external select offers for a typed query, and picks one.
Search = Callable[["ModalField", str], Option]
# The Slack user id of a username (for users_select inputs).
UserIdOf = Callable[[str], str]
# The id of a channel named as typed, ``#lab`` or ``lab`` (for channel pickers).
ChannelIdOf = Callable[[str], str]
CHANNEL_PICKERS = frozenset(
    {
        "conversations_select",
        "channels_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)

_YES = frozenset({"yes", "y", "true", "on", "x", "1", "checked"})
_NO = frozenset({"no", "n", "false", "off", "0", "", "unchecked"})
OPTIONS_LISTED = 8  # more are not repeated in an error
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass
class ModalField:
    number: int
    block: Mapping[str, Any]
    element: Mapping[str, Any]
    answer: Any = None  # None: the initial value stands
    cleared: bool = False

    @property
    def block_id(self) -> str:
        return str(self.block.get("block_id", ""))

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))

    @property
    def label(self) -> str:
        return str((self.block.get("label") or {}).get("text", ""))

    @property
    def optional(self) -> bool:
        return bool(self.block.get("optional"))

    def names(self) -> list[str]:
        """What ``field <name> value`` may call it: its number, block id or label."""
        return [str(self.number), self.block_id, self.label]

    def state(self) -> dict[str, Any]:
        """The element's entry in ``state.values``, as Slack would send it."""
        if not self.cleared:
            return element_state(self.element, self.answer)
        empty: dict[str, Any] = {"type": self.kind}
        if self.kind in SINGLE_OPTION:
            empty["selected_option"] = None
        elif self.kind in MULTI_OPTION:
            empty["selected_options"] = []
        elif self.kind in PICKERS:
            empty[PICKERS[self.kind][0]] = None
        else:
            empty["value"] = None
        return empty

    def shown(self) -> str:
        """The current value as a person reads it (empty when there is none)."""
        state = self.state()
        if self.kind == "file_input":
            return ", ".join(str(f.get("name", "")) for f in state.get("files") or [])
        if self.kind in SINGLE_OPTION:
            chosen = state.get("selected_option")
            return option_text(chosen) if chosen else ""
        if self.kind in MULTI_OPTION:
            chosen_all = state.get("selected_options") or []
            if self.kind == "checkboxes" and len(all_options(self.element)) == 1:
                return "yes" if chosen_all else "no"
            return ", ".join(option_text(o) for o in chosen_all)
        if self.kind in PICKERS:
            picked = state.get(PICKERS[self.kind][0])
            return ", ".join(picked) if isinstance(picked, list) else str(picked or "")
        return str(state.get("value") or "")


def _as_is(channel_id: str) -> str:
    return channel_id


@dataclass
class ModalForm:
    view: Mapping[str, Any]
    fields: list[ModalField] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    # The name of a channel by its id, to show a channel picker's value as ``#lab``.
    channel_name: Callable[[str], str] = _as_is

    @classmethod
    def of(
        cls,
        view: Mapping[str, Any],
        previous: ModalForm | None = None,
        channel_name: Callable[[str], str] = _as_is,
    ) -> ModalForm:
        """The form for ``view``; answers typed into the same inputs of ``previous`` stay."""
        kept = {}
        if previous is not None and previous.view.get("id") == view.get("id"):
            kept = {(f.block_id, f.kind): f for f in previous.fields}
        fields = []
        for number, (block, element) in enumerate(input_elements(view), start=1):
            current = ModalField(number, block, element)
            old = kept.get((current.block_id, current.kind))
            if old is not None:
                current.answer, current.cleared = old.answer, old.cleared
            fields.append(current)
        return cls(view, fields, channel_name=channel_name)

    @property
    def title(self) -> str:
        return str((self.view.get("title") or {}).get("text", "Modal"))

    def find(self, text: str) -> tuple[ModalField, str]:
        """The field ``text`` starts with (number, block id or label), and the rest of it."""
        lowered = text.lower()
        best: tuple[int, ModalField] | None = None
        for candidate in self.fields:
            for name in candidate.names():
                name = name.lower()
                fits = lowered == name or lowered.startswith(name + " ")
                if name and fits and (best is None or len(name) > best[0]):
                    best = (len(name), candidate)
        if best is None:
            known = ", ".join(f"({f.number}) {f.label}" for f in self.fields) or "none"
            raise StepFailed(f"No input {text.split(' ')[0]!r} in this modal; its inputs: {known}")
        return best[1], text[best[0] :].strip()

    def shown(self, block_id: str) -> FieldShown | None:
        for candidate in self.fields:
            if candidate.block_id == block_id:
                value = self.value_of(candidate)
                return FieldShown(candidate.number, value, self.errors.get(block_id))
        return None

    def value_of(self, target: ModalField) -> str:
        """A field's value as a person reads it: a picked channel as ``#lab``."""
        value = target.shown()
        if target.kind in CHANNEL_PICKERS and value:
            return ", ".join(f"#{self.channel_name(c)}" for c in value.split(", "))
        return value

    def missing(self) -> list[ModalField]:
        return [f for f in self.fields if not f.optional and not f.shown()]

    def values(self) -> dict[str, Any]:
        """``state.values``: ``{block_id: {action_id: state}}``."""
        values: dict[str, Any] = {}
        for entry in self.fields:
            action_id = str(entry.element.get("action_id", ""))
            values.setdefault(entry.block_id, {})[action_id] = entry.state()
        return values


def set_answer(
    target: ModalField,
    raw: str,
    search: Search,
    user_id_of: UserIdOf,
    channel_id_of: ChannelIdOf | None = None,
) -> None:
    """Check ``raw`` as Slack's client would, and keep it as the field's answer."""
    kind, element = target.kind, target.element
    if kind in ("external_select", "multi_external_select"):
        queries = _items(raw) if kind.startswith("multi") else [raw.strip()]
        picked = [search(target, q) for q in queries]
        answer: Any = picked if kind.startswith("multi") else picked[0]
    elif kind in SINGLE_OPTION:
        answer = pick_option(all_options(element), raw, target.label)
    elif kind in MULTI_OPTION:
        answer = _several(element, raw, target.label)
    elif kind == "number_input":
        answer = _number(element, raw)
    elif kind == "datepicker":
        answer = _date(raw)
    elif kind == "timepicker":
        if not _TIME.fullmatch(raw.strip()):
            raise StepFailed(f"{target.label}: enter a time as HH:MM, e.g. 14:30.")
        answer = raw.strip()
    elif kind in ("users_select", "multi_users_select"):
        ids = [user_id_of(name) for name in _items(raw)]
        answer = ids if kind.startswith("multi") else ids[0]
    elif kind in CHANNEL_PICKERS:
        channel_ids = [(channel_id_of or str.strip)(name) for name in _items(raw)]
        answer = channel_ids if kind.startswith("multi") else channel_ids[0]
    else:
        answer = raw
    target.answer, target.cleared = answer, False


def pick_option(options: list[Option], raw: str, label: str) -> Option:
    """The option named by its text or value, its number in the list, or a unique start."""
    wanted = raw.strip().lower()
    for option in options:
        if wanted in (str(option.get("value", "")).lower(), option_text(option).lower()):
            return option
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    starting = [o for o in options if option_text(o).lower().startswith(wanted)]
    if wanted and len(starting) == 1:
        return starting[0]
    if len(options) > OPTIONS_LISTED:
        raise StepFailed(f"{label}: no option {raw.strip()!r}; answer 1 to {len(options)}.")
    names = ", ".join(f"{n}. {option_text(o)}" for n, o in enumerate(options, start=1))
    raise StepFailed(f"{label}: no option {raw.strip()!r}; choose one of: {names}")


def _items(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()] or [""]


def _several(element: Mapping[str, Any], raw: str, label: str) -> list[Option]:
    options = all_options(element)
    if element.get("type") == "checkboxes" and len(options) == 1:
        word = raw.strip().lower()
        if word in _YES:
            return options
        if word in _NO:
            return []
        raise StepFailed(f"{label}: answer yes or no.")
    return [pick_option(options, item, label) for item in _items(raw) if item]


def _number(element: Mapping[str, Any], raw: str) -> str:
    text = raw.strip()
    try:
        number = float(text) if element.get("is_decimal_allowed") else int(text)
    except ValueError:
        whole = "" if element.get("is_decimal_allowed") else "whole "
        raise StepFailed(f"Enter a {whole}number, not {text!r}.") from None
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and number < float(low):
        raise StepFailed(f"Enter a number of {low} or more.")
    if high is not None and number > float(high):
        raise StepFailed(f"Enter a number of {high} or less.")
    return text


def _date(raw: str) -> str:
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise StepFailed(f"Enter a date as YYYY-MM-DD, not {raw.strip()!r}.") from None
