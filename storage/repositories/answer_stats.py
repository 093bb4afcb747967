"""Free-text answers of a period's notes (what would have helped, what helped), counted by the database: the
answers that differ only in case and surrounding spaces count as one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Note
from storage.repositories.digest_stats import NoteFilter, note_conditions

__all__ = ["Answers", "answer_counts", "answer_counts_of", "content_requests", "helped_and_worked"]

Answers = tuple[int, list[tuple[str, int]]]  # (notes with an answer, the most frequent answers as (text, count))


def content_requests(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 5
) -> tuple[int, list[tuple[str, int]]]:
    """(notes saying what would have helped, the most frequent requests as (text, count)), in one pass."""
    return answer_counts(session, team_id, start, end, Note.helped, flt, limit)


def helped_and_worked(
    session: Session, team_id: str, start: datetime, end: datetime, flt: NoteFilter | None = None, limit: int = 5
) -> tuple[Answers, Answers]:
    """content_requests (what would have helped) and funnel_stats.worked_requests (what helped), in one pass."""
    helped, worked = answer_counts_of(session, team_id, start, end, (Note.helped, Note.worked), flt, limit)
    return helped, worked


def answer_counts(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    column: InstrumentedAttribute[str | None],
    flt: NoteFilter | None = None,
    limit: int = 5,
) -> Answers:
    """(notes with a free-text answer in `column`, its most frequent answers as (text, count)), in one pass;
    answers that differ only in case and surrounding spaces count as one."""
    return answer_counts_of(session, team_id, start, end, (column,), flt, limit)[0]


def answer_counts_of(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    columns: Sequence[InstrumentedAttribute[str | None]],
    flt: NoteFilter | None = None,
    limit: int = 5,
) -> list[Answers]:
    """answer_counts of each of `columns`, reading the period's notes once: they are grouped by every column's
    answer key at once (a handful of groups: most notes answer nothing, and answers repeat), then each column's
    answers are counted from those groups."""
    # The notes are grouped by their answers as written first (a plain hash or sort of the text, no function per
    # note), then those groups by answer key: the same groups, counts and min texts as grouping the notes by key.
    # count(*), not count(id): the notes' answers are then read from ix_notes_answered alone (index-only).
    raw = (
        select(*(column.label(f"a{i}") for i, column in enumerate(columns)), func.count().label("n"))
        .where(*note_conditions(team_id, start, end, flt), or_(*(column.is_not(None) for column in columns)))
        .group_by(*columns)
        .subquery()
    )
    answers = [raw.c[f"a{i}"] for i in range(len(columns))]
    keys = [func.lower(func.trim(answer)) for answer in answers]
    answered = [and_(answer.is_not(None), func.trim(answer) != "") for answer in answers]
    groups = (
        select(
            *(key.label(f"k{i}") for i, key in enumerate(keys)),
            *(func.min(answer).label(f"t{i}") for i, answer in enumerate(answers)),
            func.sum(raw.c.n).label("n"),
        )
        .where(or_(*answered))
        .group_by(*keys)
        .cte("answer_groups")
    )
    branches = []
    for i in range(len(columns)):
        key, count = groups.c[f"k{i}"], func.sum(groups.c.n)
        branches.append(
            select(
                literal(i).label("col"),
                func.min(groups.c[f"t{i}"]).label("text"),
                count.label("n"),
                func.sum(count).over().label("total"),
                func.row_number().over(order_by=(count.desc(), key)).label("rank"),
            )
            .where(key.is_not(None), key != "")
            .group_by(key)
        )
    ranked_rows = union_all(*branches).subquery()
    rows = session.execute(
        select(ranked_rows).where(ranked_rows.c.rank <= limit).order_by(ranked_rows.c.col, ranked_rows.c.rank)
    ).all()
    found: list[Answers] = [(0, []) for _ in columns]
    for col, text, n, total, _rank in rows:
        found[int(col)][1].append((str(text).strip(), int(n)))
        found[int(col)] = (int(total), found[int(col)][1])
    return found
