"""``python -m bot serve --workers N``: several uvicorn worker processes on PostgreSQL, each
building its app from the environment; refused on SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from console.harness import free_port
from slack_stand_in import SignedSlack, SlackStandIn
from tests.farlab.serve_process import ROOT, serve_env, serving

SIGNING = "serve-workers-signing-secret"


def _children(pid: int) -> list[str]:
    """The command lines of ``pid``'s child processes (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def test_serve_with_two_workers_on_postgresql_answers_health_and_slack(
    tmp_path: Path, postgres_url: str
) -> None:
    stand_in = SlackStandIn().start()
    env = serve_env(
        tmp_path,
        DATABASE_URL=postgres_url,
        SLACK_BOT_TOKEN="xoxb-serve-workers",
        SLACK_SIGNING_SECRET=SIGNING,
        SLACK_API_URL=stand_in.base_url,
    )
    try:
        with serving(env, tmp_path / "serve.log", "--workers", "2") as (url, proc):
            workers = [c for c in _children(proc.pid) if "spawn_main" in c]
            assert len(workers) == 2, _children(proc.pid)
            for _ in range(4):  # enough requests that both workers are likely to answer one
                assert httpx.get(f"{url}/healthz").json() == {"status": "ok", "database": "ok"}
            with SignedSlack(f"{url}/slack/events", SIGNING, stand_in) as slack:
                for _ in range(4):
                    answer = slack.command("UNOBODY", "help")
                    assert answer.status_code == 200
                    assert "restock" in answer.text
                forged = slack.command("UNOBODY", "help", bad_signature=True)
                assert forged.status_code == 401
        assert proc.wait(timeout=15) == 0
    finally:
        stand_in.stop()


def test_serve_refuses_several_workers_on_sqlite_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--workers", "2", "--port", str(free_port())],
        cwd=ROOT,
        env=serve_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --workers 2: SQLite is one writer; use PostgreSQL (DATABASE_URL) for several "
        "workers"
    ]
    assert not (tmp_path / "serve.db").exists()  # refused before the database is touched


def test_serve_help_says_the_scheduler_runs_in_every_worker() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    text = " ".join(result.stdout.split())
    assert "--workers N" in text
    assert "advisory lock" in text


def test_metrics_of_two_workers_add_up_in_one_scrape(tmp_path: Path, postgres_url: str) -> None:
    env = serve_env(tmp_path, DATABASE_URL=postgres_url, FARLAB_METRICS="true")
    with serving(env, tmp_path / "serve.log", "--workers", "2", "--no-scheduler") as (url, _):
        before = _healthz_count(httpx.get(f"{url}/metrics").text)
        with httpx.Client(base_url=url) as client:  # new connections spread over both
            for _ in range(10):
                assert client.get("/healthz", headers={"Connection": "close"}).status_code == 200
        after = _healthz_count(httpx.get(f"{url}/metrics").text)
    assert after - before == 10  # one worker alone would show only its own share


def _healthz_count(text: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "farlab_requests_total" and sample.labels.get("route") == "/healthz"
    )
