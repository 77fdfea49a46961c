"""Modals, the App Home tab, picker options, and inline field errors."""

from __future__ import annotations

from typing import Any

import pytest

from bot import blocks as b
from bot.blocks.text import ELLIPSIS, VIEW_MAX_BLOCKS
from bot.ids import ActionId, BlockId, CallbackId
from domain.results import AlertSummary
from tests.bot import blocks_samples as s


def _inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The input blocks' elements by block_id."""
    return {blk["block_id"]: blk["element"] for blk in view["blocks"] if blk["type"] == "input"}


def _all_views() -> list[dict[str, Any]]:
    part, inst = s.part(), s.instrument()
    return [
        b.part_form_modal(),
        b.part_form_modal(part, channel_id="C0123"),
        b.confirm_delete_modal(part),
        b.find_part_modal(),
        b.instrument_form_modal(),
        b.instrument_form_modal(inst),
        b.instrument_status_modal(inst),
        *(b.stock_modal(kind, part) for kind in ("use", "restock", "count")),
        *(b.stock_modal(kind) for kind in ("use", "restock", "count")),
    ]


@pytest.mark.parametrize("view", _all_views(), ids=lambda v: v["callback_id"])
def test_every_modal_is_valid_and_every_input_has_a_known_block_id(view: dict[str, Any]) -> None:
    s.assert_valid_view(view)
    assert view["callback_id"] in {member.value for member in CallbackId}
    for block_id, element in _inputs(view).items():
        assert block_id in {member.value for member in BlockId}
        assert element["action_id"] in (
            ActionId.FIELD,
            ActionId.PART_PICKER,
            ActionId.INSTRUMENT_PICKER,
        )
        if element["action_id"] != ActionId.FIELD:
            assert element["type"] in ("external_select", "multi_external_select")
            assert element["min_query_length"] == 2


def test_add_part_form_starts_empty_with_sensible_defaults() -> None:
    view = b.part_form_modal(channel_id="C0123")
    assert view["callback_id"] == CallbackId.PART_ADD
    assert b.unpack(view["private_metadata"]) == {"channel": "C0123"}
    fields = _inputs(view)
    assert list(fields) == [
        BlockId.PART_NUMBER,
        BlockId.NAME,
        BlockId.DESCRIPTION,
        BlockId.CATEGORY,
        BlockId.MANUFACTURER,
        BlockId.UNIT,
        BlockId.LOCATION,
        BlockId.MINIMUM,
        BlockId.INITIAL_STOCK,
        BlockId.CRITICAL,
        BlockId.INSTRUMENTS,
    ]
    assert fields[BlockId.UNIT]["initial_value"] == "pcs"
    assert "initial_options" not in fields[BlockId.CRITICAL]
    assert fields[BlockId.INSTRUMENTS]["action_id"] == ActionId.INSTRUMENT_PICKER


def test_edit_part_form_is_filled_in_and_carries_the_part_id() -> None:
    view = b.part_form_modal(s.part())
    assert view["callback_id"] == CallbackId.PART_EDIT
    assert b.unpack(view["private_metadata"]) == {"id": 12}
    fields = _inputs(view)
    assert fields[BlockId.PART_NUMBER]["initial_value"] == "FIL-1002"
    assert fields[BlockId.MINIMUM]["initial_value"] == "5"
    assert fields[BlockId.CRITICAL]["initial_options"] == fields[BlockId.CRITICAL]["options"]
    assert BlockId.INITIAL_STOCK not in fields  # stock changes go through use/restock/count


@pytest.mark.parametrize("text", s.HOSTILE)
def test_edit_forms_fit_hostile_and_overlong_values(text: str) -> None:
    view = b.part_form_modal(s.hostile_part(text))
    s.assert_valid_view(view)
    if len(text) == 3000:
        assert _inputs(view)[BlockId.NAME]["initial_value"].endswith(ELLIPSIS)
    s.assert_valid_view(b.instrument_form_modal(s.hostile_instrument(text)))
    s.assert_valid_view(b.instrument_status_modal(s.hostile_instrument(text)))
    s.assert_valid_view(b.confirm_delete_modal(s.hostile_part(text)))
    for kind in ("use", "restock", "count"):
        s.assert_valid_view(b.stock_modal(kind, s.hostile_part(text)))  # type: ignore[arg-type]


def test_a_description_too_long_to_edit_is_left_out_of_the_form() -> None:
    view = b.part_form_modal(s.part(description="d" * 5000))
    s.assert_valid_view(view)
    assert BlockId.DESCRIPTION not in _inputs(view)
    assert "too long to edit here" in "\n".join(s.texts(view))


def test_stock_modals_per_kind() -> None:
    use = b.stock_modal("use", s.part(), channel_id="C9")
    assert (use["callback_id"], use["submit"]["text"]) == (CallbackId.STOCK_USE, "Take")
    assert b.unpack(use["private_metadata"]) == {"id": 12, "channel": "C9"}
    assert list(_inputs(use)) == [BlockId.QUANTITY, BlockId.INSTRUMENT, BlockId.REASON]
    assert _inputs(use)[BlockId.QUANTITY]["min_value"] == "1"
    restock = b.stock_modal("restock", s.part())
    assert restock["callback_id"] == CallbackId.STOCK_RESTOCK
    assert list(_inputs(restock)) == [BlockId.QUANTITY, BlockId.REASON]
    count = b.stock_modal("count", s.part())
    assert count["callback_id"] == CallbackId.STOCK_COUNT
    assert _inputs(count)[BlockId.QUANTITY]["initial_value"] == "3"
    assert _inputs(count)[BlockId.QUANTITY]["min_value"] == "0"


def test_stock_modal_without_a_part_asks_for_one() -> None:
    view = b.stock_modal("restock")
    assert next(iter(_inputs(view))) == BlockId.PART
    assert _inputs(view)[BlockId.PART]["action_id"] == ActionId.PART_PICKER
    assert b.unpack(view["private_metadata"]) == {}


def test_instrument_forms() -> None:
    add = b.instrument_form_modal()
    assert add["callback_id"] == CallbackId.INSTRUMENT_ADD
    assert _inputs(add)[BlockId.STATUS]["initial_option"]["value"] == "operational"
    edit = b.instrument_form_modal(s.instrument())
    assert edit["callback_id"] == CallbackId.INSTRUMENT_EDIT
    assert b.unpack(edit["private_metadata"]) == {"id": 3}
    fields = _inputs(edit)
    assert BlockId.STATUS not in fields  # changed through the status modal, with a note
    assert fields[BlockId.MAINTENANCE_DUE]["initial_date"] == "2025-03-01"
    assert fields[BlockId.CALIBRATION_INTERVAL]["initial_value"] == "180"
    status = b.instrument_status_modal(s.instrument(status="maintenance"))
    assert _inputs(status)[BlockId.STATUS]["initial_option"]["value"] == "maintenance"
    assert b.unpack(status["private_metadata"]) == {"id": 3}


def test_delete_and_find_modals() -> None:
    delete = b.confirm_delete_modal(s.part(), channel_id="C1")
    assert (delete["callback_id"], delete["submit"]["text"]) == (CallbackId.PART_DELETE, "Delete")
    assert b.unpack(delete["private_metadata"]) == {"id": 12, "channel": "C1"}
    find = b.find_part_modal()
    assert find["callback_id"] == CallbackId.PART_FIND
    assert _inputs(find)[BlockId.PART]["action_id"] == ActionId.PART_PICKER


def test_modal_errors_map_domain_fields_onto_input_blocks() -> None:
    view = b.part_form_modal()
    errors = b.modal_errors(
        view,
        {"part_number": "A part with number FIL-1002 already exists.", "source": "Bad source."},
    )
    assert errors == {
        "part_number": "A part with number FIL-1002 already exists. Bad source.",
    }
    assert b.modal_errors(view, {"minimum_stock_level": "Too big."}) == {
        "minimum_stock_level": "Too big."
    }
    assert b.modal_errors(b.confirm_delete_modal(s.part()), {"part": "gone"}) == {}


# --- options --------------------------------------------------------------------------------


def test_part_options_fit_text_and_show_stock() -> None:
    parts = [s.part(), s.part(id=13, quantity_in_stock=0), s.hostile_part("x" * 3000, id=14)]
    options = b.options_for_parts(parts)
    s.assert_valid_options(options)
    assert options[0] == {
        "text": {"type": "plain_text", "text": "FIL-1002 Rhenium filament", "emoji": True},
        "value": "12",
        "description": {"type": "plain_text", "text": "3 pcs in stock · low", "emoji": True},
    }
    assert options[1]["description"]["text"].endswith("· out")
    assert len(options[2]["text"]["text"]) == 75
    assert options[2]["text"]["text"].endswith(ELLIPSIS)


def test_options_stop_at_100() -> None:
    assert len(b.options_for_parts(s.many_parts(150))) == 100
    instruments = [s.instrument(id=i, name=f"I{i}") for i in range(150)]
    options = b.options_for_instruments(instruments)
    s.assert_valid_options(options)
    assert len(options) == 100


def test_instrument_options_show_model_and_status() -> None:
    options = b.options_for_instruments(
        [s.instrument(status="out_of_service"), s.hostile_instrument("漢字" * 100)]
    )
    s.assert_valid_options(options)
    assert options[0]["description"]["text"] == "MAT 253 Plus · out of service"


# --- App Home -------------------------------------------------------------------------------

SUMMARY = AlertSummary(
    total_alerts=30,
    open_alerts=12,
    acknowledged_alerts=3,
    resolved_alerts=15,
    low_stock_parts=40,
    critical_parts_low=4,
    out_of_stock_parts=6,
)


def test_home_for_an_unlinked_user_offers_the_link_button() -> None:
    view = b.render_home(None)
    s.assert_valid_view(view)
    assert view["type"] == "home"
    assert s.action_ids(view) == {ActionId.ACCOUNT_LINK}


def test_home_for_a_deactivated_account_explains_and_offers_nothing() -> None:
    view = b.render_home(None, deactivated=True)
    s.assert_valid_view(view)
    assert "deactivated" in "\n".join(s.texts(view))
    assert s.action_ids(view) == set()


def test_home_for_a_manager_shows_alerts_low_parts_down_instruments_and_all_actions() -> None:
    view = b.render_home(
        s.user(),
        can_manage=True,
        open_alerts=s.page([s.alert(id=i) for i in range(10)], limit=10, has_more=True),
        low_parts=s.page(s.many_parts(10), limit=10, has_more=True),
        instruments_down=[s.instrument(status="maintenance")],
        summary=SUMMARY,
        today=s.TODAY,
    )
    s.assert_valid_view(view)
    headers = [blk["text"]["text"] for blk in view["blocks"] if blk["type"] == "header"]
    assert headers == [
        "FarLab",
        "Open alerts (15)",
        "Parts at or below minimum (40)",
        "Instruments not operational",
    ]
    shown = "\n".join(s.texts(view))
    assert "*alice*" in shown
    assert "*manager*" in shown
    assert "and 30 more: `/farlab parts low`" in shown
    quick = next(blk for blk in view["blocks"] if blk.get("block_id") == BlockId.HOME_ACTIONS)
    assert [e["action_id"] for e in quick["elements"]] == [
        ActionId.QUICK_FIND_PART,
        ActionId.QUICK_USE,
        ActionId.QUICK_RESTOCK,
        ActionId.PART_ADD,
        ActionId.INSTRUMENT_ADD,
    ]


def test_home_for_a_member_has_no_alerts_and_no_manager_actions() -> None:
    view = b.render_home(s.user(role="member"), low_parts=[s.part()])
    s.assert_valid_view(view)
    headers = [blk["text"]["text"] for blk in view["blocks"] if blk["type"] == "header"]
    assert not any(h.startswith("Open alerts") for h in headers)
    assert ActionId.PART_ADD not in s.action_ids(view)
    assert ActionId.ALERT_RESOLVE not in s.action_ids(view)
    assert "Every instrument is operational" in "\n".join(s.texts(view))


def test_home_with_200_of_everything_stays_within_100_blocks() -> None:
    view = b.render_home(
        s.user(),
        can_manage=True,
        open_alerts=[s.alert(id=i, message="m" * 2000) for i in range(200)],
        low_parts=s.many_parts(200),
        instruments_down=[s.instrument(id=i, status="out_of_service") for i in range(200)],
    )
    s.assert_valid_view(view)
    assert len(view["blocks"]) <= VIEW_MAX_BLOCKS
    shown = "\n".join(s.texts(view))
    assert "and 190 more: `/farlab alerts`" in shown
    assert "and 190 more: `/farlab instruments`" in shown


@pytest.mark.parametrize("text", s.HOSTILE)
def test_home_escapes_every_user_string(text: str) -> None:
    view = b.render_home(
        s.user(username=text, first_name=text, last_name=text, role=text),
        can_manage=True,
        open_alerts=[s.alert(message=text, part_name=text)],
        low_parts=[s.hostile_part(text)],
        instruments_down=[s.hostile_instrument(text, status="maintenance")],
        command="/farlab",
    )
    s.assert_valid_view(view)
