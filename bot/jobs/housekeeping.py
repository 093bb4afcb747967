"""Daily housekeeping: forget Slack delivery ids older than a week (retries come within minutes)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.jobs.engine import JobContext, handler, planner
from bot.runtime import Runtime
from storage.repositories import deliveries, jobs


@planner
def plan_daily(runtime: Runtime, session: Session, now: datetime) -> None:
    jobs.plan(
        session,
        kind=kinds.HOUSEKEEPING_PRUNE,
        key=f"{kinds.HOUSEKEEPING_PRUNE}:{now.date().isoformat()}",
        due_at=now,
        now=now,
    )


@handler(kinds.HOUSEKEEPING_PRUNE)
def prune(ctx: JobContext) -> None:
    with ctx.runtime.session_factory.begin() as session:
        deliveries.prune(session, before=ctx.now - timedelta(days=7))
