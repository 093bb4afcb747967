"""Timed work rows: plan once, claim safely from several processes, finish or retry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Job
from storage.repositories._upsert import insert_ignore

__all__ = ["claim_due", "fail", "finish", "get", "pending", "plan"]


def plan(
    session: Session,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    now: datetime,
    team_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Create the job unless one with this key exists; True when it was created."""
    return insert_ignore(
        session,
        Job,
        {
            "kind": kind,
            "key": key,
            "due_at": due_at,
            "team_id": team_id,
            "payload": payload or {},
            "state": "due",
            "attempts": 0,
            "created_at": now,
        },
        ["key"],
    )


def claim_due(
    session: Session, *, now: datetime, worker: str, limit: int = 50, lease: timedelta = timedelta(minutes=5)
) -> list[Job]:
    """Claim jobs that are due, or whose claimant died (lease over). Commit right after.

    PostgreSQL: FOR UPDATE SKIP LOCKED lets two ticks take disjoint rows without waiting.
    SQLite ignores it, but its transactions here begin IMMEDIATE, so claims are serialised anyway;
    the conditional UPDATE below is the second guard.
    """
    claimable = or_(
        and_(Job.state == "due", Job.due_at <= now),
        and_(Job.state == "running", Job.lease_until < now),
    )
    rows: Sequence[Job] = session.scalars(
        select(Job).where(claimable).order_by(Job.due_at, Job.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for job in rows:
        result = session.execute(
            update(Job)
            .where(Job.id == job.id, claimable)
            .values(state="running", lease_until=now + lease, claimed_by=worker, attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            session.refresh(job)
            claimed.append(job)
    return claimed


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def finish(session: Session, job_id: int, *, now: datetime) -> None:
    session.execute(
        update(Job).where(Job.id == job_id).values(state="done", done_at=now, lease_until=None, last_error=None)
    )


def fail(session: Session, job_id: int, *, error: str, retry_at: datetime | None) -> None:
    """Back to due at `retry_at`, or failed for good when it is None."""
    values: dict[str, Any] = {"last_error": error[:4000], "lease_until": None}
    if retry_at is None:
        values["state"] = "failed"
    else:
        values.update(state="due", due_at=retry_at)
    session.execute(update(Job).where(Job.id == job_id).values(**values))


def pending(session: Session, *, team_id: str | None = None, kind: str | None = None) -> list[Job]:
    stmt = select(Job).where(Job.state.in_(("due", "running")))
    if team_id is not None:
        stmt = stmt.where(Job.team_id == team_id)
    if kind is not None:
        stmt = stmt.where(Job.kind == kind)
    return list(session.scalars(stmt.order_by(Job.due_at)))
