"""Part records and their links to instruments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain import alerts, instruments, parts, stock
from domain.errors import Conflict, InvalidInput, NotFound
from domain.permissions import SYSTEM
from persistence.models import Alert, InstrumentPart, StockMovement
from tests.factories import make_instrument, make_user


def _create(ctx, **fields):
    values = {"part_number": "FIL-1", "name": "Rhenium filament", **fields}
    return parts.create_part(ctx, actor=SYSTEM, **values)


def test_create_part_stores_the_record_and_writes_initial_stock_to_the_ledger(ctx, clock):
    manager = make_user(ctx, "manager")
    part = parts.create_part(
        ctx,
        actor=manager,
        part_number=" FIL-1 ",
        name="Rhenium filament",
        category="Filaments",
        quantity_in_stock=12,
        minimum_stock_level=4,
        unit_of_measure="box",
        source="import",
    )
    assert (part.part_number, part.unit_of_measure, part.quantity_in_stock) == ("FIL-1", "box", 12)
    assert part.created_at == clock.now
    assert part.stock_status == "In stock"
    (movement,) = stock.part_history(ctx, actor=manager, part_id=part.id).items
    assert (movement.delta, movement.quantity_after, movement.reason) == (12, 12, "Initial stock")
    assert (movement.source, movement.actor_id) == ("import", manager.user_id)


def test_a_part_created_empty_has_no_ledger_rows_and_counts_in_pieces(ctx):
    part = _create(ctx)
    assert (part.quantity_in_stock, part.unit_of_measure) == (0, "pcs")
    assert stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items == ()


def test_create_part_links_it_to_the_given_instruments_once_each(ctx):
    mat, kiel = make_instrument(ctx), make_instrument(ctx, "Kiel IV")
    part = _create(ctx, instrument_ids=(mat.id, kiel.id, mat.id))
    detail = parts.part_detail(ctx, actor=SYSTEM, part_id=part.id)
    assert sorted(u.instrument_name for u in detail.uses) == ["Kiel IV", "MAT253"]


def test_create_part_refuses_a_number_taken_in_another_case(ctx, refused):
    _create(ctx)
    with refused(Conflict, field="part_number"):
        _create(ctx, part_number="fil-1", name="Another")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"part_number": "  "}, "part_number"),
        ({"name": "n" * 201}, "name"),
        ({"minimum_stock_level": -1}, "minimum_stock_level"),
        ({"quantity_in_stock": -1}, "quantity_in_stock"),
        ({"quantity_in_stock": 100_001}, "quantity_in_stock"),
        ({"is_critical": "yes"}, "is_critical"),
        ({"colour": "red"}, "colour"),
        ({"unit_of_measure": "u" * 21}, "unit_of_measure"),
        ({"quantity_in_stock": 5, "source": "email"}, "source"),
    ],
)
def test_create_part_refuses_bad_input_naming_the_field(ctx, refused, fields, field):
    with refused(InvalidInput, field=field):
        _create(ctx, **fields)


def test_create_part_refuses_an_unknown_instrument_and_writes_nothing(ctx, refused):
    mat = make_instrument(ctx)
    with refused(NotFound):
        _create(ctx, quantity_in_stock=3, instrument_ids=(mat.id, 999_999))


def test_update_part_changes_the_record_but_never_the_stock(ctx, refused):
    part = _create(ctx, quantity_in_stock=5)
    updated = parts.update_part(ctx, actor=SYSTEM, part_id=part.id, location="Cabinet 3", name="Re")
    assert (updated.location, updated.name, updated.quantity_in_stock) == ("Cabinet 3", "Re", 5)
    with refused(InvalidInput, field="quantity_in_stock"):
        parts.update_part(ctx, actor=SYSTEM, part_id=part.id, quantity_in_stock=50)
    with refused(InvalidInput, field="name"):
        parts.update_part(ctx, actor=SYSTEM, part_id=part.id, name="")
    with refused(NotFound):
        parts.update_part(ctx, actor=SYSTEM, part_id=999_999, name="Ghost")


def test_update_part_refuses_another_parts_number_but_accepts_its_own(ctx, refused):
    part = _create(ctx)
    _create(ctx, part_number="FIL-2")
    with refused(Conflict, field="part_number"):
        parts.update_part(ctx, actor=SYSTEM, part_id=part.id, part_number="fil-2")
    assert parts.update_part(ctx, actor=SYSTEM, part_id=part.id, part_number="fil-1").part_number


def test_delete_part_removes_its_links_ledger_and_alerts(ctx, database):
    mat = make_instrument(ctx)
    part = _create(ctx, quantity_in_stock=1, minimum_stock_level=2, instrument_ids=(mat.id,))
    assert parts.delete_part(ctx, actor=SYSTEM, part_id=part.id).part_number == "FIL-1"
    with pytest.raises(NotFound):
        parts.get_part(ctx, actor=SYSTEM, part_id=part.id)
    with database.session() as session:
        for table in (InstrumentPart, StockMovement, Alert):
            assert session.scalar(select(func.count()).select_from(table)) == 0
    assert instruments.get_instrument(ctx, actor=SYSTEM, instrument_id=mat.id).name == "MAT253"


def test_link_part_records_what_an_instrument_needs(ctx):
    mat = make_instrument(ctx)
    part = _create(ctx, quantity_in_stock=1)
    use = parts.link_part(
        ctx,
        actor=SYSTEM,
        instrument_id=mat.id,
        part_id=part.id,
        quantity_required=2,
        is_critical=True,
    )
    assert (use.instrument_name, use.quantity_required, use.is_critical) == ("MAT253", 2, True)
    assert use.is_short  # 1 in stock, 2 needed
    needs = instruments.instrument_needs(ctx, actor=SYSTEM, instrument_id=mat.id)
    assert [u.part.part_number for u in needs.critical_short] == ["FIL-1"]


def test_link_part_refuses_a_link_that_already_exists(ctx, refused):
    mat = make_instrument(ctx)
    part = _create(ctx, instrument_ids=(mat.id,))
    with refused(Conflict, field="part"):
        parts.link_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)


def test_link_part_refuses_unknown_things_and_bad_quantities(ctx, refused):
    mat = make_instrument(ctx)
    part = _create(ctx)
    with refused(NotFound):
        parts.link_part(ctx, actor=SYSTEM, instrument_id=999_999, part_id=part.id)
    with refused(NotFound):
        parts.link_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=999_999)
    with refused(InvalidInput, field="quantity_required"):
        parts.link_part(
            ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, quantity_required=0
        )


def test_update_link_and_unlink_part_change_only_an_existing_link(ctx, refused):
    mat = make_instrument(ctx)
    part = _create(ctx, instrument_ids=(mat.id,))
    use = parts.update_link(
        ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, is_critical=True
    )
    assert use.is_critical
    assert use.quantity_required == 1
    with refused(InvalidInput):
        parts.update_link(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)
    parts.unlink_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)
    assert parts.part_detail(ctx, actor=SYSTEM, part_id=part.id).uses == ()
    with refused(NotFound):
        parts.unlink_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id)
    with refused(NotFound):
        parts.update_link(
            ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, is_critical=False
        )
    assert parts.link_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id).is_active


def test_part_detail_shows_the_latest_movements_newest_first(ctx, clock):
    part = _create(ctx, quantity_in_stock=10)
    for _ in range(6):
        clock.advance(minutes=1)
        stock.adjust_stock(ctx, actor=SYSTEM, part_id=part.id, delta=-1, reason=None, source="api")
    detail = parts.part_detail(ctx, actor=SYSTEM, part_id=part.id, movements=3)
    assert [m.quantity_after for m in detail.recent_movements] == [4, 5, 6]
    assert detail.part.quantity_in_stock == 4
    assert alerts.list_alerts(ctx, actor=SYSTEM).items == ()
