"""Messages jobs post: marked `posting` before the call to Slack and `posted` (with channel and ts) after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import SlackPost
from storage.repositories._upsert import insert_ignore

__all__ = ["forget", "get", "mark_posted", "start"]


def get(session: Session, team_id: str, key: str) -> SlackPost | None:
    return session.scalars(
        select(SlackPost).where(SlackPost.team_id == team_id, SlackPost.key == key[:255])
    ).one_or_none()


def start(session: Session, team_id: str, key: str, *, now: datetime) -> None:
    """Mark `key` as being posted (kept as it is when a row exists already)."""
    insert_ignore(
        session,
        SlackPost,
        {"team_id": team_id, "key": key[:255], "state": "posting", "started_at": now},
        ["team_id", "key"],
    )


def mark_posted(session: Session, team_id: str, key: str, *, channel_id: str, ts: str, now: datetime) -> None:
    session.execute(
        update(SlackPost)
        .where(SlackPost.team_id == team_id, SlackPost.key == key[:255])
        .values(state="posted", channel_id=channel_id, message_ts=ts, posted_at=now)
    )


def forget(session: Session, team_id: str, key: str) -> None:
    """Slack said for certain that the message was not posted: the next attempt posts without looking first."""
    session.execute(
        delete(SlackPost).where(SlackPost.team_id == team_id, SlackPost.key == key[:255], SlackPost.state == "posting")
    )
