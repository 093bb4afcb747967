"""Delivering a marketer's reply (or follow-up question) to the reps who raised a label.

The modal's lazy listener delivers at once; it also plans a `reply.deliver` job a few minutes later as a safety
net, so a process that dies halfway through the DMs leaves the rest to that job instead of to nobody. Every DM
carries its key in message metadata (post_once), so the job never DMs a rep twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.replies import build_ask_dm, build_reply_dm, build_thread_record
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, handler
from bot.runtime import Runtime
from bot.services import replies as service
from storage.repositories import jobs
from storage.repositories import replies as replies_repo

__all__ = ["deliver", "plan_safety_net"]

logger = logging.getLogger(__name__)

SAFETY_NET_DELAY = timedelta(minutes=10)


def plan_safety_net(session: Session, team_id: str, reply_id: int, now: datetime) -> None:
    jobs.plan(
        session,
        kind=kinds.REPLY_DELIVER,
        key=f"{kinds.REPLY_DELIVER}:{reply_id}",
        due_at=now + SAFETY_NET_DELAY,
        now=now,
        team_id=team_id,
        payload={"reply_id": reply_id},
    )


def deliver(
    runtime: Runtime, client: WebClient, team_id: str, recorded: service.RecordedReply, *, recovering: bool = False
) -> int:
    """DM every recipient not yet sent to; record the reply in the digest thread. Returns how many were sent."""
    sent = 0
    for delivery in recorded.deliveries:
        if recorded.kind == "reply":
            text, blocks = build_reply_dm(recorded.ref.label, recorded.message, recorded.link, delivery.note_text)
        else:
            text, blocks = build_ask_dm(recorded.reply_id, recorded.ref.label, recorded.message, delivery.note_text)
        try:
            channel = str(client.conversations_open(users=delivery.slack_user_id)["channel"]["id"])
            channel, ts = post_once(
                client,
                channel=channel,
                key=f"reply:{recorded.reply_id}:{delivery.rep_id}",
                text=text,
                blocks=blocks,
                recovering=recovering,
            )
        except SlackApiError as exc:
            logger.warning("DM to %s failed: %s", delivery.slack_user_id, exc.response.get("error"))
            continue
        sent += 1
        with runtime.session_factory.begin() as session:
            service.mark_sent(session, team_id, delivery, channel=channel, ts=ts, now=runtime.now(), reply=recorded)
    if sent and recorded.thread is not None:
        text = build_thread_record(recorded.kind, recorded.author, sent, recorded.ref.label, recorded.message)
        try:
            client.chat_postMessage(
                channel=recorded.thread[0], thread_ts=recorded.thread[1], text=text, unfurl_links=False
            )
        except SlackApiError as exc:
            logger.warning("could not record in the digest thread %s: %s", recorded.thread, exc.response.get("error"))
    return sent


@handler(kinds.REPLY_DELIVER)
def deliver_rest(ctx: JobContext) -> None:
    team_id = ctx.job.team_id or ""
    with ctx.runtime.session_factory.begin() as session:
        reply = replies_repo.get_reply(session, team_id, int(ctx.job.payload["reply_id"]))
        recorded = service.pending(session, team_id, reply) if reply is not None else None
    if recorded is None or not recorded.deliveries:
        return
    # Recipients still unsent: an earlier process died mid-delivery. Check each DM before sending it again.
    deliver(ctx.runtime, ctx.runtime.clients.for_team(team_id), team_id, recorded, recovering=True)
