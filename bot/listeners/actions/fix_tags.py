"""*Fix tags*: open a modal with the workspace's labels, those the note has now checked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.blocks.feedback import build_fix_tags_modal
from bot.errors import PermissionDenied
from bot.listeners.common import action_value, is_retry, team_id, tell_in_conversation
from bot.runtime import Runtime
from bot.services import corrections

__all__ = ["handle_fix_tags_click"]


def handle_fix_tags_click(
    ack: Ack, body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    ack()
    value = action_value(body)
    if is_retry(request) or not value.isdigit():
        return
    try:
        with runtime.session_factory() as session:
            view, choices = corrections.fix_tags_form(session, team_id(context), int(value), body["user"]["id"])
    except PermissionDenied as exc:  # told in the conversation only: from App Home there is nowhere to say it
        tell_in_conversation(client, body, exc.message)
        return
    container = body.get("container") or {}
    where = {}
    if container.get("type") == "message" and not container.get("is_ephemeral"):
        where = {"channel": container.get("channel_id"), "ts": container.get("message_ts")}
    client.views_open(trigger_id=body["trigger_id"], view=build_fix_tags_modal(view, choices, metadata=where))
