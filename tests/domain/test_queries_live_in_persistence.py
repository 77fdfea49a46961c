"""The account, identity, token, throttle and alert modules of the domain ask persistence
for what they need: none of them imports SQLAlchemy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
WITHOUT_SQLALCHEMY = (
    "users",
    "accounts",
    "identities",
    "link_rules",
    "tokens",
    "sign_in_throttle",
    "alerts",
    "alert_attempts",
    "alert_notices",
    "alert_routes",
    "health",
    "home",
)


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
