"""*See the N notes* opens the modal of the notes behind a count; *More*/*Newer* and the stage and segment
filters update that modal in place. The ack is instant; each lazy listener asks Slack who the viewer is (marketers
and admins only, never guests), reads one page and calls Slack once more."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.blocks.drilldown import ANY, build_notes_modal
from bot.listeners.common import action_value, private_metadata, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime
from bot.services.drilldown import DrillPage, DrillQuery, check_may_see, notes_page
from bot.slack import SlackDirectory

__all__ = ["handle_notes_filter", "handle_notes_open", "handle_notes_page"]


@reported
def handle_notes_open(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    query = DrillQuery.from_json(action_value(body))
    page = _page(runtime, client, body, team_id(context), query, 0)
    client.views_open(trigger_id=body["trigger_id"], view=build_notes_modal(page))


@reported
def handle_notes_page(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    query, _ = _shown(body)
    try:
        offset = int(action_value(body))
    except ValueError:
        offset = 0
    _update(runtime, client, body, team_id(context), query, offset)


@reported
def handle_notes_filter(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    query, _ = _shown(body)
    action = body["actions"][0]
    picked = (action.get("selected_option") or {}).get("value") or ANY
    value = None if picked == ANY else picked
    by_stage = action["action_id"] == ids.ACTION_NOTES_STAGE
    query = query.filtered(stage=value) if by_stage else query.filtered(segment=value)
    _update(runtime, client, body, team_id(context), query, 0)


def _shown(body: dict[str, Any]) -> tuple[DrillQuery, int]:
    meta = private_metadata(body.get("view") or {})
    return DrillQuery.from_json(meta.get("q")), int(meta.get("o") or 0)


def _page(
    runtime: Runtime, client: WebClient, body: dict[str, Any], team: str, query: DrillQuery, offset: int
) -> DrillPage:
    """One page of the notes, once the viewer may see them (Slack is asked who they are outside any transaction)."""
    user_id = body["user"]["id"]
    profile = SlackDirectory(client).user(user_id)
    with runtime.session_factory() as session:
        check_may_see(session, team, user_id, runtime.settings.admin_ids, profile)
        return notes_page(session, team, query, offset=offset)


def _update(
    runtime: Runtime, client: WebClient, body: dict[str, Any], team: str, query: DrillQuery, offset: int
) -> None:
    page = _page(runtime, client, body, team, query, offset)
    client.views_update(view_id=body["view"]["id"], view=build_notes_modal(page))
