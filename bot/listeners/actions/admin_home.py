"""App Home admin buttons: open the modal for adding a question or a digest schedule."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.admin import build_digest_modal, build_question_modal
from bot.listeners.common import team_id
from bot.runtime import Runtime
from bot.services.directory import timezone_of

__all__ = ["handle_admin_digests_open", "handle_admin_questions_open"]

logger = logging.getLogger(__name__)


def handle_admin_questions_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    try:
        client.views_open(trigger_id=body["trigger_id"], view=build_question_modal())
    except SlackApiError:
        logger.warning("views.open failed for the question modal", exc_info=True)


def handle_admin_digests_open(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    ack()
    with runtime.session_factory() as session:
        tz = timezone_of(session, team_id(context), body["user"]["id"])
    try:
        client.views_open(trigger_id=body["trigger_id"], view=build_digest_modal(tz))
    except SlackApiError:
        logger.warning("views.open failed for the digest modal", exc_info=True)
