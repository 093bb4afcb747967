"""Counts read from the stored daily counts (tag_day_counts, tag_day_labels, note_day_counts: kept by triggers,
see storage.models): a week of 100,000 notes costs some thousands of rows, not a pass over every note and tag.

Their days are UTC days. A period whose edges are not at UTC midnight (a schedule in another time zone, a rolling
week) takes its whole days from the stored counts and its first and last part-days from the notes or tags
themselves, so every count is exactly the count of the rows between its edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import delete, func, insert, literal, literal_column, null, select, text, union_all
from sqlalchemy.orm import Session

from storage.models import Note, NoteDayCount, Tag, TagDayCount, TagDayLabel

__all__ = ["NoteCounts", "TagCount", "note_counts", "recount", "tag_counts", "whole_days"]


@dataclass(frozen=True)
class TagCount:
    """Tags of one (kind, label) in week `week` (an index into the weeks counted, oldest first); in the weeks
    counted in detail, of notes at one stage with one outcome too (None: the note has none, or not detailed)."""

    week: int
    kind: str
    label: str
    stage: str | None
    outcome: str | None
    count: int


def tag_counts(session: Session, team_id: str, edges: Sequence[datetime], *, detailed: int = 0) -> list[TagCount]:
    """Tag counts per (kind, label) in each week [edges[i], edges[i+1]), and in the last `detailed` weeks per
    stage and outcome of their notes too, in one statement, ordered by label as the database orders text.

    Every tag row counts: human tags already replaced the others on a corrected note. The whole UTC days of each
    week are read from tag_day_counts (a few rows a day, not every tag); a week whose edges are not at UTC
    midnight (a schedule in another time zone) counts the tags of its first and last part-days from the index
    tags(team_id, created_at, kind, label, stage, outcome). One GROUP BY per piece, glued by UNION ALL.
    """
    if len(edges) < 2:
        raise ValueError("need at least two edges")
    weeks = len(edges) - 1
    parts = []
    split = False
    for i, (lo, hi) in enumerate(pairwise(edges)):
        detail = i >= weeks - detailed
        days, raw = whole_days(lo, hi)
        split = split or len(raw) + (days is not None) > 1
        if days is not None:
            parts.append(_day_counts(team_id, i, days, detail))
        parts.extend(_raw_counts(team_id, i, piece, detail) for piece in raw)
    union = union_all(*parts).subquery()
    if split:  # a week counted in pieces: add them up
        cols = (union.c.week, union.c.kind, union.c.label, union.c.stage, union.c.outcome)
        query = select(*cols, func.sum(union.c.n)).group_by(*cols)
    else:
        query = select(union)
    rows = session.execute(query.order_by(union.c.label, union.c.kind, union.c.week)).all()
    return [
        TagCount(int(w), str(k), str(lb), None if st is None else str(st), None if oc is None else str(oc), int(n))
        for w, k, lb, st, oc, n in rows
    ]


def whole_days(lo: datetime, hi: datetime) -> tuple[tuple[date, date] | None, list[tuple[datetime, datetime]]]:
    """[lo, hi) as the UTC days wholly inside it, [first, last) (None: none), and the part-days left over."""
    lo_utc, hi_utc = lo.astimezone(UTC), hi.astimezone(UTC)
    first = lo_utc.date() if lo_utc.time() == time(0) else lo_utc.date() + timedelta(days=1)
    last = hi_utc.date()
    first_at = datetime.combine(first, time(0), tzinfo=UTC)
    last_at = datetime.combine(last, time(0), tzinfo=UTC)
    if first >= last:
        return None, [(lo, hi)]
    raw = [piece for piece in ((lo, first_at), (last_at, hi)) if piece[0] < piece[1]]
    return (first, last), raw


def _day_counts(team_id: str, week: int, days: tuple[date, date], detail: bool) -> Any:
    """A week's whole days: from tag_day_counts by stage and outcome too, else from tag_day_labels (far fewer rows)."""
    if detail:
        c = TagDayCount
        stage, outcome = func.nullif(c.stage, "").label("stage"), func.nullif(c.outcome, "").label("outcome")
        n = func.sum(c.n)
        return (
            select(literal(week).label("week"), c.kind, c.label, stage, outcome, n.label("n"))
            .where(c.team_id == team_id, c.day >= days[0], c.day < days[1])
            .group_by(c.kind, c.label, c.stage, c.outcome)
            .having(n > 0)
        )
    d = TagDayLabel
    n = func.sum(d.n)
    return (
        select(
            literal(week).label("week"), d.kind, d.label, null().label("stage"), null().label("outcome"), n.label("n")
        )
        .where(d.team_id == team_id, d.day >= days[0], d.day < days[1])
        .group_by(d.kind, d.label)
        .having(n > 0)
    )


def _raw_counts(team_id: str, week: int, piece: tuple[datetime, datetime], detail: bool) -> Any:
    in_piece = (Tag.team_id == team_id, Tag.created_at >= piece[0], Tag.created_at < piece[1])
    by: tuple[Any, ...] = (Tag.kind, Tag.label, Tag.stage, Tag.outcome) if detail else (Tag.kind, Tag.label)
    columns = by if detail else (*by, null().label("stage"), null().label("outcome"))
    return select(literal(week).label("week"), *columns, func.count().label("n")).where(*in_piece).group_by(*by)


@dataclass(frozen=True)
class NoteCounts:
    notes: int
    reps: int  # distinct authors
    by_outcome_stage: list[tuple[str | None, str | None, int]]  # as digest_stats.outcome_stage_counts orders them


def note_counts(session: Session, team_id: str, start: datetime, end: datetime) -> NoteCounts:
    """digest_stats.note_stats and outcome_stage_counts of [start, end), unfiltered, in one statement."""
    days, raw = whole_days(start, end)
    c = NoteDayCount
    parts: list[Any] = []
    if days is not None:
        outcome, stage = func.nullif(c.outcome, "").label("outcome"), func.nullif(c.stage, "").label("stage")
        parts.append(
            select(c.author_id, outcome, stage, func.sum(c.n).label("n"))
            .where(c.team_id == team_id, c.day >= days[0], c.day < days[1])
            .group_by(c.author_id, c.outcome, c.stage)
        )
    for lo, hi in raw:
        parts.append(
            select(Note.author_id, Note.outcome, Note.stage, func.count().label("n"))
            .where(Note.team_id == team_id, Note.created_at >= lo, Note.created_at < hi)
            .group_by(Note.author_id, Note.outcome, Note.stage)
        )
    pieces = union_all(*parts).cte("pieces")
    n = func.sum(pieces.c.n)
    # One statement, two answers: notes by outcome and stage (part 0, in the order outcome_stage_counts gives them),
    # and how many authors have notes (part 1).
    by_outcome_stage = (
        select(literal(0).label("part"), pieces.c.outcome, pieces.c.stage, n.label("n"))
        .group_by(pieces.c.outcome, pieces.c.stage)
        .having(n > 0)
    )
    authors = select(pieces.c.author_id).group_by(pieces.c.author_id).having(n > 0).subquery()
    reps = select(literal(1), null(), null(), func.count()).select_from(authors)
    both = union_all(by_outcome_stage, reps).subquery()
    rows = session.execute(select(both).order_by(both.c.part, both.c.outcome, both.c.stage)).all()
    counts = [
        (None if o is None else str(o), None if st is None else str(st), int(k)) for part, o, st, k in rows if part == 0
    ]
    authors_count = next(int(k) for part, _o, _st, k in rows if part == 1)
    return NoteCounts(sum(k for _o, _st, k in counts), authors_count, counts)


def recount(session: Session) -> tuple[int, int]:
    """Rebuild tag_day_counts, tag_day_labels and note_day_counts from the tags and notes (the triggers keep them;
    this is for a database whose counts were ever written around them). Writers wait meanwhile: on PostgreSQL the
    tags and notes are locked against writes until the transaction ends, SQLite has one writer at a time anyway.
    Returns the rows written to tag_day_counts and note_day_counts."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("LOCK TABLE notes, tags IN SHARE MODE"))

    def day(column: Any) -> Any:
        return func.date(func.timezone(literal_column("'UTC'"), column)) if postgres else func.date(column)

    written = []
    for summary, table, key in (
        (TagDayCount, Tag, (Tag.team_id, day(Tag.created_at), Tag.kind, Tag.label, Tag.stage, Tag.outcome)),
        (TagDayLabel, Tag, (Tag.team_id, day(Tag.created_at), Tag.kind, Tag.label)),
        (NoteDayCount, Note, (Note.team_id, day(Note.created_at), Note.author_id, Note.outcome, Note.stage)),
    ):
        session.execute(delete(summary))
        columns = ["team_id", "day", *(c.key for c in key[2:]), "n"]
        values = [
            *key[:2],
            *(func.coalesce(c, literal_column("''")) if c.key in ("stage", "outcome") else c for c in key[2:]),
        ]
        rows = select(*values, func.count()).select_from(table).group_by(*values)
        session.execute(insert(summary).from_select(columns, rows))
        written.append(int(session.scalar(select(func.count()).select_from(summary)) or 0))
    return written[0], written[2]
