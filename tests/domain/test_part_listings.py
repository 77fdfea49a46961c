"""Parts with their instruments, instruments with their parts, and the one-step part edit."""

from __future__ import annotations

import pytest

from domain import alerts, instrument_listings, instruments, part_listings, parts, stock
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.permissions import SYSTEM
from tests.factories import make_user


def _lab(ctx):
    mat = instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="IRMS")
    kiel = instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    part = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="FIL-1",
        name="Filament",
        quantity_in_stock=8,
        minimum_stock_level=5,
        instrument_ids=(mat.id, kiel.id),
    )
    return mat, kiel, part


def test_edit_part_changes_the_record_and_counts_the_stock_together(ctx, clock):
    manager = make_user(ctx, "manager")
    _, _, part = _lab(ctx)
    clock.advance(minutes=5)
    listing = part_listings.edit_part(
        ctx,
        actor=manager,
        part_id=part.id,
        source="api",
        quantity_in_stock=3,
        category="Filaments",
    )
    assert (listing.part.quantity_in_stock, listing.part.category) == (3, "Filaments")
    assert listing.part.updated_at == clock.now
    assert len(listing.uses) == 2
    latest = stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items[0]
    assert (latest.delta, latest.quantity_after, latest.source, latest.reason) == (
        -5,
        3,
        "api",
        "Stock count",
    )
    assert latest.actor_id == manager.user_id
    [alert] = alerts.list_alerts(ctx, actor=SYSTEM, active_only=True).items
    assert (alert.part_id, alert.current_stock) == (part.id, 3)


def test_edit_part_with_the_same_quantity_writes_no_ledger_row(ctx):
    _, _, part = _lab(ctx)
    part_listings.edit_part(
        ctx, actor=SYSTEM, part_id=part.id, source="api", quantity_in_stock=8, name="Ribbon"
    )
    assert len(stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items) == 1


def test_a_refused_edit_changes_neither_record_nor_stock(ctx, refused):
    _, _, part = _lab(ctx)
    member = make_user(ctx)
    parts.create_part(ctx, actor=SYSTEM, part_number="FIL-2", name="Other")
    with refused(Conflict, field="part_number"):
        part_listings.edit_part(
            ctx,
            actor=SYSTEM,
            part_id=part.id,
            source="api",
            quantity_in_stock=1,
            part_number="fil-2",
        )
    with refused(InvalidInput, field="source"):
        part_listings.edit_part(ctx, actor=SYSTEM, part_id=part.id, source="web")
    with refused(Forbidden):
        part_listings.edit_part(
            ctx, actor=member, part_id=part.id, source="api", quantity_in_stock=1
        )


def test_listings_show_active_links_critical_first(ctx):
    mat, kiel, part = _lab(ctx)
    parts.update_link(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, is_critical=True)
    listing = part_listings.get_part_with_uses(ctx, actor=SYSTEM, part_id=part.id)
    assert [use.instrument_name for use in listing.uses] == ["MAT253", "Kiel IV"]
    parts.unlink_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)
    [listed] = part_listings.list_parts_with_uses(ctx, actor=SYSTEM).items
    assert [use.instrument_id for use in listed.uses] == [kiel.id]
    needs = instrument_listings.list_instruments_with_parts(ctx, actor=SYSTEM).items
    assert [(n.instrument.name, len(n.parts)) for n in needs] == [("Kiel IV", 1), ("MAT253", 0)]


@pytest.mark.usefixtures("clock")
def test_linking_answers_the_stored_link(ctx):
    mat, _, _ = _lab(ctx)
    other = parts.create_part(ctx, actor=SYSTEM, part_number="GSK-1", name="Gasket")
    link = instrument_listings.link_part_as_stored(
        ctx, actor=SYSTEM, instrument_id=mat.id, part_id=other.id, quantity_required=2
    )
    assert (link.instrument_id, link.part_id, link.quantity_required, link.is_active) == (
        mat.id,
        other.id,
        2,
        True,
    )
    assert link.created_at is not None
    assert link.updated_at is None
