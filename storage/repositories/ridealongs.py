"""Upcoming calls (not yet held) and marketers' ride-alongs on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Call, Note, Person, RideAlong, Tag, UpcomingCall
from storage.repositories._upsert import insert_ignore

__all__ = [
    "create_call_once",
    "create_request_once",
    "decide",
    "get_call",
    "get_call_by_external",
    "get_ride",
    "learned_between",
    "record_learned",
    "rep_note_for",
    "ride_of",
    "rides_for_call",
    "rides_of_marketer",
    "set_request_message",
    "upcoming",
]


def create_call_once(session: Session, values: dict[str, Any]) -> UpcomingCall | None:
    """The new upcoming call, or None when this call id is known already (a retry or a change)."""
    if not insert_ignore(session, UpcomingCall, values, ["team_id", "external_id"]):
        return None
    return get_call_by_external(session, values["team_id"], values["external_id"])


def get_call_by_external(session: Session, team_id: str, external_id: str) -> UpcomingCall | None:
    return session.scalar(
        select(UpcomingCall).where(UpcomingCall.team_id == team_id, UpcomingCall.external_id == external_id)
    )


def get_call(session: Session, team_id: str, call_id: int) -> UpcomingCall | None:
    return session.scalar(select(UpcomingCall).where(UpcomingCall.team_id == team_id, UpcomingCall.id == call_id))


def upcoming(
    session: Session,
    team_id: str,
    *,
    after: datetime,
    stage: str | None = None,
    segment: str | None = None,
    account: str | None = None,
    raised: tuple[str, str] | None = None,
    limit: int = 20,
) -> list[tuple[UpcomingCall, Person]]:
    """Scheduled calls starting after `after`, soonest first, of reps who take ride-alongs. `raised`
    (kind, label): only accounts whose notes carry that tag."""
    stmt = (
        select(UpcomingCall, Person)
        .join(Person, Person.id == UpcomingCall.rep_id)
        .where(
            UpcomingCall.team_id == team_id,
            UpcomingCall.status == "scheduled",
            UpcomingCall.starts_at > after,
            Person.ridealong_opt_out.is_(False),
        )
    )
    if stage:
        stmt = stmt.where(func.lower(UpcomingCall.deal_stage) == stage.lower())
    if segment:
        stmt = stmt.where(func.lower(UpcomingCall.segment) == segment.lower())
    if account:
        stmt = stmt.where(func.lower(UpcomingCall.account).contains(account.lower(), autoescape=True))
    if raised is not None:
        accounts = (
            select(func.lower(Note.account))
            .join(Tag, Tag.note_id == Note.id)
            .where(
                Note.team_id == team_id,
                Tag.team_id == team_id,
                Tag.kind == raised[0],
                func.lower(Tag.label) == raised[1].lower(),
                Note.account.is_not(None),
            )
        )
        stmt = stmt.where(func.lower(UpcomingCall.account).in_(accounts))
    rows = session.execute(stmt.order_by(UpcomingCall.starts_at, UpcomingCall.id).limit(limit))
    return [(call, rep) for call, rep in rows]


def create_request_once(session: Session, *, team_id: str, call_id: int, marketer_id: int, now: datetime) -> bool:
    """True when this marketer had not asked to join this call before (a double click inserts nothing)."""
    values = {
        "team_id": team_id,
        "call_id": call_id,
        "marketer_id": marketer_id,
        "state": "requested",
        "created_at": now,
    }
    return insert_ignore(session, RideAlong, values, ["call_id", "marketer_id"])


def get_ride(session: Session, team_id: str, ride_id: int) -> RideAlong | None:
    return session.scalar(select(RideAlong).where(RideAlong.team_id == team_id, RideAlong.id == ride_id))


def ride_of(session: Session, team_id: str, call_id: int, marketer_id: int) -> RideAlong | None:
    return session.scalar(
        select(RideAlong).where(
            RideAlong.team_id == team_id, RideAlong.call_id == call_id, RideAlong.marketer_id == marketer_id
        )
    )


def rides_for_call(session: Session, team_id: str, call_id: int) -> list[RideAlong]:
    return list(
        session.scalars(
            select(RideAlong).where(RideAlong.team_id == team_id, RideAlong.call_id == call_id).order_by(RideAlong.id)
        )
    )


def rides_of_marketer(session: Session, team_id: str, marketer_id: int, call_ids: Sequence[int]) -> dict[int, str]:
    """call id -> state of this marketer's ride-along on it, for the calls given."""
    if not call_ids:
        return {}
    rows = session.execute(
        select(RideAlong.call_id, RideAlong.state).where(
            RideAlong.team_id == team_id, RideAlong.marketer_id == marketer_id, RideAlong.call_id.in_(call_ids)
        )
    )
    return {call_id: state for call_id, state in rows}


def decide(session: Session, team_id: str, ride_id: int, *, state: str, now: datetime) -> bool:
    """requested -> approved | declined, once: False when it was answered already (a double click)."""
    result = session.execute(
        update(RideAlong)
        .where(RideAlong.team_id == team_id, RideAlong.id == ride_id, RideAlong.state == "requested")
        .values(state=state, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_request_message(session: Session, team_id: str, ride_id: int, *, channel_id: str, ts: str) -> None:
    session.execute(
        update(RideAlong)
        .where(RideAlong.team_id == team_id, RideAlong.id == ride_id)
        .values(request_channel_id=channel_id, request_ts=ts)
        .execution_options(synchronize_session=False)
    )


def record_learned(session: Session, team_id: str, ride_id: int, *, text: str, now: datetime) -> bool:
    """False when the ride-along already says exactly this (a double submit, even one running concurrently:
    the second UPDATE waits for the first and then finds nothing to change)."""
    result = session.execute(
        update(RideAlong)
        .where(
            RideAlong.team_id == team_id,
            RideAlong.id == ride_id,
            or_(RideAlong.learned.is_(None), RideAlong.learned != text),
        )
        .values(learned=text, learned_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def rep_note_for(session: Session, team_id: str, external_id: str, rep_id: int) -> Note | None:
    """The rep's own note on the call, once the call was reported held (same call id) and they logged it."""
    return session.scalar(
        select(Note)
        .join(Call, Call.id == Note.call_id)
        .where(
            Note.team_id == team_id,
            Call.team_id == team_id,
            Call.external_id == external_id,
            Note.author_id == rep_id,
        )
        .order_by(Note.created_at.desc())
        .limit(1)
    )


def learned_between(
    session: Session, team_id: str, start: datetime, end: datetime
) -> list[tuple[RideAlong, UpcomingCall, Person]]:
    """Approved ride-alongs on calls held in [start, end), with the marketer: counted and quoted by the digest."""
    rows = session.execute(
        select(RideAlong, UpcomingCall, Person)
        .join(UpcomingCall, UpcomingCall.id == RideAlong.call_id)
        .join(Person, Person.id == RideAlong.marketer_id)
        .where(
            RideAlong.team_id == team_id,
            RideAlong.state == "approved",
            UpcomingCall.status == "scheduled",
            UpcomingCall.starts_at >= start,
            UpcomingCall.starts_at < end,
        )
        .order_by(UpcomingCall.starts_at, RideAlong.id)
    )
    return [(ride, call, person) for ride, call, person in rows]
