"""Whole conversations with the bot: command, modal, submission, confirmation, card, button."""

from __future__ import annotations

from domain import alerts, instruments, parts, stock
from domain.errors import NotFound
from domain.results import PartView
from tests.bot.blocks_samples import action_ids
from tests.bot.conftest import Lab
from tests.bot.steps import (
    CHANNEL,
    button_for,
    click,
    click_and_see,
    everything_said,
    modal_from_click,
    modal_from_command,
    next_reply,
    replies_to,
    showing,
    shown_card,
    stock_of,
    submit,
)


def _part(lab: Lab, number: str = "FIL-1002", stock: int = 10, **fields: object) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number=number,
        name=str(fields.pop("name", "Rhenium filament")),
        quantity_in_stock=stock,
        **fields,  # type: ignore[arg-type]
    )


def test_part_added_by_form_then_taken_restocked_and_counted_from_its_card(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    mat = instruments.create_instrument(
        lab.ctx, actor=lab.actors["manager"], name="MAT253", model="M"
    )
    form = modal_from_command(lab, "manager", "part add")
    assert form["callback_id"] == "part_add"
    seen = len(replies_to(stand_in, "manager"))
    answers = {
        "instrument.picker": [str(mat.id)],
        "Part number": "FIL-1002",
        "Name": "Rhenium filament",
        "Category": "Filaments",
        "Location": "Cabinet B2",
        "Minimum stock": "2",
        "Stock now": "10",
    }
    assert submit(lab, "manager", form, answers) == {}  # accepted: Slack closes the modal
    assert stand_in.modals("UMANAGER") == []
    created = parts.find_part(lab.ctx, actor=lab.actors["manager"], ref="FIL-1002")
    assert (created.name, created.quantity_in_stock, created.minimum_stock_level) == (
        "Rhenium filament",
        10,
        2,
    )
    needs = instruments.instrument_needs(lab.ctx, actor=lab.actors["manager"], instrument_id=mat.id)
    assert [use.part.id for use in needs.parts] == [created.id]
    added = next_reply(lab, "manager", seen)
    assert added["channel"] == CHANNEL  # told where the command was typed
    assert "Added part FIL-1002 Rhenium filament" in added["text"]

    card = shown_card(lab, "member", "part FIL-1002")
    assert "10 pcs in stock" in everything_said(card)
    for button, label, entered, expected, word in (
        ("part.use", "How many to take", "3", 7, "Took"),
        ("part.restock", "How many to add", "5", 12, "Restocked"),
        ("part.count", "How many are there now", "4", 4, "Counted"),
    ):
        form = modal_from_click(lab, "member", button, card)
        assert "FIL-1002" in everything_said(form)
        seen = len(replies_to(stand_in, "member"))
        assert submit(lab, "member", form, {label: entered, "Reason": f"{word} by form"}) == {}
        assert stock_of(lab, created) == expected
        confirmation = next_reply(lab, "member", seen)
        assert confirmation["channel"] == CHANNEL
        assert str(expected) in everything_said(confirmation)
    history = stock.part_history(lab.ctx, actor=lab.actors["member"], part_id=created.id)
    assert [(m.delta, m.quantity_after, m.source, m.reason) for m in history.items][:3] == [
        (-8, 4, "slack", "Counted by form"),
        (5, 12, "slack", "Restocked by form"),
        (-3, 7, "slack", "Took by form"),
    ]


def test_part_edited_from_its_card_and_deleted_after_confirming(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    part = _part(lab, location="Cabinet B2")
    card = shown_card(lab, "manager", "part FIL-1002")
    form = modal_from_click(lab, "manager", "part.edit", card)
    assert form["callback_id"] == "part_edit"
    seen = len(replies_to(stand_in, "manager"))
    assert submit(lab, "manager", form, {"Name": "Rhenium filament 0.1 mm", "Location": "B3"}) == {}
    edited = parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=part.id)
    assert (edited.name, edited.location, edited.part_number) == (
        "Rhenium filament 0.1 mm",
        "B3",
        "FIL-1002",
    )
    assert "Saved part FIL-1002" in next_reply(lab, "manager", seen)["text"]

    form = modal_from_command(lab, "manager", "part edit FIL-1002")
    assert form["callback_id"] == "part_edit"
    form = modal_from_click(lab, "manager", "part.delete", card)
    assert form["callback_id"] == "part_delete"
    assert "FIL-1002" in everything_said(form)
    assert parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=part.id)  # not yet
    seen = len(replies_to(stand_in, "manager"))
    assert submit(lab, "manager", form, {}) == {}
    try:
        parts.get_part(lab.ctx, actor=lab.actors["manager"], part_id=part.id)
        raise AssertionError("the part is still there")
    except NotFound:
        pass
    assert "Deleted" in next_reply(lab, "manager", seen)["text"]


def test_instrument_added_edited_and_its_status_set_through_forms(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    form = modal_from_command(lab, "manager", "instrument add")
    assert form["callback_id"] == "instrument_add"
    seen = len(replies_to(stand_in, "manager"))
    answers = {"Name": "MAT253", "Model": "MAT 253 Plus", "Location": "Lab 2"}
    assert submit(lab, "manager", form, answers) == {}
    found = instruments.find_instrument(lab.ctx, actor=lab.actors["manager"], ref="MAT253")
    assert (found.model, found.location, found.status) == ("MAT 253 Plus", "Lab 2", "operational")
    assert "Added instrument MAT253" in next_reply(lab, "manager", seen)["text"]

    card = shown_card(lab, "manager", "instrument MAT253")
    form = modal_from_click(lab, "manager", "instrument.edit", card)
    assert form["callback_id"] == "instrument_edit"
    seen = len(replies_to(stand_in, "manager"))
    assert submit(lab, "manager", form, {"Location": "Lab 3", "Serial number": "SN-77"}) == {}
    found = instruments.get_instrument(lab.ctx, actor=lab.actors["manager"], instrument_id=found.id)
    assert (found.name, found.location, found.serial_number) == ("MAT253", "Lab 3", "SN-77")
    assert "Saved instrument MAT253" in next_reply(lab, "manager", seen)["text"]

    form = modal_from_command(lab, "admin", "instrument edit MAT253")
    assert form["callback_id"] == "instrument_edit"
    form = modal_from_click(lab, "manager", "instrument.status", card)
    assert form["callback_id"] == "instrument_status"
    seen = len(replies_to(stand_in, "manager"))
    answers = {"New status": "maintenance", "Note": "source change"}
    assert submit(lab, "manager", form, answers) == {}
    found = instruments.get_instrument(lab.ctx, actor=lab.actors["manager"], instrument_id=found.id)
    assert found.status == "maintenance"
    said = everything_said(next_reply(lab, "manager", seen))
    assert "MAT253" in said
    assert "maintenance" in said
    assert "source change" in said


def test_parts_list_pages_forward_and_back_in_place(lab: Lab) -> None:
    for n in range(27):
        _part(lab, f"P-{n:03d}", name=f"Part {n}", stock=n)
    shown = shown_card(lab, "member", "parts")
    said = everything_said(shown)
    assert "P-000" in said
    assert "P-009" in said
    assert "P-010" not in said
    assert "Showing 1 to 10" in said
    pages = []
    for action in ("parts.page.next", "parts.page.next", "parts.page.previous"):
        answer = click_and_see(lab, "member", action, shown)
        assert answer["replace_original"] in (True, "true")
        shown = showing(lab, shown)
        pages.append(shown)
    said = [everything_said(page) for page in pages]
    assert "Showing 11 to 20" in said[0]
    assert "P-010" in said[0]
    assert "P-009" not in said[0]
    assert "Showing 21 to 27" in said[1]
    assert "P-026" in said[1]
    assert action_ids(pages[1]) >= {"parts.page.previous"}
    assert "parts.page.next" not in action_ids(pages[1])  # the last page
    assert "Showing 11 to 20" in said[2]
    assert len(lab.harness.stand_in.ephemerals(CHANNEL, "UMEMBER")) == 1  # one list, replaced


def test_history_pages_through_every_movement(lab: Lab) -> None:
    part = _part(lab, stock=100)
    for n in range(1, 25):
        stock.adjust_stock(
            lab.ctx,
            actor=lab.actors["member"],
            part_id=part.id,
            delta=-1,
            reason=f"move {n}",
            source="slack",
        )
    shown = shown_card(lab, "member", "history FIL-1002")
    assert "move 24" in everything_said(shown)
    assert "move 15" in everything_said(shown)
    assert "move 14" not in everything_said(shown)
    click_and_see(lab, "member", "history.page.next", shown)
    second = everything_said(showing(lab, shown))
    assert "move 14" in second
    assert "move 5" in second
    assert "move 15" not in second
    click_and_see(lab, "member", "history.page.next", showing(lab, shown))
    third = everything_said(showing(lab, shown))
    assert "move 4" in third
    assert "Initial stock" in third
    click_and_see(lab, "member", "history.page.previous", showing(lab, shown))
    assert "move 14" in everything_said(showing(lab, shown))


def test_ambiguous_name_gives_a_pick_list_and_choose_finishes_the_command(lab: Lab) -> None:
    first = _part(lab, "FIL-A", name="Filament A", stock=5)
    second = _part(lab, "FIL-B", name="Filament B", stock=5)
    picks = shown_card(lab, "member", "use filament 2 source change")
    assert "Several parts match" in everything_said(picks)
    assert stock_of(lab, first) == stock_of(lab, second) == 5
    choice = button_for(picks, "pick.choose", "FIL-B")
    answer = click_and_see(lab, "member", "pick.choose", picks, value=choice)
    assert answer["replace_original"] in (True, "true")
    assert (stock_of(lab, first), stock_of(lab, second)) == (5, 3)
    assert "3 left" in everything_said(showing(lab, picks))
    moves = stock.part_history(lab.ctx, actor=lab.actors["member"], part_id=second.id).items
    assert (moves[0].delta, moves[0].reason) == (-2, "source change")

    picks = shown_card(lab, "manager", "part edit filament")
    opened = len(lab.harness.stand_in.calls("views.open"))
    choice = button_for(picks, "pick.choose", "FIL-A")
    click(lab, "manager", "pick.choose", picks, value=choice)
    call = lab.harness.stand_in.wait_for("views.open", opened + 1)[opened]
    assert call.body["view"]["callback_id"] == "part_edit"
    assert "FIL-A" in str(call.body["view"]["blocks"])


def test_manager_acknowledges_then_resolves_an_alert_from_the_list(lab: Lab) -> None:
    part = _part(lab)
    alert = alerts.raise_alert(
        lab.ctx, actor=lab.actors["member"], message="filament blown", part_id=part.id
    )
    shown = shown_card(lab, "manager", "alerts")
    assert "filament blown" in everything_said(shown)
    click_and_see(lab, "manager", "alert.acknowledge", shown)
    now = alerts.get_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert.id)
    assert (now.status, now.acknowledged_by_id) == ("acknowledged", lab.actors["manager"].user_id)
    shown = showing(lab, shown)
    assert "acknowledged" in everything_said(shown)
    assert "alert.acknowledge" not in str(shown["blocks"])
    click_and_see(lab, "manager", "alert.resolve", shown)
    now = alerts.get_alert(lab.ctx, actor=lab.actors["manager"], alert_id=alert.id)
    assert (now.status, now.resolved_by_id) == ("resolved", lab.actors["manager"].user_id)
    assert "No open alerts" in everything_said(showing(lab, shown))


def test_search_and_instrument_lists_page_too(lab: Lab) -> None:
    for n in range(12):
        _part(lab, f"FIL-{n:03d}", name=f"Filament {n}")
        _part(lab, f"ORG-{n:03d}", name=f"O-ring {n}")
    for n in range(22):
        instruments.create_instrument(
            lab.ctx, actor=lab.actors["manager"], name=f"IRMS {n:02d}", model="Delta V"
        )
    found = shown_card(lab, "member", "parts filament")
    click_and_see(lab, "member", "parts.page.next", found)
    said = everything_said(showing(lab, found))
    assert "FIL-010" in said
    assert "FIL-011" in said
    assert "ORG-" not in said
    listing = shown_card(lab, "member", "instruments")
    assert "IRMS 19" in everything_said(listing)
    assert "IRMS 20" not in everything_said(listing)
    click_and_see(lab, "member", "instruments.page.next", listing)
    said = everything_said(showing(lab, listing))
    assert "IRMS 20" in said
    assert "IRMS 21" in said
    assert "IRMS 19" not in said


def test_a_confirmation_comes_by_dm_when_the_channel_refuses_it(lab: Lab) -> None:
    stand_in = lab.harness.stand_in
    part = _part(lab)
    card = shown_card(lab, "member", "part FIL-1002")
    form = modal_from_click(lab, "member", "part.use", card)
    stand_in.error("chat.postEphemeral", "channel_not_found")
    assert submit(lab, "member", form, {"How many to take": "1"}) == {}
    dm = stand_in.wait_for("chat.postMessage")[0].body
    assert dm["channel"] == "UMEMBER"
    assert "9 left" in everything_said(dm)
    assert stock_of(lab, part) == 9


def test_an_ambiguous_instrument_in_use_or_link_gets_a_pick_list_that_finishes_it(
    lab: Lab,
) -> None:
    part = _part(lab)
    manager = lab.actors["manager"]
    kiel = instruments.create_instrument(lab.ctx, actor=manager, name="Kiel IV", model="K4")
    instruments.create_instrument(lab.ctx, actor=manager, name="Kiel 253", model="K253")
    picks = shown_card(lab, "member", "use FIL-1002 2 for kiel source change")
    assert "Several instruments match kiel" in everything_said(picks)
    assert stock_of(lab, part) == 10
    choice = button_for(picks, "pick.choose", "Kiel IV")
    answer = click_and_see(lab, "member", "pick.choose", picks, value=choice)
    assert "8 left" in everything_said(answer), everything_said(answer)
    move = stock.part_history(lab.ctx, actor=manager, part_id=part.id).items[0]
    assert (move.delta, move.instrument_name, move.reason) == (-2, "Kiel IV", "source change")

    picks = shown_card(lab, "manager", "instrument link kiel FIL-1002 3 critical")
    choice = button_for(picks, "pick.choose", "Kiel IV")
    answer = click_and_see(lab, "manager", "pick.choose", picks, value=choice)
    assert "Linked" in everything_said(answer), everything_said(answer)
    needs = instruments.instrument_needs(lab.ctx, actor=manager, instrument_id=kiel.id)
    assert [(u.part.id, u.quantity_required, u.is_critical) for u in needs.parts] == [
        (part.id, 3, True)
    ]
    picks = shown_card(lab, "manager", "instrument unlink kiel FIL-1002")
    choice = button_for(picks, "pick.choose", "Kiel IV")
    answer = click_and_see(lab, "manager", "pick.choose", picks, value=choice)
    assert "Unlinked" in everything_said(answer), everything_said(answer)
    assert instruments.instrument_needs(lab.ctx, actor=manager, instrument_id=kiel.id).parts == ()
