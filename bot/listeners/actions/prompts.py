"""Buttons of the prompt DM (and of App Home): *Log feedback*, *Snooze 1 h*, *No call / skip*, *No calls today*.

A used prompt is updated in place, so its buttons are gone; a second click that still arrives (a double
click, a stale Home tab) changes nothing and gets a polite ephemeral "already done".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.blocks.feedback import build_prompt_closed, slack_date
from bot.blocks.text import plain
from bot.listeners.events.home import publish_home
from bot.listeners.views.feedback import is_retry, open_feedback_modal
from bot.runtime import Runtime
from bot.services import prompts as prompt_service

logger = logging.getLogger(__name__)

ALREADY_DONE = "That prompt was already taken care of, so nothing changed. `/feedback` logs a note any time."


def _prompt_id(body: dict[str, Any]) -> int | None:
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    return int(value) if value.isdigit() else None


def _tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    """An ephemeral note in the conversation the click came from (none from App Home)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    if container.get("type") == "view" or not channel:
        return
    try:
        client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text)
    except SlackApiError:
        logger.warning("could not post an ephemeral message in %s", channel, exc_info=True)


def register(app: App, runtime: Runtime) -> None:
    def handle_log_feedback_click(ack: Ack, body: dict[str, Any], client: WebClient, request: BoltRequest) -> None:
        ack()
        if is_retry(request):
            return
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        prompt_id = _prompt_id(body)
        prefill: dict[str, Any] = {}
        context = None
        if prompt_id is not None:
            with runtime.session_factory() as session:
                p = prompt_service.open_prompt_for(session, team_id, prompt_id, user_id)
            if p is None:
                _tell(client, body, ALREADY_DONE)
                return
            if p.account:
                prefill["account"] = p.account
                stage = f" ({plain(p.deal_stage, 100)})" if p.deal_stage else ""
                when = f", {slack_date(p.ended_at)}" if p.ended_at else ""
                context = f"Your call with *{plain(p.account, 200)}*{stage}{when}"
        open_feedback_modal(
            runtime,
            client,
            team_id=team_id,
            trigger_id=body["trigger_id"],
            prefill=prefill,
            metadata={"prompt_id": prompt_id} if prompt_id is not None else {},
            context=context,
        )

    def ack_only(ack: Ack) -> None:
        ack()

    def closer(
        change: Callable[..., prompt_service.PromptInfo | None],
    ) -> Callable[[dict[str, Any], WebClient], None]:
        def handle_prompt_answer(body: dict[str, Any], client: WebClient) -> None:
            team_id, user_id = body["team"]["id"], body["user"]["id"]
            prompt_id = _prompt_id(body)
            if prompt_id is None:
                return
            with runtime.session_factory.begin() as session:
                p = change(session, team_id, prompt_id, user_id)
            if p is None:
                _tell(client, body, ALREADY_DONE)
                return
            if p.channel_id and p.message_ts:
                message = build_prompt_closed(p)
                client.chat_update(
                    channel=p.channel_id, ts=p.message_ts, text=message["text"], blocks=message["blocks"]
                )
            if (body.get("container") or {}).get("type") == "view":
                publish_home(runtime, client, team_id, user_id)

        return handle_prompt_answer

    now = runtime.now
    snooze = closer(lambda s, t, p, u: prompt_service.snooze_prompt(s, t, p, u, now=now()))
    skip = closer(lambda s, t, p, u: prompt_service.close_prompt(s, t, p, u, state="skipped", now=now()))

    app.action(ids.ACTION_LOG_FEEDBACK)(handle_log_feedback_click)
    app.action(ids.ACTION_SNOOZE)(ack=ack_only, lazy=[snooze])
    app.action(ids.ACTION_SKIP)(ack=ack_only, lazy=[skip])
    app.action(ids.ACTION_CHECKIN_NO)(ack=ack_only, lazy=[skip])
