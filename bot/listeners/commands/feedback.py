"""`/feedback`: opens the modal; `/feedback <text>` saves a note at once; `/feedback help`.

A note is durable before its ack: `/feedback <text>` is stored before the ack, in one transaction with the
notes that arrive meanwhile (group commit: runtime.together, services/capture.py, as the modal does); tagging
and the answer with the tags come after the ack (bot/tagging.py). For the modal the ack reads the question set
and calls views.open while the trigger_id is fresh.
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
    if parsed.action == "note":
        outcome = runtime.together(store_feedback_notes, _Pending(runtime, command, client, respond, parsed))
        if isinstance(outcome, FieldNotesError):  # refused: nothing stored, and the ack says why
            ack(text=outcome.message, response_type="ephemeral")
        elif isinstance(outcome, Exception):  # our failure (logged): nothing stored, the rep sends it again
            ack(text=say.STORE_FAILED, response_type="ephemeral")
        else:
            ack()
        return
    ack()
    if parsed.action == "open" and not is_retry(request):
        try:
            open_feedback_modal(runtime, client, team_id=command["team_id"], trigger_id=command["trigger_id"])
        except SlackApiError:
            logger.warning("views.open failed for /feedback", exc_info=True)
            respond(text=say.OPEN_FAILED, response_type="ephemeral")


@dataclass(frozen=True)
class _Pending:
    """A `/feedback <text>` waiting to be stored before its ack."""

    runtime: Runtime
    command: dict[str, Any]
    client: WebClient
    respond: Respond
    parsed: note_service.Parsed


@dataclass(frozen=True)
class _Answer:
    """The ephemeral answer with the tags, through the command's response_url (a Reply: run by the process that
    tagged the note)."""

    response_url: str
    proxy: str | None = None

    def __call__(self, _runtime: Runtime, tagged: note_service.NoteView) -> None:
        message = build_confirmation(tagged)
        respond = Respond(response_url=self.response_url, proxy=self.proxy)
        respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _capture(_session: Session, item: _Pending) -> Capture:
    parsed = item.parsed
    draft = note_service.Draft(
        source="command",
        # Slack resends a command with the same trigger_id: a retry stores nothing new.
        dedupe_key=f"cmd:{item.command['trigger_id']}",
        answers={"said": parsed.text, "account": parsed.account},
        labels={"said": "What the customer said", "account": "Account"},
    )
    return str(item.command["team_id"]), str(item.command["user_id"]), draft


def store_feedback_notes(items: list[_Pending]) -> list[note_service.NoteView | Exception]:
    """Store the notes that arrived together (each command's ack waits for its outcome) and queue the new ones
    for tagging: each rep gets the answer with the tags after the ack."""
    runtime = items[0].runtime
    outcomes = store_drafts(runtime.session_factory, items, _capture, now=runtime.now())
    stored: list[ToTag] = []
    for item, outcome in zip(items, outcomes, strict=True):
        if not isinstance(outcome, Exception) and outcome.created:  # a retry (same trigger_id) answers nothing
            team_id, user_id = item.command["team_id"], item.command["user_id"]
            url = item.respond.response_url
            answer = _Answer(url, item.respond.proxy) if url else None
            stored.append(ToTag(team_id, user_id, outcome.id, item.client, reply=answer))
    queue_tagging(runtime, *stored)
    return outcomes
