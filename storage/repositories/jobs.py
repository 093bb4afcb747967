"""Timed work rows: plan once, claim safely from several processes, finish or retry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Job
from storage.repositories._upsert import insert_ignore

__all__ = [
    "COUNT_CAP",
    "claim_due",
    "claim_key",
    "fail",
    "finish",
    "get",
    "hold",
    "oldest_due_at",
    "pending",
    "plan",
    "state_counts",
]


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
    session: Session, *, as_of: datetime, now: datetime, worker: str, lease: timedelta, limit: int = 20
) -> list[Job]:
    """Claim jobs due by `as_of`, or whose claimant's lease ran out by `now` (the clock). Commit right after.

    `as_of` decides what is due (`fieldnotes tick --at` may act as of another instant); leases are always
    counted on the clock, from the moment of the claim, so a long tick never claims work it cannot start
    while its lease holds.
    PostgreSQL: FOR UPDATE SKIP LOCKED lets two ticks take disjoint rows without waiting. SQLite ignores it;
    the conditional UPDATE below (claimable still true) is what makes a claim there.
    """
    claimable = or_(
        and_(Job.state == "due", Job.due_at <= as_of),
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


def claim_key(session: Session, key: str, *, now: datetime, worker: str, lease: timedelta) -> Job | None:
    """Claim the job with this key now, whenever it is due, unless another process holds it or it is over."""
    claimable = or_(Job.state == "due", and_(Job.state == "running", Job.lease_until < now))
    job = session.scalars(select(Job).where(Job.key == key, claimable).with_for_update(skip_locked=True)).first()
    if job is None:
        return None
    result = session.execute(
        update(Job)
        .where(Job.id == job.id, claimable)
        .values(state="running", lease_until=now + lease, claimed_by=worker, attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    session.refresh(job)
    return job


def _held(job_ids: Sequence[int], worker: str, now: datetime) -> Any:
    return and_(Job.id.in_(job_ids), Job.claimed_by == worker, Job.state == "running", Job.lease_until >= now)


def hold(session: Session, job_ids: Sequence[int], *, worker: str, now: datetime, lease: timedelta) -> set[int]:
    """Renew the leases `worker` still holds (claimed by it, running, not expired) among `job_ids`: those ids.

    A job missing from the answer is no longer this worker's: it must not touch Slack for it again.
    """
    if not job_ids:
        return set()
    held = set(session.scalars(select(Job.id).where(_held(job_ids, worker, now))))
    if held:
        session.execute(
            update(Job)
            .where(_held(sorted(held), worker, now))
            .values(lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return held


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def _mine(job_id: int, worker: str) -> Any:
    return and_(Job.id == job_id, Job.claimed_by == worker, Job.state == "running")


def finish(session: Session, job_id: int, *, worker: str, now: datetime) -> bool:
    """Done, when `worker` still holds the claim (False: another process took the job over)."""
    result = session.execute(
        update(Job).where(_mine(job_id, worker)).values(state="done", done_at=now, lease_until=None, last_error=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def fail(
    session: Session,
    job_id: int,
    *,
    worker: str,
    error: str,
    retry_at: datetime | None,
    count_attempt: bool = True,
) -> bool:
    """Back to due at `retry_at`, or failed for good when it is None; only by the holder of the claim.

    `count_attempt=False` gives the attempt back (a wait Slack asked for is not a failure of the job).
    """
    values: dict[str, Any] = {"last_error": error[:4000], "lease_until": None}
    if retry_at is None:
        values["state"] = "failed"
    else:
        values.update(state="due", due_at=retry_at)
    if not count_attempt:
        values["attempts"] = Job.attempts - 1
    result = session.execute(update(Job).where(_mine(job_id, worker)).values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def pending(session: Session, *, team_id: str | None = None, kind: str | None = None) -> list[Job]:
    stmt = select(Job).where(Job.state.in_(("due", "running")))
    if team_id is not None:
        stmt = stmt.where(Job.team_id == team_id)
    if kind is not None:
        stmt = stmt.where(Job.kind == kind)
    return list(session.scalars(stmt.order_by(Job.due_at)))


#: The counts /metrics reports stop here: a scrape costs a bounded index scan however many rows pile up.
COUNT_CAP = 10_000


def state_counts(session: Session, *, now: datetime) -> dict[str, int]:
    """Jobs `due` now (due_at passed), `scheduled` (due later), `running` and `failed`, each counted up to
    COUNT_CAP on the (state, due_at) index."""

    def capped(*where: Any) -> int:
        inner = select(Job.id).where(*where).limit(COUNT_CAP).subquery()
        return int(session.scalar(select(func.count()).select_from(inner)) or 0)

    return {
        "due": capped(Job.state == "due", Job.due_at <= now),
        "scheduled": capped(Job.state == "due", Job.due_at > now),
        "running": capped(Job.state == "running"),
        "failed": capped(Job.state == "failed"),
    }


def oldest_due_at(session: Session, *, now: datetime) -> datetime | None:
    """When the longest-waiting due job fell due (one index lookup), or None when nothing is due."""
    return session.scalar(select(func.min(Job.due_at)).where(Job.state == "due", Job.due_at <= now))
