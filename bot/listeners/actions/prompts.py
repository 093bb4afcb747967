"""Buttons of the prompt DM (and of App Home): *Log feedback*, *Snooze 1 h*, *No call / skip*, *No calls today*.

A used prompt is updated in place, so its buttons are gone; a second click that still arrives (a double
click, a stale Home tab) changes nothing and gets a polite ephemeral "already done".
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.feedback import build_prompt_closed, prompt_context
from bot.listeners.common import action_value, is_retry, open_feedback_modal, publish_home, team_id
from bot.listeners.common import tell_in_conversation as tell
from bot.listeners.errors import reported
from bot.messages import prompts as say
from bot.runtime import Runtime
from bot.services import prompts as prompt_service

__all__ = ["handle_log_feedback_click", "handle_prompt_skip", "handle_prompt_snooze"]


def handle_log_feedback_click(
    ack: Ack, body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    ack()
    if is_retry(request):
        return
    team, prompt_id = team_id(context), _prompt_id(body)
    prefill: dict[str, Any] = {}
    shown = None
    if prompt_id is not None:
        with runtime.session_factory() as session:
            p = prompt_service.open_prompt_for(session, team, prompt_id, body["user"]["id"])
        if p is None:
            tell(client, body, say.ALREADY_DONE)
            return
        if p.account:
            prefill["account"] = p.account
            shown = prompt_context(p)
        if p.stage:
            prefill["stage"] = p.stage
    open_feedback_modal(
        runtime,
        client,
        team_id=team,
        trigger_id=body["trigger_id"],
        prefill=prefill,
        metadata={"prompt_id": prompt_id} if prompt_id is not None else {},
        context=shown,
    )


@reported
def handle_prompt_snooze(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    def snooze(session: Session, team: str, prompt_id: int, user_id: str) -> prompt_service.PromptInfo | None:
        return prompt_service.snooze_prompt(session, team, prompt_id, user_id, now=runtime.now())

    _answer_prompt(runtime, body, client, team_id(context), snooze)


@reported
def handle_prompt_skip(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    def skip(session: Session, team: str, prompt_id: int, user_id: str) -> prompt_service.PromptInfo | None:
        return prompt_service.close_prompt(session, team, prompt_id, user_id, state="skipped", now=runtime.now())

    _answer_prompt(runtime, body, client, team_id(context), skip)


def _prompt_id(body: dict[str, Any]) -> int | None:
    value = action_value(body)
    return int(value) if value.isdigit() else None


def _answer_prompt(runtime: Runtime, body: dict[str, Any], client: WebClient, team: str, change: Any) -> None:
    """Apply `change` to the prompt the button belongs to, then show the prompt closed where it was posted."""
    user_id, prompt_id = body["user"]["id"], _prompt_id(body)
    if prompt_id is None:
        return
    with runtime.session_factory.begin() as session:
        p = change(session, team, prompt_id, user_id)
    if p is None:
        tell(client, body, say.ALREADY_DONE)
        return
    if p.channel_id and p.message_ts:
        message = build_prompt_closed(p)
        client.chat_update(channel=p.channel_id, ts=p.message_ts, text=message["text"], blocks=message["blocks"])
    if (body.get("container") or {}).get("type") == "view":
        publish_home(runtime, client, team, user_id)
