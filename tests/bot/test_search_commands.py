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
