"""Block Kit basics: escaping, fitting, packed values, the limit checker, the shared ids."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from bot.blocks import (
    BlockKitLimitError,
    check_message,
    check_options,
    check_view,
    escape,
    fit,
    pack,
    unpack,
)
from bot.blocks.elements import button, section
from bot.blocks.text import ELLIPSIS
from bot.ids import ActionId, BlockId, CallbackId


def _section(text: str = "hi") -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(text: str = "Go", value: str = "1") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": "a",
        "value": value,
    }


def _modal(**changes: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "part_add",
        "title": {"type": "plain_text", "text": "Add part"},
        "submit": {"type": "plain_text", "text": "Add"},
        "blocks": [_section()],
    }
    return {**view, **changes}


# --- escape ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("a & b", "a &amp; b"),
        ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"),
        ("&lt; already", "&amp;lt; already"),
        ("*bold* _x_ ~y~ `code`", "*bold* _x_ ~y~ `code`"),
        ("Kühlfalle 🧪 Å 漢字", "Kühlfalle 🧪 Å 漢字"),
        ("", ""),
    ],
)
def test_escape_changes_exactly_ampersand_and_angle_brackets(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


@given(st.text())
def test_escape_leaves_no_angle_brackets_and_is_undone_by_unescaping(raw: str) -> None:
    escaped = escape(raw)
    assert "<" not in escaped
    assert ">" not in escaped
    unescaped = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == raw


# --- fit ------------------------------------------------------------------------------------


def test_fit_keeps_short_text_as_it_is() -> None:
    assert fit("Rhenium filament", 75) == "Rhenium filament"
    assert fit("x" * 75, 75) == "x" * 75


def test_fit_cuts_long_text_to_the_limit_with_an_ellipsis() -> None:
    cut = fit("x" * 3000, 75)
    assert len(cut) == 75
    assert cut.endswith(ELLIPSIS)


def test_fit_never_leaves_half_an_escape_entity() -> None:
    cut = fit(escape("a" * 70 + "<<<<"), 75)
    assert cut.endswith(ELLIPSIS)
    assert len(cut) <= 75
    assert not cut[:-1].endswith(("&", "&l", "&lt", "&a", "&am", "&amp"))


@given(st.text(), st.integers(min_value=1, max_value=200))
def test_fit_is_never_longer_than_the_limit(text: str, limit: int) -> None:
    assert len(fit(text, limit)) <= limit


def test_fit_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="limit must be at least 1"):
        fit("x", 0)


# --- pack / unpack --------------------------------------------------------------------------


def test_pack_is_compact_json_and_unpack_reads_it_back() -> None:
    packed = pack({"c": "part", "id": 12, "r": "Kühlfalle 漢字", "skip": None})
    assert packed == '{"c":"part","id":12,"r":"Kühlfalle 漢字"}'
    assert unpack(packed) == {"c": "part", "id": 12, "r": "Kühlfalle 漢字"}


def test_pack_refuses_a_value_over_the_limit() -> None:
    with pytest.raises(ValueError, match="2000"):
        pack({"r": "x" * 2000})


@pytest.mark.parametrize("text", [None, "", "not json", "[1, 2]", "12"])
def test_unpack_of_anything_but_a_packed_object_is_empty(text: str | None) -> None:
    assert unpack(text) == {}


# --- the limit checker ----------------------------------------------------------------------


def test_checker_accepts_fifty_blocks_and_rejects_fifty_one() -> None:
    check_message([_section()] * 50)
    with pytest.raises(BlockKitLimitError, match="51 blocks; the limit is 50"):
        check_message({"text": "x", "blocks": [_section()] * 51})


def test_checker_rejects_an_over_long_button_text_and_names_the_block() -> None:
    blocks = [
        _section(),
        {"type": "actions", "block_id": "part_actions", "elements": [_button("x" * 76)]},
    ]
    with pytest.raises(BlockKitLimitError, match=r"block 1 \(actions, block_id='part_actions'\)"):
        check_message(blocks)


def test_slack_sdk_also_rejects_that_button_but_only_through_to_dict() -> None:
    accessory = {**_section(), "accessory": _button("x" * 76)}
    parsed = Block.parse(accessory)
    assert parsed is not None
    parsed.validate_json()  # the top level alone passes
    with pytest.raises(SlackObjectFormationError):
        parsed.to_dict()
    with pytest.raises(BlockKitLimitError, match="button text"):
        check_message([accessory])


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        (_section("x" * 3001), "section text is 3001"),
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}, "11 fields"),
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}, "field 0"),
        ({"type": "section"}, "needs text or fields"),
        ({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}, "11 context"),
        ({"type": "actions", "elements": [_button()] * 26}, "26 actions elements"),
        ({"type": "actions", "elements": [_button(value="v" * 2001)]}, "button value"),
        ({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}, "header text"),
        ({"type": "header", "text": {"type": "plain_text", "text": " "}}, "header text is empty"),
        ({**_section(), "block_id": "b" * 256}, "block_id"),
    ],
)
def test_checker_rejects_each_block_limit(block: dict[str, Any], complaint: str) -> None:
    with pytest.raises(BlockKitLimitError, match=complaint):
        check_message([block])


def _select(option_text: str, value: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "status",
        "label": {"type": "plain_text", "text": "Status"},
        "element": {
            "type": "static_select",
            "action_id": "field",
            "options": [{"text": {"type": "plain_text", "text": option_text}, "value": value}],
        },
    }


def test_checker_rejects_long_option_texts_and_values_in_dict_options() -> None:
    check_view(_modal(blocks=[_select("t" * 75, "v" * 150)]))
    with pytest.raises(BlockKitLimitError, match="option text"):
        check_view(_modal(blocks=[_select("t" * 76, "v")]))
    with pytest.raises(BlockKitLimitError, match="option value"):
        check_view(_modal(blocks=[_select("t", "v" * 151)]))


def test_option_checker_for_options_listeners() -> None:
    good = {"text": {"type": "plain_text", "text": "FIL-1002"}, "value": "12"}
    check_options([good] * 100)
    with pytest.raises(BlockKitLimitError, match="101 options"):
        check_options([good] * 101)
    with pytest.raises(BlockKitLimitError, match="option text"):
        check_options([{**good, "text": {"type": "plain_text", "text": "x" * 76}}])


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"blocks": [_section()] * 101}, "101 blocks; the limit is 100"),
        ({"title": {"type": "plain_text", "text": "t" * 25}}, "title"),
        ({"submit": {"type": "plain_text", "text": "s" * 25}}, "submit"),
        ({"close": {"type": "plain_text", "text": "c" * 25}}, "close"),
        ({"private_metadata": "m" * 3001}, "private_metadata"),
        ({"callback_id": "c" * 256}, "callback_id"),
    ],
)
def test_view_checker_rejects_each_view_limit(changes: dict[str, Any], complaint: str) -> None:
    check_view(_modal(blocks=[_section()] * 100, private_metadata="m" * 3000))
    with pytest.raises(BlockKitLimitError, match=complaint):
        check_view(_modal(**changes))


def test_view_checker_wants_a_submit_button_on_a_form() -> None:
    form = _modal(blocks=[_select("Operational", "operational")])
    del form["submit"]
    with pytest.raises(BlockKitLimitError, match="submit"):
        check_view(form)


def test_view_checker_rejects_an_initial_value_longer_than_max_length() -> None:
    field = {
        "type": "input",
        "block_id": "name",
        "label": {"type": "plain_text", "text": "Name"},
        "element": {
            "type": "plain_text_input",
            "action_id": "field",
            "max_length": 5,
            "initial_value": "123456",
        },
    }
    with pytest.raises(BlockKitLimitError, match="initial_value"):
        check_view(_modal(blocks=[field]))


def test_builders_fit_what_the_checker_would_reject() -> None:
    check_message([section("x" * 10_000, accessory=button("y" * 500, "a", value={"id": 1}))])


# --- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ids", [ActionId, CallbackId, BlockId])
def test_ids_are_unique_and_within_slack_limits(ids: Any) -> None:
    values = [member.value for member in ids]
    assert len(values) == len(set(values))
    assert all(0 < len(value) <= 255 for value in values)


def test_ids_read_like_their_names() -> None:
    assert ActionId.PART_USE == "part.use"
    assert CallbackId.PART_ADD == "part_add"
    assert BlockId.QUANTITY == "quantity"


def test_form_block_ids_are_the_domain_field_names() -> None:
    """So InvalidInput.errors land on the right input without a translation table."""
    for field in ("part_number", "name", "unit_of_measure", "minimum_stock_level", "quantity"):
        assert BlockId(field)
    for field in ("reason", "status", "note", "next_maintenance_due", "is_critical"):
        assert BlockId(field)
