"""Timed prompt work: send the post-call DM, nudge once, expire, and the end-of-day check-in.

Each handler re-reads the prompt and does nothing unless its state still calls for it, so a job that
runs late, twice, or after the rep answered is harmless; posts go through post_once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.feedback import build_prompt_closed, build_prompt_message, build_prompt_nudge
from bot.jobs import kinds
from bot.jobs.alerts import tell_admins, undelivered_prompt
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, Undeliverable, handler, planner
from bot.runtime import Runtime
from bot.services.prompts import (
    checkins_due,
    info,
    info_for_sending,
    logged_on_local_day,
)
from storage.repositories import calls, jobs, people, prompts, workspaces

logger = logging.getLogger(__name__)

#: conversations.open errors that no retry can fix.
CANNOT_DM = {"user_not_found", "user_disabled", "account_inactive", "cannot_dm_bot", "not_allowed_token_type"}
#: A check-in found this late (the app was down) is dropped rather than sent at night.
CHECKIN_STALE = timedelta(hours=3)


def _send(ctx: JobContext, team_id: str, prompt_id: int, *, nudge: bool) -> None:
    with ctx.runtime.session_factory.begin() as session:
        p = info_for_sending(session, team_id, prompt_id, now=ctx.now)
        if p is None or p.state != "scheduled" or p.due_at > ctx.now:
            return  # answered, expired, or snoozed again to a later time: a later job sends it
        workspace = workspaces.get(session, team_id)
        if workspace is None:  # purged meanwhile, with its prompts
            return
        nudge_hours, expiry_hours = workspace.nudge_hours, workspace.expiry_hours
    client = ctx.runtime.clients.for_team(team_id)
    try:
        dm = str(client.conversations_open(users=p.rep_user_id)["channel"]["id"])
    except SlackApiError as exc:
        if exc.response.get("error") in CANNOT_DM:
            raise Undeliverable(f"cannot DM {p.rep_user_id}: {exc.response.get('error')}") from exc
        raise
    message = build_prompt_message(p)
    channel, ts = post_once(
        ctx,
        client,
        channel=dm,
        key=f"prompt:{p.id}:{p.due_at.isoformat()}",
        text=message["text"],
        blocks=message["blocks"],
    )
    with ctx.runtime.session_factory.begin() as session:
        prompts.mark_sent(session, team_id, prompt_id, channel_id=channel, ts=ts, now=ctx.now)
        common: dict[str, Any] = {"now": ctx.now, "team_id": team_id, "payload": {"prompt_id": prompt_id}}
        if nudge and nudge_hours:
            due = ctx.now + timedelta(hours=nudge_hours)
            jobs.plan(session, kind=kinds.PROMPT_NUDGE, key=f"{kinds.PROMPT_NUDGE}:{prompt_id}", due_at=due, **common)
        due = ctx.now + timedelta(hours=expiry_hours)
        jobs.plan(session, kind=kinds.PROMPT_EXPIRE, key=f"{kinds.PROMPT_EXPIRE}:{prompt_id}", due_at=due, **common)


def _undelivered(ctx: JobContext, exc: Exception) -> None:
    """The prompt could not be sent, after every attempt: it waits in the rep's App Home, and admins hear of it."""
    team_id = ctx.job.team_id or ""
    with ctx.runtime.session_factory.begin() as session:
        if ctx.job.kind == kinds.CHECKIN_SEND:
            prompt = calls.prompt_by_key(
                session, team_id, f"checkin:{ctx.job.payload['rep_id']}:{ctx.job.payload['day']}"
            )
            prompt_id = prompt.id if prompt is not None else None
        else:
            prompt_id = int(ctx.job.payload["prompt_id"])
        if prompt_id is None or not prompts.mark_undelivered(session, team_id, prompt_id):
            return  # answered or closed meanwhile: nothing waits for the rep
        p = info(session, team_id, prompt_id)
        workspace = workspaces.get(session, team_id)
        if p is None or workspace is None:  # purged meanwhile
            return
        jobs.plan(
            session,
            kind=kinds.PROMPT_EXPIRE,
            key=f"{kinds.PROMPT_EXPIRE}:{prompt_id}",
            due_at=ctx.now + timedelta(hours=workspace.expiry_hours),
            now=ctx.now,
            team_id=team_id,
            payload={"prompt_id": prompt_id},
        )
    tell_admins(ctx, f"prompt-undelivered:{prompt_id}", undelivered_prompt(p.rep_user_id, p.account))


def _team(ctx: JobContext) -> str:
    """The workspace of a job that is planned with one (every prompt and check-in job is)."""
    if ctx.job.team_id is None:
        raise ValueError(f"job {ctx.job.key} ({ctx.job.kind}) has no team_id")
    return ctx.job.team_id


def _team_and_prompt(ctx: JobContext) -> tuple[str, int]:
    return _team(ctx), int(ctx.job.payload["prompt_id"])


@handler(kinds.PROMPT_SEND, on_give_up=_undelivered)
def send_prompt(ctx: JobContext) -> None:
    team_id, prompt_id = _team_and_prompt(ctx)
    _send(ctx, team_id, prompt_id, nudge=True)


@handler(kinds.PROMPT_NUDGE)
def nudge_prompt(ctx: JobContext) -> None:
    team_id, prompt_id = _team_and_prompt(ctx)
    with ctx.runtime.session_factory.begin() as session:
        p = info(session, team_id, prompt_id)
        workspace = workspaces.get(session, team_id)
        if p is None or p.state != "sent" or p.nudged or not p.channel_id or not workspace or not workspace.nudge_hours:
            return
    client = ctx.runtime.clients.for_team(team_id)
    message = build_prompt_nudge(p)
    post_once(
        ctx,
        client,
        channel=p.channel_id,
        key=f"nudge:{p.id}",
        text=message["text"],
        blocks=message["blocks"],
        thread_ts=p.message_ts,
    )
    with ctx.runtime.session_factory.begin() as session:
        prompts.mark_nudged(session, team_id, prompt_id, now=ctx.now)


@handler(kinds.PROMPT_EXPIRE)
def expire_prompt(ctx: JobContext) -> None:
    team_id, prompt_id = _team_and_prompt(ctx)
    with ctx.runtime.session_factory.begin() as session:
        if not prompts.answer(session, team_id, prompt_id, state="expired", now=ctx.now):
            return
        p = info(session, team_id, prompt_id)
    if p is not None and p.channel_id and p.message_ts:
        message = build_prompt_closed(p)
        ctx.hold()
        ctx.runtime.clients.for_team(team_id).chat_update(
            channel=p.channel_id, ts=p.message_ts, text=message["text"], blocks=message["blocks"]
        )


# ---- end-of-day check-in -------------------------------------------------------------------------------
@planner
def plan_checkins(runtime: Runtime, session: Session, now: datetime) -> None:
    for workspace in prompts.checkin_workspaces(session):
        for due in checkins_due(session, workspace, now):
            jobs.plan(
                session,
                kind=kinds.CHECKIN_SEND,
                key=due.key,
                due_at=due.due_at,
                now=now,
                team_id=due.team_id,
                payload={"rep_id": due.rep_id, "day": due.local_day.isoformat()},
            )


@handler(kinds.CHECKIN_SEND, on_give_up=_undelivered)
def send_checkin(ctx: JobContext) -> None:
    team_id = _team(ctx)
    rep_id, day = int(ctx.job.payload["rep_id"]), date.fromisoformat(ctx.job.payload["day"])
    if ctx.now - ctx.job.due_at > CHECKIN_STALE:
        logger.info("check-in %s is stale (due %s); not sent", ctx.job.key, ctx.job.due_at)
        return
    with ctx.runtime.session_factory.begin() as session:
        rep = people.get(session, team_id, rep_id)
        if rep is None or not rep.is_rep or logged_on_local_day(session, team_id, rep, day):
            return
        key = f"checkin:{rep_id}:{day.isoformat()}"
        prompt = calls.create_prompt_once(
            session, team_id=team_id, kind="checkin", dedupe_key=key, rep_id=rep_id, due_at=ctx.now, now=ctx.now
        ) or calls.prompt_by_key(session, team_id, key)
        if prompt is None:  # answered and purged at the same instant: nothing to ask
            return
        prompt_id = prompt.id
    _send(ctx, team_id, prompt_id, nudge=False)
