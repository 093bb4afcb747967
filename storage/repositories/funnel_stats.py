"""The funnel's aggregates: where in the deal a label comes up, what wins, and the notes behind a count.

Like the digest's, each is one GROUP BY in the database over one workspace's notes of a period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Note, Person, Tag
from storage.repositories.digests import NoteFilter, note_conditions

__all__ = [
    "NotePage",
    "StageLabelCount",
    "notes_behind",
    "segment_values",
    "stage_label_counts",
    "stage_note_counts",
    "won_label_counts",
    "won_quote_texts",
    "worked_requests",
]

FUNNEL_KINDS = ("theme", "objection")


@dataclass(frozen=True)
class StageLabelCount:
    stage: str
    kind: str
    label: str
    count: int  # in the period
    before: int  # in the comparison period before it


def stage_label_counts(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    *,
    before: datetime,
    flt: NoteFilter | None = None,
) -> list[StageLabelCount]:
    """Theme and objection tags by the stage of their note, in [start, end) and in [before, start)."""
    in_period = func.sum(case((Tag.created_at >= start, 1), else_=0))
    rows = session.execute(
        select(Note.stage, Tag.kind, Tag.label, in_period, func.count())
        .join(Note, Note.id == Tag.note_id)
        .where(
            Tag.team_id == team_id,
            Tag.created_at >= before,
            Tag.created_at < end,
            Tag.kind.in_(FUNNEL_KINDS),
            *note_conditions(team_id, before, end, flt),
            Note.stage.is_not(None),
        )
        .group_by(Note.stage, Tag.kind, Tag.label)
    ).all()
    return [
        StageLabelCount(str(st), str(k), str(lb), int(now or 0), int(n) - int(now or 0)) for st, k, lb, now, n in rows
    ]


def stage_note_counts(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None
) -> dict[str | None, int]:
    """Notes of the period by stage (None: no stage known)."""
    rows = session.execute(
        select(Note.stage, func.count()).where(*note_conditions(team_id, start, end, flt)).group_by(Note.stage)
    ).all()
    return {stage: int(n) for stage, n in rows}


def _won() -> ColumnElement[bool]:
    return or_(Note.outcome == "won", Note.stage == "closed won")


def won_label_counts(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 5
) -> list[tuple[str, int]]:
    """Themes of won deals (outcome won, or stage closed won), the most frequent first."""
    count = func.count(Tag.id)
    rows = session.execute(
        select(Tag.label, count)
        .join(Note, Note.id == Tag.note_id)
        .where(*note_conditions(team_id, start, end, flt), Tag.team_id == team_id, Tag.kind == "theme", _won())
        .group_by(Tag.label)
        .order_by(count.desc(), Tag.label)
        .limit(limit)
    ).all()
    return [(str(label), int(n)) for label, n in rows]


def won_quote_texts(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 20
) -> list[tuple[int, str, str]]:
    """(note id, text, author's Slack id) of the latest won-deal notes of a reasonable length: quote candidates."""
    length = func.length(Note.text)
    rows = session.execute(
        select(Note.id, Note.text, Person.slack_user_id)
        .join(Person, Person.id == Note.author_id)
        .where(*note_conditions(team_id, start, end, flt), _won(), length >= 40, length <= 400)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(limit)
    ).all()
    return [(int(i), str(t), str(u)) for i, t, u in rows]


def worked_requests(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 5
) -> tuple[int, list[tuple[str, int]]]:
    """(notes saying what helped, the most frequent answers as (text, count)), in one pass."""
    conditions = [*note_conditions(team_id, start, end, flt), Note.worked.is_not(None), func.trim(Note.worked) != ""]
    key = func.lower(func.trim(Note.worked))
    count = func.count(Note.id)
    rows = session.execute(
        select(func.min(Note.worked), count, func.sum(count).over())
        .where(*conditions)
        .group_by(key)
        .order_by(count.desc(), key)
        .limit(limit)
    ).all()
    total = int(rows[0][2]) if rows else 0
    return total, [(str(text).strip(), int(n)) for text, n, _ in rows]


# ---- drill-down --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NotePage:
    total: int
    notes: list[tuple[Note, str]]  # (note, author's Slack id), newest first


def notes_behind(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    *,
    kind: str | None,
    label: str | None,
    flt: NoteFilter | None = None,
    offset: int = 0,
    limit: int = 10,
) -> NotePage:
    """The notes a digest line counts (tagged `kind`/`label` in the period, or every note of the period when no
    label is given), newest first, one page of them, and how many there are."""
    conditions = note_conditions(team_id, start, end, flt)
    if kind and label:
        tagged = select(Tag.note_id).where(Tag.team_id == team_id, Tag.kind == kind, Tag.label == label)
        conditions.append(Note.id.in_(tagged))
    total = int(session.scalar(select(func.count(Note.id)).where(*conditions)) or 0)
    rows = session.execute(
        select(Note, Person.slack_user_id)
        .join(Person, Person.id == Note.author_id)
        .where(*conditions)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return NotePage(total, [(note, str(user)) for note, user in rows])


def segment_values(session: Session, team_id: str, start: datetime, end: datetime, limit: int = 99) -> list[str]:
    """The segments notes of the period carry, most notes first (options of the drill-down's filter)."""
    count = func.count()
    rows = session.scalars(
        select(Note.segment)
        .where(*note_conditions(team_id, start, end, None), Note.segment.is_not(None))
        .group_by(Note.segment)
        .order_by(count.desc(), Note.segment)
        .limit(limit)
    )
    return [str(s) for s in rows]
