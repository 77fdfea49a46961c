"""The part and instrument pickers: options are searched as the person types."""

from __future__ import annotations

from typing import Any

from bot.blocks import check_options
from domain import instruments, parts, users
from tests.bot.blocks_samples import assert_valid_options
from tests.bot.conftest import Lab


def _suggest(lab: Lab, user: str, action_id: str, typed: str) -> list[dict[str, Any]]:
    response = lab.harness.slack.block_suggestion(user, action_id, typed)
    assert response.status_code == 200, response.text
    options: list[dict[str, Any]] = response.json()["options"]
    assert_valid_options(options)
    check_options(options)
    return options


def test_the_part_picker_offers_matching_parts_by_id_from_two_characters(lab: Lab) -> None:
    manager = lab.actors["manager"]
    filament = parts.create_part(
        lab.ctx,
        actor=manager,
        part_number="FIL-1002",
        name="Rhenium filament",
        category="Filaments",
        quantity_in_stock=2,
        minimum_stock_level=3,
    )
    spare = parts.create_part(
        lab.ctx, actor=manager, part_number="FIL-2000", name="Tungsten filament"
    )
    parts.create_part(lab.ctx, actor=manager, part_number="ORG-7", name="Viton o-ring")
    found = _suggest(lab, "UMEMBER", "part.picker", "fil")
    assert [o["value"] for o in found] == [str(filament.id), str(spare.id)]
    assert found[0]["text"]["text"] == "FIL-1002 Rhenium filament"
    assert "2 pcs in stock · low" in found[0]["description"]["text"]
    assert [o["value"] for o in _suggest(lab, "UMEMBER", "part.picker", "RHENIUM")] == [
        str(filament.id)
    ]
    assert _suggest(lab, "UMEMBER", "part.picker", "f") == []  # fewer than 2 characters
    assert _suggest(lab, "UMEMBER", "part.picker", "  ") == []
    assert _suggest(lab, "UMEMBER", "part.picker", "zz") == []
    assert _suggest(lab, "UMEMBER", "part.picker", "%%") == []  # no wildcard searches
    assert _suggest(lab, "UMEMBER", "part.picker", "x" * 300) == []


def test_the_part_picker_offers_at_most_fifty_options(lab: Lab) -> None:
    for n in range(60):
        parts.create_part(
            lab.ctx, actor=lab.actors["manager"], part_number=f"P-{n:03d}", name=f"Part {n}"
        )
    found = _suggest(lab, "UMEMBER", "part.picker", "part")
    assert len(found) == 50
    assert len({o["value"] for o in found}) == 50


def test_the_instrument_picker_offers_matching_instruments_by_id(lab: Lab) -> None:
    manager = lab.actors["manager"]
    mat = instruments.create_instrument(lab.ctx, actor=manager, name="MAT253", model="MAT 253")
    instruments.create_instrument(lab.ctx, actor=manager, name="Kiel IV", model="Kiel")
    found = _suggest(lab, "UMEMBER", "instrument.picker", "mat")
    assert [o["value"] for o in found] == [str(mat.id)]
    assert found[0]["text"]["text"] == "MAT253"
    assert _suggest(lab, "UMEMBER", "instrument.picker", "zz") == []


def test_people_who_cannot_act_get_no_options(lab: Lab) -> None:
    part = parts.create_part(
        lab.ctx, actor=lab.actors["manager"], part_number="FIL-1002", name="Rhenium filament"
    )
    instruments.create_instrument(lab.ctx, actor=lab.actors["manager"], name="MAT253", model="M")
    assert _suggest(lab, "UMEMBER", "part.picker", "fil")[0]["value"] == str(part.id)
    for picker, typed in (("part.picker", "fil"), ("instrument.picker", "mat")):
        assert _suggest(lab, "UOUTSIDER", picker, typed) == []
    users.deactivate_user(lab.ctx, actor=lab.actors["admin"], user_id=lab.actors["member"].user_id)
    assert _suggest(lab, "UMEMBER", "part.picker", "fil") == []
    assert _suggest(lab, "UMEMBER", "instrument.picker", "mat") == []
