"""`/feedback`: opens the modal; `/feedback <text>` saves a note at once; `/feedback help`.

The ack only parses (and, for the modal, reads the question set and calls views.open while the trigger_id is
fresh); storing runs after the ack, for the notes that arrived together (runtime.batch, services/capture.py),
then tagging and the answer with the tags (bot/tagging.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.feedback import build_confirmation, build_feedback_help
from bot.errors import FieldNotesError
from bot.listeners.common import is_retry, open_feedback_modal
from bot.messages import feedback as say
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.services.capture import Capture, store_drafts
from bot.tagging import ToTag, queue_tagging

__all__ = ["handle_feedback_command"]

logger = logging.getLogger(__name__)


def handle_feedback_command(
    ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, request: BoltRequest, runtime: Runtime
) -> None:
    parsed = note_service.parse_feedback_text(command.get("text") or "")  # a UsageError is the ephemeral answer
    if parsed.action == "help":
        ack(text=build_feedback_help(), response_type="ephemeral")
        return
    ack()
    if parsed.action == "note":
        runtime.batch(store_feedback_notes, _Pending(runtime, command, client, respond))
    elif parsed.action == "open" and not is_retry(request):
        try:
            open_feedback_modal(runtime, client, team_id=command["team_id"], trigger_id=command["trigger_id"])
        except SlackApiError:
            logger.warning("views.open failed for /feedback", exc_info=True)
            respond(text=say.OPEN_FAILED, response_type="ephemeral")


@dataclass(frozen=True)
class _Pending:
    """A `/feedback <text>` acked and waiting to be stored."""

    runtime: Runtime
    command: dict[str, Any]
    client: WebClient
    respond: Respond

    def answer(self, tagged: note_service.NoteView) -> None:
        message = build_confirmation(tagged)
        self.respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _capture(_session: Session, item: _Pending) -> Capture:
    parsed = note_service.parse_feedback_text(item.command.get("text") or "")
    draft = note_service.Draft(
        source="command",
        # Slack resends a command with the same trigger_id: a retry stores nothing new.
        dedupe_key=f"cmd:{item.command['trigger_id']}",
        answers={"said": parsed.text, "account": parsed.account},
        labels={"said": "What the customer said", "account": "Account"},
    )
    return str(item.command["team_id"]), str(item.command["user_id"]), draft


def store_feedback_notes(items: list[_Pending]) -> None:
    """Store the notes that arrived together, queue the new ones for tagging (each rep gets the answer with the
    tags) and tell the rep of a note that was not stored why."""
    runtime = items[0].runtime
    outcomes = store_drafts(runtime.session_factory, items, _capture, now=runtime.now())
    stored: list[ToTag] = []
    for item, outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, FieldNotesError):
            item.respond(text=outcome.message, response_type="ephemeral")
        elif isinstance(outcome, Exception):
            item.respond(text=say.STORE_FAILED, response_type="ephemeral")
        elif outcome.created:  # a retry (same trigger_id) stored nothing new and answers nothing
            team_id, user_id = item.command["team_id"], item.command["user_id"]
            stored.append(ToTag(team_id, user_id, outcome.id, item.client, item.answer))
    queue_tagging(runtime, *stored)
