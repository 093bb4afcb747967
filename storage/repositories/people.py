"""People of a workspace: reps, marketers, admins, with the Slack profile facts we need."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, event, func, select, update
from sqlalchemy.orm import Session

from storage.models import Person
from storage.repositories._upsert import insert_ignore

__all__ = ["by_email", "by_role", "ensure", "get", "get_by_slack_id", "mark_reps", "update_profile"]

ROLES = ("is_rep", "is_admin", "is_marketer")


_SEEN = "people.ensure"


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_SEEN, None)


def ensure(session: Session, team_id: str, slack_user_id: str) -> Person:
    """The person row for this Slack user, created if missing (safe under concurrency).

    Remembered in the session (`session.info`) until a rollback, a savepoint's too (it may have created the row):
    a batch of notes by one rep reads the row once. People rows are never deleted.
    """
    seen: dict[tuple[str, str], Person] = session.info.setdefault(_SEEN, {})
    cached = seen.get((team_id, slack_user_id))
    if cached is not None:
        return cached
    known = get_by_slack_id(session, team_id, slack_user_id)
    if known is not None:  # the common case: one query
        seen[(team_id, slack_user_id)] = known
        return known
    insert_ignore(session, Person, _new_person(team_id, slack_user_id), ["team_id", "slack_user_id"])
    person = get_by_slack_id(session, team_id, slack_user_id)
    assert person is not None
    return person


_PEOPLE = cast(Table, Person.__table__)
# Core statements built once (the ack path stores notes with them): no ORM entity per row, no statement to build
# and key on each call.
_REPS = select(_PEOPLE.c.slack_user_id, _PEOPLE.c.id, _PEOPLE.c.is_rep).where(
    _PEOPLE.c.team_id == bindparam("team_id"), _PEOPLE.c.slack_user_id.in_(bindparam("user_ids", expanding=True))
)
_MARK_REPS = (
    update(_PEOPLE)
    .where(_PEOPLE.c.team_id == bindparam("b_team_id"), _PEOPLE.c.id.in_(bindparam("ids", expanding=True)))
    .values(is_rep=True)
)


def mark_reps(session: Session, team_id: str, slack_user_ids: Iterable[str]) -> dict[str, int]:
    """The person id of each Slack user, marked as a rep (made if missing, as `ensure`): one query for them all,
    and an update only for those not marked yet. For the notes' authors, stored together."""
    wanted = list(dict.fromkeys(slack_user_ids))
    if not wanted:
        return {}
    found = {user: (pid, is_rep) for user, pid, is_rep in session.execute(_REPS, _reps_of(team_id, wanted))}
    missing = [user for user in wanted if user not in found]
    for user in missing:
        insert_ignore(session, Person, _new_person(team_id, user), ["team_id", "slack_user_id"])
    if missing:
        found.update((user, (pid, is_rep)) for user, pid, is_rep in session.execute(_REPS, _reps_of(team_id, missing)))
    not_yet = [pid for pid, is_rep in found.values() if not is_rep]
    if not_yet:
        session.execute(_MARK_REPS, {"b_team_id": team_id, "ids": not_yet})
    return {user: pid for user, (pid, _) in found.items()}


def _reps_of(team_id: str, user_ids: list[str]) -> dict[str, Any]:
    return {"team_id": team_id, "user_ids": user_ids}


def _new_person(team_id: str, slack_user_id: str) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "slack_user_id": slack_user_id,
        "name": "",
        "is_rep": False,
        "is_admin": False,
        "is_marketer": False,
    }


def get(session: Session, team_id: str, person_id: int) -> Person | None:
    return session.scalar(select(Person).where(Person.team_id == team_id, Person.id == person_id))


def get_by_slack_id(session: Session, team_id: str, slack_user_id: str) -> Person | None:
    return session.scalar(select(Person).where(Person.team_id == team_id, Person.slack_user_id == slack_user_id))


def by_email(session: Session, team_id: str, email: str) -> Person | None:
    return session.scalar(
        select(Person).where(Person.team_id == team_id, func.lower(Person.email) == email.strip().lower()).limit(1)
    )


def by_role(session: Session, team_id: str, role: str) -> list[Person]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    column = getattr(Person, role)
    return list(session.scalars(select(Person).where(Person.team_id == team_id, column.is_(True)).order_by(Person.id)))


def update_profile(person: Person, *, name: str | None, email: str | None, tz: str | None, now: datetime) -> None:
    if name:
        person.name = name
    if email:
        person.email = email
    if tz:
        person.tz = tz
    person.profile_checked_at = now
