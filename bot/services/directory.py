"""The user directory as services see it: a protocol, so services never touch slack_sdk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from storage.models import Person
from storage.repositories import people

__all__ = ["Directory", "Profiles", "UserProfile", "apply_profile", "profile_due", "refresh_person", "timezone_of"]

PROFILE_TTL = timedelta(days=1)


@dataclass(frozen=True)
class UserProfile:
    user_id: str
    name: str
    email: str | None
    tz: str | None
    is_admin: bool = False
    is_bot: bool = False
    is_guest: bool = False  # a multi- or single-channel guest (Slack's is_restricted / is_ultra_restricted)


class Profiles(Protocol):
    def user(self, user_id: str) -> UserProfile | None: ...


class Directory(Profiles, Protocol):
    def team_id(self) -> str: ...
    def user_by_email(self, email: str) -> UserProfile | None: ...


def profile_due(session: Session, team_id: str, user_id: str, *, now: datetime) -> bool:
    """True when the person is new or their name, e-mail and timezone were read from Slack over a day ago."""
    person = people.get_by_slack_id(session, team_id, user_id)
    checked = person.profile_checked_at if person is not None else None
    return checked is None or now - checked > PROFILE_TTL


def apply_profile(
    session: Session, team_id: str, user_id: str, profile: UserProfile | None, *, now: datetime
) -> Person:
    """The person, created if new, with `profile` (read from Slack beforehand) stored when there is one."""
    person = people.ensure(session, team_id, user_id)
    if profile is not None:
        people.update_profile(person, name=profile.name, email=profile.email, tz=profile.tz, now=now)
    return person


def refresh_person(
    factory: sessionmaker[Session], team_id: str, user_id: str, directory: Directory, *, now: datetime
) -> None:
    """Name, e-mail and timezone fetched from Slack when older than a day. Slack is asked outside any
    transaction, so a slow or rate-limited Slack holds no database lock (SQLite has one for the whole file)."""
    with factory() as session:
        if not profile_due(session, team_id, user_id, now=now):
            return
    profile = directory.user(user_id)
    with factory.begin() as session:
        apply_profile(session, team_id, user_id, profile, now=now)


def timezone_of(session: Session, team_id: str, user_id: str) -> str:
    """The person's Slack timezone as last read, UTC when unknown."""
    person = people.get_by_slack_id(session, team_id, user_id)
    return person.tz if person is not None and person.tz else "UTC"
