"""Delivering a review: the marketer's record message (answers thread under it), then each rep's DM, each once.

The modal's lazy listener plans the `review.deliver` job and runs it at once (engine.run_now); if the process
dies midway, the next tick finishes it, and post_once never sends a message twice.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from bot.blocks.reviews import build_answer_line, build_review_dm, build_review_message
from bot.jobs import kinds
from bot.jobs.delivery import post_once
from bot.jobs.engine import JobContext, RetryLater, handler
from bot.services import reviews as service

__all__ = ["deliver", "post_answer"]


@handler(kinds.REVIEW_DELIVER)
def deliver(ctx: JobContext) -> None:
    team_id, review_id = ctx.job.team_id or "", int(ctx.job.payload["review_id"])
    runtime = ctx.runtime
    with runtime.session_factory() as session:
        review = service.info(session, team_id, review_id)
        asked = service.to_send(session, team_id, review_id)
    if review is None:
        return
    client = runtime.clients.for_team(team_id)
    if review.message_ts is None:
        text, blocks = build_review_message(review)
        dm = str(client.conversations_open(users=review.author_user_id)["channel"]["id"])
        channel, ts = post_once(ctx, client, channel=dm, key=f"review:{review_id}", text=text, blocks=blocks)
        with runtime.session_factory.begin() as session:
            service.mark_message(session, team_id, review_id, channel, ts)
    text, blocks = build_review_dm(review)
    failed = 0
    for one in asked:
        try:
            dm = str(client.conversations_open(users=one.user_id)["channel"]["id"])
            post_once(ctx, client, channel=dm, key=f"review:{review_id}:{one.request_id}", text=text, blocks=blocks)
        except SlackApiError:
            failed += 1
            continue
        with runtime.session_factory.begin() as session:
            service.mark_sent(session, team_id, one.request_id, ctx.now)
    if failed:
        raise RetryLater(f"{failed} of {len(asked)} review DMs for review {review_id} failed")


@handler(kinds.REVIEW_ANSWER)
def post_answer(ctx: JobContext) -> None:
    """A rep's answer, in the thread of the marketer's review message (once that message is out)."""
    team_id, payload = ctx.job.team_id or "", ctx.job.payload
    with ctx.runtime.session_factory() as session:
        review = service.info(session, team_id, int(payload["review_id"]))
        answer = service.answer_of(session, team_id, int(payload["request_id"]))
    if review is None or answer is None:
        return  # purged meanwhile
    if not (review.channel_id and review.message_ts):
        raise RetryLater(f"review {review.id}: its message is not posted yet")
    client = ctx.runtime.clients.for_team(team_id)
    text = build_answer_line(answer.user_id, answer.rating, answer.comment)
    post_once(
        ctx,
        client,
        channel=review.channel_id,
        key=f"review-answer:{payload['request_id']}",
        text=text,
        thread_ts=review.message_ts,
    )
