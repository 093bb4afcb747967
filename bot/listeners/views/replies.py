"""Submissions of the reply, ask and answer modals.

The ack validates the input (errors are shown in the modal); the lazy listener stores the reply once per view
id, DMs each recipient once, and records it in the digest's thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.blocks.replies import (
    ANSWER_BLOCK,
    ANSWER_INPUT,
    LINK_BLOCK,
    LINK_INPUT,
    MESSAGE_BLOCK,
    MESSAGE_INPUT,
    build_answer_record,
)
from bot.errors import FieldNotesError, UsageError
from bot.jobs.replies import deliver, plan_safety_net
from bot.listeners.actions.replies import check_allowed
from bot.runtime import Runtime
from bot.services import replies as service
from bot.tagging import ToTag, queue_tagging

__all__ = ["register"]

logger = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    app.view(ids.VIEW_REPLY)(ack=_ack_reply, lazy=[_send(runtime, "reply")])
    app.view(ids.VIEW_ASK)(ack=_ack_ask, lazy=[_send(runtime, "ask")])
    app.view(ids.VIEW_ASK_ANSWER)(ack=_ack_answer, lazy=[_answer(runtime)])


def _value(view: dict[str, Any], block: str, action: str) -> str | None:
    entry = ((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {}
    value = entry.get("value")
    return str(value) if value is not None else None


def _ack_reply(ack: Ack, view: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    try:
        service.validate_message(_value(view, MESSAGE_BLOCK, MESSAGE_INPUT))
    except UsageError as exc:
        errors[MESSAGE_BLOCK] = str(exc)
    try:
        service.validate_link(_value(view, LINK_BLOCK, LINK_INPUT))
    except UsageError as exc:
        errors[LINK_BLOCK] = str(exc)
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def _ack_ask(ack: Ack, view: dict[str, Any]) -> None:
    try:
        service.validate_message(_value(view, MESSAGE_BLOCK, MESSAGE_INPUT))
    except UsageError as exc:
        ack(response_action="errors", errors={MESSAGE_BLOCK: str(exc)})
        return
    ack()


def _ack_answer(ack: Ack, view: dict[str, Any]) -> None:
    try:
        service.validate_message(_value(view, ANSWER_BLOCK, ANSWER_INPUT))
    except UsageError:
        ack(response_action="errors", errors={ANSWER_BLOCK: "Write your answer."})
        return
    ack()


def _send(runtime: Runtime, kind: str) -> Callable[..., None]:
    def handle_reply_submit(body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any) -> None:
        team_id, user_id = context.team_id, body["user"]["id"]
        ref = service.LabelRef.from_metadata(view.get("private_metadata") or "{}")
        try:
            message = service.validate_message(_value(view, MESSAGE_BLOCK, MESSAGE_INPUT))
            link = service.validate_link(_value(view, LINK_BLOCK, LINK_INPUT)) if kind == "reply" else None
        except UsageError:
            return  # the ack already showed the error in the modal; lazy listeners run anyway
        try:
            check_allowed(runtime, client, team_id, user_id, ref.run_id)
        except FieldNotesError as exc:
            client.chat_postMessage(channel=user_id, text=str(exc))
            return
        with runtime.session_factory.begin() as session:
            recorded = service.record_reply(
                session,
                team_id,
                kind=kind,
                view_id=str(view["id"]),
                author=user_id,
                ref=ref,
                message=message,
                link=link,
                now=runtime.now(),
            )
            if recorded is not None:
                plan_safety_net(session, team_id, recorded.reply_id, runtime.now())
        if recorded is None:
            logger.info("%s view %s submitted again: nothing sent twice", kind, view["id"])
            return
        deliver(runtime, client, team_id, recorded)

    return handle_reply_submit


def _post_in_thread(client: WebClient, thread: tuple[str, str], text: str) -> None:
    try:
        client.chat_postMessage(channel=thread[0], thread_ts=thread[1], text=text, unfurl_links=False)
    except SlackApiError as exc:
        logger.warning("could not record in the digest thread %s: %s", thread, exc.response.get("error"))


def _answer(runtime: Runtime) -> Callable[..., None]:
    def handle_answer_submit(body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any) -> None:
        team_id, user_id = context.team_id, body["user"]["id"]
        try:
            reply_id = int(json.loads(view.get("private_metadata") or "{}")["a"])
            text = service.validate_message(_value(view, ANSWER_BLOCK, ANSWER_INPUT))
            with runtime.session_factory.begin() as session:
                answer = service.record_answer(
                    session,
                    team_id,
                    reply_id=reply_id,
                    rep=user_id,
                    view_id=str(view["id"]),
                    text=text,
                    now=runtime.now(),
                )
        except (ValueError, KeyError, TypeError):
            logger.warning("answer modal %s had malformed metadata", view.get("id"))
            return
        except FieldNotesError as exc:
            client.chat_postMessage(channel=user_id, text=str(exc))
            return
        if answer is None:
            return
        if answer.thread is not None:
            _post_in_thread(client, answer.thread, build_answer_record(answer.rep, answer.text))
        queue_tagging(runtime, ToTag(team_id, user_id, answer.note_id, client))  # an answer is a note like any other

    return handle_answer_submit
