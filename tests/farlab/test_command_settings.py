"""Settings behind the command line: FARLAB_AUTO_MIGRATE and serve's FARLAB_* defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from farlab.cli import main
from persistence.db import make_engine
from persistence.migrate import newest_revision, schema_revision


def _revision(path: Path) -> str | None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        return schema_revision(engine)
    finally:
        engine.dispose()


def test_without_auto_migrate_a_command_refuses_a_database_behind_and_leaves_it(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FARLAB_AUTO_MIGRATE", "false")
    assert main(["export", "parts", "-o", "-"]) == 1
    assert capsys.readouterr().err == (
        f"error: the database schema is empty (never migrated); this FarLab needs "
        f"{newest_revision()}: run the migrate command first (`farlab migrate`)\n"
    )
    assert _revision(clean_env / "farlab.db") is None
    assert main(["migrate"]) == 0
    assert main(["export", "parts", "-o", "-"]) == 0


def test_by_default_commands_upgrade_the_schema_themselves(clean_env: Path) -> None:
    assert main(["export", "parts", "-o", "-"]) == 0
    assert _revision(clean_env / "farlab.db") == newest_revision()


@pytest.mark.usefixtures("clean_env")
def test_auto_migrate_must_be_true_or_false(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FARLAB_AUTO_MIGRATE", "sometimes")
    assert main(["migrate"]) == 2
    assert capsys.readouterr().err == (
        "error: FARLAB_AUTO_MIGRATE must be true or false (got 'sometimes')\n"
    )


@pytest.mark.usefixtures("clean_env")
def test_serve_takes_its_workers_from_farlab_workers_when_not_given(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FARLAB_WORKERS", "3")
    assert main(["serve"]) == 2  # SQLite refuses several workers, before anything starts
    assert capsys.readouterr().err.startswith("error: --workers 3: SQLite is one writer")
