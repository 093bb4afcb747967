"""Digest schedules and digest runs (the aggregates a digest is made of are in digest_stats.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import DigestRun, DigestSchedule, Workspace
from storage.repositories._upsert import insert_ignore

__all__ = [
    "add_schedule",
    "all_schedules",
    "begin_run",
    "get_run",
    "get_schedule",
    "list_schedules",
    "mark_failed",
    "mark_posted",
    "mark_posting",
    "remove_schedule",
    "run_for_week",
]


# ---- schedules ---------------------------------------------------------------------------------------
def add_schedule(
    session: Session,
    team_id: str,
    channel_id: str,
    channel_name: str,
    weekday: int = 0,
    hour: int = 9,
    minute: int = 0,
    tz: str = "UTC",
    now: datetime | None = None,
) -> DigestSchedule:
    if now is None:
        raise ValueError("now is required")
    row = DigestSchedule(
        team_id=team_id,
        channel_id=channel_id,
        channel_name=channel_name,
        weekday=weekday,
        hour=hour,
        minute=minute,
        tz=tz,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def list_schedules(session: Session, team_id: str) -> list[DigestSchedule]:
    return list(
        session.scalars(select(DigestSchedule).where(DigestSchedule.team_id == team_id).order_by(DigestSchedule.id))
    )


def all_schedules(session: Session) -> list[DigestSchedule]:
    """Every installed workspace's schedules: the planner walks them all (each row carries its team_id)."""
    installed = select(Workspace.team_id).where(Workspace.uninstalled_at.is_(None))
    query = select(DigestSchedule).where(DigestSchedule.team_id.in_(installed))
    return list(session.scalars(query.order_by(DigestSchedule.team_id, DigestSchedule.id)))


def get_schedule(session: Session, team_id: str, schedule_id: int) -> DigestSchedule | None:
    return session.scalar(
        select(DigestSchedule).where(DigestSchedule.team_id == team_id, DigestSchedule.id == schedule_id)
    )


def remove_schedule(session: Session, team_id: str, schedule_id: int) -> bool:
    result = session.execute(
        delete(DigestSchedule).where(DigestSchedule.team_id == team_id, DigestSchedule.id == schedule_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# ---- runs --------------------------------------------------------------------------------------------
def begin_run(
    session: Session,
    *,
    team_id: str,
    schedule_id: int,
    week: str,
    period_start: datetime,
    period_end: datetime,
    channel_id: str,
    now: datetime,
) -> DigestRun:
    """The run of this schedule and week, created `pending` the first time (safe across processes)."""
    insert_ignore(
        session,
        DigestRun,
        {
            "team_id": team_id,
            "schedule_id": schedule_id,
            "week": week,
            "period_start": period_start,
            "period_end": period_end,
            "state": "pending",
            "channel_id": channel_id,
            "attempts": 0,
            "created_at": now,
        },
        ["schedule_id", "week"],
    )
    run = run_for_week(session, team_id, schedule_id, week)
    assert run is not None
    return run


def run_for_week(session: Session, team_id: str, schedule_id: int, week: str) -> DigestRun | None:
    return session.scalar(
        select(DigestRun).where(
            DigestRun.team_id == team_id, DigestRun.schedule_id == schedule_id, DigestRun.week == week
        )
    )


def get_run(session: Session, team_id: str, run_id: int) -> DigestRun | None:
    return session.scalar(select(DigestRun).where(DigestRun.team_id == team_id, DigestRun.id == run_id))


def mark_posting(session: Session, run_id: int) -> None:
    session.execute(
        update(DigestRun)
        .where(DigestRun.id == run_id, DigestRun.state != "posted")
        .values(state="posting", attempts=DigestRun.attempts + 1)
    )


def mark_posted(session: Session, run_id: int, *, channel_id: str, message_ts: str, now: datetime) -> None:
    session.execute(
        update(DigestRun)
        .where(DigestRun.id == run_id)
        .values(state="posted", channel_id=channel_id, message_ts=message_ts, posted_at=now, last_error=None)
    )


def mark_failed(session: Session, run_id: int, *, error: str, final: bool) -> None:
    """Record the error; `final` marks the run failed for good (otherwise it stays retryable)."""
    values: dict[str, Any] = {"last_error": error[:4000]}
    if final:
        values["state"] = "failed"
    session.execute(update(DigestRun).where(DigestRun.id == run_id, DigestRun.state != "posted").values(**values))
