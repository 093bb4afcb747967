"""Retention: every night, delete each workspace's notes older than its `retention_days` (tags and answers
go with them by foreign-key cascade). Workspaces without a retention period keep everything."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.jobs.engine import JobContext, handler, planner
from bot.runtime import Runtime
from storage.repositories import jobs, retention, workspaces

__all__ = ["plan_retention", "purge_old_notes"]

logger = logging.getLogger(__name__)


@planner
def plan_retention(runtime: Runtime, session: Session, now: datetime) -> None:
    for team_id, _days in retention.workspaces_with_retention(session):
        jobs.plan(
            session,
            kind=kinds.RETENTION_PURGE,
            key=f"{kinds.RETENTION_PURGE}:{team_id}:{now.date().isoformat()}",
            due_at=now,
            now=now,
            team_id=team_id,
            payload={"team_id": team_id},
        )


@handler(kinds.RETENTION_PURGE)
def purge_old_notes(ctx: JobContext) -> None:
    team_id = str(ctx.job.payload["team_id"])
    with ctx.runtime.session_factory.begin() as session:
        workspace = workspaces.get(session, team_id)
        if workspace is None or not workspace.retention_days:
            return  # turned off since it was planned
        deleted = retention.delete_notes_before(session, team_id, ctx.now - timedelta(days=workspace.retention_days))
    if deleted:
        logger.info("retention: deleted %d notes of %s older than %d days", deleted, team_id, workspace.retention_days)
