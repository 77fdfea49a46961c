"""Ids are never given out twice, and revision 0005 keeps every row and rule it rebuilds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from persistence.migrate import downgrade, upgrade
from persistence.models import NEVER_REUSE_IDS, Base

NOW = "2026-12-01 10:00:00"
# What the rows of revision 0004 look like; each id is given, as in a database in use.
ROWS_0004: dict[str, list[dict[str, Any]]] = {
    "users": [
        {"id": 1, "username": "ada", "email": "ada@lab.example", "role": "admin"},
        {"id": 2, "username": "sara", "email": "sara@lab.example", "role": "member"},
    ],
    "instruments": [{"id": 1, "name": "MAT253", "model": "IRMS", "status": "operational"}],
    "parts": [{"id": 1, "part_number": "FIL-1", "name": "Filament", "quantity_in_stock": 2}],
    "instrument_parts": [{"id": 1, "instrument_id": 1, "part_id": 1, "quantity_required": 1}],
    "slack_identities": [
        {"id": 1, "team_id": "T1", "slack_user_id": "U1", "user_id": 2, "linked_by_id": 1}
    ],
    "stock_movements": [
        {"id": 1, "part_id": 1, "delta": 2, "quantity_after": 2, "actor_id": 2, "source": "api"}
    ],
    "alerts": [{"id": 1, "kind": "low_stock", "part_id": 1, "message": "Low", "status": "open"}],
    "alert_routes": [{"id": 1, "kind": "instrument", "key": "1", "instrument_id": 1}],
    "login_failures": [{"id": 1, "username": "nobody"}],
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "users": {
        "first_name": "A",
        "last_name": "B",
        "role": "member",
        "is_active": True,
        "created_at": NOW,
    },
    "instruments": {"is_active": True, "created_at": NOW},
    "parts": {
        "unit_of_measure": "pcs",
        "minimum_stock_level": 0,
        "is_critical": False,
        "is_active": True,
        "created_at": NOW,
    },
    "instrument_parts": {"is_critical": False, "is_active": True, "created_at": NOW},
    "slack_identities": {"linked_at": NOW},
    "stock_movements": {"created_at": NOW},
    "alerts": {"severity": "warning", "created_at": NOW, "delivery_attempts": 0},
    "alert_routes": {"channel_id": "C1", "created_at": NOW},
    "login_failures": {"failed_at": NOW},
}


def _insert(engine: Engine, table: str, row: dict[str, Any]) -> None:
    values = {**DEFAULTS[table], **row}
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f":{c}" for c in values)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)  # noqa: S608 - table names from this module
        if engine.dialect.name == "postgresql" and "id" in row:  # as if the sequence gave it
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :id)"), row)


def _ids(engine: Engine, table: str) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text(f"SELECT id FROM {table} ORDER BY id")).scalars())  # noqa: S608 - table names from this module


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    found = {}
    with engine.connect() as conn:
        for table, rows in ROWS_0004.items():
            columns = ", ".join(f'"{c}"' for c in rows[0])
            query = text(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - table names from this module
            found[table] = [tuple(r) for r in conn.execute(query)]
    return found


def _rules(engine: Engine) -> set[str]:
    """Every CHECK, FOREIGN KEY and UNIQUE constraint and every index, as the database has it."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            made = conn.execute(
                text("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL")
            ).all()
            rules = {sql for kind, sql in made if kind == "index"}
            for kind, sql in made:
                if kind == "table":
                    rules |= set(re.findall(r"CONSTRAINT \w+ (?:CHECK|FOREIGN KEY|UNIQUE).*", sql))
            return {re.sub(r",\s*$", "", rule) for rule in rules}
        constraints = conn.execute(
            text(
                "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            )
        ).scalars()
        indexes = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'")
        ).scalars()
        return set(constraints) | set(indexes)


def _autoincrement_tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        made = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")
        ).all()
    return {name for name, sql in made if "AUTOINCREMENT" in sql.upper()}


# PostgreSQL's sequences never hand an id out twice; the upgrade test below checks both.
@pytest.mark.parametrize("freshly_migrated_engine", ["sqlite"], indirect=True)
def test_every_table_with_an_integer_id_never_reuses_ids_on_sqlite(freshly_migrated_engine):
    wanted = {
        t.name for t in Base.metadata.sorted_tables if t.dialect_options["sqlite"]["autoincrement"]
    }
    assert {"users", "parts", "instruments", "alerts"} <= wanted
    assert NEVER_REUSE_IDS == {"sqlite_autoincrement": True}
    assert _autoincrement_tables(freshly_migrated_engine) == wanted


def test_upgrade_from_0004_keeps_every_row_and_rule_and_stops_reusing_ids(empty_engine):
    upgrade(empty_engine, "0004")
    for table, rows in ROWS_0004.items():
        for row in rows:
            _insert(empty_engine, table, row)
    # The newest account is deleted before the upgrade; its id was never recorded as used.
    _insert(empty_engine, "users", {"id": 3, "username": "gone", "email": "gone@lab.example"})
    with empty_engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE id = 3"))
    rows, rules = _rows(empty_engine), _rules(empty_engine)

    upgrade(empty_engine, "0005")  # later revisions drop login_failures

    assert _rows(empty_engine) == rows  # no row lost, no foreign key cascaded or nulled
    assert rules <= _rules(empty_engine)  # every CHECK, foreign key, unique and index kept
    with empty_engine.connect() as conn:
        stamps = conn.execute(text("SELECT security_stamp FROM users")).scalars().all()
    assert len(set(stamps)) == 2
    assert all(len(s) >= 32 for s in stamps)
    # Ids are never given out again: delete the newest row of each kind, add another.
    for table, row in (
        ("users", {"username": "eve", "email": "eve@lab.example", "security_stamp": "s"}),
        ("parts", {"part_number": "NEW-1", "name": "New", "quantity_in_stock": 0}),
        ("instruments", {"name": "Kiel", "model": "IV", "status": "operational"}),
        ("alerts", {"kind": "manual", "part_id": 1, "message": "Hi", "status": "open"}),
    ):
        _insert(empty_engine, table, row)
        newest = _ids(empty_engine, table)[-1]
        with empty_engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": newest})  # noqa: S608 - table names from this module
        _insert(empty_engine, table, {**row, "security_stamp": "t"} if table == "users" else row)
        assert _ids(empty_engine, table)[-1] > newest, table
    # The database's own rules still hold after the rebuild.
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(text("UPDATE parts SET quantity_in_stock = -1"))
    with pytest.raises(IntegrityError):
        _insert(empty_engine, "users", {"username": "ADA", "email": "x@lab.example"})


def test_0005_downgrades_and_upgrades_again_with_its_rows(empty_engine):
    upgrade(empty_engine, "0004")
    for table, rows in ROWS_0004.items():
        for row in rows:
            _insert(empty_engine, table, row)
    rows, rules = _rows(empty_engine), _rules(empty_engine)
    upgrade(empty_engine, "0005")
    downgrade(empty_engine, "0004")
    assert _rows(empty_engine) == rows
    assert _rules(empty_engine) == rules
    if empty_engine.dialect.name == "sqlite":
        assert _autoincrement_tables(empty_engine) == set()
    upgrade(empty_engine, "0005")
    assert _rows(empty_engine) == rows
