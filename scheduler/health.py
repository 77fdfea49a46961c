"""What /healthz says about the scheduler: running here or not, each job's last runs
(from any process, kept in ``scheduler_job_runs``), and the alerts waiting to be posted."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from domain import alert_delivery, scheduling
from domain.context import DomainContext
from domain.errors import Unavailable
from scheduler.jobs import JOB_IDS, LOW_STOCK_SCAN
from scheduler.runner import FarLabScheduler

log = logging.getLogger("farlab.scheduler")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def scheduler_health(ctx: DomainContext, scheduler: FarLabScheduler | None) -> dict[str, Any]:
    """The ``scheduler`` key of /healthz."""
    running = scheduler is not None and scheduler.running
    next_runs = scheduler.next_runs() if running and scheduler else {}
    state: dict[str, Any] = {"running": running}
    try:
        history = scheduling.job_history(ctx)
        state["pending_deliveries"] = alert_delivery.pending_deliveries(ctx)
    except (SQLAlchemyError, Unavailable) as exc:
        log.warning("health check: cannot read the scheduler's history: %s", exc)
        state["error"] = "database unreachable"
        return {"scheduler": state}
    jobs = {}
    for job_id in JOB_IDS:
        run = history.get(job_id)
        jobs[job_id] = {
            "next_run": _iso(next_runs.get(job_id)),
            "last_run": _iso(run.last_run_at) if run else None,
            "last_success": _iso(run.last_success_at) if run else None,
            "last_error": run.last_error if run else None,
            "last_result": run.last_result if run else None,
            "runs": run.runs if run else 0,
            "failures": run.failures if run else 0,
        }
    state["jobs"] = jobs
    return {"scheduler": state}


# The job the original's /health/scheduler watched: the low-stock check.
WATCHED_JOB = LOW_STOCK_SCAN
# A scan later than this many intervals (plus a minute) after the last one is overdue.
OVERDUE_INTERVALS = 2


def contract_scheduler_health(
    ctx: DomainContext,
    scheduler: FarLabScheduler | None,
    *,
    scan_seconds: int,
    detailed: bool,
) -> dict[str, Any]:
    """``GET /health/scheduler`` in the original's shape, answered truthfully.

    ``scheduler_running`` is true when this process runs the scheduler, or when another
    process ran the low-stock scan recently (``serve --no-scheduler`` beside
    ``python -m scheduler``). ``job_status`` is the scan's record; the original's
    ``issues`` name what is wrong. The last error's text (it may name hosts) is shown
    only when ``detailed`` (an admin's token); others learn that the last run failed.
    """
    here = scheduler is not None and scheduler.running
    try:
        run = scheduling.job_history(ctx).get(WATCHED_JOB)
    except (SQLAlchemyError, Unavailable) as exc:
        log.warning("scheduler health: cannot read the job history: %s", exc)
        return {
            "scheduler_healthy": False,
            "issues": ["The database is unreachable, so the jobs' history cannot be read"],
            "job_status": _job_status(None, detailed),
            "scheduler_running": here,
        }
    now = ctx.now()
    overdue_after = timedelta(seconds=OVERDUE_INTERVALS * scan_seconds + 60)
    recent = (
        run is not None and run.last_run_at is not None and now - run.last_run_at <= (overdue_after)
    )
    issues = []
    if run is None or run.last_run_at is None:
        issues.append("Job has never run")
    else:
        if not recent:
            issues.append(
                f"Job has not run since {_iso(run.last_run_at)} "
                f"(it runs every {scan_seconds} seconds)"
            )
        if run.last_error and run.last_success_at != run.last_run_at:
            issues.append(
                f"The last run failed: {run.last_error}"
                if detailed
                else "The last run failed (an admin's token shows why)"
            )
    running = here or recent
    if not running:
        issues.append("No scheduler is running")
    return {
        "scheduler_healthy": not issues,
        "issues": issues,
        "job_status": _job_status(run, detailed),
        "scheduler_running": running,
    }


def _job_status(run: scheduling.JobRunView | None, detailed: bool) -> dict[str, Any]:
    error = run.last_error if run else None
    return {
        "last_run": _iso(run.last_run_at) if run else None,
        "last_success": _iso(run.last_success_at) if run else None,
        "last_failure": _iso(run.last_failure_at) if run else None,
        "last_error": error if detailed else None,
        "failure_count": run.failures if run else 0,
        "total_runs": run.runs if run else 0,
        "average_duration": run.average_seconds if run else None,
    }
