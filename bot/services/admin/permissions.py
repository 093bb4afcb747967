"""Who may change Field Notes: its own admins (FIELDNOTES_ADMINS, `admins add`) and Slack workspace admins/owners."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import PermissionDenied
from bot.messages import admin as say
from bot.services.directory import Profiles
from storage.repositories import people

__all__ = ["admin_mentions", "is_admin", "is_workspace_admin", "require_admin"]


def is_workspace_admin(directory: Profiles, user_id: str) -> bool:
    """A Slack workspace admin or owner (a Slack directory asks Slack: call it outside any transaction)."""
    profile = directory.user(user_id)
    return bool(profile is not None and profile.is_admin and not profile.is_bot)


def is_admin(session: Session, team_id: str, user_id: str, directory: Profiles | None) -> bool:
    """A Field Notes admin in the database, or (asked of `directory` only then) a workspace admin or owner."""
    person = people.get_by_slack_id(session, team_id, user_id)
    if person is not None and person.is_admin:
        return True
    return directory is not None and is_workspace_admin(directory, user_id)


def admin_mentions(session: Session, team_id: str) -> str:
    admins = people.by_role(session, team_id, "is_admin")
    return ", ".join(f"<@{p.slack_user_id}>" for p in admins)


def require_admin(session: Session, team_id: str, user_id: str, directory: Profiles | None) -> None:
    if is_admin(session, team_id, user_id, directory):
        return
    mentions = admin_mentions(session, team_id)
    raise PermissionDenied(say.admins_only(mentions) if mentions else say.NO_ADMINS_YET)
