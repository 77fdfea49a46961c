"""Alembic environment: the engine comes from ``persistence.migrate`` (never from a file)."""

from __future__ import annotations

from typing import Any

from alembic import context

from persistence.models import POSTGRES_ONLY_INDEXES, Base

config = context.config


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=include_object,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
