"""The aggregates a weekly digest is made of.

Every aggregate is one GROUP BY in the database over the notes of one workspace, so a week of
100,000 notes costs a handful of queries, never a loop over rows in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Note, Person, Prompt, Reply, Tag
from storage.repositories.day_counts import TagCount, tag_counts

__all__ = [
    "LabelTrend",
    "NoteFilter",
    "QuoteCandidate",
    "TagCount",
    "label_trends",
    "lost_objections",
    "lost_objections_of",
    "note_conditions",
    "note_stats",
    "note_texts",
    "outcome_counts",
    "outcome_stage_counts",
    "outcomes_of",
    "prompt_stats",
    "quote_candidates",
    "ranked",
    "reply_activity",
    "stages_of",
    "tag_counts",
    "trends_of",
]


# ---- --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoteFilter:
    """Narrow a digest to some notes: an outcome, an account, a set of reps (people ids), a stage, a segment."""

    outcome: str | None = None
    account: str | None = None
    author_ids: tuple[int, ...] = ()
    stage: str | None = None
    segment: str | None = None


@dataclass(frozen=True)
class LabelTrend:
    kind: str
    label: str
    weekly: tuple[int, ...]  # oldest week first; the last one is the period itself

    @property
    def count(self) -> int:
        return self.weekly[-1]

    @property
    def previous(self) -> int:
        return self.weekly[-2] if len(self.weekly) > 1 else 0

    @property
    def four_week_average(self) -> float:
        before = self.weekly[-5:-1]
        return sum(before) / 4 if before else 0.0


@dataclass(frozen=True)
class QuoteCandidate:
    kind: str
    label: str
    note_id: int
    text: str
    author_slack_id: str


def note_conditions(team_id: str, start: datetime, end: datetime, flt: NoteFilter | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Note.team_id == team_id, Note.created_at >= start, Note.created_at < end]
    if flt is not None:
        if flt.outcome:
            conditions.append(Note.outcome == flt.outcome)
        if flt.account:
            conditions.append(func.lower(Note.account) == flt.account.lower())
        if flt.author_ids:
            conditions.append(Note.author_id.in_(flt.author_ids))
        if flt.stage:
            conditions.append(Note.stage == flt.stage)
        if flt.segment:
            conditions.append(Note.segment == flt.segment)
    return conditions


def note_stats(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None
) -> tuple[int, int]:
    """(notes, distinct reporting reps) in [start, end)."""
    row = session.execute(
        select(func.count(Note.id), func.count(func.distinct(Note.author_id))).where(
            *note_conditions(team_id, start, end, flt)
        )
    ).one()
    return int(row[0]), int(row[1])


def prompt_stats(session: Session, team_id: str, start: datetime, end: datetime) -> tuple[int, int]:
    """(prompts sent in [start, end), how many of those were answered)."""
    row = session.execute(
        select(
            func.count(Prompt.id),
            func.coalesce(func.sum(case((Prompt.answered_at.is_not(None), 1), else_=0)), 0),
        ).where(Prompt.team_id == team_id, Prompt.sent_at >= start, Prompt.sent_at < end)
    ).one()
    return int(row[0]), int(row[1])


def outcome_counts(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None
) -> list[tuple[str, int]]:
    count = func.count(Note.id)
    rows = session.execute(
        select(Note.outcome, count)
        .where(*note_conditions(team_id, start, end, flt), Note.outcome.is_not(None))
        .group_by(Note.outcome)
        .order_by(count.desc(), Note.outcome)
    ).all()
    return [(str(outcome), int(n)) for outcome, n in rows]


def outcome_stage_counts(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None
) -> list[tuple[str | None, str | None, int]]:
    """(outcome, stage, notes) of the period, in one pass over the covering index of notes: outcome_counts and
    funnel_stats.stage_note_counts both follow from it (outcomes_of, stages_of)."""
    rows = session.execute(
        select(Note.outcome, Note.stage, func.count(Note.id))
        .where(*note_conditions(team_id, start, end, flt))
        .group_by(Note.outcome, Note.stage)
        .order_by(Note.outcome, Note.stage)
    ).all()
    return [(None if o is None else str(o), None if st is None else str(st), int(n)) for o, st, n in rows]


def outcomes_of(counts: Sequence[tuple[str | None, str | None, int]]) -> list[tuple[str, int]]:
    """outcome_counts from outcome_stage_counts: the most frequent first, ties in the database's order."""
    totals: dict[str, int] = {}
    for outcome, _stage, n in counts:
        if outcome is not None:
            totals[outcome] = totals.get(outcome, 0) + n
    return ranked(totals, len(totals))


def stages_of(counts: Sequence[tuple[str | None, str | None, int]]) -> dict[str | None, int]:
    """funnel_stats.stage_note_counts from outcome_stage_counts."""
    totals: dict[str | None, int] = {}
    for _outcome, stage, n in counts:
        totals[stage] = totals.get(stage, 0) + n
    return totals


def label_trends(
    session: Session, team_id: str, edges: Sequence[datetime], flt: NoteFilter | None = None
) -> list[LabelTrend]:
    """Tag counts per (kind, label) in each week [edges[i], edges[i+1]), in one statement.

    Every tag row counts: human tags already replaced the others on a corrected note. Without a
    filter this reads only the index tags(team_id, created_at, kind, label) (tags carry their note's
    created_at); with one it joins the notes it must look at, one SUM(CASE) per week.
    """
    if len(edges) < 2:
        raise ValueError("need at least two edges")
    if flt is None:
        return trends_of(tag_counts(session, team_id, edges, detailed=0), len(edges) - 1)
    stmt = (
        select(Tag.kind, Tag.label)
        .join(Note, Note.id == Tag.note_id)
        .where(*note_conditions(team_id, edges[0], edges[-1], flt), Tag.team_id == team_id)
    )
    sums = [
        func.sum(case((and_(Note.created_at >= lo, Note.created_at < hi), 1), else_=0)) for lo, hi in pairwise(edges)
    ]
    rows = session.execute(stmt.add_columns(*sums).group_by(Tag.kind, Tag.label)).all()
    return [LabelTrend(str(row[0]), str(row[1]), tuple(int(n or 0) for n in row[2:])) for row in rows]


def trends_of(counts: Sequence[TagCount], weeks: int) -> list[LabelTrend]:
    """The weekly series of each (kind, label) in `counts` (of `weeks` weeks), whatever their stages and outcomes."""
    series: dict[tuple[str, str], list[int]] = {}
    for c in counts:
        series.setdefault((c.kind, c.label), [0] * weeks)[c.week] += c.count
    return [LabelTrend(kind, label, tuple(weekly)) for (kind, label), weekly in series.items()]


def ranked(totals: dict[str, int], limit: int) -> list[tuple[str, int]]:
    """The `limit` largest of `totals`, ties in their order in the dict (the database's order of labels)."""
    return sorted(totals.items(), key=lambda item: -item[1])[:limit]


def lost_objections_of(counts: Sequence[TagCount], week: int, limit: int = 10) -> list[tuple[str, int]]:
    """lost_objections from tag_counts detailed for `week`: objections of notes whose outcome is lost."""
    totals: dict[str, int] = {}
    for c in counts:
        if c.week == week and c.kind == "objection" and c.outcome == "lost":
            totals[c.label] = totals.get(c.label, 0) + c.count
    return ranked(totals, limit)


def reply_activity(
    session: Session, team_id: str, start: datetime, end: datetime, since: datetime
) -> tuple[int, set[tuple[str, str]], set[tuple[str, str]]]:
    """Replies (kind 'reply'): how many were made in [start, end), the (kind, label)s they answered,
    and the (kind, label)s answered at or after `since`. The digest's loop line from these and its own
    weekly counts equals storage.repositories.replies.loop_stats, without counting the weeks again.
    """
    rows = session.execute(
        select(Reply.tag_kind, Reply.tag_label, Reply.created_at).where(
            Reply.team_id == team_id, Reply.kind == "reply", Reply.created_at >= min(start, since)
        )
    ).all()
    in_period = [(str(k), str(label)) for k, label, at in rows if start <= at < end]
    return len(in_period), set(in_period), {(str(k), str(label)) for k, label, at in rows if at >= since}


def lost_objections(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 10
) -> list[tuple[str, int]]:
    count = func.count(Tag.id)
    rows = session.execute(
        select(Tag.label, count)
        .join(Note, Note.id == Tag.note_id)
        .where(
            *note_conditions(team_id, start, end, flt),
            Tag.team_id == team_id,
            Tag.kind == "objection",
            Note.outcome == "lost",
        )
        .group_by(Tag.label)
        .order_by(count.desc(), Tag.label)
        .limit(limit)
    ).all()
    return [(str(label), int(n)) for label, n in rows]


def quote_candidates(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    labels: Sequence[tuple[str, str]],
    *,
    per_label: int = 3,
    min_chars: int = 40,
    max_chars: int = 400,
    flt: NoteFilter | None = None,
    pool_size: int = 5000,
) -> list[QuoteCandidate]:
    """A few notes per (kind, label), shortest reasonable first, ranked in the database.

    Candidates come from the latest `pool_size` notes of the period: plenty to find good quotes,
    and a bounded cost in a week of 100,000 notes.
    """
    if not labels:
        return []
    latest = (
        select(Note.id, Note.created_at)
        .where(*note_conditions(team_id, start, end, flt))
        .order_by(Note.created_at.desc())
        .limit(pool_size)
        .subquery()
    )
    pool = select(latest.c.id).scalar_subquery()
    # Tags carry their note's created_at: bounding them by the pool's oldest note lets the database read only
    # the pool's tags from the (team_id, created_at, kind, label, ...) index instead of every note's.
    oldest = select(func.min(latest.c.created_at)).scalar_subquery()
    length = func.length(Note.text)
    rank = func.row_number().over(partition_by=(Tag.kind, Tag.label), order_by=(length, Note.id)).label("rank")
    wanted = [and_(Tag.kind == kind, Tag.label == label) for kind, label in labels]
    inner = (
        select(Tag.kind, Tag.label, Note.id.label("note_id"), Note.text, Person.slack_user_id, rank)
        .join(Note, Note.id == Tag.note_id)
        .join(Person, Person.id == Note.author_id)
        .where(
            *note_conditions(team_id, start, end, flt),
            Tag.team_id == team_id,
            Tag.created_at >= oldest,
            Tag.created_at < end,
            or_(*wanted),
            Note.id.in_(pool),
            length >= min_chars,
            length <= max_chars,
        )
        .subquery()
    )
    rows = session.execute(
        select(inner.c.kind, inner.c.label, inner.c.note_id, inner.c.text, inner.c.slack_user_id)
        .where(inner.c.rank <= per_label)
        .order_by(inner.c.kind, inner.c.label, inner.c.rank)
    ).all()
    return [QuoteCandidate(str(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4])) for r in rows]


def note_texts(
    session: Session, team_id: str, start: datetime, end: datetime, *, limit: int, flt: NoteFilter | None = None
) -> list[str]:
    """The latest `limit` note texts of the period (a sample for emerging terms)."""
    return list(
        session.scalars(
            select(Note.text)
            .where(*note_conditions(team_id, start, end, flt))
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(limit)
        )
    )
