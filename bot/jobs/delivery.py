"""Posting exactly once: every message the app posts from a job carries its job key in message metadata.

A job taken over after a crash (`ctx.recovering`) first looks for its own earlier message in the channel
and returns that instead of posting again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ids import METADATA_EVENT

__all__ = ["find_posted", "post_once"]

logger = logging.getLogger(__name__)


def post_once(
    client: WebClient,
    *,
    channel: str,
    key: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    recovering: bool = False,
) -> tuple[str, str]:
    """(channel, ts) of the message for `key`, posting it unless an earlier attempt already did."""
    if recovering:
        found = find_posted(client, channel=channel, key=key)
        if found is not None:
            logger.info("message for %s was already posted before a crash; not posting again", key)
            return found
    response = client.chat_postMessage(
        channel=channel,
        text=text,
        blocks=blocks,
        thread_ts=thread_ts,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
        unfurl_links=False,
    )
    return str(response["channel"]), str(response["ts"])


def find_posted(client: WebClient, *, channel: str, key: str) -> tuple[str, str] | None:
    try:
        history = client.conversations_history(channel=channel, limit=100, include_all_metadata=True)
    except SlackApiError:
        return None
    messages: list[dict[str, Any]] = history.get("messages", [])
    for message in messages:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == METADATA_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
            return channel, str(message["ts"])
    return None
