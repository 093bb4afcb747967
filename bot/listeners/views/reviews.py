"""The review modal (a marketer's draft and question) and the rep's answer modal (1-5 and a comment)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.reviews import parse_answer, parse_review
from bot.errors import UsageError
from bot.jobs.engine import run_now
from bot.listeners.common import team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime
from bot.services import reviews as service
from bot.services.ridealongs import check_may_join

__all__ = ["ack_review_answer", "ack_review_submit", "handle_review_answer", "handle_review_submit"]


def ack_review_submit(ack: Ack, view: dict[str, Any]) -> None:
    parse_review(view)  # a UsageError shows its errors on the fields
    ack()


def ack_review_answer(ack: Ack, view: dict[str, Any]) -> None:
    parse_answer(view)
    ack()


@reported
def handle_review_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    try:
        draft = parse_review(view)
    except UsageError:
        return  # the ack showed the errors
    team, user_id = team_id(context), body["user"]["id"]
    with runtime.session_factory.begin() as session:
        check_may_join(session, team, user_id, runtime.settings.admin_ids)  # marketers and admins
        job = service.record(session, team, user_id, draft, key=f"view:{view['id']}", now=runtime.now())
    if job is not None:  # None: the same submission again
        run_now(runtime, job)


@reported
def handle_review_answer(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    metadata = str(view.get("private_metadata") or "")
    try:
        rating, comment = parse_answer(view)
    except UsageError:
        return
    if not metadata.isdigit():
        return
    team, user_id = team_id(context), body["user"]["id"]
    with runtime.session_factory.begin() as session:
        job = service.answer(session, team, int(metadata), user_id, rating, comment, now=runtime.now())
    if job is not None:  # None: answered already (a double submit), in the thread once
        run_now(runtime, job)
