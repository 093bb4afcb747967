"""Saving *Fix tags*: the note's tags become the rep's choice, as `human` tags kept for training."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.feedback import FIX_KINDS, build_confirmation, parse_fix_tags_values
from bot.errors import FieldNotesError
from bot.listeners.common import private_metadata, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime
from bot.services import corrections
from bot.services import notes as note_service

__all__ = ["handle_fix_tags_saved", "handle_fix_tags_submit"]


def handle_fix_tags_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, runtime: Runtime
) -> None:
    note_id = private_metadata(view).get("note_id")
    if not isinstance(note_id, int):
        ack()
        return
    values = view["state"]["values"]
    try:
        with runtime.session_factory.begin() as session:
            chosen = parse_fix_tags_values(values)
            corrections.fix_tags(session, team_id(context), note_id, body["user"]["id"], chosen, now=runtime.now())
    except FieldNotesError as exc:  # shown on the first of the modal's fields
        first = next((f"fix:{kind}" for kind, _ in FIX_KINDS if f"fix:{kind}" in values), None)
        raise type(exc)(exc.message, field_errors={first: exc.message} if first else None) from exc
    ack()


@reported
def handle_fix_tags_saved(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    """Show the corrected tags in the confirmation the rep clicked *Fix tags* on."""
    meta = private_metadata(view)
    if not (meta.get("channel") and meta.get("ts") and isinstance(meta.get("note_id"), int)):
        return
    with runtime.session_factory() as session:
        shown = note_service.find_note_view(session, team_id(context), meta["note_id"])
    if shown is None:
        return
    message = build_confirmation(shown)
    client.chat_update(channel=meta["channel"], ts=meta["ts"], text=message["text"], blocks=message["blocks"])
