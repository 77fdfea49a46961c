"""``python -m bot``: migrate, create-admin and seed-demo, run as a person would run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from console.demo import DEMO_PASSWORD
from domain import alerts, identities, instruments, parts, users
from domain.context import DomainContext
from domain.errors import InvalidCredentials
from domain.permissions import SYSTEM
from persistence.db import Database
from persistence.migrate import alembic_config
from persistence.models import Base, StockMovement

ROOT = Path(__file__).resolve().parents[2]
GOOD_PASSWORD = "Correct-Horse-9"


def run_bot(
    db_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a clean environment and the database file's folder."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(db_path.parent),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "BCRYPT_ROUNDS": "4",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=db_path.parent,
        timeout=120,
        check=False,
    )


def open_context(db_path: Path) -> DomainContext:
    return DomainContext(
        db=Database.from_url(f"sqlite:///{db_path}"), secret_key="x" * 40, bcrypt_rounds=4
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "farlab.db"


def _create_admin(db_path: Path, *extra: str, password: str = GOOD_PASSWORD):
    return run_bot(
        db_path,
        "create-admin",
        "--username",
        "ada",
        "--email",
        "ada@lab.example",
        "--password-stdin",
        *extra,
        stdin=password + "\n",
    )


def test_migrate_brings_an_empty_file_to_the_newest_schema_and_can_run_again(db_path):
    first = run_bot(db_path, "migrate")
    assert first.returncode == 0, first.stderr
    assert "newest schema" in first.stdout
    database = Database.from_url(f"sqlite:///{db_path}")
    try:
        tables = set(inspect(database.engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        with database.engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
        assert (
            revision
            == ScriptDirectory.from_config(alembic_config(database.engine)).get_current_head()
        )
    finally:
        database.dispose()
    assert run_bot(db_path, "migrate").returncode == 0


def test_create_admin_makes_an_admin_who_can_sign_in(db_path):
    result = _create_admin(db_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Created admin ada."
    ctx = open_context(db_path)
    user = users.authenticate(ctx, username="ada", password=GOOD_PASSWORD)
    assert (user.role, user.email, user.first_name) == ("admin", "ada@lab.example", "Lab")
    ctx.db.dispose()


def test_create_admin_refuses_a_weak_password_and_creates_nobody(db_path):
    result = _create_admin(db_path, password="Password123")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "error: Password is too common."
    ctx = open_context(db_path)
    assert users.count_users(ctx) == 0
    ctx.db.dispose()


def test_create_admin_run_twice_reports_the_existing_user_and_adds_none(db_path):
    assert _create_admin(db_path).returncode == 0
    again = _create_admin(db_path, password="Other-Password-8")
    assert again.returncode == 0, again.stderr
    assert "already exists (admin); nothing created" in again.stdout
    ctx = open_context(db_path)
    assert users.count_users(ctx) == 1
    with pytest.raises(InvalidCredentials):  # the first password still holds
        users.authenticate(ctx, username="ada", password="Other-Password-8")
    ctx.db.dispose()


def test_create_admin_links_the_given_slack_user(db_path):
    result = _create_admin(db_path, "--slack-team-id", "T01", "--slack-user-id", "U01")
    assert result.returncode == 0, result.stderr
    assert "Linked Slack user U01 in team T01" in result.stdout
    ctx = open_context(db_path)
    actor = identities.resolve_actor(ctx, team_id="T01", slack_user_id="U01")
    assert actor is not None
    assert (actor.username, actor.role.value) == ("ada", "admin")
    ctx.db.dispose()
    again = _create_admin(db_path, "--slack-team-id", "T01", "--slack-user-id", "U01")
    assert again.returncode == 0
    assert "already linked to ada" in again.stdout


def test_create_admin_needs_both_slack_ids_or_neither(db_path):
    result = _create_admin(db_path, "--slack-team-id", "T01")
    assert result.returncode == 1
    assert "--slack-user-id" in result.stderr
    ctx = open_context(db_path)
    assert users.count_users(ctx) == 0
    ctx.db.dispose()


def _check_instruments_and_parts(ctx: DomainContext) -> int:
    for name in ("MAT253", "Kiel IV"):
        assert instruments.find_instrument(ctx, actor=SYSTEM, ref=name).name == name
    assert len(instruments.list_instruments(ctx, actor=SYSTEM).items) == 12
    every_part = parts.list_parts(ctx, actor=SYSTEM, limit=1000).items
    assert 200 <= len(every_part) < 1000
    mat = instruments.find_instrument(ctx, actor=SYSTEM, ref="MAT253")
    assert instruments.instrument_needs(ctx, actor=SYSTEM, instrument_id=mat.id).parts
    return len(every_part)


def _check_people(ctx: DomainContext) -> None:
    everyone = users.list_users(ctx, actor=SYSTEM, limit=200).items
    assert {u.role for u in everyone} == {"admin", "manager", "member"}
    assert all(u.is_active and u.has_password for u in everyone)
    member = next(u for u in everyone if u.role == "member")
    assert users.authenticate(ctx, username=member.username, password=DEMO_PASSWORD)


def _check_low_parts_and_history(ctx: DomainContext) -> None:
    low = parts.list_parts(ctx, actor=SYSTEM, low_only=True, limit=1000).items
    assert len(low) >= 5
    open_alerts = alerts.list_alerts(
        ctx, actor=SYSTEM, kind="low_stock", active_only=True, limit=1000
    ).items
    assert {a.part_id for a in open_alerts} == {p.id for p in low}
    with ctx.db.session() as session:
        takes = session.scalar(
            select(func.count()).select_from(StockMovement).where(StockMovement.delta < 0)
        )
    assert takes
    assert takes >= 10


def test_seed_demo_fills_a_lab_to_explore_and_a_second_run_adds_nothing(db_path):
    result = run_bot(db_path, "seed-demo")
    assert result.returncode == 0, result.stderr
    assert "Seeded the demo lab" in result.stdout
    ctx = open_context(db_path)
    try:
        part_count = _check_instruments_and_parts(ctx)
        _check_people(ctx)
        _check_low_parts_and_history(ctx)
        again = run_bot(db_path, "seed-demo")
        assert again.returncode == 0
        assert "already in this database" in again.stdout
        assert len(parts.list_parts(ctx, actor=SYSTEM, limit=1000).items) == part_count
    finally:
        ctx.db.dispose()
