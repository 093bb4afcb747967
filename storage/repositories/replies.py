"""Closing the loop: marketers' replies and follow-up questions, their recipients, and loop statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from storage.models import DigestRun, DigestSchedule, Note, Person, Prompt, Reply, ReplyRecipient, Tag
from storage.repositories._upsert import insert_ignore

__all__ = [
    "LoopStats",
    "OpenAsk",
    "add_recipient",
    "answers_to",
    "ask_prompt",
    "ask_prompt_once",
    "create_reply_once",
    "digest_channel_ids",
    "digest_run_for_period",
    "get_reply",
    "is_recipient",
    "label_counts",
    "latest_digest_run",
    "loop_stats",
    "mark_ask_answered",
    "mark_recipient_sent",
    "open_asks",
    "raised_notes",
    "recipients",
    "reply_by_key",
    "reps_for_label",
]


@dataclass(frozen=True)
class LoopStats:
    """What the next digest says about the loop: answers sent, labels answered, rising labels nobody answered."""

    replies_sent: int
    labels_answered: int
    open_rising: list[tuple[str, str]]  # (kind, label), most raised first


@dataclass(frozen=True)
class OpenAsk:
    reply_id: int
    tag_kind: str
    tag_label: str
    question: str
    asked: int
    answered: int
    created_at: datetime


def loop_stats(session: Session, team_id: str, start: datetime, end: datetime) -> LoopStats:
    """Replies (kind 'reply') made in [start, end), distinct labels they answered, and open rising labels.

    A label is *rising* when the number of notes tagged with it grew two periods running: the period before
    last < the previous period < this one (periods of length end - start, ending at `end`). It is *open*
    when no reply about it was made since the start of the previous period.
    """
    replies_in_period = select(Reply.tag_kind, Reply.tag_label).where(
        Reply.team_id == team_id, Reply.kind == "reply", Reply.created_at >= start, Reply.created_at < end
    )
    sent = session.scalar(select(func.count()).select_from(replies_in_period.subquery())) or 0
    answered = len({(k, label) for k, label in session.execute(replies_in_period)})

    length = end - start
    now_counts = label_counts(session, team_id, start, end)
    prev_counts = label_counts(session, team_id, start - length, start)
    before_counts = label_counts(session, team_id, start - 2 * length, start - length)
    replied = {
        (k, label)
        for k, label in session.execute(
            select(Reply.tag_kind, Reply.tag_label).where(
                Reply.team_id == team_id, Reply.kind == "reply", Reply.created_at >= start - length
            )
        )
    }
    rising = [
        key
        for key, count in now_counts.items()
        if before_counts.get(key, 0) < prev_counts.get(key, 0) < count and key not in replied
    ]
    rising.sort(key=lambda key: (-now_counts[key], key))
    return LoopStats(replies_sent=int(sent), labels_answered=answered, open_rising=rising)


def label_counts(
    session: Session, team_id: str, start: datetime, end: datetime, *, kind: str | None = None
) -> dict[tuple[str, str], int]:
    """Notes created in [start, end) per (kind, label)."""
    stmt = (
        select(Tag.kind, Tag.label, func.count(distinct(Tag.note_id)))
        .join(Note, Note.id == Tag.note_id)
        .where(Tag.team_id == team_id, Note.team_id == team_id, Note.created_at >= start, Note.created_at < end)
        .group_by(Tag.kind, Tag.label)
    )
    if kind is not None:
        stmt = stmt.where(Tag.kind == kind)
    return {(k, label): int(n) for k, label, n in session.execute(stmt)}


def reps_for_label(
    session: Session, team_id: str, *, kind: str, label: str, start: datetime, end: datetime
) -> list[Person]:
    """Authors of notes created in [start, end) tagged (kind, label), each once, in this workspace only."""
    return [p for p, _ in raised_notes(session, team_id, kind=kind, label=label, start=start, end=end)]


def create_reply_once(
    session: Session,
    *,
    team_id: str,
    kind: str,
    dedupe_key: str,
    author_id: int,
    digest_run_id: int | None,
    tag_kind: str,
    tag_label: str,
    period_start: datetime,
    period_end: datetime,
    message: str,
    link: str | None,
    now: datetime,
) -> Reply | None:
    """The new reply, or None when this dedupe key (a view id) was stored before: a double submit is a no-op."""
    inserted = insert_ignore(
        session,
        Reply,
        {
            "team_id": team_id,
            "kind": kind,
            "dedupe_key": dedupe_key[:255],
            "author_id": author_id,
            "digest_run_id": digest_run_id,
            "tag_kind": tag_kind,
            "tag_label": tag_label,
            "period_start": period_start,
            "period_end": period_end,
            "message": message,
            "link": link,
            "created_at": now,
        },
        ["team_id", "dedupe_key"],
    )
    return reply_by_key(session, team_id, dedupe_key[:255]) if inserted else None


def reply_by_key(session: Session, team_id: str, dedupe_key: str) -> Reply | None:
    return session.scalar(select(Reply).where(Reply.team_id == team_id, Reply.dedupe_key == dedupe_key))


def get_reply(session: Session, team_id: str, reply_id: int) -> Reply | None:
    return session.scalar(select(Reply).where(Reply.team_id == team_id, Reply.id == reply_id))


def add_recipient(session: Session, *, team_id: str, reply_id: int, person_id: int) -> bool:
    """Record that this rep is to get the reply; False when already recorded (the rep gets it once)."""
    return insert_ignore(
        session,
        ReplyRecipient,
        {"team_id": team_id, "reply_id": reply_id, "person_id": person_id},
        ["reply_id", "person_id"],
    )


def recipients(session: Session, team_id: str, reply_id: int) -> list[tuple[ReplyRecipient, Person]]:
    stmt = (
        select(ReplyRecipient, Person)
        .join(Person, Person.id == ReplyRecipient.person_id)
        .where(ReplyRecipient.team_id == team_id, ReplyRecipient.reply_id == reply_id)
        .order_by(Person.id)
    )
    return [(r, p) for r, p in session.execute(stmt)]


def answers_to(session: Session, team_id: str, reply_id: int) -> list[Note]:
    stmt = select(Note).where(Note.team_id == team_id, Note.reply_id == reply_id, Note.source == "ask")
    return list(session.scalars(stmt.order_by(Note.id)))


def open_asks(session: Session, team_id: str, *, since: datetime, limit: int = 10) -> list[OpenAsk]:
    """Follow-up questions asked since `since` that not every asked rep has answered yet, newest first."""
    asked = (
        select(func.count()).select_from(ReplyRecipient).where(ReplyRecipient.reply_id == Reply.id).scalar_subquery()
    )
    answered = (
        select(func.count(distinct(Note.author_id)))
        .where(Note.reply_id == Reply.id, Note.source == "ask")
        .scalar_subquery()
    )
    stmt = (
        select(Reply, asked, answered)
        .where(Reply.team_id == team_id, Reply.kind == "ask", Reply.created_at >= since)
        .order_by(Reply.created_at.desc(), Reply.id.desc())
    )
    found: list[OpenAsk] = []
    for reply, n_asked, n_answered in session.execute(stmt):
        if n_answered < n_asked:
            found.append(
                OpenAsk(reply.id, reply.tag_kind, reply.tag_label, reply.message, n_asked, n_answered, reply.created_at)
            )
        if len(found) >= limit:
            break
    return found


def latest_digest_run(session: Session, team_id: str) -> DigestRun | None:
    """The most recent digest actually posted in this workspace."""
    stmt = (
        select(DigestRun)
        .where(DigestRun.team_id == team_id, DigestRun.message_ts.is_not(None))
        .order_by(DigestRun.period_end.desc(), DigestRun.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def ask_prompt(session: Session, team_id: str, reply_id: int, rep_id: int) -> Prompt | None:
    key = f"ask:{reply_id}:{rep_id}"
    return session.scalar(select(Prompt).where(Prompt.team_id == team_id, Prompt.dedupe_key == key))


def raised_notes(
    session: Session, team_id: str, *, kind: str, label: str, start: datetime, end: datetime
) -> list[tuple[Person, Note]]:
    """Each rep who wrote a note in [start, end) tagged (kind, label), once, with their latest such note."""
    stmt = (
        select(Person, Note)
        .join(Note, Note.author_id == Person.id)
        .join(Tag, Tag.note_id == Note.id)
        .where(
            Person.team_id == team_id,
            Note.team_id == team_id,
            Tag.team_id == team_id,
            Tag.kind == kind,
            Tag.label == label,
            Note.created_at >= start,
            Note.created_at < end,
        )
        .order_by(Person.id, Note.created_at.desc(), Note.id.desc())
    )
    latest: dict[int, tuple[Person, Note]] = {}
    for person, note in session.execute(stmt):
        latest.setdefault(person.id, (person, note))
    return list(latest.values())


def digest_channel_ids(session: Session, team_id: str) -> list[str]:
    stmt = select(DigestSchedule.channel_id).where(DigestSchedule.team_id == team_id).distinct()
    return sorted(session.scalars(stmt))


def digest_run_for_period(session: Session, team_id: str, start: datetime, end: datetime) -> DigestRun | None:
    """A posted digest whose period covers [start, end) (the latest one), for buttons without a run id."""
    stmt = (
        select(DigestRun)
        .where(
            DigestRun.team_id == team_id,
            DigestRun.message_ts.is_not(None),
            DigestRun.period_start <= start + timedelta(days=1),
            DigestRun.period_end >= end - timedelta(days=1),
        )
        .order_by(DigestRun.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def is_recipient(session: Session, team_id: str, reply_id: int, person_id: int) -> bool:
    stmt = select(ReplyRecipient.id).where(
        ReplyRecipient.team_id == team_id, ReplyRecipient.reply_id == reply_id, ReplyRecipient.person_id == person_id
    )
    return session.scalar(stmt) is not None


def mark_recipient_sent(
    session: Session, team_id: str, recipient_id: int, *, channel: str, ts: str, now: datetime
) -> None:
    recipient = session.scalar(
        select(ReplyRecipient).where(ReplyRecipient.team_id == team_id, ReplyRecipient.id == recipient_id)
    )
    if recipient is not None:
        recipient.sent_at, recipient.channel_id, recipient.message_ts = now, channel, ts


def ask_prompt_once(
    session: Session, team_id: str, *, reply_id: int, rep_id: int, channel: str, ts: str, now: datetime
) -> None:
    """The follow-up question's prompt row (kind "ask", state sent): open questions are tracked like prompts."""
    key = f"ask:{reply_id}:{rep_id}"
    insert_ignore(
        session,
        Prompt,
        {
            "team_id": team_id,
            "kind": "ask",
            "dedupe_key": key,
            "rep_id": rep_id,
            "reply_id": reply_id,
            "state": "sent",
            "due_at": now,
            "sent_at": now,
            "channel_id": channel,
            "message_ts": ts,
            "created_at": now,
        },
        ["team_id", "dedupe_key"],
    )


def mark_ask_answered(
    session: Session, team_id: str, *, reply_id: int, rep_id: int, note_id: int, now: datetime
) -> None:
    prompt = ask_prompt(session, team_id, reply_id, rep_id)
    if prompt is not None:
        prompt.state, prompt.answered_at, prompt.note_id = "answered", now, note_id
