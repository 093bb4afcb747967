"""Slack events handled once: Slack resends an event it thinks we missed (`X-Slack-Retry-Num`), so each event id is
recorded when its handling starts, and forgotten again when that handling fails, so the retry runs."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import deliveries

__all__ = ["event_key", "first_time", "release_event"]

logger = logging.getLogger(__name__)


def event_key(body: Mapping[str, Any]) -> str | None:
    """The de-dup key of an Events API body (None for anything else)."""
    event_id = body.get("event_id")
    if body.get("type") != "event_callback" or not isinstance(event_id, str):
        return None
    return f"event:{event_id}"


def first_time(session_factory: sessionmaker[Session], team_id: str, key: str, *, now: datetime) -> bool:
    """True the first time this event is seen for the workspace, False for each of Slack's retries after it."""
    with session_factory.begin() as session:
        return deliveries.first_time(session, team_id=team_id, key=key, now=now)


def release_event(session_factory: sessionmaker[Session], team_id: str | None, body: Mapping[str, Any]) -> bool:
    """Forget that an event was handled (its listener failed, before or after the ack), so Slack's retry of it is
    handled: True when there was one to forget."""
    key = event_key(body)
    if key is None or not team_id:
        return False
    try:
        with session_factory.begin() as session:
            deliveries.release(session, team_id=team_id, key=key)
    except Exception:
        logger.exception("could not release %s for a retry", key)
        return False
    return True
