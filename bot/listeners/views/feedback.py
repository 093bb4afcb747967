"""Saving the feedback modal (opened by /feedback, the prompt's button, the message shortcut and App Home).

Saving happens before the ack, with the submissions that arrive meanwhile (runtime.together,
services/capture.py), so the rep sees an error in the modal rather than losing a note; tagging (spaCy, in
batches: bot/tagging.py) and the confirmation DM come after the ack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.feedback import block_id, build_confirmation, build_prompt_closed, parse_feedback_values
from bot.errors import FieldNotesError, UsageError
from bot.listeners.common import private_metadata, team_id
from bot.messages import feedback as say
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.services import prompts as prompt_service
from bot.services.capture import Capture, store_drafts
from bot.slack import make_web_client
from bot.tagging import ToTag, queue_tagging

__all__ = ["handle_feedback_submit"]


def handle_feedback_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    submission = _Submission(runtime, team_id(context), body["user"]["id"], view, client)
    outcome = runtime.together(store_feedback_submissions, submission)
    if isinstance(outcome, Exception):
        ack(response_action="errors", errors=_modal_errors(outcome))
    else:
        ack()


@dataclass(frozen=True)
class _Submission:
    runtime: Runtime
    team_id: str
    user_id: str
    view: dict[str, Any]
    client: WebClient


def _modal_errors(outcome: Exception) -> dict[str, str]:
    """Errors by block id; the modal stays open with what the rep wrote, so they can submit again."""
    if isinstance(outcome, FieldNotesError):
        return outcome.field_errors or {block_id("said"): outcome.message[:150]}
    return {block_id("said"): say.SAVE_FAILED_IN_MODAL[:150]}


def store_feedback_submissions(items: list[_Submission]) -> list[note_service.NoteView | Exception]:
    """Each submission's stored note, or why not; the new notes are queued for tagging, and each rep gets a
    confirmation once theirs is tagged (a resubmitted view confirms nothing)."""
    runtime = items[0].runtime
    questions: dict[str, list[note_service.QuestionSpec]] = {}  # by workspace, read once per group

    def capture(session: Session, item: _Submission) -> Capture:
        if item.team_id not in questions:
            questions[item.team_id] = note_service.questions_for_modal(session, item.team_id)
        return item.team_id, item.user_id, _draft(questions[item.team_id], item.view)

    outcomes = store_drafts(runtime.session_factory, items, capture, now=runtime.now())
    queue_tagging(
        runtime,
        *(
            ToTag(i.team_id, i.user_id, o.id, i.client, reply=_Confirmation.of(i, o.prompt_id))
            for i, o in zip(items, outcomes, strict=True)
            if not isinstance(o, Exception) and o.created
        ),
    )
    return outcomes


def _draft(questions: list[note_service.QuestionSpec], view: dict[str, Any]) -> note_service.Draft:
    answers, errors = parse_feedback_values(questions, view["state"]["values"])
    if errors:
        raise UsageError(field_errors=errors)
    meta = private_metadata(view)
    message = meta.get("message")
    return note_service.Draft(
        source="shortcut" if message else "modal",
        dedupe_key=f"view:{view['id']}",
        answers=answers,
        labels={q.key: q.label for q in questions},
        prompt_id=int(meta["prompt_id"]) if str(meta.get("prompt_id", "")).isdigit() else None,
        extra_answers=[note_service.AnswerIn("message", "Logged from a message", message)] if message else (),
    )


@dataclass(frozen=True)
class _Confirmation:
    """Closes the prompt the note answered (its buttons go) and DMs the rep the note with its tags: a Reply, run
    by the process that tagged the note, with a client of the submission's token."""

    team_id: str
    user_id: str
    prompt_id: int | None
    token: str | None
    client_team_id: str | None

    @classmethod
    def of(cls, item: _Submission, prompt_id: int | None) -> _Confirmation:
        return cls(item.team_id, item.user_id, prompt_id, item.client.token, item.client.default_params.get("team_id"))

    def __call__(self, runtime: Runtime, tagged: note_service.NoteView) -> None:
        client = make_web_client(runtime.settings, self.token, team_id=self.client_team_id)
        if self.prompt_id is not None:
            with runtime.session_factory() as session:
                p = prompt_service.info(session, self.team_id, self.prompt_id)
            if p is not None and p.channel_id and p.message_ts:
                closed = build_prompt_closed(p)
                client.chat_update(channel=p.channel_id, ts=p.message_ts, text=closed["text"], blocks=closed["blocks"])
        message = build_confirmation(tagged)
        # A user id as the channel posts to the rep's DM with the app: no conversations.open round trip.
        client.chat_postMessage(channel=self.user_id, text=message["text"], blocks=message["blocks"])
