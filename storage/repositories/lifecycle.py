"""A workspace's life after install: marked uninstalled (its pending jobs dropped), installed again, or purged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import Base, Job, Workspace

__all__ = ["all_workspaces", "mark_installed", "mark_uninstalled", "purge", "uninstalled_before"]


def mark_uninstalled(session: Session, team_id: str, *, now: datetime) -> bool:
    """Record the uninstall (once) and drop the workspace's jobs not yet started; True the first time."""
    changed = session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_(None))
        .values(uninstalled_at=now)
    )
    session.execute(delete(Job).where(Job.team_id == team_id, Job.state == "due"))
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def mark_installed(session: Session, team_id: str) -> None:
    session.execute(
        update(Workspace)
        .where(Workspace.team_id == team_id, Workspace.uninstalled_at.is_not(None))
        .values(uninstalled_at=None)
    )


def uninstalled_before(session: Session, before: datetime) -> list[Workspace]:
    query = select(Workspace).where(Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at < before)
    return list(session.scalars(query.order_by(Workspace.team_id)))


def all_workspaces(session: Session) -> list[Workspace]:
    return list(session.scalars(select(Workspace).order_by(Workspace.team_id)))


def purge(session: Session, team_id: str) -> int:
    """Delete every row of the workspace, in every table that has a `team_id` (the OAuth installation included),
    children before parents. Returns the number of rows deleted."""
    deleted = 0
    for table in reversed(Base.metadata.sorted_tables):
        if "team_id" in table.c and table.name != Workspace.__tablename__:
            deleted += session.execute(delete(table).where(table.c.team_id == team_id)).rowcount  # type: ignore[attr-defined]
    deleted += session.execute(delete(Workspace).where(Workspace.team_id == team_id)).rowcount  # type: ignore[attr-defined]
    return deleted
