"""tag_day_counts, tag_day_labels and note_day_counts recounted from tags and notes: what the triggers on those
tables must have kept them equal to after any write."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from storage.models import Note, NoteDayCount, Tag, TagDayCount, TagDayLabel

Key = tuple[Any, ...]  # team, UTC day (ISO), then the table's own key columns ('' for none)


def recounted(conn: Connection) -> Counter[Key]:
    """Tags per key (team, day, kind, label, stage, outcome), counted in Python from every tag row."""
    counts: Counter[Key] = Counter()
    for team, at, kind, label, stage, outcome in conn.execute(
        select(Tag.team_id, Tag.created_at, Tag.kind, Tag.label, Tag.stage, Tag.outcome)
    ):
        counts[(team, at.astimezone(UTC).date().isoformat(), kind, label, stage or "", outcome or "")] += 1
    return counts


def notes_recounted(conn: Connection) -> Counter[Key]:
    """Notes per key (team, day, author, outcome, stage), counted in Python from every note row."""
    counts: Counter[Key] = Counter()
    for team, at, author, outcome, stage in conn.execute(
        select(Note.team_id, Note.created_at, Note.author_id, Note.outcome, Note.stage)
    ):
        counts[(team, at.astimezone(UTC).date().isoformat(), author, outcome or "", stage or "")] += 1
    return counts


def stored(conn: Connection) -> Counter[Key]:
    """tag_day_counts as stored, rows counting nothing left out (a key whose tags all went keeps n = 0)."""
    c = TagDayCount
    rows = conn.execute(select(c.team_id, c.day, c.kind, c.label, c.stage, c.outcome, c.n).where(c.n != 0))
    return Counter({(team, day.isoformat(), *rest): n for team, day, *rest, n in rows})


def labels_stored(conn: Connection) -> Counter[Key]:
    c = TagDayLabel
    rows = conn.execute(select(c.team_id, c.day, c.kind, c.label, c.n).where(c.n != 0))
    return Counter({(team, day.isoformat(), *rest): n for team, day, *rest, n in rows})


def by_label(counts: Counter[Key]) -> Counter[Key]:
    """Tag counts summed over stages and outcomes."""
    out: Counter[Key] = Counter()
    for (team, day, kind, label, _stage, _outcome), n in counts.items():
        out[(team, day, kind, label)] += n
    return out


def notes_stored(conn: Connection) -> Counter[Key]:
    c = NoteDayCount
    rows = conn.execute(select(c.team_id, c.day, c.author_id, c.outcome, c.stage, c.n).where(c.n != 0))
    return Counter({(team, day.isoformat(), *rest): n for team, day, *rest, n in rows})


def assert_counts_match(conn: Connection) -> None:
    """Every daily count equals the rows recounted: no key missing, none extra, no count off."""
    tags = recounted(conn)
    for name, expected, found in (
        ("tag_day_counts", tags, stored(conn)),
        ("tag_day_labels", by_label(tags), labels_stored(conn)),
        ("note_day_counts", notes_recounted(conn), notes_stored(conn)),
    ):
        assert found == expected, {
            "table": name,
            "missing or low": dict(expected - found),
            "extra or high": dict(found - expected),
        }


def has_counts_table(conn: Connection) -> bool:
    return inspect(conn).has_table("tag_day_counts")
