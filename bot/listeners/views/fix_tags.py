"""Saving *Fix tags*: the note's tags become the rep's choice, as `human` tags kept for training."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids
from bot.blocks.feedback import FIX_KINDS, build_confirmation, parse_fix_tags_values
from bot.errors import FieldNotesError
from bot.listeners._payload import private_metadata
from bot.runtime import Runtime
from bot.services import notes as note_service


def register(app: App, runtime: Runtime) -> None:
    def handle_fix_tags_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        meta = private_metadata(view)
        note_id = meta.get("note_id")
        if not isinstance(note_id, int):
            ack()
            return
        chosen = parse_fix_tags_values(view["state"]["values"])
        try:
            with runtime.session_factory.begin() as session:
                note_service.fix_tags(session, body["team"]["id"], note_id, body["user"]["id"], chosen)
        except FieldNotesError as exc:
            first = next((f"fix:{kind}" for kind, _ in FIX_KINDS if f"fix:{kind}" in view["state"]["values"]), None)
            ack(response_action="errors", errors={first: str(exc)[:150]}) if first else ack()
            return
        ack()

    def update_confirmation(body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        meta = private_metadata(view)
        if not (meta.get("channel") and meta.get("ts") and isinstance(meta.get("note_id"), int)):
            return
        team_id = body["team"]["id"]
        from storage.repositories import notes

        with runtime.session_factory() as session:
            note = notes.get(session, team_id, meta["note_id"])
            if note is None:
                return
            shown = note_service.note_view(session, team_id, note)
        message = build_confirmation(shown)
        client.chat_update(channel=meta["channel"], ts=meta["ts"], text=message["text"], blocks=message["blocks"])

    app.view(ids.VIEW_FIX_TAGS)(ack=handle_fix_tags_submit, lazy=[update_confirmation])
