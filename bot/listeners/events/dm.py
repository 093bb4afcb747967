"""Messages typed in the app's DM (the `message.im` event): each is a note, stored before the ack as
`/feedback <text>` is (group commit, services/capture.py); a reply in a prompt's thread answers the prompt.
Editing or deleting the message within services/dm_notes.EDIT_WINDOW changes or removes its note.

Slack sends every message of the DM, the app's own included, and edits (`message_changed`) for unfurls and
thread counts too: only a person's own typed text counts. Retries are dropped by event id (bot/app.py) and
the note is keyed by the message's ts, so a message makes one note however often it arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.dm import build_too_late
from bot.blocks.feedback import build_confirmation, build_prompt_closed
from bot.errors import FieldNotesError
from bot.listeners.common import team_id
from bot.messages import dm as say
from bot.runtime import Runtime
from bot.services import dm_notes
from bot.services import notes as note_service
from bot.services import prompts as prompt_service
from bot.services.capture import Capture, store_drafts
from bot.tagging import ToTag, queue_tagging

__all__ = ["handle_dm_changed", "handle_dm_deleted", "handle_dm_message"]


def handle_dm_message(
    ack: Ack, event: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    message = _typed(event, event, context)
    if message is None:
        ack()
        return
    outcome = runtime.together(store_dm_notes, _Pending(runtime, message, client))
    if isinstance(outcome, FieldNotesError):  # not a note: nothing stored, and they are told why
        ack()
        runtime.background(_post, client, message, outcome.message)
        return
    if isinstance(outcome, Exception):
        raise outcome  # our failure (logged): the error path answers 500, and Slack's retry stores it
    ack()


def handle_dm_changed(
    ack: Ack, event: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    new, old = _part(event, "message"), _part(event, "previous_message")
    message = _typed(event, new, context)
    if message is None or new.get("text") == old.get("text"):  # a link unfurled, a thread grew: no edit
        ack()
        return
    with runtime.session_factory.begin() as session:
        change = dm_notes.edit_dm_note(session, message, now=runtime.now())
    ack()
    if change is None:
        return
    if change.outcome == "changed":
        then = partial(_confirm, runtime, _Pending(runtime, message, client), None, updated=True)
        queue_tagging(runtime, ToTag(message.team_id, message.user_id, change.note_id, client, then))
    elif change.outcome == "too_late":
        runtime.background(_post_blocks, client, message, build_too_late(change.note_id, deleted=False))
    else:
        runtime.background(_post, client, message, say.EDIT_REFUSED.format(why=change.message))


def handle_dm_deleted(
    ack: Ack, event: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    old = _part(event, "previous_message")
    message = _typed(event, {**old, "ts": event.get("deleted_ts") or old.get("ts")}, context)
    if message is None:
        ack()
        return
    with runtime.session_factory.begin() as session:
        change = dm_notes.delete_dm_note(session, message, now=runtime.now())
    ack()
    if change is None:
        return
    if change.outcome == "changed":
        runtime.background(_post, client, message, say.REMOVED)
    else:
        runtime.background(_post_blocks, client, message, build_too_late(change.note_id, deleted=True))


def _part(event: dict[str, Any], key: str) -> dict[str, Any]:
    """A message inside an edit or deletion event ({} when missing or malformed)."""
    part = event.get(key)
    return part if isinstance(part, dict) else {}


def _typed(event: dict[str, Any], message: dict[str, Any], context: BoltContext) -> dm_notes.DmMessage | None:
    """The message when a person typed it in their DM with the app; None for anything else (the app's own
    posts, other bots, channels)."""
    user, ts, channel = message.get("user"), message.get("ts"), event.get("channel")
    if event.get("channel_type") != "im" or message.get("bot_id") or message.get("subtype"):
        return None
    if not isinstance(user, str) or user == context.bot_user_id or not isinstance(ts, str) or not channel:
        return None
    thread_ts = message.get("thread_ts")
    return dm_notes.DmMessage(
        team_id=team_id(context),
        user_id=user,
        channel_id=str(channel),
        ts=ts,
        text=str(message.get("text") or ""),
        thread_ts=thread_ts if isinstance(thread_ts, str) else None,
    )


@dataclass(frozen=True)
class _Pending:
    """A DM message waiting to be stored before its ack."""

    runtime: Runtime
    message: dm_notes.DmMessage
    client: WebClient


def _capture(session: Any, item: _Pending) -> Capture:
    return item.message.team_id, item.message.user_id, dm_notes.dm_draft(session, item.message)


def store_dm_notes(items: list[_Pending]) -> list[note_service.NoteView | Exception]:
    """Store the DM notes that arrived together and queue the new ones for tagging; each person gets the
    confirmation in the DM (in the thread they wrote in) once theirs is tagged."""
    runtime = items[0].runtime
    outcomes = store_drafts(runtime.session_factory, items, _capture, now=runtime.now())
    queue_tagging(
        runtime,
        *(
            ToTag(i.message.team_id, i.message.user_id, o.id, i.client, partial(_confirm, runtime, i, o.prompt_id))
            for i, o in zip(items, outcomes, strict=True)
            if not isinstance(o, Exception) and o.created
        ),
    )
    return outcomes


def _confirm(
    runtime: Runtime,
    item: _Pending,
    prompt_id: int | None,
    tagged: note_service.NoteView,
    *,
    updated: bool = False,
) -> None:
    """Close the prompt the note answered (its buttons go) and answer in the DM with the note and its tags."""
    message = item.message
    if prompt_id is not None:
        with runtime.session_factory() as session:
            p = prompt_service.info(session, message.team_id, prompt_id)
        if p is not None and p.channel_id and p.message_ts:
            closed = build_prompt_closed(p)
            item.client.chat_update(channel=p.channel_id, ts=p.message_ts, text=closed["text"], blocks=closed["blocks"])
    _post_blocks(item.client, message, build_confirmation(tagged, updated=updated))


def _post(client: WebClient, message: dm_notes.DmMessage, text: str) -> None:
    client.chat_postMessage(channel=message.channel_id, text=text, thread_ts=message.thread_ts)


def _post_blocks(client: WebClient, message: dm_notes.DmMessage, content: dict[str, Any]) -> None:
    client.chat_postMessage(
        channel=message.channel_id, text=content["text"], blocks=content["blocks"], thread_ts=message.thread_ts
    )
