"""One-click tags: a candidate tag confirmed under a saved note, and a candidate competitor added from App Home.

Both ack at once and do the work in a lazy listener; a double click or a Slack retry changes nothing more.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest, Respond
from slack_sdk import WebClient

from bot.blocks.feedback import build_confirmation, parse_candidate_value
from bot.listeners.common import action_value, is_retry, publish_home, run_admin_command, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime
from bot.services import corrections
from bot.services.admin import model as m

__all__ = ["handle_candidate_confirm", "handle_vendor_add"]


@reported
def handle_candidate_confirm(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    request: BoltRequest,
    context: BoltContext,
    runtime: Runtime,
) -> None:
    """Add the clicked candidate as a `human` tag of the note, then show the confirmation with it."""
    parsed = parse_candidate_value(action_value(body))
    if parsed is None or is_retry(request):
        return
    note_id, picked, others = parsed
    with runtime.session_factory.begin() as session:
        shown = corrections.confirm_candidate(
            session, team_id(context), note_id, body["user"]["id"], picked, [picked, *others], now=runtime.now()
        )
    message = build_confirmation(shown)
    container = body.get("container") or {}
    channel, ts = str(container.get("channel_id") or ""), str(container.get("message_ts") or "")
    if container.get("type") == "message" and not container.get("is_ephemeral") and channel and ts:
        client.chat_update(channel=channel, ts=ts, text=message["text"], blocks=message["blocks"])
    elif body.get("response_url"):  # an ephemeral answer to `/feedback <text>`: only its response_url reaches it
        respond(text=message["text"], blocks=message["blocks"], replace_original=True)


@reported
def handle_vendor_add(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    """*Add as competitor* on the admin App Home: `competitors add <name>`, then the Home without it."""
    name = action_value(body).strip()
    if not name or is_retry(request):
        return
    team, user_id = team_id(context), body["user"]["id"]
    run_admin_command(runtime, client, team, user_id, m.CompetitorsAdd(name, ()))
    publish_home(runtime, client, team, user_id)
