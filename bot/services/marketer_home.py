"""What a marketer's App Home section shows: this week's top labels, open questions, the latest digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.services.digest import current_week
from storage.repositories import digests, replies

__all__ = ["MarketerHome", "marketer_home"]


@dataclass(frozen=True)
class MarketerHome:
    """What the marketer's Home section shows: this week's top labels, open questions, the latest digest."""

    top: list[tuple[str, str, int]]  # (kind, label, notes), most first
    week_start: datetime
    week_end: datetime
    tz: str
    asks: list[replies.OpenAsk]
    digest: tuple[str, str] | None  # (channel, ts) of the latest digest posted


def marketer_home(session: Session, team_id: str, now: datetime) -> MarketerHome:
    now = now.astimezone(UTC)
    schedules = digests.list_schedules(session, team_id)
    # The week as the digest counts it: in the (first) digest schedule's timezone.
    week = current_week(now, schedules[0].tz if schedules else "UTC")
    counts = replies.label_counts(session, team_id, week.start, now + timedelta(seconds=1))
    asks = replies.open_asks(session, team_id, since=now - timedelta(days=30), limit=5)
    run = replies.latest_digest_run(session, team_id)
    top = sorted(((k, label, n) for (k, label), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))
    return MarketerHome(
        top=top[:10],
        week_start=week.start,
        week_end=week.end,
        tz=week.tz,
        asks=asks,
        digest=(run.channel_id, run.message_ts) if run is not None and run.message_ts else None,
    )
