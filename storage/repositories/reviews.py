"""Reviews: a marketer's draft put to reps, and each rep's rating and comment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import Note, Person, Review, ReviewRequest
from storage.repositories._upsert import insert_ignore

__all__ = [
    "answer",
    "answered_between",
    "count_requests",
    "create_once",
    "get",
    "mark_sent",
    "pending",
    "request_of",
    "segment_rep_ids",
    "segments",
    "set_message",
]


def create_once(session: Session, values: dict[str, Any], person_ids: Sequence[int]) -> Review | None:
    """The new review with a request per person, or None when this submission was stored already."""
    if not insert_ignore(session, Review, values, ["team_id", "dedupe_key"]):
        return None
    review = session.scalar(
        select(Review).where(Review.team_id == values["team_id"], Review.dedupe_key == values["dedupe_key"])
    )
    assert review is not None
    for person_id in dict.fromkeys(person_ids):
        row = {"team_id": review.team_id, "review_id": review.id, "person_id": person_id}
        insert_ignore(session, ReviewRequest, row, ["review_id", "person_id"])
    return review


def get(session: Session, team_id: str, review_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.team_id == team_id, Review.id == review_id))


def set_message(session: Session, team_id: str, review_id: int, *, channel_id: str, ts: str) -> None:
    session.execute(
        update(Review)
        .where(Review.team_id == team_id, Review.id == review_id)
        .values(channel_id=channel_id, message_ts=ts)
        .execution_options(synchronize_session=False)
    )


def pending(session: Session, team_id: str, review_id: int) -> list[tuple[ReviewRequest, Person]]:
    """Requests not yet sent, with the rep."""
    rows = session.execute(
        select(ReviewRequest, Person)
        .join(Person, Person.id == ReviewRequest.person_id)
        .where(ReviewRequest.team_id == team_id, ReviewRequest.review_id == review_id, ReviewRequest.sent_at.is_(None))
        .order_by(ReviewRequest.id)
    )
    return [(request, person) for request, person in rows]


def count_requests(session: Session, team_id: str, review_id: int) -> int:
    total = session.scalar(
        select(func.count(ReviewRequest.id)).where(
            ReviewRequest.team_id == team_id, ReviewRequest.review_id == review_id
        )
    )
    return int(total or 0)


def mark_sent(session: Session, team_id: str, request_id: int, *, now: datetime) -> None:
    session.execute(
        update(ReviewRequest)
        .where(ReviewRequest.team_id == team_id, ReviewRequest.id == request_id)
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )


def request(session: Session, team_id: str, request_id: int) -> tuple[ReviewRequest, Person] | None:
    row = session.execute(
        select(ReviewRequest, Person)
        .join(Person, Person.id == ReviewRequest.person_id)
        .where(ReviewRequest.team_id == team_id, ReviewRequest.id == request_id)
    ).first()
    return (row[0], row[1]) if row is not None else None


def request_of(session: Session, team_id: str, review_id: int, person_id: int) -> ReviewRequest | None:
    return session.scalar(
        select(ReviewRequest).where(
            ReviewRequest.team_id == team_id,
            ReviewRequest.review_id == review_id,
            ReviewRequest.person_id == person_id,
        )
    )


def answer(session: Session, team_id: str, request_id: int, *, rating: int, comment: str | None, now: datetime) -> bool:
    """The rep's answer, once: False when they answered already (a double submit, even a concurrent one)."""
    result = session.execute(
        update(ReviewRequest)
        .where(ReviewRequest.team_id == team_id, ReviewRequest.id == request_id, ReviewRequest.answered_at.is_(None))
        .values(rating=rating, comment=comment, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def answered_between(session: Session, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    """(answers, reviews they answered) in [start, end)."""
    row = session.execute(
        select(func.count(ReviewRequest.id), func.count(func.distinct(ReviewRequest.review_id))).where(
            ReviewRequest.team_id == team_id, ReviewRequest.answered_at >= start, ReviewRequest.answered_at < end
        )
    ).one()
    return int(row[0]), int(row[1])


def segments(session: Session, team_id: str, since: datetime) -> list[str]:
    """Segments of the accounts reps wrote about since `since`."""
    return list(
        session.scalars(
            select(Note.segment)
            .where(Note.team_id == team_id, Note.segment.is_not(None), Note.created_at >= since)
            .group_by(Note.segment)
            .order_by(Note.segment)
            .limit(100)
        )
    )


def segment_rep_ids(session: Session, team_id: str, segment: str, since: datetime) -> list[int]:
    """People who wrote notes about accounts of the segment since `since`."""
    return list(
        session.scalars(
            select(Note.author_id)
            .where(Note.team_id == team_id, func.lower(Note.segment) == segment.lower(), Note.created_at >= since)
            .group_by(Note.author_id)
            .order_by(Note.author_id)
        )
    )
