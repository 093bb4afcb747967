"""Notes put straight into the database, for tests of what reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import Note, Person, Tag

__all__ = ["seed_note"]


def seed_note(
    session: Session,
    team_id: str,
    author: Person,
    at: datetime,
    tags: list[tuple[str, str]],
    text: str = "a note",
    **columns: Any,
) -> Note:
    """A note with `rule` tags, straight into the session; `columns` sets any other column of the note."""
    note = Note(team_id=team_id, author_id=author.id, source="command", text=text, created_at=at, **columns)
    session.add(note)
    session.flush()
    for kind, label in tags:
        session.add(Tag(team_id=team_id, note_id=note.id, kind=kind, label=label, score=1.0, source="rule"))
    session.flush()
    return note
