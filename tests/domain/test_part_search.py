"""Search finds what people type: any case (Unicode), words in any order, short words as
word starts, the exact number first, then catalogue order, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from domain import parts
from domain.permissions import SYSTEM
from persistence import parts as part_rows
from tests.factories import make_part


def _numbers(ctx, query, **paging):
    return [
        p.part_number for p in parts.search_parts(ctx, actor=SYSTEM, query=query, **paging).items
    ]


@pytest.fixture
def valve(ctx):
    return make_part(ctx, "VLV-6", "µ-Ventil Ø6 mm", category="Ventile", manufacturer="Festo")


@pytest.mark.usefixtures("valve")
@pytest.mark.parametrize("query", ["ventil Ø6", "VENTIL ø6", "µ-ventil", "μ-VENTIL", "festo ø6"])
def test_unicode_case_insensitive_search_finds_the_valve(ctx, query):
    make_part(ctx, "VLV-60", "Ventil", category="Ventile")  # ø6 is not in it
    assert _numbers(ctx, query) == ["VLV-6"]


WIDE_NUMBER = "\uff37\uff29\uff24\uff25-1"  # "WIDE-1" in full-width letters


def test_case_folding_goes_beyond_lower_case(ctx):
    make_part(ctx, "STR-1", "Straßenkappe")
    make_part(ctx, WIDE_NUMBER, "Full-width number")
    assert _numbers(ctx, "STRASSEN") == ["STR-1"]
    assert _numbers(ctx, "wide-1") == [WIDE_NUMBER]


def test_every_word_must_match_in_any_order(ctx):
    make_part(ctx, "FIL-1", "Rhenium filament M10", category="Filaments")
    make_part(ctx, "FIL-2", "Tungsten filament", category="Filaments")
    make_part(ctx, "RE-1", "Rhenium foil")
    assert _numbers(ctx, "filament rhenium") == ["FIL-1"]
    assert _numbers(ctx, "m10  FILAMENTS") == ["FIL-1"]
    assert _numbers(ctx, "rhenium") == ["FIL-1", "RE-1"]
    assert _numbers(ctx, "rhenium tungsten") == []


def test_short_words_match_the_start_of_a_word(ctx):
    make_part(ctx, "FIL-1", "Rhenium filament")
    make_part(ctx, "PRO-1", "Profile rail")
    make_part(ctx, "OR-6", "O-ring 6 mm")
    make_part(ctx, "OR-16", "O-ring 16 mm")
    assert _numbers(ctx, "fi") == ["FIL-1"]  # not "profile"
    assert _numbers(ctx, "r f") == ["FIL-1"]  # a one-letter word in a longer query
    assert _numbers(ctx, "il") == []
    assert _numbers(ctx, "6 mm") == ["OR-6"]  # not "16 mm"
    assert _numbers(ctx, "mm ring 1") == ["OR-16"]
    assert _numbers(ctx, "ofi") == ["PRO-1"]  # three characters: anywhere
    assert _numbers(ctx, "ri") == ["OR-6", "OR-16"]  # "ring" follows punctuation in "o-ring"
    assert _numbers(ctx, "or 16") == ["OR-16"]  # as "16" does in "or-16"


def test_the_exact_number_comes_first_then_catalogue_order(ctx):
    make_part(ctx, "FIL-20", "Filament twenty")
    make_part(ctx, "ABC-2", "Holder for fil-2")
    make_part(ctx, "FIL-2", "Filament two")
    make_part(ctx, "FIL-200", "Filament")
    assert _numbers(ctx, "fil-2") == ["FIL-2", "FIL-20", "ABC-2", "FIL-200"]
    assert _numbers(ctx, "FIL-2", offset=1, limit=2) == ["FIL-20", "ABC-2"]
    assert _numbers(ctx, "filament") == ["FIL-20", "FIL-2", "FIL-200"]


def test_a_renamed_part_is_found_by_its_new_name_only(ctx):
    part = make_part(ctx, "P-1", "Old name")
    parts.update_part(ctx, actor=SYSTEM, part_id=part.id, name="Nouvel Œil", manufacturer="Acme")
    assert _numbers(ctx, "old") == []
    assert _numbers(ctx, "œil acme") == ["P-1"]
    assert _numbers(ctx, "OEIL") == []  # folding is not transliteration


@pytest.mark.parametrize("head_pages", [0, 1, 200])
def test_matches_come_in_catalogue_order_however_the_table_holds_them(ctx, monkeypatch, head_pages):
    """On PostgreSQL, the head of the table and the index each find some of the matches."""
    for n in range(40):
        name = "Clamp ring" if n % 3 == 0 else "Bolt"
        make_part(ctx, f"P-{n:02d}", name, category="Hardware" if n % 2 else None)
    retired = parts.find_part(ctx, actor=SYSTEM, ref="P-03")
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=retired.id)
    for n in (0, 6, 9):  # new row versions: the table no longer holds them in id order
        found = parts.find_part(ctx, actor=SYSTEM, ref=f"P-{n:02d}")
        parts.update_part(ctx, actor=SYSTEM, part_id=found.id, manufacturer="Acme")
    expected = [f"P-{n:02d}" for n in range(40) if n % 3 == 0 and n != 3]
    monkeypatch.setattr(part_rows, "SEARCH_HEAD_PAGES", head_pages)
    pages = [_numbers(ctx, "clamp", offset=o, limit=4) for o in range(0, 16, 4)]
    assert [n for page in pages for n in page] == expected
    assert _numbers(ctx, "p-12", limit=3) == ["P-12"]
    assert _numbers(ctx, "hardware clamp") == [n for n in expected if int(n[2:]) % 2]


def test_a_search_answers_at_most_so_many_matches_and_says_so(ctx, monkeypatch):
    for n in range(12):
        make_part(ctx, f"P-{n:02d}", "Clamp")
    monkeypatch.setattr(part_rows, "SEARCH_MAX_MATCHES", 5)
    first = parts.search_parts(ctx, actor=SYSTEM, query="clamp", limit=3)
    rest = parts.search_parts(ctx, actor=SYSTEM, query="clamp", offset=3, limit=3)
    assert ([p.part_number for p in first.items], first.has_more) == (
        ["P-00", "P-01", "P-02"],
        True,
    )
    assert ([p.part_number for p in rest.items], rest.has_more) == (["P-03", "P-04"], False)
    assert first.more_than == rest.more_than == 5
    exact = parts.search_parts(ctx, actor=SYSTEM, query="P-09")
    assert [p.part_number for p in exact.items] == ["P-09"]
    assert exact.more_than is None
    assert parts.search_parts(ctx, actor=SYSTEM, query="p-0").more_than == 5


def _suggested(ctx, query):
    return [p.part_number for p in parts.suggest_parts(ctx, actor=SYSTEM, query=query)]


def test_a_misspelling_gets_close_parts_as_suggestions(ctx):
    make_part(ctx, "FIL-1", "Rhenium filament M10", category="Filaments")
    make_part(ctx, "FIL-2", "Tungsten filament", category="Filaments")
    make_part(ctx, "VAC-1", "Viton O-ring")
    assert _numbers(ctx, "rhenum") == []
    assert _suggested(ctx, "rhenum") == ["FIL-1"]
    assert _suggested(ctx, "RHENUM filamnet")[0] == "FIL-1"
    assert _suggested(ctx, "tungstn")[0] == "FIL-2"
    assert _suggested(ctx, "vitn")[0] == "VAC-1"
    assert _suggested(ctx, "qzxwv") == []
    assert _suggested(ctx, "rh") == []  # too short to resemble anything


def test_suggestions_leave_out_inactive_parts_and_stop_at_the_limit(ctx):
    for n in range(8):
        make_part(ctx, f"FIL-{n}", f"Rhenium filament {n}")
    old = make_part(ctx, "OLD-1", "Rhenium filament old")
    parts.deactivate_part(ctx, actor=SYSTEM, part_id=old.id)
    found = _suggested(ctx, "rhenum")
    assert len(found) == parts.SUGGESTIONS
    assert "OLD-1" not in found


@pytest.mark.postgres_only
def test_a_search_leaves_the_planner_settings_of_its_transaction_as_they_were(ctx):
    make_part(ctx, "P-1", "Clamp")
    with ctx.transaction() as session:
        before = session.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
        assert _numbers(ctx, "clamp") == ["P-1"]
        for name in part_rows.PLAN_SETTINGS:
            shown = session.execute(text(f"SHOW {name}")).scalar()
            assert shown == (before if name == "max_parallel_workers_per_gather" else "on")
