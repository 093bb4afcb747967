"""Posting exactly once from a job, within Slack's limits, without guessing.

Every message a job posts has a key (what it is for) and carries it in message metadata. Before the call to
Slack, `post_once` checks that the job still holds its lease and marks the key `posting` (one transaction);
after it, `posted` with the channel and ts. The next attempt of the job then knows:
- `posted`: it was sent; nothing to do.
- no mark: nothing was sent (or Slack refused it for certain, which removes the mark); post.
- `posting`: an attempt stopped mid-post (killed, or Slack answered 5xx or not at all): Slack may have the
  message. Only then is the channel's history read, from just before the mark (Slack allows apps outside the
  Marketplace one `conversations.history` request a minute and 15 messages). Found: recorded, not posted
  again; not found: posted; the lookup itself failed (rate-limited, missing scope, outage): try later, never
  guess. A rate-limited lookup does not wait inside the tick: the job is due again when Slack says.

Posts are never re-sent by the Slack client on a 5xx or a dropped connection (bot.slack), only on 429, which
Slack documents as not posted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ids import METADATA_EVENT
from storage.repositories import posts

if TYPE_CHECKING:
    from bot.jobs.engine import JobContext

__all__ = ["HISTORY_LIMIT", "find_posted", "post_once"]

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 15  # the most conversations.history returns to apps outside the Marketplace
CLOCK_SKEW = timedelta(minutes=1)  # look this far before the mark: Slack's clock and ours differ a little


def post_once(
    ctx: JobContext,
    client: WebClient,
    *,
    channel: str,
    key: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
) -> tuple[str, str]:
    """(channel, ts) of the message for `key`, posting it unless an earlier attempt already did.

    Raises LeaseLost (the job is another process's now), RetryLater (whether an interrupted attempt posted
    cannot be known yet), or the Slack error of the post."""
    runtime, team_id = ctx.runtime, ctx.job.team_id or ""
    with runtime.session_factory.begin() as session:
        ctx.hold(session)
        mark = posts.get(session, team_id, key)
        if mark is not None and mark.state == "posted" and mark.channel_id and mark.message_ts:
            return mark.channel_id, mark.message_ts
        if mark is None:
            posts.start(session, team_id, key, now=runtime.now())
        interrupted_at = mark.started_at if mark is not None else None
    if interrupted_at is not None:
        found = _posted_before(ctx, client, channel=channel, key=key, since=interrupted_at, thread_ts=thread_ts)
        if found is not None:
            logger.info("message for %s was posted before an interruption; not posting it again", key)
            _record(ctx, key, *found)
            return found
        ctx.hold()
    try:
        response = client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
            unfurl_links=False,
        )
    except SlackApiError as exc:
        if exc.response.status_code < 500:  # an API error or a rate limit: certainly not posted
            with runtime.session_factory.begin() as session:
                posts.forget(session, team_id, key)
        raise
    posted = str(response["channel"]), str(response["ts"])
    _record(ctx, key, *posted)
    return posted


def _posted_before(
    ctx: JobContext, client: WebClient, *, channel: str, key: str, since: datetime, thread_ts: str | None
) -> tuple[str, str] | None:
    """The message an interrupted attempt posted, if Slack has it; RetryLater when Slack cannot say."""
    from bot.jobs.engine import RetryLater

    try:
        return find_posted(client, channel=channel, key=key, since=since - CLOCK_SKEW, thread_ts=thread_ts)
    except SlackApiError as exc:
        wait = _retry_after(exc)
        raise RetryLater(
            f"could not tell whether {key} was posted before an interruption: {_error(exc)}",
            at=ctx.runtime.now() + timedelta(seconds=wait or 60),
            counts=wait is None,  # a rate limit is not a failure; anything else counts towards giving up
        ) from exc


def _record(ctx: JobContext, key: str, channel: str, ts: str) -> None:
    with ctx.runtime.session_factory.begin() as session:
        posts.mark_posted(session, ctx.job.team_id or "", key, channel_id=channel, ts=ts, now=ctx.runtime.now())


def find_posted(
    client: WebClient, *, channel: str, key: str, since: Any, thread_ts: str | None = None
) -> tuple[str, str] | None:
    """Our message for `key` posted after `since`, read from one page of history (or of the thread).

    Raises SlackApiError when Slack cannot say (then nobody knows yet), including when more than one page
    of messages came after `since` and ours is not on the first."""
    reader = WebClient(token=client.token, base_url=client.base_url, timeout=10, retry_handlers=[])
    oldest = f"{since.timestamp():.6f}"
    if thread_ts is not None:
        page = reader.conversations_replies(
            channel=channel, ts=thread_ts, oldest=oldest, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    else:
        page = reader.conversations_history(
            channel=channel, oldest=oldest, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    messages: list[dict[str, Any]] = page.get("messages", [])
    for message in messages:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == METADATA_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
            return channel, str(message["ts"])
    if page.get("has_more"):
        raise SlackApiError("more messages than one page since the interrupted post", page)
    return None


def _retry_after(exc: SlackApiError) -> int | None:
    if exc.response is None or exc.response.status_code != 429:
        return None
    for name, value in (exc.response.headers or {}).items():
        if name.lower() == "retry-after":
            try:
                return int(value[0] if isinstance(value, list) else value)
            except (TypeError, ValueError):
                break
    return 60


def _error(exc: SlackApiError) -> str:
    response = exc.response
    if response is None:
        return str(exc)
    return str(response.get("error") or f"HTTP {response.status_code}")
