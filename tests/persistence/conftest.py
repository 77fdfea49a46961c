"""Fixtures for schema tests: databases that start empty, on SQLite and on PostgreSQL."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from persistence.db import make_engine
from persistence.migrate import upgrade
from tests.conftest import PG_ADMIN_URL


@contextmanager
def _new_postgres_database(postgres_url: str, suffix: str) -> Iterator[str]:
    """A new, empty database beside this process's test database, dropped afterwards."""
    name = f"{make_url(postgres_url).database}_{suffix}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@contextmanager
def _empty_engine(
    kind: str, request: pytest.FixtureRequest, folder: Path, suffix: str
) -> Iterator[Engine]:
    # Asking for ``postgres_url`` makes a missing server skip (or fail under CI) as elsewhere.
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'{suffix}.db'}")
        yield engine
        engine.dispose()
        return
    with _new_postgres_database(request.getfixturevalue("postgres_url"), suffix) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all: a new SQLite file or PostgreSQL database."""
    with _empty_engine(request.param, request, tmp_path, "empty") as engine:
        yield engine


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def freshly_migrated_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A database made empty and brought to the newest schema; tests only look at it."""
    folder = tmp_path_factory.mktemp("migrated")
    with _empty_engine(request.param, request, folder, "migrated") as engine:
        with warnings.catch_warnings():  # as the autouse fixture does, at module scope
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            upgrade(engine)
        yield engine
