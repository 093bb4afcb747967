"""`/fieldnotes reps|admins|marketers list|add|remove`: the people roles of a workspace."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import admin as say
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from storage.repositories import people

__all__ = ["RUNNERS"]

_COLUMN = {"rep": "is_rep", "admin": "is_admin", "marketer": "is_marketer"}


def list_people(session: Session, ctx: Context, cmd: m.PeopleList) -> r.Result:
    current = tuple(p.slack_user_id for p in people.by_role(session, ctx.team_id, _COLUMN[cmd.role]))
    return r.PeopleListed(cmd.role, current)


def add_people(session: Session, ctx: Context, cmd: m.PeopleAdd) -> r.Result:
    """Profiles come from Slack beforehand (ctx.slack); someone Slack does not know stops the whole command."""
    column = _COLUMN[cmd.role]
    added: list[str] = []
    already: list[str] = []
    for uid in cmd.user_ids:
        profile = ctx.slack.user(uid)
        if profile is None:
            raise NotFound(say.person_not_found(uid))
        if profile.is_bot:
            raise UsageError(say.bot_cannot_be(uid, cmd.role))
        person = people.ensure(session, ctx.team_id, uid)
        people.update_profile(person, name=profile.name, email=profile.email, tz=profile.tz, now=ctx.now)
        (already if getattr(person, column) else added).append(uid)
        setattr(person, column, True)
    return r.PeopleAdded(cmd.role, tuple(added), tuple(already))


def remove_people(session: Session, ctx: Context, cmd: m.PeopleRemove) -> r.Result:
    column = _COLUMN[cmd.role]
    removed: list[str] = []
    missing: list[str] = []
    for uid in cmd.user_ids:
        found = people.get_by_slack_id(session, ctx.team_id, uid)
        (removed if found is not None and getattr(found, column) else missing).append(uid)
    if cmd.role == "admin" and removed:
        remaining = [p for p in people.by_role(session, ctx.team_id, column) if p.slack_user_id not in removed]
        if not remaining:
            raise UsageError(say.last_admin(removed[0]))
    for uid in removed:
        setattr(people.ensure(session, ctx.team_id, uid), column, False)
    return r.PeopleRemoved(cmd.role, tuple(removed), tuple(missing))


RUNNERS: dict[type[m.Command], Runner] = {
    m.PeopleList: list_people,
    m.PeopleAdd: add_people,
    m.PeopleRemove: remove_people,
}
