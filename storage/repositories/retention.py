"""Retention: workspaces that keep notes for a limited time, and deleting the notes past it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Note, Workspace

__all__ = ["delete_notes_before", "workspaces_with_retention"]


def workspaces_with_retention(session: Session) -> list[tuple[str, int]]:
    """(team_id, retention_days) of every workspace with a retention period set."""
    stmt = select(Workspace.team_id, Workspace.retention_days).where(Workspace.retention_days.is_not(None))
    return [(team_id, days) for team_id, days in session.execute(stmt.order_by(Workspace.team_id)) if days]


def delete_notes_before(session: Session, team_id: str, before: datetime) -> int:
    """Delete the workspace's notes created before `before`; their tags and answers go with them (FK cascade)."""
    result = session.execute(delete(Note).where(Note.team_id == team_id, Note.created_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
