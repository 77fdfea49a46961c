"""Running scheduled jobs: one run of a job at a time across processes, and their history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from domain.context import DomainContext, database_errors
from persistence import job_runs, locks


@dataclass(frozen=True)
class JobRunView:
    job_id: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_result: str | None
    runs: int
    failures: int
    last_failure_at: datetime | None = None
    total_seconds: float = 0.0

    @property
    def average_seconds(self) -> float | None:
        return self.total_seconds / self.runs if self.runs else None


@contextmanager
def job_slot(ctx: DomainContext, job_id: str) -> Iterator[bool]:
    """True when this process may run ``job_id`` now; False when a run is already under way
    (in this process, or in any process on PostgreSQL)."""
    with database_errors(), locks.try_lock(ctx.db.engine, f"job:{job_id}") as held:
        yield held


def record_job_run(
    ctx: DomainContext,
    job_id: str,
    *,
    ok: bool,
    result: str | None,
    error: str | None = None,
    seconds: float = 0.0,
) -> None:
    """Count a run of ``job_id`` that ended now after ``seconds``."""
    with ctx.transaction() as session:
        job_runs.record_run(
            session,
            job_id,
            at=ctx.now(),
            seconds=seconds,
            ok=ok,
            result=result[:1000] if result else result,
            error=error[:2000] if error else error,
        )


def job_history(ctx: DomainContext) -> dict[str, JobRunView]:
    with ctx.transaction() as session:
        return {
            run.job_id: JobRunView(
                job_id=run.job_id,
                last_run_at=run.last_run_at,
                last_success_at=run.last_success_at,
                last_error=run.last_error,
                last_result=run.last_result,
                runs=run.runs,
                failures=run.failures,
                last_failure_at=run.last_failure_at,
                total_seconds=run.total_seconds,
            )
            for run in job_runs.all_runs(session)
        }


def succeeded_today(ctx: DomainContext, job_id: str) -> bool:
    """The job last succeeded on today's date (UTC)."""
    with ctx.transaction() as session:
        last = job_runs.last_success(session, job_id)
    return last is not None and last.date() == ctx.now().date()


def succeeded_since(ctx: DomainContext, job_id: str, since: datetime) -> bool:
    """The job last succeeded at or after ``since``."""
    with ctx.transaction() as session:
        last = job_runs.last_success(session, job_id)
    return last is not None and last >= since
