"""``/farlab parts <query>`` as people type it, ``parts low|out``, and ``alerts`` filters,
through the real app with signed requests."""

from __future__ import annotations

from bot.ids import ActionId
from domain import parts
from tests.bot.conftest import Lab
from tests.bot.steps import button_for, click_and_see, everything_said, shown_card
from tests.factories import make_part


def test_parts_search_finds_unicode_names_and_words_in_any_order(lab: Lab):
    make_part(lab.ctx, "VLV-6", "µ-Ventil Ø6 mm")
    make_part(lab.ctx, "FIL-1", "Rhenium filament M10")
    assert "VLV-6" in everything_said(lab.command("member", "parts VENTIL ø6"))
    said = everything_said(lab.command("member", "parts filament rhenium"))
    assert "FIL-1" in said
    assert "Did you mean" not in said


def test_a_search_that_finds_nothing_offers_close_parts_to_view(lab: Lab):
    make_part(lab.ctx, "FIL-1", "Rhenium filament M10", quantity=4)
    make_part(lab.ctx, "VAC-1", "Viton O-ring")
    answer = shown_card(lab, "member", "parts rhenum")
    said = everything_said(answer)
    assert "No parts match “rhenum”. Did you mean:" in said
    assert "FIL-1" in said
    assert "VAC-1" not in said
    view = button_for(answer, ActionId.PART_VIEW, "FIL-1")
    card = click_and_see(lab, "member", ActionId.PART_VIEW, answer, value=view)
    assert "*Last movements*" in everything_said(card)
    assert "Rhenium filament M10" in everything_said(card)


def test_a_search_with_nothing_close_says_so_without_suggestions(lab: Lab):
    make_part(lab.ctx, "FIL-1", "Rhenium filament M10")
    said = everything_said(lab.command("member", "parts qzxwv"))
    assert "No parts match “qzxwv”." in said
    assert "Did you mean" not in said
    assert parts.search_parts(lab.ctx, actor=lab.actors["member"], query="qzxwv").items == ()


def _order(said: str, numbers: list[str]) -> list[str]:
    return sorted((n for n in numbers if n in said), key=said.index)


def test_parts_low_lists_parts_at_or_below_minimum_most_urgent_first(lab: Lab):
    make_part(lab.ctx, "OK-1", "Plenty", quantity=9, minimum=2)
    make_part(lab.ctx, "HALF-1", "Half", quantity=2, minimum=4)
    make_part(lab.ctx, "OUT-1", "None left", quantity=0, minimum=3)
    make_part(lab.ctx, "CRIT-1", "Critical", quantity=3, minimum=3, is_critical=True)
    make_part(lab.ctx, "ZERO-1", "No minimum, none left", quantity=0)
    numbers = ["OK-1", "HALF-1", "OUT-1", "CRIT-1", "ZERO-1"]
    said = everything_said(lab.command("member", "parts LOW"))
    assert "Parts at or below minimum" in said
    assert _order(said, numbers) == ["OUT-1", "CRIT-1", "HALF-1"]
    said = everything_said(lab.command("member", "parts out"))
    assert "Parts out of stock" in said
    assert _order(said, numbers) == ["OUT-1", "ZERO-1"]


def test_parts_low_pages_through_the_same_list(lab: Lab):
    for n in range(12):
        make_part(lab.ctx, f"LOW-{n:02d}", "Low", quantity=1, minimum=2)
    first = shown_card(lab, "member", "parts low")
    assert "LOW-09" in everything_said(first)
    assert "LOW-10" not in everything_said(first)
    second = click_and_see(lab, "member", ActionId.PARTS_NEXT, first)
    said = everything_said(second)
    assert "Parts at or below minimum" in said
    assert _order(said, ["LOW-09", "LOW-10", "LOW-11"]) == ["LOW-10", "LOW-11"]


def test_parts_low_with_nothing_low_says_so(lab: Lab):
    make_part(lab.ctx, "OK-1", "Plenty", quantity=9, minimum=2)
    said = everything_said(lab.command("member", "parts low"))
    assert "Every part is above its minimum." in said
    said = everything_said(lab.command("member", "parts out"))
    assert "No part is out of stock." in said
