"""The stock ledger has one writer: ``persistence.stock.record_movement``.

Every production package is read as source; a ``StockMovement(...)`` row or an
``insert(StockMovement)`` statement anywhere else fails the test, naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import persistence.stock

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCTION = {"tests", "bench", "scripts"}
WRITER = Path(persistence.stock.__file__).resolve()
WRITES = re.compile(r"(?<!class )\bStockMovement\(|\binsert\(\s*StockMovement\b")


def production_modules() -> list[Path]:
    packages = [
        path
        for path in sorted(ROOT.iterdir())
        if (path / "__init__.py").is_file()
        and path.name not in NOT_PRODUCTION
        and not path.name.startswith(".")
    ]
    return [module for package in packages for module in sorted(package.rglob("*.py"))]


def ledger_writes(source: str) -> list[int]:
    """The lines of ``source`` that create a ledger row."""
    return [number for number, line in enumerate(source.splitlines(), 1) if WRITES.search(line)]


def test_only_record_movement_writes_the_ledger():
    modules = production_modules()
    assert {m.relative_to(ROOT).parts[0] for m in modules} >= {"domain", "persistence", "api"}
    found = {
        f"{module.relative_to(ROOT)}:{line}"
        for module in modules
        if module.resolve() != WRITER
        for line in ledger_writes(module.read_text(encoding="utf-8"))
    }
    assert found == set(), "stock movements must be written by persistence.stock.record_movement"
    assert ledger_writes(WRITER.read_text(encoding="utf-8")), "the writer itself was not found"


@pytest.mark.parametrize(
    ("source", "writes"),
    [
        ("session.add(StockMovement(part_id=1, delta=2))", [1]),
        ("x = 1\nsession.execute(insert(StockMovement).values(delta=1))", [2]),
        ("session.execute(insert( StockMovement ))", [1]),
        ("class StockMovement(Base):\n    pass", []),
        ("rows = select(StockMovement).where(StockMovement.part_id == 1)", []),
    ],
)
def test_the_scan_finds_ledger_writes_and_nothing_else(source, writes):
    assert ledger_writes(source) == writes
