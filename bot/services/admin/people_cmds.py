"""`/fieldnotes reps|admins|marketers list|add|remove`: the people roles of a workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.services.admin import model as m
from bot.services.directory import Directory
from storage.repositories import people

__all__ = ["run_people"]

_COLUMN = {"rep": "is_rep", "admin": "is_admin", "marketer": "is_marketer"}
_PLURAL = {"rep": "reps", "admin": "admins", "marketer": "marketers"}
_WHAT = {
    "rep": "Reps get post-call prompts and check-ins.",
    "admin": "Admins can change everything with /fieldnotes (Slack workspace admins and owners can too).",
    "marketer": "Marketers can reply to reps from the digest.",
}


def _mentions(user_ids: list[str]) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


def run_people(
    session: Session,
    team_id: str,
    user_id: str,
    cmd: m.PeopleList | m.PeopleAdd | m.PeopleRemove,
    directory: Directory | None,
    now: datetime,
) -> str:
    column = _COLUMN[cmd.role]
    plural = _PLURAL[cmd.role]
    if isinstance(cmd, m.PeopleList):
        current = [p.slack_user_id for p in people.by_role(session, team_id, column)]
        if not current:
            return f"No {plural} yet. Add some: `/fieldnotes {plural} add @someone`. {_WHAT[cmd.role]}"
        return f"*{plural.capitalize()}* ({len(current)}): {_mentions(current)}\n{_WHAT[cmd.role]}"
    if isinstance(cmd, m.PeopleAdd):
        added: list[str] = []
        already: list[str] = []
        for uid in cmd.user_ids:
            profile = directory.user(uid) if directory is not None else None
            if directory is not None and profile is None:
                raise NotFound(f"I can't find <@{uid}> in this workspace; nothing was changed.")
            if profile is not None and profile.is_bot:
                raise UsageError(f"<@{uid}> is a bot and can't be one of the {plural}; nothing was changed.")
            person = people.ensure(session, team_id, uid)
            if profile is not None:
                people.update_profile(person, name=profile.name, email=profile.email, tz=profile.tz, now=now)
            (already if getattr(person, column) else added).append(uid)
            setattr(person, column, True)
        text = f"Added to {plural}: {_mentions(added)}." if added else ""
        if already:
            text += f" Already {plural}: {_mentions(already)}."
        return text.strip()
    removed: list[str] = []
    missing: list[str] = []
    for uid in cmd.user_ids:
        found = people.get_by_slack_id(session, team_id, uid)
        (removed if found is not None and getattr(found, column) else missing).append(uid)
    if cmd.role == "admin" and removed:
        remaining = [p for p in people.by_role(session, team_id, column) if p.slack_user_id not in removed]
        if not remaining:
            raise UsageError(
                f"<@{removed[0]}> is the last Field Notes admin: add another with `/fieldnotes admins add @someone` "
                "first. Nothing was changed."
            )
    for uid in removed:
        setattr(people.ensure(session, team_id, uid), column, False)
    text = f"Removed from {plural}: {_mentions(removed)}." if removed else ""
    if missing:
        text += f" Not {plural}: {_mentions(missing)}."
    return text.strip()
