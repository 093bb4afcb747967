"""The Get started checklist's controls (admin App Home, `/fieldnotes setup`): each does the real thing (a digest
schedule, people's roles, a test prompt, the digest preview) through the same services as the commands, then
shows the checklist again where it was clicked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.blocks.digest import build_digest
from bot.blocks.onboarding import build_digest_preview
from bot.jobs.engine import run_now
from bot.listeners.common import app_url, publish_home, run_admin_command, setup_checklist, team_id
from bot.listeners.errors import reported
from bot.messages import onboarding as say
from bot.runtime import Runtime
from bot.services import onboarding
from bot.services.admin import model as m
from bot.services.admin.permissions import is_admin, is_workspace_admin, require_admin
from bot.services.digest import build_digest_data, rolling_period
from bot.slack import SlackDirectory

__all__ = ["STEP_ACTIONS", "handle_setup_preview", "handle_setup_step"]

logger = logging.getLogger(__name__)


def _action(body: dict[str, Any]) -> dict[str, Any]:
    return dict((body.get("actions") or [{}])[0])


@reported
def handle_setup_step(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    runtime: Runtime,
    request: BoltRequest,
    respond: Respond,
) -> None:
    """One step of the checklist, the one whose control was used, then the checklist again where it was clicked."""
    action = _action(body)
    step = _STEPS.get(str(action.get("action_id")))
    if step is not None:
        step(runtime, client, team_id(context), body["user"]["id"], action)
    _show(body, client, context, runtime, request, respond)


def _digest_channel(runtime: Runtime, client: WebClient, team: str, user_id: str, action: dict[str, Any]) -> None:
    channel = action.get("selected_conversation")
    if isinstance(channel, str) and channel:
        # Mondays 09:00 in the admin's time zone, as `/fieldnotes digests add #channel` does.
        run_admin_command(runtime, client, team, user_id, m.DigestsAdd(channel))


def _people(role: str) -> Step:
    def add(runtime: Runtime, client: WebClient, team: str, user_id: str, action: dict[str, Any]) -> None:
        users = tuple(u for u in action.get("selected_users") or [] if isinstance(u, str))
        if users:
            run_admin_command(runtime, client, team, user_id, m.PeopleAdd(role, users))

    return add


def _reps_channel(runtime: Runtime, client: WebClient, team: str, user_id: str, action: dict[str, Any]) -> None:
    """ "The members of #sales are reps": the channel's people (bots left out) become reps."""
    channel = action.get("selected_conversation")
    members = _people_in(client, channel) if isinstance(channel, str) and channel else ()
    if members:
        run_admin_command(runtime, client, team, user_id, m.PeopleAdd("rep", members))


def _people_in(client: WebClient, channel: str) -> tuple[str, ...]:
    directory = SlackDirectory(client)
    found: list[str] = []
    for page in client.conversations_members(channel=channel, limit=1000):
        for user_id in page.get("members", []):
            profile = directory.user(user_id)
            if profile is not None and not profile.is_bot:
                found.append(user_id)
    return tuple(found)


def _test_call(runtime: Runtime, client: WebClient, team: str, user_id: str, action: dict[str, Any]) -> None:
    """A test call for the admin: the prompt goes out through the real job (at once here; a tick would too)."""
    _require_admin(runtime, client, team, user_id)
    with runtime.session_factory.begin() as session:
        key = onboarding.schedule_test_call(
            session, team, user_id, now=runtime.now(), ref=str(action.get("action_ts") or "")
        )
    run_now(runtime, key)


Step = Callable[[Runtime, WebClient, str, str, dict[str, Any]], None]

_STEPS: dict[str, Step] = {
    ids.ACTION_SETUP_DIGEST_CHANNEL: _digest_channel,
    ids.ACTION_SETUP_REPS: _people("rep"),
    ids.ACTION_SETUP_MARKETERS: _people("marketer"),
    ids.ACTION_SETUP_REPS_CHANNEL: _reps_channel,
    ids.ACTION_SETUP_TEST_CALL: _test_call,
}


def handle_setup_preview(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    runtime: Runtime,
    request: BoltRequest,
    respond: Respond,
) -> None:
    """The digest of the last seven days in a modal (opened while the trigger is fresh), recorded as previewed."""
    ack()
    team, user_id = team_id(context), body["user"]["id"]
    _require_admin(runtime, client, team, user_id)
    with runtime.session_factory() as session:
        data = build_digest_data(session, team, rolling_period(runtime.now()))
    try:
        client.views_open(trigger_id=body["trigger_id"], view=build_digest_preview(build_digest(data)))
    except SlackApiError:
        logger.warning("views.open failed for the digest preview", exc_info=True)
        return
    with runtime.session_factory.begin() as session:
        onboarding.mark_previewed(session, team, now=runtime.now())
    runtime.background(_show, body, client, context, runtime, request, respond)


def _require_admin(runtime: Runtime, client: WebClient, team: str, user_id: str) -> None:
    """Raises PermissionDenied (naming the admins) unless a Field Notes admin or, asked of Slack outside any
    transaction, a workspace admin or owner."""
    with runtime.session_factory() as session:
        allowed = is_admin(session, team, user_id, None)
    if not allowed and not is_workspace_admin(SlackDirectory(client), user_id):
        with runtime.session_factory() as session:
            require_admin(session, team, user_id, None)


def _show(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    runtime: Runtime,
    request: BoltRequest,
    respond: Respond | None,
) -> None:
    """The checklist again where it was clicked: App Home, or the `/fieldnotes setup` message."""
    team, user_id, url = team_id(context), body["user"]["id"], app_url(request)
    if (body.get("container") or {}).get("type") == "view":
        publish_home(runtime, client, team, user_id, app_url=url)
    elif respond is not None and body.get("response_url"):
        blocks = setup_checklist(runtime, team, url)
        respond(text=say.CHECKLIST_TITLE, blocks=blocks, response_type="ephemeral", replace_original=True)


#: The checklist controls that `handle_setup_step` carries out.
STEP_ACTIONS = tuple(_STEPS)
