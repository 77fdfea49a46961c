"""What /healthz says about the scheduler: running here or not, each job's last runs
(from any process, kept in ``scheduler_job_runs``), and the alerts waiting to be posted."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from domain import alert_delivery, scheduling
from domain.context import DomainContext
from domain.errors import Unavailable
from scheduler.jobs import JOB_IDS
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
