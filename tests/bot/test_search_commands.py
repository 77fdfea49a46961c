"""``/farlab parts <query>`` as people type it, ``parts low|out``, and ``alerts`` filters,
through the real app with signed requests."""

from __future__ import annotations

from bot.ids import ActionId
from domain import parts
from tests.bot.conftest import Lab
from tests.bot.steps import button_for, click_and_see, everything_said, shown_card
from tests.factories import make_alert, make_part


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


def _alert_lab(lab: Lab) -> None:
    """A critical low-stock alert (out of stock), a warning one, a critical manual one and
    an informational manual one."""
    make_part(lab.ctx, "OUT-1", "None left", quantity=0, minimum=2)
    make_part(lab.ctx, "LOW-1", "Few left", quantity=1, minimum=2)
    ok = make_part(lab.ctx, "OK-1", "Plenty", quantity=9)
    make_alert(lab.ctx, "Manual and critical", part_id=ok.id, severity="critical")
    make_alert(lab.ctx, "Manual for info", part_id=ok.id, severity="info")


def test_alerts_filter_by_severity_and_kind_together(lab: Lab):
    _alert_lab(lab)
    said = everything_said(lab.command("manager", "alerts"))
    assert all(m in said for m in ("OUT-1", "LOW-1", "Manual and critical", "Manual for info"))
    said = everything_said(lab.command("manager", "alerts critical"))
    assert "Open critical alerts" in said
    assert "OUT-1" in said
    assert "Manual and critical" in said
    assert "LOW-1" not in said
    said = everything_said(lab.command("manager", "alerts Critical low-stock"))
    assert "Open critical alerts: low stock" in said
    assert ("OUT-1" in said, "Manual and critical" in said) == (True, False)
    said = everything_said(lab.command("member", "alerts manual info warning"))
    assert "Open info or warning alerts: manual" in said
    assert "Manual for info" in said
    assert "OUT-1" not in said
    assert "Manual and critical" not in said


def test_an_unknown_alert_filter_gets_a_did_you_mean(lab: Lab):
    said = everything_said(lab.command("member", "alerts critcal"))
    assert "Unknown alert filter `critcal`. Did you mean `critical`?" in said
    said = everything_said(lab.command("member", "alerts lowstock"))
    assert "Did you mean `low-stock`?" in said or "Did you mean `low_stock`?" in said


def test_filtered_alerts_page_with_their_filters(lab: Lab):
    ok = make_part(lab.ctx, "OK-1", "Plenty", quantity=9)
    for n in range(12):
        make_alert(lab.ctx, f"Critical number {n:02d}", part_id=ok.id, severity="critical")
    make_alert(lab.ctx, "Only a warning", part_id=ok.id)
    first = shown_card(lab, "manager", "alerts critical")
    second = click_and_see(lab, "manager", ActionId.ALERTS_NEXT, first)
    said = everything_said(second)
    assert "Open critical alerts" in said
    assert "Only a warning" not in said
    assert "Critical number 01" in said  # newest first: the oldest two are on page two


def test_a_search_with_more_matches_than_it_answers_says_so(lab: Lab, monkeypatch):
    monkeypatch.setattr("persistence.parts.SEARCH_MAX_MATCHES", 3)
    for n in range(5):
        make_part(lab.ctx, f"CL-{n}", "Clamp")
    said = everything_said(lab.command("member", "parts clamp"))
    assert _order(said, [f"CL-{n}" for n in range(5)]) == ["CL-0", "CL-1", "CL-2"]
    assert "More than 3 parts match: these are the first 3 found." in said
    assert "Add a word to narrow the search." in said
    assert "More than" not in everything_said(lab.command("member", "parts cl-4"))
