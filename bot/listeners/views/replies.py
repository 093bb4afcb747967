"""Submissions of the reply, ask and answer modals.

The ack validates the input (errors are shown in the modal); the lazy listener stores the reply once per view
id, DMs each recipient once, and records it in the digest's thread.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.replies import (
    ANSWER_BLOCK,
    ANSWER_INPUT,
    LINK_BLOCK,
    LINK_INPUT,
    MESSAGE_BLOCK,
    MESSAGE_INPUT,
    build_answer_record,
)
from bot.errors import UsageError
from bot.jobs.engine import run_now
from bot.jobs.replies import plan_delivery
from bot.listeners.common import require_reply_permission, team_id
from bot.listeners.errors import reported
from bot.messages import replies as say
from bot.runtime import Runtime
from bot.services import replies as reply_service
from bot.tagging import ToTag, queue_tagging

__all__ = [
    "ack_answer_submit",
    "ack_ask_submit",
    "ack_reply_submit",
    "handle_answer_submit",
    "handle_ask_submit",
    "handle_reply_submit",
]

logger = logging.getLogger(__name__)


def ack_reply_submit(ack: Ack, view: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    try:
        reply_service.validate_message(_value(view, MESSAGE_BLOCK, MESSAGE_INPUT))
    except UsageError as exc:
        errors[MESSAGE_BLOCK] = exc.message
    try:
        reply_service.validate_link(_value(view, LINK_BLOCK, LINK_INPUT))
    except UsageError as exc:
        errors[LINK_BLOCK] = exc.message
    if errors:
        raise UsageError(field_errors=errors)
    ack()


def ack_ask_submit(ack: Ack, view: dict[str, Any]) -> None:
    _require_message(view, MESSAGE_BLOCK, MESSAGE_INPUT)
    ack()


def ack_answer_submit(ack: Ack, view: dict[str, Any]) -> None:
    _require_message(view, ANSWER_BLOCK, ANSWER_INPUT, say.WRITE_ANSWER)
    ack()


def _require_message(view: dict[str, Any], block: str, action: str, problem: str | None = None) -> None:
    """A UsageError shown on the field unless it holds a message (`problem` replaces the service's words)."""
    try:
        reply_service.validate_message(_value(view, block, action))
    except UsageError as exc:
        text = problem or exc.message
        raise UsageError(text, field_errors={block: text}) from exc


@reported
def handle_reply_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    _send(runtime, body, view, client, team_id(context), "reply")


@reported
def handle_ask_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    _send(runtime, body, view, client, team_id(context), "ask")


@reported
def handle_answer_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    team, user_id = team_id(context), body["user"]["id"]
    try:
        reply_id = int(json.loads(view.get("private_metadata") or "{}")["a"])
        text = reply_service.validate_message(_value(view, ANSWER_BLOCK, ANSWER_INPUT))
    except (ValueError, KeyError, TypeError):
        logger.warning("answer modal %s had malformed metadata", view.get("id"))
        return
    except UsageError:
        return  # the ack already showed the error in the modal; lazy listeners run anyway
    with runtime.session_factory.begin() as session:
        answer = reply_service.record_answer(
            session, team, reply_id=reply_id, rep=user_id, view_id=str(view["id"]), text=text, now=runtime.now()
        )
    if answer is None:
        return
    if answer.thread is not None:
        _post_in_thread(client, answer.thread, build_answer_record(answer.rep, answer.text))
    queue_tagging(runtime, ToTag(team, user_id, answer.note_id, client))  # an answer is a note like any other


def _send(
    runtime: Runtime, body: dict[str, Any], view: dict[str, Any], client: WebClient, team: str, kind: str
) -> None:
    user_id = body["user"]["id"]
    ref = reply_service.LabelRef.from_metadata(view.get("private_metadata") or "{}")
    try:
        message = reply_service.validate_message(_value(view, MESSAGE_BLOCK, MESSAGE_INPUT))
        link = reply_service.validate_link(_value(view, LINK_BLOCK, LINK_INPUT)) if kind == "reply" else None
    except UsageError:
        return  # the ack already showed the error in the modal; lazy listeners run anyway
    require_reply_permission(runtime, client, team, user_id, ref.run_id)
    with runtime.session_factory.begin() as session:
        recorded = reply_service.record_reply(
            session,
            team,
            kind=kind,
            view_id=str(view["id"]),
            author=user_id,
            ref=ref,
            message=message,
            link=link,
            now=runtime.now(),
        )
        job = plan_delivery(session, team, recorded.reply_id, runtime.now()) if recorded is not None else None
    if job is None:
        logger.info("%s view %s submitted again: nothing sent twice", kind, view["id"])
        return
    run_now(runtime, job)  # under the job's lease: if this process dies, another finishes the DMs


def _value(view: dict[str, Any], block: str, action: str) -> str | None:
    entry = ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}
    value = entry.get("value")
    return str(value) if value is not None else None


def _post_in_thread(client: WebClient, thread: tuple[str, str], text: str) -> None:
    try:
        client.chat_postMessage(channel=thread[0], thread_ts=thread[1], text=text, unfurl_links=False)
    except SlackApiError as exc:
        logger.warning("could not record in the digest thread %s: %s", thread, exc.response.get("error"))
