"""On PostgreSQL, the questions FarLab asks most can be answered from an index.

With sequential scans disabled, a plan still shows ``Seq Scan`` when no index can serve the
query; each test names the index the schema made for that question.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import Select

from persistence.db import make_engine
from persistence.low_stock import is_low
from persistence.models import Alert, Part
from tests.conftest import TABLES


@pytest.fixture
def planner(postgres_url: str) -> Iterator[Connection]:
    """A connection to a filled, analysed database that will not choose sequential scans."""
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        conn.execute(
            insert(Part),
            [
                {
                    "part_number": f"PRT-{n}",
                    "name": f"Part {n}",
                    "unit_of_measure": "pcs",
                    "quantity_in_stock": n % 40,
                    "minimum_stock_level": 5 if n % 7 == 0 else 0,
                    "is_critical": False,
                    "is_active": True,
                    "created_at": datetime.now(UTC),
                }
                for n in range(2000)
            ],
        )
        start = datetime(2026, 1, 1, tzinfo=UTC)
        conn.execute(
            insert(Alert),
            [
                {
                    "kind": "manual",
                    "part_id": 1 + n % 2000,
                    "message": "Check",
                    "severity": "warning",
                    "status": "open" if n % 10 == 0 else "resolved",
                    "created_at": start + timedelta(minutes=n),
                    "delivery_attempts": 0,
                }
                for n in range(2000)
            ],
        )
        conn.execute(text("ANALYZE parts"))
        conn.execute(text("ANALYZE alerts"))
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        yield conn
    engine.dispose()


def _plan(conn: Connection, stmt: Select) -> str:
    sql = stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return "\n".join(row[0] for row in conn.execute(text(f"EXPLAIN {sql}")))


def test_part_lookup_by_number_in_any_case_uses_the_lower_number_index(planner):
    plan = _plan(planner, select(Part).where(func.lower(Part.part_number) == "prt-42"))
    assert "uq_parts_part_number_lower" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_low_stock_question_uses_the_partial_low_stock_index(planner):
    plan = _plan(planner, select(Part.id).where(is_low()))
    assert "ix_parts_low_stock" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_open_alert_list_uses_the_unresolved_alerts_index(planner):
    stmt = (
        select(Alert)
        .where(Alert.status != "resolved")
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(26)
    )
    plan = _plan(planner, stmt)
    assert "ix_alerts_unresolved" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_search_words_use_the_trigram_index_on_the_search_key(planner):
    for pattern in ("%part 42%", "% pa%"):
        stmt = select(Part.id).where(Part.is_active, Part.search_text.like(pattern)).limit(10)
        plan = _plan(planner, stmt)
        assert "ix_parts_search_trgm" in plan, plan
        assert "Seq Scan" not in plan, plan
