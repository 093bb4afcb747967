"""tag_day_counts recounted from tags: what the triggers on tags must have kept it equal to after any write."""

from __future__ import annotations

from collections import Counter
from datetime import UTC

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from storage.models import Tag, TagDayCount

Key = tuple[str, str, str, str, str, str]  # team, UTC day (ISO), kind, label, stage or '', outcome or ''


def recounted(conn: Connection) -> Counter[Key]:
    """Tags per key, counted in Python from every tag row (the day of created_at in UTC)."""
    counts: Counter[Key] = Counter()
    for team, at, kind, label, stage, outcome in conn.execute(
        select(Tag.team_id, Tag.created_at, Tag.kind, Tag.label, Tag.stage, Tag.outcome)
    ):
        counts[(team, at.astimezone(UTC).date().isoformat(), kind, label, stage or "", outcome or "")] += 1
    return counts


def stored(conn: Connection) -> Counter[Key]:
    """tag_day_counts as stored, rows counting nothing left out (a key whose tags all went keeps n = 0)."""
    c = TagDayCount
    rows = conn.execute(select(c.team_id, c.day, c.kind, c.label, c.stage, c.outcome, c.n).where(c.n != 0))
    return Counter(
        {(team, day.isoformat(), kind, label, stage, outcome): n for team, day, kind, label, stage, outcome, n in rows}
    )


def assert_counts_match(conn: Connection) -> None:
    """tag_day_counts equals the tags recounted: no key missing, none extra, no count off."""
    expected, found = recounted(conn), stored(conn)
    assert found == expected, {
        "missing or low": dict(expected - found),
        "extra or high": dict(found - expected),
    }


def has_counts_table(conn: Connection) -> bool:
    return inspect(conn).has_table("tag_day_counts")
