"""The scheduler: APScheduler's BackgroundScheduler running the jobs, one run at a time.

Every job has an explicit id, ``coalesce=True`` (runs missed while busy or asleep collapse
into one) and ``max_instances=1``. Across processes, each run first takes the job's lock
(``domain.scheduling.job_slot``: a PostgreSQL advisory lock, or a process-local lock on
SQLite); a run that finds the lock taken is skipped. Each run's outcome is kept in
``scheduler_job_runs`` for /healthz.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.schedulers.background import BackgroundScheduler

from domain import scheduling
from domain.context import DomainContext
from domain.errors import Unavailable
from domain.permissions import SYSTEM
from observability.log_scope import new_request_id, scoped
from scheduler.jobs import JOB_IDS, AlertJobs

log = logging.getLogger("farlab.scheduler")
MISFIRE_GRACE_SECONDS = 300


class JobMetrics(Protocol):
    def job_ran(self, job: str, outcome: str, seconds: float) -> None: ...


@dataclass(frozen=True)
class JobOutcome:
    job_id: str
    status: str  # "ok", "failed" or "skipped"
    detail: str


class FarLabScheduler:
    def __init__(
        self, ctx: DomainContext, jobs: AlertJobs, *, metrics: JobMetrics | None = None
    ) -> None:
        self.ctx = ctx
        self.jobs = jobs
        self.metrics = metrics
        self._table = jobs.table()
        self.apscheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            },
        )
        for job_id, (_, trigger) in self._table.items():
            self.apscheduler.add_job(
                self.run,
                trigger=trigger,
                args=[job_id],
                id=job_id,
                name=job_id.replace("_", " "),
                coalesce=True,
                max_instances=1,
                replace_existing=True,
            )

    @property
    def running(self) -> bool:
        return bool(self.apscheduler.running)

    def start(self) -> None:
        self.apscheduler.start()
        log.info("scheduler started: %s", ", ".join(self._table))

    def shutdown(self, *, wait: bool = True) -> None:
        if self.apscheduler.running:
            self.apscheduler.shutdown(wait=wait)

    def run(self, job_id: str) -> JobOutcome:
        """Run one job now, unless a run of it is under way somewhere. While the database
        is unavailable a run fails with one warning (it cannot be recorded either). Its
        log lines carry the run's id (``<job>-<random>``) and FarLab as the actor."""
        started = time.monotonic()
        with scoped(f"{job_id}-{new_request_id()}", actor=SYSTEM.username):
            try:
                outcome = self._run(job_id)
            except Unavailable as exc:
                log.warning("%s: not run, the database is unavailable (%s)", job_id, exc.reason)
                outcome = JobOutcome(job_id, "failed", exc.message)
        if self.metrics is not None:
            self.metrics.job_ran(job_id, outcome.status, time.monotonic() - started)
        return outcome

    def _run(self, job_id: str) -> JobOutcome:
        fn, _ = self._table[job_id]
        with scheduling.job_slot(self.ctx, job_id) as held:
            if not held:
                log.info("%s: skipped, a run is under way elsewhere", job_id)
                return JobOutcome(job_id, "skipped", "a run is under way elsewhere")
            started = time.monotonic()
            try:
                detail = fn()
            except Unavailable:
                raise
            except Exception as exc:  # recorded and logged; the next run tries again
                log.exception("%s failed", job_id)
                error = f"{type(exc).__name__}: {exc}"
                scheduling.record_job_run(
                    self.ctx,
                    job_id,
                    ok=False,
                    result=None,
                    error=error,
                    seconds=time.monotonic() - started,
                )
                return JobOutcome(job_id, "failed", error)
            scheduling.record_job_run(
                self.ctx, job_id, ok=True, result=detail, seconds=time.monotonic() - started
            )
            log.info("%s: %s", job_id, detail)
            return JobOutcome(job_id, "ok", detail)

    def run_once(self, job_ids: tuple[str, ...] = JOB_IDS) -> list[JobOutcome]:
        unknown = [j for j in job_ids if j not in self._table]
        if unknown:
            raise ValueError(f"unknown job {unknown[0]!r}; jobs: {', '.join(self._table)}")
        return [self.run(job_id) for job_id in job_ids]

    def next_runs(self) -> dict[str, datetime | None]:
        # Jobs of a scheduler not started yet have no next run time.
        return {job.id: getattr(job, "next_run_time", None) for job in self.apscheduler.get_jobs()}

    def job_options(self) -> dict[str, dict[str, Any]]:
        """Each job's id, trigger and options as APScheduler holds them."""
        return {
            job.id: {
                "coalesce": job.coalesce,
                "max_instances": job.max_instances,
                "trigger": str(job.trigger),
            }
            for job in self.apscheduler.get_jobs()
        }
