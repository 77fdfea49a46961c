"""Message builders for parts and instruments: cards, paged lists, link and status replies."""

from __future__ import annotations

from typing import Any

import pytest

from bot import blocks as b
from bot.blocks.text import ELLIPSIS, MESSAGE_MAX_BLOCKS
from bot.ids import ActionId, BlockId
from domain.results import InstrumentNeeds, PartDetail, PartListing
from tests.bot import blocks_samples as s

# --- parts ----------------------------------------------------------------------------------


def _card(can_manage: bool = True) -> dict[str, Any]:
    detail = PartDetail(
        part=s.part(),
        uses=(s.use(), s.use(by=s.instrument(id=4, name="Kiel IV", status="maintenance"))),
        recent_movements=tuple(s.movement(id=500 - i) for i in range(5)),
    )
    return dict(b.render_part_card(detail, can_manage=can_manage))


def test_part_card_shows_stock_place_instruments_and_movements() -> None:
    card = _card()
    s.assert_valid_message(card)
    shown = "\n".join(s.texts(card))
    assert "3 pcs in stock (minimum 5) :warning: low" in shown
    assert "Cabinet B3" in shown
    assert "Ion source" in shown
    assert ":rotating_light: *MAT253* needs 2 · critical" in shown
    assert "*Kiel IV*" in shown
    assert "maintenance" in shown
    assert shown.count("filament change") == 5
    assert card["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "FIL-1002 Rhenium filament", "emoji": True},
    }


def test_part_card_buttons_carry_the_part_id_and_edit_delete_are_for_managers() -> None:
    card = _card(can_manage=True)
    actions = [blk for blk in card["blocks"] if blk.get("block_id") == BlockId.PART_ACTIONS]
    ids = [e["action_id"] for e in actions[0]["elements"]]
    assert ids == [
        ActionId.PART_USE,
        ActionId.PART_RESTOCK,
        ActionId.PART_COUNT,
        ActionId.PART_HISTORY,
        ActionId.REORDER_OPEN,
        ActionId.PART_EDIT,
        ActionId.PART_ARCHIVE,
        ActionId.PART_DELETE,
    ]
    assert all(b.unpack(e["value"]) == {"id": 12} for e in actions[0]["elements"])
    archive, delete = actions[0]["elements"][-2:]
    assert archive["confirm"]["title"]["text"] == "Archive this part?"
    assert archive["confirm"]["confirm"]["text"] == "Archive"
    assert delete["style"] == "danger"
    assert delete["confirm"]["confirm"]["text"] == "Delete"
    member = _card(can_manage=False)
    assert ActionId.PART_EDIT not in s.action_ids(member)
    assert ActionId.PART_ARCHIVE not in s.action_ids(member)
    assert ActionId.PART_DELETE not in s.action_ids(member)


def test_part_card_of_a_part_used_by_200_instruments_stays_within_50_blocks() -> None:
    uses = tuple(s.use(by=s.instrument(id=i, name=f"Instrument {i}" * 20)) for i in range(200))
    detail = PartDetail(part=s.part(), uses=uses, recent_movements=(s.movement(),))
    card = b.render_part_card(detail, can_manage=True)
    s.assert_valid_message(card)
    assert "more instruments" in "\n".join(s.texts(card))
    assert card["blocks"][-1]["block_id"] == BlockId.PART_ACTIONS


def test_part_card_of_a_new_part_says_there_is_nothing_yet() -> None:
    card = b.render_part_card(
        PartDetail(part=s.part(is_active=False), uses=(), recent_movements=())
    )
    s.assert_valid_message(card)
    shown = "\n".join(s.texts(card))
    assert "No instrument is linked" in shown
    assert "None yet" in shown
    assert "This part is archived" in shown
    archived = b.render_part_card(
        PartDetail(part=s.part(is_active=False), uses=(), recent_movements=()), can_manage=True
    )
    assert ActionId.PART_ARCHIVE not in s.action_ids(archived)


@pytest.mark.parametrize("text", s.HOSTILE)
def test_part_card_escapes_and_fits_every_user_string(text: str) -> None:
    hostile = s.hostile_part(text)
    detail = PartDetail(
        part=hostile,
        uses=(s.use(of=hostile, by=s.hostile_instrument(text)),),
        recent_movements=(s.movement(reason=text, actor_username=text, instrument_name=text),),
    )
    card = b.render_part_card(detail, can_manage=True)
    s.assert_valid_message(card)
    shown = "\n".join([*s.texts(card), card["text"]])
    assert "<!channel>" not in shown
    assert "<@U123>" not in shown
    if text.startswith("<"):
        assert b.escape(text) in shown
    if text == "*bold* _x_ ~y~":
        assert "*bold* _x_ ~y~" in shown
    if "漢字" in text:
        assert text in shown
    if len(text) == 3000:
        assert ELLIPSIS in shown
        assert card["blocks"][0]["text"]["text"].endswith(ELLIPSIS)


def test_parts_page_marks_low_and_out_of_stock() -> None:
    items = [
        s.part(id=1, part_number="A-1", quantity_in_stock=0),
        s.part(id=2, part_number="A-2", quantity_in_stock=5),
        s.part(id=3, part_number="A-3", quantity_in_stock=50, is_critical=False),
    ]
    msg = b.render_parts_page(s.page(items), query="A-")
    s.assert_valid_message(msg)
    sections = [blk["text"]["text"] for blk in msg["blocks"][1:4]]
    assert ":x: out of stock" in sections[0]
    assert ":warning: low" in sections[1]
    assert ":warning:" not in sections[2]
    assert ":x:" not in sections[2]
    assert [blk["accessory"]["action_id"] for blk in msg["blocks"][1:4]] == [ActionId.PART_VIEW] * 3
    assert msg["blocks"][0]["text"]["text"] == "Parts matching “A-”"


def test_parts_page_of_listings_names_the_instruments() -> None:
    listing = PartListing(
        part=s.part(), uses=(s.use(), s.use(by=s.instrument(id=4, name="Kiel IV")))
    )
    msg = b.render_parts_page(s.page([listing]))
    s.assert_valid_message(msg)
    assert (
        "Used by :rotating_light: MAT253, :rotating_light: Kiel IV"
        in msg["blocks"][1]["text"]["text"]
    )


def test_first_page_has_only_next_carrying_query_and_offset() -> None:
    msg = b.render_parts_page(s.page(s.many_parts(25), has_more=True), query="fil")
    nav = s.pager_buttons(msg)
    assert [e["action_id"] for e in nav] == [ActionId.PARTS_NEXT]
    assert b.unpack(nav[0]["value"]) == {"q": "fil", "o": 25}


def test_middle_page_has_previous_and_next() -> None:
    msg = b.render_parts_page(s.page(s.many_parts(25), offset=25, has_more=True), query="fil")
    nav = s.pager_buttons(msg)
    assert [e["action_id"] for e in nav] == [ActionId.PARTS_PREVIOUS, ActionId.PARTS_NEXT]
    assert b.unpack(nav[0]["value"]) == {"q": "fil", "o": 0}
    assert b.unpack(nav[1]["value"]) == {"q": "fil", "o": 50}


def test_last_page_has_only_previous() -> None:
    msg = b.render_parts_page(s.page(s.many_parts(3), offset=50, has_more=False))
    nav = s.pager_buttons(msg)
    assert [e["action_id"] for e in nav] == [ActionId.PARTS_PREVIOUS]
    assert b.unpack(nav[0]["value"]) == {"o": 25}


def test_single_page_has_no_paging_buttons_but_managers_can_add() -> None:
    assert s.pager_buttons(b.render_parts_page(s.page(s.many_parts(3)))) == []
    nav = s.pager_buttons(b.render_parts_page(s.page(s.many_parts(3)), can_manage=True))
    assert [e["action_id"] for e in nav] == [ActionId.PART_ADD]


def test_empty_search_says_so() -> None:
    msg = b.render_parts_page(s.page([]), query="<!here>")
    s.assert_valid_message(msg)
    assert "No parts match “&lt;!here&gt;”." in "\n".join(s.texts(msg))


def test_200_parts_still_make_at_most_50_blocks_and_next_continues_after_the_last_shown() -> None:
    msg = b.render_parts_page(s.page(s.many_parts(200), limit=200, offset=400), query="P-")
    s.assert_valid_message(msg)
    assert len(msg["blocks"]) <= MESSAGE_MAX_BLOCKS
    shown = sum(
        1 for blk in msg["blocks"] if blk.get("accessory", {}).get("action_id") == "part.view"
    )
    nav = {e["action_id"]: b.unpack(e["value"]) for e in s.pager_buttons(msg)}
    assert nav[ActionId.PARTS_NEXT] == {"q": "P-", "o": 400 + shown}
    assert nav[ActionId.PARTS_PREVIOUS]["o"] == 200


def test_history_pages_by_part_and_fits_200_movements() -> None:
    moves = [s.movement(id=i, delta=(-1) ** i * i, reason="r" * 400) for i in range(200)]
    msg = b.render_history(s.part(), s.page(moves, offset=20, limit=200, has_more=True))
    s.assert_valid_message(msg)
    nav = {e["action_id"]: b.unpack(e["value"]) for e in s.pager_buttons(msg)}
    assert nav[ActionId.HISTORY_PREVIOUS] == {"id": 12, "o": 0}
    assert nav[ActionId.HISTORY_NEXT]["id"] == 12
    assert nav[ActionId.HISTORY_NEXT]["o"] > 20
    empty = b.render_history(s.part(), s.page([]))
    s.assert_valid_message(empty)
    assert s.pager_buttons(empty) == []


def test_part_deleted_reply() -> None:
    msg = b.render_part_deleted(s.hostile_part("<!channel>"))
    s.assert_valid_message(msg)


# --- instruments ----------------------------------------------------------------------------


def _needs(**changes: Any) -> InstrumentNeeds:
    inst = s.instrument(**changes)
    low = s.part(id=1, part_number="FIL-1002", quantity_in_stock=1)
    fine = s.part(
        id=2, part_number="SEP-7", name="Septum", quantity_in_stock=40, minimum_stock_level=10
    )
    short_optional = s.part(id=3, part_number="ORG-3", name="O-ring", quantity_in_stock=0)
    return InstrumentNeeds(
        instrument=inst,
        parts=(
            s.use(low, inst, critical=True),
            s.use(fine, inst, critical=True),
            s.use(short_optional, inst, critical=False),
        ),
    )


def test_instrument_card_highlights_critical_low_parts_and_due_dates() -> None:
    msg = b.render_instrument_card(_needs(status="maintenance"), can_manage=True, today=s.TODAY)
    s.assert_valid_message(msg)
    shown = "\n".join(s.texts(msg))
    assert ":wrench: maintenance" in shown
    assert "1 Mar 2025 :warning: overdue" in shown
    assert "30 Jun 2025" in shown
    assert ":rotating_light: *Critical parts running low*" in shown
    critical_block = next(t for t in s.texts(msg) if "Critical parts running low" in t)
    assert "FIL-1002" in critical_block
    assert "SEP-7" not in critical_block
    assert "ORG-3" not in critical_block
    assert ":warning: *ORG-3* O-ring" in shown
    assert "1 critical parts low" in msg["text"]
    assert {ActionId.INSTRUMENT_EDIT, ActionId.INSTRUMENT_STATUS} <= s.action_ids(msg)


def test_instrument_card_for_members_has_no_manager_buttons() -> None:
    msg = b.render_instrument_card(_needs())
    s.assert_valid_message(msg)
    assert s.action_ids(msg) == {ActionId.INSTRUMENT_PARTS, ActionId.INSTRUMENT_HISTORY}


def test_instrument_card_buttons_for_managers_ask_before_archiving_or_deleting() -> None:
    msg = b.render_instrument_card(_needs(), can_manage=True)
    (row,) = [blk for blk in msg["blocks"] if blk.get("block_id") == BlockId.INSTRUMENT_ACTIONS]
    assert [(e["text"]["text"], e["action_id"]) for e in row["elements"]] == [
        ("Parts", ActionId.INSTRUMENT_PARTS),
        ("History", ActionId.INSTRUMENT_HISTORY),
        ("Set status", ActionId.INSTRUMENT_STATUS),
        ("Edit", ActionId.INSTRUMENT_EDIT),
        ("Archive", ActionId.INSTRUMENT_ARCHIVE),
        ("Delete", ActionId.INSTRUMENT_DELETE),
    ]
    assert all(b.unpack(e["value"]) == {"id": 3} for e in row["elements"])
    archive, delete = row["elements"][-2:]
    assert archive["confirm"]["title"]["text"] == "Archive this instrument?"
    assert delete["confirm"]["title"]["text"] == "Delete this instrument?"
    assert delete["style"] == delete["confirm"]["style"] == "danger"
    archived = b.render_instrument_card(_needs(is_active=False), can_manage=True)
    assert ActionId.INSTRUMENT_ARCHIVE not in s.action_ids(archived)
    assert "This instrument is archived" in "\n".join(s.texts(archived))
    no_parts = b.render_instrument_card(InstrumentNeeds(s.instrument(), ()))
    assert s.action_ids(no_parts) == {ActionId.INSTRUMENT_HISTORY}


def test_instrument_card_shows_its_latest_status_changes_and_who_made_them() -> None:
    changes = (
        s.status_change(new_status="maintenance", old_status="operational", note="<!here> pump"),
        s.status_change(new_status="operational", old_status="out_of_service", changed_by=None),
    )
    msg = b.render_instrument_card(_needs(), changes=changes)
    s.assert_valid_message(msg)
    shown = "\n".join(s.texts(msg))
    assert "*Latest status changes*" in shown
    assert ":wrench: maintenance (was operational) · mia · _&lt;!here&gt; pump_" in shown
    assert ":large_green_circle: operational (was out of service) · FarLab" in shown
    assert "<!date^" in shown
    assert "Latest status changes" not in "\n".join(s.texts(b.render_instrument_card(_needs())))


def test_instruments_list_tells_name_and_model_apart() -> None:
    msg = b.render_instruments_page(s.page([s.instrument(name="Centrifuge 5810R", model="5810 R")]))
    assert "*Centrifuge 5810R* · 5810 R" in "\n".join(s.texts(msg))


def test_status_history_lists_every_change_and_says_when_some_do_not_fit() -> None:
    inst = s.instrument()
    few = b.render_status_history(inst, (s.status_change(),))
    s.assert_valid_message(few)
    assert few["text"] == "1 status change of MAT253"
    many = tuple(s.status_change(note="n" * 900) for _ in range(400))
    msg = b.render_status_history(inst, many)
    s.assert_valid_message(msg)
    assert "older changes not shown" in "\n".join(s.texts(msg))
    empty = b.render_status_history(inst, ())
    assert "No status changes" in empty["text"]


def test_instrument_parts_list_has_a_view_button_per_part() -> None:
    msg = b.render_instrument_parts(_needs())
    s.assert_valid_message(msg)
    views = [blk["accessory"] for blk in msg["blocks"] if "accessory" in blk]
    assert [b.unpack(v["value"]) for v in views] == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert {v["action_id"] for v in views} == {ActionId.PART_VIEW}
    inst = s.instrument()
    many = InstrumentNeeds(inst, tuple(s.use(s.part(id=i), inst) for i in range(80)))
    assert "more parts" in "\n".join(s.texts(b.render_instrument_parts(many)))


def test_instrument_card_with_400_parts_stays_within_50_blocks() -> None:
    inst = s.instrument()
    parts = [s.part(id=i, name=f"Part {i} " * 40, quantity_in_stock=i % 7) for i in range(400)]
    needs = InstrumentNeeds(inst, tuple(s.use(p, inst) for p in parts))
    msg = b.render_instrument_card(needs, can_manage=True)
    s.assert_valid_message(msg)
    shown = "\n".join(s.texts(msg))
    assert "more critical parts low" in shown
    assert "more parts" in shown
    assert msg["blocks"][-1]["block_id"] == BlockId.INSTRUMENT_ACTIONS


@pytest.mark.parametrize("text", s.HOSTILE)
def test_instrument_card_and_list_escape_every_user_string(text: str) -> None:
    inst = s.hostile_instrument(text)
    msg = b.render_instrument_card(InstrumentNeeds(inst, (s.use(s.hostile_part(text), inst),)))
    s.assert_valid_message(msg)
    listing = b.render_instruments_page(s.page([inst]))
    s.assert_valid_message(listing)


def test_instruments_page_pages_and_fits() -> None:
    items = [s.instrument(id=i, name=f"Instrument {i}") for i in range(200)]
    msg = b.render_instruments_page(s.page(items, limit=200, has_more=True), can_manage=True)
    s.assert_valid_message(msg)
    assert [e["action_id"] for e in s.pager_buttons(msg)] == [
        ActionId.INSTRUMENTS_NEXT,
        ActionId.INSTRUMENT_ADD,
    ]
    empty = b.render_instruments_page(s.page([]))
    s.assert_valid_message(empty)


def test_link_and_status_replies() -> None:
    linked = b.render_link_changed(s.use())
    s.assert_valid_message(linked)
    assert "Linked *FIL-1002* Rhenium filament to *MAT253*: needs 2 · critical" in linked["text"]
    unlinked = b.render_link_changed(s.use(), linked=False)
    assert "Unlinked" in unlinked["text"]
    status = b.render_instrument_status_changed(
        s.instrument(status="out_of_service"), "<!channel> leak"
    )
    s.assert_valid_message(status)
    assert ":red_circle: out of service: _&lt;!channel&gt; leak_" in status["text"]
