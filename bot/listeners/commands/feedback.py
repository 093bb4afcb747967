"""`/feedback`: opens the modal; `/feedback <text>` saves a note at once; `/feedback help`.

The ack only parses (and, for the modal, reads the question set and calls views.open while the
trigger_id is fresh); storing runs after the ack, for the notes that arrived together in one transaction
(runtime.batch), then tagging and the answer with the tags (bot/tagging.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
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
from bot.tagging import ToTag, queue_tagging

logger = logging.getLogger(__name__)

OPEN_FAILED = "Slack could not open the form in time. Please run `/feedback` again."
STORE_FAILED = "Sorry, your note could not be saved just now. Please send it again in a moment."


@dataclass(frozen=True)
class _Pending:
    """A `/feedback <text>` acked and waiting to be stored."""

    command: dict[str, Any]
    client: WebClient
    respond: Respond

    @property
    def team_id(self) -> str:
        return str(self.command["team_id"])

    @property
    def user_id(self) -> str:
        return str(self.command["user_id"])

    def answer(self, tagged: note_service.NoteView) -> None:
        message = build_confirmation(tagged)
        self.respond(text=message["text"], blocks=message["blocks"], response_type="ephemeral")


def _draft(command: dict[str, Any]) -> note_service.Draft:
    parsed = note_service.parse_feedback_text(command.get("text") or "")
    return note_service.Draft(
        source="command",
        # Slack resends a command with the same trigger_id: a retry stores nothing new.
        dedupe_key=f"cmd:{command['trigger_id']}",
        answers={"said": parsed.text, "account": parsed.account},
        labels={"said": "What the customer said", "account": "Account"},
    )


def _by_team(items: list[_Pending]) -> dict[str, list[_Pending]]:
    teams: dict[str, list[_Pending]] = {}
    for item in items:
        teams.setdefault(item.team_id, []).append(item)
    return teams


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
            runtime.batch(store_feedback_notes, _Pending(command, client, respond))
        elif parsed.action == "open" and not is_retry(request):
            try:
                open_feedback_modal(runtime, client, team_id=command["team_id"], trigger_id=command["trigger_id"])
            except SlackApiError:
                logger.warning("views.open failed for /feedback", exc_info=True)
                respond(text=OPEN_FAILED, response_type="ephemeral")

    def store_feedback_notes(items: list[_Pending]) -> None:
        """Store the `/feedback <text>` notes that arrived together in one transaction (if one is refused, or the
        transaction fails, each on its own: no note is lost to another's), then queue them for tagging; each rep
        gets the answer with the tags."""
        teams = _by_team(items)
        try:
            with runtime.session_factory.begin() as session:
                stored = [
                    (item, view)
                    for team_id, group in teams.items()
                    for item, view in zip(
                        group,
                        note_service.create_notes(
                            session, team_id, [(i.user_id, _draft(i.command)) for i in group], now=runtime.now()
                        ),
                        strict=True,
                    )
                ]
        except FieldNotesError as exc:  # rolled back: nothing half-stored
            if len(items) == 1:
                items[0].respond(text=str(exc), response_type="ephemeral")
                return
            for item in items:  # the refused one answers its rep; the others are stored
                store_feedback_notes([item])
            return
        except Exception:
            if len(items) == 1:
                logger.exception("storing /feedback from %s failed", items[0].user_id)
                items[0].respond(text=STORE_FAILED, response_type="ephemeral")
                return
            logger.warning("storing %d notes together failed; storing each on its own", len(items), exc_info=True)
            for item in items:  # one at a time: a note that cannot be stored loses no other
                store_feedback_notes([item])
            return
        # A retry (same trigger_id) stored nothing new and answers nothing.
        queue_tagging(
            runtime, *(ToTag(i.team_id, i.user_id, view.id, i.client, i.answer) for i, view in stored if view.created)
        )

    app.command(ids.CMD_FEEDBACK)(handle_feedback_command)
