"""``farlab backup FILE``: an SQLite database backed up while in use and restored with its
data; on PostgreSQL, the pg_dump and pg_restore lines, without the password, that work."""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from domain import parts
from domain.context import DomainContext
from domain.permissions import SYSTEM
from farlab.cli import main
from persistence.db import Database
from persistence.migrate import upgrade
from tests.conftest import REQUIRE_PG
from tests.factories import make_part


def open_context(path: Path) -> DomainContext:
    return DomainContext(
        db=Database.from_url(f"sqlite:///{path}"), secret_key="x" * 40, bcrypt_rounds=4
    )


@pytest.fixture
def live_db(clean_env: Path) -> Path:
    """DATABASE_URL's file (``clean_env`` is the working directory, nothing else is set)."""
    return clean_env / "farlab.db"


def test_a_backup_taken_while_farlab_writes_restores_with_its_committed_data(
    live_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = open_context(live_db)
    upgrade(ctx.db.engine)
    make_part(ctx, "FIL-1", "Rhenium filament", quantity=7)
    # The part is committed but still only in the -wal file (the engine holds its
    # connections open); another writer holds the write lock with a change not committed.
    writer = sqlite3.connect(live_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE parts SET name = 'not committed'")
    target = tmp_path / "backups" / "farlab-backup.db"
    target.parent.mkdir()
    try:
        assert main(["backup", str(target)]) == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        ctx.db.dispose()
    assert capsys.readouterr().out.startswith(f"Backed up {live_db} to {target}")
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left

    restored = tmp_path / "restored" / "farlab.db"  # restore: copy it where DATABASE_URL points
    restored.parent.mkdir()
    shutil.copy(target, restored)
    ctx = open_context(restored)
    try:
        part = parts.find_part(ctx, actor=SYSTEM, ref="FIL-1")
        assert (part.name, part.quantity_in_stock) == ("Rhenium filament", 7)
    finally:
        ctx.db.dispose()


@pytest.mark.usefixtures("live_db")
def test_backup_refuses_to_replace_a_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    target = tmp_path / "keep.db"
    target.write_text("an older backup")
    capsys.readouterr()
    assert main(["backup", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"error: {target} exists: name another file, or pass --force to replace it\n"
    )
    assert target.read_text() == "an older backup"
    assert main(["backup", str(target), "--force"]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_backup_of_a_missing_database_file_says_so_and_creates_nothing(
    live_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "copy.db")]) == 1
    assert capsys.readouterr().err == f"error: there is no database file at {live_db}\n"
    assert not live_db.exists()
    assert not (tmp_path / "copy.db").exists()


def test_backup_on_postgresql_prints_working_pg_dump_and_pg_restore_lines(
    postgres_url: str,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:s3cret-word@", 1)
    assert with_password != postgres_url
    monkeypatch.setenv("DATABASE_URL", with_password)
    assert main(["backup", "lab.dump"]) == 0
    out, err = capsys.readouterr()
    assert "s3cret-word" not in out + err
    assert "PGPASSWORD" in out
    dump, restore = (line.strip() for line in out.splitlines() if "pg_" in line[:16])
    assert dump.startswith("pg_dump ")
    assert restore.startswith("pg_restore ")
    if shutil.which("pg_dump") is None:  # a PostgreSQL server without its client tools
        if REQUIRE_PG:
            pytest.fail("pg_dump is not installed: the printed line cannot be run")
        pytest.skip("pg_dump is not installed: the printed line was not run")
    subprocess.run(shlex.split(dump), cwd=clean_env, check=True, timeout=60)
    listed = subprocess.run(
        ["pg_restore", "--list", "lab.dump"], cwd=clean_env, capture_output=True, text=True
    )
    assert "TABLE public parts" in listed.stdout
