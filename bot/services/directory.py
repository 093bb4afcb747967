"""The user directory as services see it: a protocol, so services never touch slack_sdk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from storage.models import Person
from storage.repositories import people

__all__ = ["Directory", "UserProfile", "refresh_person", "timezone_of"]

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


class Directory(Protocol):
    def team_id(self) -> str: ...
    def user_by_email(self, email: str) -> UserProfile | None: ...
    def user(self, user_id: str) -> UserProfile | None: ...


def refresh_person(
    session: Session, team_id: str, user_id: str, directory: Directory, *, now: datetime, force: bool = False
) -> Person:
    """The person, with name, e-mail and timezone fetched from Slack when older than a day."""
    person = people.ensure(session, team_id, user_id)
    checked = person.profile_checked_at
    if force or checked is None or now - checked > PROFILE_TTL:
        profile = directory.user(user_id)
        if profile is not None:
            people.update_profile(person, name=profile.name, email=profile.email, tz=profile.tz, now=now)
    return person


def timezone_of(session: Session, team_id: str, user_id: str) -> str:
    """The person's Slack timezone as last read, UTC when unknown."""
    person = people.get_by_slack_id(session, team_id, user_id)
    return person.tz if person is not None and person.tz else "UTC"
