"""*What did you learn?*: the marketer's note on a ride-along, kept with the call for the digest."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.ridealongs import LEARNED_BLOCK, LEARNED_INPUT, build_learned_thanks
from bot.errors import UsageError
from bot.listeners.common import team_id
from bot.listeners.errors import reported
from bot.messages import ridealongs as say
from bot.runtime import Runtime
from bot.services import ridealongs as service

__all__ = ["ack_learned_submit", "handle_learned_submit"]


def _learned(view: dict[str, Any]) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return str((values.get(LEARNED_BLOCK, {}).get(LEARNED_INPUT) or {}).get("value") or "").strip()


def ack_learned_submit(ack: Ack, view: dict[str, Any]) -> None:
    if not _learned(view):
        raise UsageError(field_errors={LEARNED_BLOCK: say.WRITE_LEARNED})
    ack()


@reported
def handle_learned_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    metadata, text, user_id = str(view.get("private_metadata") or ""), _learned(view), body["user"]["id"]
    if not metadata.isdigit() or not text:
        return  # the ack refused it already
    team = team_id(context)
    with runtime.session_factory.begin() as session:
        ride, changed = service.record_learned(session, team, int(metadata), user_id, text, now=runtime.now())
        note = service.rep_note_text(session, team, ride)
    if changed:  # a double submit of the same text says thanks once
        client.chat_postMessage(channel=user_id, text=build_learned_thanks(ride, note))
