"""*Fix tags*: open a modal with the workspace's labels, those the note has now checked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient

from bot import ids
from bot.blocks.feedback import build_fix_tags_modal
from bot.listeners.actions.prompts import _tell
from bot.listeners.views.feedback import is_retry
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.services.workspaces import taxonomy_for
from nlp.taxonomy import KINDS
from storage.repositories import notes, people

NOT_YOURS = "Only the rep who wrote that note (or an admin) can fix its tags."


def register(app: App, runtime: Runtime) -> None:
    def handle_fix_tags_click(ack: Ack, body: dict[str, Any], client: WebClient, request: BoltRequest) -> None:
        ack()
        if is_retry(request):
            return
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        value = str((body.get("actions") or [{}])[0].get("value") or "")
        if not value.isdigit():
            return
        with runtime.session_factory() as session:
            note = notes.get(session, team_id, int(value))
            person = people.get_by_slack_id(session, team_id, user_id)
            if note is None or person is None or (note.author_id != person.id and not person.is_admin):
                _tell(client, body, NOT_YOURS)
                return
            view = note_service.note_view(session, team_id, note)
            taxonomy = taxonomy_for(session, team_id)
            choices = {kind: taxonomy.names(kind) for kind in KINDS}
        container = body.get("container") or {}
        where = {}
        if container.get("type") == "message" and not container.get("is_ephemeral"):
            where = {"channel": container.get("channel_id"), "ts": container.get("message_ts")}
        client.views_open(trigger_id=body["trigger_id"], view=build_fix_tags_modal(view, choices, metadata=where))

    app.action(ids.ACTION_FIX_TAGS)(handle_fix_tags_click)
