"""Every module of the domain asks persistence for what it needs: none of them imports
SQLAlchemy (the statements live in ``persistence/``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
WITHOUT_SQLALCHEMY = sorted(path.stem for path in DOMAIN.glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
    return found


@pytest.mark.parametrize("module", WITHOUT_SQLALCHEMY)
def test_the_module_imports_nothing_from_sqlalchemy(module):
    imported = _imported_modules(DOMAIN / f"{module}.py")
    assert sorted(m for m in imported if m.split(".")[0] == "sqlalchemy") == []


def test_every_module_of_the_domain_is_checked():
    assert len(WITHOUT_SQLALCHEMY) > 25  # the domain's modules, found on disk
    assert {"parts", "stock", "context", "users", "alerts"} <= set(WITHOUT_SQLALCHEMY)
