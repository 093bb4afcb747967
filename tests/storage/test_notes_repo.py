"""notes.create_many: many notes in a few statements, each stored once per dedupe key, answers with the new ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Note, NoteAnswer
from storage.repositories import notes, people
from storage.repositories.notes import AnswerIn, NoteIn

T = "T0001"
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _note(factory: sessionmaker[Session], key: str, text: str, *answers: AnswerIn) -> NoteIn:
    with factory() as session:
        author = people.ensure(session, T, "UREP1")
    return NoteIn(
        team_id=T, author_id=author.id, source="modal", dedupe_key=key, text=text, created_at=NOW, answers=answers
    )


def test_create_many_stores_new_notes_once_and_gives_back_the_earlier_ones(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        [(earlier, created)] = notes.create_many(session, T, [_note(factory, "view:A", "first words")])
        assert created
    batch = [
        _note(factory, "view:B", "pricing", AnswerIn("said", "What the customer said", "pricing")),
        _note(factory, "view:A", "a resubmission", AnswerIn("said", "What the customer said", "ignored")),
        _note(factory, "view:C", "Gong", AnswerIn("account", "Account", "Acme"), AnswerIn("said", "Said", "Gong")),
        _note(factory, "view:B", "the same view twice in one batch"),
    ]
    with factory.begin() as session:
        out = notes.create_many(session, T, batch)
    assert [(note.dedupe_key, created) for note, created in out] == [
        ("view:B", True),
        ("view:A", False),
        ("view:C", True),
        ("view:B", False),
    ]
    assert out[1][0].id == earlier.id and out[1][0].text == "first words"  # the stored note, untouched
    assert out[3][0].id == out[0][0].id
    with factory() as session:
        stored = {n.dedupe_key: n for n in session.scalars(select(Note))}
        answers = session.execute(select(NoteAnswer.note_id, NoteAnswer.question_key, NoteAnswer.value)).all()
    assert sorted(stored) == ["view:A", "view:B", "view:C"]
    assert stored["view:B"].text == "pricing"
    assert sorted(answers) == sorted(
        [
            (stored["view:B"].id, "said", "pricing"),
            (stored["view:C"].id, "account", "Acme"),
            (stored["view:C"].id, "said", "Gong"),
        ]
    )


def test_create_many_refuses_a_note_of_another_workspace(factory: sessionmaker[Session]) -> None:
    other = _note(factory, "view:X", "text")
    other = NoteIn(**{**other.__dict__, "team_id": "T0002"})
    with factory.begin() as session, pytest.raises(ValueError, match="T0002"):
        notes.create_many(session, T, [other])
