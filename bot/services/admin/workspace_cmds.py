"""`/fieldnotes prompts …` and `settings …`: the workspace's prompt timing and its settings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import admin as say
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.admin.grammar import usage
from bot.services.admin.values import WEEKDAYS, parse_days
from storage.models import Workspace
from storage.repositories import workspaces

__all__ = ["RUNNERS", "workspace_of"]


def workspace_of(session: Session, team_id: str) -> Workspace:
    workspace = workspaces.get(session, team_id)
    if workspace is None:
        raise NotFound(say.NOT_SET_UP)
    return workspace


def show_prompts(session: Session, ctx: Context, cmd: m.PromptsShow) -> r.Result:
    ws = workspace_of(session, ctx.team_id)
    days = parse_days(ws.checkin_days) if ws.checkin_days and ws.checkin_time else ()
    return r.PromptsShown(ws.prompt_delay_minutes, ws.nudge_hours, ws.expiry_hours, days, ws.checkin_time)


def set_delay(session: Session, ctx: Context, cmd: m.PromptsDelay) -> r.Result:
    workspace_of(session, ctx.team_id).prompt_delay_minutes = cmd.minutes
    return r.PromptDelaySet(cmd.minutes)


def set_nudge(session: Session, ctx: Context, cmd: m.PromptsNudge) -> r.Result:
    ws = workspace_of(session, ctx.team_id)
    if cmd.hours is not None and cmd.hours >= ws.expiry_hours:
        raise UsageError(f"{say.nudge_after_expiry(ws.expiry_hours)}\n{usage('prompts nudge')}")
    ws.nudge_hours = cmd.hours
    return r.NudgeSet(cmd.hours)


def set_checkin(session: Session, ctx: Context, cmd: m.PromptsCheckin) -> r.Result:
    ws = workspace_of(session, ctx.team_id)
    if not cmd.days:
        ws.checkin_days, ws.checkin_time = None, None
        return r.CheckinSet((), None)
    ws.checkin_days = ",".join(WEEKDAYS[d] for d in cmd.days)
    ws.checkin_time = f"{cmd.hour:02d}:{cmd.minute:02d}"
    return r.CheckinSet(cmd.days, ws.checkin_time)


def show_settings(session: Session, ctx: Context, cmd: m.SettingsShow) -> r.Result:
    ws = workspace_of(session, ctx.team_id)
    return r.SettingsShown(ws.quotes, ws.retention_days, bool(ws.replies_by_channel_members))


def set_quotes(session: Session, ctx: Context, cmd: m.SettingsQuotes) -> r.Result:
    workspace_of(session, ctx.team_id).quotes = cmd.mode
    return r.QuotesSet(cmd.mode)


def set_retention(session: Session, ctx: Context, cmd: m.SettingsRetention) -> r.Result:
    workspace_of(session, ctx.team_id).retention_days = cmd.days
    return r.RetentionSet(cmd.days)


def set_replies(session: Session, ctx: Context, cmd: m.SettingsReplies) -> r.Result:
    workspace_of(session, ctx.team_id).replies_by_channel_members = cmd.channel_members
    return r.RepliesSet(cmd.channel_members)


RUNNERS: dict[type[m.Command], Runner] = {
    m.PromptsShow: show_prompts,
    m.PromptsDelay: set_delay,
    m.PromptsNudge: set_nudge,
    m.PromptsCheckin: set_checkin,
    m.SettingsShow: show_settings,
    m.SettingsQuotes: set_quotes,
    m.SettingsRetention: set_retention,
    m.SettingsReplies: set_replies,
}
