"""Weekly digests: planned per schedule and ISO week, posted once, with the theme chart in the thread.

At each tick the planner plans, for every schedule, the job of its LATEST fire time at or before now,
keyed `digest:<schedule_id>:<ISO week covered>`. A digest missed while the app was down is therefore
sent when it comes back, once, and only for the latest week. The run row (unique schedule + week) is
written before and after posting, and `post_once` posts it once even when an attempt is interrupted.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.digest import build_digest
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, RetryLater, handler, planner
from bot.runtime import Runtime
from bot.services.digest import DigestData, build_digest_data, latest_fire, previous_week, week_period
from storage.models import DigestSchedule
from storage.repositories import deliveries, jobs, people
from storage.repositories import digests as repo

__all__ = ["plan_digests", "send_digest"]

logger = logging.getLogger(__name__)

CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived"}


def job_key(schedule_id: int, week: str) -> str:
    return f"digest:{schedule_id}:{week}"


def due_week(schedule: DigestSchedule, now: datetime) -> tuple[datetime, str]:
    """The latest fire time at or before `now` and the ISO week that digest covers."""
    fire = latest_fire(now, weekday=schedule.weekday, hour=schedule.hour, minute=schedule.minute, tz=schedule.tz)
    return fire, previous_week(fire, schedule.tz).week


@planner
def plan_digests(runtime: Runtime, session: Session, now: datetime) -> None:
    for schedule in repo.all_schedules(session):
        fire, week = due_week(schedule, now)
        if fire < schedule.created_at:
            continue  # a schedule added on Wednesday starts with the next Monday, not last week's
        jobs.plan(
            session,
            kind=kinds.DIGEST_SEND,
            key=job_key(schedule.id, week),
            due_at=fire,
            now=now,
            team_id=schedule.team_id,
            payload={"schedule_id": schedule.id, "week": week},
        )


def _gave_up(ctx: JobContext, exc: Exception) -> None:
    team_id = ctx.job.team_id or ""
    with ctx.runtime.session_factory.begin() as session:
        schedule = repo.get_schedule(session, team_id, int(ctx.job.payload["schedule_id"]))
        run = repo.run_for_week(session, team_id, int(ctx.job.payload["schedule_id"]), str(ctx.job.payload["week"]))
        if run is not None:
            repo.mark_failed(session, run.id, error=f"{type(exc).__name__}: {exc}", final=True)
    if schedule is not None:
        _tell_admins(
            ctx,
            team_id,
            key=f"digest-gave-up:{schedule.id}:{ctx.job.payload['week']}",
            text=(
                f"The Field Notes digest for #{schedule.channel_name or schedule.channel_id} "
                f"(week {ctx.job.payload['week']}) could not be posted after several attempts ({exc}). "
                "Check `fieldnotes doctor`; the next week's digest will be tried as usual."
            ),
        )


@handler(kinds.DIGEST_SEND, on_give_up=_gave_up)
def send_digest(ctx: JobContext) -> None:
    team_id = ctx.job.team_id or ""
    schedule_id = int(ctx.job.payload["schedule_id"])
    week = str(ctx.job.payload["week"])
    with ctx.runtime.session_factory.begin() as session:
        schedule = repo.get_schedule(session, team_id, schedule_id)
        if schedule is None:
            logger.info("digest schedule %s was removed; nothing to send", schedule_id)
            return
        if due_week(schedule, ctx.now)[1] != week:
            logger.info("digest %s for %s is superseded by a later week; not sending it", schedule_id, week)
            return
        period = week_period(week, schedule.tz)
        run = repo.begin_run(
            session,
            team_id=team_id,
            schedule_id=schedule_id,
            week=week,
            period_start=period.start,
            period_end=period.end,
            channel_id=schedule.channel_id,
            now=ctx.now,
        )
        if run.state == "posted":
            return
        repo.mark_posting(session, run.id)
        run_id, channel, channel_name = run.id, schedule.channel_id, schedule.channel_name or schedule.channel_id
        data = build_digest_data(session, team_id, period, run_id=run_id)
    message = build_digest(data)
    client = ctx.runtime.clients.for_team(team_id)
    try:
        posted_channel, ts = post_once(
            ctx, client, channel=channel, key=ctx.job.key, text=message["text"], blocks=message["blocks"]
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        with ctx.runtime.session_factory.begin() as session:
            repo.mark_failed(session, run_id, error=error, final=False)
        if error in CHANNEL_ERRORS:
            _tell_admins(
                ctx,
                team_id,
                key=f"digest-channel:{schedule_id}:{week}:{error}",
                text=_channel_problem(channel_name, error),
            )
        # Rate limits and outages were already retried by the client; keep it due for a later tick.
        raise RetryLater(f"could not post the digest to {channel}: {error}") from exc
    with ctx.runtime.session_factory.begin() as session:
        repo.mark_posted(session, run_id, channel_id=posted_channel, message_ts=ts, now=ctx.now)
        first_chart = deliveries.first_time(session, team_id=team_id, key=f"digest-chart:{run_id}", now=ctx.now)
    if first_chart and data.chart_series:
        ctx.hold()
        _upload_chart(client, data, channel=posted_channel, thread_ts=ts)


def _upload_chart(client: WebClient, data: DigestData, *, channel: str, thread_ts: str) -> None:
    from bot.render.chart import render_theme_chart  # matplotlib: imported only when a chart is drawn

    try:
        png = render_theme_chart(data.chart_weeks, data.chart_series)
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            file=png,
            filename="themes.png",
            title="Top themes, last 8 weeks",
        )
    except Exception:
        # The digest itself is out; a missing chart is not worth posting the digest again.
        logger.warning("could not upload the theme chart for digest run %s", data.run_id, exc_info=True)


def _channel_problem(channel_name: str, error: str) -> str:
    if error == "channel_not_found":
        why = f"the channel #{channel_name} was not found (deleted, renamed to private, or the app is not in it)"
    elif error == "is_archived":
        why = f"#{channel_name} is archived"
    else:
        why = f"Field Notes is not a member of #{channel_name}"
    return (
        f":warning: The weekly Field Notes digest could not be posted: {why}.\n"
        f"Fix: invite @Field Notes to #{channel_name}: type `/invite @Field Notes` in #{channel_name}, "
        "or change the schedule with `/fieldnotes digests`. It will be tried again automatically."
    )


def _tell_admins(ctx: JobContext, team_id: str, *, key: str, text: str) -> None:
    """DM every admin once per `key` (not at every tick)."""
    with ctx.runtime.session_factory.begin() as session:
        if not deliveries.first_time(session, team_id=team_id, key=key, now=ctx.now):
            return
        admins = {p.slack_user_id for p in people.by_role(session, team_id, "is_admin")}
    admins.update(ctx.runtime.settings.admin_ids)
    client = ctx.runtime.clients.for_team(team_id)
    for user_id in sorted(admins):
        ctx.hold()
        try:
            client.chat_postMessage(channel=user_id, text=text)
        except SlackApiError:
            logger.warning("could not tell admin %s about a digest problem", user_id, exc_info=True)
