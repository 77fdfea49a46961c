"""Instruments: records, lookup, status history and what each one needs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain import instrument_listings, instruments, parts
from domain.errors import Ambiguous, Conflict, InvalidInput, NotFound
from domain.permissions import SYSTEM
from tests.factories import make_user


def _create(ctx, name="MAT253", **fields):
    return instruments.create_instrument(
        ctx, actor=SYSTEM, name=name, model=fields.pop("model", "MAT 253 Plus"), **fields
    )


def test_create_instrument_stores_the_record_as_operational(ctx):
    due = date(2027, 3, 1)
    mat = _create(
        ctx,
        manufacturer="Thermo Fisher",
        serial_number="IRMS-0253",
        next_maintenance_due=due,
        maintenance_interval_days=180,
    )
    assert (mat.name, mat.status, mat.is_active) == ("MAT253", "operational", True)
    assert (mat.serial_number, mat.next_maintenance_due) == ("IRMS-0253", due)
    assert instruments.get_instrument(ctx, actor=SYSTEM, instrument_id=mat.id) == mat


@pytest.mark.parametrize(
    ("taken", "field"),
    [({"name": "mat253"}, "name"), ({"name": "Other", "serial_number": "SN-1"}, "serial_number")],
    ids=["name", "serial_number"],
)
def test_create_instrument_refuses_a_taken_name_or_serial_naming_the_field(
    ctx, refused, taken, field
):
    _create(ctx, serial_number="SN-1")
    with refused(Conflict, field=field):
        _create(ctx, **taken)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"model": None}, "model"),
        ({"status": "broken"}, "status"),
        ({"location": "l" * 201}, "location"),
        ({"maintenance_interval_days": 0}, "maintenance_interval_days"),
        ({"calibration_interval_days": 3651}, "calibration_interval_days"),
        ({"maintenance_interval_days": True}, "maintenance_interval_days"),
        ({"next_calibration_due": "2027-01-01"}, "next_calibration_due"),
        ({"next_maintenance_due": datetime(2027, 1, 1, tzinfo=UTC)}, "next_maintenance_due"),
        ({"colour": "grey"}, "colour"),
    ],
)
def test_create_instrument_refuses_bad_input_naming_the_field(ctx, refused, fields, field):
    with refused(InvalidInput, field=field):
        _create(ctx, **fields)


def test_update_instrument_changes_fields_but_not_the_status(ctx, refused):
    mat, _kiel = _create(ctx), _create(ctx, "Kiel IV")
    updated = instruments.update_instrument(
        ctx, actor=SYSTEM, instrument_id=mat.id, location="Lab 2.14", description="Dual inlet"
    )
    assert (updated.location, updated.description) == ("Lab 2.14", "Dual inlet")
    with refused(InvalidInput, field="status"):
        instruments.update_instrument(ctx, actor=SYSTEM, instrument_id=mat.id, status="maintenance")
    with refused(Conflict, field="name"):
        instruments.update_instrument(ctx, actor=SYSTEM, instrument_id=mat.id, name="KIEL iv")
    assert instruments.update_instrument(ctx, actor=SYSTEM, instrument_id=mat.id, name="mat253")
    with refused(NotFound):
        instruments.update_instrument(ctx, actor=SYSTEM, instrument_id=999_999, location="x")


def test_set_status_records_who_changed_it_from_what_and_why(ctx, clock):
    manager = make_user(ctx, "manager")
    mat = _create(ctx)
    clock.advance(hours=1)
    changed = instruments.set_instrument_status(
        ctx, actor=manager, instrument_id=mat.id, status="maintenance", note="Source clean"
    )
    clock.advance(hours=1)
    instruments.set_instrument_status(
        ctx, actor=manager, instrument_id=mat.id, status="operational"
    )
    assert changed.status == "maintenance"
    history = instruments.status_history(ctx, actor=manager, instrument_id=mat.id)
    assert [(h.old_status, h.new_status, h.note) for h in history] == [
        ("maintenance", "operational", None),
        ("operational", "maintenance", "Source clean"),
    ]
    assert history[1].changed_by_id == manager.user_id
    assert history[0].changed_at == clock.now
    assert [h.changed_by for h in history] == [manager.username, manager.username]


def test_an_instruments_card_has_its_parts_and_latest_status_changes(ctx, clock):
    manager = make_user(ctx, "manager")
    mat = _create(ctx)
    for status in ("maintenance", "operational", "out_of_service", "operational"):
        clock.advance(minutes=5)
        instruments.set_instrument_status(ctx, actor=manager, instrument_id=mat.id, status=status)
    instruments.set_instrument_status(
        ctx, actor=SYSTEM, instrument_id=mat.id, status="maintenance", note="by FarLab"
    )
    card = instrument_listings.instrument_card(ctx, actor=manager, instrument_id=mat.id)
    assert card.needs.instrument.id == mat.id
    assert [(c.new_status, c.changed_by) for c in card.recent_changes] == [
        ("maintenance", None),
        ("operational", manager.username),
        ("out_of_service", manager.username),
    ]
    every = instruments.status_history(ctx, actor=manager, instrument_id=mat.id, limit=1000)
    assert len(every) == 5


def test_set_status_refuses_an_unknown_status_and_writes_no_history(ctx, refused):
    mat = _create(ctx)
    with refused(InvalidInput, field="status"):
        instruments.set_instrument_status(ctx, actor=SYSTEM, instrument_id=mat.id, status="dead")
    with refused(NotFound):
        instruments.set_instrument_status(
            ctx, actor=SYSTEM, instrument_id=999_999, status="maintenance"
        )


def test_find_instrument_by_exact_name_or_unique_prefix(ctx):
    _create(ctx, "Delta V")
    _create(ctx, "Delta V Plus")
    kiel = _create(ctx, "Kiel IV")
    assert instruments.find_instrument(ctx, actor=SYSTEM, ref="delta v").name == "Delta V"
    assert instruments.find_instrument(ctx, actor=SYSTEM, ref="ki").id == kiel.id
    with pytest.raises(Ambiguous) as caught:
        instruments.find_instrument(ctx, actor=SYSTEM, ref="del")
    assert [label for _id, label in caught.value.candidates] == ["Delta V", "Delta V Plus"]
    with pytest.raises(NotFound):
        instruments.find_instrument(ctx, actor=SYSTEM, ref="Neptune")
    with pytest.raises(InvalidInput):
        instruments.find_instrument(ctx, actor=SYSTEM, ref=" ")


def test_list_instruments_filters_by_status_and_hides_inactive_ones(ctx):
    _create(ctx)
    kiel, old = _create(ctx, "Kiel IV"), _create(ctx, "Old IRMS")
    instruments.set_instrument_status(
        ctx, actor=SYSTEM, instrument_id=kiel.id, status="maintenance"
    )
    instruments.deactivate_instrument(ctx, actor=SYSTEM, instrument_id=old.id)

    def names(**filters):
        return [i.name for i in instruments.list_instruments(ctx, actor=SYSTEM, **filters).items]

    assert names() == ["Kiel IV", "MAT253"]
    assert names(status="maintenance") == ["Kiel IV"]
    assert names(active_only=False) == ["Kiel IV", "MAT253", "Old IRMS"]


def test_instrument_needs_lists_critical_parts_first_and_flags_short_ones(ctx):
    mat = _create(ctx)
    for number, quantity, critical in (("A-1", 9, False), ("B-1", 0, True), ("C-1", 9, True)):
        part = parts.create_part(
            ctx, actor=SYSTEM, part_number=number, name=number, quantity_in_stock=quantity
        )
        parts.link_part(
            ctx, actor=SYSTEM, instrument_id=mat.id, part_id=part.id, is_critical=critical
        )
    needs = instruments.instrument_needs(ctx, actor=SYSTEM, instrument_id=mat.id)
    assert [u.part.part_number for u in needs.parts] == ["B-1", "C-1", "A-1"]
    assert [u.part.part_number for u in needs.critical_short] == ["B-1"]


def test_deleting_an_instrument_removes_its_links_but_keeps_the_parts(ctx):
    mat = _create(ctx)
    part = parts.create_part(
        ctx, actor=SYSTEM, part_number="P-1", name="Part", instrument_ids=(mat.id,)
    )
    instruments.delete_instrument(ctx, actor=SYSTEM, instrument_id=mat.id)
    with pytest.raises(NotFound):
        instruments.get_instrument(ctx, actor=SYSTEM, instrument_id=mat.id)
    assert parts.part_detail(ctx, actor=SYSTEM, part_id=part.id).uses == ()
