"""Finding parts: by number or name, by filters, and by free-text search."""

from __future__ import annotations

import pytest

from domain import parts
from domain.errors import Ambiguous, InvalidInput, NotFound
from domain.permissions import SYSTEM
from tests.factories import make_instrument, make_part


@pytest.fixture
def lab(ctx):
    mat = make_instrument(ctx)
    created = {
        "re": make_part(
            ctx,
            "FIL-100",
            "Rhenium filament",
            category="Filaments",
            instrument_ids=(mat.id,),
            quantity=1,
            minimum=2,
        ),
        "w": make_part(
            ctx,
            "FIL-200",
            "Tungsten filament",
            category="Filaments",
            quantity=9,
            minimum=2,
        ),
        "oring": make_part(
            ctx,
            "VAC-1",
            "Viton O-ring",
            category="Vacuum",
            instrument_ids=(mat.id,),
            quantity=5,
        ),
        "pct": make_part(ctx, "TOOL_50%", "Torque wrench", category="Tools"),
        "old": make_part(ctx, "OLD-1", "Retired filament", category="Filaments"),
    }
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=created["old"].id)
    return {"instrument": mat.id, **{k: v.id for k, v in created.items()}}


def test_find_part_by_number_in_any_case_even_when_inactive(ctx, lab):
    assert parts.find_part(ctx, actor=SYSTEM, ref=" fil-100 ").id == lab["re"]
    assert parts.find_part(ctx, actor=SYSTEM, ref="old-1").id == lab["old"]


def test_find_part_by_a_name_that_matches_one_active_part(ctx, lab):
    assert parts.find_part(ctx, actor=SYSTEM, ref="viton o-ring").id == lab["oring"]
    assert parts.find_part(ctx, actor=SYSTEM, ref="tungsten").id == lab["w"]


def test_find_part_lists_candidates_when_several_match(ctx, lab):
    with pytest.raises(Ambiguous) as caught:
        parts.find_part(ctx, actor=SYSTEM, ref="filament")
    assert [pid for pid, _label in caught.value.candidates] == [lab["re"], lab["w"]]


def test_find_part_treats_like_wildcards_as_plain_text(ctx, lab):
    assert parts.find_part(ctx, actor=SYSTEM, ref="_50%").id == lab["pct"]
    for ref in ("fil%ment", "fil_100"):
        with pytest.raises(NotFound):
            parts.find_part(ctx, actor=SYSTEM, ref=ref)


@pytest.mark.usefixtures("lab")
def test_find_part_refuses_an_empty_reference(ctx):
    with pytest.raises(InvalidInput) as caught:
        parts.find_part(ctx, actor=SYSTEM, ref="  ")
    assert "part" in caught.value.errors
    with pytest.raises(NotFound):
        parts.find_part(ctx, actor=SYSTEM, ref="no such thing")


def _numbers(page):
    return [p.part_number for p in page.items]


def test_list_parts_filters_by_category_instrument_and_low_stock(ctx, lab):
    assert _numbers(parts.list_parts(ctx, actor=SYSTEM)) == [
        "FIL-100",
        "FIL-200",
        "TOOL_50%",
        "VAC-1",
    ]
    assert _numbers(parts.list_parts(ctx, actor=SYSTEM, category=" filaments")) == [
        "FIL-100",
        "FIL-200",
    ]
    by_instrument = parts.list_parts(ctx, actor=SYSTEM, instrument_id=lab["instrument"])
    assert _numbers(by_instrument) == ["FIL-100", "VAC-1"]
    assert _numbers(parts.list_parts(ctx, actor=SYSTEM, low_only=True)) == ["FIL-100"]
    assert "OLD-1" in _numbers(parts.list_parts(ctx, actor=SYSTEM, active_only=False))


@pytest.mark.usefixtures("lab")
def test_list_parts_pages(ctx):
    first = parts.list_parts(ctx, actor=SYSTEM, limit=3)
    rest = parts.list_parts(ctx, actor=SYSTEM, offset=3, limit=3)
    assert first.has_more
    assert not rest.has_more
    assert len(first.items) + len(rest.items) == 4
    with pytest.raises(InvalidInput) as caught:
        parts.list_parts(ctx, actor=SYSTEM, limit=1001)
    assert "limit" in caught.value.errors


@pytest.mark.usefixtures("lab")
def test_search_matches_number_name_or_category_and_puts_an_exact_number_first(ctx):
    assert _numbers(parts.search_parts(ctx, actor=SYSTEM, query="FILAMENT")) == [
        "FIL-100",
        "FIL-200",
    ]
    assert _numbers(parts.search_parts(ctx, actor=SYSTEM, query="vacuum")) == ["VAC-1"]
    make_part(ctx, "FIL-2", "Filament holder")
    assert _numbers(parts.search_parts(ctx, actor=SYSTEM, query="fil-2")) == ["FIL-2", "FIL-200"]


@pytest.mark.usefixtures("lab")
def test_search_pages_with_the_exact_match_counted_once(ctx):
    make_part(ctx, "FIL-2", "Filament holder")
    first = parts.search_parts(ctx, actor=SYSTEM, query="fil-2", limit=1)
    second = parts.search_parts(ctx, actor=SYSTEM, query="fil-2", offset=1, limit=1)
    assert (_numbers(first), first.has_more) == (["FIL-2"], True)
    assert (_numbers(second), second.has_more) == (["FIL-200"], False)


@pytest.mark.usefixtures("lab")
def test_search_treats_wildcards_as_text_and_skips_inactive_parts(ctx):
    assert _numbers(parts.search_parts(ctx, actor=SYSTEM, query="_50%")) == ["TOOL_50%"]
    assert _numbers(parts.search_parts(ctx, actor=SYSTEM, query="retired")) == []


@pytest.mark.parametrize("query", ["", " x ", "q" * 201])
def test_search_refuses_a_query_too_short_or_too_long(ctx, query):
    with pytest.raises(InvalidInput) as caught:
        parts.search_parts(ctx, actor=SYSTEM, query=query)
    assert "query" in caught.value.errors
