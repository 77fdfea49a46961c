"""What the Accept buttons of ``/farlab minimums`` carry, read back; anything else is out
of date."""

from __future__ import annotations

from typing import Any

import pytest

from bot.blocks import pack
from bot.blocks.minimums import render_minimum_suggestions
from bot.ids import ActionId
from bot.listeners.minimum_actions import accepted_of
from domain.errors import InvalidInput
from tests.bot.blocks_samples import buttons
from tests.bot.test_blocks_insight import _suggestion


def _click(button: dict[str, Any]) -> dict[str, Any]:
    return {"actions": [{"action_id": button["action_id"], "value": button["value"]}]}


def test_accept_and_accept_all_read_back_the_pairs_shown():
    shown = buttons(render_minimum_suggestions([_suggestion(1), _suggestion(2, 3)]))
    assert accepted_of(_click(shown[0])) == [(100_001, 11)]
    assert accepted_of(_click(shown[2])) == [(100_001, 11), (100_002, 3)]


@pytest.mark.parametrize(
    ("action_id", "value"),
    [
        (ActionId.MINIMUM_ACCEPT, {"id": 0, "m": 3}),
        (ActionId.MINIMUM_ACCEPT, {"id": 5, "m": -1}),
        (ActionId.MINIMUM_ACCEPT, {"id": 5, "m": True}),
        (ActionId.MINIMUM_ACCEPT, {"id": 5}),
        (ActionId.MINIMUMS_ACCEPT_ALL, {"a": []}),
        (ActionId.MINIMUMS_ACCEPT_ALL, {"a": [[5, 3, 1]]}),
        (ActionId.MINIMUMS_ACCEPT_ALL, {"a": [[5, 3]] * 21}),
        (ActionId.MINIMUMS_ACCEPT_ALL, {"a": "5:3"}),
    ],
)
def test_a_tampered_or_stale_value_is_out_of_date(action_id: str, value: dict[str, Any]):
    with pytest.raises(InvalidInput, match="out of date"):
        accepted_of({"actions": [{"action_id": action_id, "value": pack(value)}]})
