"""Hand-made notes whose digest is known, shared by the digest tests (no tests of its own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.workspaces import ensure_workspace
from storage.models import Note, Prompt
from storage.repositories import digests as repo
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.support.notes import seed_note

TEAM = "T0001"
_serial = count(1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, tz: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def workspace(session: Session, now: datetime, team_id: str = TEAM, quotes: str = "anonymous") -> None:
    ws = ensure_workspace(session, team_id, now=now, admin_ids=["UADMIN"])
    ws.quotes = quotes
    for user_id in ("UREP1", "UREP2"):
        people.ensure(session, team_id, user_id).is_rep = True


def note(
    session: Session,
    at: datetime,
    tags: Iterable[tuple[str, str]] = (),
    *,
    author: str = "UREP1",
    text: str | None = None,
    outcome: str | None = None,
    helped: str | None = None,
    team_id: str = TEAM,
) -> Note:
    person = people.ensure(session, team_id, author)
    tags = list(tags)
    number = next(_serial)
    return seed_note(
        session,
        team_id,
        person,
        at,
        tags,
        text or f"Note {number}: the customer talked about {', '.join(label for _, label in tags) or 'nothing'}.",
        account=f"Account {number % 7}",
        outcome=outcome,
        helped=helped,
        tagged_at=at,  # as the tagger leaves it (else the notes.tag safety net would tag it again)
    )


def prompt(session: Session, sent_at: datetime, *, answered: bool, team_id: str = TEAM) -> None:
    person = people.ensure(session, team_id, "UREP1")
    number = next(_serial)
    session.add(
        Prompt(
            team_id=team_id,
            kind="call",
            dedupe_key=f"test:{number}",
            rep_id=person.id,
            state="answered" if answered else "sent",
            due_at=sent_at,
            sent_at=sent_at,
            answered_at=sent_at if answered else None,
            created_at=sent_at,
        )
    )
    session.flush()


def seed_known_weeks(session: Session, week_monday: str, tz: str) -> None:
    """Notes around the ISO week starting `week_monday` (local) whose digest is known.

    In the week: pricing 6 (2 of them lost deals with the objection "too expensive"), integration 2,
    Gong 3. The week before: pricing 2, integration 3. Four weeks before that: pricing 1 a week.
    Result: pricing 6 (▲ +4, spike: 6 >= 2 x 1.25), integration 2 (▼ −1), Gong 3 (new: spike).
    """
    monday = datetime.fromisoformat(week_monday).replace(tzinfo=ZoneInfo(tz))
    from datetime import timedelta

    def at(days: float, hours: float = 12) -> datetime:
        return (monday + timedelta(days=days, hours=hours)).astimezone(UTC)

    # the very first and last minutes of the local week belong to it; the minute after does not
    note(
        session,
        at(0, 0.5),
        [("theme", "pricing")],
        text="Right after midnight Monday: pricing again, tiers are confusing.",
    )
    note(session, at(6, 23.5), [("theme", "pricing")], author="UREP2", helped="A pricing one-pager")
    note(session, at(7, 0.5), [("theme", "pricing"), ("theme", "pricing-next-week")])
    for day in (1, 2):
        note(
            session,
            at(day),
            [("theme", "pricing"), ("objection", "too expensive")],
            outcome="lost",
            text="They said we cost twice what Gong does; email me at buyer@example.com or call +1 415 555 0100.",
            helped="A pricing one-pager",
        )
    note(session, at(3), [("theme", "pricing"), ("competitor", "Gong")], outcome="won", author="UREP2")
    note(session, at(4), [("theme", "pricing"), ("competitor", "Gong")], outcome="progressing")
    note(
        session,
        at(4),
        [("theme", "integration"), ("competitor", "Gong")],
        text="Needs <!channel> & a native Salesforce sync before they sign",
    )
    note(session, at(5), [("theme", "integration")], helped="Case study for fintech")
    for day in (-6, -5):
        note(session, at(day), [("theme", "pricing"), ("theme", "integration")])
    note(session, at(-4), [("theme", "integration")])
    for week in range(2, 6):
        note(session, at(-7 * week + 2), [("theme", "pricing")])
    prompt(session, at(1), answered=True)
    prompt(session, at(2), answered=True)
    prompt(session, at(3), answered=False)
    prompt(session, at(3), answered=True)


# Digest schedules served for real, and the digests the fake Slack got.
BERLIN = "Europe/Berlin"  # CEST -> CET on Sunday 2026-10-25
NEW_YORK = "America/New_York"  # EDT -> EST on Sunday 2026-11-01


def add_schedule(served: ServedApp, channel: str, name: str, tz: str, *, created: str = "2026-09-01T00:00:00") -> int:
    with served.runtime.session_factory.begin() as session:
        workspace(session, utc(created))
        return repo.add_schedule(session, TEAM, channel, name, 0, 9, 0, tz, utc(created)).id


def digests_in(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [m for m in fake.messages(channel) if m.get("thread_ts", m["ts"]) == m["ts"] and m.get("metadata")]
