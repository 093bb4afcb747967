"""Message shortcut *Log as call feedback*: the modal with the message's text and who wrote it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.blocks.feedback import shortcut_context
from bot.listeners.common import is_retry, open_feedback_modal, team_id
from bot.runtime import Runtime
from bot.services.notes import MAX_TEXT_CHARS, clean_text

__all__ = ["handle_log_message_shortcut", "permalink"]


def permalink(team_domain: str | None, channel_id: str, ts: str) -> str | None:
    """Slack's permalink shape, built locally: no API call stands between the click and the modal."""
    if not team_domain or not channel_id or not ts:
        return None
    return f"https://{team_domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


def handle_log_message_shortcut(
    ack: Ack, shortcut: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    ack()
    if is_retry(request):
        return
    message = shortcut.get("message") or {}
    channel_id = (shortcut.get("channel") or {}).get("id") or ""
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    author = message.get("user") or message.get("bot_id")
    link = permalink((shortcut.get("team") or {}).get("domain"), channel_id, ts)
    text = clean_text(str(message.get("text") or ""))[:MAX_TEXT_CHARS]
    open_feedback_modal(
        runtime,
        client,
        team_id=team_id(context),
        trigger_id=shortcut["trigger_id"],
        prefill={"said": text},
        metadata={"message": {"author": author, "channel": channel_id, "ts": ts, "link": link}},
        context=shortcut_context(author, link),
    )
