"""App Home: published whenever a user opens it (common.publish_home builds every section they should see)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.listeners.common import app_url, publish_home, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime

__all__ = ["handle_home_opened"]


@reported
def handle_home_opened(
    event: dict[str, Any],
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    runtime: Runtime,
    request: BoltRequest,
) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(runtime, client, team_id(context), event["user"], app_url=app_url(request))
