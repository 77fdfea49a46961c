"""Run the Alembic migrations programmatically (``farlab migrate`` and the tests).

The scripts are found beside this module, so migrations work from any directory and from
an installed package.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from persistence.sqlite_file import DatabaseUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated (a quiet
    read: Alembic's INFO lines about its migration context are for migrations only)."""
    context_log = logging.getLogger("alembic.runtime.migration")
    level = context_log.level
    context_log.setLevel(max(level, logging.WARNING))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        context_log.setLevel(level)


def newest_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def require_newest_schema(engine: Engine) -> None:
    """Raise ``DatabaseUnavailable`` unless the database is at the newest revision."""
    current, newest = schema_revision(engine), newest_revision()
    if current != newest:
        found = f"at {current}" if current else "empty (never migrated)"
        raise DatabaseUnavailable(
            f"the database schema is {found}; this FarLab needs {newest}: "
            "run the migrate command first (`farlab migrate`)"
        )
