"""``/farlab shopping-list`` through the real Bolt app and the Slack stand-in."""

from __future__ import annotations

from bot.ids import ActionId
from domain import ordering, suppliers
from domain.permissions import SYSTEM
from tests.bot.conftest import PEOPLE, Lab
from tests.bot.steps import click_and_see, everything_said, say, shown_card
from tests.factories import make_part


def _stocked(lab: Lab):
    thermo = suppliers.add_supplier(lab.ctx, actor=SYSTEM, name="Thermo <Fisher>")
    fil = make_part(lab.ctx, "FIL-1", "Filament", quantity=1, minimum=4)
    make_part(lab.ctx, "CAP-1", "Cap", quantity=0, minimum=2)
    suppliers.add_offer(
        lab.ctx,
        actor=SYSTEM,
        part_id=fil.id,
        supplier_id=thermo.id,
        pack_size=5,
        unit_price="10",
        is_preferred=True,
    )
    return thermo, fil


def test_the_list_groups_low_parts_by_supplier_with_costs(lab: Lab):
    _stocked(lab)
    said = everything_said(say(lab, "member", "shopping-list"))
    assert "2 low parts with no request yet" in said
    assert "*Thermo &lt;Fisher&gt;*: 1 part, ~20.00 EUR" in said  # the name is escaped
    assert "*FIL-1* Filament: 10 pcs (2 packs of 5), ~20.00 EUR" in said
    assert "*No preferred supplier*: 1 part, no prices known" in said


def test_request_all_for_a_supplier_from_the_list(lab: Lab):
    lab.harness.runtime.purchasing_channel = "CPURCHASE"
    _thermo, fil = _stocked(lab)
    shown = shown_card(lab, "member", "shopping-list")
    answer = click_and_see(lab, "member", ActionId.SHOPPING_REQUEST_GROUP, shown)
    assert "Requested 1 reorders for Thermo &lt;Fisher&gt;: #" in everything_said(answer)
    [order] = ordering.list_orders(lab.ctx, actor=SYSTEM, states="open").items
    assert (order.part.id, order.quantity, order.requested_by) == (
        fil.id,
        10,
        lab.actors["member"].username,
    )
    assert "FIL-1" not in everything_said(say(lab, "member", "shopping-list"))
    # The request is posted to the purchasing channel at once, not at the next job run.
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(stand_in.calls("chat.postMessage")) >= 1)
    [post] = stand_in.calls("chat.postMessage")
    assert post.body["channel"] == "CPURCHASE"
    assert f'"order_id": {order.id}' in str(post.body["metadata"]).replace("'", '"')


def test_the_export_button_sends_the_csv_to_the_dm(lab: Lab):
    _stocked(lab)
    shown = shown_card(lab, "member", "shopping-list")
    answer = click_and_see(lab, "member", ActionId.SHOPPING_EXPORT, shown)
    assert ":inbox_tray: Sent farlab-shopping-list-" in everything_said(answer)
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(stand_in.files_in(PEOPLE["member"])) == 1)
    [shared] = stand_in.files_in(PEOPLE["member"])
    text = stand_in.file_bytes(shared["id"]).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Thermo <Fisher>,FIL-1,Filament,1,4,pcs,10,2,5")


def test_nothing_to_buy_says_so(lab: Lab):
    assert "Nothing to buy" in everything_said(say(lab, "member", "shopping-list"))
