"""App Home admin buttons: open the modal for adding a question or a digest schedule."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.blocks.admin import build_digest_modal, build_question_modal
from bot.runtime import Runtime
from storage.repositories import people

logger = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    def handle_admin_questions_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            client.views_open(trigger_id=body["trigger_id"], view=build_question_modal())
        except SlackApiError:
            logger.warning("views.open failed for the question modal", exc_info=True)

    def handle_admin_digests_open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        with runtime.session_factory() as session:
            person = people.get_by_slack_id(session, body["user"].get("team_id") or body["team"]["id"], user_id)
            tz = person.tz if person is not None and person.tz else "UTC"
        try:
            client.views_open(trigger_id=body["trigger_id"], view=build_digest_modal(tz))
        except SlackApiError:
            logger.warning("views.open failed for the digest modal", exc_info=True)

    app.action(ids.ACTION_ADMIN_EDIT_QUESTIONS)(handle_admin_questions_open)
    app.action(ids.ACTION_ADMIN_EDIT_DIGESTS)(handle_admin_digests_open)
