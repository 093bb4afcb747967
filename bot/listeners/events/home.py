"""App Home: published whenever a user opens it (common.publish_home builds every section they should see)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.listeners.common import publish_home, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime

__all__ = ["handle_home_opened"]


@reported
def handle_home_opened(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(runtime, client, team_id(context), event["user"])
