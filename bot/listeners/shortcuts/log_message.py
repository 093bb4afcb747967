"""Message shortcut *Log as call feedback*: the modal with the message's text and who wrote it.

The modal opens first, while the trigger_id is fresh; the link to the message comes from `chat.getPermalink`
after the ack (right on Enterprise Grid and GovSlack, whose links a workspace domain cannot build) and is put into
the open modal with `views.update` (its `hash` guards against overwriting a newer version of the view).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.feedback import shortcut_context
from bot.listeners.common import feedback_modal, is_retry, open_feedback_modal, team_id
from bot.runtime import Runtime
from bot.services.notes import MAX_TEXT_CHARS, clean_text, slack_unescape

__all__ = ["handle_log_message_shortcut"]

logger = logging.getLogger(__name__)


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
    prefill = {"said": clean_text(slack_unescape(str(message.get("text") or "")))[:MAX_TEXT_CHARS]}
    about = {"author": author, "channel": channel_id, "ts": ts, "link": None}
    team = team_id(context)
    view = open_feedback_modal(
        runtime,
        client,
        team_id=team,
        trigger_id=shortcut["trigger_id"],
        prefill=prefill,
        metadata={"message": about},
        context=shortcut_context(author, None),
    )
    if view.get("id") and channel_id and ts:
        runtime.background(_add_link, runtime, client, team, view, prefill, about)


def _add_link(
    runtime: Runtime, client: WebClient, team: str, view: dict[str, Any], prefill: dict[str, Any], about: dict[str, Any]
) -> None:
    """The message's permalink, asked of Slack, into the open modal; without it the note is kept all the same."""
    try:
        link = str(client.chat_getPermalink(channel=about["channel"], message_ts=about["ts"])["permalink"])
        about = {**about, "link": link}
        updated = feedback_modal(
            runtime,
            team,
            prefill=prefill,
            metadata={"message": about},
            context=shortcut_context(about["author"], link),
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
    except SlackApiError as exc:  # no link (a message the app cannot see, or the modal changed meanwhile)
        logger.info("no permalink for the shortcut's message: %s", exc.response.get("error"))
