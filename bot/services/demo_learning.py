"""The demo's "learn together" part: ride-alongs (held in the digest's week, with what marketing learned, and
upcoming ones to join), a review the reps answered, a glossary definition, a proposal and vocabulary drift."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.services import glossary
from storage.models import RideAlong, UpcomingCall
from storage.repositories import people
from storage.repositories import reviews as review_repo

__all__ = ["MARKETERS", "seed_learning"]

MARKETERS: tuple[tuple[str, str, str], ...] = (
    ("UDEMOM1", "Mia Moreau", "America/Chicago"),
    ("UDEMOM2", "Noah Berg", "Europe/Stockholm"),
)

_HELD = (
    ("Acme Corp", "They compare every line item with Gong; the CFO wants a 3-year price lock, not a discount."),
    ("Globex", "Security review is the real gate: they asked for our SOC 2 report before the demo even started."),
    ("Initech", "Nobody mentioned features; onboarding time was the whole conversation."),
)
_UPCOMING = (("Umbrella", "Negotiation", "Enterprise"), ("Stark Industries", "Discovery", "Mid-market"))


def seed_learning(session: Session, team_id: str, *, week_start: datetime, now: datetime) -> list[str]:
    """Seed it; the lines the demo prints about it."""
    marketers = []
    for user_id, name, tz in MARKETERS:
        person = people.ensure(session, team_id, user_id)
        person.name, person.tz, person.is_marketer = name, tz, True
        marketers.append(person.id)
    reps = [p.id for p in people.by_role(session, team_id, "is_rep")]
    for index, (account, learned) in enumerate(_HELD):
        starts = week_start + timedelta(days=index + 1, hours=15)
        call = _call(session, team_id, f"demo-held-{index}", reps[index], account, starts, now)
        session.add(
            RideAlong(
                team_id=team_id,
                call_id=call.id,
                marketer_id=marketers[index % 2],
                state="approved",
                decided_at=starts - timedelta(days=1),
                learned=learned,
                learned_at=starts + timedelta(hours=1),
                created_at=starts - timedelta(days=2),
            )
        )
    for index, (account, stage, segment) in enumerate(_UPCOMING):
        starts = now + timedelta(days=index + 2, hours=2)
        call = _call(session, team_id, f"demo-next-{index}", reps[index + 3], account, starts, now)
        call.deal_stage, call.segment = stage, segment
    review = review_repo.create_once(
        session,
        {
            "team_id": team_id,
            "dedupe_key": "demo-review",
            "author_id": marketers[0],
            "question": "Would this pricing page answer what your CFOs ask?",
            "link": "https://example.com/drafts/pricing-page",
            "created_at": week_start + timedelta(days=1),
        },
        reps[:4],
    )
    assert review is not None
    answers = (4, 3, 5)
    for offset, (request, _rep) in enumerate(review_repo.pending(session, team_id, review.id)[: len(answers)]):
        rating = answers[offset]
        request.sent_at = week_start + timedelta(days=1)
        request.rating, request.comment = rating, "Add the 3-year option." if rating < 5 else None
        request.answered_at = week_start + timedelta(days=2, hours=offset)
    glossary.describe(session, team_id, "theme", "pricing", "What it costs and how it is sold: seats, tiers, terms.")
    glossary.propose(
        session,
        team_id,
        "UDEMO01",
        kind="objection",
        label="vendor lock-in",
        definition="Fear of being stuck with us: exports, contract length, proprietary formats.",
        key="demo",
        now=now,
    )
    session.flush()
    [pricing] = glossary.entries(session, team_id, "pricing")
    return [
        f"Ride-alongs: {len(_HELD)} held in the digest's week (see 'In the field'), {len(_UPCOMING)} upcoming to join",
        f"Review: 3 of 4 reps answered {chr(8220)}Would this pricing page answer what your CFOs ask?{chr(8221)}",
        f"Glossary: pricing = {pricing.definition} (1 proposal waits for an admin)",
    ]


def _call(
    session: Session, team_id: str, external_id: str, rep_id: int, account: str, starts: datetime, now: datetime
) -> UpcomingCall:
    call = UpcomingCall(
        team_id=team_id,
        external_id=external_id,
        rep_id=rep_id,
        account=account,
        starts_at=starts,
        meeting_url="https://meet.example.com/" + external_id,
        status="scheduled",
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(call)
    session.flush()
    return call
