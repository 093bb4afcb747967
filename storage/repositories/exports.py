"""Notes with their author, tags and answers, for the admin's CSV export; and one person's note history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Note, NoteAnswer, Person, Tag

__all__ = ["ExportRow", "author_label_counts", "author_note_times", "export_rows"]

BATCH = 500


@dataclass
class ExportRow:
    note: Note
    author_slack_id: str
    author_name: str
    tags: list[Tag] = field(default_factory=list)
    answers: list[NoteAnswer] = field(default_factory=list)


def export_rows(session: Session, team_id: str, *, since: datetime | None) -> Iterator[ExportRow]:
    """Every note of the workspace created at or after `since` (all when None), oldest first, in batches."""
    stmt = (
        select(Note, Person.slack_user_id, Person.name)
        .join(Person, Person.id == Note.author_id)
        .where(Note.team_id == team_id)
        .order_by(Note.created_at, Note.id)
    )
    if since is not None:
        stmt = stmt.where(Note.created_at >= since)
    batch: list[ExportRow] = []
    for note, slack_id, name in session.execute(stmt):
        batch.append(ExportRow(note, slack_id, name or ""))
        if len(batch) >= BATCH:
            yield from _filled(session, team_id, batch)
            batch = []
    if batch:
        yield from _filled(session, team_id, batch)


def _filled(session: Session, team_id: str, rows: Sequence[ExportRow]) -> list[ExportRow]:
    ids = [row.note.id for row in rows]
    tags: dict[int, list[Tag]] = defaultdict(list)
    for tag in session.scalars(
        select(Tag).where(Tag.team_id == team_id, Tag.note_id.in_(ids)).order_by(Tag.kind, Tag.label)
    ):
        tags[tag.note_id].append(tag)
    answers: dict[int, list[NoteAnswer]] = defaultdict(list)
    for answer in session.scalars(
        select(NoteAnswer).where(NoteAnswer.team_id == team_id, NoteAnswer.note_id.in_(ids)).order_by(NoteAnswer.id)
    ):
        answers[answer.note_id].append(answer)
    for row in rows:
        row.tags = tags.get(row.note.id, [])
        row.answers = answers.get(row.note.id, [])
    return list(rows)


def author_note_times(
    session: Session, team_id: str, author_id: int, *, since: datetime | None = None
) -> list[datetime]:
    stmt = select(Note.created_at).where(Note.team_id == team_id, Note.author_id == author_id)
    if since is not None:
        stmt = stmt.where(Note.created_at >= since)
    return list(session.scalars(stmt.order_by(Note.created_at)))


def author_label_counts(
    session: Session, team_id: str, author_id: int, *, limit: int = 5
) -> list[tuple[str, str, int]]:
    """(kind, label, notes) for the labels most often on this author's notes."""
    count = func.count(Tag.id)
    stmt = (
        select(Tag.kind, Tag.label, count)
        .join(Note, Note.id == Tag.note_id)
        .where(Tag.team_id == team_id, Note.team_id == team_id, Note.author_id == author_id)
        .group_by(Tag.kind, Tag.label)
        .order_by(count.desc(), Tag.label)
        .limit(limit)
    )
    return [(kind, label, int(n)) for kind, label, n in session.execute(stmt)]
