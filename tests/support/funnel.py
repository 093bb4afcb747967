"""A week of notes with stages, segments, wins and what helped, whose funnel is known (shared by the funnel and
drill-down tests; no tests of its own)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.repositories import people
from tests.support.digest import TEAM, utc
from tests.support.notes import seed_note

__all__ = ["MONDAY", "note", "seed_funnel_week"]

MONDAY = utc("2026-11-16T00:00:00")  # ISO week 2026-W47, posted Monday 23 November at 09:00 UTC


def note(session: Session, at: datetime, tags: list[tuple[str, str]], **columns: Any) -> None:
    rep = people.ensure(session, TEAM, columns.pop("author", "UREP1"))
    text = columns.pop("text", f"The customer talked about {', '.join(label for _, label in tags)} at length today.")
    seed_note(session, TEAM, rep, at, tags, text, tagged_at=at, **columns)


def seed_funnel_week(session: Session) -> None:
    day = timedelta(days=1)
    # Security objections sat in negotiation the week before; this week they come up in discovery.
    for i in range(4):
        note(
            session, MONDAY - 5 * day + i * timedelta(hours=3), [("objection", "security concern")], stage="negotiation"
        )
    for i in range(4):
        note(session, MONDAY + day + i * timedelta(hours=3), [("objection", "security concern")], stage="discovery")
    note(session, MONDAY + 2 * day, [("objection", "security concern")], stage="negotiation")
    # Pricing at proposal; two lost deals on price.
    for i in range(3):
        note(session, MONDAY + 3 * day + i * timedelta(hours=1), [("theme", "pricing")], stage="proposal")
    for i in range(2):
        note(
            session,
            MONDAY + 4 * day + i * timedelta(hours=1),
            [("theme", "pricing"), ("objection", "too expensive")],
            stage="closed lost",
            outcome="lost",
            helped="A pricing one-pager",
        )
    # Two wins on integration, one of them saying so with an e-mail address in it.
    note(
        session,
        MONDAY + 5 * day,
        [("theme", "integration")],
        stage="closed won",
        outcome="won",
        worked="The ROI calculator",
        segment="Mid-market",
        text="The native Salesforce sync won it for them; write to cto@example.com for the reference call.",
    )
    note(
        session,
        MONDAY + 5 * day + timedelta(hours=2),
        [("theme", "integration")],
        outcome="won",
        worked="the ROI calculator ",
        author="UREP2",
    )
    note(session, MONDAY + 6 * day, [("theme", "support")])  # no stage known
