"""The feedback modal: opening it (shared by /feedback, buttons, the shortcut, Home) and saving it.

Saving happens in the ack, in one transaction, so the rep sees an error in the modal rather than losing a
note; tagging (spaCy, in batches: bot/tagging.py) and the confirmation DM come after the ack.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import ids, messages
from bot.blocks.feedback import (
    block_id,
    build_confirmation,
    build_feedback_modal,
    build_prompt_closed,
    parse_feedback_values,
)
from bot.errors import FieldNotesError
from bot.listeners._payload import private_metadata
from bot.runtime import Runtime
from bot.services import notes as note_service
from bot.services import prompts as prompt_service
from bot.tagging import ToTag, queue_tagging
from storage.repositories.notes import AnswerIn

__all__ = ["is_retry", "open_feedback_modal", "register"]

logger = logging.getLogger(__name__)


def open_feedback_modal(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    trigger_id: str,
    prefill: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    context: str | None = None,
) -> None:
    """One short read (the question set), then views.open: the trigger_id lives 3 s."""
    with runtime.session_factory() as session:
        questions = note_service.questions_for_modal(session, team_id)
    view = build_feedback_modal(questions, prefill=prefill, metadata=metadata, context=context)
    client.views_open(trigger_id=trigger_id, view=view)


def is_retry(request: BoltRequest) -> bool:
    """Slack's retry of a request we already handled: its trigger_id is spent, its work done."""
    return bool(request.headers.get("x-slack-retry-num"))


@dataclass(frozen=True)
class _Submission:
    team_id: str
    user_id: str
    view: dict[str, Any]
    client: WebClient


def register(app: App, runtime: Runtime) -> None:
    def handle_feedback_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        # Stored before the ack, so a rep sees an error in the modal rather than losing a note; submissions
        # arriving together share one transaction (runtime.together).
        outcome = runtime.together(store_submissions, _Submission(body["team"]["id"], body["user"]["id"], view, client))
        if isinstance(outcome, dict):
            ack(response_action="errors", errors=outcome)
        else:
            ack()

    def store_submissions(items: list[_Submission]) -> list[note_service.NoteView | dict[str, str]]:
        """Each submission's stored note, or its errors by block id; the new notes are queued for tagging, and
        each rep gets a confirmation once theirs is tagged (a resubmitted view confirms nothing)."""
        outcomes = _store_together(items)
        queue_tagging(
            runtime,
            *(
                ToTag(
                    i.team_id,
                    i.user_id,
                    o.id,
                    i.client,
                    partial(confirm_feedback, i.client, i.team_id, i.user_id, o.prompt_id),
                )
                for i, o in zip(items, outcomes, strict=True)
                if not isinstance(o, dict) and o.created
            ),
        )
        return outcomes

    def _store_together(items: list[_Submission]) -> list[note_service.NoteView | dict[str, str]]:
        """In one transaction; if any note is refused (or the transaction fails), it is rolled back and each is
        stored in a transaction of its own."""
        if len(items) > 1:
            try:
                with runtime.session_factory.begin() as session:
                    return _store(session, items)
            except FieldNotesError:
                logger.info("a note refused among %d submissions: storing each on its own", len(items))
            except Exception:
                logger.warning(
                    "storing %d submissions together failed; storing each on its own", len(items), exc_info=True
                )
        outcomes: list[note_service.NoteView | dict[str, str]] = []
        for item in items:
            try:
                with runtime.session_factory.begin() as session:
                    outcomes.extend(_store(session, [item]))
            except FieldNotesError as exc:  # rolled back: nothing half-stored
                outcomes.append({block_id("said"): str(exc)[:150]})
            except Exception:  # the database failed: the modal stays open with what the rep wrote
                logger.exception("storing the feedback of %s failed", item.user_id)
                outcomes.append({block_id("said"): messages.SOMETHING_WENT_WRONG[:150]})
        return outcomes

    def _store(session: Session, items: list[_Submission]) -> list[note_service.NoteView | dict[str, str]]:
        outcomes: list[note_service.NoteView | dict[str, str]] = [{} for _ in items]
        questions_by_team: dict[str, list[note_service.QuestionSpec]] = {}
        drafts: dict[str, list[tuple[int, tuple[str, note_service.Draft]]]] = {}
        for i, item in enumerate(items):
            questions = questions_by_team.get(item.team_id)
            if questions is None:
                questions = questions_by_team[item.team_id] = note_service.questions_for_modal(session, item.team_id)
            answers, errors = parse_feedback_values(questions, item.view["state"]["values"])
            if errors:
                outcomes[i] = errors
                continue
            meta = private_metadata(item.view)
            message = meta.get("message")
            draft = note_service.Draft(
                source="shortcut" if message else "modal",
                dedupe_key=f"view:{item.view['id']}",
                answers=answers,
                labels={q.key: q.label for q in questions},
                prompt_id=int(meta["prompt_id"]) if str(meta.get("prompt_id", "")).isdigit() else None,
                extra_answers=[AnswerIn("message", "Logged from a message", message)] if message else (),
            )
            drafts.setdefault(item.team_id, []).append((i, (item.user_id, draft)))
        for team_id, entries in drafts.items():
            views = note_service.create_notes(session, team_id, [d for _, d in entries], now=runtime.now())
            for (i, _), view in zip(entries, views, strict=True):
                outcomes[i] = view
        return outcomes

    def confirm_feedback(
        client: WebClient, team_id: str, user_id: str, prompt_id: int | None, tagged: note_service.NoteView
    ) -> None:
        if prompt_id is not None:
            with runtime.session_factory() as session:
                p = prompt_service.info(session, team_id, prompt_id)
            if p is not None and p.channel_id and p.message_ts:
                closed = build_prompt_closed(p)
                client.chat_update(channel=p.channel_id, ts=p.message_ts, text=closed["text"], blocks=closed["blocks"])
        message = build_confirmation(tagged)
        # A user id as the channel posts to the rep's DM with the app: no conversations.open round trip.
        client.chat_postMessage(channel=user_id, text=message["text"], blocks=message["blocks"])

    app.view(ids.VIEW_FEEDBACK)(handle_feedback_submit)
