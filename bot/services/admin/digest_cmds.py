"""`/fieldnotes digests list|add|remove` and `digest preview`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import FieldNotesError, NotFound, PermissionDenied
from bot.messages import admin as say
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.digest import build_digest_data, rolling_period
from bot.services.schedule import next_weekly
from storage.repositories import digests

__all__ = ["RUNNERS", "next_digest_at"]


def next_digest_at(now: datetime, *, weekday: int, hour: int, minute: int, tz: str) -> datetime:
    return next_weekly(now, weekday=weekday, hour=hour, minute=minute, tz=tz)


def preview(session: Session, ctx: Context, cmd: m.DigestPreview) -> r.Result:
    """Guests see only the channels they were invited to: the digest (every channel's notes) is not for them."""
    profile = ctx.slack.user(ctx.user_id)
    if profile is not None and profile.is_guest:
        raise PermissionDenied(say.NO_PREVIEW_FOR_GUESTS)
    return r.DigestPreviewed(build_digest_data(session, ctx.team_id, rolling_period(ctx.now)))


def _schedule(
    now: datetime, schedule_id: int, channel_id: str, weekday: int, hour: int, minute: int, tz: str
) -> r.DigestSchedule:
    nxt = next_digest_at(now, weekday=weekday, hour=hour, minute=minute, tz=tz)
    return r.DigestSchedule(schedule_id, channel_id, weekday, hour, minute, tz, nxt)


def list_digests(session: Session, ctx: Context, cmd: m.DigestsList) -> r.Result:
    rows = digests.list_schedules(session, ctx.team_id)
    return r.DigestsListed(
        tuple(_schedule(ctx.now, s.id, s.channel_id, s.weekday, s.hour, s.minute, s.tz) for s in rows)
    )


def add_digest(session: Session, ctx: Context, cmd: m.DigestsAdd) -> r.Result:
    weekday = 0 if cmd.weekday is None else cmd.weekday
    hour = 9 if cmd.hour is None else cmd.hour
    minute = cmd.minute if cmd.hour is not None else 0
    profile = ctx.slack.user(ctx.user_id)
    tz = cmd.tz or (profile.tz if profile is not None else None) or "UTC"
    for row in digests.list_schedules(session, ctx.team_id):
        if (row.channel_id, row.weekday, row.hour, row.minute, row.tz) == (cmd.channel_id, weekday, hour, minute, tz):
            return r.DigestAlreadyScheduled(row.id)
    name = cmd.channel_name
    check = ctx.slack.channels.get(cmd.channel_id)
    if check is not None:
        if not check.ok:
            raise FieldNotesError(check.problem)
        name = check.name or name
    row = digests.add_schedule(session, ctx.team_id, cmd.channel_id, name, weekday, hour, minute, tz, ctx.now)
    return r.DigestAdded(_schedule(ctx.now, row.id, cmd.channel_id, weekday, hour, minute, tz))


def remove_digest(session: Session, ctx: Context, cmd: m.DigestsRemove) -> r.Result:
    if not digests.remove_schedule(session, ctx.team_id, cmd.schedule_id):
        raise NotFound(say.no_such_schedule(cmd.schedule_id))
    return r.DigestRemoved(cmd.schedule_id)


RUNNERS: dict[type[m.Command], Runner] = {
    m.DigestPreview: preview,
    m.DigestsList: list_digests,
    m.DigestsAdd: add_digest,
    m.DigestsRemove: remove_digest,
}
