"""*Reply to reps*, *Ask reps* (digest and Home buttons) and *Answer* (in a rep's DM): each opens a modal.

The ack is instant; the lazy listener checks who may do it, reads the audience and opens the modal at once
(the trigger_id expires 3 s after the click).
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.blocks.replies import build_answer_modal, build_ask_modal, build_reply_modal
from bot.errors import UsageError
from bot.listeners.common import action_value, require_reply_permission, team_id
from bot.listeners.errors import reported
from bot.messages import replies as say
from bot.runtime import Runtime
from bot.services import replies as reply_service

__all__ = ["handle_answer_open", "handle_ask_open", "handle_reply_open"]


@reported
def handle_reply_open(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    _open(runtime, body, client, team_id(context), build_reply_modal)


@reported
def handle_ask_open(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    _open(runtime, body, client, team_id(context), build_ask_modal)


@reported
def handle_answer_open(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    try:
        reply_id = int(json.loads(action_value(body) or "{}")["a"])
    except (ValueError, KeyError, TypeError):
        raise UsageError(say.QUESTION_GONE) from None
    with runtime.session_factory() as session:
        question = reply_service.question_for(session, team_id(context), reply_id, body["user"]["id"])
        label, text = question.tag_label, question.message
    client.views_open(trigger_id=body["trigger_id"], view=build_answer_modal(reply_id, label, text))


def _open(runtime: Runtime, body: dict[str, Any], client: WebClient, team: str, build: Any) -> None:
    ref = reply_service.parse_action_value(action_value(body) or None)
    require_reply_permission(runtime, client, team, body["user"]["id"], ref.run_id)
    with runtime.session_factory() as session:
        audience = reply_service.audience(session, team, ref)
    client.views_open(trigger_id=body["trigger_id"], view=build(audience.ref, audience.rep_ids))
