"""Sales reviews marketing's plans: a marketer puts a draft (text, link or file) and a question to chosen reps or
a segment's reps; each answers once with a 1-5 rating and a comment, gathered in the thread of the marketer's
review message. Slack-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.errors import NotFound, PermissionDenied, UsageError
from bot.jobs import kinds
from bot.messages import reviews as say
from storage.repositories import jobs, people
from storage.repositories import reviews as repo

__all__ = [
    "MAX_TEXT",
    "Answer",
    "Asked",
    "Draft",
    "ReviewInfo",
    "answer",
    "answer_of",
    "info",
    "mark_message",
    "mark_sent",
    "record",
    "segments",
    "to_send",
]

MAX_TEXT = 3000
SEGMENT_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Draft:
    question: str
    text: str | None
    link: str | None
    file_name: str | None
    file_url: str | None
    rep_user_ids: tuple[str, ...]
    segment: str | None


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    author_user_id: str
    question: str
    draft: str | None
    link: str | None
    file_name: str | None
    file_url: str | None
    channel_id: str | None
    message_ts: str | None
    asked: int


@dataclass(frozen=True)
class Asked:
    request_id: int
    user_id: str


def segments(session: Session, team_id: str, now: datetime) -> list[str]:
    return repo.segments(session, team_id, now - SEGMENT_WINDOW)


def record(session: Session, team_id: str, author_user_id: str, draft: Draft, *, key: str, now: datetime) -> str | None:
    """Store the review once (per modal submission) and plan its delivery; the job's key, None for a repeat."""
    author = people.ensure(session, team_id, author_user_id)
    ids = [people.ensure(session, team_id, u).id for u in draft.rep_user_ids if u != author_user_id]
    if draft.segment:
        ids += repo.segment_rep_ids(session, team_id, draft.segment, now - SEGMENT_WINDOW)
    ids = [i for i in dict.fromkeys(ids) if i != author.id]
    if not ids:
        raise UsageError(say.NO_REPS)
    values = {
        "team_id": team_id,
        "dedupe_key": key[:255],
        "author_id": author.id,
        "question": draft.question,
        "draft": draft.text,
        "link": draft.link,
        "file_name": draft.file_name,
        "file_url": draft.file_url,
        "created_at": now,
    }
    review = repo.create_once(session, values, ids)
    if review is None:
        return None
    job = f"{kinds.REVIEW_DELIVER}:{review.id}"
    jobs.plan(
        session,
        kind=kinds.REVIEW_DELIVER,
        key=job,
        due_at=now,
        now=now,
        team_id=team_id,
        payload={"review_id": review.id},
    )
    return job


def info(session: Session, team_id: str, review_id: int) -> ReviewInfo | None:
    review = repo.get(session, team_id, review_id)
    author = people.get(session, team_id, review.author_id) if review is not None else None
    if review is None or author is None:
        return None
    total = repo.count_requests(session, team_id, review_id)
    return ReviewInfo(
        review.id,
        author.slack_user_id,
        review.question,
        review.draft,
        review.link,
        review.file_name,
        review.file_url,
        review.channel_id,
        review.message_ts,
        total,
    )


def to_send(session: Session, team_id: str, review_id: int) -> list[Asked]:
    return [Asked(request.id, person.slack_user_id) for request, person in repo.pending(session, team_id, review_id)]


def mark_message(session: Session, team_id: str, review_id: int, channel_id: str, ts: str) -> None:
    repo.set_message(session, team_id, review_id, channel_id=channel_id, ts=ts)


def mark_sent(session: Session, team_id: str, request_id: int, now: datetime) -> None:
    repo.mark_sent(session, team_id, request_id, now=now)


def answer(
    session: Session, team_id: str, review_id: int, user_id: str, rating: int, comment: str | None, *, now: datetime
) -> str | None:
    """The rep's rating and comment, once. Returns the key of the job that posts it in the review's thread (so a
    Slack failure then is retried, never lost), or None when answered already."""
    found = info(session, team_id, review_id)
    if found is None:
        raise NotFound(say.REVIEW_GONE)
    person = people.get_by_slack_id(session, team_id, user_id)
    request = repo.request_of(session, team_id, review_id, person.id) if person is not None else None
    if request is None:
        raise PermissionDenied(say.NOT_ASKED)
    if not 1 <= rating <= 5:
        raise UsageError(say.PICK_RATING)
    cleaned = (comment or "").strip()[:MAX_TEXT] or None
    if not repo.answer(session, team_id, request.id, rating=rating, comment=cleaned, now=now):
        return None
    job = f"{kinds.REVIEW_ANSWER}:{request.id}"
    jobs.plan(
        session,
        kind=kinds.REVIEW_ANSWER,
        key=job,
        due_at=now,
        now=now,
        team_id=team_id,
        payload={"review_id": review_id, "request_id": request.id},
    )
    return job


@dataclass(frozen=True)
class Answer:
    user_id: str
    rating: int
    comment: str | None


def answer_of(session: Session, team_id: str, request_id: int) -> Answer | None:
    found = repo.request(session, team_id, request_id)
    if found is None or found[0].rating is None:
        return None
    request, person = found
    return Answer(person.slack_user_id, int(request.rating or 0), request.comment)


def answered_between(session: Session, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    return repo.answered_between(session, team_id, start, end)


def recipients(user_ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u for u in user_ids if u))
