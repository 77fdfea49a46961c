"""scripts/container-start.sh, the image's entrypoint, run directly with a ``farlab`` on
PATH: it migrates only when asked, gives up on a database that never answers within its
bound, and becomes the served process (so the container's signals reach it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from console.harness import free_port
from persistence.db import make_engine
from persistence.migrate import newest_revision, schema_revision
from tests.conftest import PG_ADMIN_URL, REQUIRE_PG
from tests.farlab.serve_process import serve_env
from tests.test_container_files import healthcheck_command

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "scripts" / "container-start.sh"


@pytest.fixture
def start_env(tmp_path: Path) -> dict[str, str]:
    """The image's environment: a ``farlab`` command on PATH (a shim running this checkout)
    and FARLAB_AUTO_MIGRATE=false, as the Dockerfile sets it."""
    shim = tmp_path / "bin" / "farlab"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bot "$@"\n')
    shim.chmod(0o755)
    env = serve_env(tmp_path, FARLAB_AUTO_MIGRATE="false", PYTHONPATH=str(ROOT))
    env["PATH"] = f"{shim.parent}:{env['PATH']}"
    return env


def run_start(
    env: dict[str, str], *args: str, cwd: Path, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(START), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# How the migration is asked for: the variable on SQLite, the flag on PostgreSQL (each
# start costs Python start-ups; both ways work on both databases).
ASKED = {"sqlite": ("FARLAB_MIGRATE_ON_START=true",), "postgresql": ("--migrate",)}


@pytest.fixture(params=sorted(ASKED))
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database never migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'start.db'}"
        return
    name = f"farlab_start_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        admin.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return schema_revision(engine)
    finally:
        engine.dispose()


def test_the_start_script_migrates_only_when_asked(
    start_env: dict[str, str], empty_database: str, tmp_path: Path
) -> None:
    start_env["DATABASE_URL"] = empty_database
    untouched = run_start(start_env, "true", cwd=tmp_path)
    assert untouched.returncode == 0, untouched.stderr
    assert untouched.stdout.startswith("The database answers")
    assert revision_of(empty_database) is None
    backend = make_url(empty_database).get_backend_name()
    asked = ASKED[backend]
    if asked[0].startswith("--"):
        migrated = run_start(start_env, *asked, "true", cwd=tmp_path)
    else:
        name, _, value = asked[0].partition("=")
        migrated = run_start({**start_env, name: value}, "true", cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert revision_of(empty_database) == newest_revision()


def test_the_start_script_refuses_a_migrate_value_it_cannot_read(
    start_env: dict[str, str], tmp_path: Path
) -> None:
    start_env["FARLAB_MIGRATE_ON_START"] = "perhaps"
    wrong = run_start(start_env, "touch", "served", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr == "error: FARLAB_MIGRATE_ON_START must be true or false (got 'perhaps')\n"
    assert not (tmp_path / "served").exists()


def test_a_database_that_never_answers_stops_the_start_within_its_bound(
    start_env: dict[str, str], tmp_path: Path
) -> None:
    start_env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{free_port()}/farlab"
    start_env["FARLAB_DATABASE_WAIT_SECONDS"] = "3"
    done = run_start(start_env, "--migrate", "touch", "served", cwd=tmp_path)
    assert done.returncode == 1
    last = done.stderr.splitlines()[-1]
    assert last.startswith("error: no answer from the database within 3 s: cannot open the")
    assert "refused" in last
    # One try a second, each saying what it met, until the 3 s are up (not counting the
    # start of Python itself, which a loaded machine can make long).
    waits = [line for line in done.stderr.splitlines() if line.startswith("Waiting for")]
    assert 1 <= len(waits) <= 3
    assert not (tmp_path / "served").exists()


def test_the_served_process_is_the_start_script_itself_and_stops_on_sigterm(
    start_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    start_env["FARLAB_PORT"] = str(port)
    start_env["FARLAB_MIGRATE_ON_START"] = "true"
    start_env["LOG_LEVEL"] = "INFO"
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(
            ["bash", str(START), "farlab", "serve"],
            env=start_env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(proc, f"http://127.0.0.1:{port}/healthz", log)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"bot" in cmdline  # exec: the script's process is now `farlab serve`
        assert b"serve" in cmdline
        check = [sys.executable, *healthcheck_command()[1:]]
        assert subprocess.run(check, env=start_env, timeout=30).returncode == 0
        proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then exits by the signal it caught.
        assert proc.wait(timeout=30) == -signal.SIGTERM
        assert "Finished server process" in log.read_text(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert subprocess.run(check, env=start_env, capture_output=True, timeout=30).returncode != 0


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 150) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"serve did not come up: {log.read_text(errors='replace')}")
        time.sleep(0.1)
