"""What several listeners share: reading payloads, telling a user something, opening the feedback modal,
publishing App Home, running an admin command, checking who may reply to reps."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.blocks.admin import build_admin_section
from bot.blocks.admin_replies import build_admin_reply
from bot.blocks.feedback import build_feedback_modal
from bot.blocks.glossary import build_glossary_admin_section
from bot.blocks.home import build_home
from bot.blocks.onboarding import build_checklist, build_rep_intro
from bot.blocks.replies import build_marketer_home
from bot.blocks.ridealongs import build_calls_list, build_rep_ridealong_section
from bot.crypto import sealer_for
from bot.errors import PermissionDenied
from bot.runtime import Runtime
from bot.services import glossary, onboarding, ridealong_list
from bot.services import notes as note_service
from bot.services import replies as reply_service
from bot.services.admin import model as m
from bot.services.admin.commands import execute_once
from bot.services.admin.context import Context, WebhookInfo
from bot.services.admin.home import admin_summary
from bot.services.admin.prefetch import gather
from bot.services.directory import refresh_person
from bot.services.marketer_home import marketer_home
from bot.services.webhook_secrets import current_secret
from bot.slack import SlackChannels, SlackDirectory

__all__ = [
    "ack_only",
    "action_id",
    "action_value",
    "app_url",
    "feedback_modal",
    "is_retry",
    "open_feedback_modal",
    "private_metadata",
    "publish_home",
    "require_reply_permission",
    "run_admin_command",
    "setup_checklist",
    "team_id",
    "tell_in_conversation",
    "tell_user",
]

logger = logging.getLogger(__name__)


def ack_only(ack: Ack) -> None:
    """The ack of a listener whose work all happens after it (in lazy listeners)."""
    ack()


# ---- reading payloads ----------------------------------------------------------------------------------
def team_id(context: BoltContext) -> str:
    """The workspace of the request (the app's middleware makes sure the context has it)."""
    return str(context.team_id)


def is_retry(request: BoltRequest) -> bool:
    """Slack's retry of a request we already handled: its trigger_id is spent, its work done."""
    return bool(request.headers.get("x-slack-retry-num"))


def action_id(body: Mapping[str, Any]) -> str:
    """The action_id of the clicked element ("" when there is none)."""
    return str((body.get("actions") or [{}])[0].get("action_id") or "")


def action_value(body: Mapping[str, Any]) -> str:
    """The value of the clicked button ("" when there is none)."""
    return str((body.get("actions") or [{}])[0].get("value") or "")


def private_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    """A view's private_metadata as a dict; {} when it is missing or not a JSON object."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


# ---- telling a user ----------------------------------------------------------------------------------
def tell_in_conversation(client: WebClient, body: Mapping[str, Any], text: str) -> None:
    """An ephemeral note in the conversation the click came from (none from App Home)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    if container.get("type") == "view" or not channel:
        return
    try:
        client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text)
    except SlackApiError:
        logger.warning("could not post an ephemeral message in %s", channel, exc_info=True)


def tell_user(client: WebClient, body: Mapping[str, Any], user_id: str, text: str) -> None:
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


# ---- surfaces several listeners open -----------------------------------------------------------------
def open_feedback_modal(
    runtime: Runtime,
    client: WebClient,
    *,
    team_id: str,
    trigger_id: str,
    prefill: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    context: str | None = None,
) -> dict[str, Any]:
    """One short read (the question set), then views.open: the trigger_id lives 3 s. The view as opened."""
    view = feedback_modal(runtime, team_id, prefill=prefill, metadata=metadata, context=context)
    return dict(client.views_open(trigger_id=trigger_id, view=view).get("view") or {})


def feedback_modal(
    runtime: Runtime,
    team_id: str,
    *,
    prefill: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    context: str | None = None,
) -> dict[str, Any]:
    """The workspace's feedback modal (one short read: the question set)."""
    with runtime.session_factory() as session:
        questions = note_service.questions_for_modal(session, team_id)
    return build_feedback_modal(questions, prefill=prefill, metadata=metadata, context=context)


def publish_home(runtime: Runtime, client: WebClient, team_id: str, user_id: str, *, app_url: str = "") -> None:
    """Read what the user's Home shows (short sessions), then views.publish: for admins the Get started checklist
    first, for anyone else on their first visit what Field Notes is."""
    with runtime.session_factory() as session:
        rep = note_service.rep_home(session, team_id, user_id)
        admin = admin_summary(session, team_id, user_id, now=runtime.now())  # None unless a Field Notes admin
    with runtime.session_factory.begin() as session:
        first_visit = onboarding.first_home_visit(session, team_id, user_id, now=runtime.now())
    top = setup_checklist(runtime, team_id, app_url) if admin is not None else []
    if admin is None and first_visit:
        top = build_rep_intro()
    sections = [
        *_ridealong_sections(runtime, client, team_id, user_id),
        _marketer_section(runtime, client, team_id, user_id),
    ]
    if admin is not None:
        sections.append(build_admin_section(admin))
        with runtime.session_factory() as session:
            proposals = glossary.open_proposals(session, team_id)
            drift = glossary.drift(session, team_id, now=runtime.now())
        sections.append(build_glossary_admin_section(proposals, drift))
    client.views_publish(user_id=user_id, view=build_home(rep, sections, top=top))


def setup_checklist(runtime: Runtime, team_id: str, app_url: str) -> list[dict[str, Any]]:
    """The Get started checklist as the workspace stands now, with the call webhook's URL and secret."""
    sealer = sealer_for(runtime.settings.secret("fieldnotes_encryption_key"))
    with runtime.session_factory.begin() as session:
        secret = current_secret(session, team_id, now=runtime.now(), sealer=sealer)
        checklist = onboarding.checklist(session, team_id)
    return build_checklist(checklist, webhook_url=f"{app_url or _NO_URL}/hooks/calls", secret=secret)


_NO_URL = "https://your-fieldnotes-host"


def app_url(request: BoltRequest) -> str:
    """This app's public base URL, as Slack reached it (behind a proxy, as the proxy says it was reached)."""

    def header(name: str) -> str:
        values = request.headers.get(name) or [""]
        return values[0].split(",")[0].strip()

    host = header("x-forwarded-host") or header("host")
    scheme = header("x-forwarded-proto") or "https"
    return f"{scheme}://{host}" if host else _NO_URL


def _marketer_section(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> list[dict[str, Any]]:
    """App Home blocks for marketers and admins (empty for anyone else)."""
    try:
        require_reply_permission(runtime, client, team_id, user_id, None)
        with runtime.session_factory() as session:
            home = marketer_home(session, team_id, runtime.now())
        link = _permalink(client, home.digest) if home.digest is not None else None
        return build_marketer_home(
            top=home.top,
            week_start=home.week_start,
            week_end=home.week_end,
            tz=home.tz,
            digest_link=link,
            asks=home.asks,
        )
    except PermissionDenied:
        return []
    except Exception:  # the rest of the Home tab must still publish
        logger.exception("marketer Home section failed for %s", user_id)
        return []


def _ridealong_sections(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> list[list[dict[str, Any]]]:
    """A rep's ride-along toggle; for marketers and admins, upcoming calls they could join (in their timezone)."""
    sections: list[list[dict[str, Any]]] = []
    with runtime.session_factory() as session:
        rep = ridealong_list.rep_state(session, team_id, user_id)
        marketer = reply_service.may_reply_by_role(session, team_id, user_id, runtime.settings.admin_ids)
    if rep.is_rep:
        sections.append(build_rep_ridealong_section(rep.opted_out))
    if marketer:
        refresh_person(runtime.session_factory, team_id, user_id, SlackDirectory(client), now=runtime.now())
        with runtime.session_factory() as session:
            found = ridealong_list.joinable(session, team_id, user_id, now=runtime.now(), limit=5)
            heading = "*Ride-alongs: upcoming calls you could join*"
            empty = (
                "No upcoming calls yet. Filter with `/fieldnotes ridealong theme pricing` (or stage, segment, account)."
            )
            sections.append(build_calls_list(found.calls, found.tz, heading=heading, empty=empty))
    return sections


def _permalink(client: WebClient, message: tuple[str, str]) -> str:
    try:
        return str(client.chat_getPermalink(channel=message[0], message_ts=message[1])["permalink"])
    except SlackApiError:
        return f"https://slack.com/app_redirect?channel={message[0]}&message_ts={message[1]}"


# ---- commands and permissions ------------------------------------------------------------------------
def run_admin_command(
    runtime: Runtime,
    client: WebClient,
    team_id: str,
    user_id: str,
    command: m.Command,
    *,
    app_url: str = "",
    trigger_id: str | None = None,
) -> dict[str, Any] | None:
    """The answer (`{"text", "blocks"}`) to `command`. What it needs from Slack is asked first, outside any
    transaction; then it runs in one unit of work, and a FieldNotesError rolls that back and goes up to the error
    path. A command sent again with the same trigger_id (a replay within the signature window) runs once: None
    for the replay. The trigger is recorded in the command's own transaction, so a failed command may be resent."""
    factory = runtime.session_factory
    facts = gather(factory, team_id, user_id, command, SlackDirectory(client), SlackChannels(client))
    sealer = sealer_for(runtime.settings.secret("fieldnotes_encryption_key"))
    ctx = Context(team_id, user_id, runtime.now(), facts, WebhookInfo(f"{app_url}/hooks/calls", sealer))
    with factory.begin() as session:
        result = execute_once(session, ctx, command, key=f"fieldnotes:{trigger_id}" if trigger_id else None)
    if result is None:
        logger.info("/fieldnotes %s replayed (trigger %s): run once", command.render(), trigger_id)
        return None
    return build_admin_reply(result)


def require_reply_permission(
    runtime: Runtime, client: WebClient, team_id: str, user_id: str, run_id: int | None
) -> None:
    """Raises PermissionDenied naming who can, unless the user may reply to reps (services/replies holds the
    rule; this reads the digest channels' members from Slack, outside any transaction, for it)."""
    admins = runtime.settings.admin_ids
    with runtime.session_factory() as session:
        if reply_service.may_reply_by_role(session, team_id, user_id, admins):
            return
        if not reply_service.channel_members_may_reply(session, team_id):
            raise PermissionDenied(reply_service.refusal(session, team_id, admins))
        channels = reply_service.digest_channels(session, team_id, run_id)
    members: set[str] = set()
    for channel in channels:
        members |= _channel_members(client, channel)
        if user_id in members:
            return
    with runtime.session_factory() as session:
        reply_service.check_may_reply(session, team_id, user_id, admins, members)


def _channel_members(client: WebClient, channel: str) -> set[str]:
    members: set[str] = set()
    try:
        for page in client.conversations_members(channel=channel, limit=1000):
            members.update(page.get("members", []))
    except SlackApiError as exc:
        logger.warning("conversations.members %s failed: %s", channel, exc.response.get("error"))
    return members
