"""What marketing learned in the field this period, for the digest: ride-alongs held, what the marketers
wrote after them (redacted), and reps' answers to marketing's review requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from nlp.redact import redact
from storage.repositories import reviews as review_repo
from storage.repositories import ridealongs as repo

__all__ = ["LearnedQuote", "LearningLine", "field_learning"]

QUOTES = 2
QUOTE_CHARS = 280


@dataclass(frozen=True)
class LearnedQuote:
    text: str  # redacted, not escaped
    marketer_user_id: str
    account: str


@dataclass(frozen=True)
class LearningLine:
    ridealongs: int  # approved ride-alongs on calls held in the period
    quotes: tuple[LearnedQuote, ...] = ()
    review_answers: int = 0  # reps' answers to marketing's review requests in the period
    reviews_answered: int = 0  # the reviews those answers were about


def field_learning(session: Session, team_id: str, start: datetime, end: datetime) -> LearningLine | None:
    """None when nothing happened (the digest then says nothing about it)."""
    rows = repo.learned_between(session, team_id, start, end)
    answers, reviews = review_repo.answered_between(session, team_id, start, end)
    if not rows and not answers:
        return None
    learned = [(ride, call, person) for ride, call, person in rows if ride.learned]
    learned.sort(key=lambda row: row[0].learned_at or row[1].starts_at, reverse=True)
    quotes = tuple(
        LearnedQuote(redact(ride.learned or "")[:QUOTE_CHARS], person.slack_user_id, call.account)
        for ride, call, person in learned[:QUOTES]
    )
    return LearningLine(len(rows), quotes, answers, reviews)
