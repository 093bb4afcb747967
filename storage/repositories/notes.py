"""Notes, their answers and their tags (storage.repositories.tags writes and reads tags; its functions are
here too)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import DateTime, Table, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Note, NoteAnswer, Tag
from storage.repositories.tags import TagIn, add_tags, delete_tags, in_count_order, replace_tags, tag_row, tags_of

__all__ = [
    "AnswerIn",
    "NoteIn",
    "StoredNote",
    "TagIn",
    "add_tags",
    "bulk_add_tagged",
    "by_key",
    "claim_tagging",
    "corrected_counts",
    "count_by_author_between",
    "create_many",
    "create_once",
    "delete_tags",
    "get",
    "get_many",
    "human_tagged",
    "mark_corrected",
    "recent_by_author",
    "replace_tags",
    "tags_of",
    "untagged",
    "untagged_since",
]


@dataclass(frozen=True)
class AnswerIn:
    key: str
    label: str
    value: Any


@dataclass(frozen=True)
class StoredNote:
    """The columns of a stored note that storing it gives back (what its answer to the rep shows)."""

    id: int
    dedupe_key: str | None
    account: str | None
    outcome: str | None
    text: str
    created_at: datetime


_NOTES = cast(Table, Note.__table__)
_STORED = (_NOTES.c.id, _NOTES.c.dedupe_key, _NOTES.c.account, _NOTES.c.outcome, _NOTES.c.text, _NOTES.c.created_at)
# Core, not the ORM: the ORM's bulk INSERT ... RETURNING of entities keys and compiles its statement again on every
# call and builds an entity per row (measured: about a sixth of the ack path's GIL time under bench-ack).
_INSERT_ANSWERS = insert(cast(Table, NoteAnswer.__table__))
_INSERT_ONCE_SQLITE = (
    sqlite.insert(_NOTES).on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"]).returning(*_STORED)
)
# PostgreSQL: the new notes go as one array per column, unnested into rows. A multi-row VALUES (what SQLAlchemy makes
# of an executemany with RETURNING) is a new statement text for every number of notes, and psycopg parses one longer
# than 4 KB again on every call (measured: a seventh of the serving process's GIL time under bench-ingest); this one
# text is parsed once.
_ROW_COLUMNS = (
    "team_id",
    "author_id",
    "source",
    "dedupe_key",
    "text",
    "account",
    "outcome",
    "helped",
    "worked",
    "stage",
    "segment",
    "call_id",
    "reply_id",
    "created_at",
)
_UNNESTED = (
    func.unnest(
        *(
            bindparam(
                name,
                type_=postgresql.ARRAY(DateTime(timezone=True) if name == "created_at" else _NOTES.c[name].type),
            )
            for name in _ROW_COLUMNS
        )
    )
    .table_valued(*_ROW_COLUMNS)
    .render_derived(name="new_notes")
)
_INSERT_ONCE_PG = (
    postgresql.insert(_NOTES)
    .from_select(list(_ROW_COLUMNS), select(*(_UNNESTED.c[name] for name in _ROW_COLUMNS)))
    .on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"])
    .returning(*_STORED)
)


@dataclass(frozen=True)
class NoteIn:
    """A note to store once per `dedupe_key`, with its answers."""

    team_id: str
    author_id: int
    source: str
    dedupe_key: str
    text: str
    created_at: datetime
    account: str | None = None
    outcome: str | None = None
    helped: str | None = None
    call_id: int | None = None
    reply_id: int | None = None
    answers: Sequence[AnswerIn] = ()
    worked: str | None = None
    stage: str | None = None
    segment: str | None = None

    def row(self) -> dict[str, Any]:
        return {
            "team_id": self.team_id,
            "author_id": self.author_id,
            "source": self.source,
            "dedupe_key": self.dedupe_key,
            "text": self.text,
            "account": self.account,
            "outcome": self.outcome,
            "helped": self.helped,
            "worked": self.worked,
            "stage": self.stage,
            "segment": self.segment,
            "call_id": self.call_id,
            "reply_id": self.reply_id,
            "created_at": self.created_at,
        }


def create_many(session: Session, team_id: str, new: Sequence[NoteIn]) -> list[tuple[StoredNote, bool]]:
    """For each of `new`, in order: the note and True, or the note stored earlier under its dedupe key (by an
    earlier call, or earlier in `new`) and False, with its answers left untouched.

    A few statements however many notes: one INSERT ... ON CONFLICT DO NOTHING RETURNING for the notes, one
    for all their answers, and one SELECT for the notes that were there already.
    """
    first: dict[str, NoteIn] = {}
    for n in new:
        if n.team_id != team_id:
            raise ValueError(f"a note of {n.team_id} given for {team_id}")
        first.setdefault(n.dedupe_key, n)
    # The values go as parameters of a statement built once, which spares SQLAlchemy coercing and keying them on
    # every call.
    values = [n.row() for n in first.values()]
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(_INSERT_ONCE_PG, {name: [v[name] for v in values] for name in _ROW_COLUMNS})
    else:
        rows = session.execute(_INSERT_ONCE_SQLITE, values)
    inserted = {note.dedupe_key: note for note in (StoredNote(*row) for row in rows)}
    earlier = [key for key in first if key not in inserted]
    found = {note.dedupe_key: note for note in _by_keys(session, team_id, earlier)} if earlier else {}
    _add_answers(session, team_id, {inserted[key].id: n.answers for key, n in first.items() if key in inserted})
    out = []
    for n in new:
        note = inserted.get(n.dedupe_key)
        if note is not None and first[n.dedupe_key] is n:
            out.append((note, True))
        else:
            out.append((note or found[n.dedupe_key], False))
    return out


def create_once(
    session: Session,
    *,
    team_id: str,
    author_id: int,
    source: str,
    dedupe_key: str | None,
    text: str,
    now: datetime,
    account: str | None = None,
    outcome: str | None = None,
    helped: str | None = None,
    call_id: int | None = None,
    reply_id: int | None = None,
    answers: Iterable[AnswerIn] = (),
) -> tuple[StoredNote, bool]:
    """The note and True, or the note stored earlier under `dedupe_key` and False (answers left untouched).
    Without a dedupe key, always a new note."""
    fields: dict[str, Any] = {
        "team_id": team_id,
        "author_id": author_id,
        "source": source,
        "text": text,
        "account": account,
        "outcome": outcome,
        "helped": helped,
        "call_id": call_id,
        "reply_id": reply_id,
    }
    if dedupe_key is not None:
        return create_many(
            session, team_id, [NoteIn(dedupe_key=dedupe_key, created_at=now, answers=tuple(answers), **fields)]
        )[0]
    note = Note(dedupe_key=None, created_at=now, **fields)
    session.add(note)
    session.flush()
    _add_answers(session, team_id, {note.id: answers})
    return StoredNote(note.id, note.dedupe_key, note.account, note.outcome, note.text, note.created_at), True


def _add_answers(session: Session, team_id: str, answers: Mapping[int, Iterable[AnswerIn]]) -> None:
    """Insert the answers of new notes, given by note id: one executemany of a Core statement built once (the ORM's
    bulk insert walks each row through its unit of work first)."""
    rows = [
        {"team_id": team_id, "note_id": note_id, "question_key": a.key, "label": a.label, "value": a.value}
        for note_id, note_answers in answers.items()
        for a in note_answers
    ]
    if rows:
        session.execute(_INSERT_ANSWERS, rows)


def _by_keys(session: Session, team_id: str, dedupe_keys: Sequence[str]) -> list[StoredNote]:
    found = session.execute(select(*_STORED).where(_NOTES.c.team_id == team_id, _NOTES.c.dedupe_key.in_(dedupe_keys)))
    return [StoredNote(*row) for row in found]


def by_key(session: Session, team_id: str, dedupe_key: str) -> Note | None:
    return session.scalar(select(Note).where(Note.team_id == team_id, Note.dedupe_key == dedupe_key))


def get(session: Session, team_id: str, note_id: int) -> Note | None:
    return session.scalar(select(Note).where(Note.team_id == team_id, Note.id == note_id))


def untagged(session: Session, team_id: str, note_ids: Sequence[int]) -> dict[int, str]:
    """Text by id of those of `note_ids` not tagged yet."""
    rows = session.execute(
        select(Note.id, Note.text).where(Note.team_id == team_id, Note.id.in_(note_ids), Note.tagged_at.is_(None))
    )
    return {note_id: text for note_id, text in rows}


def untagged_since(session: Session, before: datetime, *, limit: int) -> list[tuple[str, int]]:
    """(team_id, note id) of notes created before `before` and never tagged, oldest first."""
    rows = session.execute(
        select(Note.team_id, Note.id)
        .where(Note.tagged_at.is_(None), Note.created_at < before)
        .order_by(Note.created_at, Note.id)
        .limit(limit)
    )
    return [(team_id, note_id) for team_id, note_id in rows]


def claim_tagging(session: Session, team_id: str, note_ids: Sequence[int], *, now: datetime) -> dict[int, datetime]:
    """Mark the untagged ones of `note_ids` as tagged now: their created_at by id. Each note is claimed by one
    caller only (tagged_at was empty), so concurrent taggers never both tag a note."""
    if not note_ids:
        return {}
    rows = session.execute(
        update(Note)
        .where(Note.team_id == team_id, Note.id.in_(note_ids), Note.tagged_at.is_(None))
        .values(tagged_at=now)
        .returning(Note.id, Note.created_at)
        .execution_options(synchronize_session=False)
    )
    return {note_id: created_at for note_id, created_at in rows}


def get_many(session: Session, team_id: str, note_ids: Sequence[int]) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.team_id == team_id, Note.id.in_(note_ids))))


def mark_corrected(session: Session, team_id: str, note_id: int, *, now: datetime) -> None:
    """Record that a person corrected the note's tags (the first time counts)."""
    session.execute(
        update(Note)
        .where(Note.team_id == team_id, Note.id == note_id, Note.corrected_at.is_(None))
        .values(corrected_at=now)
        .execution_options(synchronize_session=False)
    )


def corrected_counts(session: Session, team_id: str, since: datetime) -> tuple[int, int]:
    """(corrected, all) of the workspace's notes created since `since`."""
    corrected, total = session.execute(
        select(func.count(Note.corrected_at), func.count(Note.id)).where(
            Note.team_id == team_id, Note.created_at >= since
        )
    ).one()
    return int(corrected or 0), int(total or 0)


def recent_by_author(session: Session, team_id: str, author_id: int, *, limit: int = 5) -> list[Note]:
    return list(
        session.scalars(
            select(Note)
            .where(Note.team_id == team_id, Note.author_id == author_id)
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(limit)
        )
    )


def count_by_author_between(session: Session, team_id: str, author_id: int, start: datetime, end: datetime) -> int:
    return int(
        session.scalar(
            select(func.count(Note.id)).where(
                Note.team_id == team_id, Note.author_id == author_id, Note.created_at >= start, Note.created_at < end
            )
        )
        or 0
    )


def human_tagged(session: Session, team_id: str) -> list[tuple[Note, list[Tag]]]:
    """Notes a person tagged, with all their tags, oldest first: those with a human tag that were corrected
    (*Fix tags*, or a candidate tag confirmed, which keeps the tags the rep was shown and did not fix) or whose
    tags are all human. A note with no tag left is not among them."""
    human = select(Tag.note_id).where(Tag.team_id == team_id, Tag.source == "human")
    machine = select(Tag.note_id).where(Tag.team_id == team_id, Tag.source != "human")
    notes = list(
        session.scalars(
            select(Note)
            .where(
                Note.team_id == team_id,
                Note.id.in_(human),
                or_(Note.corrected_at.is_not(None), Note.id.not_in(machine)),
            )
            .order_by(Note.created_at, Note.id)
        )
    )
    tags = tags_of(session, team_id, [n.id for n in notes])
    return [(note, tags[note.id]) for note in notes]


def bulk_add_tagged(session: Session, notes: Sequence[dict[str, Any]], tags: Sequence[Sequence[TagIn]]) -> list[int]:
    """Insert many notes (column dicts) with their tags, two statements in all; the new ids in order.

    For bulk loads (the demo); notes from Slack go through `create_many`, which de-duplicates.
    """
    if not notes:
        return []
    ids = list(session.scalars(insert(Note).returning(Note.id, sort_by_parameter_order=True), list(notes)))
    rows = [
        tag_row(note["team_id"], note_id, note["created_at"], t, stage=note.get("stage"), outcome=note.get("outcome"))
        for note, note_id, note_tags in zip(notes, ids, tags, strict=True)
        for t in note_tags
    ]
    if rows:
        session.execute(insert(Tag), in_count_order(rows))
    return ids
