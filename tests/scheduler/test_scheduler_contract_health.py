"""``GET /health/scheduler``: the original's shape, answered truthfully (the original
always said the job had never run and no scheduler was running)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from console.harness import WebServer
from farlab.settings import Settings
from farlab.web import build_web
from scheduler import jobs as jobs_module
from scheduler.runner import FarLabScheduler
from slack_stand_in import SlackStandIn
from tests.bot.alerting import low_part
from tests.factories import make_user
from tests.helpers import Clock, access_token

SCAN_SECONDS = 300


@pytest.fixture
def served(ctx, stand_in: SlackStandIn) -> Iterator[tuple[str, FarLabScheduler]]:
    """``serve`` as built for production against the stand-in: its URL and scheduler."""
    settings = Settings(
        slack_bot_token="xoxb-farlab-local",
        slack_signing_secret="a-signing-secret",
        slack_api_url=stand_in.base_url,
        farlab_alert_channel="C0LAB",
        farlab_alert_scan_seconds=SCAN_SECONDS,
    )
    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=True)
    assert scheduler is not None
    assert runtime is not None
    server = WebServer(web).start()
    try:
        yield server.url, scheduler
    finally:
        scheduler.shutdown()
        server.stop()
        runtime.shutdown()


def _get(url: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.get(f"{url}/health/scheduler", headers=headers)
    assert answer.status_code == 200
    return answer.json()


def test_before_any_run_it_says_the_job_never_ran_and_no_scheduler_runs(served):
    url, _ = served
    assert _get(url) == {
        "scheduler_healthy": False,
        "issues": ["Job has never run", "No scheduler is running"],
        "job_status": {
            "last_run": None,
            "last_success": None,
            "last_failure": None,
            "last_error": None,
            "failure_count": 0,
            "total_runs": 0,
            "average_duration": None,
        },
        "scheduler_running": False,
    }


def test_a_running_scheduler_with_a_recent_scan_is_healthy(served, ctx, clock: Clock):
    url, scheduler = served
    low_part(ctx)
    scheduler.start()
    assert scheduler.run("low_stock_scan").status == "ok"
    body = _get(url)
    assert body["scheduler_healthy"] is True
    assert body["issues"] == []
    assert body["scheduler_running"] is True
    status = body["job_status"]
    assert status["last_run"] == status["last_success"] == clock.now.isoformat()
    assert (status["total_runs"], status["failure_count"], status["last_failure"]) == (1, 0, None)
    assert 0 <= status["average_duration"] < 60


def test_a_scan_run_by_another_process_counts_until_it_is_overdue(served, clock: Clock):
    url, scheduler = served  # this process's scheduler is not started: another one runs
    assert scheduler.run("low_stock_scan").status == "ok"
    assert _get(url)["scheduler_running"] is True
    clock.advance(seconds=2 * SCAN_SECONDS + 61)
    body = _get(url)
    assert body["scheduler_running"] is False
    assert body["scheduler_healthy"] is False
    assert body["issues"][0].startswith("Job has not run since ")
    assert "every 300 seconds" in body["issues"][0]


def test_a_failed_scan_is_an_issue_whose_text_only_an_admin_sees(
    served, ctx, clock: Clock, monkeypatch
):
    url, scheduler = served

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("db at host-7 refused")

    monkeypatch.setattr(jobs_module.alerts, "evaluate_low_stock", refused)
    assert scheduler.run("low_stock_scan").status == "failed"
    anyone = _get(url)
    assert anyone["scheduler_healthy"] is False
    assert anyone["issues"] == ["The last run failed (an admin's token shows why)"]
    assert anyone["job_status"]["last_error"] is None
    assert anyone["job_status"]["last_failure"] == clock.now.isoformat()
    assert anyone["job_status"]["failure_count"] == 1
    admin = make_user(ctx, "admin")
    detailed = _get(url, access_token(ctx, admin))
    assert "host-7" in detailed["job_status"]["last_error"]
    assert "host-7" in detailed["issues"][0]
