"""Each `/fieldnotes` command carried out against storage, answered with short text.

Slack-free: user profiles come through a `Directory`, channel access through a `Channels` port; the
listener supplies both. Errors are `FieldNotesError`s whose message is shown to the admin as is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.blocks.digest import build_digest
from bot.blocks.text import escape, truncate
from bot.errors import FieldNotesError, NotFound, PermissionDenied, UsageError
from bot.services import vendors
from bot.services.admin import model as m
from bot.services.admin.parser import help_text, usage
from bot.services.admin.people_cmds import run_people
from bot.services.admin.permissions import require_admin
from bot.services.admin.stats import my_stats
from bot.services.admin.values import WEEKDAYS, format_days, parse_days
from bot.services.admin.webhook_cmds import WebhookInfo, run_webhook
from bot.services.digest import build_digest_data, rolling_period
from bot.services.directory import Directory
from bot.services.schedule import next_weekly, zone
from storage.models import Workspace
from storage.repositories import deliveries, digests, workspaces

__all__ = [
    "PROTECTED_QUESTIONS",
    "ChannelCheck",
    "Channels",
    "Context",
    "Reply",
    "execute",
    "execute_once",
    "next_digest_at",
]

PROTECTED_QUESTIONS = ("account", "outcome", "said")
MAX_QUESTIONS = 20  # each question is a block or two of a 100-block modal


@dataclass(frozen=True)
class ChannelCheck:
    ok: bool
    name: str = ""
    problem: str = ""  # what to do when not ok


class Channels(Protocol):
    def can_post(self, channel_id: str) -> ChannelCheck: ...


@dataclass
class Context:
    team_id: str
    user_id: str
    now: datetime
    directory: Directory | None = None
    channels: Channels | None = None
    webhook: WebhookInfo | None = None


@dataclass
class Reply:
    text: str
    blocks: list[dict[str, Any]] | None = field(default=None)


def execute_once(session: Session, ctx: Context, command: m.Command, *, key: str | None) -> Reply | None:
    """`execute`, unless a command with this key (its trigger) ran already: None for the replay. The key is
    recorded in the command's own transaction, so a command that failed may be sent again."""
    if key and not deliveries.first_time(session, team_id=ctx.team_id, key=key, now=ctx.now):
        return None
    return execute(session, ctx, command)


def execute(session: Session, ctx: Context, command: m.Command) -> Reply:
    """Run one command; raises FieldNotesError (PermissionDenied, NotFound, UsageError) with a message to show."""
    if not isinstance(command, m.OPEN_COMMANDS):
        require_admin(session, ctx.team_id, ctx.user_id, ctx.directory)
    if isinstance(command, m.Help):
        return Reply(help_text())
    if isinstance(command, m.Me):
        return Reply(my_stats(session, ctx.team_id, ctx.user_id, ctx.now, ctx.directory))
    if isinstance(command, m.DigestPreview):
        _refuse_guests(ctx)
        data = build_digest_data(session, ctx.team_id, rolling_period(ctx.now))
        return Reply("Digest preview (last 7 days)", build_digest(data)["blocks"])
    if isinstance(command, (m.PeopleList, m.PeopleAdd, m.PeopleRemove)):
        return Reply(run_people(session, ctx.team_id, ctx.user_id, command, ctx.directory, ctx.now))
    if isinstance(command, (m.WebhookShow, m.WebhookRotate)) and ctx.webhook is not None:
        return Reply(run_webhook(session, ctx.team_id, ctx.now, ctx.webhook, command))
    workspace = workspaces.get(session, ctx.team_id)
    if workspace is None:
        raise NotFound("This workspace is not set up yet: try again in a moment.")
    for kinds, run in _RUNNERS:
        if isinstance(command, kinds):
            return Reply(run(session, ctx, workspace, command))
    raise UsageError(f"`{command.render()}` is not something I can do here.")


def _refuse_guests(ctx: Context) -> None:
    """Guests see only the channels they were invited to: the digest (every channel's notes) is not for them."""
    profile = ctx.directory.user(ctx.user_id) if ctx.directory is not None else None
    if profile is not None and profile.is_guest:
        raise PermissionDenied("The digest preview is for members of the workspace, not guests.")


# ---- questions -------------------------------------------------------------------------------------------
def _question_items(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {"key": q.key, "label": q.label, "type": q.type, "options": list(q.options or []), "optional": bool(q.optional)}
        for q in workspaces.questions(session, team_id)
    ]


def _questions_text(items: list[dict[str, Any]]) -> str:
    lines = ["*Questions in the feedback form*"]
    for i, q in enumerate(items, start=1):
        extra = f" ({escape(truncate(', '.join(q['options']), 120))})" if q["options"] else ""
        optional = ", optional" if q["optional"] else ""
        lines.append(f"{i}. {escape(q['label'])} — {q['type']}{optional}{extra}")
    lines.append("Change with `/fieldnotes questions add | remove <n> | move <n> <m>`.")
    return "\n".join(lines)


def _questions(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    items = _question_items(session, ctx.team_id)
    if isinstance(cmd, m.QuestionsList):
        return _questions_text(items)
    if isinstance(cmd, m.QuestionsAdd):
        if any(q["label"].lower() == cmd.label.lower() for q in items):
            raise UsageError(f"There is already a question “{escape(cmd.label)}”.")
        if len(items) >= MAX_QUESTIONS:
            raise UsageError(f"The form already has {MAX_QUESTIONS} questions: remove one first.")
        taken = {q["key"] for q in items}
        key = next(f"q{n}" for n in range(len(items) + 1, 1000) if f"q{n}" not in taken)
        items.append(
            {"key": key, "label": cmd.label, "type": cmd.type, "options": list(cmd.options), "optional": cmd.optional}
        )
        workspaces.replace_questions(session, ctx.team_id, items)
        return f"Added question {len(items)}: “{escape(cmd.label)}” ({cmd.type}). The next feedback form shows it."
    if isinstance(cmd, m.QuestionsRemove):
        q = _nth(items, cmd.position)
        if q["key"] in PROTECTED_QUESTIONS:
            raise UsageError(
                f"“{escape(q['label'])}” is built in and can't be removed: every note needs an account, an outcome "
                "and what the customer said, and the digest is built from them. You can move it."
            )
        items.remove(q)
        workspaces.replace_questions(session, ctx.team_id, items)
        return f"Removed question {cmd.position}: “{escape(q['label'])}”. Notes already saved keep their answers."
    assert isinstance(cmd, m.QuestionsMove)
    q = _nth(items, cmd.position)
    if cmd.to > len(items):
        raise UsageError(f"There are {len(items)} questions: pick a place from 1 to {len(items)}.")
    items.remove(q)
    items.insert(cmd.to - 1, q)
    workspaces.replace_questions(session, ctx.team_id, items)
    return f"Moved “{escape(q['label'])}” to place {cmd.to}.\n" + _questions_text(items)


def _nth(items: list[dict[str, Any]], position: int) -> dict[str, Any]:
    if not 1 <= position <= len(items):
        raise NotFound(f"There is no question {position}: there are {len(items)}. See `/fieldnotes questions list`.")
    return items[position - 1]


# ---- prompts and settings ---------------------------------------------------------------------------------
def _prompts_text(ws: Workspace) -> str:
    nudge = f"after {ws.nudge_hours} h" if ws.nudge_hours else "off"
    if ws.checkin_days and ws.checkin_time:
        days = format_days(parse_days(ws.checkin_days))
        checkin = f"{days} at {ws.checkin_time} (each rep's local time)"
    else:
        checkin = "off"
    return (
        f"*Prompts*\n• After a call: {ws.prompt_delay_minutes} min (never 18:00–08:00 the rep's time)\n"
        f"• Nudge: {nudge}\n• Expires after: {ws.expiry_hours} h\n• End-of-day check-in: {checkin}"
    )


def _prompts(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    if isinstance(cmd, m.PromptsDelay):
        ws.prompt_delay_minutes = cmd.minutes
        return f"Reps are now asked {cmd.minutes} min after a call ends."
    if isinstance(cmd, m.PromptsNudge):
        if cmd.hours is not None and cmd.hours >= ws.expiry_hours:
            raise UsageError(
                f"Prompts expire after {ws.expiry_hours} h, so a nudge must come sooner.\n{usage('prompts nudge')}"
            )
        ws.nudge_hours = cmd.hours
        return "Nudges are off." if cmd.hours is None else f"Unanswered prompts get one nudge after {cmd.hours} h."
    if isinstance(cmd, m.PromptsCheckin):
        if not cmd.days:
            ws.checkin_days, ws.checkin_time = None, None
            return "End-of-day check-ins are off."
        ws.checkin_days = ",".join(WEEKDAYS[d] for d in cmd.days)
        ws.checkin_time = f"{cmd.hour:02d}:{cmd.minute:02d}"
        return (
            f"End-of-day check-ins: {format_days(cmd.days)} at {ws.checkin_time}, each rep's local time, "
            "for reps who logged nothing that day."
        )
    return _prompts_text(ws)


def _settings_text(ws: Workspace) -> str:
    keep = f"{ws.retention_days} days" if ws.retention_days else "forever"
    replies = (
        "marketers, admins and digest channel members" if ws.replies_by_channel_members else "marketers and admins"
    )
    return f"*Settings*\n• Quotes in digests: {ws.quotes}\n• Notes are kept: {keep}\n• Replies to reps from: {replies}"


def _settings(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    if isinstance(cmd, m.SettingsQuotes):
        ws.quotes = cmd.mode
        who = "with the rep's name" if cmd.mode == "attributed" else "without names"
        return f"Digest quotes are now {cmd.mode} ({who})."
    if isinstance(cmd, m.SettingsRetention):
        ws.retention_days = cmd.days
        if cmd.days is None:
            return "Notes are now kept forever."
        return f"Notes older than {cmd.days} days will be deleted (with their tags and answers) every night."
    if isinstance(cmd, m.SettingsReplies):
        ws.replies_by_channel_members = cmd.channel_members
        if cmd.channel_members:
            return "Members of a digest's channel may now reply to and ask reps from it, as marketers and admins can."
        return "Only marketers and admins may now reply to and ask reps from a digest."
    return _settings_text(ws)


# ---- digests ---------------------------------------------------------------------------------------------
def next_digest_at(now: datetime, *, weekday: int, hour: int, minute: int, tz: str) -> datetime:
    return next_weekly(now, weekday=weekday, hour=hour, minute=minute, tz=tz)


def _when(weekday: int, hour: int, minute: int, tz: str) -> str:
    return f"{WEEKDAYS[weekday].capitalize()} {hour:02d}:{minute:02d} {tz}"


def _digests(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    if isinstance(cmd, m.DigestsAdd):
        return _digests_add(session, ctx, cmd)
    if isinstance(cmd, m.DigestsRemove):
        if not digests.remove_schedule(session, ctx.team_id, cmd.schedule_id):
            raise NotFound(f"There is no digest schedule {cmd.schedule_id}: see `/fieldnotes digests list`.")
        return f"Removed digest schedule {cmd.schedule_id}."
    rows = digests.list_schedules(session, ctx.team_id)
    if not rows:
        return "No digests are scheduled. Add one: `/fieldnotes digests add #channel [mon 09:00 [Europe/London]]`."
    lines = ["*Digest schedules*"]
    for row in rows:
        nxt = next_digest_at(ctx.now, weekday=row.weekday, hour=row.hour, minute=row.minute, tz=row.tz)
        lines.append(
            f"• {row.id}: <#{row.channel_id}> every {_when(row.weekday, row.hour, row.minute, row.tz)}"
            f" — next {nxt.astimezone(zone(row.tz)):%a %d %b %H:%M}"
        )
    return "\n".join(lines)


def _digests_add(session: Session, ctx: Context, cmd: m.DigestsAdd) -> str:
    weekday = 0 if cmd.weekday is None else cmd.weekday
    hour = 9 if cmd.hour is None else cmd.hour
    minute = cmd.minute if cmd.hour is not None else 0
    tz = cmd.tz or _user_tz(ctx) or "UTC"
    for row in digests.list_schedules(session, ctx.team_id):
        if (row.channel_id, row.weekday, row.hour, row.minute, row.tz) == (cmd.channel_id, weekday, hour, minute, tz):
            return f"That digest is already scheduled (schedule {row.id})."
    name = cmd.channel_name
    if ctx.channels is not None:
        check = ctx.channels.can_post(cmd.channel_id)
        if not check.ok:
            raise FieldNotesError(check.problem)
        name = check.name or name
    row = digests.add_schedule(session, ctx.team_id, cmd.channel_id, name, weekday, hour, minute, tz, ctx.now)
    first = next_digest_at(ctx.now, weekday=weekday, hour=hour, minute=minute, tz=tz)
    return (
        f"Scheduled digest {row.id}: <#{cmd.channel_id}> every {_when(weekday, hour, minute, tz)}. "
        f"The first one comes {first.astimezone(zone(tz)):%a %d %b %Y %H:%M %Z}, covering the week before."
    )


def _user_tz(ctx: Context) -> str | None:
    profile = ctx.directory.user(ctx.user_id) if ctx.directory is not None else None
    return profile.tz if profile is not None else None


# ---- taxonomy --------------------------------------------------------------------------------------------
def _did_you_mean(name: str, names: list[str]) -> str:
    found = difflib.get_close_matches(name.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
    if not found:
        return ""
    original = next(n for n in names if n.lower() == found[0])
    return f" Did you mean “{escape(original)}”?"


def _labels(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    assert isinstance(cmd, (m.LabelsList, m.LabelsAdd, m.LabelsRemove))
    kind = cmd.kind
    rows = workspaces.labels(session, ctx.team_id, kind)
    if isinstance(cmd, m.LabelsAdd):
        existing = next((r for r in rows if r.name.lower() == cmd.name.lower()), None)
        workspaces.add_label(session, ctx.team_id, kind=kind, name=cmd.name, phrases=list(cmd.phrases))
        said = f" matching “{escape(', '.join(cmd.phrases))}”" if cmd.phrases else ""
        if existing is not None:
            return f"The {kind} “{escape(existing.name)}” now also matches{said or ' nothing new'}."
        return f"Added the {kind} “{escape(cmd.name)}”{said}. New notes are tagged with it from now on."
    if isinstance(cmd, m.LabelsRemove):
        if not workspaces.remove_label(session, ctx.team_id, kind=kind, name=cmd.name):
            raise NotFound(f"There is no {kind} “{escape(cmd.name)}”.{_did_you_mean(cmd.name, [r.name for r in rows])}")
        return f"Removed the {kind} “{escape(cmd.name)}”. Notes already tagged keep the tag."
    lines = [f"*{kind.capitalize()}s* ({len(rows)})"]
    for r in rows:
        phrases = f" — {escape(truncate(', '.join(r.phrases), 150))}" if r.phrases else ""
        lines.append(f"• {escape(r.name)}{phrases}")
    return "\n".join(lines)


def _competitors(session: Session, ctx: Context, ws: Workspace, cmd: m.Command) -> str:
    rows = workspaces.competitors(session, ctx.team_id)
    if isinstance(cmd, m.CompetitorsAdd):
        existing = next((r for r in rows if r.name.lower() == cmd.name.lower()), None)
        added = workspaces.add_competitor(session, ctx.team_id, name=cmd.name, aliases=list(cmd.aliases))
        retagged = vendors.adopt_vendor(session, ctx.team_id, added.name, added.aliases)
        aka = f" (also “{escape(', '.join(cmd.aliases))}”)" if cmd.aliases else ""
        past = _retagged_text(retagged)
        if existing is not None:
            return f"Competitor “{escape(existing.name)}” updated{aka}.{past}"
        return f"Added competitor “{escape(cmd.name)}”{aka}. New notes that mention it are tagged.{past}"
    if isinstance(cmd, m.CompetitorsRemove):
        if not workspaces.remove_competitor(session, ctx.team_id, name=cmd.name):
            names = [r.name for r in rows]
            raise NotFound(f"There is no competitor “{escape(cmd.name)}”.{_did_you_mean(cmd.name, names)}")
        return f"Removed competitor “{escape(cmd.name)}”. Notes already tagged keep the tag."
    lines = [f"*Competitors* ({len(rows)})"]
    for r in rows:
        aliases = f" — {escape(truncate(', '.join(r.aliases), 150))}" if r.aliases else ""
        lines.append(f"• {escape(r.name)}{aliases}")
    return "\n".join([*lines, *_candidates_lines(vendors.candidate_vendors(session, ctx.team_id))])


def _retagged_text(retagged: vendors.Retagged) -> str:
    if not retagged.looked_at:
        return ""
    notes = "note" if retagged.tagged == 1 else "notes"
    return f" Re-tagged the past notes that name it: {retagged.tagged} {notes} now count it."


def _candidates_lines(found: list[vendors.VendorCandidate]) -> list[str]:
    """The candidate competitors part of `competitors list`: vendors notes compare with, not on the list."""
    if not found:
        return []
    lines = ["", f"*Candidates* ({len(found)}): named in notes with a comparison, not on the list"]
    for c in found:
        notes = "note" if c.notes == 1 else "notes"
        quote = escape(truncate(c.quote, 150))
        lines.append(f"• {escape(truncate(c.name, 100))} — {c.notes} {notes}, latest: “{quote}”")
    lines.append("Add one with `/fieldnotes competitors add <name>`: past notes that name it are re-tagged.")
    return lines


_Runner = Callable[[Session, Context, Workspace, m.Command], str]
_RUNNERS: list[tuple[tuple[type[m.Command], ...], _Runner]] = [
    ((m.QuestionsList, m.QuestionsAdd, m.QuestionsRemove, m.QuestionsMove), _questions),
    ((m.PromptsShow, m.PromptsDelay, m.PromptsNudge, m.PromptsCheckin), _prompts),
    ((m.SettingsShow, m.SettingsQuotes, m.SettingsRetention, m.SettingsReplies), _settings),
    ((m.DigestsList, m.DigestsAdd, m.DigestsRemove), _digests),
    ((m.LabelsList, m.LabelsAdd, m.LabelsRemove), _labels),
    ((m.CompetitorsList, m.CompetitorsAdd, m.CompetitorsRemove), _competitors),
]
