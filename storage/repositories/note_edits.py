"""Changing or removing a stored note as its author edits or deletes the message it came from."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from storage.models import Note, NoteAnswer, Tag, VendorMention
from storage.repositories.notes import AnswerIn

__all__ = ["delete_note", "replace_text"]


def replace_text(
    session: Session, team_id: str, note_id: int, *, text: str, account: str | None, answers: Sequence[AnswerIn]
) -> bool:
    """New text (and account) for the note, its answers with those keys replaced, and its machine tags and vendor
    mentions dropped with `tagged_at` cleared, so the tagger tags it again. Human tags stay. False when the note
    is gone."""
    result = session.execute(
        update(Note)
        .where(Note.team_id == team_id, Note.id == note_id)
        .values(text=text, account=account, tagged_at=None)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    keys = [a.key for a in answers]
    session.execute(
        delete(NoteAnswer).where(
            NoteAnswer.team_id == team_id, NoteAnswer.note_id == note_id, NoteAnswer.question_key.in_(keys)
        )
    )
    session.add_all(
        NoteAnswer(team_id=team_id, note_id=note_id, question_key=a.key, label=a.label, value=a.value)
        for a in answers
        if a.value not in (None, "", [])
    )
    session.execute(
        delete(Tag).where(Tag.team_id == team_id, Tag.note_id == note_id, Tag.source.in_(("rule", "model")))
    )
    session.execute(delete(VendorMention).where(VendorMention.team_id == team_id, VendorMention.note_id == note_id))
    return True


def delete_note(session: Session, team_id: str, note_id: int) -> bool:
    """Remove the note with its answers and tags (the foreign keys cascade); False when it was gone already."""
    result = session.execute(
        delete(Note).where(Note.team_id == team_id, Note.id == note_id).execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
