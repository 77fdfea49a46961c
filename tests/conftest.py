"""Shared fixtures: every domain and persistence test runs on SQLite and on PostgreSQL.

The PostgreSQL leg uses a database of its own per pytest worker on the server named by
``FARLAB_TEST_POSTGRES_URL`` (default: the local server's ``postgres`` database, used only
to create it). Without a reachable server that leg is skipped with the reason shown, except
under CI (``CI=true``) or ``FARLAB_REQUIRE_POSTGRES=1``, where a missing PostgreSQL fails.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from domain.context import DomainContext
from persistence.db import Database, make_engine
from persistence.migrate import upgrade
from persistence.models import Base
from tests.helpers import Clock

PG_ADMIN_URL = os.environ.get(
    "FARLAB_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = (
    os.environ.get("CI", "").lower() == "true" or os.environ.get("FARLAB_REQUIRE_POSTGRES") == "1"
)
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
TABLES = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgres_only`` runs on the PostgreSQL leg alone: its SQLite leg is
    deselected (shown in the summary), never run as a skip or an empty pass."""
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("postgres_only") and params.get("database") == "sqlite":
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test process, or a skip (a failure under CI).

    Each process gets its own database (named by worker and pid), dropped at the end, so
    several test runs can share one server.
    """
    name = f"farlab_test_{_worker()}_{os.getpid()}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        reason = f"PostgreSQL not reachable at {make_url(PG_ADMIN_URL).render_as_string()}: {exc}"
        if REQUIRE_PG:
            pytest.fail(reason)
        pytest.skip(reason)
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: a copied SQLite file, or a truncated PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "farlab.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database.from_url(f"sqlite:///{path}")
    else:
        db = Database.from_url(request.getfixturevalue("postgres_url"), pool_size=20)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    yield db
    db.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(database: Database, clock: Clock) -> DomainContext:
    return DomainContext(db=database, secret_key=TEST_SECRET, bcrypt_rounds=4, clock=clock)


@pytest.fixture(autouse=True)
def _quiet_sqlite_reflection() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        yield
