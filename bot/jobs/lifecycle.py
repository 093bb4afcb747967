"""Uninstalled workspaces: their data is purged once the grace period (FIELDNOTES_PURGE_AFTER_DAYS) has passed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.jobs import kinds
from bot.jobs.engine import JobContext, handler, planner
from bot.runtime import Runtime
from storage.repositories import jobs, lifecycle

__all__ = ["plan_purges", "purge_workspace"]

logger = logging.getLogger(__name__)


@planner
def plan_purges(runtime: Runtime, session: Session, now: datetime) -> None:
    cutoff = now - timedelta(days=runtime.settings.fieldnotes_purge_after_days)
    for workspace in lifecycle.uninstalled_before(session, cutoff):
        if workspace.uninstalled_at is None:  # reinstalled since the query: nothing to purge
            continue
        jobs.plan(
            session,
            kind=kinds.WORKSPACE_PURGE,
            # One purge per uninstall (a workspace may come back and leave again); no team_id, so the purge, which
            # deletes the workspace's jobs, does not delete itself.
            key=f"{kinds.WORKSPACE_PURGE}:{workspace.team_id}:{workspace.uninstalled_at.isoformat()}",
            due_at=now,
            now=now,
            payload={"team_id": workspace.team_id},
        )


@handler(kinds.WORKSPACE_PURGE)
def purge_workspace(ctx: JobContext) -> None:
    team_id = str(ctx.job.payload["team_id"])
    cutoff = ctx.now - timedelta(days=ctx.runtime.settings.fieldnotes_purge_after_days)
    with ctx.runtime.session_factory.begin() as session:
        still_gone = [w for w in lifecycle.uninstalled_before(session, cutoff) if w.team_id == team_id]
        if not still_gone:
            return  # installed again meanwhile, or purged already
        rows = lifecycle.purge(session, team_id)
    logger.info("purged workspace %s (%d rows): uninstalled more than the grace period ago", team_id, rows)
