"""Suppliers and offers from Slack: supplier add|edit|list, the part card's Offers (add, edit,
make preferred, remove), reorder levels, the observed lead time, and refusals for members."""

from __future__ import annotations

from typing import Any

from bot.ids import ActionId
from domain import order_steps, ordering, parts, suppliers
from domain.permissions import SYSTEM
from domain.results import PartView
from tests.bot.conftest import Lab
from tests.bot.steps import (
    click,
    everything_said,
    modal_from_click,
    modal_from_command,
    next_reply,
    replies_to,
    say,
    shown_card,
    submit,
)


def _part(lab: Lab) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=SYSTEM,
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=2,
        minimum_stock_level=5,
    )


def _supplier_rows(lab: Lab) -> list[Any]:
    found = suppliers.list_suppliers(lab.ctx, actor=SYSTEM, include_inactive=True)
    return list(found.items)


def _offers(lab: Lab, part: PartView) -> list[Any]:
    return list(suppliers.list_offers(lab.ctx, actor=SYSTEM, part_id=part.id))


def _submit_and_read(lab: Lab, role: str, modal: dict[str, Any], answers: dict[str, Any]) -> str:
    seen = len(replies_to(lab.harness.stand_in, role))
    assert submit(lab, role, modal, answers) == {}
    return everything_said(next_reply(lab, role, seen))


def test_a_manager_adds_edits_deactivates_and_lists_suppliers(lab: Lab):
    modal = modal_from_command(lab, "manager", "supplier add")
    said = _submit_and_read(
        lab, "manager", modal, {"Name": "Sigma", "E-mail": "orders@sigma.example"}
    )
    assert "Added supplier Sigma." in said
    [sigma] = _supplier_rows(lab)
    assert sigma.email == "orders@sigma.example"
    edit = modal_from_command(lab, "manager", "supplier edit sig")
    assert "Sigma" in str(edit["blocks"])
    said = _submit_and_read(lab, "manager", edit, {"Phone": "+49 30 1234", "Active": []})
    assert "Saved supplier Sigma (inactive)." in said
    [sigma] = _supplier_rows(lab)
    assert (sigma.phone, sigma.is_active) == ("+49 30 1234", False)
    listed = shown_card(lab, "manager", "supplier list")
    assert ":no_entry_sign: inactive" in everything_said(listed)
    again = modal_from_click(lab, "manager", ActionId.SUPPLIER_EDIT, listed)
    assert again["callback_id"] == "supplier_edit"


def test_supplier_list_pages_when_long(lab: Lab):
    for n in range(25):
        suppliers.add_supplier(lab.ctx, actor=SYSTEM, name=f"Supplier {n:02}")
    listed = shown_card(lab, "member", "supplier list")
    assert "Supplier 19" in everything_said(listed)
    assert "Supplier 20" not in everything_said(listed)
    assert ActionId.SUPPLIER_EDIT not in str(listed["blocks"])  # members see no Edit
    answered = len(lab.harness.stand_in.calls("response_url"))
    click(lab, "member", ActionId.SUPPLIERS_NEXT, listed)
    call = lab.harness.stand_in.wait_for("response_url", answered + 1)[answered]
    assert "Supplier 24" in everything_said(call.body)


def test_a_duplicate_name_is_a_field_error(lab: Lab):
    suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    modal = modal_from_command(lab, "manager", "supplier add")
    answer = submit(lab, "manager", modal, {"Name": "sigma"})
    assert answer["response_action"] == "errors"
    assert "already exists" in answer["errors"]["name"]
    assert len(_supplier_rows(lab)) == 1


def test_a_member_is_refused_supplier_and_offer_changes_and_nothing_changes(lab: Lab):
    part = _part(lab)
    sigma = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    offer = suppliers.add_offer(lab.ctx, actor=SYSTEM, part_id=part.id, supplier_id=sigma.id)
    assert "manager" in everything_said(say(lab, "member", "supplier add")).lower()
    assert "manager" in everything_said(say(lab, "member", "supplier edit Sigma")).lower()
    seen = len(replies_to(lab.harness.stand_in, "member"))
    click(lab, "member", ActionId.OFFER_MENU, value={"id": offer.id, "p": part.id, "do": "remove"})
    refusal = everything_said(next_reply(lab, "member", seen))
    assert "manager" in refusal.lower()
    assert [o.id for o in _offers(lab, part)] == [offer.id]
    # the form submitted anyway (a stale modal, or crafted): refused, nothing written
    modal = modal_from_command(lab, "manager", "supplier add")
    answer = submit(lab, "member", modal, {"Name": "Crafted"})
    assert "manager" in str(answer).lower()
    assert [s.name for s in _supplier_rows(lab)] == ["Sigma"]


def test_offers_on_the_card_add_edit_prefer_and_remove(lab: Lab):
    part = _part(lab)
    suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Thermo")
    card = shown_card(lab, "manager", "part FIL-1002")
    assert "No supplier offer yet." in everything_said(card)
    modal = modal_from_click(lab, "manager", ActionId.OFFER_ADD, card)
    assert "EUR" in str(modal["blocks"])  # the currency starts as the lab's own
    options = lab.harness.slack.block_suggestion(
        "UMANAGER", ActionId.SUPPLIER_PICKER, "sig", view=modal
    ).json()["options"]
    assert [o["text"]["text"] for o in options] == ["Sigma"]
    answers = {
        ActionId.SUPPLIER_PICKER: options[0],
        "Price per pack": "12.50",
        "Pack size": 10,
        "Lead time (days)": 7,
        "Order URL": "https://sigma.example/r-12",
        "Preferred": ["preferred"],
    }
    assert "Added the offer of *Sigma*" in _submit_and_read(lab, "manager", modal, answers)
    [sigma_offer] = _offers(lab, part)
    assert (sigma_offer.price.minor, sigma_offer.pack_size, sigma_offer.is_preferred) == (
        1250,
        10,
        True,
    )
    thermo = suppliers.find_supplier(lab.ctx, actor=SYSTEM, name="Thermo")
    suppliers.add_offer(lab.ctx, actor=SYSTEM, part_id=part.id, supplier_id=thermo.id)
    card = shown_card(lab, "manager", "part FIL-1002")
    said = everything_said(card)
    assert ":star: *Sigma*" in said
    assert "12.50 EUR a pack of 10" in said
    assert "https://sigma.example/r-12" in said
    edit = modal_from_click(
        lab,
        "manager",
        ActionId.OFFER_MENU,
        card,
        value={"id": sigma_offer.id, "p": part.id, "do": "edit"},
    )
    assert "Saved the offer" in _submit_and_read(lab, "manager", edit, {"Lead time (days)": 9})
    thermo_offer = next(o for o in _offers(lab, part) if o.supplier_name == "Thermo")
    seen = len(replies_to(lab.harness.stand_in, "manager"))
    click(
        lab,
        "manager",
        ActionId.OFFER_MENU,
        card,
        value={"id": thermo_offer.id, "p": part.id, "do": "prefer"},
    )
    assert "Made preferred" in everything_said(next_reply(lab, "manager", seen))
    by_name = {o.supplier_name: o for o in _offers(lab, part)}
    assert (by_name["Sigma"].lead_time_days, by_name["Sigma"].is_preferred) == (9, False)
    assert by_name["Thermo"].is_preferred
    click(
        lab,
        "manager",
        ActionId.OFFER_MENU,
        card,
        value={"id": sigma_offer.id, "p": part.id, "do": "remove"},
    )
    assert "Removed" in everything_said(next_reply(lab, "manager", seen + 1))
    assert [o.supplier_name for o in _offers(lab, part)] == ["Thermo"]


def test_bad_offer_input_is_shown_on_its_fields(lab: Lab):
    part = _part(lab)
    suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    card = shown_card(lab, "manager", "part FIL-1002")
    modal = modal_from_click(lab, "manager", ActionId.OFFER_ADD, card)
    options = lab.harness.slack.block_suggestion(
        "UMANAGER", ActionId.SUPPLIER_PICKER, "sig", view=modal
    ).json()["options"]
    for label, bad, field in (
        ("Price per pack", "-3", "unit_price"),
        ("Currency", "XYZ", "currency"),
        ("Order URL", "ftp://nope", "order_url"),
    ):
        answer = submit(lab, "manager", modal, {ActionId.SUPPLIER_PICKER: options[0], label: bad})
        assert answer["response_action"] == "errors"
        assert list(answer["errors"]) == [field]
    assert _offers(lab, part) == []


def test_reorder_levels_from_the_card(lab: Lab):
    part = _part(lab)
    card = shown_card(lab, "manager", "part FIL-1002")
    modal = modal_from_click(lab, "manager", ActionId.REORDER_LEVELS, card)
    said = _submit_and_read(lab, "manager", modal, {"Target stock": 20})
    assert "Saved the reorder levels" in said
    saved = parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id)
    assert (saved.target_stock, saved.reorder_quantity) == (20, None)
    assert "refill to 20" in everything_said(shown_card(lab, "manager", "part FIL-1002"))


def test_the_card_shows_last_orders_and_the_lead_time_observed_and_a_manager_uses_it(
    lab: Lab, clock
):
    part = _part(lab)
    sigma = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Sigma")
    offer = suppliers.add_offer(
        lab.ctx,
        actor=SYSTEM,
        part_id=part.id,
        supplier_id=sigma.id,
        lead_time_days=7,
        is_preferred=True,
    )
    manager = lab.actors["manager"]
    request = ordering.request_reorder(lab.ctx, actor=lab.actors["member"], part_id=part.id)
    order_id = request.order.id
    order_steps.approve_order(lab.ctx, actor=manager, order_id=order_id)
    order_steps.mark_ordered(lab.ctx, actor=manager, order_id=order_id, order_number="PO-9")
    clock.advance(days=12)
    order_steps.receive_order(
        lab.ctx, actor=manager, order_id=order_id, quantity=request.order.quantity
    )
    card = shown_card(lab, "manager", "part FIL-1002")
    said = everything_said(card)
    assert f"*#{order_id}* received" in said
    assert "Lead time observed 12 days over 1 order; the offer says 7." in said
    assert "Use 12 days" not in everything_said(shown_card(lab, "member", "part FIL-1002"))
    seen = len(replies_to(lab.harness.stand_in, "manager"))
    click(lab, "manager", ActionId.OFFER_USE_LEAD_TIME, card)
    assert "12 days" in everything_said(next_reply(lab, "manager", seen))
    [saved] = _offers(lab, part)
    assert (saved.id, saved.lead_time_days) == (offer.id, 12)
