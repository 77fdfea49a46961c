"""The layering holds: each package imports only the packages below it.

    farlab, console            the composition root and the tools over it: anything
    bot, api, scheduler        entrypoints: themselves, domain and observability (bot and
                               api: charts too)
    charts                     itself, and the results and words it draws
                               (domain.insight_results, domain.vocabulary)
    domain                     itself and persistence
    persistence                itself (and domain.vocabulary, the words both share)
    observability              itself alone (logs' request scope, metrics)
    slack_stand_in             itself alone

``bot/__main__.py`` and ``scheduler/__main__.py`` are launchers: they may import farlab too.
Every ``import`` counts, those inside functions and ``TYPE_CHECKING`` blocks included; the
standard library and third-party packages are always allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Everything first-party; an import of a top-level name not listed here is stdlib or
# third-party.
FIRST_PARTY = frozenset(
    {
        "farlab",
        "bot",
        "api",
        "scheduler",
        "charts",
        "domain",
        "persistence",
        "slack_stand_in",
        "observability",
        "console",
        "tests",
        "bench",
    }
)
ANYTHING = FIRST_PARTY
# Package -> the first-party modules it may import (a name allows it and its submodules).
ALLOWED: dict[str, frozenset[str]] = {
    "farlab": ANYTHING,
    "console": ANYTHING,
    "bot": frozenset({"bot", "charts", "domain", "observability"}),
    "api": frozenset({"api", "charts", "domain", "observability"}),
    "scheduler": frozenset({"scheduler", "domain", "observability"}),
    "charts": frozenset({"charts", "domain.insight_results", "domain.vocabulary"}),
    "domain": frozenset({"domain", "persistence"}),
    "persistence": frozenset({"persistence", "domain.vocabulary"}),
    "slack_stand_in": frozenset({"slack_stand_in"}),
    "observability": frozenset({"observability"}),
}
PACKAGES = tuple(ALLOWED)
LAUNCHERS: dict[str, frozenset[str]] = {
    "bot.__main__": frozenset({"farlab"}),
    "scheduler.__main__": frozenset({"farlab"}),
}

# Imports that break the rules today and are fixed on other branches: (module, import) ->
# why. Remove an entry once its fix is merged; the list should end up empty.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _allows(allowed: frozenset[str], name: str) -> bool:
    return any(name == ok or name.startswith(ok + ".") for ok in allowed)


def _imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of everything ``module`` imports, relative imports resolved; a
    ``from X import y`` gives ``X.y`` (y may be a submodule or a name in X)."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.extend(
                (node.lineno, base if alias.name == "*" else f"{base}.{alias.name}")
                for alias in node.names
            )
    return found


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """Each import of ``module`` (dotted name, its code ``source``) that breaks the rules,
    as ``module:line imports name``."""
    allowed = ALLOWED[module.split(".")[0]] | LAUNCHERS.get(module, frozenset())
    broken = []
    for line, name in _imported(ast.parse(source), module, is_package):
        if name.split(".")[0] in FIRST_PARTY and not _allows(allowed, name):
            broken.append(f"{module}:{line} imports {name}")
    return broken


def _production_modules() -> list[tuple[str, Path]]:
    modules = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules.append((".".join(parts), path))
    return modules


def test_every_package_imports_only_what_its_layer_allows():
    modules = _production_modules()
    assert len(modules) > 100, "the scan found too few modules: it is broken"
    broken = []
    for module, path in modules:
        is_package = path.name == "__init__.py"
        name = module.removesuffix(".__init__")
        for found in violations(name, path.read_text(), is_package=is_package):
            imported = found.rsplit(" imports ", 1)[1]
            if (name, imported) not in KNOWN_EXCEPTIONS:
                broken.append(found)
    assert not broken, "imports that break the layering:\n" + "\n".join(broken)


def test_the_checker_catches_upward_and_sideways_imports():
    source = """
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import sqlalchemy
from domain import stock
from persistence.models import Part
from .blocks import pack

if TYPE_CHECKING:
    from api.schemas import PartOut


def later():
    import farlab.settings
    from scheduler import jobs
    from .. import vocabulary
"""
    assert violations("bot.listeners.synthetic", source) == [
        "bot.listeners.synthetic:9 imports persistence.models.Part",
        "bot.listeners.synthetic:13 imports api.schemas.PartOut",
        "bot.listeners.synthetic:17 imports farlab.settings",
        "bot.listeners.synthetic:18 imports scheduler.jobs",
    ]
    assert violations("persistence.synthetic", "from domain.vocabulary import Status") == []
    assert violations("persistence.synthetic", "from domain import vocabulary") == []
    assert violations("persistence.synthetic", "from domain import errors") == [
        "persistence.synthetic:1 imports domain.errors"
    ]
    assert violations("slack_stand_in.synthetic", "import bot.ids") == [
        "slack_stand_in.synthetic:1 imports bot.ids"
    ]
    assert violations("scheduler.__main__", "from farlab.scheduler_cli import main") == []
    assert violations("scheduler.jobs", "from farlab.settings import Settings") == [
        "scheduler.jobs:1 imports farlab.settings.Settings"
    ]
    assert violations("console.synthetic", "import farlab.web\nimport slack_stand_in") == []
    assert violations("charts.synthetic", "from domain.insight_results import PartUsage") == []
    assert violations("charts.synthetic", "from domain.stock import take") == [
        "charts.synthetic:1 imports domain.stock.take"
    ]
    assert violations("scheduler.synthetic", "import charts") == [
        "scheduler.synthetic:1 imports charts"
    ]


def test_the_domain_and_persistence_know_nothing_of_prometheus():
    """They report through ``domain.observation``; the metrics live above them."""
    found = [
        f"{module} imports {name}"
        for module, path in _production_modules()
        if module.split(".")[0] in ("domain", "persistence")
        for _, name in _imported(ast.parse(path.read_text()), module, path.name == "__init__.py")
        if name.split(".")[0] in ("prometheus_client", "observability")
    ]
    assert found == []
