"""*Review* in a rep's DM: the rating modal for that review (only for the reps it was asked of)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.blocks.reviews import build_review_answer_modal
from bot.errors import NotFound
from bot.listeners.common import action_value, is_retry, team_id
from bot.listeners.errors import reported
from bot.messages import reviews as say
from bot.runtime import Runtime
from bot.services import reviews as service

__all__ = ["handle_review_open"]


@reported
def handle_review_open(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    value = action_value(body)
    if not value.isdigit() or is_retry(request):
        return
    with runtime.session_factory() as session:
        review = service.info(session, team_id(context), int(value))
    if review is None:
        raise NotFound(say.REVIEW_GONE)
    client.views_open(trigger_id=body["trigger_id"], view=build_review_answer_modal(review))
