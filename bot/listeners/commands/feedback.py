"""`/feedback`: opens the modal; `/feedback <text>` saves a note at once; `/feedback help`.

The ack only parses (and, for the modal, reads the question set and calls views.open while the
trigger_id is fresh); storing runs after the ack (runtime.background), then tagging and the answer with the
tags (bot/tagging.py).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.blocks.feedback import build_confirmation, build_feedback_help
from bot.errors import FieldNotesError, UsageError
from bot.listeners.views.feedback import is_retry, open_feedback_modal
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.tagging import queue_tagging

logger = logging.getLogger(__name__)

OPEN_FAILED = "Slack could not open the form in time. Please run `/feedback` again."


def register(app: App, runtime: Runtime) -> None:
    def handle_feedback_command(
        ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, request: BoltRequest
    ) -> None:
        try:
            parsed = note_service.parse_feedback_text(command.get("text") or "")
        except UsageError as exc:
            ack(text=str(exc), response_type="ephemeral")
            return
        if parsed.action == "help":
            ack(text=build_feedback_help(), response_type="ephemeral")
            return
        ack()
        if parsed.action == "note":
            runtime.background(store_feedback_note, command, client, respond)
        elif parsed.action == "open" and not is_retry(request):
            try:
                open_feedback_modal(runtime, client, team_id=command["team_id"], trigger_id=command["trigger_id"])
            except SlackApiError:
                logger.warning("views.open failed for /feedback", exc_info=True)
                respond(text=OPEN_FAILED, response_type="ephemeral")

    def store_feedback_note(command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        parsed = note_service.parse_feedback_text(command.get("text") or "")
        team_id, user_id = command["team_id"], command["user_id"]
        draft = note_service.Draft(
            source="command",
            # Slack resends a command with the same trigger_id: a retry stores nothing new.
            dedupe_key=f"cmd:{command['trigger_id']}",
            answers={"said": parsed.text, "account": parsed.account},
            labels={"said": "What the customer said", "account": "Account"},
        )
        try:
            with runtime.session_factory.begin() as session:
                note = note_service.create_note(session, team_id, user_id, draft, now=runtime.now())
        except FieldNotesError as exc:
            respond(text=str(exc), response_type="ephemeral")
            return
        if not note.created:
            return

        def answer(tagged: note_service.NoteView) -> None:
            message = build_confirmation(tagged)
            respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")

        queue_tagging(runtime, client, team_id, user_id, note.id, answer)

    app.command(ids.CMD_FEEDBACK)(handle_feedback_command)
