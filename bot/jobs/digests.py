"""Weekly digests: planned per schedule and ISO week, posted once, with the theme chart in the thread.

At each tick the planner plans, for every schedule, the job of its LATEST fire time at or before now,
keyed `digest:<schedule_id>:<ISO week covered>`. A digest missed while the app was down is therefore
sent when it comes back, once, and only for the latest week. The run row (unique schedule + week) is
written before and after posting, and `post_once` posts it once even when an attempt is interrupted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot import metrics
from bot.blocks.digest import build_digest
from bot.jobs import alerts, kinds
from bot.jobs.alerts import tell_admins
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, LeaseLost, RetryLater, handler, planner
from bot.runtime import Runtime
from bot.services.digest import DigestData, build_digest_data, latest_fire, previous_week, week_period
from storage.models import DigestSchedule
from storage.repositories import deliveries, jobs
from storage.repositories import digests as repo

__all__ = ["plan_digests", "send_digest"]

logger = logging.getLogger(__name__)

#: A failing digest is tried again after 2, 4, 8... minutes, then hourly, until next week's supersedes it.
BACKOFF_CAP = timedelta(hours=1)


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


@handler(kinds.DIGEST_SEND, gives_up=False, backoff_cap=BACKOFF_CAP)
def send_digest(ctx: JobContext) -> None:
    """Post the week's digest; on any failure, tell the admins once (this schedule and week) and try again later,
    until the digest is out or the next week's supersedes it."""
    try:
        _send_digest(ctx)
    except LeaseLost:
        raise
    except Exception as exc:
        waiting = isinstance(exc, RetryLater) and not exc.counts  # waiting for Slack is not a failure
        metrics.DIGEST_RUNS.labels("waiting" if waiting else "failed").inc()
        if not waiting:
            _tell_failure(ctx, exc)
        raise
    metrics.DIGEST_RUNS.labels("posted").inc()


def _tell_failure(ctx: JobContext, exc: Exception) -> None:
    team_id, schedule_id, week = ctx.job.team_id or "", int(ctx.job.payload["schedule_id"]), ctx.job.payload["week"]
    with ctx.runtime.session_factory() as session:
        schedule = repo.get_schedule(session, team_id, schedule_id)
        name = (schedule.channel_name or schedule.channel_id) if schedule is not None else str(schedule_id)
    tell_admins(ctx, f"digest-failing:{schedule_id}:{week}", alerts.digest_problem(name, str(week), exc))


def _send_digest(ctx: JobContext) -> None:
    team_id = ctx.job.team_id or ""
    started = _start_run(ctx, team_id, int(ctx.job.payload["schedule_id"]), str(ctx.job.payload["week"]))
    if started is None:
        return
    run_id, channel, data = started
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
        # Rate limits were already retried by the client; keep it due for a later tick.
        raise RetryLater(f"could not post the digest to {channel}: {error}") from exc
    with ctx.runtime.session_factory.begin() as session:
        repo.mark_posted(session, run_id, channel_id=posted_channel, message_ts=ts, now=ctx.now)
        first_chart = deliveries.first_time(session, team_id=team_id, key=f"digest-chart:{run_id}", now=ctx.now)
        heat = data.funnel is not None and bool(data.funnel.heat_labels)
        first_heatmap = heat and deliveries.first_time(
            session, team_id=team_id, key=f"digest-heatmap:{run_id}", now=ctx.now
        )
    if first_chart and data.chart_series:
        ctx.hold()
        _upload_chart(client, data, channel=posted_channel, thread_ts=ts)
    if first_heatmap:
        ctx.hold()
        _upload_heatmap(client, data, channel=posted_channel, thread_ts=ts)


def _start_run(ctx: JobContext, team_id: str, schedule_id: int, week: str) -> tuple[int, str, DigestData] | None:
    """(run id, channel, the digest's data) of the run to post now; None when there is nothing to post (the
    schedule is gone, a later week superseded this one, or the run was posted already)."""
    with ctx.runtime.session_factory.begin() as session:
        schedule = repo.get_schedule(session, team_id, schedule_id)
        if schedule is None:
            logger.info("digest schedule %s was removed; nothing to send", schedule_id)
            return None
        if due_week(schedule, ctx.now)[1] != week:
            logger.warning("digest %s for %s is superseded by a later week; not sending it", schedule_id, week)
            run = repo.run_for_week(session, team_id, schedule_id, week)
            if run is not None:
                repo.mark_failed(session, run.id, error="superseded by the next week's digest", final=True)
            return None
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
            return None
        repo.mark_posting(session, run.id)
        return run.id, schedule.channel_id, build_digest_data(session, team_id, period, run_id=run.id)


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


def _upload_heatmap(client: WebClient, data: DigestData, *, channel: str, thread_ts: str) -> None:
    from bot.render.heatmap import render_stage_heatmap
    from bot.services.stages import DEFAULT_STAGES

    if data.funnel is None:  # a digest without the funnel part has no heatmap
        return
    try:
        png = render_stage_heatmap(DEFAULT_STAGES, data.funnel.heat_labels, data.funnel.heat)
        client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename="stages.png", title="Where it comes up, by stage"
        )
    except Exception:
        # As with the chart: the digest is out, and a missing heatmap is not worth posting it again.
        logger.warning("could not upload the stage heatmap for digest run %s", data.run_id, exc_info=True)
