"""Tags of notes: read, added (each carrying its note's created_at, stage and outcome, which the digest counts
by), replaced and deleted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Note, Tag

__all__ = ["TagIn", "add_tags", "delete_tags", "in_count_order", "replace_tags", "tag_row", "tags_of"]


@dataclass(frozen=True)
class TagIn:
    kind: str
    label: str
    score: float
    source: str
    matched: str | None = None


def tags_of(session: Session, team_id: str, note_ids: Sequence[int]) -> dict[int, list[Tag]]:
    out: dict[int, list[Tag]] = {note_id: [] for note_id in note_ids}
    if not note_ids:
        return out
    rows = session.scalars(
        select(Tag).where(Tag.team_id == team_id, Tag.note_id.in_(note_ids)).order_by(Tag.kind, Tag.label)
    )
    for tag in rows:
        out[tag.note_id].append(tag)
    return out


def replace_tags(
    session: Session, team_id: str, note_id: int, tags: Iterable[TagIn], *, sources: Iterable[str] | None = None
) -> None:
    """Delete the note's tags of `sources` (all when None), then add `tags`; a tag already there stays."""
    stmt = delete(Tag).where(Tag.team_id == team_id, Tag.note_id == note_id)
    if sources is not None:
        stmt = stmt.where(Tag.source.in_(list(sources)))
    session.execute(stmt)
    tags = list(tags)
    if tags:
        # Tags carry their note's created_at (the digest counts by it).
        created_at = session.scalar(select(Note.created_at).where(Note.team_id == team_id, Note.id == note_id))
        assert created_at is not None
        add_tags(session, team_id, {note_id: (created_at, tags)})


def add_tags(session: Session, team_id: str, tags: Mapping[int, tuple[datetime, Iterable[TagIn]]]) -> None:
    """Add tags to many notes, given by note id with the note's created_at; one executemany, compiled once.
    Each tag carries its note's stage and outcome too (read here, one query for all the notes).

    A (kind, label) given twice for a note, or already on it, is added once: the first given wins.
    """
    unique_tags = {
        note_id: {(t.kind, t.label): t for t in reversed(list(note_tags))} for note_id, (_, note_tags) in tags.items()
    }
    wanted = [note_id for note_id, unique in unique_tags.items() if unique]
    if not wanted:
        return
    funnel = {
        note_id: (stage, outcome)
        for note_id, stage, outcome in session.execute(
            select(Note.id, Note.stage, Note.outcome).where(Note.team_id == team_id, Note.id.in_(wanted))
        )
    }
    rows: list[dict[str, Any]] = []
    for note_id in wanted:
        created_at = tags[note_id][0]
        stage, outcome = funnel.get(note_id, (None, None))
        rows.extend(
            tag_row(team_id, note_id, created_at, t, stage=stage, outcome=outcome)
            for t in reversed(unique_tags[note_id].values())
        )
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert_stmt = module.insert(Tag.__table__).on_conflict_do_nothing(index_elements=["note_id", "kind", "label"])
    session.execute(insert_stmt, in_count_order(rows))


def in_count_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tag rows in the order of the tag_day_counts rows their inserts lock (one statement each in an executemany):
    the order the triggers on tags lock them in too, so concurrent writers never deadlock on them."""
    return sorted(
        rows,
        key=lambda r: (
            r["team_id"],
            r["created_at"].astimezone(UTC).date(),
            r["kind"],
            r["label"],
            r["stage"] or "",
            r["outcome"] or "",
        ),
    )


def tag_row(
    team_id: str, note_id: int, created_at: datetime, t: TagIn, *, stage: str | None, outcome: str | None
) -> dict[str, Any]:
    """A tags row: the tag, with its note's created_at, stage and outcome (the digest counts by them)."""
    return {
        "team_id": team_id,
        "note_id": note_id,
        "kind": t.kind,
        "label": t.label,
        "score": t.score,
        "source": t.source,
        "matched": t.matched,
        "created_at": created_at,
        "stage": stage,
        "outcome": outcome,
    }


def delete_tags(
    session: Session,
    team_id: str,
    note_ids: Sequence[int],
    *,
    sources: Iterable[str],
    kinds: Iterable[str] | None = None,
) -> None:
    if note_ids:
        stmt = delete(Tag).where(Tag.team_id == team_id, Tag.note_id.in_(note_ids), Tag.source.in_(list(sources)))
        if kinds is not None:
            stmt = stmt.where(Tag.kind.in_(list(kinds)))
        session.execute(stmt)
