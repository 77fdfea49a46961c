"""Every id the blocks and forms send is answered by exactly one listener of the built app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.app import build_app
from bot.ids import ActionId, CallbackId, ShortcutId
from bot.listeners import ALL, register_all
from bot.listeners.registry import Listeners
from bot.runtime import BotRuntime
from domain.context import DomainContext
from farlab.wiring import build_client
from slack_stand_in import SlackStandIn

# Action ids that no listener answers as a click, and why.
NOT_CLICKS = {
    ActionId.FIELD: "the element of every plain modal input, read from the submitted state",
    ActionId.ACCOUNT_SLACK_USER: "the invitation form's Slack user, read from its state",
    ActionId.PART_PICKER: "an external_select, answered by an options listener",
    ActionId.INSTRUMENT_PICKER: "an external_select, answered by an options listener",
    ActionId.SUPPLIER_PICKER: "an external_select, answered by an options listener",
}
EXPECTED: dict[str, set[str]] = {
    "action": {str(a) for a in ActionId if a not in NOT_CLICKS},
    "options": {
        str(ActionId.PART_PICKER),
        str(ActionId.INSTRUMENT_PICKER),
        str(ActionId.SUPPLIER_PICKER),
    },
    "view": {str(c) for c in CallbackId},
    "command": {"/farlab"},
    "event": {"app_home_opened"},
    "global_shortcut": {str(ShortcutId.TAKE_PART)},
    "message_shortcut": {str(ShortcutId.RAISE_ALERT)},
}


class RecordingApp:
    """Stands in for the Bolt app and writes down what is registered with it."""

    def __init__(self) -> None:
        self.registered: list[tuple[str, str]] = []

    def __getattr__(self, kind: str) -> Any:
        def decorator_for(key: str) -> Any:
            def add(listener: Any) -> Any:
                self.registered.append((kind, key))
                return listener

            return add

        return decorator_for


def _request(kind: str, key: str) -> BoltRequest:
    body: dict[str, Any] = {
        "action": {"type": "block_actions", "actions": [{"action_id": key}]},
        "options": {"type": "block_suggestion", "action_id": key, "value": ""},
        "view": {"type": "view_submission", "view": {"type": "modal", "callback_id": key}},
        "command": {"command": key, "text": ""},
        "event": {"type": "event_callback", "event": {"type": key}},
        "global_shortcut": {"type": "shortcut", "callback_id": key},
        "message_shortcut": {"type": "message_action", "callback_id": key},
    }[kind]
    return BoltRequest(body={"team_id": "T1", **body}, mode="socket_mode")


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    runtime = BotRuntime(ctx=cast(DomainContext, None))
    with SlackStandIn() as slack:
        client = build_client("xoxb-farlab-local", base_url=slack.base_url)
        yield build_app(runtime, client=client, signing_secret="secret")
    runtime.shutdown()


def test_register_all_registers_each_id_once_and_every_id_the_blocks_send() -> None:
    recording = RecordingApp()
    register_all(cast(App, recording), cast(BotRuntime, None))

    by_kind: dict[str, list[str]] = {kind: [] for kind in EXPECTED}
    for kind, key in recording.registered:
        by_kind[kind].append(key)
    assert {kind: set(keys) for kind, keys in by_kind.items()} == EXPECTED
    assert sorted(recording.registered) == sorted(set(recording.registered))


def test_each_id_matches_exactly_one_listener_of_the_built_app(app: App) -> None:
    listeners = app._listeners
    assert len(listeners) == sum(len(keys) for keys in EXPECTED.values())
    for kind, keys in EXPECTED.items():
        for key in keys:
            request = _request(kind, key)
            matching = [
                listener
                for listener in listeners
                if listener.matches(req=request, resp=BoltResponse(status=200))
            ]
            assert len(matching) == 1, (kind, key, matching)


def test_every_listener_module_collects_with_one_listeners() -> None:
    assert all(isinstance(listeners, Listeners) for listeners in ALL)
    assert len({id(listeners) for listeners in ALL}) == len(ALL)


def test_an_id_registered_twice_in_a_module_is_refused() -> None:
    listeners = Listeners()
    listeners.action(ActionId.PART_VIEW)(lambda: None)
    with pytest.raises(ValueError, match=r"action 'part\.view' is registered twice"):
        listeners.action(ActionId.PART_VIEW)(lambda: None)
