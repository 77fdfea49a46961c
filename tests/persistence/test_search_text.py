"""Every way a part is written keeps its folded search key; migration 0010 fills old rows."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, text, update

from persistence.migrate import upgrade
from persistence.models import Part
from persistence.search_text import fold, query_words, search_key, word_matches


def test_fold_is_unicode_case_folding_with_compatibility_forms():
    assert fold("µ-Ventil Ø6 mm") == "μ-ventil ø6 mm"  # the micro sign becomes a Greek mu
    assert fold("STRASSE") == fold("Straße") == "strasse"
    assert fold("\uff26\uff29\uff2c\uff0d\uff11") == "fil-1"  # full-width forms
    assert fold("Ⅻ") == "xii"


def test_the_key_is_the_folded_words_each_after_one_space():
    assert search_key("VLV-6", "µ-Ventil  Ø6 mm", None, "Festo") == (
        " vlv-6 μ-ventil ø6 mm festo 6 ventil"  # then the pieces after punctuation
    )
    assert search_key("P-1", "Part", "", None) == " p-1 part 1"
    assert search_key("X", "1/16 in (pack)", None, None) == " x 1/16 in (pack) 16 pack"


def test_short_query_words_match_word_starts_and_longer_ones_anywhere():
    found = word_matches(query_words("VENTIL ø6 ventil 100%_"))
    assert [(m.word, m.pattern, m.word_start) for m in found] == [
        ("ventil", "%ventil%", False),
        ("ø6", "% ø6%", True),
        ("100%_", r"%100\%\_%", False),
    ]


def _keys(session) -> dict[str, str]:
    return dict(session.execute(select(Part.part_number, Part.search_text)).all())


def test_orm_inserts_and_updates_keep_the_key(database):
    with database.session() as session:
        part = Part(part_number="VLV-6", name="µ-Ventil Ø6 mm", category="Valves")
        session.add(part)
        session.flush()
        assert _keys(session) == {"VLV-6": " vlv-6 μ-ventil ø6 mm valves 6 ventil"}
        part.manufacturer = "FESTO"
        session.flush()
        assert _keys(session) == {"VLV-6": " vlv-6 μ-ventil ø6 mm valves festo 6 ventil"}
        part.quantity_in_stock = 4  # no field of the key: the key stays
        part.category = None
        session.flush()
        assert _keys(session) == {"VLV-6": " vlv-6 μ-ventil ø6 mm festo 6 ventil"}


def test_core_bulk_inserts_get_the_key_from_the_column_default(database):
    now = datetime.now(UTC)
    rows = [
        {"part_number": f"B-{n}", "name": f"Bulk Straße {n}", "created_at": now} for n in range(3)
    ]
    with database.session() as session:
        session.execute(insert(Part), rows)
        session.execute(insert(Part).values(part_number="ONE", name="Ⅻ One", created_at=now))
        assert _keys(session) == {
            "B-0": " b-0 bulk strasse 0 0",
            "B-1": " b-1 bulk strasse 1 1",
            "B-2": " b-2 bulk strasse 2 2",
            "ONE": " one xii one",
        }


def test_a_core_update_of_the_fields_sets_the_key_as_it_is_told(database):
    """Core updates bypass the ORM's events: the module says they must set the key."""
    with database.session() as session:
        session.add(Part(part_number="P-1", name="Old"))
        session.flush()
        session.execute(
            update(Part).values(name="New Ø", search_text=search_key("P-1", "New Ø", None, None))
        )
        assert _keys(session) == {"P-1": " p-1 new ø 1"}


def test_migration_0010_fills_the_key_of_every_existing_part(empty_engine):
    rows = 5001  # more than one batch of 5,000
    upgrade(empty_engine, "0009")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parts (part_number, name, category, manufacturer, "
                "unit_of_measure, quantity_in_stock, minimum_stock_level, is_critical, "
                "is_active, created_at) VALUES (:number, :name, 'Vännen', NULL, 'pcs', 0, "
                "0, false, true, CURRENT_TIMESTAMP)"
            ),
            [{"number": f"M-{n}", "name": f"µ-Teil {n}"} for n in range(rows)],
        )
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT part_number, search_text FROM parts")).all())
    assert keys == {f"M-{n}": f" m-{n} μ-teil {n} vännen {n} teil" for n in range(rows)}
