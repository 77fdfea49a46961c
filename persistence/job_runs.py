"""The latest run of each scheduled job, kept in one row per job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from persistence.models import SchedulerJobRun


def record_run(
    session: Session,
    job_id: str,
    *,
    at: datetime,
    ok: bool,
    result: str | None,
    error: str | None,
    seconds: float = 0.0,
) -> None:
    """Count one run of ``job_id``, ended ``at`` after ``seconds`` (an upsert, so
    concurrent first runs do not collide)."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(SchedulerJobRun).values(
        job_id=job_id,
        last_run_at=at,
        last_success_at=at if ok else None,
        last_error=None if ok else error,
        last_result=result,
        runs=1,
        failures=0 if ok else 1,
        last_failure_at=None if ok else at,
        total_seconds=seconds,
    )
    table = SchedulerJobRun
    stmt = stmt.on_conflict_do_update(
        index_elements=["job_id"],
        set_={
            "last_run_at": stmt.excluded.last_run_at,
            "last_success_at": stmt.excluded.last_success_at if ok else table.last_success_at,
            "last_error": stmt.excluded.last_error,
            "last_result": stmt.excluded.last_result,
            "runs": table.runs + 1,
            "failures": table.failures + (0 if ok else 1),
            "last_failure_at": table.last_failure_at if ok else stmt.excluded.last_failure_at,
            "total_seconds": table.total_seconds + stmt.excluded.total_seconds,
        },
    )
    session.execute(stmt)


def all_runs(session: Session) -> list[SchedulerJobRun]:
    return list(session.scalars(select(SchedulerJobRun).order_by(SchedulerJobRun.job_id)))


def last_success(session: Session, job_id: str) -> datetime | None:
    return session.scalar(
        select(SchedulerJobRun.last_success_at).where(SchedulerJobRun.job_id == job_id)
    )
