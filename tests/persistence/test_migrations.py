"""The migrations are the schema: they run both ways and agree with the models."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Index, inspect, text

from persistence.db import make_engine
from persistence.migrate import alembic_config, downgrade, upgrade
from persistence.models import POSTGRES_ONLY_INDEXES, Base


def include_object(
    obj: Any,  # noqa: ARG001 - Alembic calls include_object with all five
    name: str | None,
    type_: str,
    reflected: bool,  # noqa: ARG001
    compare_to: Any,  # noqa: ARG001
) -> bool:
    """The filter ``persistence/migrations/env.py`` gives autogenerate."""
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _index_definitions(engine: Engine) -> dict[str, str]:
    """Index name -> the SQL that made it, as the database reports it."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            )
        else:
            rows = conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            )
        return {name: sql.upper() for name, sql in rows}


def test_the_migrations_have_one_head():
    scripts = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert len(scripts.get_heads()) == 1


def test_empty_to_head_to_base_to_head(empty_engine):
    head = ScriptDirectory.from_config(alembic_config(empty_engine)).get_current_head()
    expected = {table.name for table in Base.metadata.sorted_tables}
    assert _tables(empty_engine) == set()
    upgrade(empty_engine)
    assert _tables(empty_engine) == expected
    assert _revision(empty_engine) == head
    downgrade(empty_engine, "base")
    assert _tables(empty_engine) == set()
    assert _revision(empty_engine) is None
    assert _index_definitions(empty_engine) == {}
    upgrade(empty_engine)
    assert _tables(empty_engine) == expected
    assert _revision(empty_engine) == head
    with empty_engine.begin() as conn:  # the schema made the second time is usable
        conn.execute(
            text(
                "INSERT INTO parts (part_number, name, unit_of_measure, quantity_in_stock, "
                "minimum_stock_level, is_critical, is_active, created_at) "
                "VALUES ('P-1', 'Part', 'pcs', 1, 0, false, true, CURRENT_TIMESTAMP)"
            )
        )


def test_autogenerate_finds_no_difference_between_models_and_migrations(
    freshly_migrated_engine,
):
    with warnings.catch_warnings(), freshly_migrated_engine.connect() as conn:
        # SQLite cannot reflect expression indexes; the next test checks those directly.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_every_model_index_exists_with_its_uniqueness_and_condition(freshly_migrated_engine):
    made = _index_definitions(freshly_migrated_engine)
    dialect = freshly_migrated_engine.dialect.name
    indexes: list[Index] = [i for t in Base.metadata.sorted_tables for i in t.indexes]
    assert len(indexes) > 10
    for index in indexes:
        assert index.name in made, f"{index.name} was not made by the migrations"
        sql = made[index.name]
        assert ("UNIQUE" in sql) == bool(index.unique), index.name
        assert ("WHERE" in sql) == (index.dialect_options[dialect]["where"] is not None), sql
        if any("lower(" in str(e) for e in index.expressions):
            assert "LOWER(" in sql, sql


def test_postgresql_gets_trigram_indexes_for_substring_search(postgres_url):
    engine = make_engine(postgres_url)  # this process's database, migrated from empty
    try:
        made = _index_definitions(engine)
    finally:
        engine.dispose()
    for name in POSTGRES_ONLY_INDEXES - {BRIN}:
        assert "GIN" in made[name], name
        assert "GIN_TRGM_OPS" in made[name], name


BRIN = "ix_stock_movements_created_at_brin"


def test_postgresql_gets_a_brin_index_for_the_ledgers_last_weeks(postgres_url):
    engine = make_engine(postgres_url)
    try:
        made = _index_definitions(engine)
    finally:
        engine.dispose()
    assert "USING BRIN (CREATED_AT)" in made[BRIN]


def test_0015_tells_earlier_movements_apart_by_what_they_carry(empty_engine):
    upgrade(empty_engine, "0014")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parts (id, part_number, name, unit_of_measure, quantity_in_stock, "
                "minimum_stock_level, is_critical, is_active, created_at) "
                "VALUES (1, 'P-1', 'Part', 'pcs', 1, 0, false, true, CURRENT_TIMESTAMP)"
            )
        )
        for delta, source, reason in [
            (5, "api", "Initial stock"),
            (-2, "slack", None),
            (3, "slack", "Delivery"),
            (-1, "slack", "Stock count"),
            (4, "import", "Import"),
            (6, "order", "Order #1 received"),
        ]:
            conn.execute(
                text(
                    "INSERT INTO stock_movements (part_id, delta, quantity_after, reason, "
                    "source, created_at) VALUES (1, :d, 10, :r, :s, CURRENT_TIMESTAMP)"
                ),
                {"d": delta, "s": source, "r": reason},
            )
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM stock_movements ORDER BY id")).scalars()
        assert list(kinds) == ["set", "take", "restock", "count", "import", "receipt"]
    downgrade(empty_engine, "0014")
    assert "kind" not in {c["name"] for c in inspect(empty_engine).get_columns("stock_movements")}
