"""Record of Slack deliveries already handled, so retries and double clicks are no-ops."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import SlackDelivery
from storage.repositories._upsert import insert_ignore

__all__ = ["first_time", "prune", "release"]


def first_time(session: Session, *, team_id: str, key: str, now: datetime) -> bool:
    """True the first time this key is seen for the workspace, False on every repeat."""
    return insert_ignore(
        session, SlackDelivery, {"team_id": team_id, "key": key[:255], "received_at": now}, ["team_id", "key"]
    )


def release(session: Session, *, team_id: str, key: str) -> None:
    """Forget a delivery whose handling failed, so Slack's retry of it is handled."""
    session.execute(delete(SlackDelivery).where(SlackDelivery.team_id == team_id, SlackDelivery.key == key[:255]))


def prune(session: Session, *, before: datetime) -> int:
    result = session.execute(delete(SlackDelivery).where(SlackDelivery.received_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
