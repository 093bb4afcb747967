"""The funnel's aggregates: where in the deal a label comes up, what wins, and the notes behind a count.

Like the digest's, each is one GROUP BY in the database over one workspace's notes of a period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Note, Person, Tag
from storage.repositories.answer_stats import answer_counts
from storage.repositories.digest_stats import NoteFilter, TagCount, note_conditions, ranked

__all__ = [
    "AccountSummary",
    "NotePage",
    "StageLabelCount",
    "account_names",
    "account_summary",
    "label_breakdown",
    "notes_behind",
    "segment_values",
    "stage_label_counts",
    "stage_label_counts_of",
    "stage_note_counts",
    "won_label_counts",
    "won_label_counts_of",
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


def stage_label_counts_of(counts: Sequence[TagCount], week: int) -> list[StageLabelCount]:
    """stage_label_counts from digest_stats.tag_counts detailed for `week` (the period) and the week before it
    (the comparison period), without another pass over the tags."""
    found: dict[tuple[str, str, str], list[int]] = {}
    for c in counts:
        if c.stage is not None and c.kind in FUNNEL_KINDS and c.week in (week, week - 1):
            found.setdefault((c.stage, c.kind, c.label), [0, 0])[0 if c.week == week else 1] += c.count
    return [StageLabelCount(st, k, lb, now, was) for (st, k, lb), (now, was) in sorted(found.items())]


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


def won_label_counts_of(counts: Sequence[TagCount], week: int, limit: int = 5) -> list[tuple[str, int]]:
    """won_label_counts from digest_stats.tag_counts detailed for `week`."""
    totals: dict[str, int] = {}
    for c in counts:
        if c.week == week and c.kind == "theme" and (c.outcome == "won" or c.stage == "closed won"):
            totals[c.label] = totals.get(c.label, 0) + c.count
    return ranked(totals, limit)


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
    return answer_counts(session, team_id, start, end, Note.worked, flt, limit)


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


# ---- accounts and labels across the funnel -------------------------------------------------------------
def account_names(session: Session, team_id: str, limit: int = 5000) -> list[str]:
    """Every account name known: from the webhook (accounts) and from notes, the most recent notes' first."""
    from storage.models import Account

    named = list(session.scalars(select(Account.name).where(Account.team_id == team_id).limit(limit)))
    latest = func.max(Note.created_at)
    from_notes = session.scalars(
        select(Note.account)
        .where(Note.team_id == team_id, Note.account.is_not(None))
        .group_by(Note.account)
        .order_by(latest.desc())
        .limit(limit)
    )
    return list(dict.fromkeys([*named, *(str(n) for n in from_notes)]))


@dataclass(frozen=True)
class AccountSummary:
    notes: int
    first: datetime | None
    last: datetime | None
    stages: tuple[tuple[str, int], ...]
    labels: dict[str, tuple[tuple[str, int], ...]]
    recent: tuple[tuple[datetime, str | None, str, str], ...]
    reps: tuple[str, ...]


def account_summary(session: Session, team_id: str, name: str, *, recent: int = 3, top: int = 5) -> AccountSummary:
    """One account's notes (its name compared without case), all time: counts, stages, labels, latest, reps."""
    mine = [Note.team_id == team_id, func.lower(Note.account) == name.lower()]
    notes, first, last = session.execute(
        select(func.count(Note.id), func.min(Note.created_at), func.max(Note.created_at)).where(*mine)
    ).one()
    stages = session.execute(
        select(Note.stage, func.count()).where(*mine, Note.stage.is_not(None)).group_by(Note.stage)
    ).all()
    count = func.count(Tag.id)
    label_rows = session.execute(
        select(Tag.kind, Tag.label, count)
        .join(Note, Note.id == Tag.note_id)
        .where(*mine, Tag.team_id == team_id)
        .group_by(Tag.kind, Tag.label)
        .order_by(count.desc(), Tag.label)
    ).all()
    labels: dict[str, list[tuple[str, int]]] = {}
    for kind, label, n in label_rows:
        bucket = labels.setdefault(str(kind), [])
        if len(bucket) < top:
            bucket.append((str(label), int(n)))
    latest = session.execute(
        select(Note.created_at, Note.stage, Note.text, Person.slack_user_id)
        .join(Person, Person.id == Note.author_id)
        .where(*mine)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(recent)
    ).all()
    by_rep = func.count(Note.id)
    reps = session.scalars(
        select(Person.slack_user_id)
        .join(Note, Note.author_id == Person.id)
        .where(*mine)
        .group_by(Person.slack_user_id)
        .order_by(by_rep.desc(), Person.slack_user_id)
        .limit(10)
    )
    return AccountSummary(
        notes=int(notes),
        first=first,
        last=last,
        stages=tuple((str(s), int(n)) for s, n in stages),
        labels={kind: tuple(items) for kind, items in labels.items()},
        recent=tuple((at, stage, str(text), str(user)) for at, stage, text, user in latest),
        reps=tuple(str(r) for r in reps),
    )


def label_breakdown(
    session: Session, team_id: str, start: datetime, end: datetime, kind: str, label: str
) -> tuple[dict[str | None, int], dict[str | None, int], int]:
    """Notes tagged `kind`/`label` in [start, end): by stage, by segment, and in all."""
    tagged = select(Tag.note_id).where(
        Tag.team_id == team_id, Tag.kind == kind, Tag.label == label, Tag.created_at >= start, Tag.created_at < end
    )
    conditions = [*note_conditions(team_id, start, end, None), Note.id.in_(tagged)]
    by_stage = session.execute(select(Note.stage, func.count()).where(*conditions).group_by(Note.stage)).all()
    by_segment = session.execute(select(Note.segment, func.count()).where(*conditions).group_by(Note.segment)).all()
    total = sum(int(n) for _, n in by_stage)
    return {s: int(n) for s, n in by_stage}, {s: int(n) for s, n in by_segment}, total
