"""Delivering a marketer's reply (or follow-up question) to the reps who raised a label.

The modal's lazy listener records the reply and plans its `reply.deliver` job, then runs that job at once
(engine.run_now). So the DMs go out under a job's lease: a process that dies halfway through them leaves the
rest to the job, taken over by another process when the lease ends, and every DM goes through post_once, so
no rep is DMed twice.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.replies import build_ask_dm, build_reply_dm, build_thread_record
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, RetryLater, handler
from bot.services import replies as service
from storage.repositories import jobs
from storage.repositories import replies as replies_repo

__all__ = ["deliver", "job_key", "plan_delivery"]

logger = logging.getLogger(__name__)


def job_key(reply_id: int) -> str:
    return f"{kinds.REPLY_DELIVER}:{reply_id}"


def plan_delivery(session: Session, team_id: str, reply_id: int, now: datetime) -> str:
    """Plan the reply's delivery, due now; its key, for engine.run_now."""
    jobs.plan(
        session,
        kind=kinds.REPLY_DELIVER,
        key=job_key(reply_id),
        due_at=now,
        now=now,
        team_id=team_id,
        payload={"reply_id": reply_id},
    )
    return job_key(reply_id)


def deliver(ctx: JobContext, client: WebClient, recorded: service.RecordedReply) -> int:
    """DM every recipient not yet sent to; record the reply in the digest thread. Returns how many were sent."""
    runtime, team_id = ctx.runtime, ctx.job.team_id or ""
    sent, failed = 0, 0
    for delivery in recorded.deliveries:
        if recorded.kind == "reply":
            text, blocks = build_reply_dm(recorded.ref.label, recorded.message, recorded.link, delivery.note_text)
        else:
            text, blocks = build_ask_dm(recorded.reply_id, recorded.ref.label, recorded.message, delivery.note_text)
        try:
            channel = str(client.conversations_open(users=delivery.slack_user_id)["channel"]["id"])
            channel, ts = post_once(
                ctx,
                client,
                channel=channel,
                key=f"reply:{recorded.reply_id}:{delivery.rep_id}",
                text=text,
                blocks=blocks,
            )
        except SlackApiError as exc:
            logger.warning("DM to %s failed: %s", delivery.slack_user_id, exc.response.get("error"))
            failed += 1
            continue
        sent += 1
        with runtime.session_factory.begin() as session:
            service.mark_sent(session, team_id, delivery, channel=channel, ts=ts, now=runtime.now(), reply=recorded)
    if failed:  # the job tries those again later (and its recovery never DMs anyone twice)
        raise RetryLater(f"{failed} of {len(recorded.deliveries)} DMs for reply {recorded.reply_id} failed")
    with runtime.session_factory.begin() as session:
        total = service.sent_count(session, team_id, recorded.reply_id)
    if total and recorded.thread is not None:
        text = build_thread_record(recorded.kind, recorded.author, total, recorded.ref.label, recorded.message)
        try:
            post_once(
                ctx,
                client,
                channel=recorded.thread[0],
                thread_ts=recorded.thread[1],
                key=f"reply-thread:{recorded.reply_id}",
                text=text,
            )
        except SlackApiError as exc:
            logger.warning("could not record in the digest thread %s: %s", recorded.thread, exc.response.get("error"))
    return sent


@handler(kinds.REPLY_DELIVER)
def deliver_rest(ctx: JobContext) -> None:
    team_id = ctx.job.team_id or ""
    with ctx.runtime.session_factory.begin() as session:
        reply = replies_repo.get_reply(session, team_id, int(ctx.job.payload["reply_id"]))
        recorded = service.pending_with_notes(session, team_id, reply) if reply is not None else None
    if recorded is None:
        return
    deliver(ctx, ctx.runtime.clients.for_team(team_id), recorded)
