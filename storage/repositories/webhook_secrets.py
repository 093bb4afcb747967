"""Each workspace's webhook secrets: the current one, and a rotated-out one until it expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import WebhookSecret

__all__ = ["active", "add", "current", "retire_current"]


def active(session: Session, *, now: datetime) -> list[WebhookSecret]:
    """Every secret that may sign a webhook now, in every workspace (a webhook's workspace is the one whose secret
    verifies it). Rotated-out secrets are deleted at the next rotation."""
    query = select(WebhookSecret).where(or_(WebhookSecret.expires_at.is_(None), WebhookSecret.expires_at > now))
    return list(session.scalars(query.order_by(WebhookSecret.team_id, WebhookSecret.id)))


def current(session: Session, team_id: str) -> WebhookSecret | None:
    query = select(WebhookSecret).where(WebhookSecret.team_id == team_id, WebhookSecret.expires_at.is_(None))
    return session.scalars(query.order_by(WebhookSecret.id.desc()).limit(1)).first()


def add(session: Session, team_id: str, secret: str, *, now: datetime) -> WebhookSecret:
    row = WebhookSecret(team_id=team_id, secret=secret, created_at=now, expires_at=None)
    session.add(row)
    session.flush()
    return row


def retire_current(session: Session, team_id: str, *, expires_at: datetime) -> None:
    """The current secret keeps working until `expires_at` (a rotation's grace period); older ones stop now."""
    session.execute(
        delete(WebhookSecret).where(WebhookSecret.team_id == team_id, WebhookSecret.expires_at.is_not(None))
    )
    session.execute(
        update(WebhookSecret)
        .where(WebhookSecret.team_id == team_id, WebhookSecret.expires_at.is_(None))
        .values(expires_at=expires_at)
    )
