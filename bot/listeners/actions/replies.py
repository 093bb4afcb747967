"""*Reply to reps*, *Ask reps* (digest and Home buttons) and *Answer* (in a rep's DM): each opens a modal.

The ack is instant; the lazy listener checks who may do it, reads the audience and opens the modal at once
(the trigger_id expires 3 s after the click).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot import ids
from bot.blocks.replies import build_answer_modal, build_ask_modal, build_marketer_home, build_reply_modal
from bot.errors import FieldNotesError, PermissionDenied
from bot.runtime import Runtime
from bot.services import replies as service
from bot.services.digest import current_week
from storage.repositories import digests as digest_repo
from storage.repositories import replies as repo

__all__ = ["check_allowed", "marketer_home_section", "register", "tell_user"]

logger = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    app.action(ids.ACTION_REPLY_TO_REPS)(ack=_ack, lazy=[_open(runtime, "reply")])
    app.action(ids.ACTION_ASK_REPS)(ack=_ack, lazy=[_open(runtime, "ask")])
    app.action(ids.ACTION_ANSWER_ASK)(ack=_ack, lazy=[_answer(runtime)])


def _ack(ack: Ack) -> None:
    ack()


def _channel_members(client: WebClient, channel: str) -> set[str]:
    members: set[str] = set()
    try:
        for page in client.conversations_members(channel=channel, limit=1000):
            members.update(page.get("members", []))
    except SlackApiError as exc:
        logger.warning("conversations.members %s failed: %s", channel, exc.response.get("error"))
    return members


def check_allowed(runtime: Runtime, client: WebClient, team_id: str, user_id: str, run_id: int | None) -> None:
    """Raises PermissionDenied naming who can, unless the user is a marketer, an admin or in the digest channel."""
    admins = runtime.settings.admin_ids
    with runtime.session_factory() as session:
        if service.may_reply_by_role(session, team_id, user_id, admins):
            return
        channels = service.digest_channels(session, team_id, run_id)
    members: set[str] = set()
    for channel in channels:
        members |= _channel_members(client, channel)
        if user_id in members:
            return
    with runtime.session_factory() as session:
        service.check_may_reply(session, team_id, user_id, admins, members)


def tell_user(client: WebClient, body: dict[str, Any], user_id: str, text: str) -> None:
    """An ephemeral message where the user clicked; their DM with the app when that is not possible."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel and not str(channel).startswith("D"):
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
            return
        except SlackApiError as exc:
            logger.info("ephemeral in %s failed (%s); trying elsewhere", channel, exc.response.get("error"))
    if body.get("response_url"):
        try:
            WebhookClient(body["response_url"]).send(text=text, response_type="ephemeral", replace_original=False)
            return
        except Exception:  # an expired or broken response_url: the DM below still tells them
            logger.exception("response_url failed; sending a DM instead")
    client.chat_postMessage(channel=user_id, text=text)


def _open(runtime: Runtime, kind: str) -> Callable[..., None]:
    def handle_reply_open(body: dict[str, Any], client: WebClient, context: Any) -> None:
        team_id, user_id = context.team_id, body["user"]["id"]
        try:
            ref = service.parse_action_value((body.get("actions") or [{}])[0].get("value"))
            check_allowed(runtime, client, team_id, user_id, ref.run_id)
            with runtime.session_factory() as session:
                audience = service.audience(session, team_id, ref)
        except FieldNotesError as exc:
            tell_user(client, body, user_id, str(exc))
            return
        build = build_reply_modal if kind == "reply" else build_ask_modal
        client.views_open(trigger_id=body["trigger_id"], view=build(audience.ref, audience.rep_ids))

    return handle_reply_open


def _answer(runtime: Runtime) -> Callable[..., None]:
    def handle_answer_open(body: dict[str, Any], client: WebClient, context: Any) -> None:
        team_id, user_id = context.team_id, body["user"]["id"]
        try:
            reply_id = int(json.loads((body.get("actions") or [{}])[0].get("value") or "{}")["a"])
        except (ValueError, KeyError, TypeError):
            tell_user(client, body, user_id, "That question no longer exists.")
            return
        try:
            with runtime.session_factory() as session:
                question = service.question_for(session, team_id, reply_id, user_id)
                label, text = question.tag_label, question.message
        except FieldNotesError as exc:
            tell_user(client, body, user_id, str(exc))
            return
        client.views_open(trigger_id=body["trigger_id"], view=build_answer_modal(reply_id, label, text))

    return handle_answer_open


def marketer_home_section(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> list[dict[str, Any]]:
    """App Home blocks for marketers and admins (empty for anyone else): compose them into the Home tab."""
    try:
        check_allowed(runtime, client, team_id, user_id, None)
        return _marketer_home(runtime, client, team_id)
    except PermissionDenied:
        return []
    except Exception:  # the rest of the Home tab must still publish
        logger.exception("marketer Home section failed for %s", user_id)
        return []


def _marketer_home(runtime: Runtime, client: WebClient, team_id: str) -> list[dict[str, Any]]:
    now = runtime.now().astimezone(UTC)
    with runtime.session_factory() as session:
        schedules = digest_repo.list_schedules(session, team_id)
        # The week as the digest counts it: in the (first) digest schedule's timezone.
        week = current_week(now, schedules[0].tz if schedules else "UTC")
        counts = repo.label_counts(session, team_id, week.start, now + timedelta(seconds=1))
        asks = repo.open_asks(session, team_id, since=now - timedelta(days=30), limit=5)
        run = repo.latest_digest_run(session, team_id)
        digest = (run.channel_id, run.message_ts) if run is not None and run.message_ts else None
    top = sorted(((k, label, n) for (k, label), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))
    link = None
    if digest is not None:
        try:
            link = str(client.chat_getPermalink(channel=digest[0], message_ts=digest[1])["permalink"])
        except SlackApiError:
            link = f"https://slack.com/app_redirect?channel={digest[0]}&message_ts={digest[1]}"
    return build_marketer_home(
        top=top[:10], week_start=week.start, week_end=week.end, tz=week.tz, digest_link=link, asks=asks
    )
