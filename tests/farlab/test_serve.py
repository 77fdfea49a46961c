"""``python -m bot serve``: one process serving Slack, the REST API and health."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from console.harness import free_port
from slack_stand_in import SignedSlack, SlackStandIn
from tests.farlab.serve_process import ROOT, serve_env, serving

SIGNING = "serve-test-signing-secret"
Served = tuple[str, SlackStandIn, "subprocess.Popen[bytes]"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, SlackStandIn, subprocess.Popen[bytes]]]:
    stand_in = SlackStandIn().start()
    env = serve_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-serve-test",
        SLACK_SIGNING_SECRET=SIGNING,
        SLACK_API_URL=stand_in.base_url,
    )
    try:
        with serving(env, tmp_path / "serve.log") as (url, proc):
            yield url, stand_in, proc
    finally:
        stand_in.stop()


def test_serve_answers_slack_api_and_health_on_one_port(served: Served, tmp_path: Path) -> None:
    url, stand_in, _ = served
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok", "database": "ok"}
    assert set(httpx.get(f"{url}/health").json()) == {"status", "database", "timestamp"}
    admin = _sign_in(url, tmp_path)
    health = httpx.get(f"{url}/healthz", headers=admin).json()
    assert health["database"] == "ok"
    assert health["scheduler"]["running"] is True
    contract_health = httpx.get(f"{url}/health", headers=admin).json()
    assert contract_health["status"] == "healthy"
    assert contract_health["user_count"] == 1
    assert contract_health["scheduler"]["running"] is True
    assert httpx.get(f"{url}/api/instruments/").status_code == 200
    assert httpx.get(f"{url}/openapi.json").json()["paths"]
    with SignedSlack(f"{url}/slack/events", SIGNING, stand_in) as slack:
        answer = slack.command("UNOBODY", "help")
        assert answer.status_code == 200
        assert "restock" in answer.text
        forged = slack.command("UNOBODY", "help", bad_signature=True)
        assert forged.status_code == 401


def test_serve_refuses_to_start_without_a_secret_key(tmp_path: Path):
    env = serve_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: SECRET_KEY")


def _missing_databases(postgres_url: str) -> dict[str, tuple[str, str]]:
    """DATABASE_URL -> what the one line must say, for databases that cannot be opened."""
    server = make_url(postgres_url)
    missing = server.set(database="farlab_no_such_database").render_as_string(False)
    refused = server.set(port=free_port(), password="hunter2").render_as_string(False)
    return {
        "missing-postgresql-database": (missing, 'database "farlab_no_such_database" does not'),
        "unreachable-server": (refused, "Connection refused"),
        "sqlite-in-a-missing-folder": ("sqlite:////nonexistent-folder/farlab.db", "does not exist"),
    }


@pytest.mark.parametrize(
    "case", ["missing-postgresql-database", "unreachable-server", "sqlite-in-a-missing-folder"]
)
def test_serve_on_a_database_that_cannot_be_opened_exits_with_one_line(
    tmp_path: Path, postgres_url: str, case: str
):
    """It printed a traceback from the first query (and exited 1)."""
    url, said = _missing_databases(postgres_url)[case]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env={**serve_env(tmp_path), "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    shown = make_url(url).render_as_string(hide_password=True)
    assert line.startswith(f"error: cannot open the database {shown}: "), line
    assert said in line
    assert "hunter2" not in line


@pytest.mark.parametrize(
    "command",
    [["bot", "migrate"], ["bot", "console"], ["bot", "seed-demo"], ["scheduler", "run-once"]],
    ids=lambda command: " ".join(command),
)
def test_other_commands_on_a_missing_sqlite_folder_exit_with_one_line(
    tmp_path: Path, command: list[str]
):
    missing = tmp_path / "no-such-folder" / "farlab.db"
    env = {
        **serve_env(tmp_path, SLACK_BOT_TOKEN="xoxb-test"),
        "DATABASE_URL": f"sqlite:///{missing}",
    }
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot open the database sqlite:///{missing}: "
        f"the folder {missing.parent} does not exist"
    ]
    assert not missing.parent.exists()


def _chattr(flag: str, paths: list[Path]) -> bool:
    """``chattr +i``/``-i``: True when it worked (root on a file system that has it)."""
    if shutil.which("chattr") is None:
        return False
    result = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    return result.returncode == 0


ADMIN = ("--username", "root1", "--email", "root1@lab.example", "--password-stdin")


def _sign_in(url: str, tmp_path: Path) -> dict[str, str]:
    """Create an admin with the CLI beside the running server, and sign in over REST."""
    subprocess.run(
        [sys.executable, "-m", "bot", "create-admin", *ADMIN],
        cwd=ROOT,
        env=serve_env(tmp_path),
        input="Correct-Horse-9\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = httpx.post(
        f"{url}/api/token", data={"username": "root1", "password": "Correct-Horse-9"}
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_serve_survives_its_database_files_made_unwritable(served: Served, tmp_path: Path) -> None:
    """``chattr +i`` on the database and its -wal/-shm files: SQLite's next touch of the
    mapped -shm file would raise SIGBUS and kill the process. Instead, health and every
    request answer 503 (Slack: a polite message), and all is well once it is undone.
    Root ignores file modes, so ``chattr +i`` (refused even to root) stands for them."""
    url, stand_in, process = served
    auth = _sign_in(url, tmp_path)
    instrument = {"name": "MAT253", "model": "MAT 253"}
    assert httpx.post(f"{url}/api/instruments/", json=instrument, headers=auth).status_code == 201
    files = [tmp_path / name for name in ("serve.db", "serve.db-wal", "serve.db-shm")]
    assert all(f.exists() for f in files)
    if not _chattr("+i", files):
        reason = "chattr +i needs root on a file system with the immutable flag"
        if os.environ.get("CI", "").lower() == "true":  # CI runs as root: never skipped there
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        healthz = httpx.get(f"{url}/healthz", timeout=10)
        again = {"name": "Kiel IV", "model": "Kiel"}
        created = httpx.post(f"{url}/api/instruments/", json=again, headers=auth, timeout=10)
        signed_in = httpx.post(
            f"{url}/api/token", data={"username": "root1", "password": "x"}, timeout=10
        )
        with SignedSlack(f"{url}/slack/events", SIGNING, stand_in) as slack:
            answer = slack.command("UNOBODY", "help instruments")
        alive = httpx.get(f"{url}/health", timeout=10)
        assert process.poll() is None, f"serve died: exit status {process.returncode}"
    finally:
        _chattr("-i", files)
    assert healthz.status_code == 503
    assert healthz.json()["reason"] == "the database file cannot be written"
    assert created.status_code == 503
    assert created.json()["detail"].startswith("FarLab cannot save changes right now")
    assert signed_in.status_code == 503
    assert answer.status_code == 200
    assert "cannot save changes right now" in answer.text
    assert alive.status_code == 503
    assert httpx.get(f"{url}/healthz").status_code == 200
    assert httpx.post(f"{url}/api/instruments/", json=again, headers=auth).status_code == 201
